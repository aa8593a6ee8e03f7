"""Self-checks for module 00-orientation: one day of contacts (Monday 2 March 2026)."""

from functools import lru_cache

from coursekit.learner.check import SECONDS_NOT_MINUTES, SHARE_NOT_PERCENT, exercise, expect_number
from coursekit.analysis.data import FIRST_DAY, load

MODULE = "00-orientation"
DAY = FIRST_DAY  # Monday 2 March 2026


@lru_cache(maxsize=1)
def _day():
    calls = load("calls")
    return calls[calls["arrival_time"].dt.normalize() == DAY]


def _counts():
    day = _day()
    return len(day), int(day["abandoned"].sum())


@exercise(MODULE, "calls_today")
def calls_today(value):
    return expect_number(value, _counts()[0], whole=True,
                         hint="count the rows of the table day with len(day).")


@exercise(MODULE, "abandoned_today")
def abandoned_today(value):
    return expect_number(value, _counts()[1], whole=True,
                         hint="add up the True values of the abandoned column: int(day['abandoned'].sum()).",
                         mistakes={_counts()[0]: "that is every contact of the day; count only the abandoned ones."})


@exercise(MODULE, "abandon_percent")
def abandon_percent(value):
    total, abandoned = _counts()
    expected = round(100 * abandoned / total, 1)
    return expect_number(value, expected, tol=0.051, unit=" %",
                         hint="divide abandoned_today by calls_today, multiply by 100, then round(..., 1).",
                         mistakes={expected / 100: SHARE_NOT_PERCENT}, mistake_tol=0.001)


@exercise(MODULE, "average_talk_minutes")
def average_talk_minutes(value):
    seconds = _day()["talk_s"].mean()
    return expect_number(value, round(seconds / 60, 1), tol=0.051, unit=" minutes",
                         hint="take day['talk_s'].mean(), divide by 60, then round(..., 1).",
                         mistakes={seconds: SECONDS_NOT_MINUTES}, mistake_tol=1)
