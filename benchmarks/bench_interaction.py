"""score_many over 100,000 replies (one column of a QA export) against looping score_response,
in one process and on 2 cores (``jobs=2``); prints replies per second.

The replies are the bundled labelled replies with a different name, amount and reference in every
row, so no two are alike.  The loop is timed on 2,000 replies and scaled up.

    .venv/bin/python benchmarks/bench_interaction.py
"""

import sys
import time

import numpy as np
import pandas as pd

from coursekit.data import load
from coursekit.interaction import score_many, score_response

N = 100_000
LOOP_SAMPLE = 2_000
NAMES = ["Ana", "Ben", "Chloe", "Dev", "Eva", "Femi", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lena"]


def varied_replies(n: int, seed: int = 1) -> pd.DataFrame:
    """``n`` rows of reply, customer_message and facts, each with its own name and numbers."""
    base = load("responses")
    rng = np.random.default_rng(seed)
    pick = base.iloc[rng.integers(len(base), size=n)].reset_index(drop=True)
    names = [NAMES[k] for k in rng.integers(len(NAMES), size=n)]
    rows = []
    for i, (reply, message, facts, name) in enumerate(zip(pick["reply"], pick["customer_message"], pick["facts"],
                                                          names)):
        old_name = message.rsplit(None, 1)[-1]
        numbers = [w.strip("$") for f in facts.split(";") for w in f.split() if w.strip("$")[:1].isdigit()]
        number = max(numbers, key=len)  # the reference, or else the amount
        ref = str(100000 + i) if number.isdigit() else f"{i // 100}.{i % 100:02d}"
        reply, facts = reply.replace(number, ref), facts.replace(number, ref)
        rows.append((reply.replace(old_name, name), f"Order {100000 + i}: {message.replace(old_name, name)}", facts))
    return pd.DataFrame(rows, columns=["reply", "customer_message", "facts"])


def main() -> int:
    frame = varied_replies(N)
    assert frame["reply"].nunique() > 0.9 * N, "the benchmark replies should differ"
    start, cpu = time.perf_counter(), time.process_time()
    plain = score_many(frame["reply"])
    replies_only, replies_only_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    full = score_many(frame)
    with_context, with_context_cpu = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    both = score_many(frame, jobs=2)
    two_cores = time.perf_counter() - start
    assert both["total"].equals(full["total"]), "jobs=2 gives other scores"
    sample = frame.head(LOOP_SAMPLE)
    start = time.perf_counter()
    looped = [score_response(r, m, f).total for r, m, f in sample.itertuples(index=False)]
    loop = (time.perf_counter() - start) * N / LOOP_SAMPLE
    assert np.allclose(looped, full["total"].head(LOOP_SAMPLE)), "score_many and score_response disagree"
    print(f"score_many, {N:,} replies (text only): {replies_only:.2f} s ({replies_only_cpu:.2f} s CPU)")
    print(f"score_many, {N:,} replies with customer message and facts: {with_context:.2f} s "
          f"({with_context_cpu:.2f} s CPU; facts kept in {full['facts_kept'].mean():.0%})")
    print(f"score_many(jobs=2), {N:,} replies with customer message and facts: {two_cores:.2f} s: "
          f"{N / two_cores:,.0f} replies per second on 2 cores ({N / with_context:,.0f} in one process)")
    print(f"looping score_response (timed on {LOOP_SAMPLE:,}, scaled): {loop:.1f} s")
    print(f"ratio: {loop / with_context:.0f}x faster (text only: {loop / replies_only:.0f}x); "
          f"mean total {plain['total'].mean():.1f}")
    return 0 if N / two_cores >= 10_000 else 1


if __name__ == "__main__":
    sys.exit(main())
