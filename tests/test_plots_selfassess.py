"""Self-assessment charts draw exactly the table they are given."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from coursekit import selfassess  # noqa: E402
from coursekit.plots.selfassess import VERDICT_COLOURS, calibration_chart, quartile_chart  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_quartile_chart_draws_the_two_lines_of_the_table():
    table = selfassess.dk_quartiles([10, 20, 30, 40, 50, 60, 70, 80], [70, 50, 60, 60, 65, 55, 80, 70])
    ax = quartile_chart(table, title="Hand example")
    actual, perceived = ax.get_lines()[:2]
    assert list(actual.get_ydata()) == [12.5, 37.5, 62.5, 87.5]
    assert list(perceived.get_ydata()) == [60, 60, 60, 75]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["bottom quarter", "second quarter", "third quarter",
                                                           "top quarter"]
    assert ax.get_title() == "Hand example" and ax.get_ylim() == (0, 100)


def test_calibration_chart_colours_each_competency_by_its_verdict():
    table = selfassess.calibration({"empathy": 5, "listening": 2, "call control": 1},
                                   {"empathy": 40, "listening": 30, "call control": 50})
    fig, ax = plt.subplots()
    assert calibration_chart(table, ax=ax) is ax
    ticks = sorted(zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()]), reverse=True)
    assert [label for _, label in ticks] == ["empathy (rated above the evidence)", "listening (close to the evidence)",
                                            "call control (rated below the evidence)"]  # table order, top to bottom
    joins = [line for line in ax.get_lines() if len(line.get_xdata()) == 2]
    assert [tuple(line.get_xdata()) for line in joins] == [(40, 100), (30, 25), (50, 0)]
    assert [matplotlib.colors.to_hex(line.get_color()) for line in joins] == [
        VERDICT_COLOURS["overconfident"], VERDICT_COLOURS["well calibrated"], VERDICT_COLOURS["underconfident"]]
    assert "within 25 points" in ax.get_title()
