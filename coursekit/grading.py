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

from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .course import gradebook, last_error, nbgrader_api, quiet, require_course
from .errors import CourseError


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
    """Every ``submitted/<learner>/<module>`` folder, optionally filtered."""
    root = require_course(course_dir)
    found = []
    submitted = root / "submitted"
    if not submitted.is_dir():
        return found
    for learner_dir in sorted(p for p in submitted.iterdir() if p.is_dir()):
        if learners and learner_dir.name not in learners:
            continue
        for module_dir in sorted(p for p in learner_dir.iterdir() if p.is_dir()):
            if modules and module_dir.name not in modules:
                continue
            found.append(Submission(learner_dir.name, module_dir.name, module_dir))
    return found


def integrity_check(root: Path, submission: Submission) -> list[str]:
    """Grade ids of locked cells (tests, read-only text) the learner changed, per the gradebook checksums."""
    from nbgrader.api import MissingEntry
    from nbgrader.utils import compute_checksum

    changed = []
    with gradebook(root) as gb:
        try:
            assignment = gb.find_assignment(submission.module)
        except MissingEntry:
            raise CourseError(f"module {submission.module}: not built in this course; run 'coursekit build' first") from None
        for notebook in assignment.notebooks:
            path = submission.path / f"{notebook.name}.ipynb"
            if not path.exists():
                continue
            try:
                nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
            except Exception:
                continue  # unreadable: autograde reports it
            sources = {c.name: c for c in notebook.source_cells}
            seen = set()
            for cell in nb.cells:
                grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                source = sources.get(grade_id)
                if source is None or not source.locked:
                    continue
                seen.add(grade_id)
                try:
                    same = compute_checksum(cell) == source.checksum
                except (KeyError, AttributeError, TypeError):  # nbgrader metadata edited away
                    same = False
                if not same:
                    changed.append(grade_id)
            changed.extend(sorted(g for g, s in sources.items() if s.locked and g not in seen))
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
    api = api or nbgrader_api(root)
    try:
        tampered = integrity_check(root, submission)
    except CourseError as exc:
        return GradeOutcome(submission.learner_id, submission.module, False, str(exc))
    with quiet():
        result = api.autograde(submission.module, submission.learner_id, force=force, create=True)
    if not result.get("success"):
        return GradeOutcome(submission.learner_id, submission.module, False, last_error(result), tampered)
    if tampered:
        flag_tampered(root, submission)
    return GradeOutcome(submission.learner_id, submission.module, True, "", tampered)


def autograde(course_dir, learners=None, modules=None, force: bool = True, progress=None) -> list[GradeOutcome]:
    """Autograde every submission in ``DIR/submitted`` (sequentially, one nbgrader run each)."""
    root = require_course(course_dir)
    api = nbgrader_api(root)
    outcomes = []
    for submission in find_submissions(root, learners, modules):
        outcomes.append(autograde_one(root, submission, api, force))
        if progress:
            progress(submission)
    return outcomes


def feedback(course_dir, learners=None, modules=None, progress=None) -> list[GradeOutcome]:
    """Generate nbgrader feedback (HTML) for every autograded submission."""
    root = require_course(course_dir)
    api = nbgrader_api(root)
    outcomes = []
    autograded = root / "autograded"
    for learner_dir in sorted(p for p in autograded.glob("*") if p.is_dir()):
        if learners and learner_dir.name not in learners:
            continue
        for module_dir in sorted(p for p in learner_dir.iterdir() if p.is_dir()):
            if modules and module_dir.name not in modules:
                continue
            with quiet():
                result = api.generate_feedback(module_dir.name, learner_dir.name, force=True)
            ok = bool(result.get("success"))
            outcomes.append(GradeOutcome(learner_dir.name, module_dir.name, ok, "" if ok else last_error(result)))
            if progress:
                progress(module_dir)
    return outcomes
