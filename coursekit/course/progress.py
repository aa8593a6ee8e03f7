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

from coursekit.errors import one_line, redact
from coursekit.course.nbgrader_env import configured_db_url, require_course
from coursekit.errors import CourseError

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


#: The three queries, in plain SQL over nbgrader 0.9's tables (plain SQL keeps ``coursekit report``
#: from importing nbgrader, which alone takes ~3 s).  Scores: manual score if a person gave one,
#: else the automatic one, plus extra credit; ``max_score`` sums the module's grade cells.
MODULES_SQL = """
SELECT a.name AS module, a.duedate AS due, COALESCE(SUM(gc.max_score), 0.0) AS max_score
FROM assignment a
LEFT JOIN notebook n ON n.assignment_id = a.id
LEFT JOIN base_cell bc ON bc.notebook_id = n.id
LEFT JOIN grade_cells gc ON gc.id = bc.id
GROUP BY a.id, a.name, a.duedate
"""
LEARNERS_SQL = "SELECT id AS learner_id, first_name, last_name FROM student"
GRADED_SQL = """
SELECT s.id AS learner_id, a.name AS module, sa.timestamp AS submitted_at,
       COALESCE(SUM(COALESCE(g.manual_score, g.auto_score, 0.0) + COALESCE(g.extra_credit, 0.0)), 0.0) AS score,
       COALESCE(MAX(CASE WHEN g.needs_manual_grade THEN 1 ELSE 0 END), 0) AS needs_manual_grading,
       COALESCE(MAX(CASE WHEN sn.flagged THEN 1 ELSE 0 END), 0) AS tampered
FROM submitted_assignment sa
JOIN student s ON sa.student_id = s.id
JOIN assignment a ON sa.assignment_id = a.id
LEFT JOIN submitted_notebook sn ON sn.assignment_id = sa.id
LEFT JOIN grade g ON g.notebook_id = sn.id
GROUP BY sa.id, s.id, a.name, sa.timestamp
"""


def read_gradebook(db_url: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Three tables from the gradebook: modules, learners, graded submissions (3 queries)."""
    from sqlalchemy import text

    engine = _engine(db_url)
    try:
        with engine.connect() as conn:
            def frame(sql, columns):
                return pd.DataFrame.from_records(list(map(tuple, conn.execute(text(sql)))), columns=columns)

            modules = frame(MODULES_SQL, ["module", "due", "max_score"])
            learners = frame(LEARNERS_SQL, ["learner_id", "first_name", "last_name"])
            graded = frame(GRADED_SQL, ["learner_id", "module", "submitted_at", "score",
                                        "needs_manual_grading", "tampered"])
    except Exception as exc:
        raise CourseError(f"gradebook {redact(db_url)} cannot be read: {one_line(exc)}") from None
    finally:
        engine.dispose()
    for col in ("due", "submitted_at"):  # SQLite returns text, PostgreSQL datetimes
        target = modules if col == "due" else graded
        target[col] = pd.to_datetime(target[col], errors="coerce")
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
    source_modules, submitted, failures, unfenced = [], set(), {}, set()
    if course_dir is not None:
        from coursekit.course.grading import read_failures, read_unfenced

        root = require_course(course_dir)
        db_url = db_url or configured_db_url(root)
        source_modules, submitted = _course_folders(root)
        failures = read_failures(root)
        unfenced = read_unfenced(root)
    modules, learners, graded = read_gradebook(db_url)
    now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)

    released = set(modules["module"])
    all_modules = sorted(released | set(source_modules))
    learner_ids = sorted(set(learners["learner_id"]) | {ln for ln, _ in submitted})
    grid = pd.MultiIndex.from_product([learner_ids, all_modules], names=["learner_id", "module"]).to_frame(index=False)
    table = grid.merge(modules, on="module", how="left").merge(graded, on=["learner_id", "module"], how="left")
    names = learners.set_index("learner_id")
    full = (names["first_name"].fillna("") + " " + names["last_name"].fillna("")).str.strip()
    table["name"] = table["learner_id"].map(full).fillna("")

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
    no_fence = pd.Series([(ln, m) in unfenced for ln, m in zip(table["learner_id"], table["module"])],
                         index=table.index, dtype=bool) & is_graded
    table.loc[no_fence, "reason"] = UNFENCED_REASON
    status[is_graded] = "autograded"
    status[is_graded & table["late"]] = "late"
    status[is_graded & table["needs_manual_grading"]] = "needs manual grading"
    status[is_graded & table["tampered"]] = "tampered"
    table["status"] = status
    table["percent"] = (100 * table["score"] / table["max_score"].where(table["max_score"] > 0)).round(1)
    out = table[COLUMNS + ["name"]].sort_values(["learner_id", "module"], ignore_index=True)
    out.attrs["now"] = now
    return out


#: the reason shown for a grade made with ``--no-fence``
UNFENCED_REASON = "graded without the grading fence (--no-fence): the learner's code was not contained"

ROSTER_COLUMNS = ["learner_id", "name", "team", "supervisor", "start_date"]


def read_roster(path, modules: list[str] | None = None) -> pd.DataFrame:
    """Read a roster CSV: ``learner_id, name, team, supervisor, start_date`` (one row per learner).

    An optional ``modules`` column lists the modules assigned to the learner (separated by ``;`` or
    spaces; blank = all).  Bad rows give a one-line :class:`CourseError` naming the file, the line
    and the column: a missing column, a blank or duplicated learner id, a date that is not a date,
    a module the course does not have (checked against ``modules`` when given).
    """
    path = Path(path)
    if not path.exists():
        raise CourseError(f"{path}: roster file not found")
    try:
        roster = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise CourseError(f"{path}: not a readable CSV roster ({one_line(exc)})") from None
    roster.columns = [c.strip().lower().replace(" ", "_") for c in roster.columns]
    missing = [c for c in ROSTER_COLUMNS if c not in roster.columns]
    if missing:
        raise CourseError(f"{path}: roster has no column {missing[0]!r} (found: {', '.join(roster.columns)}); "
                          f"expected {', '.join(ROSTER_COLUMNS)}")
    roster = roster.apply(lambda col: col.str.strip())
    for i, row in enumerate(roster.itertuples(index=False), start=2):
        if not row.learner_id:
            raise CourseError(f"{path}: line {i}: column 'learner_id' is blank")
    dup = roster["learner_id"].duplicated()
    if dup.any():
        i = int(dup.idxmax()) + 2
        raise CourseError(f"{path}: line {i}: learner_id {roster.loc[dup.idxmax(), 'learner_id']!r} appears twice")
    dates = pd.to_datetime(roster["start_date"], errors="coerce", format="mixed")
    bad = dates.isna() & (roster["start_date"] != "")
    if bad.any():
        i = int(bad.idxmax())
        raise CourseError(f"{path}: line {i + 2}: column 'start_date' has {roster.loc[i, 'start_date']!r}, "
                          "not a date (use YYYY-MM-DD)")
    roster["start_date"] = dates
    if "modules" in roster.columns and modules is not None:
        for i, cell in roster["modules"].items():
            for module in cell.replace(";", " ").split():
                if module not in modules:
                    raise CourseError(f"{path}: line {i + 2}: unknown module {module!r} for learner "
                                      f"{roster.loc[i, 'learner_id']}; the course has {', '.join(modules)}")
    return roster


def find_roster(course_dir, given=None):
    """The roster to use: ``given``, else ``COURSE/roster.csv`` when there is one, else ``None``."""
    if given:
        return Path(given)
    default = Path(course_dir) / "roster.csv"
    return default if default.exists() else None


def with_roster(table: pd.DataFrame, roster: pd.DataFrame | None, now: dt.datetime | None = None) -> pd.DataFrame:
    """Add name, team and supervisor to the completion table; learners in the roster with no work yet
    get rows too (overdue as of ``now``: by default the moment the table was made, see
    :func:`completion`), and modules not assigned to a learner (roster ``modules`` column) are dropped."""
    if roster is None:
        out = table.copy()
        for col in ("name", "team", "supervisor"):
            out[col] = out[col].fillna("") if col in out else ""
        return out
    modules = sorted(table["module"].unique())
    people = roster.set_index("learner_id")
    missing = sorted(set(people.index) - set(table["learner_id"]))
    if missing and modules:
        meta = table.drop_duplicates("module").set_index("module")
        extra = pd.MultiIndex.from_product([missing, modules], names=["learner_id", "module"]).to_frame(index=False)
        extra = extra.join(meta[["max_score", "due"]], on="module")
        extra["status"] = "not submitted"
        for col, value in (("late", False), ("tampered", False), ("needs_manual_grading", False), ("reason", "")):
            extra[col] = value
        now = now or table.attrs.get("now") or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        extra["overdue"] = pd.to_datetime(extra["due"]) < now
        table = pd.concat([table, extra], ignore_index=True)
    out = table.drop(columns=[c for c in ("name", "team", "supervisor") if c in table]).join(
        people[["name", "team", "supervisor"]], on="learner_id")
    if "name" in table:
        out["name"] = out["name"].fillna(table["name"])
    out[["name", "team", "supervisor"]] = out[["name", "team", "supervisor"]].fillna("")
    if "modules" in people.columns:
        assigned = people["modules"].str.replace(";", " ").str.split()
        keep = [not isinstance(assigned.get(ln), list) or not assigned.get(ln) or m in assigned.get(ln)
                for ln, m in zip(out["learner_id"], out["module"])]
        out = out[keep]
    return out.sort_values(["learner_id", "module"], ignore_index=True)


def follow_up(table: pd.DataFrame, pass_percent: float = 60.0) -> pd.DataFrame:
    """Who needs a supervisor's follow-up, and why: one row per learner with every reason.

    Reasons: a module overdue; grading failed; tests edited (tampered); a score below
    ``pass_percent`` percent; two or more late modules.
    """
    reasons: dict[str, list[str]] = {}
    for row in table.itertuples(index=False):
        why = []
        if row.overdue:
            why.append(f"{row.module} overdue")
        if row.status == "grading failed":
            why.append(f"{row.module} could not be graded")
        if row.tampered:
            why.append(f"{row.module} tests edited")
        if pd.notna(row.percent) and row.percent < pass_percent:
            why.append(f"{row.module} scored {row.percent:g}%")
        if why:
            reasons.setdefault(row.learner_id, []).extend(why)
    late = table[table["late"]].groupby("learner_id")["module"].count()
    for learner, n in late[late >= 2].items():
        reasons.setdefault(learner, []).append(f"{n} modules late")
    people = table.drop_duplicates("learner_id").set_index("learner_id")
    rows = [{"learner_id": ln, **{c: people.loc[ln, c] for c in ("name", "team", "supervisor") if c in people},
             "reasons": "; ".join(why)} for ln, why in sorted(reasons.items())]
    return pd.DataFrame(rows, columns=["learner_id", "name", "team", "supervisor", "reasons"])


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per module: learners, how many in each status, mean percent of the graded."""
    counts = pd.crosstab(table["module"], table["status"]).reindex(columns=STATUSES, fill_value=0)
    counts.insert(0, "learners", table.groupby("module")["learner_id"].nunique())
    counts["mean_percent"] = table.groupby("module")["percent"].mean().round(1)
    return counts.reset_index()
