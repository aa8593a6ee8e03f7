"""Self-checks for module 00-orientation: one day of contacts (Monday 2 March 2026)."""

from functools import lru_cache

from coursekit.check import exercise, expect_number
from coursekit.data import load

MODULE = "00-orientation"
DAY = "2026-03-02"


@lru_cache(maxsize=1)
def _day():
    calls = load("calls")
    return calls[calls["arrival_time"].dt.normalize() == DAY]


def _counts():
    day = _day()
    return len(day), int(day["abandoned"].sum())


@exercise(MODULE, "calls_today")
def calls_today(value):
    return expect_number("calls_today", value, _counts()[0], whole=True,
                         hint="count the rows of the table day with len(day).")


@exercise(MODULE, "abandoned_today")
def abandoned_today(value):
    total = _counts()[0]
    hint = ("add up the True values of the abandoned column: int(day['abandoned'].sum())."
            if value != total else "that is every contact of the day; count only the abandoned ones.")
    return expect_number("abandoned_today", value, _counts()[1], whole=True, hint=hint)


@exercise(MODULE, "abandon_percent")
def abandon_percent(value):
    total, abandoned = _counts()
    expected = round(100 * abandoned / total, 1)
    hint = "divide abandoned_today by calls_today, multiply by 100, then round(..., 1)."
    if isinstance(value, float) and abs(value - expected / 100) < 0.001:
        hint = "that is a share between 0 and 1; multiply by 100 to get a percentage."
    return expect_number("abandon_percent", value, expected, tol=0.051, unit=" %", hint=hint)


@exercise(MODULE, "average_talk_minutes")
def average_talk_minutes(value):
    seconds = _day()["talk_s"].mean()
    hint = "take day['talk_s'].mean(), divide by 60, then round(..., 1)."
    if isinstance(value, (int, float)) and abs(value - seconds) < 1:
        hint = "that looks like seconds; divide by 60 to get minutes."
    return expect_number("average_talk_minutes", value, round(seconds / 60, 1), tol=0.051,
                         unit=" minutes", hint=hint)
