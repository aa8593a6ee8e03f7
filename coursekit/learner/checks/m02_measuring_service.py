"""Self-checks for module 02-measuring-service (four weeks of bundled calls)."""

from functools import lru_cache

from coursekit.analysis import metrics
from coursekit.learner.check import SECONDS_NOT_MINUTES, SHARE_NOT_PERCENT, Sealed, exercise, expect_choice, expect_number
from coursekit.analysis.data import load

MODULE = "02-measuring-service"


@lru_cache(maxsize=1)
def _calls():
    return load("calls")


@exercise(MODULE, "aht_minutes")
def aht_minutes(value):
    seconds = metrics.aht(_calls())
    return expect_number(value, round(seconds / 60, 1), tol=0.051, unit=" minutes",
                         hint="take aht(calls), divide by 60, then round(..., 1).",
                         mistakes={seconds: SECONDS_NOT_MINUTES}, mistake_tol=1)


@exercise(MODULE, "sl_percent")
def sl_percent(value):
    share = metrics.service_level(_calls(), threshold_s=20)
    return expect_number(value, round(100 * share, 1), tol=0.051, unit=" %",
                         hint="multiply service_level(calls, threshold_s=20) by 100, then round(..., 1).",
                         mistakes={share: SHARE_NOT_PERCENT}, mistake_tol=0.001)


@exercise(MODULE, "evening_abandon_percent")
def evening_abandon_percent(value):
    calls = _calls()
    share = metrics.abandonment_rate(calls[calls["arrival_time"].dt.hour >= 17])
    month = round(100 * metrics.abandonment_rate(calls), 1)
    return expect_number(value, round(100 * share, 1), tol=0.051, unit=" %",
                         hint="keep the calls with calls['arrival_time'].dt.hour >= 17, then 100 * abandonment_rate(...).",
                         mistakes={month: "that is the whole month; keep only the contacts from 17:00 on."})


@exercise(MODULE, "improvement_choice")
def improvement_choice(value):
    return expect_choice(value, Sealed(MODULE, "improvement_choice", "daa8ca05be4959052dea79458b29621ced4cf6e3cbeaa1f80b20e35901e3382d"),
                         ["A", "B", "C"],
                         hint="which option removes the cause, so the problem does not come back tomorrow?")
