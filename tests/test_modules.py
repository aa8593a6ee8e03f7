"""Every module is proven: it runs, nbgrader's release fails every test, the solution passes them,
autograding gives full marks and zero, and no solution or hidden test reaches a learner-facing file.

Parametrized over notebooks/, so a new module is covered as soon as its folder exists.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import MODULES, module_params

from coursekit import course, grading, simulate

pytestmark = pytest.mark.skipif(not MODULES, reason="no modules in notebooks/")

REGION = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)[^\n]*\n(.*?)### END \1", re.S)


def grade_cells(nb) -> list[str]:
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("grade") and c.cell_type == "code"]


def validate(path: Path, **options) -> dict:
    from nbgrader.validator import Validator

    with course.quiet():
        return Validator(**options).validate(str(path))


def secret_lines(module: str) -> dict[str, set[str]]:
    """Lines inside solution and hidden-test regions of a module's source notebooks."""
    found = {"SOLUTION": set(), "HIDDEN TESTS": set()}
    for path in course.module_notebooks(course.notebooks_dir() / module):
        for cell in nbformat.read(path, as_version=4).cells:
            for kind, body in REGION.findall(cell.source):
                found[kind] |= {ln.strip() for ln in body.splitlines() if len(ln.strip()) > 3}
    return found


@pytest.fixture(scope="session")
def graded(built_modules, tmp_path_factory):
    """module -> course folder where a complete, a partial and an untouched learner were graded."""
    cache = {}

    def get(module):
        if module not in cache:
            root = tmp_path_factory.mktemp(f"graded-{module}") / "course"
            shutil.copytree(built_modules(module), root)
            roster = simulate.learner_roster(3)  # complete, partial, untouched
            simulate.register_learners(root, roster)
            expected = simulate.simulate_cohort(root, 3, [module])
            outcomes = grading.autograde(root)
            assert all(o.ok for o in outcomes), [o.reason for o in outcomes if not o.ok]
            grading.feedback(root)
            cache[module] = (root, roster, expected)
        return cache[module]

    return get


@pytest.mark.parametrize("module", module_params())
def test_committed_notebooks_have_no_outputs(module):
    for path in course.module_notebooks(course.notebooks_dir() / module):
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                assert not cell.outputs, f"{path.name} cell {i} has outputs: clear them before committing"
                assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"


@pytest.mark.parametrize("module", module_params())
def test_module_states_objectives_and_key_points(module):
    for path in course.module_notebooks(course.notebooks_dir() / module):
        nb = nbformat.read(path, as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert "**Time:**" in nb.cells[0].source, f"{path.name}: the first cell should give the time"
        assert re.search(r"by the end of this module", text, re.I), f"{path.name}: no objectives"
        assert "## Key points" in text, f"{path.name}: no key points section"


@pytest.mark.parametrize("module", module_params())
def test_source_runs_top_to_bottom_and_passes_every_test(module, built_modules):
    root = built_modules(module)
    for path in course.module_notebooks(root / "source" / module):
        result = validate(path, validate_all=True)
        assert not result, f"{path.name}: the instructor notebook does not run cleanly: {result}"


@pytest.mark.parametrize("module", module_params())
def test_release_fails_every_autograded_test(module, built_modules):
    root = built_modules(module)
    for path in course.module_notebooks(root / "release" / module):
        nb = nbformat.read(path, as_version=4)
        tests = grade_cells(nb)
        assert tests, f"{path.name} has no autograded tests"
        result = validate(path)
        failed = result.get("failed", [])
        assert len(failed) == len(tests), (
            f"{path.name}: {len(tests) - len(failed)} of {len(tests)} tests pass on the untouched release")


@pytest.mark.parametrize("module", module_params())
def test_autograde_gives_full_marks_to_the_solution_and_zero_to_the_release(module, graded):
    root, roster, expected = graded(module)
    complete, untouched = roster.learner_id[0], roster.learner_id[2]
    with course.gradebook(root) as gb:
        for nb in gb.find_assignment(module).notebooks:
            solved = gb.find_submission_notebook(nb.name, module, complete)
            assert solved.score == solved.max_score > 0
            blank = gb.find_submission_notebook(nb.name, module, untouched)
            auto = [g for g in blank.grades if g.auto_score is not None]
            assert auto and all(g.auto_score == 0 for g in auto)


@pytest.mark.parametrize("module", module_params())
def test_partial_work_gets_exactly_the_points_of_the_exercises_done(module, graded):
    root, roster, expected = graded(module)
    partial = roster.learner_id[1]
    want = expected.set_index("learner_id").loc[partial, "score"]
    with course.gradebook(root) as gb:
        assert gb.find_submission(module, partial).score == pytest.approx(want)


@pytest.mark.parametrize("module", module_params())
def test_no_solution_or_hidden_test_reaches_a_learner_facing_file(module, graded):
    root, roster, _ = graded(module)
    secrets = secret_lines(module)
    assert secrets["SOLUTION"] and secrets["HIDDEN TESTS"], "every module has solutions and hidden tests"
    release_text = "\n".join(learner_text(p) for p in (root / "release" / module).rglob("*") if p.is_file()
                             and p.suffix in {".ipynb", ".py", ".md", ".txt"})
    for line in secrets["SOLUTION"] | secrets["HIDDEN TESTS"]:
        assert line not in release_text, f"release of {module} contains: {line}"
    feedback_files = list((root / "feedback").rglob("*.html"))
    assert len(feedback_files) >= 3, "feedback was generated for every graded learner"
    for path in feedback_files:
        text = html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))
        for line in secrets["HIDDEN TESTS"]:
            assert line not in text, f"{path} shows a hidden test: {line}"
    # the learner who changed nothing must not see any solution either
    untouched = roster.learner_id[2]
    for path in (root / "feedback" / untouched).rglob("*.html"):
        text = html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))
        for line in secrets["SOLUTION"]:
            assert line not in text, f"{path} shows a solution line: {line}"


def learner_text(path: Path) -> str:
    """What a learner can read in a released file: every cell source (and output) of a notebook."""
    if path.suffix != ".ipynb":
        return path.read_text()
    nb = nbformat.read(path, as_version=4)
    return "\n".join([c.source for c in nb.cells] + [str(o) for c in nb.cells for o in c.get("outputs", [])])


@pytest.mark.parametrize("module", module_params())
def test_trainer_notes_stay_out_of_the_learner_version(module, built_modules):
    root = built_modules(module)
    for folder in (root / "source" / module, root / "release" / module):
        assert not list(folder.rglob("FACILITATOR.md")), f"trainer notes reached {folder}"


def test_only_notebooks_and_their_assets_go_into_a_course(tmp_path):
    """What running the answer key in the checkout leaves behind never reaches a course."""
    module = MODULES[0]
    source = tmp_path / "notebooks"
    shutil.copytree(course.notebooks_dir() / module, source / module)
    (source / module / "FACILITATOR.md").write_text("trainer notes")
    (source / module / "self_assessment.json").write_text("{}")
    (source / module / "my-coaching-plan").mkdir()
    (source / module / "my-coaching-plan" / "plan.md").write_text("a model plan")
    (source / module / "chart.png").write_bytes(b"png")
    root = tmp_path / "course"
    course.init_course(root)
    course.copy_sources(root, [module], source)
    kept = sorted(p.name for p in (root / "source" / module).iterdir())
    assert kept == sorted([p.name for p in course.module_notebooks(source / module)] + ["chart.png"])
