"""Run one job per item in worker processes, at most ``jobs`` at once, each with a time limit.

Each item runs in its own forked process that leads its own process group, so a job past its time
limit is killed together with everything it started (a Jupyter kernel in an infinite loop, say).
A job that dies, or whose result cannot be sent back, becomes a failed outcome; it never stops the
others.  Used by :func:`coursekit.grading.autograde` and :func:`coursekit.grading.feedback`.

Gradebook consistency: nbgrader writes to the gradebook in short transactions at the start and end
of each autograde, so parallel workers rarely touch the database at the same moment.  SQLite waits
for the lock (pysqlite's 5 s busy timeout) and a job that still meets "database is locked" is
retried from the start, after its partial result is removed; PostgreSQL handles concurrent writers
itself.  Every job grades a different learner-module pair, so no two jobs write the same rows.
"""

from __future__ import annotations

import multiprocessing as mp
import multiprocessing.connection as mp_connection
import os
import signal
import time
import traceback

RETRYABLE = ("database is locked", "database table is locked", "could not serialize")
MAX_TRIES = 3


def _child(conn, func, item):
    os.setsid()
    try:
        result = func(item)
    except BaseException as exc:  # reported to the parent as a failed outcome
        result = exc if isinstance(exc, Exception) else RuntimeError(repr(exc))
        result.__traceback_text__ = traceback.format_exc()
    try:
        conn.send(result)
    except Exception as exc:
        conn.send(RuntimeError(f"result could not be returned: {exc}"))
    conn.close()


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


def run_pool(root, items, jobs, timeout, func, cleanup=None, progress=None):
    """Run ``func(item)`` for every item in parallel; return outcomes in the order of ``items``.

    ``func`` returns a :class:`coursekit.grading.GradeOutcome`; an exception, a crash or a timeout
    becomes a failed ``GradeOutcome`` for that item, after ``cleanup(item)``.
    """
    from .grading import GradeOutcome

    ctx = mp.get_context("fork")
    jobs = max(1, int(jobs or os.cpu_count() or 1))
    pending = list(enumerate(items))
    tries = {i: 0 for i, _ in pending}
    running: dict[int, tuple] = {}
    outcomes: dict[int, GradeOutcome] = {}

    def failed(item, reason):
        if cleanup:
            try:
                cleanup(item)
            except Exception:
                pass
        return GradeOutcome(item.learner_id, item.module, False, reason)

    def finish(index, item, outcome):
        if (not outcome.ok and any(r in outcome.reason for r in RETRYABLE) and tries[index] < MAX_TRIES):
            if cleanup:
                cleanup(item)
            pending.insert(0, (index, item))
            return
        outcomes[index] = outcome
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
    return [outcomes[i] for i in range(len(items))]
