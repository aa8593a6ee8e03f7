"""What a learner may see and leave behind: hidden tests out of feedback, outputs capped."""

import nbformat

from coursekit.sanitize import HideHiddenTests, LimitOutputSize


def test_a_cell_that_prints_megabytes_keeps_the_cap_and_says_so():
    cell = nbformat.v4.new_code_cell("print('x' * 10**7)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * 10**7)]
    nb = nbformat.v4.new_notebook(cells=[cell])
    LimitOutputSize(max_chars=1000).preprocess(nb, {})
    text = nb.cells[0].outputs[0]["text"]
    assert len(text) < 1200 and "output cut" in text


def test_feedback_shows_neither_hidden_tests_nor_their_tracebacks():
    source = ("assert isinstance(x, int)\n### BEGIN HIDDEN TESTS\nassert x == 42  # secret\n"
              "### END HIDDEN TESTS\n")
    cell = nbformat.v4.new_code_cell(source, metadata={"nbgrader": {"grade": True, "solution": False, "locked": True,
                                                                   "grade_id": "t", "points": 1}})
    cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="",
                                           traceback=["line 3: assert x == 42  # secret"])]
    nb = nbformat.v4.new_notebook(cells=[cell])
    HideHiddenTests().preprocess(nb, {})
    shown = nb.cells[0].source + "".join(nb.cells[0].outputs[0]["traceback"])
    assert "secret" not in shown and "assert isinstance(x, int)" in shown
