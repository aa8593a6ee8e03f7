"""Gap tables for 10,000 agents × 10 metrics: ``benchmark`` + ``team_gaps`` (vectorised) against a
plain per-agent Python loop (peer statistics worked out once, percentiles by bisection), and against
calling ``gap_table`` once per agent.

    .venv/bin/python benchmarks/bench_gap.py
"""

import bisect
import statistics
import sys
import time

import numpy as np
import pandas as pd

from coursekit.gap import benchmark, gap_table, team_gaps

AGENTS, METRICS, SAMPLE = 10_000, 10, 200


def team(seed: int = 4):
    """Synthetic KPIs: metric m0…m9, even ones higher-is-better, odd ones lower-is-better."""
    rng = np.random.default_rng(seed)
    names = [f"m{j}" for j in range(METRICS)]
    kpis = pd.DataFrame(rng.normal(100, 15, (AGENTS, METRICS)).round(1), columns=names)
    kpis.insert(0, "contacts", rng.integers(30, 900, AGENTS))
    kpis.insert(0, "agent_id", [f"A{i:05d}" for i in range(AGENTS)])
    targets = pd.DataFrame({"metric": names, "target": 100.0,
                            "direction": ["higher" if j % 2 == 0 else "lower" for j in range(METRICS)]})
    return kpis, targets


def plain_loop(kpis, bench):
    """The baseline: one agent and one metric at a time, in plain Python."""
    rows = []
    metrics = list(zip(bench["metric"], bench["direction"], bench["benchmark"]))
    columns = {m: kpis[m].tolist() for m, _, _ in metrics}
    sd = {m: statistics.stdev(columns[m]) for m, _, _ in metrics}
    ranked = {m: sorted(v if d == "higher" else -v for v in columns[m]) for m, d, _ in metrics}
    for i, agent in enumerate(kpis["agent_id"]):
        for m, d, target in metrics:
            value = columns[m][i]
            sign = 1 if d == "higher" else -1
            gap = (value - target) * sign
            worse = bisect.bisect_left(ranked[m], sign * value)
            ties = bisect.bisect_right(ranked[m], sign * value) - worse - 1
            rows.append((agent, m, gap, gap / sd[m], 100 * (worse + 0.5 * ties) / (len(ranked[m]) - 1)))
    return rows


def main() -> int:
    kpis, targets = team()
    start = time.perf_counter()
    bench = benchmark(kpis, "top_quartile", targets=targets)
    table = team_gaps(kpis, bench)
    vectorised = time.perf_counter() - start

    start = time.perf_counter()
    rows = plain_loop(kpis, bench)
    naive = time.perf_counter() - start
    loop = np.array([r[2:] for r in rows])
    assert np.allclose(loop, table[["gap", "gap_sd", "percentile"]].to_numpy()), "the loop and team_gaps disagree"

    start = time.perf_counter()
    for agent in kpis["agent_id"][:SAMPLE]:
        gap_table(kpis, bench, agent)
    per_call = (time.perf_counter() - start) / SAMPLE

    print(f"benchmark + team_gaps, {AGENTS:,} agents x {METRICS} metrics ({len(table):,} rows): {vectorised:.3f} s")
    print(f"plain per-agent Python loop (same figures): {naive:.2f} s, ratio {naive / vectorised:.1f}x")
    print(f"gap_table once per agent: {per_call * 1000:.1f} ms each, about {per_call * AGENTS:.0f} s for all "
          f"(timed on {SAMPLE} agents), ratio {per_call * AGENTS / vectorised:.0f}x")
    return 0 if vectorised < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
