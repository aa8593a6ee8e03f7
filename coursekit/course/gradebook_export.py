"""The course's grades as the gradebook files learning platforms import: Moodle's grade import CSV,
Canvas's gradebook import CSV, or a plain learner × module CSV.

One row per learner of the roster, one column per module with the points scored (blank while not
graded: both platforms leave a blank cell's grade as it is).  Learners are named by the roster's
ids, so every learner with a grade must be in the roster: one who is not is a one-line error.

- **moodle** (Grades → Import → CSV file): an identifier column, which the import maps to a user
  field (``ID number`` ← ``learner_id`` by default, ``Email address`` ← ``email``, ``Username`` ←
  ``username`` or ``learner_id``), ``First name``, ``Last name``, then one column per grade item
  named by the module id (map each to the module's grade item, or "new grade item"; Moodle's grade
  item keeps its own maximum, the module's points).
- **canvas** (Grades → Import): ``Student`` (``Last, First``), ``ID`` (the roster's ``canvas_id``
  if any), ``SIS User ID`` (``learner_id``), ``SIS Login ID`` (``sis_login_id``, else ``email``),
  ``Section`` (the team), then one column per assignment, ``Name (id)`` when the Canvas assignment
  id is known (``assignment_ids``), ``Name`` alone otherwise (Canvas then creates the assignment);
  the second row, ``Points Possible``, gives each module's points.
- **csv**: ``learner_id, name, team, supervisor``, each module's points, ``total``, ``max_total``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from coursekit.errors import CourseError
from coursekit.files import write_text

FORMATS = ("moodle", "canvas", "csv")
MOODLE_ID_COLUMNS = {"idnumber": "ID number", "email": "Email address", "username": "Username"}
CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def _split_name(name: str) -> tuple[str, str]:
    """``"Ana Maria Li"`` -> (``"Ana Maria"``, ``"Li"``): the last word is the last name."""
    parts = str(name).split()
    return (" ".join(parts[:-1]), parts[-1]) if len(parts) > 1 else (str(name).strip(), "")


def points_grid(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Learner × module points (NaN while not graded) and each module's points possible."""
    modules = sorted(table["module"].unique())
    grid = table.pivot(index="learner_id", columns="module", values="score").reindex(columns=modules)
    possible = table.groupby("module")["max_score"].max().reindex(modules)
    return grid, possible


def check_roster(table: pd.DataFrame, roster: pd.DataFrame | None, roster_path) -> None:
    """Every learner with a grade is in the roster, or a one-line :class:`CourseError` names the first who is not."""
    if roster is None:
        raise CourseError("an LMS gradebook names learners by the roster's ids: give --roster FILE "
                          "(learner_id, name, team, supervisor, start_date) or put roster.csv in the course folder")
    graded = set(table.loc[table["score"].notna(), "learner_id"])
    missing = sorted(graded - set(roster["learner_id"]))
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise CourseError(f"learner {missing[0]!r}{more} has grades but is not in the roster {roster_path}; "
                          "add a row for them, or the export would lose their grades")


def _fmt(value) -> str:
    return "" if pd.isna(value) else f"{float(value):g}"


def moodle_rows(table: pd.DataFrame, roster: pd.DataFrame, id_field: str = "idnumber") -> list[list[str]]:
    """Moodle's grade import CSV as rows (header first); ``id_field``: the Moodle user field the
    identifier column maps to (``idnumber``, ``email`` or ``username``)."""
    if id_field not in MOODLE_ID_COLUMNS:
        raise CourseError(f"--id-field {id_field!r}: choose from {', '.join(MOODLE_ID_COLUMNS)}")
    source = {"idnumber": "learner_id", "email": "email", "username": "username"}[id_field]
    if source not in roster.columns:
        if id_field == "username":
            source = "learner_id"
        else:
            raise CourseError(f"--id-field {id_field}: the roster has no column {source!r}")
    grid, _ = points_grid(table)
    people = roster.set_index("learner_id")
    rows = [[MOODLE_ID_COLUMNS[id_field], "First name", "Last name", *grid.columns]]
    for learner in people.index:
        ident = learner if source == "learner_id" else str(people.loc[learner, source]).strip()
        if not ident:
            raise CourseError(f"learner {learner!r} has no {source} in the roster (the Moodle identifier column)")
        first, last = _split_name(people.loc[learner, "name"])
        scores = grid.loc[learner] if learner in grid.index else pd.Series(dtype=float, index=grid.columns)
        rows.append([ident, first, last, *[_fmt(scores.get(m)) for m in grid.columns]])
    return rows


def canvas_rows(table: pd.DataFrame, roster: pd.DataFrame, assignment_ids: dict[str, str] | None = None) -> list[list[str]]:
    """Canvas's gradebook import CSV as rows: the header, the ``Points Possible`` row, one row per learner."""
    grid, possible = points_grid(table)
    ids = assignment_ids or {}
    people = roster.set_index("learner_id")

    def column(col: str) -> pd.Series:
        return people[col].fillna("").astype(str) if col in people.columns else pd.Series("", index=people.index)

    login = column("sis_login_id").where(column("sis_login_id") != "", column("email"))
    rows = [[*CANVAS_COLUMNS, *[f"{m} ({ids[m]})" if m in ids else m for m in grid.columns]],
            ["Points Possible", "", "", "", "", *[_fmt(possible[m]) for m in grid.columns]]]
    for learner in people.index:
        first, last = _split_name(people.loc[learner, "name"])
        scores = grid.loc[learner] if learner in grid.index else pd.Series(dtype=float, index=grid.columns)
        rows.append([f"{last}, {first}" if last else first, column("canvas_id")[learner], learner, login[learner],
                     str(people.loc[learner, "team"]), *[_fmt(scores.get(m)) for m in grid.columns]])
    return rows


def plain_rows(table: pd.DataFrame) -> list[list[str]]:
    """The plain CSV: who, each module's points, the total scored and the most there was to score
    (``max_total``: the points of the modules assigned to the learner)."""
    grid, _ = points_grid(table)
    people = table.drop_duplicates("learner_id").set_index("learner_id")
    total = table.groupby("learner_id")["score"].sum()
    top = table.groupby("learner_id")["max_score"].sum()
    rows = [["learner_id", "name", "team", "supervisor", *grid.columns, "total", "max_total"]]
    for learner in grid.index:
        rows.append([learner, *(str(people.loc[learner, c]) for c in ("name", "team", "supervisor")),
                     *[_fmt(grid.loc[learner, m]) for m in grid.columns], _fmt(total[learner]), _fmt(top[learner])])
    return rows


def to_csv(rows: list[list[str]]) -> str:
    """Rows as CSV text (RFC 4180 quoting, ``\\r\\n`` line ends as both platforms accept)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def export_gradebook(course_dir, fmt: str, roster=None, out=None, id_field: str | None = None,
                     assignment_ids: dict[str, str] | None = None, db_url: str | None = None) -> tuple[str, Path | None]:
    """The course's gradebook in ``fmt`` (``moodle``, ``canvas`` or ``csv``): returns the CSV text
    when no ``out`` is given, else writes ``out`` (in one step) and returns its path."""
    from coursekit.course.progress import completion, find_roster, read_roster, with_roster

    if fmt not in FORMATS:
        raise CourseError(f"--format {fmt!r}: choose from {', '.join(FORMATS)}")
    table = completion(course_dir, db_url=db_url)
    roster_path = find_roster(course_dir, roster)
    people = read_roster(roster_path, sorted(table["module"].unique())) if roster_path else None
    if fmt != "csv" or people is not None:
        check_roster(table, people, roster_path)
    table = with_roster(table, people)
    if fmt == "moodle":
        default = "email" if people is not None and "email" in people.columns else "idnumber"
        rows = moodle_rows(table, people, id_field or default)
    elif fmt == "canvas":
        rows = canvas_rows(table, people, assignment_ids)
    else:
        rows = plain_rows(table)
    text = to_csv(rows)
    if not out:
        return text, None
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, text)
    return "", path
