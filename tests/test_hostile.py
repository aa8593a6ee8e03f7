"""Broken or hostile submissions each get a clear status and never stop the cohort (issue 10)."""

import shutil

import nbformat
import pytest
from conftest import MODULES

from coursekit import grading, progress, simulate

FIRST = MODULES[0] if MODULES else None
pytestmark = [pytest.mark.skipif(not MODULES, reason="no modules"), pytest.mark.xdist_group(FIRST or "none")]

FIRST_ANSWER = {
    "loop": "while True:\n    pass",
    "deaf_loop": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
    "kill": "import os\nos._exit(1)",
    "flood": "print('x' * 50_000_000)",
}


def _write(root, learner, mutate):
    """A complete submission of learner, then changed by mutate(folder, notebook_path, nb)."""
    folder = root / "submitted" / learner / FIRST
    src = root / "submitted" / "nh01" / FIRST
    shutil.copytree(src, folder)
    path = next(folder.glob("*.ipynb"))
    mutate(folder, path, nbformat.read(path, as_version=4))


def _first_solution(nb):
    return next(c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("solution"))


@pytest.fixture(scope="session")  # built once per worker, however xdist interleaves modules
def cohort(built_modules, tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile") / "course"
    shutil.copytree(built_modules(FIRST), root)
    with open(root / "nbgrader_config.py", "a") as config:
        config.write("c.Execute.timeout = 8\n")
    roster = simulate.learner_roster(1)  # nh01: complete, the honest control
    simulate.register_learners(root, roster)
    simulate.simulate_cohort(root, 1, [FIRST])

    def answer(code):
        def mutate(folder, path, nb):
            _first_solution(nb).source = code
            nbformat.write(nb, path)
        return mutate

    for name, code in FIRST_ANSWER.items():
        _write(root, name, answer(code))
    _write(root, "badjson", lambda f, p, nb: p.write_text("{ this is not json"))
    _write(root, "renamed", lambda f, p, nb: p.rename(f / "my answers.ipynb"))

    def delete_tests(folder, path, nb):
        nb.cells = [c for c in nb.cells if not c.get("metadata", {}).get("nbgrader", {}).get("grade")]
        nbformat.write(nb, path)

    def reorder(folder, path, nb):
        nb.cells = list(reversed(nb.cells))
        nbformat.write(nb, path)

    _write(root, "deleted", delete_tests)
    _write(root, "reordered", reorder)
    (root / "submitted" / "fileinstead").mkdir()
    (root / "submitted" / "fileinstead" / FIRST).write_text("I put my notebook here")
    (root / "submitted" / "unknown" / "99-nope").mkdir(parents=True)
    (root / "submitted" / "unknown" / "99-nope" / "x.ipynb").write_text("{}")

    outcomes = grading.autograde(root, jobs=2, timeout=60)
    table = progress.completion(root).set_index(["learner_id", "module"])
    return root, {o.learner_id: o for o in outcomes}, table


def _score(table, learner):
    return table.loc[(learner, FIRST), "score"]


def test_the_honest_learner_is_graded_in_full(cohort):
    _, out, table = cohort
    assert out["nh01"].ok
    assert _score(table, "nh01") == table.loc[("nh01", FIRST), "max_score"]
    assert table.loc[("nh01", FIRST), "status"] == "autograded"


@pytest.mark.parametrize("learner", ["loop", "deaf_loop", "kill"])
def test_a_runaway_or_dying_kernel_costs_only_that_learner(cohort, learner):
    _, out, table = cohort
    row = table.loc[(learner, FIRST)]
    if out[learner].ok:  # nbgrader stopped the cell and graded the rest
        assert row["score"] < row["max_score"]
        assert row["status"] in {"autograded", "late"}
    else:
        assert row["status"] == "grading failed" and row["reason"]


def test_an_infinite_loop_is_stopped_by_the_cell_time_limit(cohort):
    _, out, table = cohort
    assert out["loop"].ok, out["loop"].reason
    assert _score(table, "loop") < table.loc[("loop", FIRST), "max_score"]


def test_printing_50_mb_leaves_a_small_graded_notebook(cohort):
    root, out, table = cohort
    assert out["flood"].ok, out["flood"].reason
    graded = next((root / "autograded" / "flood" / FIRST).glob("*.ipynb"))
    assert graded.stat().st_size < 1_000_000
    assert "output cut" in graded.read_text()


@pytest.mark.parametrize("learner, words", [
    ("badjson", ["not a valid notebook"]),
    ("renamed", ["renamed", "my answers.ipynb"]),
    ("fileinstead", ["is a file"]),
    ("unknown", ["99-nope"]),
])
def test_broken_submissions_are_reported_with_the_reason(cohort, learner, words):
    _, out, table = cohort
    assert not out[learner].ok
    for word in words:
        assert word in out[learner].reason
    key = (learner, out[learner].module)
    if key[1] == FIRST:  # a module of the course: the report shows the failure and its reason
        assert table.loc[key, "status"] == "grading failed"
        assert table.loc[key, "reason"] == out[learner].reason


def test_deleted_test_cells_are_restored_and_flagged(cohort):
    _, out, table = cohort
    assert out["deleted"].ok and out["deleted"].tampered_cells
    assert table.loc[("deleted", FIRST), "status"] == "tampered"
    assert _score(table, "deleted") == table.loc[("deleted", FIRST), "max_score"]


def test_reordered_cells_are_graded(cohort):
    _, out, table = cohort
    assert out["reordered"].ok
    assert _score(table, "reordered") < table.loc[("reordered", FIRST), "max_score"]
