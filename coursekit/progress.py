"""Who finished what: a learner × module completion table read from the nbgrader gradebook.

:func:`completion` reads the gradebook in three aggregate queries (modules with their due date and
maximum score, learners, and every graded submission with its total), however many learners and
modules there are, and combines them with the course folder (modules built but not yet graded,
work submitted but not yet autograded).

Status of a learner's module, most urgent first:

==================== ===================================================================
``tampered``          autograded, but locked cells (tests) had been edited; nbgrader restored
                      them and graded the original tests (see :mod:`coursekit.grading`)
``needs manual grading`` autograded, with written answers waiting for a person
``late``              autograded, submitted after the module's due date
``autograded``        graded, on time
``grading failed``    in ``submitted/``, but autograding failed (``reason`` says why: not a notebook,
                      renamed, too slow...)
``submitted``         in ``submitted/`` but not autograded yet
``not submitted``     released, nothing handed in (``overdue`` is True once the due date passed)
``not released``      the module is in the course but its learner version was not generated
==================== ===================================================================

Scores are points (nbgrader's: auto or manual score plus extra credit); ``max_score`` is the
module's total points; ``percent`` = 100 × score ÷ max_score.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from .course import configured_db_url, one_line, redact, require_course
from .errors import CourseError

STATUSES = ["tampered", "needs manual grading", "late", "autograded", "grading failed", "submitted",
            "not submitted", "not released"]
COLUMNS = ["learner_id", "module", "status", "score", "max_score", "percent", "due", "submitted_at",
           "late", "overdue", "tampered", "needs_manual_grading", "reason"]


def _engine(db_url: str):
    from sqlalchemy import create_engine, inspect

    if db_url.startswith("sqlite:///"):
        path = Path(db_url[len("sqlite:///"):])
        if not path.exists():
            raise CourseError(f"gradebook {path} not found; build the course first ('coursekit build')")
    try:
        engine = create_engine(db_url)
        tables = set(inspect(engine).get_table_names())
    except Exception as exc:
        raise CourseError(f"gradebook {redact(db_url)} cannot be read: {one_line(exc)}") from None
    missing = {"assignment", "student", "submitted_assignment", "grade"} - tables
    if missing:
        raise CourseError(f"gradebook {redact(db_url)} is not an nbgrader gradebook (no table {sorted(missing)[0]!r})")
    return engine


def read_gradebook(db_url: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Three tables from the gradebook: modules, learners, graded submissions (3 queries)."""
    from nbgrader.api import (Assignment, Grade, GradeCell, Notebook, Student, SubmittedAssignment,
                              SubmittedNotebook)
    from sqlalchemy import Integer, cast, func, select

    engine = _engine(db_url)
    points = func.coalesce(Grade.manual_score, Grade.auto_score, 0.0) + func.coalesce(Grade.extra_credit, 0.0)
    modules_q = (
        select(Assignment.name.label("module"), Assignment.duedate.label("due"),
               func.coalesce(func.sum(GradeCell.max_score), 0.0).label("max_score"))
        .select_from(Assignment)
        .outerjoin(Notebook, Notebook.assignment_id == Assignment.id)
        .outerjoin(GradeCell, GradeCell.notebook_id == Notebook.id)
        .group_by(Assignment.id, Assignment.name, Assignment.duedate)
    )
    learners_q = select(Student.id.label("learner_id"), Student.first_name, Student.last_name)
    graded_q = (
        select(Student.id.label("learner_id"), Assignment.name.label("module"),
               SubmittedAssignment.timestamp.label("submitted_at"),
               func.coalesce(func.sum(points), 0.0).label("score"),
               func.coalesce(func.max(cast(Grade.needs_manual_grade, Integer)), 0).label("needs_manual_grading"),
               func.coalesce(func.max(cast(SubmittedNotebook.flagged, Integer)), 0).label("tampered"))
        .select_from(SubmittedAssignment)
        .join(Student, SubmittedAssignment.student_id == Student.id)
        .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
        .outerjoin(SubmittedNotebook, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
        .outerjoin(Grade, Grade.notebook_id == SubmittedNotebook.id)
        .group_by(SubmittedAssignment.id, Student.id, Assignment.name, SubmittedAssignment.timestamp)
    )
    try:
        with engine.connect() as conn:
            modules = pd.DataFrame(conn.execute(modules_q).mappings().all(), columns=["module", "due", "max_score"])
            learners = pd.DataFrame(conn.execute(learners_q).mappings().all(),
                                    columns=["learner_id", "first_name", "last_name"])
            graded = pd.DataFrame(conn.execute(graded_q).mappings().all(),
                                  columns=["learner_id", "module", "submitted_at", "score",
                                           "needs_manual_grading", "tampered"])
    except Exception as exc:
        raise CourseError(f"gradebook {redact(db_url)} cannot be read: {one_line(exc)}") from None
    finally:
        engine.dispose()
    return modules, learners, graded


def _course_folders(root: Path) -> tuple[list[str], set[tuple[str, str]]]:
    """Modules in ``source/`` and (learner, module) pairs in ``submitted/``."""
    source = sorted(p.name for p in (root / "source").glob("*") if p.is_dir())
    submitted = {(m.parent.name, m.name) for m in (root / "submitted").glob("*/*") if not m.name.startswith(".")}
    return source, submitted


def completion(course_dir=None, db_url: str | None = None, now: dt.datetime | None = None) -> pd.DataFrame:
    """Learner × module status table, one row per learner and module.

    Give a course folder (its gradebook and folders are read) or just a gradebook ``db_url``
    (then ``submitted`` and ``not released`` cannot be seen).  ``now`` (naive UTC) decides what
    is overdue; it defaults to the current time.
    """
    if course_dir is None and db_url is None:
        raise CourseError("give a course folder or a gradebook URL")
    source_modules, submitted, failures = [], set(), {}
    if course_dir is not None:
        from .grading import read_failures

        root = require_course(course_dir)
        db_url = db_url or configured_db_url(root)
        source_modules, submitted = _course_folders(root)
        failures = read_failures(root)
    modules, learners, graded = read_gradebook(db_url)
    now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)

    released = set(modules["module"])
    all_modules = sorted(released | set(source_modules))
    learner_ids = sorted(set(learners["learner_id"]) | {ln for ln, _ in submitted})
    grid = pd.MultiIndex.from_product([learner_ids, all_modules], names=["learner_id", "module"]).to_frame(index=False)
    table = grid.merge(modules, on="module", how="left").merge(graded, on=["learner_id", "module"], how="left")

    is_graded = table["score"].notna()
    table["max_score"] = table["max_score"].astype(float)
    table["needs_manual_grading"] = table["needs_manual_grading"].fillna(0).astype(bool)
    table["tampered"] = table["tampered"].fillna(0).astype(bool)
    due = pd.to_datetime(table["due"])
    at = pd.to_datetime(table["submitted_at"])
    table["late"] = (is_graded & due.notna() & (at > due)).astype(bool)
    in_folder = pd.Series([(ln, m) in submitted for ln, m in zip(table["learner_id"], table["module"])],
                          index=table.index, dtype=bool)
    is_released = table["module"].isin(released)
    table["overdue"] = (is_released & ~is_graded & ~in_folder & due.notna() & (due < now)).astype(bool)

    status = pd.Series("not submitted", index=table.index, dtype=object)
    status[~is_released] = "not released"
    status[in_folder & ~is_graded] = "submitted"
    reasons = pd.Series([failures.get((ln, m), "") for ln, m in zip(table["learner_id"], table["module"])],
                        index=table.index, dtype=object)
    status[in_folder & ~is_graded & (reasons != "")] = "grading failed"
    table["reason"] = reasons.where(in_folder & ~is_graded, "")
    status[is_graded] = "autograded"
    status[is_graded & table["late"]] = "late"
    status[is_graded & table["needs_manual_grading"]] = "needs manual grading"
    status[is_graded & table["tampered"]] = "tampered"
    table["status"] = status
    table["percent"] = (100 * table["score"] / table["max_score"].where(table["max_score"] > 0)).round(1)
    return table[COLUMNS].sort_values(["learner_id", "module"], ignore_index=True)


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per module: learners, how many in each status, mean percent of the graded."""
    counts = pd.crosstab(table["module"], table["status"]).reindex(columns=STATUSES, fill_value=0)
    counts.insert(0, "learners", table.groupby("module")["learner_id"].nunique())
    counts["mean_percent"] = table.groupby("module")["percent"].mean().round(1)
    return counts.reset_index()
