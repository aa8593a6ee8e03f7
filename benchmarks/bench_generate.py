"""Time `coursekit.data.generate` for about 1,000,000 contacts (target: under 10 s).

    .venv/bin/python benchmarks/bench_generate.py [--agents 400] [--days 100]
"""

import argparse
import sys
import time

from coursekit.datagen import generate


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", type=int, default=400)
    parser.add_argument("--days", type=int, default=100)
    args = parser.parse_args()
    start = time.perf_counter()
    data = generate(agents=args.agents, days=args.days)
    seconds = time.perf_counter() - start
    n = len(data["calls"])
    print(f"generate(agents={args.agents}, days={args.days}): {n:,} contacts in {seconds:.2f} s "
          f"({n / seconds:,.0f} contacts/s, all datasets included)")
    return 0 if seconds < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
