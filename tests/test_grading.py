"""Autograding through nbgrader: edited test cells are restored, graded as originals and flagged."""

import shutil

import nbformat
import pytest
from conftest import MODULES

from coursekit import grading, progress, simulate

FIRST = MODULES[0] if MODULES else None
pytestmark = [pytest.mark.skipif(not MODULES, reason="no modules"), pytest.mark.xdist_group(FIRST or "none")]


@pytest.fixture(scope="session")  # built once per worker, however xdist interleaves modules
def tampered_course(built_modules, tmp_path_factory):
    root = tmp_path_factory.mktemp("tamper") / "course"
    shutil.copytree(built_modules(FIRST), root)
    roster = simulate.learner_roster(6)  # profile 5 is "tampered"
    simulate.register_learners(root, roster)
    expected = simulate.simulate_cohort(root, 6, [FIRST])
    outcomes = grading.autograde(root)
    return root, roster, expected, outcomes


def test_integrity_check_names_the_edited_cells(tampered_course):
    root, roster, expected, outcomes = tampered_course
    by_learner = {o.learner_id: o for o in outcomes}
    cheat = roster.set_index("profile").loc["tampered", "learner_id"]
    assert by_learner[cheat].ok and by_learner[cheat].tampered_cells
    honest = roster.set_index("profile").loc["complete", "learner_id"]
    assert by_learner[honest].tampered_cells == []


def test_edited_tests_are_scored_as_if_they_had_not_been_and_the_report_marks_it(tampered_course):
    root, roster, expected, _ = tampered_course
    cheat = roster.set_index("profile").loc["tampered", "learner_id"]
    # what the learner's own edited tests would have given: everything
    edited_points = expected.set_index("learner_id").loc[cheat, "max_score"]
    want = expected.set_index("learner_id").loc[cheat, "score"]
    assert want < edited_points
    table = progress.completion(root).set_index("learner_id")
    assert table.loc[cheat, "score"] == pytest.approx(want)
    assert table.loc[cheat, "status"] == "tampered" and bool(table.loc[cheat, "tampered"])
    assert not table.drop(cheat)["tampered"].any()


def test_every_simulated_status_and_score_is_reproduced(tampered_course):
    from coursekit.demo import compare

    root, _, expected, _ = tampered_course
    table = progress.completion(root)
    assert compare(table, expected).empty, compare(table, expected)


def test_a_submission_of_an_unknown_module_fails_with_a_reason(tampered_course, tmp_path):
    root, *_ = tampered_course
    sub = grading.Submission("nh01", "99-unknown", root / "submitted" / "nh01" / "99-unknown")
    outcome = grading.autograde_one(root, sub)
    assert not outcome.ok and "99-unknown" in outcome.reason


def test_regrading_is_idempotent(tampered_course):
    root, _, expected, _ = tampered_course
    before = progress.completion(root)
    grading.autograde(root, learners=["nh01"], force=True)
    after = progress.completion(root)
    assert before[["learner_id", "module", "status", "score"]].equals(after[["learner_id", "module", "status", "score"]])


def test_notebook_without_nbgrader_metadata_counts_as_tampered(tampered_course, tmp_path):
    root, roster, *_ = tampered_course
    learner = roster.learner_id[0]
    folder = root / "submitted" / learner / FIRST
    path = next(folder.glob("*.ipynb"))
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)
    copy = tmp_path / "sub"
    copy.mkdir()
    nbformat.write(nb, copy / path.name)
    changed = grading.integrity_check(root, grading.Submission(learner, FIRST, copy))
    assert changed  # every locked cell is missing its identity
