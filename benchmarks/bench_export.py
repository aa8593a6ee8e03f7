"""xAPI statements for 1,000 learners x 8 modules, built and sent to a real LRS (Ralph, file-system
backend, on 127.0.0.1; see tests/lrs_server.py), then sent again (nothing new goes out).

    .venv/bin/python benchmarks/bench_export.py [--learners 1000] [--modules 8] [--batch 200]

Prints the time to build the statements from the gradebook, to send them (statements per second),
and what the LRS holds afterwards (through its GET /xAPI/statements).
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from bench_report import make_gradebook  # noqa: E402
from lrs_server import Ralph, ralph_python  # noqa: E402

from coursekit import course  # noqa: E402
from coursekit.course import progress, xapi  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--modules", type=int, default=8)
    parser.add_argument("--batch", type=int, default=xapi.BATCH, help="statements per request")
    args = parser.parse_args()
    python, why = ralph_python()
    if python is None:
        print(f"no LRS: {why}")
        return 1
    work = Path(tempfile.mkdtemp(prefix="bench-export-"))
    root = course.init_course(work / "course")
    t = time.perf_counter()
    _, n = make_gradebook(root, args.learners, args.modules)
    print(f"gradebook: {args.learners} learners x {args.modules} modules, {n} submissions "
          f"(made in {time.perf_counter() - t:.1f} s)")

    t = time.perf_counter()
    made = xapi.statements(progress.with_roster(progress.completion(root), None), course.COURSE_ID)
    print(f"built {len(made)} statements in {time.perf_counter() - t:.2f} s")

    lrs = Ralph(python, work / "lrs").start()
    try:
        t = time.perf_counter()
        done = xapi.export_xapi(root, lrs.url, lrs.auth, batch=args.batch)
        took = time.perf_counter() - t
        print(f"export xapi (completion, statements, outbox, send): {done.sent} statements in {took:.1f} s "
              f"= {done.sent / took:.0f} statements/s (batches of {args.batch})")
        t = time.perf_counter()
        again = xapi.export_xapi(root, lrs.url, lrs.auth, batch=args.batch)
        print(f"again: {again.new} new, {again.sent} sent, in {time.perf_counter() - t:.2f} s")
        held = lrs.all_statements()
        print(f"the LRS holds {len(held)} statements, {len({s['id'] for s in held})} distinct ids")
        return 0 if len(held) == len(made) == len({s["id"] for s in held}) else 1
    finally:
        lrs.stop()


if __name__ == "__main__":
    sys.exit(main())
