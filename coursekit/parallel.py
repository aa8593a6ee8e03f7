"""Run one job per item in worker processes, at most ``jobs`` at once, each with a time limit.

Each item runs in its own forked process that leads its own process group, so a job past its time
limit is killed together with everything it started (a Jupyter kernel in an infinite loop, say).
A job that dies, or whose result cannot be sent back, becomes a failed result; it never stops the
others.  Generic: it knows nothing of grading.  Used by :func:`coursekit.grading.autograde` and
:func:`coursekit.grading.feedback`.

Gradebook consistency: nbgrader writes to the gradebook in short transactions at the start and end
of each autograde, so parallel workers rarely touch the database at the same moment.  SQLite waits
for the lock (pysqlite's 5 s busy timeout) and a job that still meets "database is locked" is
retried from the start (the caller's ``retry_if``), after its partial result is removed; PostgreSQL handles concurrent writers
itself.  Every job grades a different learner-module pair, so no two jobs write the same rows.
"""

from __future__ import annotations

import multiprocessing as mp
import multiprocessing.connection as mp_connection
import os
import signal
import time
import traceback

MAX_TRIES = 3


def _child(conn, func, item):
    os.setsid()
    try:
        _become_subreaper()
        result = func(item)
    except BaseException as exc:  # reported to the parent as a failed outcome
        result = exc if isinstance(exc, Exception) else RuntimeError(repr(exc))
        result.__traceback_text__ = traceback.format_exc()
    _kill_descendants()  # nothing a job started outlives it, even when it finished in time
    try:
        conn.send(result)
    except Exception as exc:
        conn.send(RuntimeError(f"result could not be returned: {exc}"))
    conn.close()


def _kill_descendants() -> None:
    import psutil

    try:
        family = psutil.Process().children(recursive=True)
    except psutil.Error:
        return
    for p in family:
        try:
            p.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(family, timeout=5)


def _become_subreaper() -> None:
    """Orphans of this job (a process its kernel started, say) become its children, not init's, so
    that :func:`_kill` finds them."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def _kill(proc) -> None:
    """Kill a worker, its process group and every descendant (kernels start their own groups)."""
    import psutil

    try:
        family = psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        family = []
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for p in family:
        try:
            p.kill()
        except psutil.Error:
            pass
    proc.join(5)


def run_pool(items, func, on_failure, jobs: int = 1, timeout: float | None = None, retry_if=None,
             progress=None) -> list:
    """``func(item)`` for every item, at most ``jobs`` at once; the results in the order of ``items``.

    An item whose job raises, crashes, dies or passes ``timeout`` seconds (killed with everything it
    started) gets ``on_failure(item, reason)`` as its result instead.  A result for which
    ``retry_if(result)`` is true is run again (at most :data:`MAX_TRIES` times: a gradebook that
    was locked).  ``progress(item)`` is called as each item finishes.  With ``jobs=1`` and no
    ``timeout`` everything runs here, in this process, one item after another.

    Why not pebble's ``ProcessPool`` (which has per-task time limits): it kills the worker process
    only, and a grading job's kernels lead sessions of their own (and warm kernels are children of
    the zygote), so they would outlive the job; here the job's whole process tree is killed.
    """
    items = list(items)
    jobs = max(1, int(jobs or os.cpu_count() or 1))
    if jobs == 1 and timeout is None:
        return [_serial(item, func, on_failure, retry_if, progress) for item in items]
    return _parallel(items, func, on_failure, jobs, timeout, retry_if, progress)


def _serial(item, func, on_failure, retry_if, progress):
    for _ in range(MAX_TRIES):
        try:
            result = func(item)
        except Exception as exc:
            result = on_failure(item, f"grading crashed: {type(exc).__name__}: {exc}")
        if not (retry_if and retry_if(result)):
            break
    if progress:
        progress(item)
    return result


def _parallel(items, func, on_failure, jobs, timeout, retry_if, progress):
    ctx = mp.get_context("fork")
    pending = list(enumerate(items))
    tries = {i: 0 for i, _ in pending}
    running: dict[int, tuple] = {}
    results: dict[int, object] = {}

    def failed(item, reason):
        try:
            return on_failure(item, reason)
        except Exception as exc:  # the failure handler itself failed: still one result per item
            return RuntimeError(f"{reason} ({exc})")

    def finish(index, item, result):
        if retry_if and retry_if(result) and tries[index] < MAX_TRIES:
            pending.insert(0, (index, item))
            return
        results[index] = result
        if progress:
            progress(item)

    while pending or running:
        while pending and len(running) < jobs:
            index, item = pending.pop(0)
            tries[index] += 1
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(child, func, item), daemon=False)
            proc.start()
            child.close()
            running[index] = (item, proc, parent, time.monotonic())
        waiting = [conn for _, _, conn, _ in running.values()]
        mp_connection.wait(waiting, timeout=0.2)
        for index, (item, proc, conn, started) in list(running.items()):
            if conn.poll():
                try:
                    result = conn.recv()
                except (EOFError, OSError):
                    result = RuntimeError("the grading worker stopped without a result")
                proc.join(10)
                if proc.is_alive():
                    _kill(proc)
                del running[index]
                if isinstance(result, Exception):
                    result = failed(item, f"grading crashed: {type(result).__name__}: {result}")
                finish(index, item, result)
            elif not proc.is_alive():
                del running[index]
                finish(index, item, failed(item, f"the grading worker died (exit code {proc.exitcode})"))
            elif timeout is not None and time.monotonic() - started > timeout:
                _kill(proc)
                del running[index]
                finish(index, item, failed(item, f"took longer than the {timeout:g} s limit; stopped"))
    return [results[i] for i in range(len(items))]
