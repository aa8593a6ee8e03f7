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
           and p.status() != psutil.STATUS_ZOMBIE and "pytest" in " ".join(p.info["cmdline"] or [])]
    assert not new, "a job's process outlived it"


def test_a_result_asking_for_a_retry_runs_again_at_most_max_tries():
    calls = []

    def flaky(x):
        calls.append(x)
        return "locked"

    out = run_pool([1], flaky, failed, jobs=1, retry_if=lambda r: r == "locked")
    assert out == ["locked"] and len(calls) == MAX_TRIES
