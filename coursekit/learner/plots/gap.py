"""Charts of benchmark gaps (:mod:`coursekit.gap`): a bullet chart per agent and a team heatmap.

They draw the tables :func:`coursekit.gap.gap_table` and :func:`coursekit.gap.team_gaps` return and
compute nothing themselves.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from coursekit.errors import require_columns
from coursekit.analysis.gap import format_value
from coursekit.palette import BELOW_BAND, GOOD, GREAT_BAND, MEDIAN, SHORT
ADVICE = "draw a table from gap_table(...) or team_gaps(...)"


def bullet_chart(gap_table: pd.DataFrame, title: str | None = None, fig=None):
    """One bullet per metric: the agent's value as a bar, the benchmark as a black tick, the region
    better than the benchmark shaded green, the peers' median as a grey tick.  Every axis runs
    from worse (left) to better (right), so lower-is-better metrics have their axis reversed and
    a longer bar is always better.  Returns the Figure (one Axes per metric).
    """
    require_columns(gap_table, "the gap table", "metric", "unit", "direction", "value", "benchmark", "gap", "peer_median", "peer_sd",
                    advice=ADVICE)
    rows = gap_table.reset_index(drop=True)
    fig = fig or plt.figure(figsize=(7, 0.9 * len(rows) + 0.8))
    axes = fig.subplots(len(rows), 1, squeeze=False)[:, 0]
    for ax, row in zip(axes, rows.itertuples()):
        spread = row.peer_sd if np.isfinite(row.peer_sd) and row.peer_sd > 0 else abs(row.benchmark) * 0.1 or 1
        lo = min(row.value, row.benchmark, row.peer_median - 2 * spread)
        hi = max(row.value, row.benchmark, row.peer_median + 2 * spread)
        pad = 0.05 * (hi - lo)
        lo, hi = lo - pad, hi + pad
        higher = row.direction == "higher"
        worst, best = (lo, hi) if higher else (hi, lo)
        ax.axvspan(worst, row.benchmark, color=BELOW_BAND, zorder=0)
        ax.axvspan(row.benchmark, best, color=GREAT_BAND, zorder=0)
        ax.barh(0, row.value - worst, left=worst, height=0.35, color=GOOD if row.gap >= 0 else SHORT, zorder=2)
        ax.axvline(row.benchmark, color="black", linewidth=2.5, zorder=3)
        ax.axvline(row.peer_median, color=MEDIAN, linewidth=1, linestyle="--", zorder=3)
        ax.set_xlim(worst, best)
        ax.set_ylim(-0.5, 0.5)
        ax.set_yticks([])
        ax.set_ylabel(row.metric, rotation=0, ha="right", va="center")
        ax.text(1.01, 0.5, f"{format_value(row.value, row.unit)}\ngap {format_value(row.gap, row.unit, change=True)}",
                transform=ax.transAxes, va="center", fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
    axes[-1].set_xlabel("worse  \u2190   each axis in the metric's unit   \u2192  better   "
                        "(black: benchmark, dashed: peers' median)", fontsize=8)
    agent = rows["agent_id"].iloc[0] if "agent_id" in rows.columns and len(rows) else ""
    fig.suptitle(title or f"Agent {agent} against the benchmark", fontsize=11)
    fig.tight_layout()
    return fig


def team_heatmap(team_gaps: pd.DataFrame, ax=None, limit: float = 3.0, labels: pd.Series | None = None):
    """Agents (rows) × metrics (columns), coloured by the standardised gap ``gap_sd``: green better
    than the benchmark, red below it, colours saturating at ±``limit`` SD; each cell shows the
    figure.  ``labels``: optional agent_id -> row label (e.g. names).  Returns the Axes.
    """
    require_columns(team_gaps, "the gap table", "agent_id", "metric", "gap_sd", advice=ADVICE)
    grid = team_gaps.pivot(index="agent_id", columns="metric", values="gap_sd")
    grid = grid.loc[pd.unique(team_gaps["agent_id"]), pd.unique(team_gaps["metric"])]
    if ax is None:
        _, ax = plt.subplots(figsize=(1.1 * grid.shape[1] + 2.5, 0.28 * grid.shape[0] + 1.5))
    image = ax.imshow(grid.to_numpy(), cmap="RdYlGn", vmin=-limit, vmax=limit, aspect="auto")
    ax.set_xticks(range(grid.shape[1]), grid.columns, rotation=30, ha="right")
    names = [labels.get(a, a) for a in grid.index] if labels is not None else list(grid.index)
    ax.set_yticks(range(grid.shape[0]), names)
    for (i, j), value in np.ndenumerate(grid.to_numpy()):
        ax.text(j, i, f"{round(value, 1) + 0.0:.1f}", ha="center", va="center", fontsize=7,
                color="white" if abs(value) > 0.75 * limit else "black")
    ax.figure.colorbar(image, ax=ax, label="gap in SD (positive = better than benchmark)")
    ax.set_title("The team against the benchmark")
    return ax
