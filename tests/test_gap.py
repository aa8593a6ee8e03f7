"""Benchmark gaps on hand-made teams whose tables were worked out by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from coursekit import gap
from coursekit.data import load
from coursekit.errors import DataError
from coursekit.metrics import kpi_table

# four agents, 100 contacts each; repeat contacts per 1,000 and transfers lower is better (a center's own metrics), FCR and CSAT higher is better
TEAM = pd.DataFrame({
    "agent_id": ["A", "B", "C", "D"],
    "contacts": [100, 100, 100, 100],
    "repeats_per_1000": [300.0, 400.0, 500.0, 600.0],
    "fcr": [0.60, 0.70, 0.80, 0.90],
    "transfer_rate": [0.02, 0.04, 0.06, 0.08],
    "csat": [4.5, 4.0, 3.5, 3.0],
})
TARGETS = pd.DataFrame({
    "metric": ["repeats_per_1000", "fcr", "transfer_rate", "csat"],
    "target": [420.0, 0.75, 0.05, 4.2],
    "direction": ["lower", "higher", "lower", "higher"],
})
# sample SD of 300, 400, 500, 600: sqrt((150² + 50² + 50² + 150²) / 3) = sqrt(50,000 / 3)
SD_REPEATS = math.sqrt(50_000 / 3)


def by_metric(table):
    return table.set_index("metric")


def test_gap_sign_is_positive_when_better_for_both_directions():
    bench = gap.benchmark(TEAM, "target", targets=TARGETS)
    a = by_metric(gap.gap_table(TEAM, bench, "A"))
    # A: 300 s AHT against 420 (lower better): 120 s better; FCR 60 % against 75 %: 15 points worse
    assert a.loc["repeats_per_1000", "gap"] == pytest.approx(120)
    assert a.loc["fcr", "gap"] == pytest.approx(-0.15)
    assert a.loc["transfer_rate", "gap"] == pytest.approx(0.03)   # 2 % against 5 %: better
    assert a.loc["csat", "gap"] == pytest.approx(0.3)                # 4.5 against 4.2: better
    d = by_metric(gap.gap_table(TEAM, bench, "D"))
    assert d.loc["repeats_per_1000", "gap"] == pytest.approx(-180)              # 600 s: 180 s slower than target
    assert d.loc["fcr", "gap"] == pytest.approx(0.15)
    assert d.loc["transfer_rate", "gap"] == pytest.approx(-0.03)
    assert list(a["direction"]) == ["lower", "higher", "lower", "higher"]
    assert list(a["value"]) == [300, 0.6, 0.02, 4.5]
    assert list(a["benchmark"]) == [420, 0.75, 0.05, 4.2]


def test_standardised_gap_and_percentile_by_hand():
    bench = gap.benchmark(TEAM, "target", targets=TARGETS)
    a = by_metric(gap.gap_table(TEAM, bench, "A"))
    assert a.loc["repeats_per_1000", "peer_sd"] == pytest.approx(SD_REPEATS)
    assert a.loc["repeats_per_1000", "gap_sd"] == pytest.approx(120 / SD_REPEATS)            # 0.9295
    assert a.loc["fcr", "gap_sd"] == pytest.approx(-0.15 / (SD_REPEATS / 1000))   # -1.1619
    assert a.loc["repeats_per_1000", "peer_median"] == pytest.approx(450)
    # percentile: share of the 3 other agents A beats (higher = better)
    assert a.loc["repeats_per_1000", "percentile"] == 100      # fastest
    assert a.loc["transfer_rate", "percentile"] == 100
    assert a.loc["fcr", "percentile"] == 0          # lowest FCR
    b = by_metric(gap.gap_table(TEAM, bench, "B"))
    assert b.loc["repeats_per_1000", "percentile"] == pytest.approx(200 / 3)   # beats C and D
    assert b.loc["fcr", "percentile"] == pytest.approx(100 / 3)     # beats A


def test_ties_count_half():
    team = pd.DataFrame({"agent_id": list("PQRS"), "contacts": 50, "qa_score": [60.0, 70.0, 70.0, 80.0]})
    bench = gap.benchmark(team, "peer_median")
    q = gap.gap_table(team, bench, "Q").iloc[0]
    assert q["percentile"] == pytest.approx(100 * (1 + 0.5) / 3)   # beats P, ties with R
    assert q["benchmark"] == 70 and q["gap"] == 0


def test_three_benchmark_methods_by_hand():
    top = by_metric(gap.benchmark(TEAM, "top_quartile", targets=TARGETS))
    # lower is better: 25th percentile of 300..600 = 300 + 0.75 × 100; higher: 75th of 0.6..0.9
    assert top.loc["repeats_per_1000", "benchmark"] == pytest.approx(375)
    assert top.loc["fcr", "benchmark"] == pytest.approx(0.825)
    assert top.loc["transfer_rate", "benchmark"] == pytest.approx(0.035)
    assert top.loc["repeats_per_1000", "basis"] == "top quartile of 4 agents"
    median = by_metric(gap.benchmark(TEAM, "peer_median", targets=TARGETS))
    assert median.loc["repeats_per_1000", "benchmark"] == pytest.approx(450)
    assert median.loc["fcr", "benchmark"] == pytest.approx(0.75)
    target = by_metric(gap.benchmark(None, "target", targets=TARGETS))
    assert target.loc["csat", "benchmark"] == 4.2
    assert set(target.index) == set(TARGETS["metric"])


def test_directions_come_from_the_benchmarks_table():
    assert gap.directions() == {**gap.DEFAULT_DIRECTIONS, **dict(zip(load("benchmarks")["metric"],
                                                                     load("benchmarks")["direction"]))}
    assert gap.DEFAULT_DIRECTIONS == dict(zip(load("benchmarks")["metric"], load("benchmarks")["direction"]))
    # a center that decides longer calls are better: its table wins over the default
    flipped = TARGETS.assign(direction=["higher", "higher", "lower", "higher"])
    a = by_metric(gap.gap_table(TEAM, gap.benchmark(TEAM, "target", targets=flipped), "A"))
    assert a.loc["repeats_per_1000", "gap"] == pytest.approx(-120)
    assert a.loc["repeats_per_1000", "percentile"] == 0


def test_team_gaps_equals_one_gap_table_per_agent():
    bench = gap.benchmark(TEAM, "top_quartile", targets=TARGETS)
    team = gap.team_gaps(TEAM, bench)
    assert len(team) == 4 * 4
    one_by_one = pd.concat([gap.gap_table(TEAM, bench, a) for a in TEAM["agent_id"]], ignore_index=True)
    pd.testing.assert_frame_equal(team, one_by_one)
    assert list(team.columns) == gap.GAP_COLUMNS


def test_too_few_contacts_is_named_and_left_out_of_the_peers():
    team = pd.concat([TEAM, pd.DataFrame({"agent_id": ["E"], "contacts": [12], "repeats_per_1000": [100.0], "fcr": [0.1],
                                          "transfer_rate": [0.5], "csat": [1.0]})], ignore_index=True)
    with pytest.raises(DataError, match=r"agent E has 12 contacts, fewer than the 30"):
        gap.gap_table(team, gap.benchmark(team, "target", targets=TARGETS), "E")
    with pytest.raises(DataError, match=r"agent E has 12 contacts"):
        gap.team_gaps(team, gap.benchmark(team, "target", targets=TARGETS))
    # E's extreme figures change neither the benchmark nor the peers of A
    assert by_metric(gap.benchmark(team, targets=TARGETS)).loc["repeats_per_1000", "benchmark"] == pytest.approx(375)
    a = by_metric(gap.gap_table(team, gap.benchmark(team, "target", targets=TARGETS), "A"))
    assert a.loc["repeats_per_1000", "peer_sd"] == pytest.approx(SD_REPEATS)
    # the minimum is a stated constant and can be lowered on purpose
    assert gap.MIN_CONTACTS == 30
    e = by_metric(gap.gap_table(team, gap.benchmark(team, "target", targets=TARGETS), "E", min_contacts=10))
    assert e.loc["repeats_per_1000", "percentile"] == 100


def test_missing_metric_for_an_agent_is_named_not_a_nan_row():
    team = TEAM.assign(csat=[4.5, 4.0, 3.5, np.nan])
    bench = gap.benchmark(team, "target", targets=TARGETS)
    with pytest.raises(DataError, match=r"agent D has no value for 'csat'"):
        gap.gap_table(team, bench, "D")
    with pytest.raises(DataError, match=r"agent D has no value for 'csat'"):
        gap.team_gaps(team, bench)
    a = by_metric(gap.gap_table(team, bench, "A"))    # the others still compare with the 3 who have one
    assert a.loc["csat", "percentile"] == 100
    assert a.loc["csat", "peer_sd"] == pytest.approx(0.5)
    assert not gap.gap_table(team, bench, "A").isna().any().any()


def test_a_benchmark_with_no_data_says_so():
    empty = TEAM.assign(fcr=np.nan)
    with pytest.raises(DataError, match=r"no agent with at least 30 contacts has a value for 'fcr'"):
        gap.benchmark(empty, "top_quartile", targets=TARGETS)
    with pytest.raises(DataError, match=r"benchmarks table has no target for 'csat'"):
        gap.benchmark(TEAM, "target", targets=TARGETS[TARGETS["metric"] != "csat"])
    bench = gap.benchmark(TEAM, "target", targets=TARGETS)
    bench.loc[bench["metric"] == "fcr", "benchmark"] = np.nan
    with pytest.raises(DataError, match=r"the benchmark for 'fcr' has no value"):
        gap.gap_table(TEAM, bench, "A")
    with pytest.raises(DataError, match=r"benchmark table is empty"):
        gap.gap_table(TEAM, bench.iloc[0:0], "A")
    new_hires = TEAM.assign(contacts=5)
    with pytest.raises(DataError, match=r"no agent with at least 30 contacts"):
        gap.benchmark(new_hires, targets=TARGETS)


@pytest.mark.parametrize("call, message", [
    (lambda: gap.benchmark(TEAM, "best", targets=TARGETS), r"method must be one of 'top_quartile'"),
    (lambda: gap.benchmark(TEAM, targets=TARGETS.assign(direction="up")), r"direction of 'repeats_per_1000' is 'up'"),
    (lambda: gap.benchmark(TEAM, targets=TARGETS, metrics=["talk_ratio"]), r"no direction known for metric 'talk_ratio'"),
    (lambda: gap.benchmark(TEAM.drop(columns="csat"), targets=TARGETS, metrics=["csat"]), r"no column 'csat'"),
    (lambda: gap.gap_table(TEAM, gap.benchmark(TEAM, targets=TARGETS), "Z"), r"agent 'Z' is not in the KPI table"),
    (lambda: gap.gap_table(TEAM.drop(columns="contacts"), gap.benchmark(None, "target", targets=TARGETS), "A"),
     r"no column 'contacts'"),
    (lambda: gap.team_gaps(pd.concat([TEAM, TEAM.iloc[:1]]), gap.benchmark(TEAM, targets=TARGETS)), r"'A' twice"),
    (lambda: gap.team_gaps(TEAM.assign(fcr=0.7), gap.benchmark(TEAM, "target", targets=TARGETS)),
     r"every agent has the same 'fcr' \(0.7\)"),
])
def test_mistakes_give_one_clear_line(call, message):
    with pytest.raises(DataError, match=message) as info:
        call()
    assert "\n" not in str(info.value)


def test_priorities_rank_shortfall_times_impact():
    table = pd.DataFrame({"agent_id": "A", "metric": ["repeats_per_1000", "fcr", "csat", "qa_score"],
                          "gap_sd": [-2.0, -1.5, 0.5, -0.5]})
    impact = {"repeats_per_1000": 0.1, "fcr": 0.5, "csat": 1.0, "qa_score": 0.8}
    ranked = gap.priorities(table, impact=impact).set_index("metric")
    # fcr 1.5 × 0.5 = 0.75; qa 0.5 × 0.8 = 0.4; aht 2 × 0.1 = 0.2; csat above benchmark = 0
    assert ranked["priority"].to_dict() == pytest.approx({"fcr": 0.75, "qa_score": 0.4, "repeats_per_1000": 0.2, "csat": 0.0})
    assert ranked["rank"].to_dict() == {"fcr": 1, "qa_score": 2, "repeats_per_1000": 3, "csat": 4}
    plain = gap.priorities(table)           # equal weights: the largest shortfall first
    assert list(plain["metric"]) == ["repeats_per_1000", "fcr", "qa_score", "csat"]
    with pytest.raises(DataError, match=r"no weight for 'qa_score'"):
        gap.priorities(table, impact={"repeats_per_1000": 1, "fcr": 1, "csat": 1})
    with pytest.raises(DataError, match=r"impact of 'fcr' is -1"):
        gap.priorities(table, impact={**impact, "fcr": -1})


def test_priorities_rank_within_each_agent():
    bench = gap.benchmark(TEAM, "target", targets=TARGETS)
    ranked = gap.priorities(gap.team_gaps(TEAM, bench))
    assert ranked.groupby("agent_id")["rank"].apply(list).to_dict() == {a: [1, 2, 3, 4] for a in "ABCD"}
    # D: AHT 600 against 420 is its only shortfall with abandonment 8 % against 5 %: both rank before strengths
    d = ranked[ranked["agent_id"] == "D"].set_index("metric")
    assert d.loc["repeats_per_1000", "priority"] == pytest.approx(180 / SD_REPEATS)
    assert d.loc["fcr", "priority"] == 0


def test_impact_is_the_oriented_correlation_with_csat():
    impact = gap.estimate_impact(TEAM, targets=TARGETS)
    # shorter calls went with higher CSAT here (oriented r = +1); higher FCR with lower CSAT (r = -1 -> 0)
    assert impact["repeats_per_1000"] == pytest.approx(1)
    assert impact["fcr"] == 0
    assert impact["transfer_rate"] == pytest.approx(1)
    assert impact["csat"] == pytest.approx(1)
    noisy = TEAM.assign(fcr=[0.6, 0.9, 0.8, 0.7])
    r = np.corrcoef([0.6, 0.9, 0.8, 0.7], [4.5, 4.0, 3.5, 3.0])[0, 1]
    assert gap.estimate_impact(noisy, targets=TARGETS)["fcr"] == pytest.approx(max(r, 0))


def test_agent_kpis_joins_kpi_table_with_qa():
    calls = pd.DataFrame({
        "agent_id": ["A1", "A1", "A2", None],
        "wait_s": [5, 30, 10, 40],
        "abandoned": [False, False, False, True],
        "talk_s": [300, 200, 400, np.nan],
        "hold_s": [0, 0, 0, np.nan],
        "acw_s": [0, 0, 0, np.nan],
        "resolved_first_contact": pd.array([True, False, True, None], dtype="boolean"),
        "csat": pd.array([5, None, 3, None], dtype="Int64"),
    })
    qa = pd.DataFrame({"agent_id": ["A1", "A1", "A3"], "qa_score": [80.0, 90.0, 50.0]})
    agents = pd.DataFrame({"agent_id": ["A1", "A2"], "name": ["Ann", "Bo"], "team": ["Billing", "General"]})
    kpis = gap.agent_kpis(calls, qa, agents).set_index("agent_id")
    assert kpis.loc["A1", "contacts"] == 2 and kpis.loc["A1", "aht_s"] == 250
    assert kpis.loc["A1", "qa_score"] == 85 and kpis.loc["A1", "qa_evaluations"] == 2
    assert math.isnan(kpis.loc["A2", "qa_score"]) and kpis.loc["A2", "qa_evaluations"] == 0
    assert kpis.loc["A2", "name"] == "Bo"
    assert "transfer_rate" not in kpis.columns       # never an agent's doing
    reference = kpi_table(calls, by="agent_id").set_index("agent_id")
    for column in ["contacts", "aht_s", "asa_s", "service_level", "fcr", "csat"]:
        pd.testing.assert_series_equal(kpis[column], reference[column], check_names=False, check_dtype=False)
    with pytest.raises(DataError, match=r"QA table has no column 'qa_score'"):
        gap.agent_kpis(calls, qa.rename(columns={"qa_score": "score"}))


def test_the_bundled_team_has_a_complete_gap_table():
    kpis = gap.agent_kpis(load("calls"), load("qa_evaluations"), load("agents"))
    assert len(kpis) == 40 and (kpis["contacts"] >= gap.MIN_CONTACTS).all()
    for method in gap.METHODS:
        team = gap.team_gaps(kpis, gap.benchmark(kpis, method))
        assert len(team) == 40 * len(gap.GAP_METRICS)
        assert not team.isna().any().any()
        assert team["percentile"].between(0, 100).all()
    # the peer median sits at the 50th percentile by construction
    median = gap.team_gaps(kpis, gap.benchmark(kpis, "peer_median"))
    assert (median["gap"] > 0).groupby(median["metric"]).mean().to_dict() == pytest.approx(
        dict.fromkeys(gap.GAP_METRICS, 0.5))


def test_format_value_by_unit():
    assert gap.format_value(0.625, "share 0-1") == "62.5 %"
    assert gap.format_value(-0.05, "share 0-1", change=True) == "-5.0 points"
    assert gap.format_value(412.4, "seconds") == "412 s"
    assert gap.format_value(38, "seconds", change=True) == "+38 s"
    assert gap.format_value(3.9, "score 1-5") == "3.90 of 5"
    assert gap.format_value(71.25, "percent 0-100") == "71.2 %"


# ----------------------------------------------------------------- what is never a personal gap

BUNDLED = None


def bundled_kpis():
    global BUNDLED
    if BUNDLED is None:
        BUNDLED = gap.agent_kpis(load("calls"), load("qa_evaluations"), load("agents"))
    return BUNDLED


def test_handle_time_is_never_a_lower_is_better_personal_gap():
    kpis = bundled_kpis()
    assert "aht_s" in kpis.columns and "aht_s" not in gap.directions()   # no "lower is better" for handle time
    for method in gap.METHODS:
        bench = gap.benchmark(kpis, method)
        assert set(bench["metric"]) == set(gap.GAP_METRICS)
        assert "aht_s" not in set(gap.team_gaps(kpis, bench)["metric"])
    with pytest.raises(DataError, match=r"'aht_s' cannot be a personal benchmark: handle time is context"):
        gap.benchmark(kpis, metrics=["aht_s", "fcr"])
    hand_made = pd.DataFrame({"metric": ["aht_s"], "unit": ["seconds"], "direction": ["lower"], "benchmark": [384.0]})
    with pytest.raises(DataError, match=r"never a personal target to minimise"):
        gap.gap_table(kpis, hand_made, "A17")
    assert "aht_s" not in set(load("benchmarks")["metric"])


@pytest.mark.parametrize("metric", ["service_level", "asa_s", "aht_s"])
def test_service_level_and_waiting_time_are_never_in_a_personal_priority_ranking(metric):
    kpis = bundled_kpis()
    ranked = gap.priorities(gap.team_gaps(kpis, gap.benchmark(kpis)), impact=gap.estimate_impact(kpis))
    assert metric not in set(ranked["metric"]) and metric not in gap.estimate_impact(kpis).index
    forged = pd.DataFrame({"agent_id": "A17", "metric": [metric, "fcr"], "gap_sd": [-3.0, -1.0]})
    with pytest.raises(DataError, match=r"cannot be a personal priority"):
        gap.priorities(forged)
    with pytest.raises(DataError, match=r"cannot be a personal benchmark"):
        gap.estimate_impact(kpis, metrics=[metric])


def test_context_table_shows_handle_time_and_the_schedule_without_a_gap():
    kpis = pd.DataFrame({"agent_id": list("ABCD"), "contacts": 100, "shift": ["late", "late", "early", "early"],
                         "aht_s": [300.0, 400.0, 500.0, 600.0], "asa_s": [40.0, 30.0, 10.0, 12.0],
                         "service_level": [0.7, 0.75, 0.95, 0.9], "fcr": [0.6, 0.7, 0.8, 0.9]})
    t = gap.context_table(kpis, "A").set_index("metric")
    assert list(t.index) == ["aht_s", "asa_s", "service_level"] and list(t.columns) == gap.CONTEXT_COLUMNS[:1] + gap.CONTEXT_COLUMNS[2:]
    assert t["role"].to_dict() == {"aht_s": "context", "asa_s": "schedule", "service_level": "schedule"}
    assert t.loc["aht_s", "team_median"] == 450 and t.loc["asa_s", "shift_median"] == 35    # late shift: 40 and 30
    assert t.loc["service_level", "shift_median"] == pytest.approx(0.725)
    assert "gap" not in t.columns and "benchmark" not in t.columns
    assert "never a target to minimise" in t.loc["aht_s", "read_as"]
    with pytest.raises(DataError, match=r"agent 'Z' is not in the KPI table"):
        gap.context_table(kpis, "Z")


def test_the_figures_module_04_states_are_what_the_library_gives():
    """Content is checked like code: every number module 04 and its guide state about the bundled team."""
    import nbformat
    from conftest import REPO

    kpis = bundled_kpis()
    great = by_metric(gap.benchmark(kpis))["benchmark"]
    target = by_metric(gap.benchmark(kpis, "target"))["benchmark"]
    median = by_metric(gap.benchmark(kpis, "peer_median"))["benchmark"]
    kofi = by_metric(gap.gap_table(kpis, gap.benchmark(kpis), "A17"))
    context = by_metric(gap.context_table(kpis, "A17"))
    impact = gap.estimate_impact(kpis)
    ranked = gap.priorities(gap.gap_table(kpis, gap.benchmark(kpis), "A17"), impact=impact)
    assert (round(great["qa_score"]), round(target["qa_score"])) == (77, 85)
    assert (round(great["csat"], 2), target["csat"]) == (4.16, 4.2)
    assert (round(100 * great["fcr"]), round(100 * target["fcr"])) == (81, 75)
    assert (round(100 * great["fcr"], 1), round(great["fcr"], 3), round(100 * median["fcr"], 1)) == (80.6, 0.806, 74.4)
    assert round(100 * kofi.loc["fcr", "value"]) == 50 and round(kofi.loc["fcr", "gap_sd"], 1) == -2.1
    assert (round(kofi.loc["qa_score", "value"]), round(-kofi.loc["qa_score", "gap"]), round(kofi.loc["qa_score", "gap_sd"], 1)) == (62, 15, -1.5)
    assert round(kofi.loc["csat", "value"], 1) == 3.9 and round(impact["qa_score"], 2) == 0.85
    assert (round(context.loc["aht_s", "value"]), round(context.loc["aht_s", "team_median"])) == (304, 424)
    assert kofi["gap_sd"].idxmin() == "fcr" and ranked["metric"].iloc[0] == "qa_score"
    by_shift = kpis.groupby("shift")["asa_s"].mean().round()
    assert (by_shift["late"], by_shift["day"]) == (22, 12) and by_shift.idxmax() == "late"
    folder = REPO / "notebooks" / "04-benchmark-gap-analysis"
    text = "\n".join(c.source for c in nbformat.read(folder / "04-benchmark-gap-analysis.ipynb", as_version=4).cells)
    guide = (folder / "FACILITATOR.md").read_text()
    for figure in ("77 % against 85 %", "4.16 against 4.2", "81 % against 75 %", "FCR 50 % against 81 %", "304 s",
                   "424 s", "late shift had waited about 22 s", "about 12 s", "3.9 out of 5", "your quality score is 62 %", "reaches 77 %", "15 points below"):
        assert figure in text, figure
    for figure in ("80.6 %", "0.806", "74.4 %", "50 % against 81 % (−2.1 SD)", "62 % against 77 % (−1.5 SD × impact 0.85)",
                   "304 s against the team's 424 s"):
        assert figure in guide, figure
    option_b = text[text.index("- **B**: \"Kofi"):text.index("- **C**: \"Kofi")]
    for source in (text, guide):     # handle time is never a lower-is-better target
        assert "384" not in source and "it is the minimum" not in source and "target is the minimum" not in source
    assert "quick" not in option_b.lower() and "fast" not in option_b.lower()
