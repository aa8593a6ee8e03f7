"""Contact-center KPIs over a calls table (one row per contact, as ``coursekit.data.load("calls")``).

Units: times in **seconds**; rates and service level are **shares 0–1** (multiply by 100 for percent).

Channels: every function measures the contacts it is given.  Phone and chat queues are different
(a chat customer waits in another way, and a chat agent often handles several chats at once), so
measure them apart: ``kpi_table(calls, by="channel")``, or ``service_level(phone)`` with
``phone = calls[calls["channel"] == "phone"]``.
Every function returns NaN, never a made-up number, when there is nothing to measure (no calls,
no answered calls, no survey answers), and raises :class:`DataError` naming a missing column.

    >>> from coursekit.data import load
    >>> calls = load("calls")
    >>> round(abandonment_rate(calls), 3)        # doctest: +SKIP
    0.101
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursekit.errors import DataError, require_columns


def _need(calls: pd.DataFrame, *columns: str) -> None:
    require_columns(calls, "calls table", *columns)


def _abandoned(calls) -> pd.Series:
    return calls["abandoned"].astype(bool)


def _answered(calls) -> pd.DataFrame:
    return calls[~_abandoned(calls)]


def _handle_s(frame: pd.DataFrame) -> pd.Series:
    """Handle time per contact, seconds: talk + hold + after-call work (a missing hold or ACW value,
    or a table without those columns, counts as 0)."""
    handle = frame["talk_s"].astype(float)
    for column in ("hold_s", "acw_s"):
        if column in frame.columns:
            handle = handle + frame[column].fillna(0)
    return handle


def _share(numerator: float, denominator: float) -> float:
    return float(numerator) / denominator if denominator else float("nan")


def aht(calls: pd.DataFrame) -> float:
    """Average handle time, seconds: mean of talk + hold + after-call work over answered contacts
    (missing hold or ACW count as 0)."""
    _need(calls, "abandoned", "talk_s")
    answered = _answered(calls)
    handle = _handle_s(answered)
    return float(handle.mean()) if len(answered) else float("nan")


def asa(calls: pd.DataFrame) -> float:
    """Average speed of answer, seconds: mean queue wait of answered contacts."""
    _need(calls, "abandoned", "wait_s")
    answered = _answered(calls)
    return float(answered["wait_s"].mean()) if len(answered) else float("nan")


#: The threshold (seconds) used when none is given: the common "80/20" convention, not a standard.
#: A service-level objective is "X % answered within Y seconds", and each center chooses X and Y.
DEFAULT_THRESHOLD_S = 20


def service_level(calls: pd.DataFrame, threshold_s: float = DEFAULT_THRESHOLD_S,
                  short_abandon_s: float | None = None) -> float:
    """Share of contacts answered within ``threshold_s`` seconds (the Y of "X % within Y s"), 0–1.

    SL = answered within threshold ÷ (answered + abandoned): abandoned calls count against the
    center (the common, strictest form).  With ``short_abandon_s``, callers who hung up sooner than
    that are left out of both parts (they gave the center no real chance).
    """
    _need(calls, "abandoned", "wait_s")
    ab = _abandoned(calls)
    keep = ~(ab & (calls["wait_s"] < short_abandon_s)) if short_abandon_s is not None else pd.Series(True, index=calls.index)
    within = (~ab & (calls["wait_s"] <= threshold_s) & keep).sum()
    return _share(within, keep.sum())


def abandonment_rate(calls: pd.DataFrame, short_abandon_s: float | None = None) -> float:
    """Share of offered contacts abandoned, 0–1: abandoned ÷ offered.  With ``short_abandon_s``,
    abandons under that many seconds are left out of numerator and denominator."""
    _need(calls, "abandoned", "wait_s")
    ab = _abandoned(calls)
    if short_abandon_s is not None:
        short = ab & (calls["wait_s"] < short_abandon_s)
        return _share((ab & ~short).sum(), (~short).sum())
    return _share(ab.sum(), len(calls))


def fcr(calls: pd.DataFrame, method: str = "flag", window_days: float = 7) -> float:
    """First-contact resolution, 0–1, measured one of two ways (a third, the customer survey, asks
    "was your problem solved?" and is not in this table).

    ``method="flag"``: answered contacts the agent marked resolved (``resolved_first_contact``) ÷
    answered contacts with a mark.  Misses problems the agent believed solved and were not.
    ``method="repeat"``: answered contacts with **no** repeat contact (a later row whose
    ``repeat_of`` names it) within ``window_days`` days ÷ answered contacts.  Misses customers who
    gave up, went elsewhere, or came back after the window or without being linked.
    """
    if method == "flag":
        _need(calls, "abandoned", "resolved_first_contact")
        known = _answered(calls)["resolved_first_contact"].dropna()
        return float(known.astype(bool).mean()) if len(known) else float("nan")
    if method != "repeat":
        raise DataError(f"fcr method must be 'flag' or 'repeat' (got {method!r})")
    _need(calls, "abandoned", "contact_id", "arrival_time", "repeat_of")
    if not window_days > 0:
        raise DataError(f"window_days must be > 0 (got {window_days})")
    answered = _answered(calls)
    if not len(answered):
        return float("nan")
    first = calls.set_index("contact_id")["arrival_time"]
    repeats = calls.dropna(subset=["repeat_of"])
    repeats = repeats[repeats["repeat_of"].isin(first.index)]
    gap = pd.to_datetime(repeats["arrival_time"]).to_numpy() - pd.to_datetime(
        first.loc[repeats["repeat_of"]]).to_numpy()
    came_back = set(repeats["repeat_of"][gap <= pd.Timedelta(days=window_days).to_timedelta64()])
    return float((~answered["contact_id"].isin(came_back)).mean())


def csat(calls: pd.DataFrame, method: str = "mean") -> float:
    """Customer satisfaction from survey answers (1–5); contacts without an answer are left out.

    ``method="mean"``: the average score (1–5).  ``method="top2box"``: share 0–1 answering 4 or 5.
    """
    _need(calls, "csat")
    answers = pd.to_numeric(calls["csat"], errors="coerce").dropna()
    if not len(answers):
        return float("nan")
    if method == "mean":
        return float(answers.mean())
    if method == "top2box":
        return float((answers >= 4).mean())
    raise DataError(f"csat method must be 'mean' or 'top2box' (got {method!r})")


def occupancy(calls: pd.DataFrame, staffed_seconds: float) -> float:
    """Share of staffed time spent handling contacts, 0–1: total handle time ÷ staffed seconds."""
    _need(calls, "abandoned", "talk_s")
    if not staffed_seconds or staffed_seconds <= 0:
        raise DataError(f"staffed_seconds must be > 0 (got {staffed_seconds})")
    answered = _answered(calls)
    handle = _handle_s(answered)
    return float(handle.sum()) / staffed_seconds


KPI_COLUMNS = ["contacts", "answered", "abandoned", "aht_s", "asa_s", "service_level", "abandonment_rate",
               "fcr", "csat"]


def kpi_table(calls: pd.DataFrame, by: str = "agent_id", agents: pd.DataFrame | None = None,
              interval: str = "30min", threshold_s: float = DEFAULT_THRESHOLD_S) -> pd.DataFrame:
    """The KPIs per group, one row per group, vectorised (no loop per group).

    ``by``: ``"agent_id"`` (answered contacts only, so abandonment is 0 and service level refers to
    the contacts the agent answered), ``"team"`` (needs ``agents`` with agent_id and team),
    ``"day"``, ``"interval"`` (``interval`` wide, e.g. ``"30min"``), or any column of ``calls``
    (``"channel"`` keeps phone and chat apart).  Service level counts ``threshold_s`` seconds.
    Columns: contacts, answered, abandoned, aht_s, asa_s, service_level, abandonment_rate, fcr,
    csat (mean 1–5).  A group with no answered contacts has NaN handle and wait figures.
    """
    _need(calls, "abandoned", "wait_s", "talk_s")
    frame = calls.copy()
    if by == "day":
        _need(calls, "arrival_time")
        frame["day"] = pd.to_datetime(frame["arrival_time"]).dt.normalize()
    elif by == "interval":
        _need(calls, "arrival_time")
        frame["interval"] = pd.to_datetime(frame["arrival_time"]).dt.floor(interval)
    elif by == "team":
        if agents is None or not {"agent_id", "team"} <= set(agents.columns):
            raise DataError("kpi_table(by='team') needs agents=... with columns agent_id and team")
        frame = frame.merge(agents[["agent_id", "team"]], on="agent_id", how="left")
    elif by not in frame.columns:
        raise DataError(f"cannot group by {by!r}: not a column of the calls table")
    ab = frame["abandoned"].astype(bool)
    answered = ~ab
    handle = _handle_s(frame)
    parts = pd.DataFrame({
        "key": frame[by],
        "contacts": 1,
        "answered": answered.astype(int),
        "abandoned": ab.astype(int),
        "handle": handle.where(answered),
        "wait": frame["wait_s"].where(answered),
        "in_time": (answered & (frame["wait_s"] <= threshold_s)).astype(int),
        "resolved": frame["resolved_first_contact"].astype("boolean").astype("Float64").where(answered)
        if "resolved_first_contact" in frame else np.nan,
        "csat": pd.to_numeric(frame["csat"], errors="coerce") if "csat" in frame else np.nan,
    })
    g = parts.groupby("key", sort=True, dropna=True)
    out = pd.DataFrame({
        "contacts": g["contacts"].sum(),
        "answered": g["answered"].sum(),
        "abandoned": g["abandoned"].sum(),
        "aht_s": g["handle"].mean(),
        "asa_s": g["wait"].mean(),
    })
    out["service_level"] = g["in_time"].sum() / out["contacts"]
    out["abandonment_rate"] = out["abandoned"] / out["contacts"]
    out["fcr"] = g["resolved"].mean().astype(float)
    out["csat"] = g["csat"].mean().astype(float)
    out.index.name = by
    return out.reset_index()
