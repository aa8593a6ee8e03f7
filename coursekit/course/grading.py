"""Autograding and feedback for a whole cohort, through nbgrader's own API.

Each step is one job: :func:`find_submissions` lists what is in ``DIR/submitted``,
:func:`integrity_check` compares a submission's locked cells with the gradebook's checksums
(before nbgrader quietly restores them), :func:`autograde_one` runs nbgrader's autograde for one
learner and module, :func:`autograde` does the cohort, :func:`feedback` makes the feedback files.

Tampering: nbgrader overwrites edited test cells with the originals and only logs a warning.
coursekit records it in the gradebook by setting nbgrader's ``SubmittedNotebook.flagged`` on every
notebook whose locked cells were changed, so the report can mark it.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from coursekit.errors import one_line
from coursekit.parallel import run_pool
from coursekit.course.modules import module_notebooks
from coursekit.course.nbgrader_env import Course, gradebook, last_error, nbgrader_api, quiet
from coursekit.errors import CourseError
from coursekit.files import write_text


@dataclass
class Submission:
    learner_id: str
    module: str
    path: Path


@dataclass
class GradeOutcome:
    """What happened to one learner's module: graded, or failed with a reason."""

    learner_id: str
    module: str
    ok: bool
    reason: str = ""
    tampered_cells: list[str] = field(default_factory=list)


def find_submissions(course_dir, learners=None, modules=None) -> list[Submission]:
    """Every ``submitted/<learner>/<module>`` entry, optionally filtered.

    Entries that are files where a folder belongs are listed too, so that grading reports them
    instead of passing over them in silence.
    """
    root = Course.open(course_dir).root
    found = []
    submitted = root / "submitted"
    if not submitted.is_dir():
        return found
    for learner_dir in sorted(submitted.iterdir()):
        if learner_dir.name.startswith(".") or (learners and learner_dir.name not in learners):
            continue
        if not learner_dir.is_dir():
            found.append(Submission(learner_dir.name, "?", learner_dir))
            continue
        for module_dir in sorted(learner_dir.iterdir()):
            if module_dir.name.startswith(".") or (modules and module_dir.name not in modules):
                continue
            found.append(Submission(learner_dir.name, module_dir.name, module_dir))
    return found


def preflight(root: Path, submission: Submission) -> str:
    """Why a submission cannot be graded as it stands ('' when it can): the checks nbgrader would
    fail on with a traceback, said in one line."""
    import nbformat

    where = f"submitted/{submission.learner_id}"
    if not submission.path.is_dir():
        if submission.module == "?":
            return f"{where} is a file; it should be a folder holding one folder per module"
        return f"{where}/{submission.module} is a file; it should be a folder holding the module's notebooks"
    release = root / "release" / submission.module
    if not release.is_dir():
        return f"module {submission.module} is not part of this course (no learner version in release/)"
    expected = {p.name for p in module_notebooks(release)}
    present = {p.name for p in submission.path.glob("*.ipynb")}
    missing, extra = sorted(expected - present), sorted(present - expected)
    if missing and extra:
        return (f"notebook renamed: found {', '.join(extra)}, expected {', '.join(missing)}; "
                "rename it back and grade again")
    for name in sorted(expected & present):
        try:
            nbformat.read(submission.path / name, as_version=4)
        except Exception as exc:
            return f"{where}/{submission.module}/{name} is not a valid notebook ({one_line(exc)[:120]})"
    return ""


def integrity_check(root: Path, submission: Submission) -> list[str]:
    """Grade ids of locked cells (tests, read-only cells) the learner changed or removed.

    Each submitted locked cell is compared, by nbgrader's own cell checksum, with the same cell of
    the learner version in ``DIR/release`` (the gradebook's copy holds the hidden tests, so it
    differs from what learners receive by design).
    """
    import nbformat
    from nbgrader.utils import compute_checksum

    release = root / "release" / submission.module
    if not release.is_dir():
        raise CourseError(f"module {submission.module}: no learner version in {release}; run 'coursekit build' first")
    changed = []
    for release_path in module_notebooks(release):
        released = nbformat.read(release_path, as_version=nbformat.NO_CONVERT)
        locked = {c.metadata.nbgrader["grade_id"]: compute_checksum(c) for c in released.cells
                  if c.get("metadata", {}).get("nbgrader", {}).get("locked")}
        path = submission.path / release_path.name
        if not path.exists():
            continue  # a missing notebook is graded as empty by nbgrader
        try:
            nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        except Exception:
            continue  # unreadable: autograde reports it
        seen = set()
        for cell in nb.cells:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id not in locked:
                continue
            seen.add(grade_id)
            try:
                same = compute_checksum(cell) == locked[grade_id]
            except (KeyError, AttributeError, TypeError):  # nbgrader metadata edited away
                same = False
            if not same:
                changed.append(grade_id)
        changed.extend(sorted(set(locked) - seen))
    return changed


def flag_tampered(root: Path, submission: Submission) -> None:
    """Mark the learner's notebooks of this module as flagged in the gradebook."""
    with gradebook(root) as gb:
        graded = gb.find_submission(submission.module, submission.learner_id)
        for notebook in graded.notebooks:
            notebook.flagged = True
        gb.db.commit()


def autograde_one(root: Path, submission: Submission, api=None, force: bool = True) -> GradeOutcome:
    """Autograde one learner's module with nbgrader; never raises for a bad submission."""
    reason = preflight(root, submission)
    if reason:
        return GradeOutcome(submission.learner_id, submission.module, False, reason)
    api = api or nbgrader_api(root)
    tampered = integrity_check(root, submission)
    with quiet():
        result = api.autograde(submission.module, submission.learner_id, force=force, create=True)
    if not result.get("success"):
        remove_partial(root, submission)  # nbgrader may have saved half a result
        return GradeOutcome(submission.learner_id, submission.module, False, last_error(result), tampered)
    if tampered:
        flag_tampered(root, submission)
    return GradeOutcome(submission.learner_id, submission.module, True, "", tampered)


def autograde(course_dir, learners=None, modules=None, force: bool = True, jobs: int = 1,
              timeout: float | None = None, progress=None, warm: bool = True,
              fence: bool = True) -> list[GradeOutcome]:
    """Autograde every submission in ``DIR/submitted`` with nbgrader, one learner's module at a time
    per worker.

    ``jobs`` worker processes grade in parallel (each runs nbgrader's own autograde for one learner
    and module); ``timeout`` (seconds) bounds each submission: a worker past it is killed with its
    kernel, the partial result is removed from the gradebook, and the outcome says why.  With
    ``jobs=1`` and no timeout everything runs in this process.  ``warm`` starts each notebook's
    kernel as a fork of a process that has already imported the course's libraries and data
    (:mod:`coursekit.warmkernel`); every notebook still gets a fresh kernel of its own.

    ``fence`` (the default) runs every kernel inside :mod:`coursekit.fence`; where this machine
    cannot fence, grading stops before it starts with a :class:`CourseError` saying why, unless
    ``fence=False``, and grades made without the fence are marked so in the report.
    """
    from coursekit.course import fence as fencing
    from coursekit.course.warmkernel import use_grading_kernels, warm_kernels

    root = Course.open(course_dir)  # resolved once; passed down (a Course joins paths like its root)
    if fence:
        reason = fencing.unavailable_reason()
        if reason:
            raise CourseError(f"{reason}; grade anyway with --no-fence (those grades are marked unfenced)")
    submissions = find_submissions(root, learners, modules)

    def configure(config):
        use_grading_kernels(config, fence=fence)
    def failed(sub, reason):
        remove_partial(root, sub)
        return GradeOutcome(sub.learner_id, sub.module, False, reason)

    with warm_kernels(warm and bool(submissions)):
        api = warm_up(root, configure)  # made once here; each forked worker uses its own copy
        outcomes = run_pool(submissions, lambda sub: autograde_one(root, sub, api, force), failed, jobs=jobs,
                            timeout=timeout, retry_if=_retryable, progress=progress)
    record_failures(root, outcomes)
    record_unfenced(root, outcomes, fenced=fence)
    return outcomes


#: an autograde that met one of these (a gradebook busy with another worker) is run again
RETRYABLE = ("database is locked", "database table is locked", "could not serialize")


def _retryable(outcome: GradeOutcome) -> bool:
    return not outcome.ok and any(r in outcome.reason for r in RETRYABLE)


FAILURES = "grading-failures.json"
UNFENCED = "grading-unfenced.json"


def record_unfenced(root: Path, outcomes: list[GradeOutcome], fenced: bool) -> None:
    """Remember which grades were made without the fence (``DIR/grading-unfenced.json``); a later
    fenced grade of the same submission clears the mark."""
    path = root / UNFENCED
    try:
        known = set(json.loads(path.read_text())) if path.exists() else set()
    except ValueError:
        known = set()
    for o in outcomes:
        if o.ok:
            (known.discard if fenced else known.add)(f"{o.learner_id}/{o.module}")
    if known or path.exists():
        write_text(path, json.dumps(sorted(known), indent=1))


def read_unfenced(root: Path) -> set[tuple[str, str]]:
    """(learner, module) pairs whose current grade was made without the fence."""
    path = root / UNFENCED
    try:
        return {tuple(k.split("/", 1)) for k in json.loads(path.read_text())} if path.exists() else set()
    except ValueError:
        return set()


def record_failures(root: Path, outcomes: list[GradeOutcome]) -> None:
    """Keep the reason of every failed autograde in ``DIR/grading-failures.json`` (the report shows
    them as "grading failed"); a later successful grade clears the entry."""
    path = root / FAILURES
    try:
        known = json.loads(path.read_text()) if path.exists() else {}
    except ValueError:
        known = {}
    for o in outcomes:
        key = f"{o.learner_id}/{o.module}"
        if o.ok:
            known.pop(key, None)
        else:
            known[key] = o.reason
    write_text(path, json.dumps(known, indent=1, sort_keys=True))


def read_failures(root: Path) -> dict[tuple[str, str], str]:
    """(learner, module) -> reason of the last failed autograde."""
    path = root / FAILURES
    if not path.exists():
        return {}
    try:
        known = json.loads(path.read_text())
    except ValueError:
        return {}
    return {tuple(k.split("/", 1)): v for k, v in known.items()}


def warm_up(root: Path, configure=None):
    """Import nbgrader's converters and the notebook executor once, before worker processes fork,
    so that each worker starts with them loaded instead of importing them again (about 1 s each), and
    let every exercise's check compute its expected value once (the data it reads stays cached);
    returns the course's NbGraderAPI for the workers to share (as forked copies)."""
    import nbclient  # noqa: F401
    import nbconvert.exporters  # noqa: F401
    from nbgrader.converters import Autograde, GenerateFeedback  # noqa: F401

    from coursekit.learner import check
    from coursekit.course.modules import list_modules

    for module in list_modules(root / "source"):  # the answer keys the verdicts use, with their
        try:                                       # expected values computed once, here, not per worker
            for name in check.load_checks(module):
                check.run_check(module, name, None)
        except ImportError:
            pass
    api = nbgrader_api(root, configure)
    with gradebook(root):
        pass  # fills the schema-version cache (see coursekit.nbgrader_env.cache_gradebook_schema_version)
    return api


def remove_partial(root: Path, submission: Submission) -> None:
    """Forget a half-finished autograde of one submission (gradebook rows and autograded files)."""
    from nbgrader.api import MissingEntry

    with gradebook(root) as gb:
        try:
            gb.remove_submission(submission.module, submission.learner_id)
        except MissingEntry:
            pass
    partial = root / "autograded" / submission.learner_id / submission.module
    if partial.exists():
        shutil.rmtree(partial, ignore_errors=True)


def graded_submissions(root: Path, learners=None, modules=None) -> list[Submission]:
    """Every ``autograded/<learner>/<module>`` folder, optionally filtered."""
    found = []
    for folder in sorted((root / "autograded").glob("*/*")):
        if folder.is_dir() and (not learners or folder.parent.name in learners) and (not modules or folder.name in modules):
            found.append(Submission(folder.parent.name, folder.name, folder))
    return found


def feedback_one(root: Path, submission: Submission, api=None) -> GradeOutcome:
    """nbgrader feedback (HTML, hidden tests removed: see :mod:`coursekit.sanitize`) for one submission."""
    api = api or nbgrader_api(root)
    with quiet():
        result = api.generate_feedback(submission.module, submission.learner_id, force=True)
    ok = bool(result.get("success"))
    return GradeOutcome(submission.learner_id, submission.module, ok, "" if ok else last_error(result))


def feedback(course_dir, learners=None, modules=None, jobs: int = 1, progress=None) -> list[GradeOutcome]:
    """Generate feedback for every autograded submission, ``jobs`` at a time."""
    root = Course.open(course_dir)
    items = graded_submissions(root, learners, modules)
    api = warm_up(root) if jobs > 1 else nbgrader_api(root)

    def failed(sub, reason):
        return GradeOutcome(sub.learner_id, sub.module, False, reason)

    return run_pool(items, lambda sub: feedback_one(root, sub, api), failed, jobs=jobs,
                    timeout=300 if jobs > 1 else None, progress=progress)
