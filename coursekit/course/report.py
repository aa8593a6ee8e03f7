"""The supervisor report: the completion table as a terminal table, a CSV file or one HTML page.

All three take the long table from :func:`coursekit.progress.completion` (one row per learner and
module).  The HTML page is a single self-contained file (no CDN, works offline).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from coursekit.files import replacing, write_text
from coursekit.pages import Markup, render_page
from coursekit.palette import HISTOGRAM, STATUS_COLOURS
from coursekit.course.modules import pass_percent
from coursekit.course.progress import UNFENCED_REASON, summary

CSV_COLUMNS = ["learner_id", "name", "team", "supervisor", "module", "status", "score", "max_score", "percent", "due", "submitted_at",
               "late", "overdue", "tampered", "needs_manual_grading", "reason"]
SHORT = {"autograded": "", "late": " late", "needs manual grading": " manual", "tampered": " TAMPERED",
         "grading failed": "FAILED", "submitted": "submitted", "not submitted": "-", "not released": "n/r"}
UNFENCED_PREFIX = UNFENCED_REASON.split(" (")[0]
#: learners shown per page of the dashboard's grid
PAGE_SIZE = 100


def cell_texts(table: pd.DataFrame) -> pd.Series:
    """Each row's grid cell: ``3/5`` plus a short status word where it matters (``3/5 late``,
    ``1/5 TAMPERED``, ``3/5 unfenced``), or the status alone when not graded (``-``, ``- OVERDUE``,
    ``n/r`` for not released)."""
    short = table["status"].map(SHORT).fillna("").to_numpy(dtype=object)
    graded = table["score"].notna().to_numpy()
    points = np.array([f"{s:g}/{m:g}" if g else "" for s, m, g in zip(table["score"].tolist(), table["max_score"].tolist(), graded.tolist())],
                      dtype=object)
    reason = table["reason"].fillna("").astype(str) if "reason" in table else pd.Series("", index=table.index)
    unfenced = np.where(reason.str.startswith(UNFENCED_PREFIX).to_numpy(), " unfenced", "").astype(object)
    overdue = np.where(table["overdue"].fillna(False).astype(bool).to_numpy(), " OVERDUE", "").astype(object)
    return pd.Series(np.where(graded, points + short + unfenced, short + overdue), index=table.index, dtype=object)


def cell_text(row) -> str:
    """One grid cell (see :func:`cell_texts`) for one row of the completion table."""
    return cell_texts(pd.DataFrame([dict(row)])).iloc[0]


def grid(table: pd.DataFrame) -> pd.DataFrame:
    """Learner × module grid of :func:`cell_texts` strings."""
    cells = table.assign(cell=cell_texts(table))
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


def page_data(table: pd.DataFrame, follow: pd.DataFrame) -> dict:
    """What the dashboard's script draws, column by column (one list per field, so 10,000 learners
    × 8 modules is a few lists, not 80,000 objects): learners (``ids``, ``names``, ``team`` and
    ``supervisor`` as indexes into ``teams`` and ``supervisors``, modules ``done`` and ``assigned``),
    and for learner ``i`` and module ``j`` at ``k = i × len(modules) + j``: ``status[k]`` (index into
    ``statuses``, -1 = not assigned), ``text[k]`` (:func:`cell_texts`), ``sort[k]`` (percent, -1 when
    not graded) and ``reason[k]`` (index into ``reasons``).  Only completion and scores: never a
    self-assessment."""
    modules = sorted(table["module"].unique())
    ids = sorted(table["learner_id"].unique())
    people = table.drop_duplicates("learner_id").set_index("learner_id").reindex(ids)
    teams = sorted(people["team"].fillna("").unique().tolist())
    supervisors = sorted(people["supervisor"].fillna("").unique().tolist())
    statuses = list(STATUS_COLOURS)
    row = pd.Index(ids).get_indexer(table["learner_id"])
    col = pd.Index(modules).get_indexer(table["module"])
    k = row * len(modules) + col
    size = len(ids) * len(modules)
    status = np.full(size, -1)
    status[k] = pd.Index(statuses).get_indexer(table["status"])
    text = np.full(size, "", dtype=object)
    text[k] = cell_texts(table).to_numpy()
    sort = np.full(size, -1.0)
    sort[k] = table["percent"].fillna(-1).to_numpy(dtype=float)
    why = table["reason"].fillna("").astype(str)
    reasons = [""] + sorted(set(why.unique().tolist()) - {""})
    reason = np.zeros(size, dtype=int)
    reason[k] = pd.Index(reasons).get_indexer(why)
    graded = table["score"].notna()
    return {
        "modules": modules, "statuses": statuses, "colours": [STATUS_COLOURS[s] for s in statuses],
        "teams": teams, "supervisors": supervisors, "reasons": reasons,
        "ids": ids, "names": people["name"].fillna("").tolist(),
        "team": pd.Index(teams).get_indexer(people["team"].fillna("")).tolist(),
        "supervisor": pd.Index(supervisors).get_indexer(people["supervisor"].fillna("")).tolist(),
        "done": np.bincount(row, weights=graded.to_numpy(), minlength=len(ids)).astype(int).tolist(),
        "assigned": np.bincount(row, minlength=len(ids)).tolist(),
        "status": status.tolist(), "text": text.tolist(), "sort": np.round(sort, 1).tolist(),
        "reason": reason.tolist(),
        "follow": follow[["learner_id", "name", "team", "supervisor", "reasons"]].fillna("").values.tolist(),
    }


def embed_json(data) -> Markup:
    """``data`` as JSON that can sit inside a ``<script>`` element (no ``</`` to close it early)."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return Markup(text.replace("<", "\\u003c"))


def render_html(table: pd.DataFrame, title: str = "Course progress", follow=None) -> str:
    """A self-contained HTML dashboard (one file, no network): cohort completion, a learner × module grid
    coloured by status, filtered by team, supervisor and learner and sorted by any column, drawn a page
    of rows at a time from data embedded once as JSON (:func:`page_data`), so 10,000 learners stay
    quick; per-module score distributions and the list of who needs follow-up and why.  Only
    completion and scores are shown: no self-assessments."""
    from coursekit.course.progress import follow_up, with_roster

    if "team" not in table.columns:
        table = with_roster(table, None)
    follow = follow_up(table) if follow is None else follow
    modules = sorted(table["module"].unique())
    done = 100 * table["score"].notna().mean() if len(table) else 0.0
    marks = [(m, pass_percent(m)) for m in modules]
    return render_page("report.html.j2", title=title, done=done, n_learners=table["learner_id"].nunique(),
                       n_follow=len(follow), legend=list(STATUS_COLOURS.items()), modules=modules, marks=marks,
                       data=embed_json(page_data(table, follow)), page_size=PAGE_SIZE,
                       distributions=[(m, Markup(histogram_svg(percents)))
                                      for m, percents in table.groupby("module", sort=True)["percent"]],
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
    modules = sorted(set(table["module"].unique().tolist()) | set(list_modules()))
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
