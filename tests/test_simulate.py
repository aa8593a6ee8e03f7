"""The simulated cohort: answer cells filled in, solution code as a learner writes it, a roster."""

import nbformat

from coursekit import simulate
from coursekit.modules import solution_code


def test_solution_code_keeps_the_answer_and_drops_the_markers():
    source = "### BEGIN SOLUTION\ncalls_today = len(day)\n### END SOLUTION\ncalls_today"
    assert solution_code(source) == "calls_today = len(day)\ncalls_today"


def test_fill_in_answers_only_the_named_cells():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("raise NotImplementedError()", metadata={"nbgrader": {"grade_id": "a"}}),
        nbformat.v4.new_code_cell("raise NotImplementedError()", metadata={"nbgrader": {"grade_id": "b"}})])
    filled = simulate.fill_in(nb, {"a": "x = 1"})
    assert [c.source for c in filled.cells] == ["x = 1", "raise NotImplementedError()"]
    assert nb.cells[0].source == "raise NotImplementedError()"  # the release itself is untouched


def test_the_roster_is_reproducible_and_ids_are_new_hires():
    one, two = simulate.learner_roster(5), simulate.learner_roster(5)
    assert one.equals(two) and list(one["learner_id"]) == [f"nh{i:02d}" for i in range(1, 6)]
