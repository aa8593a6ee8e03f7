"""Charts for self-assessment: one learner's calibration and the Kruger–Dunning quartile chart.

Both draw a table made by :mod:`coursekit.selfassess` (:func:`~coursekit.selfassess.calibration`,
:func:`~coursekit.selfassess.dk_quartiles`) and return the matplotlib ``Axes``.
"""

from __future__ import annotations

import pandas as pd

from coursekit.learner.plots import axes
from coursekit.palette import BLUE, GOOD, GREY, LIGHT_ORANGE, RED

VERDICT_COLOURS = {"overconfident": RED, "underconfident": BLUE, "well calibrated": GOOD, "too little evidence": GREY}
#: What the chart says about a rating: the comparison, never a label for the person.
VERDICT_WORDS = {"overconfident": "rated above the evidence", "underconfident": "rated below the evidence",
                 "well calibrated": "close to the evidence", "too little evidence": "too little evidence"}


def calibration_chart(table: pd.DataFrame, ax=None, title: str = "Your self-view and the evidence"):
    """One row per competency: the self-view (circle) and the measured score (diamond) on 0–100, joined
    by a line coloured by the verdict (red: rated above the evidence, blue: below, green: close, grey: too
    little evidence).  The labels describe the rating against the evidence, not the person."""
    ax = axes(ax, (7, 0.5 * len(table) + 1.5))
    rows = list(range(len(table)))[::-1]
    for y, row in zip(rows, table.itertuples(index=False)):
        colour = VERDICT_COLOURS[row.verdict]
        ax.plot([row.actual, row.self], [y, y], color=colour, linewidth=3, alpha=0.6)
        ax.plot(row.self, y, "o", color=colour, markersize=9)
        ax.plot(row.actual, y, "D", color="black", markersize=7)
    ax.set_yticks(rows, [f"{c} ({VERDICT_WORDS[v]})" for c, v in zip(table["competency"], table["verdict"])])
    ax.set_xlim(-5, 105)
    ax.set_xlabel("0–100")
    ax.plot([], [], "o", color="grey", label="your rating: (rating − 1) × 25")
    ax.plot([], [], "D", color="black", label="measured score")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.3 / max(len(table), 1)), ncol=2, frameon=False)
    tolerance = table.attrs.get("tolerance")
    ax.set_title(title + (f"\n(close: within {tolerance:g} points)" if tolerance is not None else ""))
    ax.grid(axis="x", alpha=0.3)
    return ax


def quartile_chart(table: pd.DataFrame, ax=None, title: str = "Actual and perceived percentile by quartile"):
    """The Kruger–Dunning chart: mean actual (black) and mean perceived (orange) percentile for each
    quartile of actual skill, with the middle (50) dotted."""
    ax = axes(ax, (6, 4))
    x = list(table.index)
    ax.plot(x, table["actual_mean"], "o-", color="black", label="actual percentile")
    ax.plot(x, table["perceived_mean"], "s-", color=LIGHT_ORANGE, label="perceived (self-estimate)")
    ax.axhline(50, color="grey", linestyle=":", linewidth=1)
    ax.set_xticks(x, table["label"])
    ax.set_ylim(0, 100)
    ax.set_ylabel("percentile (0–100)")
    ax.set_xlabel("quartile of actual skill")
    ax.set_title(title)
    ax.legend(loc="upper left")
    return ax
