"""Voice of the customer: alignment, IPA and top issues against values worked out by hand."""

import math

import pandas as pd
import pytest

from coursekit.data import load
from coursekit.errors import DataError
from coursekit.survey import QUADRANTS, alignment, attribute_means, ipa, rank_correlation, top_issues


# ----------------------------------------------------------------- rank correlation


def test_spearman_without_ties_by_hand():
    # ranks (1 = highest) a: 1 2 3 4 5, b: 2 1 3 5 4 -> d = -1 1 0 -1 1, sum d^2 = 4
    # rho = 1 - 6*4 / (5*(25-1)) = 0.8
    # Bonett-Wright: z = atanh(0.8) = 1.098612, SE = sqrt((1 + 0.32) / 2) = 0.812404,
    # 95 %: tanh(1.098612 -+ 1.959964*0.812404) = tanh(-0.493642), tanh(2.690866) = -0.457124, 0.990843
    rho, low, high = rank_correlation([5, 4, 3, 2, 1], [4, 5, 3, 1, 2])
    assert rho == pytest.approx(0.8)
    assert low == pytest.approx(-0.457124, abs=1e-6)
    assert high == pytest.approx(0.990843, abs=1e-6)


def test_spearman_with_ties_uses_average_ranks():
    # a = 6 6 5 4 -> ranks 1.5 1.5 3 4; b = 7 5 5 3 -> ranks 1 2.5 2.5 4
    # deviations from 2.5: (-1 -1 .5 1.5) and (-1.5 0 0 1.5): cov 3.75, both sums of squares 4.5
    # rho = 3.75 / 4.5 = 0.8333 (the no-ties shortcut would say 0.85)
    rho, _, _ = rank_correlation([6, 6, 5, 4], [7, 5, 5, 3])
    assert rho == pytest.approx(3.75 / 4.5)


def test_interval_is_wider_at_90_percent_narrower_and_whole_range_for_three():
    rho, lo95, hi95 = rank_correlation([9, 7, 5, 3, 2, 1], [8, 9, 4, 5, 1, 2])
    _, lo90, hi90 = rank_correlation([9, 7, 5, 3, 2, 1], [8, 9, 4, 5, 1, 2], confidence=0.90)
    assert lo95 < lo90 < rho < hi90 < hi95
    assert rank_correlation([3, 2, 1], [2, 3, 1]) == (pytest.approx(0.5), -1.0, 1.0)


def test_perfect_agreement_and_disagreement():
    assert rank_correlation([1, 2, 3, 4], [10, 20, 30, 40]) == (1.0, 1.0, 1.0)
    assert rank_correlation([1, 2, 3, 4], [4, 3, 2, 1])[0] == -1.0


# ----------------------------------------------------------------- alignment


def test_alignment_gaps_and_ratings_by_hand():
    employees = {"short wait": 6.5, "resolution": 5.0, "friendly": 5.5, "follow-up": 4.0, "quick call": 6.0}
    customers = {"short wait": 5.0, "resolution": 6.8, "friendly": 5.6, "follow-up": 6.1, "quick call": 4.2}
    # employee ranks: short wait 1, quick call 2, friendly 3, resolution 4, follow-up 5
    # customer ranks: resolution 1, follow-up 2, friendly 3, short wait 4, quick call 5
    result = alignment(employees, customers)
    t = result.table.set_index("attribute")
    assert list(result.table["attribute"]) == ["resolution", "follow-up", "friendly", "short wait", "quick call"]
    assert t.loc["short wait", "gap"] == pytest.approx(1.5)
    assert t.loc["follow-up", "gap"] == pytest.approx(-2.1)
    assert t["rank_gap"].to_dict() == {"resolution": -3, "follow-up": -3, "friendly": 0, "short wait": 3,
                                       "quick call": 3}
    assert result.overrated == ["short wait", "quick call"]
    assert result.underrated == ["resolution", "follow-up"]
    assert t.loc["friendly", "rating"] == "aligned"
    # d = 3 3 0 3 3 (in absolute value): rho = 1 - 6*36 / (5*24) = -0.8
    assert result.rho == pytest.approx(-0.8)
    assert result.n == 5
    assert "Rank correlation -0.80" in str(result) and "over-rate: short wait, quick call" in str(result)


def test_alignment_with_tied_scores_shares_ranks():
    result = alignment(pd.Series({"a": 5, "b": 5, "c": 3}), pd.Series({"a": 6, "b": 4, "c": 2}))
    t = result.table.set_index("attribute")
    assert t["employee_rank"].to_dict() == {"a": 1.5, "b": 1.5, "c": 3.0}
    assert t.loc["b", "rank_gap"] == pytest.approx(0.5)
    assert result.overrated == [] and result.underrated == []


def test_alignment_matches_the_order_of_attributes_by_name():
    a = alignment({"x": 1, "y": 2, "z": 3}, {"z": 3, "y": 2, "x": 1})
    assert a.rho == pytest.approx(1.0)


@pytest.mark.parametrize("employees, customers, message", [
    ({"a": 5, "b": 4}, {"a": 5, "b": 4}, "at least 3"),
    ({"a": 5, "b": 5, "c": 5}, {"a": 5, "b": 4, "c": 3}, "employee_importance: every attribute has the same score"),
    ({"a": 5, "b": 4, "c": 3}, {"a": 6, "b": 6, "c": 6}, "customer_importance: every attribute has the same score"),
    ({"a": 5, "b": 4, "c": 3}, {"a": 5, "b": 4, "d": 3}, "has no value for attribute 'c'"),
    ({"a": 5, "b": None, "c": 3}, {"a": 5, "b": 4, "c": 3}, "attribute 'b' has None"),
    ({"a": 5, "b": "high", "c": 3}, {"a": 5, "b": 4, "c": 3}, "not a number"),
])
def test_alignment_explains_bad_input(employees, customers, message):
    with pytest.raises(DataError, match=message):
        alignment(employees, customers)


def test_bad_confidence_is_explained():
    with pytest.raises(DataError, match="confidence"):
        alignment({"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 2, "c": 3}, confidence=95)


# ----------------------------------------------------------------- survey means


def test_attribute_means_by_hand():
    surveys = pd.DataFrame({
        "respondent_id": ["R1", "R1", "R1", "R2", "R2", "R2", "E1", "E1", "E1"],
        "respondent_type": ["customer"] * 6 + ["employee"] * 3,
        "attribute": ["a", "b", "c"] * 3,
        "importance": [7, 4, 2, 5, 4, 3, 6, 6, 1],
        "satisfaction": [3, 5, 6, 4, None, 6, None, None, None],
    })
    means = attribute_means(surveys)
    assert means["customer_importance"].to_dict() == {"a": 6.0, "b": 4.0, "c": 2.5}
    assert means["customer_satisfaction"].to_dict() == {"a": 3.5, "b": 5.0, "c": 6.0}
    assert means["employee_importance"].to_dict() == {"a": 6.0, "b": 6.0, "c": 1.0}
    assert means["customers"].tolist() == [2, 2, 2] and means["employees"].tolist() == [1, 1, 1]


def test_attribute_means_rejects_unknown_respondent_type():
    frame = pd.DataFrame({"respondent_type": ["client"], "attribute": ["a"], "importance": [5]})
    with pytest.raises(DataError, match="'client'"):
        attribute_means(frame)
    with pytest.raises(DataError, match="no column 'importance'"):
        attribute_means(frame.drop(columns="importance"))


def test_bundled_surveys_show_employees_overrating_speed():
    means = attribute_means(load("surveys"))
    result = alignment(means["employee_importance"], means["customer_importance"])
    assert {"short wait", "quick call"} <= set(result.overrated)
    assert {"first-contact resolution", "follow-up kept"} <= set(result.underrated)
    assert result.low < result.rho < result.high < 0.9  # employees' order is far from customers'


# ----------------------------------------------------------------- IPA


def test_ipa_quadrants_by_hand():
    result = ipa({"a": 6, "b": 6, "c": 4, "d": 4}, {"a": 3, "b": 5, "c": 3, "d": 5})
    assert dict(zip(result["attribute"], result["quadrant"])) == {
        "a": "concentrate here", "b": "keep up the good work", "c": "low priority", "d": "possible overkill"}
    assert result.attrs["cross"] == (5.0, 4.0)
    assert list(result["quadrant"]) == QUADRANTS


def test_ipa_scores_on_the_cross_point_count_as_high():
    # means: importance (6+5+4)/3 = 5, performance (2+4+6)/3 = 4: b sits exactly on both
    result = ipa({"a": 6, "b": 5, "c": 4}, {"a": 2, "b": 4, "c": 6}).set_index("attribute")
    assert result.loc["b", "quadrant"] == "keep up the good work"
    assert result.loc["a", "quadrant"] == "concentrate here"
    assert result.loc["c", "quadrant"] == "possible overkill"


def test_ipa_with_a_scale_cross_point_accepts_a_constant_column():
    result = ipa({"a": 6, "b": 6, "c": 6}, {"a": 3, "b": 5, "c": 4}, cross=(4, 4)).set_index("attribute")
    assert result["quadrant"].to_dict() == {"a": "concentrate here", "b": "keep up the good work",
                                            "c": "keep up the good work"}
    with pytest.raises(DataError, match="importance: every attribute has the same score.*cross=\\(4, 4\\)"):
        ipa({"a": 6, "b": 6, "c": 6}, {"a": 3, "b": 5, "c": 4})
    with pytest.raises(DataError, match="performance: every attribute"):
        ipa({"a": 6, "b": 5, "c": 4}, {"a": 4, "b": 4, "c": 4})
    with pytest.raises(DataError, match="cross must be"):
        ipa({"a": 6, "b": 5, "c": 4}, {"a": 3, "b": 5, "c": 4}, cross="median")


def test_ipa_needs_three_attributes():
    with pytest.raises(DataError, match="importance: 2 attribute"):
        ipa({"a": 6, "b": 5}, {"a": 3, "b": 5})


def test_bundled_ipa_finds_resolution_and_follow_up_to_work_on():
    means = attribute_means(load("surveys"))
    result = ipa(means["customer_importance"], means["customer_satisfaction"])
    here = result.loc[result["quadrant"] == "concentrate here", "attribute"]
    assert set(here) == {"first-contact resolution", "follow-up kept", "short wait"}   # access matters
    assert result.set_index("attribute").loc["quick call", "quadrant"] == "possible overkill"
    assert set(result["quadrant"]) == set(QUADRANTS)


# ----------------------------------------------------------------- top issues


def test_top_issues_by_hand():
    poll = pd.DataFrame({"agent_id": ["A1", "A1", "A2", "A2"], "rank": [1, 2, 1, 2],
                         "reason": ["Complaint ", "billing", "complaint", "cancellation"]})
    reasons = pd.Series(["billing"] * 6 + ["complaint"] * 2 + ["order status"] * 2 + [None, " "])
    t = top_issues(poll, reasons).set_index("reason")
    # mentions: complaint 2 of 4 (0.5), billing 1 (0.25), cancellation 1 (0.25), order status 0
    # contacts: billing 6 of 10 (0.6), complaint 2 (0.2), order status 2 (0.2), cancellation 0
    assert t.loc["complaint", ["mentions", "named_first", "contacts"]].tolist() == [2, 2, 2]
    assert t.loc["complaint", "difference"] == pytest.approx(0.5 - 0.2)
    assert t.loc["billing", "difference"] == pytest.approx(0.25 - 0.6)
    assert t.loc["order status", "poll_share"] == 0 and t.loc["cancellation", "data_share"] == 0
    assert t["verdict"].to_dict() == {"complaint": "over-reported", "billing": "under-reported",
                                      "cancellation": "over-reported", "order status": "under-reported"}
    assert t.loc["billing", "poll_rank"] == 2.5 and t.loc["billing", "data_rank"] == 1
    assert list(t.index[:1]) == ["complaint"]


def test_top_issues_threshold_edge_counts():
    poll = pd.DataFrame({"reason": ["a", "b", "c", "d"] * 5})  # 0.25 each
    reasons = pd.Series(["a"] * 30 + ["b"] * 25 + ["c"] * 25 + ["d"] * 20)
    verdict = top_issues(poll, reasons).set_index("reason")["verdict"]
    assert verdict.to_dict() == {"a": "under-reported", "b": "about right", "c": "about right", "d": "over-reported"}


def test_top_issues_explains_empty_input():
    with pytest.raises(DataError, match="no column 'reason'"):
        top_issues(pd.DataFrame({"agent_id": ["A1"]}), pd.Series(["x"]))
    with pytest.raises(DataError, match="contact_reasons"):
        top_issues(pd.DataFrame({"reason": ["x"]}), pd.Series([None, ""]))


def test_bundled_poll_agrees_with_the_contact_data_within_the_stated_tolerance():
    """Frontline feedback is "not scientific, but usually pretty accurate" (module 06's source)."""
    from coursekit.analysis.datagen import POLL_TOLERANCE

    t = top_issues(load("frontline_poll"), load("calls")["reason"]).set_index("reason")
    assert POLL_TOLERANCE == 0.05
    assert t["difference"].abs().max() < POLL_TOLERANCE and set(t["verdict"]) == {"about right"}
    assert t.sort_values("poll_rank").index[:3].tolist() == t.sort_values("data_rank").index[:3].tolist()
    assert math.isclose(t["poll_share"].sum(), 1) and math.isclose(t["data_share"].sum(), 1)
    assert len(load("frontline_poll")) == 120


# ----------------------------------------------------------------- module 06 self-checks


def test_module_06_self_checks_accept_the_answer_and_explain_common_mistakes():
    from coursekit.check import SelfCheck

    check = SelfCheck("06-voice-of-the-customer")
    means = attribute_means(load("surveys"))
    result = alignment(means["employee_importance"], means["customer_importance"])
    assert check("alignment_rho", round(result.rho, 2))
    swapped = check("alignment_rho", -round(result.rho, 2))
    assert not swapped and "wrong way round" in swapped.hint
    assert check("most_underrated", "follow-up kept")
    assert "over-rate" in check("most_underrated", "short wait").hint
    assert check("concentrate_here", ["follow-up kept", "first-contact resolution", "short wait"])
    assert "missing" in check("concentrate_here", ["follow-up kept", "first-contact resolution"]).message
    assert "'quick call' does not belong" in check("concentrate_here", ["follow-up kept", "quick call"]).message
    assert ".tolist()" in check("concentrate_here", "follow-up kept").hint
    issues = top_issues(load("frontline_poll"), load("calls")["reason"])
    largest = issues["difference"].abs().max()
    assert check("largest_difference_points", round(100 * largest, 1))
    assert "multiply by 100" in check("largest_difference_points", largest).hint
    assert check("my_value_guess", "Short wait ") and not check("my_value_guess", "speed")
    assert check("blind_spot_choice", " b ") and not check("unstructured_choice", "A")
    assert not check("blind_spot_choice", "D") and not check("unstructured_choice", "B")


def test_the_figures_module_06_states_are_what_the_library_gives():
    """Content is checked like code: every number module 06 and its guide state about the bundled data."""
    import nbformat
    from conftest import REPO

    surveys = load("surveys")
    means = attribute_means(surveys)
    result = alignment(means["employee_importance"], means["customer_importance"])
    grid = ipa(means["customer_importance"], means["customer_satisfaction"]).set_index("attribute")
    issues = top_issues(load("frontline_poll"), load("calls")["reason"])
    largest = issues.loc[issues["difference"].abs().idxmax()]
    kinds = surveys.groupby("respondent_type")["respondent_id"].nunique().to_dict()
    assert kinds == {"customer": 320, "employee": 40}
    assert round(result.rho, 1) == 0.1 and result.underrated[0] == "follow-up kept"
    assert means["customer_importance"].idxmax() == "first-contact resolution"
    assert means["employee_importance"].idxmax() == "short wait"
    assert grid.loc["short wait", "quadrant"] == "concentrate here" and grid.loc["quick call", "quadrant"] == "possible overkill"
    assert (round(100 * abs(largest["difference"]), 1), largest["reason"], largest["verdict"]) == (2.8, "account change", "about right")
    folder = REPO / "notebooks" / "06-voice-of-the-customer"
    text = "\n".join(c.source for c in nbformat.read(folder / "06-voice-of-the-customer.ipynb", as_version=4).cells)
    guide = (folder / "FACILITATOR.md").read_text()
    calls = load("calls")
    by_transfer = calls.groupby("transferred")["csat"].mean().round(1).to_dict()
    assert by_transfer == {True: 3.4, False: 4.0}
    assert "transferred score **3.4** out of 5, against **4.0** for the others" in " ".join(text.split())
    assert "320 customers" in text and "40 employees" in text and "40 agents" in text
    assert "within 5 points" in text and "usually pretty accurate" in text and "concentrate here" in text
    assert "2.8 points (account change, under-reported)" in guide and "0.1 (interval wide" in guide
    assert "first-contact resolution, follow-up kept, short wait" in guide
    for source in (text, guide):
        assert "come first and third" not in source and "memory keeps the dramatic calls" not in source
