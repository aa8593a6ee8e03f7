"""The supervisor report: the completion table as a terminal table, a CSV file or one HTML page.

All three take the long table from :func:`coursekit.progress.completion` (one row per learner and
module).  The HTML page is a single self-contained file (no CDN, works offline).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coursekit.files import replacing, write_text
from coursekit.pages import Markup, render_page
from coursekit.palette import HISTOGRAM, STATUS_COLOURS
from coursekit.course.progress import summary

CSV_COLUMNS = ["learner_id", "name", "team", "supervisor", "module", "status", "score", "max_score", "percent", "due", "submitted_at",
               "late", "overdue", "tampered", "needs_manual_grading", "reason"]
SHORT = {"autograded": "", "late": " late", "needs manual grading": " manual", "tampered": " TAMPERED",
         "grading failed": "FAILED", "submitted": "submitted", "not submitted": "-", "not released": "n/r"}


def cell_text(row) -> str:
    """One grid cell: ``3/5`` plus a short status word where it matters."""
    if pd.notna(row["score"]):
        unfenced = " unfenced" if str(row.get("reason", "")).startswith("graded without the grading fence") else ""
        return f"{row['score']:g}/{row['max_score']:g}{SHORT[row['status']]}{unfenced}"
    return SHORT[row["status"]] + (" OVERDUE" if row["overdue"] else "")


def grid(table: pd.DataFrame) -> pd.DataFrame:
    """Learner × module grid of :func:`cell_text` strings."""
    cells = table.assign(cell=table.apply(cell_text, axis=1))
    return cells.pivot(index="learner_id", columns="module", values="cell").fillna("")


def format_table(table: pd.DataFrame) -> str:
    """The grid and a per-module summary as plain text for a terminal."""
    if table.empty:
        return "No learners or modules in this gradebook yet."
    lines = [grid(table).to_string(), "", summary(table).to_string(index=False)]
    return "\n".join(lines)


def write_csv(table: pd.DataFrame, path: Path | str) -> Path:
    """The long table as CSV (one row per learner and module)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    from coursekit.course.progress import with_roster

    if "team" not in table:
        table = with_roster(table, None)
    with replacing(path) as tmp:
        table[CSV_COLUMNS].to_csv(tmp, index=False)
    return path


def histogram_svg(percents: pd.Series, bins: int = 10, width: int = 200, height: int = 60) -> str:
    """An inline SVG bar chart of scores (percent 0–100) in ``bins`` equal bins."""
    values = percents.dropna().clip(0, 100)
    counts = pd.cut(values, bins=[i * 100 / bins for i in range(bins + 1)], include_lowest=True).value_counts(sort=False)
    top = max(int(counts.max()) if len(values) else 0, 1)
    bar = width / bins
    rects = "".join(
        f'<rect x="{i * bar + 1:.1f}" y="{height - 12 - (height - 14) * n / top:.1f}" width="{bar - 2:.1f}" '
        f'height="{(height - 14) * n / top:.1f}" fill="{HISTOGRAM}"><title>{int(i * 100 / bins)}-{int((i + 1) * 100 / bins)}%: {n}</title></rect>'
        for i, n in enumerate(counts.tolist()))
    return (f'<svg class="hist" width="{width}" height="{height}" role="img" aria-label="score distribution">{rects}'
            f'<text x="0" y="{height - 1}" font-size="9">0%</text><text x="{width - 26}" y="{height - 1}" font-size="9">100%</text></svg>')


def render_html(table: pd.DataFrame, title: str = "Course progress", follow=None) -> str:
    """A self-contained HTML dashboard (one file, no network): cohort completion, a learner × module grid
    coloured by status that can be sorted and filtered by team, per-module score distributions and the
    list of who needs follow-up and why.  Only completion and scores are shown: no self-assessments."""
    from coursekit.course.progress import follow_up, with_roster

    if "team" not in table.columns:
        table = with_roster(table, None)
    follow = follow_up(table) if follow is None else follow
    modules = sorted(table["module"].unique())
    graded = table["score"].notna()
    done = 100 * graded.mean() if len(table) else 0.0
    teams = sorted(t for t in table["team"].unique() if t)
    rows = []
    records = table.sort_values(["learner_id", "module"]).to_dict("records")
    by_learner: dict[str, dict[str, dict]] = {}
    for rec in records:
        by_learner.setdefault(rec["learner_id"], {})[rec["module"]] = rec
    for learner, by_module in by_learner.items():
        first = next(iter(by_module.values()))
        cells = []
        for module in modules:
            row = by_module.get(module)
            cells.append(None if row is None else {
                "status": row["status"], "colour": STATUS_COLOURS[row["status"]], "text": cell_text(row),
                "tip": row["status"] + (f": {row['reason']}" if row.get("reason") else ""),
                "sort": row["percent"] if pd.notna(row["percent"]) else -1})
        rows.append({"learner": learner, "name": first["name"], "team": first["team"], "cells": cells,
                     "completed": sum(pd.notna(r["score"]) for r in by_module.values()), "assigned": len(by_module)})
    return render_page("report.html.j2", title=title, done=done, n_learners=table["learner_id"].nunique(),
                       n_follow=len(follow), legend=list(STATUS_COLOURS.items()), teams=teams, modules=modules,
                       rows=rows, follow=[r._asdict() for r in follow.itertuples(index=False)],
                       distributions=[(m, Markup(histogram_svg(table.loc[table["module"] == m, "percent"])))
                                      for m in modules],
                       summary_html=Markup(summary(table).to_html(index=False, border=0, classes="summary", na_rep="")))


def make_report(course_dir, fmt: str = "table", out=None, roster=None, db_url: str | None = None) -> tuple[str, Path | None]:
    """The report of a course in ``fmt`` (``table``, ``csv`` or ``html``), with the roster's names,
    teams and supervisors (``roster``, or ``COURSE/roster.csv`` when there is one).  Returns the text
    to print (a table or CSV when no ``out`` is given) and the file written (HTML goes to
    ``COURSE/report.html`` unless ``out`` says otherwise)."""
    from coursekit.course.modules import list_modules
    from coursekit.course.progress import completion, find_roster, read_roster, with_roster

    table = completion(course_dir, db_url=db_url)
    roster_path = find_roster(course_dir, roster)
    modules = sorted(set(table["module"]) | set(list_modules()))
    table = with_roster(table, read_roster(roster_path, modules) if roster_path else None)
    if fmt == "table":
        text = format_table(table)
        if out:
            write_text(Path(out), text + "\n")
            return "", Path(out)
        return text, None
    if fmt == "csv" and not out:
        return table.to_csv(index=False), None
    out = Path(out) if out else Path(course_dir) / "report.html"
    return "", write_csv(table, out) if fmt == "csv" else write_html(table, out)


def write_html(table: pd.DataFrame, path: Path | str, title: str = "Course progress", follow=None) -> Path:
    """Write :func:`render_html` to ``path`` (written whole, never half)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, render_html(table, title, follow))
    return path
