"""Charts for module 06 (voice of the customer), drawn from :mod:`coursekit.survey` results.

    >>> from coursekit.plots.survey import alignment_chart, ipa_chart, top_issues_chart
    >>> ax = alignment_chart(alignment(means["employee_importance"], means["customer_importance"]))

Each function draws what the analysis returned (no formulas here) and returns the ``Axes``.
"""

from __future__ import annotations

from coursekit.analysis.survey import QUADRANTS, Alignment
from coursekit.learner.plots import axes
from coursekit.palette import DEEP_BLUE, GOOD, GREY, NEUTRAL, ORANGE, RED

COLOURS = {"over-rated": RED, "under-rated": DEEP_BLUE, "aligned": GREY}
QUADRANT_COLOURS = dict(zip(QUADRANTS, [RED, GOOD, GREY, ORANGE]))


def alignment_chart(result: Alignment, ax=None):
    """Slope chart: customers' order of importance on the left, employees' on the right, one line per
    attribute (red: employees over-rate it, blue: they under-rate it, grey: aligned)."""
    table = result.table
    ax = axes(ax, (8, 0.45 * len(table) + 1.5))
    for row in table.itertuples():
        colour = COLOURS[row.rating]
        ax.plot([0, 1], [row.customer_rank, row.employee_rank], color=colour, marker="o",
                linewidth=2.5 if row.rating != "aligned" else 1.2)
        ax.text(-0.04, row.customer_rank, row.attribute, ha="right", va="center", fontsize=9)
        ax.text(1.04, row.employee_rank, row.attribute, ha="left", va="center", fontsize=9, color=colour)
    ax.set_xlim(-0.9, 1.9)
    ax.set_ylim(len(table) + 0.5, 0.5)
    ax.set_xticks([0, 1], ["Customers say", "Employees think"])
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    pct = round(100 * result.confidence)
    ax.set_title(f"What matters most to customers (1 = most important)\n"
                 f"rank correlation {result.rho:.2f}, {pct} % interval {result.low:.2f} to {result.high:.2f}")
    return ax


def ipa_chart(table, ax=None):
    """Importance–performance grid: performance across, importance up, dashed lines at the cross-point
    (``table.attrs["cross"]``), each attribute coloured by its quadrant (the table of
    :func:`coursekit.survey.ipa`)."""
    ax = axes(ax, (7, 5.5))
    cross = table.attrs.get("cross")  # lost if the table was rebuilt; then no cross lines
    for quadrant in QUADRANTS:
        part = table[table["quadrant"] == quadrant]
        ax.scatter(part["performance"], part["importance"], color=QUADRANT_COLOURS[quadrant], s=60, label=quadrant,
                   zorder=3)
    for row in table.itertuples():
        ax.annotate(row.attribute, (row.performance, row.importance), xytext=(5, 4), textcoords="offset points",
                    fontsize=8)
    if cross is not None:
        ax.axhline(cross[0], color=NEUTRAL, linewidth=1, linestyle="--")
        ax.axvline(cross[1], color=NEUTRAL, linewidth=1, linestyle="--")
    corners = {"concentrate here": (0.02, 0.98, "left", "top"), "keep up the good work": (0.98, 0.98, "right", "top"),
               "low priority": (0.02, 0.02, "left", "bottom"), "possible overkill": (0.98, 0.02, "right", "bottom")}
    for quadrant, (x, y, ha, va) in corners.items():
        ax.text(x, y, quadrant.capitalize(), transform=ax.transAxes, ha=ha, va=va, fontsize=10, weight="bold",
                color=QUADRANT_COLOURS[quadrant], alpha=0.8)
    ax.margins(0.25)
    ax.set_xlabel("Performance (customers' satisfaction)")
    ax.set_ylabel("Importance to customers")
    ax.set_title("Importance–performance analysis")
    return ax


def top_issues_chart(table, ax=None):
    """Side-by-side bars per contact reason: share of agents' mentions and share of contacts (the
    table of :func:`coursekit.survey.top_issues`), in percent."""
    ax = axes(ax, (8, 0.5 * len(table) + 1.5))
    rows = table.iloc[::-1]
    y = range(len(rows))
    ax.barh([i + 0.2 for i in y], 100 * rows["poll_share"], height=0.4, color=ORANGE, label="agents say (poll)")
    ax.barh([i - 0.2 for i in y], 100 * rows["data_share"], height=0.4, color=DEEP_BLUE, label="contacts (data)")
    ax.set_yticks(list(y), rows["reason"])
    ax.set_xlabel("% of mentions / % of contacts")
    ax.set_title("What agents say they hear most, and what the contact data shows")
    ax.legend(loc="lower right")
    return ax
