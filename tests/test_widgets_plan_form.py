"""Module 07's forms without a browser: fill in, save, read back the plain lists the hidden tests check."""

from coursekit.check import SelfCheck
from coursekit.plan import PLAN_ANSWERS, read_plan_answers
from coursekit.widgets import FocusAreasForm, SharedGoalsForm


def fill(form, rows):
    for boxes, row in zip(form.inputs, rows):
        for field, text in row.items():
            boxes[field].value = text


def test_focus_form_saves_what_the_check_accepts_and_comes_back(tmp_path):
    form = FocusAreasForm(folder=tmp_path)
    assert form.value == [] and "press Save" in form.message and not (tmp_path / PLAN_ANSWERS).exists()
    rows = [{"area": "Listening", "target": "sum up the problem on 9 of 10 calls", "by": "2027-01-31"},
            {"area": "Ownership", "target": "say what happens next on 9 of 10 calls", "by": "2027-02-28"}]
    fill(form, rows)
    assert form.save() and "Saved 2" in form.message
    assert read_plan_answers(tmp_path / PLAN_ANSWERS)["focus_areas"] == rows
    again = FocusAreasForm(folder=tmp_path)                 # reopened (or run by the grader): the same answers
    assert again.value == rows and "saved answers are filled in" in again.message
    assert SelfCheck("07-coaching-plan")("focus_areas", again.value)


def test_focus_form_says_what_is_still_to_fix(tmp_path):
    form = FocusAreasForm(folder=tmp_path)
    fill(form, [{"area": "Listening", "target": "be nicer", "by": "2027-01-31"}])
    assert form.save()
    assert "fill in 2 focus areas (now 1)" in form.message


def test_goals_form_keeps_the_focus_areas_and_typing_still_works(tmp_path):
    focus = FocusAreasForm(folder=tmp_path)
    fill(focus, [{"area": "A", "target": "9 of 10", "by": "2027-01-31"}])
    focus.save()
    goals = SharedGoalsForm(folder=tmp_path)
    fill(goals, [{"department": "IT", "goal": "fix the login error that causes calls"}])
    assert goals.save() and goals.value == [{"department": "IT", "goal": "fix the login error that causes calls"}]
    saved = read_plan_answers(tmp_path / PLAN_ANSWERS)
    assert len(saved["focus_areas"]) == 1 and len(saved["shared_goals"]) == 1
    check = SelfCheck("07-coaching-plan")
    assert check("shared_goals", goals.value) and check("shared_goals", [{"department": "IT", "goal": "fix the login error"}])
    (tmp_path / PLAN_ANSWERS).write_text("{ broken")
    assert "could not be read" in SharedGoalsForm(folder=tmp_path).message
