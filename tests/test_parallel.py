"""The generic pool: results in order, failures and time limits become results, retries, serial path."""

import os
import time

import psutil
import pytest

from coursekit.parallel import MAX_TRIES, run_pool


def double(x):
    if x == 3:
        raise ValueError("three")
    return 2 * x


def failed(item, reason):
    return f"failed {item}: {reason}"


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_in_order_and_an_exception_becomes_a_result(jobs):
    seen = []
    out = run_pool([1, 2, 3, 4], double, failed, jobs=jobs, progress=seen.append)
    assert out[:2] == [2, 4] and out[3] == 8
    assert out[2].startswith("failed 3: grading crashed: ValueError: three")
    assert sorted(seen) == [1, 2, 3, 4]


def sleeper(seconds):
    pid = os.fork()  # a child of the job: it must die with it
    if pid == 0:
        time.sleep(60)
        os._exit(0)
    time.sleep(seconds)
    return "done"


def test_a_job_past_its_time_limit_is_killed_with_what_it_started():
    before = set(psutil.pids())
    out = run_pool([0.1, 30], sleeper, failed, jobs=2, timeout=2)
    assert out[0] == "done" and "took longer than the 2 s limit" in out[1]
    time.sleep(0.5)
    new = [p for p in psutil.process_iter(["cmdline"]) if p.pid not in before and p.pid != os.getpid()
           and p.status() != psutil.STATUS_ZOMBIE and "pytest" in " ".join(p.info["cmdline"] or [])
           and not started_elsewhere(p, before)]
    assert not new, f"a job's process outlived it: {[p.info['cmdline'] for p in new]}"


def started_elsewhere(proc, before) -> bool:
    """A process another test started meanwhile (the other xdist worker runs pytest in a subprocess
    too): not a descendant of this test's process, and its nearest ancestor that was already running
    is not init (the parent a leaked, orphaned job is left with)."""
    try:
        ancestors = [a.pid for a in proc.parents()]
    except psutil.NoSuchProcess:
        return True
    if os.getpid() in ancestors:
        return False
    older = [pid for pid in ancestors if pid in before]
    return bool(older) and older[0] != 1


def test_a_result_asking_for_a_retry_runs_again_at_most_max_tries():
    calls = []

    def flaky(x):
        calls.append(x)
        return "locked"

    out = run_pool([1], flaky, failed, jobs=1, retry_if=lambda r: r == "locked")
    assert out == ["locked"] and len(calls) == MAX_TRIES
