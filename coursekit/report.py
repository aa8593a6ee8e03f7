"""The supervisor report: the completion table as a terminal table, a CSV file or one HTML page.

All three take the long table from :func:`coursekit.progress.completion` (one row per learner and
module).  The HTML page is a single self-contained file (no CDN, works offline).
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from .progress import summary

CSV_COLUMNS = ["learner_id", "module", "status", "score", "max_score", "percent", "due", "submitted_at",
               "late", "overdue", "tampered", "needs_manual_grading", "reason"]
STATUS_COLOURS = {
    "autograded": "#c8ebd0", "late": "#ffe3a3", "needs manual grading": "#cfe0ff", "tampered": "#ffb3b3",
    "grading failed": "#ff8080", "submitted": "#e4e4e4", "not submitted": "#f6f6f6", "not released": "#ffffff",
}
SHORT = {"autograded": "", "late": " late", "needs manual grading": " manual", "tampered": " TAMPERED",
         "grading failed": "FAILED", "submitted": "submitted", "not submitted": "-", "not released": "n/r"}


def cell_text(row) -> str:
    """One grid cell: ``3/5`` plus a short status word where it matters."""
    if pd.notna(row["score"]):
        return f"{row['score']:g}/{row['max_score']:g}{SHORT[row['status']]}"
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
    tmp = path.with_suffix(path.suffix + ".tmp")
    table[CSV_COLUMNS].to_csv(tmp, index=False)
    tmp.replace(path)
    return path


def render_html(table: pd.DataFrame, title: str = "Course progress") -> str:
    """A self-contained HTML page: the learner × module grid coloured by status and a summary."""
    modules = sorted(table["module"].unique())
    rows = []
    for learner, part in table.groupby("learner_id", sort=True):
        by_module = part.set_index("module")
        cells = []
        for module in modules:
            row = by_module.loc[module]
            cells.append(f'<td class="st" data-status="{html.escape(row["status"])}" '
                         f'style="background:{STATUS_COLOURS[row["status"]]}" title="{html.escape(row["status"])}">'
                         f"{html.escape(cell_text(row))}</td>")
        rows.append(f'<tr data-learner="{html.escape(learner)}"><th>{html.escape(learner)}</th>{"".join(cells)}</tr>')
    head = "".join(f"<th>{html.escape(m)}</th>" for m in modules)
    legend = " ".join(f'<span class="key" style="background:{c}">{html.escape(s)}</span>' for s, c in STATUS_COLOURS.items())
    summary_html = summary(table).to_html(index=False, border=0, classes="summary", na_rep="")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border: 1px solid #ccc; padding: 4px 8px; text-align: left; font-size: 0.9em; }}
.key {{ padding: 2px 6px; border: 1px solid #ccc; margin-right: 4px; font-size: 0.8em; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p>{table['learner_id'].nunique()} learners, {len(modules)} modules. {legend}</p>
<table id="grid"><thead><tr><th>learner</th>{head}</tr></thead><tbody>
{''.join(rows)}
</tbody></table>
<h2>Per module</h2>
{summary_html}
</body></html>
"""


def write_html(table: pd.DataFrame, path: Path | str, title: str = "Course progress") -> Path:
    """Write :func:`render_html` to ``path`` (written whole, never half)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(render_html(table, title), encoding="utf-8")
    tmp.replace(path)
    return path
