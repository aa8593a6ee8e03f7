"""Autograde a 24-learner cohort with `nbgrader autograde` (sequential) and with
`coursekit autograde --jobs 2`; check the scores are identical and print the wall-time ratio.

Also runs `coursekit autograde --jobs 2 --cold-kernels` (every kernel started from scratch, as
nbgrader does), so the figure separates what parallel workers give from what warm kernels
(coursekit.warmkernel) give, and `--no-fence`, so the figure shows what the grading fence
(coursekit.fence) costs.

    .venv/bin/python benchmarks/bench_autograde.py [--learners 24] [--jobs 2] [--modules 00-orientation]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coursekit import course, grading, progress, simulate


def scores(root: Path):
    table = progress.completion(root)
    return table.set_index(["learner_id", "module"])["score"].sort_index()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=24)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--modules", nargs="*", default=None)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-autograde-"))
    base = work / "base"
    modules = course.build(base, args.modules)
    roster = simulate.learner_roster(args.learners)
    simulate.register_learners(base, roster)
    simulate.simulate_cohort(base, args.learners, modules)
    seq, par, cold, open_ = (work / "nbgrader", work / "coursekit", work / "coursekit-cold",
                             work / "coursekit-unfenced")
    for folder in (seq, par, cold, open_):
        shutil.copytree(base, folder)
    n = sum(1 for _ in grading.find_submissions(base))
    print(f"cohort: {args.learners} learners, {len(modules)} module(s), {n} submissions; {os.cpu_count()} cores")

    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    start = time.perf_counter()
    for module in modules:  # nbgrader's own command, one notebook after another, ordinary (unfenced) kernels
        subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", module, "--force",
                        "--GradingExecute.fence=False"], cwd=seq, env=env, check=True, capture_output=True)
    t_seq = time.perf_counter() - start

    def coursekit(folder, *extra):
        start = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "coursekit"), "autograde", "--course", str(folder),
                        "--jobs", str(args.jobs), "--force", *extra], env=env, check=True, capture_output=True)
        return time.perf_counter() - start

    t_par = coursekit(par)
    t_open = coursekit(open_, "--no-fence")
    t_cold = coursekit(cold, "--cold-kernels")

    same = all(scores(seq).equals(scores(f)) for f in (par, cold, open_))
    print(f"nbgrader autograde (sequential, unfenced):         {t_seq:7.1f} s  ({t_seq / n:.2f} s per submission)")
    print(f"coursekit autograde --jobs {args.jobs} --cold-kernels:      {t_cold:7.1f} s  ({t_cold / n:.2f} s per "
          f"submission)  {t_seq / t_cold:.2f}x")
    print(f"coursekit autograde --jobs {args.jobs} --no-fence:          {t_open:7.1f} s  ({t_open / n:.2f} s per "
          f"submission)  {t_seq / t_open:.2f}x")
    print(f"coursekit autograde --jobs {args.jobs} (fenced, default):   {t_par:7.1f} s  ({t_par / n:.2f} s per "
          f"submission)  {t_seq / t_par:.2f}x")
    print(f"speed-up: {t_seq / t_par:.2f}x   fence cost: {100 * (t_par / t_open - 1):+.1f} %   identical scores: {same}")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
