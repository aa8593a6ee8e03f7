"""The supervisor report: the completion table as a terminal table, a CSV file or one HTML page.

All three take the long table from :func:`coursekit.progress.completion` (one row per learner and
module).  The HTML page is a single self-contained file (no CDN, works offline).
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from .files import replacing, write_text
from .progress import summary

CSV_COLUMNS = ["learner_id", "name", "team", "supervisor", "module", "status", "score", "max_score", "percent", "due", "submitted_at",
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
    from .progress import with_roster

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
        f'height="{(height - 14) * n / top:.1f}" fill="#4a7bd0"><title>{int(i * 100 / bins)}-{int((i + 1) * 100 / bins)}%: {n}</title></rect>'
        for i, n in enumerate(counts.tolist()))
    return (f'<svg class="hist" width="{width}" height="{height}" role="img" aria-label="score distribution">{rects}'
            f'<text x="0" y="{height - 1}" font-size="9">0%</text><text x="{width - 26}" y="{height - 1}" font-size="9">100%</text></svg>')


def render_html(table: pd.DataFrame, title: str = "Course progress", follow=None) -> str:
    """A self-contained HTML dashboard (one file, no network): cohort completion, a learner × module grid
    coloured by status that can be sorted and filtered by team, per-module score distributions and the
    list of who needs follow-up and why.  Only completion and scores are shown: no self-assessments."""
    from .progress import follow_up, with_roster

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
        completed = sum(pd.notna(r["score"]) for r in by_module.values())
        cells = []
        for module in modules:
            row = by_module.get(module)
            if row is None:
                cells.append('<td class="st" data-status="not assigned"></td>')
                continue
            tip = row["status"] + (f": {row['reason']}" if row.get("reason") else "")
            sort_key = row["percent"] if pd.notna(row["percent"]) else -1
            cells.append(f'<td class="st" data-status="{html.escape(row["status"])}" data-sort="{sort_key}" '
                         f'style="background:{STATUS_COLOURS[row["status"]]}" title="{html.escape(tip)}">'
                         f"{html.escape(cell_text(row))}</td>")
        rows.append(
            f'<tr data-learner="{html.escape(learner)}" data-team="{html.escape(first["team"])}">'
            f'<th data-sort="{html.escape(learner)}">{html.escape(learner)}</th>'
            f'<td data-sort="{html.escape(first["name"])}">{html.escape(first["name"])}</td>'
            f'<td data-sort="{html.escape(first["team"])}">{html.escape(first["team"])}</td>'
            f'<td data-sort="{completed}">{completed}/{len(by_module)}</td>{"".join(cells)}</tr>')
    head = "".join(f'<th class="sortable" data-col="{4 + i}">{html.escape(m)}</th>' for i, m in enumerate(modules))
    options = "".join(f'<option value="{html.escape(t)}">{html.escape(t)}</option>' for t in teams)
    legend = " ".join(f'<span class="key" style="background:{c}">{html.escape(s)}</span>' for s, c in STATUS_COLOURS.items())
    dists = "".join(
        f"<figure><figcaption>{html.escape(m)}</figcaption>{histogram_svg(table.loc[table['module'] == m, 'percent'])}</figure>"
        for m in modules)
    follow_rows = "".join(
        f'<tr data-team="{html.escape(str(r.team))}"><td>{html.escape(r.learner_id)}</td><td>{html.escape(str(r.name))}</td>'
        f"<td>{html.escape(str(r.team))}</td><td>{html.escape(str(r.supervisor))}</td><td>{html.escape(r.reasons)}</td></tr>"
        for r in follow.itertuples(index=False)) or '<tr><td colspan="5">Nobody: everyone is on track.</td></tr>'
    summary_html = summary(table).to_html(index=False, border=0, classes="summary", na_rep="")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }}
table {{ border-collapse: collapse; margin: 0.8em 0; }}
th, td {{ border: 1px solid #ccc; padding: 3px 7px; text-align: left; font-size: 0.85em; }}
th.sortable {{ cursor: pointer; background: #f0f0f0; }}
.key {{ padding: 2px 6px; border: 1px solid #ccc; margin-right: 4px; font-size: 0.8em; }}
.big {{ font-size: 1.6em; font-weight: bold; }}
figure {{ display: inline-block; margin: 0 1em 1em 0; }} figcaption {{ font-size: 0.8em; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p><span class="big" id="completion">{done:.0f}%</span> of learner-modules graded &middot;
{table['learner_id'].nunique()} learners &middot; {len(modules)} modules &middot; {len(follow)} need follow-up</p>
<p>{legend}</p>
<label>Team: <select id="team"><option value="">all teams</option>{options}</select></label>
<span id="shown"></span>
<table id="grid"><thead><tr><th class="sortable" data-col="0">learner</th><th class="sortable" data-col="1">name</th>
<th class="sortable" data-col="2">team</th><th class="sortable" data-col="3">done</th>{head}</tr></thead><tbody>
{''.join(rows)}
</tbody></table>
<h2>Who needs follow-up</h2>
<table id="followup"><thead><tr><th>learner</th><th>name</th><th>team</th><th>supervisor</th><th>why</th></tr></thead>
<tbody>{follow_rows}</tbody></table>
<h2>Scores per module</h2>
<div id="distributions">{dists}</div>
{summary_html}
<script>
(function () {{
  var grid = document.getElementById("grid"), body = grid.tBodies[0], team = document.getElementById("team");
  function filter() {{
    var t = team.value, shown = 0;
    Array.prototype.forEach.call(document.querySelectorAll("tr[data-team]"), function (tr) {{
      var show = !t || tr.getAttribute("data-team") === t;
      tr.style.display = show ? "" : "none";
      if (show && tr.parentNode === body) shown++;
    }});
    document.getElementById("shown").textContent = shown + " learners shown";
  }}
  var direction = {{}};
  Array.prototype.forEach.call(grid.querySelectorAll("th.sortable"), function (th) {{
    th.addEventListener("click", function () {{
      var col = +th.getAttribute("data-col"), dir = direction[col] = -(direction[col] || -1);
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {{
        var x = a.cells[col].getAttribute("data-sort"), y = b.cells[col].getAttribute("data-sort");
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : String(x).localeCompare(String(y));
        return dir * c;
      }});
      rows.forEach(function (r) {{ body.appendChild(r); }});
    }});
  }});
  team.addEventListener("change", filter);
  filter();
}})();
</script>
</body></html>
"""


def write_html(table: pd.DataFrame, path: Path | str, title: str = "Course progress", follow=None) -> Path:
    """Write :func:`render_html` to ``path`` (written whole, never half)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, render_html(table, title, follow))
    return path
