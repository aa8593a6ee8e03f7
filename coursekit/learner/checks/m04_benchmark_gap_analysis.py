"""Self-checks for module 04-benchmark-gap-analysis (the bundled team; the learner looks at agent A17)."""

from functools import lru_cache

import pandas as pd

from coursekit.analysis import gap
from coursekit.learner.check import SHARE_NOT_PERCENT, Sealed, exercise, expect_choice, expect_number, result
from coursekit.analysis.data import load

MODULE = "04-benchmark-gap-analysis"
AGENT = "A17"


@lru_cache(maxsize=1)
def _kpis():
    return gap.agent_kpis(load("calls"), load("qa_evaluations"), load("agents"))


def _great(method="top_quartile"):
    return gap.benchmark(_kpis(), method=method)


def _gaps():
    return gap.gap_table(_kpis(), _great(), AGENT)


@exercise(MODULE, "great_fcr_percent")
def great_fcr_percent(value):
    share = _great().set_index("metric").loc["fcr", "benchmark"]
    def fcr(method):
        return 100 * _great(method).set_index("metric").loc["fcr", "benchmark"]

    return expect_number(value, round(100 * share, 1), tol=0.051, unit=" %",
                         hint="take great_by_metric['fcr'], multiply by 100, then round(..., 1).",
                         mistakes={share: SHARE_NOT_PERCENT,
                                   fcr("target"): "that is the center's target; the question asks for the top quartile "
                                                  "of the team.",
                                   fcr("peer_median"): "that is the middle agent (the median); the question asks for "
                                                       "the top quartile."})


@exercise(MODULE, "my_prediction")
def my_prediction(value):
    names = list(gap.GAP_METRICS)
    if isinstance(value, str) and value.strip().lower() in gap.NOT_PERSONAL:
        return result(False, f"{value.strip()!r} is not a gap an agent owns: {gap.ROLE_REASONS[gap.NOT_PERSONAL[value.strip().lower()]]}.",
                      f"choose one of {', '.join(map(repr, names))}.")
    if isinstance(value, str) and value.strip().lower() in names:
        return result(True,
                           f"your prediction {value.strip().lower()!r} is recorded; any metric is a fair guess.")
    return result(False, f"{value!r} is not one of the metric names.",
                       f"write one of {', '.join(map(repr, names))} in quotes.")


@exercise(MODULE, "kofi_gaps")
def kofi_gaps(value):
    if not isinstance(value, pd.DataFrame) or not {"agent_id", "metric", "gap", "benchmark"} <= set(value.columns):
        return result(False, "the answer should be the table gap_table(...) gives.",
                           f"write kofi_gaps = gap_table(kpis, great, \"{AGENT}\").")
    if set(value["agent_id"]) != {AGENT}:
        return result(False, f"this is the table of {', '.join(map(str, set(value['agent_id'])))}.",
                           f"Kofi's agent id is \"{AGENT}\".")
    expected = _gaps().set_index("metric")
    given = value.set_index("metric")
    if set(given.index) != set(expected.index):
        return result(False, "some metrics are missing from the table.",
                           "use the whole benchmark table, great, not a part of it.")
    if not (given["benchmark"] - expected.loc[given.index, "benchmark"]).abs().lt(1e-9).all():
        return result(False, "the benchmark in this table is not the top quartile.",
                           "compare with great = benchmark(kpis, method=\"top_quartile\").")
    if not (given["gap"] - expected.loc[given.index, "gap"]).abs().lt(1e-9).all():
        return result(False, "the gaps are not what gap_table gives.",
                           f"use gap_table(kpis, great, \"{AGENT}\") without changing the table.")
    return result(True, f"this is Kofi's gap table: {len(given)} metrics against the top quartile.")


@exercise(MODULE, "weakest")
def weakest(value):
    order = _gaps().sort_values("gap_sd")["metric"].tolist()
    return expect_choice(value, order[0], order,
                         hint="sort kofi_gaps by gap_sd from low to high (no ascending=False) and take the first metric.",
                         mistakes={order[-1]: "that is Kofi's strongest area; the weakest has the lowest gap_sd."})


@exercise(MODULE, "first_priority")
def first_priority(value):
    ranked = gap.priorities(_gaps(), impact=gap.estimate_impact(_kpis()))["metric"].tolist()
    hint = "use plan = priorities(kofi_gaps, impact=impact) and take plan['metric'].iloc[0]."
    if isinstance(value, str) and value.strip() == _gaps().sort_values("gap_sd")["metric"].iloc[0] != ranked[0]:
        hint = "that is the largest gap; the priority weighs each gap by its impact on CSAT."
    return expect_choice(value, ranked[0], ranked, hint=hint)


@exercise(MODULE, "opening")
def opening(value):
    return expect_choice(value, Sealed(MODULE, "opening", "5139eb89b0dc96c6c04cb94bd0629418051ea605e5710ac6c563addcf9c90c34"),
                         ["A", "B", "C", "D"],
                         hint="which opening starts from something going well for the customer (not speed), "
                              "names one gap with its numbers, and asks Kofi for his view?")
