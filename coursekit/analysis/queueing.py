"""Queueing formulas for contact centers: Erlang B, Erlang C and Erlang A, and staffing plans.

Units: **traffic** in Erlangs (calls × average handle time ÷ interval length, e.g. 100 calls of
180 s in 1,800 s = 10 Erlangs); times in **seconds**; probabilities and service levels are
**shares 0–1**.  The answer-time target ``target_s`` is the center's choice (the Y of "X % within
Y seconds"); without one it is :data:`coursekit.analysis.metrics.DEFAULT_THRESHOLD_S` (20 s, the
common 80/20 habit, not a standard).

    >>> round(erlang_c(10, 14), 4)                  # 100 calls / 30 min, 180 s AHT, 14 agents
    0.1741
    >>> round(service_level(10, 14, aht_s=180, target_s=20), 3)
    0.888
    >>> round(asa(10, 14, aht_s=180), 2)
    7.83

Where the models apply: one queue in which each agent handles **one contact at a time** and callers
wait in line, as on the phone.  Give them the phone calls and the phone handle time only
(``calls[calls["channel"] == "phone"]``).  Chat, where an agent handles several chats at once, is not
an Erlang C queue: one agent is not one server, and Erlang C would ask for far too many chat agents.
``staffing_plan(..., concurrency=k)`` gives only a first estimate for such a queue (see there).

Numerically stable for any number of agents: Erlang B by the recursion
B(0) = 1, B(n) = A·B(n−1) ÷ (n + A·B(n−1)) (no factorials or powers), Erlang C from B.
Overload (agents ≤ traffic) has no steady state in Erlang C: every caller waits
(``erlang_c`` = 1), the service level is 0 and the average wait is infinite (``inf``).
Erlang A (callers who hang up) is defined for any number of agents.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coursekit.analysis.metrics import DEFAULT_THRESHOLD_S
from coursekit.errors import DataError


def _check(traffic, agents=None):
    a = np.asarray(traffic, dtype=float)
    if np.any(~np.isfinite(a)) or np.any(a < 0):
        raise DataError(f"traffic must be Erlangs >= 0 (got {traffic!r})")
    if agents is None:
        return a, None
    n = np.asarray(agents, dtype=float)
    if np.any(n < 0) or np.any(n != np.floor(n)):
        raise DataError(f"agents must be whole numbers >= 0 (got {agents!r})")
    return a, n


def _out(value, *inputs):
    """A Python float for scalar inputs, an array otherwise."""
    if all(np.ndim(x) == 0 for x in inputs):
        return float(np.asarray(value))
    return np.asarray(value, dtype=float)


def erlang_b(traffic, agents):
    """Blocking probability with ``agents`` servers and no queue (Erlang B), share 0–1.

    B(0) = 1; B(n) = A·B(n−1) / (n + A·B(n−1)).  Vectorised over arrays of traffic and agents.
    """
    a, n = _check(traffic, agents)
    a, n = np.broadcast_arrays(a, n)
    b = np.ones(a.shape)
    top = int(n.max()) if n.size else 0
    for k in range(1, top + 1):
        b = np.where(k <= n, a * b / (k + a * b), b)
    return _out(b, traffic, agents)


def erlang_c(traffic, agents):
    """Probability that a caller waits (Erlang C), share 0–1: C = N·B / (N − A·(1 − B)).

    1.0 when agents ≤ traffic (overload: everyone waits).
    """
    a, n = _check(traffic, agents)
    b = np.asarray(erlang_b(a, n))
    with np.errstate(divide="ignore", invalid="ignore"):
        c = n * b / (n - a * (1 - b))
    c = np.where(n > a, np.clip(c, 0.0, 1.0), 1.0)
    return _out(c, traffic, agents)


def service_level(traffic, agents, aht_s, target_s=DEFAULT_THRESHOLD_S):
    """Share of callers answered within ``target_s`` seconds (Erlang C), 0–1:
    SL = 1 − C · exp(−(N − A) · target ÷ AHT).  0 when overloaded."""
    if aht_s <= 0 or target_s < 0:
        raise DataError(f"aht_s must be > 0 and target_s >= 0 (got {aht_s}, {target_s})")
    a, n = _check(traffic, agents)
    c = np.asarray(erlang_c(a, n))
    sl = np.where(n > a, 1 - c * np.exp(-(n - a) * target_s / aht_s), 0.0)
    return _out(np.clip(sl, 0.0, 1.0), traffic, agents)


def asa(traffic, agents, aht_s):
    """Average speed of answer in seconds (Erlang C): ASA = C · AHT ÷ (N − A); ``inf`` when overloaded."""
    if aht_s <= 0:
        raise DataError(f"aht_s must be > 0 (got {aht_s})")
    a, n = _check(traffic, agents)
    c = np.asarray(erlang_c(a, n))
    with np.errstate(divide="ignore"):
        wait = np.where(n > a, c * aht_s / np.where(n > a, n - a, 1.0), np.inf)
    return _out(wait, traffic, agents)


def _needed(a: np.ndarray, aht_s: float, target_s: float, goal: float) -> np.ndarray:
    """Smallest N per traffic value with service level >= goal, all values at once."""
    need = np.where(a > 0, 0, 0).astype(float)
    b = np.ones(a.shape)
    done = a <= 0
    k = 0
    while not done.all():
        k += 1
        b = a * b / (k + a * b)
        ok = ~done & (k > a)
        if ok.any():
            c = k * b / (k - a * (1 - b))
            sl = 1 - c * np.exp(-(k - a) * target_s / aht_s)
            hit = ok & (sl >= goal)
            need[hit] = k
            done |= hit
    return need


def _check_goal(aht_s, target_s, goal):
    if aht_s <= 0 or target_s < 0:
        raise DataError(f"aht_s must be > 0 and target_s >= 0 (got {aht_s}, {target_s})")
    if not 0 < goal < 1:
        raise DataError(f"goal is a share between 0 and 1, e.g. 0.8 for 80 % (got {goal})")


def agents_needed(traffic, aht_s, target_s=DEFAULT_THRESHOLD_S, goal=0.8) -> int:
    """The fewest agents whose Erlang C service level meets ``goal`` (e.g. 0.8 within 20 s)."""
    _check_goal(aht_s, target_s, goal)
    a, _ = _check(traffic)
    return int(_needed(np.atleast_1d(a), aht_s, target_s, goal)[0])


def staffing_plan(volume: pd.DataFrame, interval_s=1800, aht_s=300, target_s=DEFAULT_THRESHOLD_S, goal=0.8, shrinkage=0.0,
                  concurrency=1):
    """Agents for every interval of a volume table (``interval_start``, ``calls``), one row out per row in.

    Columns added: ``traffic`` (Erlangs = calls × AHT ÷ interval_s), ``agents`` (on the phones, Erlang C,
    to meet ``goal`` within ``target_s``), ``scheduled`` (= ceil(agents ÷ (1 − shrinkage)): breaks,
    meetings and absence), ``service_level`` and ``asa_s`` with ``agents``.  Intervals with no calls
    need 0 agents (service level 1, ASA 0).  All intervals are solved at once (vectorised).

    ``concurrency`` (default 1, the phone): contacts one agent handles at once, e.g. 2 or 3 for chat.
    Then a first estimate only: Erlang C finds the *slots* needed, with ``aht_s`` the average time a
    chat stays open while the agent also handles others, and ``agents`` = ceil(slots ÷ concurrency);
    ``service_level`` and ``asa_s`` are those of the slots.  It assumes the chats of one agent do not
    slow each other down beyond what ``aht_s`` already measures; a real chat plan needs the center's
    own data on that.
    """
    _check_goal(aht_s, target_s, goal)
    if isinstance(concurrency, bool) or not isinstance(concurrency, (int, np.integer)) or concurrency < 1:
        raise DataError(f"concurrency is a whole number of contacts per agent at once, 1 or more (got {concurrency!r})")
    if not 0 <= shrinkage < 1:
        raise DataError(f"shrinkage is a share between 0 and 1, e.g. 0.3 (got {shrinkage})")
    if "calls" not in volume.columns:
        raise DataError(f"volume table has no column 'calls' (found: {', '.join(map(str, volume.columns))})")
    calls = pd.to_numeric(volume["calls"], errors="coerce")
    if calls.isna().any() or (calls < 0).any():
        i = int((calls.isna() | (calls < 0)).to_numpy().nonzero()[0][0])
        raise DataError(f"volume row {i}: calls must be a number >= 0 (got {volume['calls'].iloc[i]!r})")
    plan = volume.copy()
    a = calls.to_numpy(dtype=float) * aht_s / interval_s
    need = _needed(a, aht_s, target_s, goal)
    agents = np.ceil(need / concurrency - 1e-9)
    plan["traffic"] = a
    plan["agents"] = agents.astype(int)
    plan["scheduled"] = np.ceil(agents / (1 - shrinkage) - 1e-9).astype(int)
    busy = need > 0
    sl = np.ones(len(a))
    wait = np.zeros(len(a))
    if busy.any():
        sl[busy] = service_level(a[busy], need[busy], aht_s, target_s)
        wait[busy] = asa(a[busy], need[busy], aht_s)
    plan["service_level"] = sl
    plan["asa_s"] = wait
    return plan


@dataclass
class ErlangA:
    """Erlang A (M/M/N+M) results.  Shares 0–1, times in seconds.

    ``p_wait``: callers who find every agent busy; ``p_abandon``: callers who hang up before an answer;
    ``asa_s``: average time in queue over all callers (answered or not); ``service_level``: share of
    all callers answered within the target; ``occupancy``: share of agent time spent handling calls.
    """

    p_wait: float
    p_abandon: float
    asa_s: float
    service_level: float
    occupancy: float


def erlang_a(traffic, agents, aht_s, patience_s, target_s=DEFAULT_THRESHOLD_S) -> ErlangA:
    """Erlang A: Erlang C with callers who hang up after an exponential patience (mean ``patience_s``).

    Birth–death chain on the number of callers n: arrivals λ = A ÷ AHT; departures
    min(n, N) ÷ AHT + max(n − N, 0) ÷ patience.  The stationary distribution is built by its
    ratios in log space and the queue tail is summed until terms are below 1e-17 of the total.
    A caller arriving with k callers ahead is answered within t with the probability that k + 1
    departures from the queue's head (rates N ÷ AHT + j ÷ patience) happen before both t and their own
    patience; that comes from the matrix exponential of that small pure-death chain.
    """
    from scipy.linalg import expm

    a, n = _check(traffic, agents)
    a, n = float(a), int(n)
    if aht_s <= 0 or target_s < 0:
        raise DataError(f"aht_s must be > 0 and target_s >= 0 (got {aht_s}, {target_s})")
    if not patience_s > 0:
        raise DataError(f"patience_s must be seconds > 0 (got {patience_s})")
    mu, theta = 1.0 / aht_s, 1.0 / patience_s
    lam = a * mu
    if lam == 0:
        return ErlangA(0.0, 0.0, 0.0, 1.0, 0.0)
    # log pi_n for n = 0..N (Poisson-like part), then the queue tail
    logs = [0.0]
    for k in range(1, n + 1):
        logs.append(logs[-1] + math.log(lam) - math.log(k * mu))
    tail = []
    log_term = logs[-1]
    j = 0
    while True:
        j += 1
        log_term += math.log(lam) - math.log(n * mu + j * theta)
        tail.append(log_term)
        if j > 10 and log_term - max(logs) < -40 and log_term < tail[-2]:
            break
        if j > 200_000:
            break
    all_logs = np.array(logs + tail)
    top = all_logs.max()
    pi = np.exp(all_logs - top)
    pi /= pi.sum()
    queue_len = np.arange(len(pi)) - n
    p_wait = float(pi[n:].sum())
    mean_queue = float((np.maximum(queue_len, 0) * pi).sum())
    p_abandon = theta * mean_queue / lam
    asa_s = mean_queue / lam
    busy = float((np.minimum(np.arange(len(pi)), n) * pi).sum())
    occupancy = busy / n if n else 0.0
    # answered within target: immediate answers plus queued callers served in time
    waiting = pi[n:]
    significant = np.flatnonzero(waiting > 1e-14)
    waiting = waiting[: significant[-1] + 1] if len(significant) else waiting[:0]
    k_max = len(waiting)
    if k_max:
        # states: j = callers ahead (k_max-1..0), then "served" and "gone"; generator matrix
        size = k_max + 2
        q = np.zeros((size, size))
        served, gone = k_max, k_max + 1
        for ahead in range(k_max):
            rate_down = n * mu + ahead * theta
            q[ahead, ahead - 1 if ahead > 0 else served] += rate_down
            q[ahead, gone] += theta
            q[ahead, ahead] = -(rate_down + theta)
        p = expm(q * target_s)
        in_time = float(waiting @ p[:k_max, served])
    else:
        in_time = 0.0
    sl = float(pi[:n].sum()) + in_time
    return ErlangA(p_wait, min(max(p_abandon, 0.0), 1.0), asa_s, min(max(sl, 0.0), 1.0), occupancy)
