"""GapExplorer: choose an agent and a benchmark method; see the agent's bullet chart and top
development priorities (quality, resolution, customer outcome), with handle time, waiting time and
service level beside them as context, never ranked.

The widget has no formulas: it calls :mod:`coursekit.gap` and draws with :mod:`coursekit.plots.gap`.
"""

from __future__ import annotations

import base64
import html
import io

import ipywidgets as w
import pandas as pd
from matplotlib.figure import Figure

from coursekit.analysis import gap
from coursekit.analysis.data import load
from coursekit.errors import DataError
from coursekit.palette import WARN, box, tone
from coursekit.learner.plots.gap import bullet_chart
from coursekit.learner.widgets.guard import WidgetGuard

METHOD_LABELS = {"top_quartile": "Top quartile of peers", "target": "Center target", "peer_median": "Peer median"}


class GapExplorer(w.VBox):
    """``display(GapExplorer())`` in a notebook; ``.summary_text`` is what it shows, as text.

    ``kpis``: one row per agent (:func:`coursekit.gap.agent_kpis`; the bundled calls and QA by
    default); ``impact``: metric weights for the priorities (by default each metric's relation to
    CSAT, :func:`coursekit.gap.estimate_impact`, or equal weights without a ``csat`` column);
    ``top``: how many priorities to list.
    """

    def __init__(self, kpis: pd.DataFrame | None = None, agent: str | None = None, method: str = "top_quartile",
                 impact=None, targets: pd.DataFrame | None = None, top: int = 3):
        if kpis is None:
            kpis = gap.agent_kpis(load("calls"), load("qa_evaluations"), load("agents"))
        self.kpis, self.targets, self.top = kpis, targets, top
        if impact is None and "csat" in kpis.columns:
            impact = gap.estimate_impact(kpis, targets=targets)
        self.impact = impact
        names = kpis["name"] if "name" in kpis.columns else kpis["agent_id"]
        options = [(f"{a} \u00b7 {n}" if n != a else str(a), a) for a, n in zip(kpis["agent_id"], names)]
        style = {"description_width": "120px"}
        self.agent = w.Dropdown(options=options, value=agent or options[0][1], description="Agent", style=style)
        self.method = w.Dropdown(options=[(label, key) for key, label in METHOD_LABELS.items()], value=method,
                                 description="Benchmark", style=style)
        # the chart as an <img> with alternative text (ipywidgets' Image has none): what a screen reader reads
        self.chart, self.chart_png = w.HTML(), b""
        self.out = w.HTML()
        # WidgetGuard: the arrow keys change the agent or the benchmark, not the notebook's cell; and a
        # line to run the cell again when the notebook is reopened without its kernel
        super().__init__([w.HBox([self.agent, self.method]), self.chart, self.out, WidgetGuard()])
        for control in (self.agent, self.method):
            control.observe(self._update, names="value")
        self._update()

    def results(self) -> dict:
        """The tables shown: ``benchmark``, ``gaps`` (the agent's gap table) and ``priorities``."""
        bench = gap.benchmark(self.kpis, method=self.method.value, targets=self.targets)
        gaps = gap.gap_table(self.kpis, bench, self.agent.value)
        return {"benchmark": bench, "gaps": gaps, "priorities": gap.priorities(gaps, impact=self.impact)}

    def _update(self, *_):
        label = self.agent.label
        try:
            r = self.results()
        except DataError as exc:
            self._draw(b"", "")
            self.summary_text = f"No gap table for {label}: {exc}"
            self._show(WARN, [self.summary_text])
            return
        fig = Figure(figsize=(7, 0.9 * len(r["gaps"]) + 0.8))
        bullet_chart(r["gaps"], title=f"{label} against the {METHOD_LABELS[self.method.value].lower()}", fig=fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=80)
        self._draw(buffer.getvalue(), self.chart_text(label, r["gaps"]))
        focus = r["priorities"][r["priorities"]["priority"] > 0].head(self.top)
        lines = [f"Top priorities for {label} (gap \u00d7 impact):"]
        for row in focus.itertuples():
            lines.append(f"{row.rank}. {row.metric}: {gap.format_value(row.value, row.unit)} against "
                         f"{gap.format_value(row.benchmark, row.unit)} ({row.gap_sd:+.1f} SD, "
                         f"better than {row.percentile:.0f} % of peers)")
        if focus.empty:
            lines.append("none: at or above the benchmark wherever it matters.")
        best = r["gaps"].loc[r["gaps"]["gap_sd"].idxmax()]
        word = "Strength to build on" if best["gap_sd"] >= 0 else "Closest to the benchmark"
        lines.append(f"{word}: {best['metric']} ({best['gap_sd']:+.1f} SD).")
        lines += self._context()
        self.summary_text = "\n".join(lines)
        self._show(tone(focus.empty), lines)

    def _context(self) -> list[str]:
        """Handle time, waiting time and service level: shown as context, never ranked."""
        try:
            context = gap.context_table(self.kpis, self.agent.value)
        except DataError:
            return []
        words = {"aht_s": "handle time", "asa_s": "waiting time", "service_level": "service level"}
        parts = [f"{words[row.metric]} {gap.format_value(row.value, row.unit)} (team middle "
                 f"{gap.format_value(row.team_median, row.unit)})" for row in context.itertuples()]
        return [f"Context, not gaps: {'; '.join(parts)}. Handle time is for understanding; waiting time and "
                "service level belong to the schedule."]

    def chart_text(self, label: str, gaps: pd.DataFrame) -> str:
        """The bullet chart in words (its alternative text): each metric's value against the benchmark."""
        parts = [f"{row.metric} {gap.format_value(row.value, row.unit)} against {gap.format_value(row.benchmark, row.unit)}"
                 for row in gaps.itertuples()]
        return (f"Bullet chart of {label} against the {METHOD_LABELS[self.method.value].lower()}: "
                + "; ".join(parts) + ".")

    def _draw(self, png: bytes, text: str) -> None:
        self.chart_png = png
        self.chart.value = "" if not png else (
            f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}" alt="{html.escape(text)}" '
            'style="max-width:640px;width:100%;height:auto">')

    def _show(self, colour: str, lines: list[str]) -> None:
        self.out.value = box("<br>".join(html.escape(line) for line in lines), colour)
