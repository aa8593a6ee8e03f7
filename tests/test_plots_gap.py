"""Module 04 charts draw what the gap tables say (Agg backend, no display)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from coursekit.errors import DataError  # noqa: E402
from coursekit.plots.gap import GOOD, GREAT_BAND, SHORT, bullet_chart, team_heatmap  # noqa: E402

# one agent: a promised call-back made after 300 s against a 420 s benchmark (a center's own metric, lower is
# better: 120 s better; handle time itself is never a gap),
# FCR 60 % against 75 % (higher is better: 15 points short)
AGENT = pd.DataFrame({
    "agent_id": "A", "metric": ["callback_delay_s", "fcr"], "unit": ["seconds", "share 0-1"], "direction": ["lower", "higher"],
    "value": [300.0, 0.60], "benchmark": [420.0, 0.75], "gap": [120.0, -0.15], "gap_sd": [0.93, -1.16],
    "percentile": [100.0, 0.0], "peer_median": [450.0, 0.75], "peer_sd": [129.1, 0.129],
})


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def bar(ax):
    """The one value bar of a bullet: its start and end on the x axis, and its colour."""
    (patch,) = [p for p in ax.patches if isinstance(p, matplotlib.patches.Rectangle) and p.get_height() < 1]
    return patch.get_x(), patch.get_x() + patch.get_width(), matplotlib.colors.to_hex(patch.get_facecolor())


def test_bullet_chart_runs_from_worse_to_better_for_both_directions():
    fig = bullet_chart(AGENT)
    aht, fcr = fig.axes
    assert aht.get_ylabel() == "callback_delay_s" and fcr.get_ylabel() == "fcr"
    # AHT: lower is better, so the axis is reversed and the bar starts at the slow (left) end
    assert aht.xaxis_inverted() and not fcr.xaxis_inverted()
    start, end, colour = bar(aht)
    assert start == aht.get_xlim()[0] and end == pytest.approx(300) and colour == GOOD
    start, end, colour = bar(fcr)
    assert start == fcr.get_xlim()[0] and end == pytest.approx(0.60) and colour == SHORT
    # the benchmark is the thick black line; the peers' median is dashed
    lines = {(line.get_xdata()[0], line.get_linestyle()) for line in fcr.lines}
    assert lines == {(0.75, "-"), (0.75, "--")}
    assert {line.get_xdata()[0] for line in aht.lines} == {420.0, 450.0}
    # the green "great" band lies on the better side of the benchmark
    (great,) = [p for p in aht.patches if matplotlib.colors.to_hex(p.get_facecolor()) == GREAT_BAND]
    assert sorted([great.get_x(), great.get_x() + great.get_width()]) == sorted([420.0, aht.get_xlim()[1]])
    labels = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    assert "300 s" in labels and "+120 s" in labels and "60.0 %" in labels and "-15.0 points" in labels
    assert "Agent A" in fig._suptitle.get_text()


def test_bullet_chart_keeps_a_value_far_from_the_peers_in_view():
    far = AGENT.assign(value=[900.0, 0.05])
    fig = bullet_chart(far)
    for ax, value in zip(fig.axes, [900.0, 0.05]):
        lo, hi = sorted(ax.get_xlim())
        assert lo < value < hi


def test_team_heatmap_colours_each_cell_by_the_standardised_gap():
    team = pd.DataFrame({"agent_id": ["B", "B", "A", "A"], "metric": ["fcr", "csat"] * 2,
                         "gap_sd": [-1.0, 4.0, 0.5, -0.04]})
    ax = team_heatmap(team, labels=pd.Series({"A": "Ann"}))
    (image,) = ax.images
    # rows keep the table's order (B then A), columns the metrics' order
    assert np.array_equal(image.get_array(), [[-1.0, 4.0], [0.5, -0.04]])
    assert image.get_clim() == (-3.0, 3.0)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["B", "Ann"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["fcr", "csat"]
    assert [t.get_text() for t in ax.texts] == ["-1.0", "4.0", "0.5", "0.0"]
    assert "better than benchmark" in ax.figure.axes[-1].get_ylabel()


def test_plots_name_a_table_that_is_not_a_gap_table():
    with pytest.raises(DataError, match="no column 'gap_sd'"):
        team_heatmap(pd.DataFrame({"agent_id": ["A"], "metric": ["fcr"]}))
    with pytest.raises(DataError, match="no column 'peer_median'"):
        bullet_chart(AGENT.drop(columns="peer_median"))
