"""An untouched learner notebook runs top to bottom: one friendly line per unfinished exercise."""

import nbformat
import pytest
from conftest import MODULES, module_params

from coursekit import course
from coursekit.learner.friendly import note_for

ANSWERS = {"calls_today": 1, "abandoned_today": 2, "abandon_percent": 3}


def test_an_unanswered_exercise_says_so_in_one_line():
    stub = "# YOUR ANSWER HERE\nraise NotImplementedError()\nabandoned_today"
    assert note_for(stub, {}, ANSWERS).startswith("Exercise 2 (abandoned_today) is not answered yet")


def test_a_stub_that_names_no_answer_never_names_the_wrong_exercise():
    stub = "# YOUR ANSWER HERE\nraise NotImplementedError()"
    assert note_for(stub, {}, ANSWERS).startswith("This exercise is not answered yet: write your answer")
    last = {"calls_today": 1, "abandoned_today": 2}
    assert note_for(stub, last, ANSWERS).startswith("Exercise 3 (abandon_percent) is not answered yet")


def test_a_test_cell_of_an_unanswered_exercise_asks_for_the_answer_first():
    note = note_for('assert isinstance(calls_today, int), "a whole number"', {}, ANSWERS)
    assert note.startswith("Exercise 1 (calls_today) is not answered yet: answer the exercise above first")


def test_a_worked_example_names_the_exercise_to_finish():
    note = note_for("rate = abandoned_today / 10\nrate", {"calls_today": 5}, ANSWERS)
    assert note == "This cell uses abandoned_today: finish exercise 2 (abandoned_today) first, then run it again."
    helper = note_for("plan.head()", {"calls_today": 5}, ANSWERS)
    assert "plan" in helper and "exercise 2 (abandoned_today)" in helper


def test_everything_else_runs_as_written():
    assert note_for("x = 1\nprint(x)", {}, ANSWERS) == ""
    assert note_for("calls_today + 1", {"calls_today": 5, "abandoned_today": 1, "abandon_percent": 2.0}, ANSWERS) == ""
    assert note_for("lenn(day)", {"day": 1, **dict.fromkeys(ANSWERS, 1)}, ANSWERS) == ""  # a typo: Python says so
    assert note_for("def f(a):\n    return a + later\n", {}, ANSWERS) == ""  # a body runs later
    assert note_for("[x * 2 for x in range(3)]", {}, ANSWERS) == ""


@pytest.mark.parametrize("module", module_params())
def test_the_untouched_learner_version_runs_top_to_bottom_without_an_error(module, built_modules, tmp_path):
    """Restart and run all on the learner version: every cell runs, none shows a traceback."""
    import shutil

    from nbclient import NotebookClient

    root = built_modules(module)
    for path in course.module_notebooks(root / "release" / module):
        work = tmp_path / module
        shutil.copytree(path.parent, work, dirs_exist_ok=True)
        nb = nbformat.read(work / path.name, as_version=4)
        NotebookClient(nb, timeout=300, allow_errors=False, resources={"metadata": {"path": str(work)}}).execute()
        errors = [c.source[:60] for c in nb.cells if c.cell_type == "code"
                  for o in c.get("outputs", []) if o.output_type == "error" or o.get("name") == "stderr"]
        assert not errors, errors
        notes = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
        assert "is not answered yet" in notes
