"""QueueSimulator: sliders for calls per interval, handle time, agents and caller patience; shows
service level, average wait and abandonment live (Erlang A, with Erlang C for comparison).

The widget has no formulas: it calls :mod:`coursekit.queueing`.
"""

from __future__ import annotations

import ipywidgets as w

from coursekit.analysis import queueing
from coursekit.learner.widgets.guard import WidgetGuard
from coursekit.learner.widgets.slider import LabelledSlider
from coursekit.palette import box, tone


class QueueSimulator(w.VBox):
    """``display(QueueSimulator())`` in a notebook; ``.summary_text`` is what it shows, as text."""

    def __init__(self, calls: int = 100, aht_s: int = 180, agents: int = 14, patience_s: int = 180,
                 interval_s: int = 1800, target_s: int = 20, max_agents: int = 60):
        self.interval_s, self.target_s = interval_s, target_s
        layout = w.Layout(width="640px")  # about 7 pixels per agent: one agent is easy to pick
        # the browser's own range input with a label tied to it: a screen reader names it, arrows move it
        self.calls = LabelledSlider(calls, 0, 600, 5, description="Calls per 30 minutes", layout=layout)
        self.aht = LabelledSlider(aht_s, 60, 900, 10, description="Handle time (seconds)", layout=layout)
        self.agents = LabelledSlider(agents, 1, max(max_agents, agents), 1, description="Agents on the phones",
                                     layout=layout)
        self.patience = LabelledSlider(patience_s, 10, 900, 10, description="Caller patience (seconds)",
                                       layout=layout)
        self.out = w.HTML()
        super().__init__([self.calls, self.aht, self.agents, self.patience, self.out, WidgetGuard()])
        for slider in (self.calls, self.aht, self.agents, self.patience):
            slider.observe(self._update, names="value")
        self._update()

    def results(self) -> dict:
        """The figures shown: traffic, Erlang A results and Erlang C's view of the same queue."""
        traffic = self.calls.value * self.aht.value / self.interval_s
        a = queueing.erlang_a(traffic, self.agents.value, self.aht.value, self.patience.value, self.target_s)
        return {
            "traffic": traffic,
            "service_level": a.service_level,
            "asa_s": a.asa_s,
            "abandonment": a.p_abandon,
            "occupancy": a.occupancy,
            "erlang_c_service_level": queueing.service_level(traffic, self.agents.value, self.aht.value, self.target_s),
        }

    def _update(self, *_):
        r = self.results()
        agents, traffic = self.agents.value, r["traffic"]
        if agents < traffic - 1e-9:
            warning = "\nMore work than agents: the queue only stays finite because callers give up."
        elif agents <= traffic + 1e-9:
            warning = ("\nExactly as much work as agents, with no slack: without callers giving up the queue "
                       "would keep growing.")
        else:
            warning = ""
        self.summary_text = (
            f"Workload: {traffic:.1f} Erlangs, enough calls to keep {traffic:.1f} agents talking for the whole "
            f"{self.interval_s // 60} minutes.\n"
            f"Answered within {self.target_s} s: {100 * r['service_level']:.0f} %\n"
            f"Average wait in the queue: {r['asa_s']:.0f} s\n"
            f"Callers who give up: {100 * r['abandonment']:.1f} %\n"
            f"Agent occupancy: {100 * r['occupancy']:.0f} %" + warning
        )
        self.out.value = box("<br>".join(self.summary_text.split("\n")), tone(r["service_level"] >= 0.8))
