"""Benchmark gap analysis: what great looks like, and how far each agent is from it.

**Which numbers are a person's gaps.**  Only what an agent owns: the quality of the work
(``qa_score``), resolution (``fcr``) and the customer's outcome (``csat``): :data:`GAP_METRICS`.
The other agent-level numbers are never a personal gap, benchmark or priority (:data:`NOT_PERSONAL`):

- **handle time** (``aht_s``) is *context*: read it beside the team's middle and ask what is behind
  it (call mix, hold, after-call work, whether the problem was solved); never a target to minimise;
- **waiting time** (``asa_s``) and **service level** are the *schedule's*: they depend on when the
  agent works and how many are on the phones, not on one agent (see :func:`context_table`);
- **abandonment**: the caller never reached an agent.

Asking :func:`benchmark`, :func:`gap_table` or :func:`priorities` for one of them is a
:class:`DataError` that says why.

A **benchmark** is the value of a KPI that counts as great.  Three ways to set it:

``"top_quartile"``  the level the best quarter of peers reach: the 75th percentile of the peers'
                    values when higher is better, the 25th when lower is better (linear
                    interpolation between agents, as ``pandas.Series.quantile``);
``"peer_median"``   the middle agent: the peers' median;
``"target"``        the center's target from the benchmarks table (``load("benchmarks")``).

A **gap** compares one agent with the benchmark, signed so that **positive always means better than
the benchmark**: gap = value − benchmark when higher is better (FCR, CSAT, QA),
benchmark − value when lower is better (a center's own metric such as a transfer rate).  It is in the metric's own unit.
The **standardised gap** (``gap_sd``) = gap ÷ the peers' standard deviation of the metric (sample
SD, n − 1), so gaps in seconds and in shares can be compared.  The **percentile** (0–100) is the
share of the *other* peers the agent does better than, ties counting half, oriented so that higher
is better: 100 = best of the team, 0 = last.

**Peers** are the agents in the KPI table with at least :data:`MIN_CONTACTS` contacts and a value
for the metric.  Asking for the gap table of an agent below the minimum, or with a metric missing,
raises :class:`DataError` naming the agent: a gap on too little data is not a fair conversation.

Units, per metric (:data:`UNITS`; other metrics take the benchmarks table's ``unit``): ``aht_s`` and ``asa_s`` seconds; ``service_level``,
``abandonment_rate`` and ``fcr`` shares 0–1; ``csat`` mean survey score 1–5; ``qa_score`` percent
0–100.  Which way is better comes from the benchmarks table's ``direction`` column (one place), with
:data:`DEFAULT_DIRECTIONS` for metrics the table does not list.

    >>> from coursekit.data import load
    >>> kpis = agent_kpis(load("calls"), load("qa_evaluations"))
    >>> bench = benchmark(kpis, method="top_quartile")
    >>> gaps = gap_table(kpis, bench, "A07")
    >>> priorities(gaps, impact=estimate_impact(kpis)).head(3)     # doctest: +SKIP
    >>> context_table(kpis, "A07")                                   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from coursekit.analysis.data import load
from coursekit.errors import DataError, require_columns
from coursekit.analysis.metrics import kpi_table

#: fewest contacts an agent needs to be compared with peers (fewer: the figures are mostly chance)
MIN_CONTACTS = 30

METHODS = ("top_quartile", "target", "peer_median")

#: the agent-level numbers that are a person's gaps: quality, resolution, customer outcome
GAP_METRICS = ("fcr", "csat", "qa_score")

#: agent-level numbers that are never a personal gap, benchmark or priority: metric -> its role
NOT_PERSONAL = {"aht_s": "context", "asa_s": "schedule", "service_level": "schedule", "abandonment_rate": "schedule"}

#: why, in words (the error message and the context table say it)
ROLE_REASONS = {
    "context": "handle time is context to understand (call mix, hold, after-call work, problems solved), "
               "never a personal target to minimise",
    "schedule": "waiting time, service level and abandonment belong to the schedule (when an agent works and "
                "how many are on the phones), not to one agent",
}

#: which way is better, for metrics the benchmarks table does not list (it agrees with the bundled table)
DEFAULT_DIRECTIONS = {
    "service_level": "higher",
    "abandonment_rate": "lower",
    "fcr": "higher",
    "csat": "higher",
    "asa_s": "lower",
    "qa_score": "higher",
}

#: the unit of each metric (and of its gap)
UNITS = {
    "service_level": "share 0-1",
    "abandonment_rate": "share 0-1",
    "fcr": "share 0-1",
    "csat": "score 1-5",
    "aht_s": "seconds",
    "asa_s": "seconds",
    "qa_score": "percent 0-100",
}

#: the metrics of :func:`agent_kpis`, in the order tables show them (gaps and context alike)
AGENT_METRICS = ["aht_s", "asa_s", "service_level", "fcr", "csat", "qa_score"]

CONTEXT_COLUMNS = ["agent_id", "metric", "role", "unit", "value", "team_median", "shift", "shift_median", "read_as"]

GAP_COLUMNS = ["agent_id", "metric", "unit", "direction", "value", "benchmark", "gap", "gap_sd", "percentile",
               "peer_median", "peer_sd"]


# --------------------------------------------------------------------------- the agents' KPIs


def agent_kpis(calls: pd.DataFrame, qa: pd.DataFrame | None = None, agents: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per agent: ``agent_id``, ``contacts`` (answered contacts), the KPIs of
    :func:`coursekit.metrics.kpi_table` that an agent owns (``aht_s``, ``asa_s``, ``service_level``,
    ``fcr``, ``csat``), and with ``qa`` the mean ``qa_score`` (percent 0–100) and the number of
    ``qa_evaluations``.  With ``agents``, the agent's ``name`` and ``team`` are added.

    Abandonment is left out: an abandoned call never reached an agent, so it is 0 for everyone.
    An agent with no QA evaluation gets NaN ``qa_score`` (and :func:`gap_table` says so).

        >>> kpis = agent_kpis(load("calls"), load("qa_evaluations"), load("agents"))   # doctest: +SKIP
    """
    kpis = kpi_table(calls, by="agent_id")
    kpis = kpis[["agent_id", "contacts"] + [m for m in AGENT_METRICS if m in kpis.columns]]
    if qa is not None:
        require_columns(qa, "QA table", "agent_id", "qa_score")
        scores = qa.groupby("agent_id")["qa_score"].agg(qa_score="mean", qa_evaluations="count")
        kpis = kpis.merge(scores.astype(float), left_on="agent_id", right_index=True, how="left")
        kpis["qa_evaluations"] = kpis["qa_evaluations"].fillna(0).astype(int)
    if agents is not None:
        require_columns(agents, "agents table", "agent_id", "name", "team")
        extra = ["name", "team"] + (["shift"] if "shift" in agents.columns else [])
        kpis = kpis.merge(agents[["agent_id", *extra]], on="agent_id", how="left")
        for i, column in enumerate(extra, 1):
            kpis.insert(i, column, kpis.pop(column))
    return kpis.reset_index(drop=True)


# --------------------------------------------------------------------------- directions and benchmarks


def _targets_table(targets: pd.DataFrame | None) -> pd.DataFrame:
    table = load("benchmarks") if targets is None else targets
    require_columns(table, "benchmarks table", "metric", "direction")
    bad = ~table["direction"].astype(str).str.strip().str.lower().isin(["higher", "lower"])
    if bad.any():
        row = table[bad].iloc[0]
        raise DataError(f"benchmarks table: direction of '{row['metric']}' is {row['direction']!r}; "
                        "write 'higher' or 'lower' (which way is better)")
    return table.drop_duplicates("metric", keep="last").set_index("metric")


def directions(targets: pd.DataFrame | None = None) -> dict[str, str]:
    """Metric -> ``"higher"`` or ``"lower"`` (which way is better): the benchmarks table's
    ``direction`` column (the bundled one by default), and :data:`DEFAULT_DIRECTIONS` for the rest.

        >>> directions()["fcr"]
        'higher'
    """
    table = _targets_table(targets)
    return {**DEFAULT_DIRECTIONS, **table["direction"].astype(str).str.strip().str.lower().to_dict()}


def refuse_not_personal(metrics, where: str = "a personal gap") -> None:
    """DataError when one of ``metrics`` is handle time, waiting time, service level or abandonment
    (:data:`NOT_PERSONAL`): they are never a person's gap, benchmark or priority."""
    for m in metrics:
        if m in NOT_PERSONAL:
            raise DataError(f"'{m}' cannot be {where}: {ROLE_REASONS[NOT_PERSONAL[m]]}; "
                            "see it with context_table(kpis, agent)")


def _metrics_of(kpis: pd.DataFrame | None, known: dict, metrics, targets_index) -> list[str]:
    if metrics is not None:
        chosen = [metrics] if isinstance(metrics, str) else list(metrics)
        refuse_not_personal(chosen, "a personal benchmark")
        unknown = [m for m in chosen if m not in known]
        if unknown:
            raise DataError(f"no direction known for metric '{unknown[0]}'; add it to the benchmarks table "
                            "with direction 'higher' or 'lower'")
    elif kpis is None:
        chosen = [m for m in targets_index if m not in NOT_PERSONAL]
    else:
        chosen = [c for c in kpis.columns if c in known and c not in NOT_PERSONAL]
    if not chosen:
        raise DataError("the KPI table has none of the benchmark metrics "
                        f"({', '.join(known)}); build it with agent_kpis(calls, qa)")
    if kpis is not None:
        require_columns(kpis, "the KPI table", *chosen)
    return chosen


def _qualified(kpis: pd.DataFrame, min_contacts: int) -> pd.Series:
    require_columns(kpis, "the KPI table", "agent_id")
    require_columns(kpis, "the KPI table", "contacts", advice="build it with agent_kpis(calls, qa) so each agent's "
                                                     "number of contacts is known")
    dup = kpis["agent_id"].duplicated()
    if dup.any():
        raise DataError(f"the KPI table lists agent {kpis['agent_id'][dup].iloc[0]!r} twice; one row per agent")
    return pd.to_numeric(kpis["contacts"], errors="coerce").fillna(0).to_numpy() >= min_contacts


def _values(kpis: pd.DataFrame, metrics: list[str]) -> np.ndarray:
    return np.column_stack([pd.to_numeric(kpis[m], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
                            for m in metrics])


def benchmark(kpis: pd.DataFrame | None, method: str = "top_quartile", targets: pd.DataFrame | None = None,
              metrics=None, min_contacts: int = MIN_CONTACTS) -> pd.DataFrame:
    """What great looks like: one row per metric with ``metric``, ``unit``, ``direction``,
    ``benchmark`` (in the metric's unit), ``method`` and ``basis`` (where the figure comes from).

    ``kpis``: one row per agent (:func:`agent_kpis`); peers are the agents with at least
    ``min_contacts`` contacts.  ``method``: ``"top_quartile"`` (75th percentile of peers, 25th when
    lower is better), ``"peer_median"`` or ``"target"`` (the ``target`` column of ``targets``, the
    bundled benchmarks table by default; ``kpis`` may then be None).  ``metrics``: which metrics
    (default: every column of ``kpis`` with a known direction that is a personal gap; handle time,
    waiting time and service level never are, see :data:`NOT_PERSONAL`).

    Peers' FCR 0.6, 0.7, 0.8, 0.9 (higher is better): top quartile = 75th percentile = 0.825.

        >>> kpis = pd.DataFrame({"agent_id": list("ABCD"), "contacts": 100, "fcr": [0.6, 0.7, 0.8, 0.9]})
        >>> round(float(benchmark(kpis)["benchmark"].iloc[0]), 3)
        0.825
    """
    if method not in METHODS:
        raise DataError(f"benchmark method must be one of {', '.join(map(repr, METHODS))} (got {method!r})")
    table = _targets_table(targets)
    known = directions(targets)
    if kpis is None and method != "target":
        raise DataError(f"a {method!r} benchmark is computed from the team: pass the KPI table (agent_kpis(...))")
    chosen = _metrics_of(kpis, known, metrics, table.index)
    direction = [known[m] for m in chosen]
    their_units = table["unit"] if "unit" in table.columns else pd.Series(dtype=object)
    unit = [UNITS.get(m) or (their_units.get(m) if pd.notna(their_units.get(m)) else "") for m in chosen]
    if method == "target":
        require_columns(table, "benchmarks table", "target", advice="add each metric's target")
        absent = [m for m in chosen if m not in table.index or pd.isna(table["target"].get(m))]
        if absent:
            raise DataError(f"benchmarks table has no target for '{absent[0]}'; add a row for it, "
                            "or choose metrics=[...] without it")
        value = pd.to_numeric(table.loc[chosen, "target"], errors="coerce").to_numpy(dtype=float)
        source = table["source"] if "source" in table.columns else pd.Series(dtype=object)
        basis = ["target" + (f" ({source[m]})" if pd.notna(source.get(m)) else "") for m in chosen]
    else:
        peers = _values(kpis, chosen)[_qualified(kpis, min_contacts)]
        counts = (~np.isnan(peers)).sum(axis=0)
        if (counts == 0).any():
            m = chosen[int(np.argmax(counts == 0))]
            raise DataError(f"no agent with at least {min_contacts} contacts has a value for '{m}': "
                            f"there is no data to set a benchmark; use method='target' or leave '{m}' out")
        frame = pd.DataFrame(peers, columns=chosen)
        if method == "peer_median":
            value = frame.median().to_numpy()
        else:
            q = [0.75 if d == "higher" else 0.25 for d in direction]
            value = np.array([frame[m].quantile(qm) for m, qm in zip(chosen, q)])
        word = "top quartile" if method == "top_quartile" else "median"
        basis = [f"{word} of {n} agents" for n in counts]
    return pd.DataFrame({"metric": chosen, "unit": unit, "direction": direction, "benchmark": value,
                         "method": method, "basis": basis})


# --------------------------------------------------------------------------- gaps


def _gaps(kpis: pd.DataFrame, bench: pd.DataFrame, agents, min_contacts: int) -> pd.DataFrame:
    """The gap rows of ``agents`` (positions in ``kpis``), vectorised over agents and metrics."""
    require_columns(bench, "benchmark table", "metric", "direction", "benchmark", advice="make it with benchmark(kpis, method=...)")
    if bench["metric"].duplicated().any():
        raise DataError(f"benchmark table lists '{bench['metric'][bench['metric'].duplicated()].iloc[0]}' twice")
    metrics = bench["metric"].tolist()
    if not metrics:
        raise DataError("the benchmark table is empty: there is nothing to compare with")
    refuse_not_personal(metrics)
    target = pd.to_numeric(bench["benchmark"], errors="coerce").to_numpy(dtype=float)
    if np.isnan(target).any():
        m = metrics[int(np.argmax(np.isnan(target)))]
        raise DataError(f"the benchmark for '{m}' has no value; set it, or leave '{m}' out of the benchmark")
    direction = bench["direction"].astype(str).str.lower().to_numpy()
    if not np.isin(direction, ["higher", "lower"]).all():
        raise DataError(f"benchmark table: direction must be 'higher' or 'lower' (got {sorted(set(direction))})")
    require_columns(kpis, "the KPI table", *metrics)
    sign = np.where(direction == "higher", 1.0, -1.0)
    qualified = _qualified(kpis, min_contacts)
    values = _values(kpis, metrics)
    ids = kpis["agent_id"].to_numpy()
    contacts = pd.to_numeric(kpis["contacts"], errors="coerce").fillna(0).to_numpy()

    mine = values[agents]
    few = ~qualified[agents]
    if few.any():
        i = agents[int(np.argmax(few))]
        raise DataError(f"agent {ids[i]} has {int(contacts[i])} contacts, fewer than the {min_contacts} needed "
                        f"for a fair comparison; leave them out (kpis[kpis['contacts'] >= {min_contacts}]) "
                        "or wait for more contacts")
    gone = np.isnan(mine)
    if gone.any():
        row, col = np.argwhere(gone)[0]
        raise DataError(f"agent {ids[agents[row]]} has no value for '{metrics[col]}'; fill it in, or leave the "
                        f"metric out with benchmark(kpis, metrics=[...])")

    peers = values[qualified]
    n = (~np.isnan(peers)).sum(axis=0)
    if (n < 2).any():
        m = metrics[int(np.argmax(n < 2))]
        raise DataError(f"only {n[n < 2][0]} agent(s) with at least {min_contacts} contacts have a value for "
                        f"'{m}'; comparing with peers needs at least 2")
    peer_sd = np.nanstd(peers, axis=0, ddof=1)
    if (peer_sd == 0).any():
        m = metrics[int(np.argmax(peer_sd == 0))]
        raise DataError(f"every agent has the same '{m}' ({np.nanmax(peers[:, metrics.index(m)]):g}); "
                        "a gap in standard units needs some spread: leave the metric out")
    peer_median = np.nanmedian(peers, axis=0)

    gap = (mine - target) * sign
    percentile = np.empty_like(mine)
    for j in range(len(metrics)):
        ranked = np.sort(peers[:, j] * sign[j])[: n[j]]  # NaN sorts last
        x = mine[:, j] * sign[j]
        worse = np.searchsorted(ranked, x, "left")
        ties = np.searchsorted(ranked, x, "right") - worse - 1  # the agent ties with themself
        percentile[:, j] = 100 * (worse + 0.5 * ties) / (n[j] - 1)

    k, m = mine.shape
    return pd.DataFrame({
        "agent_id": np.repeat(ids[agents], m),
        "metric": np.tile(metrics, k),
        "unit": np.tile(bench["unit"].to_numpy() if "unit" in bench else [UNITS.get(x, "") for x in metrics], k),
        "direction": np.tile(direction, k),
        "value": mine.ravel(),
        "benchmark": np.tile(target, k),
        "gap": gap.ravel(),
        "gap_sd": (gap / peer_sd).ravel(),
        "percentile": percentile.ravel(),
        "peer_median": np.tile(peer_median, k),
        "peer_sd": np.tile(peer_sd, k),
    }, columns=GAP_COLUMNS)


def gap_table(kpis: pd.DataFrame, benchmark: pd.DataFrame, agent: str,
              min_contacts: int = MIN_CONTACTS) -> pd.DataFrame:
    """One agent against the benchmark, one row per metric.

    ``kpis``: every agent's KPIs (:func:`agent_kpis`), the peers the agent is compared with;
    ``benchmark``: from :func:`benchmark`; ``agent``: an ``agent_id``.
    Columns: ``agent_id``, ``metric``, ``unit``, ``direction``, ``value``, ``benchmark``,
    ``gap`` (positive = better than the benchmark, in the metric's unit), ``gap_sd`` (gap ÷ peers'
    SD), ``percentile`` (0–100, share of other peers the agent beats, ties half), ``peer_median``,
    ``peer_sd``.

    FCR of 0.60 against a 0.75 benchmark: gap = 0.60 − 0.75 = −0.15 (15 points short of great).
    Handle time, waiting time and service level are never in it (:func:`context_table` shows them).
    """
    require_columns(kpis, "the KPI table", "agent_id")
    where = np.flatnonzero(kpis["agent_id"].astype(str).to_numpy() == str(agent))
    if not len(where):
        raise DataError(f"agent {agent!r} is not in the KPI table ({len(kpis)} agents, e.g. "
                        f"{', '.join(map(str, kpis['agent_id'].head(3)))})")
    return _gaps(kpis, benchmark, where[:1], min_contacts)


def team_gaps(kpis: pd.DataFrame, benchmark: pd.DataFrame, min_contacts: int = MIN_CONTACTS) -> pd.DataFrame:
    """The gap table of every agent in ``kpis``, stacked (agent by agent, metrics in the benchmark's
    order); the same columns as :func:`gap_table`, computed at once for the whole team.  Every agent
    needs at least ``min_contacts`` contacts and a value for every metric (else :class:`DataError`).
    """
    _qualified(kpis, min_contacts)
    return _gaps(kpis, benchmark, np.arange(len(kpis)), min_contacts)


def format_value(value: float, unit: str, change: bool = False) -> str:
    """A value in words for its unit: shares and percents as "%" (a ``change``, such as a gap, in
    percentage "points", with a sign), seconds as "s", CSAT as "of 5".

        >>> format_value(0.625, "share 0-1"), format_value(-0.05, "share 0-1", change=True)
        ('62.5 %', '-5.0 points')
    """
    sign = "+" if change else ""
    if unit.startswith("share"):
        value, unit = 100 * value, "percent"
    if unit.startswith("percent"):
        return f"{value:{sign}.1f} points" if change else f"{value:.1f} %"
    if unit == "seconds":
        return f"{value:{sign}.0f} s"
    if unit.startswith("score"):
        return f"{value:{sign}.2f}" + ("" if change else " of 5")
    return f"{value:{sign}.3g}"


# --------------------------------------------------------------------------- priorities


def estimate_impact(kpis: pd.DataFrame, outcome: str = "csat", targets: pd.DataFrame | None = None,
                    metrics=None, min_contacts: int = MIN_CONTACTS) -> pd.Series:
    """How much each metric matters for ``outcome`` (CSAT by default), estimated from the team:
    impact = max(r, 0), where r is the correlation across peers between the metric (turned so that
    higher = better) and the outcome.  0 means improving the metric goes with no better outcome in
    this data; the outcome itself has impact 1.  A Series indexed by metric, named ``impact``.

    It is a correlation across agents, not proof of cause: use it to order a conversation, not to
    judge a person.
    """
    known = directions(targets)
    chosen = _metrics_of(kpis, known, metrics, None)
    require_columns(kpis, "the KPI table", outcome, advice="the outcome to estimate impact on")
    frame = pd.DataFrame(_values(kpis, chosen + [outcome]), columns=chosen + ["__outcome"])
    frame = frame[_qualified(kpis, min_contacts)]
    impact = {}
    for m in chosen:
        pair = frame[[m, "__outcome"]].dropna()
        if len(pair) < 3 or pair.std().eq(0).any():
            raise DataError(f"cannot estimate the impact of '{m}' on {outcome}: fewer than 3 agents with both "
                            "values, or no spread; pass impact={...} by hand")
        sign = 1.0 if known[m] == "higher" else -1.0
        impact[m] = max(sign * pair[m].corr(pair["__outcome"]), 0.0)
    return pd.Series(impact, name="impact", dtype=float).rename_axis("metric")


def priorities(gap_table: pd.DataFrame, impact=None) -> pd.DataFrame:
    """Development areas in order: the gap table with ``impact``, ``priority`` and ``rank`` added,
    sorted by rank (1 = work on this first; ranked within each agent).

    priority = shortfall × impact, where shortfall = −gap_sd for metrics below the benchmark and 0
    for those at or above it (strengths are never a priority).  ``impact``: a mapping or Series
    metric -> weight ≥ 0 (e.g. :func:`estimate_impact`); None weighs every metric 1.  Ties go to
    the larger shortfall.

    FCR 1.5 SD below great with impact 0.5 (priority 0.75) comes before QA 2 SD below with impact
    0.3 (priority 0.6).  Handle time, waiting time and service level are refused: they are never a
    personal priority (:data:`NOT_PERSONAL`).
    """
    require_columns(gap_table, "the table given to priorities", "metric", "gap_sd", advice="use the table gap_table(...) gives")
    refuse_not_personal(gap_table["metric"].unique(), "a personal priority")
    table = gap_table.copy()
    if impact is None:
        weight = pd.Series(1.0, index=table["metric"].unique())
    elif isinstance(impact, (Mapping, pd.Series)):
        weight = pd.Series(impact, dtype=float)
    else:
        raise DataError(f"impact must map each metric to a weight, e.g. {{'fcr': 0.5}} (got {type(impact).__name__})")
    absent = [m for m in table["metric"].unique() if m not in weight.index or pd.isna(weight[m])]
    if absent:
        raise DataError(f"impact has no weight for '{absent[0]}'; give every metric of the gap table a weight")
    if (weight < 0).any():
        raise DataError(f"impact of '{weight.index[weight < 0][0]}' is {weight[weight < 0].iloc[0]:g}; weights must be >= 0")
    table["impact"] = table["metric"].map(weight).to_numpy(dtype=float)
    shortfall = (-pd.to_numeric(table["gap_sd"])).clip(lower=0)
    table["priority"] = shortfall * table["impact"]
    keys = ["agent_id"] if "agent_id" in table.columns else []
    table = table.assign(_short=shortfall).sort_values(keys + ["priority", "_short"],
                                                       ascending=[True] * len(keys) + [False, False], kind="stable")
    table["rank"] = table.groupby(keys).cumcount() + 1 if keys else np.arange(1, len(table) + 1)
    return table.drop(columns="_short").reset_index(drop=True)


# --------------------------------------------------------------------------- context, not gaps


def context_table(kpis: pd.DataFrame, agent: str, min_contacts: int = MIN_CONTACTS) -> pd.DataFrame:
    """The agent's numbers that are *not* personal gaps (:data:`NOT_PERSONAL` present in ``kpis``:
    handle time, waiting time, service level), one row per metric, with no benchmark and no gap.

    Columns: ``agent_id``, ``metric``, ``role`` ("context" or "schedule"), ``unit``, ``value``,
    ``team_median`` (the median of peers with at least ``min_contacts`` contacts), ``shift`` and
    ``shift_median`` (the median of peers on the same shift, when ``kpis`` has a ``shift`` column,
    else empty), and ``read_as`` (how to read it, in words).

    An agent with AHT 500 s in a team whose middle is 420 s: value 500, team_median 420, read as
    context (what is behind the longer calls?), not as an 80-second gap.
    """
    require_columns(kpis, "the KPI table", "agent_id")
    where = np.flatnonzero(kpis["agent_id"].astype(str).to_numpy() == str(agent))
    if not len(where):
        raise DataError(f"agent {agent!r} is not in the KPI table ({len(kpis)} agents)")
    metrics = [m for m in AGENT_METRICS if m in NOT_PERSONAL and m in kpis.columns]
    if not metrics:
        raise DataError("the KPI table has no handle time, waiting time or service level; build it with agent_kpis(calls)")
    peers = kpis[_qualified(kpis, min_contacts)]
    row = kpis.iloc[where[0]]
    shift = row["shift"] if "shift" in kpis.columns else None
    same = peers[peers["shift"] == shift] if shift is not None else peers.iloc[0:0]
    read = {"aht_s": "context: compare with the team's middle, then ask what is behind it (call mix, hold, "
                     "after-call work, problems solved); never a target to minimise",
            "asa_s": "schedule: depends on when the agent works and how many are on the phones",
            "service_level": "schedule: depends on when the agent works and how many are on the phones"}
    return pd.DataFrame({
        "agent_id": str(row["agent_id"]),
        "metric": metrics,
        "role": [NOT_PERSONAL[m] for m in metrics],
        "unit": [UNITS[m] for m in metrics],
        "value": [float(row[m]) for m in metrics],
        "team_median": [float(pd.to_numeric(peers[m], errors="coerce").median()) for m in metrics],
        "shift": shift if shift is not None else "",
        "shift_median": [float(pd.to_numeric(same[m], errors="coerce").median()) if len(same) else np.nan
                         for m in metrics],
        "read_as": [read[m] for m in metrics],
    }, columns=CONTEXT_COLUMNS)
