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


def test_a_learner_who_used_the_forms_gets_full_marks_when_graded(built_modules, tmp_path):
    """The forms' saved file is handed in with the notebook; graded in a fresh kernel, behind the fence,
    ``focus_areas = focus_form.value`` gives the same plain list the learner saw."""
    import shutil

    import nbformat

    from coursekit import grading, simulate
    from coursekit.course import progress
    from coursekit.plan import save_plan_answers

    module = "07-coaching-plan"
    root = tmp_path / "course"
    shutil.copytree(built_modules(module), root)
    roster = simulate.learner_roster(2)
    simulate.register_learners(root, roster)
    saved_forms, forgot_to_save = roster["learner_id"]
    name = f"{module}.ipynb"
    source = nbformat.read(root / "source" / module / name, as_version=4)
    answers = {e.grade_id: e.answer for e in simulate.exercises(source)}
    answers["focus-areas"] = "focus_areas = focus_form.value"
    answers["shared-goals"] = "shared_goals = goals_form.value"
    release = nbformat.read(root / "release" / module / name, as_version=4)
    for learner in roster["learner_id"]:
        folder = root / "submitted" / learner / module
        folder.mkdir(parents=True)
        nbformat.write(simulate.fill_in(release, answers), folder / name)
        (folder / "timestamp.txt").write_text("2026-01-01 09:00:00.000000 UTC")
    folder = root / "submitted" / saved_forms / module
    save_plan_answers(folder / PLAN_ANSWERS, "focus_areas", [
        {"area": "Listening", "target": "sum up the problem on 9 of 10 calls", "by": "2027-01-31"},
        {"area": "Ownership", "target": "say what happens next on 9 of 10 calls", "by": "2027-02-28"}])
    save_plan_answers(folder / PLAN_ANSWERS, "shared_goals", [{"department": "IT", "goal": "fix the login error for good"}])
    outcomes = grading.autograde(root)
    assert all(o.ok for o in outcomes), [o.reason for o in outcomes]
    scores = progress.completion(root).set_index("learner_id")
    assert scores.loc[saved_forms, "score"] == scores.loc[saved_forms, "max_score"] == 10
    assert scores.loc[forgot_to_save, "score"] == 10 - 2 - 1     # nothing saved: focus areas (2) and goals (1) lost
