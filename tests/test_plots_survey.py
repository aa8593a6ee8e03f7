"""Module 06 charts draw what the analysis returned (no display needed)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from coursekit.plots.survey import COLOURS, QUADRANT_COLOURS, alignment_chart, ipa_chart, top_issues_chart  # noqa: E402
from coursekit.survey import alignment, ipa, top_issues  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_alignment_chart_links_each_attribute_from_customer_rank_to_employee_rank():
    result = alignment({"wait": 6.5, "fix": 5.0, "kind": 5.5, "follow": 4.0},
                       {"wait": 4.0, "fix": 6.8, "kind": 5.6, "follow": 6.1})
    ax = alignment_chart(result)
    lines = {tuple(line.get_ydata()): line.get_color() for line in ax.lines}
    # wait: customers rank it 4th, employees 1st -> over-rated (red)
    assert lines[(4.0, 1.0)] == COLOURS["over-rated"]
    assert lines[(1.0, 3.0)] == COLOURS["under-rated"]  # fix
    assert texts(ax).count("wait") == 2 and len(ax.lines) == 4
    assert f"{result.rho:.2f}" in ax.get_title()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Customers say", "Employees think"]


def test_ipa_chart_places_points_and_the_cross_point():
    table = ipa({"a": 6, "b": 6, "c": 4, "d": 4}, {"a": 3, "b": 5, "c": 3, "d": 5})
    fig, ax = plt.subplots()
    assert ipa_chart(table, ax=ax) is ax
    points = {tuple(c.get_offsets()[0]): c.get_label() for c in ax.collections}
    assert points[(3.0, 6.0)] == "concentrate here" and points[(5.0, 4.0)] == "possible overkill"
    assert sorted(line.get_ydata()[0] for line in ax.lines if line.get_ydata()[0] == line.get_ydata()[1]) == [5.0]
    assert {"Concentrate here", "Keep up the good work", "Low priority", "Possible overkill"} <= set(texts(ax))
    colours = {c.get_label(): tuple(c.get_facecolor()[0]) for c in ax.collections}
    assert colours["concentrate here"] == pytest.approx(matplotlib.colors.to_rgba(QUADRANT_COLOURS["concentrate here"]))


def test_ipa_chart_without_a_cross_point_draws_no_lines():
    table = pd.DataFrame(ipa({"a": 6, "b": 5, "c": 4}, {"a": 3, "b": 5, "c": 4}).to_dict("list"))
    assert not ipa_chart(table).lines


def test_top_issues_chart_draws_both_shares_in_percent():
    poll = pd.DataFrame({"reason": ["complaint", "complaint", "billing", "cancellation"]})
    table = top_issues(poll, pd.Series(["billing"] * 3 + ["complaint"]))
    ax = top_issues_chart(table)
    widths = sorted(round(p.get_width(), 6) for p in ax.patches)
    assert widths == sorted([50.0, 25.0, 25.0, 75.0, 25.0, 0.0])
    assert [t.get_text() for t in ax.get_yticklabels()] == list(table["reason"][::-1])
