"""staffing_plan over all 27,716 five-minute intervals of the real bank volumes (../shared/real),
against a plain loop calling agents_needed once per interval.

    .venv/bin/python benchmarks/bench_staffing.py
"""

import math
import sys
import time
from pathlib import Path

from coursekit.data import read_volume
from coursekit.queueing import staffing_plan

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real" / "bank_calls.csv"


def plain_agents_needed(traffic, aht_s, target_s, goal):
    """The baseline: one interval at a time, in plain Python floats."""
    if traffic <= 0:
        return 0
    b, k = 1.0, 0
    while True:
        k += 1
        b = traffic * b / (k + traffic * b)
        if k > traffic:
            c = k * b / (k - traffic * (1 - b))
            if 1 - c * math.exp(-(k - traffic) * target_s / aht_s) >= goal:
                return k


def main() -> int:
    if not REAL.exists():
        print(f"skipped: {REAL} not present")
        return 0
    volume = read_volume(REAL)
    start = time.perf_counter()
    plan = staffing_plan(volume, interval_s=300, aht_s=300, target_s=20, goal=0.8)
    vectorised = time.perf_counter() - start
    start = time.perf_counter()
    loop = [plain_agents_needed(c * 300 / 300, 300, 20, 0.8) for c in volume["calls"]]
    naive = time.perf_counter() - start
    assert loop == plan["agents"].tolist(), "the loop and the plan disagree"
    print(f"staffing_plan, {len(volume):,} intervals: {vectorised:.2f} s")
    print(f"plain per-interval Python loop: {naive:.2f} s")
    print(f"ratio: {naive / vectorised:.0f}x")
    return 0 if vectorised < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
