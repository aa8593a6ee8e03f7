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
import sys
from pathlib import Path

import numpy as np
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

    try:
        engine = create_engine(db_url)
        tables = set(inspect(engine).get_table_names())
    except Exception as exc:
        raise CourseError(f"gradebook {redact(db_url)} cannot be read: {one_line(exc)}") from None
    _check_tables(db_url, tables)
    return engine


def _check_tables(db_url: str, tables: set[str]) -> None:
    missing = {"assignment", "student", "submitted_assignment", "grade"} - tables
    if missing:
        raise CourseError(f"gradebook {redact(db_url)} is not an nbgrader gradebook (no table {sorted(missing)[0]!r})")


def _sqlite_path(db_url: str) -> Path | None:
    """The file of a ``sqlite:///FILE`` URL (None for other databases)."""
    if not db_url.startswith("sqlite:///"):
        return None
    path = Path(db_url[len("sqlite:///"):].split("?", 1)[0])
    if not path.exists():
        raise CourseError(f"gradebook {path} not found; build the course first ('coursekit build')")
    return path


def _connect_sqlite(path: Path):
    """A read-only connection to a SQLite gradebook (Python's own sqlite3: no SQLAlchemy to import)."""
    import sqlite3

    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def run_queries(db_url: str, queries: list[str]) -> list[list[tuple]]:
    """The rows of each SQL query on the gradebook at ``db_url`` (SQLite read directly, other
    databases through SQLAlchemy); a gradebook that cannot be read is a one-line :class:`CourseError`."""
    path = _sqlite_path(db_url)
    if path is not None:
        conn = _connect_sqlite(path)
        try:
            _check_tables(db_url, {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")})
            return [conn.execute(sql).fetchall() for sql in queries]
        except CourseError:
            raise
        except Exception as exc:
            raise CourseError(f"gradebook {redact(db_url)} cannot be read: {one_line(exc)}") from None
        finally:
            conn.close()
    from sqlalchemy import text

    engine = _engine(db_url)
    try:
        with engine.connect() as conn:
            return [list(map(tuple, conn.execute(text(sql)))) for sql in queries]
    except Exception as exc:
        raise CourseError(f"gradebook {redact(db_url)} cannot be read: {one_line(exc)}") from None
    finally:
        engine.dispose()


#: The queries, in plain SQL over nbgrader 0.9's tables (plain SQL keeps ``coursekit report`` from
#: importing nbgrader, which alone takes ~3 s).  Scores: manual score if a person gave one, else the
#: automatic one, plus extra credit; ``max_score`` sums the module's grade cells.  Each query reads
#: one table in full and looks the others up by primary key (no join on a column without an index:
#: nbgrader's ``grade`` table has none on ``notebook_id``, and joining through it made SQLite build
#: a temporary index for every report, the slowest part at 10,000 learners).
MODULES_SQL = """
SELECT a.name AS module, a.duedate AS due, COALESCE(SUM(gc.max_score), 0.0) AS max_score
FROM assignment a
LEFT JOIN notebook n ON n.assignment_id = a.id
LEFT JOIN base_cell bc ON bc.notebook_id = n.id
LEFT JOIN grade_cells gc ON gc.id = bc.id
GROUP BY a.id, a.name, a.duedate
"""
LEARNERS_SQL = "SELECT id AS learner_id, first_name, last_name FROM student"
SUBMISSIONS_SQL = """
SELECT sa.id AS submission, sa.student_id AS learner_id, a.name AS module, sa.timestamp AS submitted_at
FROM submitted_assignment sa
JOIN assignment a ON sa.assignment_id = a.id
"""
NOTEBOOKS_SQL = "SELECT id AS notebook, assignment_id AS submission, flagged AS tampered FROM submitted_notebook"
GRADES_SQL = """
SELECT notebook_id AS notebook,
       SUM(COALESCE(manual_score, auto_score, 0.0) + COALESCE(extra_credit, 0.0)) AS score,
       MAX(CASE WHEN needs_manual_grade THEN 1 ELSE 0 END) AS needs_manual_grading
FROM grade
GROUP BY notebook_id
"""


def read_gradebook(db_url: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Three tables from the gradebook: modules, learners, graded submissions (5 queries)."""
    rows = run_queries(db_url, [MODULES_SQL, LEARNERS_SQL, SUBMISSIONS_SQL, NOTEBOOKS_SQL, GRADES_SQL])
    modules = pd.DataFrame.from_records(rows[0], columns=["module", "due", "max_score"])
    learners = pd.DataFrame.from_records(rows[1], columns=["learner_id", "first_name", "last_name"])
    subs = pd.DataFrame.from_records(rows[2], columns=["submission", "learner_id", "module", "submitted_at"])
    notebooks = pd.DataFrame.from_records(rows[3], columns=["notebook", "submission", "tampered"])
    grades = pd.DataFrame.from_records(rows[4], columns=["notebook", "score", "needs_manual_grading"])
    notebooks = notebooks.join(grades.set_index("notebook"), on="notebook")
    notebooks["tampered"] = notebooks["tampered"].fillna(False).astype(int)
    scores = notebooks.groupby("submission", sort=False).agg(
        {"score": "sum", "needs_manual_grading": "max", "tampered": "max"})
    graded = subs.join(scores, on="submission")
    graded["score"] = graded["score"].fillna(0.0)
    graded[["needs_manual_grading", "tampered"]] = graded[["needs_manual_grading", "tampered"]].fillna(0).astype(int)
    graded = graded.drop(columns="submission")
    for col in ("due", "submitted_at"):  # SQLite returns text, PostgreSQL datetimes
        target = modules if col == "due" else graded
        target[col] = pd.to_datetime(target[col], errors="coerce", format="ISO8601")
    return modules, learners, graded


def _course_folders(root: Path) -> tuple[list[str], set[tuple[str, str]]]:
    """Modules in ``source/`` and (learner, module) pairs in ``submitted/``."""
    source = sorted(p.name for p in (root / "source").glob("*") if p.is_dir())
    submitted = {(m.parent.name, m.name) for m in (root / "submitted").glob("*/*") if not m.name.startswith(".")}
    return source, submitted


def gradebook_url(root: Path) -> str:
    """The gradebook URL of a course root, read from its ``nbgrader_config.py`` without building the
    grading pipeline the file asks for (that imports nbconvert and nbgrader, ~3 s, and a report
    needs only the URL)."""
    import types

    from coursekit.course.nbgrader_env import CONFIG_NAME, Course, load_config

    if not (Path(root) / CONFIG_NAME).exists():
        return configured_db_url(root)
    stub = types.ModuleType("coursekit.pipeline")
    stub.configure = lambda c, *args, **kwargs: None
    names = ("coursekit.pipeline", "coursekit.course.pipeline")
    saved = {name: sys.modules.get(name) for name in names}
    sys.modules.update(dict.fromkeys(names, stub))
    try:
        return Course(Path(root), load_config(Path(root))).db_url
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def _pairs(table: pd.DataFrame) -> pd.Series:
    """``learner/module`` keys of the rows (the form the course's JSON files use)."""
    return table["learner_id"].astype(str) + "/" + table["module"].astype(str)


def _grid(learner_ids: list[str], all_modules: list[str], modules: pd.DataFrame, graded: pd.DataFrame) -> pd.DataFrame:
    """Every learner × module (learner-major, both sorted) with the module's due date and points and
    the graded submission's columns where there is one.  Rows are placed by position
    (learner number × modules + module number), not by joining on the text ids: the same table as
    two merges, in a fraction of the time at 10,000 learners."""
    n_modules = len(all_modules)
    table = pd.DataFrame({"learner_id": np.repeat(np.array(learner_ids, dtype=object), n_modules),
                          "module": np.tile(np.array(all_modules, dtype=object), len(learner_ids))})
    meta = modules.drop_duplicates("module").set_index("module").reindex(all_modules)
    table["due"] = np.tile(meta["due"].to_numpy(), len(learner_ids))
    table["max_score"] = np.tile(meta["max_score"].to_numpy(dtype=float), len(learner_ids))
    learner = pd.Index(learner_ids).get_indexer(graded["learner_id"])
    module = pd.Index(all_modules).get_indexer(graded["module"])
    at = learner * n_modules + module
    for col, empty in (("submitted_at", pd.NaT), ("score", np.nan), ("needs_manual_grading", np.nan),
                       ("tampered", np.nan)):
        values = pd.Series(empty, index=table.index, dtype="datetime64[us]" if col == "submitted_at" else float)
        if len(at):
            values.iloc[at] = graded[col].to_numpy(dtype=values.dtype)
        table[col] = values
    return table


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
        db_url = db_url or gradebook_url(root)
        source_modules, submitted = _course_folders(root)
        failures = read_failures(root)
        unfenced = read_unfenced(root)
    modules, learners, graded = read_gradebook(db_url)
    now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)

    released = set(modules["module"])
    all_modules = sorted(released | set(source_modules))
    learner_ids = sorted(set(learners["learner_id"]) | {ln for ln, _ in submitted})
    table = _grid(learner_ids, all_modules, modules, graded)
    names = learners.set_index("learner_id")
    full = (names["first_name"].fillna("") + " " + names["last_name"].fillna("")).str.strip()
    table["name"] = np.repeat(full.reindex(learner_ids).fillna("").to_numpy(dtype=object), len(all_modules))

    is_graded = table["score"].notna()
    table["max_score"] = table["max_score"].astype(float)
    table["needs_manual_grading"] = table["needs_manual_grading"].fillna(0).astype(bool)
    table["tampered"] = table["tampered"].fillna(0).astype(bool)
    due = pd.to_datetime(table["due"])
    at = pd.to_datetime(table["submitted_at"])
    table["late"] = (is_graded & due.notna() & (at > due)).astype(bool)
    keys = _pairs(table)
    in_folder = keys.isin({f"{ln}/{m}" for ln, m in submitted})
    is_released = table["module"].isin(released)
    table["overdue"] = (is_released & ~is_graded & ~in_folder & due.notna() & (due < now)).astype(bool)

    status = pd.Series("not submitted", index=table.index, dtype=object)
    status[~is_released] = "not released"
    status[in_folder & ~is_graded] = "submitted"
    failed = {f"{ln}/{m}": why for (ln, m), why in failures.items()}
    reasons = (keys.map(failed).astype(object).fillna("") if failed
               else pd.Series("", index=table.index, dtype=object))
    status[in_folder & ~is_graded & (reasons != "")] = "grading failed"
    table["reason"] = reasons.where(in_folder & ~is_graded, "")
    no_fence = keys.isin({f"{ln}/{m}" for ln, m in unfenced}) & is_graded
    table.loc[no_fence, "reason"] = UNFENCED_REASON
    status[is_graded] = "autograded"
    status[is_graded & table["late"]] = "late"
    status[is_graded & table["needs_manual_grading"]] = "needs manual grading"
    status[is_graded & table["tampered"]] = "tampered"
    table["status"] = status
    table["percent"] = (100 * table["score"] / table["max_score"].where(table["max_score"] > 0)).round(1)
    out = table[COLUMNS + ["name"]]  # already in learner, module order (the grid's)
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


def follow_up(table: pd.DataFrame, pass_percent: float | None = None) -> pd.DataFrame:
    """Who needs a supervisor's follow-up, and why: one row per learner with every reason.

    Reasons: a module overdue; grading failed; tests edited (tampered); a score below the pass
    mark (``pass_percent`` percent for every module, by default each module's own,
    :func:`coursekit.modules.pass_percent`); two or more late modules.
    """
    from coursekit.course.modules import pass_percent as module_pass

    t = table.reset_index(drop=True)
    marks = (pd.Series(pass_percent, index=t.index) if pass_percent is not None
             else t["module"].map({m: module_pass(m) for m in t["module"].unique()}))
    low = t["percent"].notna() & (t["percent"] < marks)
    def reason(mask, words: str, kind: int) -> pd.DataFrame:
        return pd.DataFrame({"learner_id": t.loc[mask, "learner_id"], "text": t.loc[mask, "module"] + words, "kind": kind})

    parts = [reason(t["overdue"].astype(bool), " overdue", 0), reason(t["status"] == "grading failed", " could not be graded", 1),
             reason(t["tampered"].astype(bool), " tests edited", 2),
             t.loc[low, ["learner_id"]].assign(text=[f"{m} scored {p:g}%" for m, p in zip(t.loc[low, "module"].tolist(),
                                                                                        t.loc[low, "percent"].tolist())], kind=3)]
    late = t[t["late"].astype(bool)].groupby("learner_id")["module"].count()
    late = late[late >= 2]
    parts.append(pd.DataFrame({"learner_id": late.index, "text": [f"{n} modules late" for n in late],
                               "kind": 4}, index=np.full(len(late), len(t))))
    why = pd.concat(parts).rename_axis("row").reset_index().sort_values(["learner_id", "row", "kind"], kind="stable")
    if why.empty:
        return pd.DataFrame(columns=["learner_id", "name", "team", "supervisor", "reasons"])
    by_learner: dict[str, list[str]] = {}
    for learner, text in zip(why["learner_id"].tolist(), why["text"].tolist()):
        by_learner.setdefault(learner, []).append(text)
    reasons = pd.Series({ln: "; ".join(texts) for ln, texts in by_learner.items()}, dtype=object)
    people = t.drop_duplicates("learner_id").set_index("learner_id").reindex(reasons.index)
    out = pd.DataFrame({"learner_id": reasons.index})
    for col in ("name", "team", "supervisor"):
        if col in people:
            out[col] = people[col].to_numpy()
    out["reasons"] = reasons.to_numpy()
    return out.reindex(columns=["learner_id", "name", "team", "supervisor", "reasons"])


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per module: learners, how many in each status, mean percent of the graded."""
    counts = pd.crosstab(table["module"], table["status"]).reindex(columns=STATUSES, fill_value=0)
    counts.insert(0, "learners", table.groupby("module")["learner_id"].nunique())
    counts["mean_percent"] = table.groupby("module")["percent"].mean().round(1)
    return counts.reset_index()
