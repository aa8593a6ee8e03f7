"""Voice of the customer: compare what customers say with what employees believe, and what agents
hear with what the contact data shows.

Units: importance and satisfaction are **mean scale points, 1–7** (as in ``load("surveys")``);
rank correlations are −1 to 1; shares are **0–1**.

    >>> from coursekit.data import load
    >>> means = attribute_means(load("surveys"))
    >>> result = alignment(means["employee_importance"], means["customer_importance"])
    >>> result.overrated                              # doctest: +SKIP
    ['short wait', 'quick call', 'easy self-service']
    >>> ipa(means["customer_importance"], means["customer_satisfaction"])   # doctest: +SKIP

Every function takes pandas objects indexed by attribute (or a dict ``{attribute: value}``) and
raises :class:`DataError` naming the argument and the attribute at fault: an attribute missing on
one side, a value that is not a number, fewer than 3 attributes, or a column with the same value
for every attribute (it ranks nothing, so a correlation or a quadrant would be meaningless).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

from coursekit.errors import DataError, require_columns

#: IPA quadrant labels, in the order a supervisor acts on them.
QUADRANTS = ["concentrate here", "keep up the good work", "low priority", "possible overkill"]
MIN_ATTRIBUTES = 3


def _scores(values, what: str) -> pd.Series:
    """A numeric Series indexed by attribute, with at least 3 attributes and no gaps."""
    series = pd.Series(values, dtype=object) if isinstance(values, dict) else pd.Series(values)
    if series.index.has_duplicates:
        dup = series.index[series.index.duplicated()][0]
        raise DataError(f"{what}: attribute {dup!r} appears twice; give one value per attribute")
    numbers = pd.to_numeric(series, errors="coerce").astype(float)
    bad = numbers.isna() | ~np.isfinite(numbers)
    if bad.any():
        where = bad.to_numpy().nonzero()[0][0]
        raise DataError(f"{what}: attribute {series.index[where]!r} has {series.iloc[where]!r}, not a number; "
                        "every attribute needs a score")
    if len(numbers) < MIN_ATTRIBUTES:
        raise DataError(f"{what}: {len(numbers)} attribute(s) given; comparing priorities needs at least "
                        f"{MIN_ATTRIBUTES}")
    return numbers


def _paired(first, second, names: tuple[str, str]) -> tuple[pd.Series, pd.Series]:
    a, b = _scores(first, names[0]), _scores(second, names[1])
    for x, y, name in ((a, b, names[1]), (b, a, names[0])):
        extra = [k for k in x.index if k not in y.index]
        if extra:
            raise DataError(f"{name}: has no value for attribute {extra[0]!r}; both sides must rate the same "
                            "attributes")
    return a, b.reindex(a.index)


def _not_constant(scores: pd.Series, what: str, remedy: str) -> None:
    if scores.nunique() == 1:
        raise DataError(f"{what}: every attribute has the same score ({scores.iloc[0]:g}), so it ranks "
                        f"nothing; {remedy}")


# --------------------------------------------------------------------------- survey summary


def attribute_means(surveys: pd.DataFrame) -> pd.DataFrame:
    """Mean ratings per attribute (scale points 1–7), one row per attribute (the index).

    Columns: ``customer_importance``, ``customer_satisfaction`` and ``customers`` (how many customers
    rated it) when the survey has customers; ``employee_importance`` (how important employees *think*
    it is to customers) and ``employees`` when it has employees.  A blank rating is left out of the
    mean; NaN only where a group did not rate that attribute at all (``alignment`` and ``ipa`` then
    name it).

    Example: customers rating "short wait" 5 and 7 and an employee rating it 6 give
    customer_importance 6.0 and employee_importance 6.0.
    """
    require_columns(surveys, "surveys", "respondent_type", "attribute", "importance")
    kind = surveys["respondent_type"].astype(str).str.strip().str.lower()
    unknown = sorted(set(kind) - {"customer", "employee"})
    if unknown:
        raise DataError(f"surveys: column 'respondent_type' has {unknown[0]!r}; use 'customer' or 'employee'")
    importance = pd.to_numeric(surveys["importance"], errors="coerce")
    parts = {}
    for who in ("customer", "employee"):
        mine = kind == who
        if not mine.any():
            continue
        grouped = importance[mine].groupby(surveys.loc[mine, "attribute"])
        parts[f"{who}_importance"] = grouped.mean()
        if who == "customer" and "satisfaction" in surveys:
            sat = pd.to_numeric(surveys["satisfaction"], errors="coerce")[mine]
            parts["customer_satisfaction"] = sat.groupby(surveys.loc[mine, "attribute"]).mean()
        parts[f"{who}s"] = grouped.count()
    if not parts:
        raise DataError("surveys: has no rows; nothing to summarise")
    out = pd.DataFrame(parts).astype(float)
    for count in ("customers", "employees"):
        if count in out:
            out[count] = out[count].fillna(0).astype(int)
    out.index.name = "attribute"
    return out


# --------------------------------------------------------------------------- alignment


def rank_correlation(first, second, confidence: float = 0.95) -> tuple[float, float, float]:
    """Spearman's rank correlation of two sets of scores, with a confidence interval.

    ρ = Pearson correlation of the ranks, tied scores sharing their average rank (so ties are
    exact, not the shortcut 1 − 6Σd²/(n(n²−1)), which is only exact without ties).
    Interval: Fisher's z with the Bonett–Wright (2000) standard error for Spearman's ρ,
    z = atanh(ρ), SE = √((1 + ρ²/2) / (n − 3)), bounds = tanh(z ± q·SE) with q the normal quantile
    (1.96 for 95 %).  With exactly 3 attributes SE is infinite and the interval is the whole range
    (−1, 1); with ρ = ±1 the interval shrinks to the single point ρ (read it with care on few
    attributes).  Returns ``(rho, low, high)``.

    >>> rank_correlation([5, 4, 3, 2, 1], [4, 5, 3, 1, 2])[0]
    0.8
    """
    if not 0 < confidence < 1:
        raise DataError(f"confidence must be a share between 0 and 1, such as 0.95 (got {confidence!r})")
    a, b = _paired(first, second, ("first scores", "second scores"))
    for scores, what in ((a, "first scores"), (b, "second scores")):
        _not_constant(scores, what, "a rank correlation needs scores that differ")
    rho = float(np.corrcoef(a.rank(), b.rank())[0, 1])
    rho = max(-1.0, min(1.0, round(rho, 12)))
    n = len(a)
    if n == MIN_ATTRIBUTES:
        return rho, -1.0, 1.0
    q = norm.ppf(0.5 + confidence / 2)
    se = math.sqrt((1 + rho ** 2 / 2) / (n - 3))
    if abs(rho) == 1.0:
        return rho, rho, rho
    z = math.atanh(rho)
    return rho, math.tanh(z - q * se), math.tanh(z + q * se)


@dataclass
class Alignment:
    """How well employees' view of what customers value matches what customers say.

    ``rho``, ``low``, ``high``: Spearman's rank correlation and its confidence interval;
    ``table``: one row per attribute, most important to customers first (see :func:`alignment`).
    """

    rho: float
    low: float
    high: float
    confidence: float
    table: pd.DataFrame

    @property
    def n(self) -> int:
        """Number of attributes compared."""
        return len(self.table)

    @property
    def overrated(self) -> list[str]:
        """Attributes employees rank higher than customers do, largest difference first."""
        rows = self.table[self.table["rating"] == "over-rated"].sort_values("rank_gap", ascending=False, kind="stable")
        return rows["attribute"].tolist()

    @property
    def underrated(self) -> list[str]:
        """Attributes employees rank lower than customers do, largest difference first."""
        rows = self.table[self.table["rating"] == "under-rated"].sort_values("rank_gap", kind="stable")
        return rows["attribute"].tolist()

    def __str__(self) -> str:
        pct = round(100 * self.confidence)
        return (f"Rank correlation {self.rho:.2f} ({pct} % interval {self.low:.2f} to {self.high:.2f}) over "
                f"{self.n} attributes. Employees over-rate: {', '.join(self.overrated) or 'none'}. "
                f"Under-rate: {', '.join(self.underrated) or 'none'}.")

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(str(self))}</p>" + self.table.round(2).to_html(index=False)


def alignment(employee_importance, customer_importance, confidence: float = 0.95,
              min_rank_gap: float = 2) -> Alignment:
    """Compare how important employees think each attribute is to customers with what customers say.

    Both arguments: mean importance per attribute (1–7; a Series indexed by attribute or a dict),
    e.g. the columns of :func:`attribute_means`.  Returns an :class:`Alignment` with Spearman's
    ρ and its interval (see :func:`rank_correlation`) and a table with one row per attribute:

    - ``employee``, ``customer``: the two mean scores;
    - ``employee_rank``, ``customer_rank``: 1 = most important (ties share the average rank);
    - ``gap`` = employee − customer, in scale points;
    - ``rank_gap`` = customer_rank − employee_rank: positive when employees put the attribute
      higher in the order than customers do.  Ranks, not points, decide the rating, because the
      two groups may use the scale differently (employees rating everything one point higher would
      shift every gap but not the order);
    - ``rating``: "over-rated" when rank_gap ≥ ``min_rank_gap`` places, "under-rated" when
      rank_gap ≤ −``min_rank_gap``, otherwise "aligned".

    Fewer than 3 attributes, or one side giving every attribute the same score, is a DataError.

    Example: employees [5, 4, 3] and customers [3, 4, 5] for attributes a, b, c give ρ = −1;
    a is over-rated (rank 1 vs 3, rank_gap +2) and c under-rated.
    """
    employee, customer = _paired(employee_importance, customer_importance,
                                 ("employee_importance", "customer_importance"))
    _not_constant(employee, "employee_importance", "the employees' survey cannot show their priorities")
    _not_constant(customer, "customer_importance", "the customers' survey cannot show their priorities")
    rho, low, high = rank_correlation(employee, customer, confidence)
    table = pd.DataFrame({
        "attribute": employee.index.astype(str),
        "employee": employee.to_numpy(),
        "customer": customer.to_numpy(),
        "employee_rank": employee.rank(ascending=False).to_numpy(),
        "customer_rank": customer.rank(ascending=False).to_numpy(),
    })
    table["gap"] = table["employee"] - table["customer"]
    table["rank_gap"] = table["customer_rank"] - table["employee_rank"]
    table["rating"] = np.select([table["rank_gap"] >= min_rank_gap, table["rank_gap"] <= -min_rank_gap],
                                ["over-rated", "under-rated"], "aligned")
    table = table.sort_values(["customer_rank", "attribute"], kind="stable", ignore_index=True)
    return Alignment(rho, low, high, confidence, table)


# --------------------------------------------------------------------------- importance-performance


def ipa(importance, performance, cross="mean") -> pd.DataFrame:
    """Importance–performance analysis: which attributes to work on first.

    ``importance`` and ``performance`` (e.g. customers' mean importance and satisfaction, 1–7) are
    scores per attribute.  The cross-point splits each axis: by default the mean over the attributes
    (``cross="mean"``); or give ``cross=(importance, performance)`` on the scale, e.g. ``(4, 4)``.
    A score **at or above** the cross-point counts as high.  Quadrants:

    ===================== =============== ===============
    quadrant               importance      performance
    ===================== =============== ===============
    concentrate here       high            low
    keep up the good work  high            high
    low priority           low             low
    possible overkill      low             high
    ===================== =============== ===============

    Returns one row per attribute, columns ``attribute``, ``importance``, ``performance``,
    ``quadrant``, in the order of :data:`QUADRANTS` then most important first; the cross-point is in
    ``result.attrs["cross"]``.  With the mean as cross-point, a column with the same score for every
    attribute splits nothing and is a DataError (give a scale cross-point instead).

    Example: importance {a: 6, b: 6, c: 4, d: 4} and performance {a: 3, b: 5, c: 3, d: 5} cross at
    (5, 4): a concentrate here, b keep up the good work, c low priority, d possible overkill.
    """
    imp, perf = _paired(importance, performance, ("importance", "performance"))
    if isinstance(cross, str) and cross == "mean":
        remedy = "give a scale cross-point instead, e.g. cross=(4, 4)"
        _not_constant(imp, "importance", remedy)
        _not_constant(perf, "performance", remedy)
        cross_imp, cross_perf = float(imp.mean()), float(perf.mean())
    else:
        try:
            cross_imp, cross_perf = (float(v) for v in cross)
        except (TypeError, ValueError):
            raise DataError(f"cross must be 'mean' or two numbers (importance, performance), got {cross!r}") from None
    high_imp, high_perf = imp >= cross_imp, perf >= cross_perf
    quadrant = np.select([high_imp & ~high_perf, high_imp & high_perf, ~high_imp & ~high_perf],
                         QUADRANTS[:3], QUADRANTS[3])
    out = pd.DataFrame({"attribute": imp.index.astype(str), "importance": imp.to_numpy(),
                        "performance": perf.to_numpy(), "quadrant": quadrant})
    out["_order"] = out["quadrant"].map(QUADRANTS.index)
    out = out.sort_values(["_order", "importance", "attribute"], ascending=[True, False, True], kind="stable",
                          ignore_index=True).drop(columns="_order")
    out.attrs["cross"] = (cross_imp, cross_perf)
    return out


# --------------------------------------------------------------------------- what agents hear


def top_issues(frontline_poll: pd.DataFrame, contact_reasons, threshold: float = 0.05) -> pd.DataFrame:
    """What agents say they hear most, next to what the contact data shows.

    ``frontline_poll``: one row per answer, with a ``reason`` column (as ``load("frontline_poll")``:
    each agent names the three reasons they hear most, ``rank`` 1–3).  ``contact_reasons``: the
    reason of each contact, e.g. ``load("calls")["reason"]``.  Reasons are compared after trimming
    spaces and lower-casing; blank ones are left out.

    One row per reason (named in the poll or the data), most mentioned first:

    - ``mentions``: how many times agents named it; ``named_first``: how many put it first;
    - ``poll_share`` = mentions ÷ all mentions (share 0–1);
    - ``contacts``; ``data_share`` = contacts ÷ contacts with a reason (share 0–1);
    - ``difference`` = poll_share − data_share (share points);
    - ``poll_rank``, ``data_rank``: 1 = most (ties share the average rank);
    - ``verdict``: "over-reported" when difference ≥ ``threshold`` (default 0.05, five percentage
      points), "under-reported" when ≤ −threshold, otherwise "about right".

    Example: mentions {complaint: 3, billing: 1} and contacts {complaint: 1, billing: 3} give
    poll shares 0.75/0.25, data shares 0.25/0.75: complaints over-reported by 0.5.
    """
    require_columns(frontline_poll, "frontline_poll", "reason")
    reasons = pd.Series(contact_reasons)
    said = _clean_reasons(frontline_poll["reason"])
    seen = _clean_reasons(reasons)
    if said.empty:
        raise DataError("frontline_poll: column 'reason' is empty; nothing to compare")
    if seen.empty:
        raise DataError("contact_reasons: every contact reason is blank; nothing to compare")
    mentions = said.value_counts()
    first = (said[frontline_poll.loc[said.index, "rank"].astype(float) == 1].value_counts()
             if "rank" in frontline_poll else pd.Series(dtype=int))
    contacts = seen.value_counts()
    index = mentions.index.union(contacts.index)
    out = pd.DataFrame({
        "mentions": mentions.reindex(index, fill_value=0),
        "named_first": first.reindex(index, fill_value=0),
        "contacts": contacts.reindex(index, fill_value=0),
    }).astype(int)
    out["poll_share"] = out["mentions"] / out["mentions"].sum()
    out["data_share"] = out["contacts"] / out["contacts"].sum()
    out["difference"] = out["poll_share"] - out["data_share"]
    out["poll_rank"] = out["mentions"].rank(ascending=False)
    out["data_rank"] = out["contacts"].rank(ascending=False)
    out["verdict"] = np.select([out["difference"] >= threshold - 1e-12, out["difference"] <= -threshold + 1e-12],
                               ["over-reported", "under-reported"], "about right")
    out.index.name = "reason"
    out = out.reset_index().sort_values(["mentions", "contacts", "reason"], ascending=[False, False, True],
                                        kind="stable", ignore_index=True)
    return out[["reason", "mentions", "named_first", "poll_share", "contacts", "data_share", "difference",
                "poll_rank", "data_rank", "verdict"]]


def _clean_reasons(values: pd.Series) -> pd.Series:
    text = values.dropna().astype(str).str.strip().str.lower()
    return text[text != ""]
