"""Self-checks for module 02-measuring-service (four weeks of bundled calls; exercises 1–3 on the
phone queue, ``calls[calls["channel"] == "phone"]``)."""

from functools import lru_cache

from coursekit.analysis import metrics
from coursekit.learner.check import SECONDS_NOT_MINUTES, SHARE_NOT_PERCENT, Sealed, exercise, expect_choice, expect_number
from coursekit.analysis.data import load

MODULE = "02-measuring-service"


@lru_cache(maxsize=1)
def _calls():
    return load("calls")


@lru_cache(maxsize=1)
def _phone():
    calls = _calls()
    return calls[calls["channel"] == "phone"]


@exercise(MODULE, "aht_minutes")
def aht_minutes(value):
    seconds = metrics.aht(_phone())
    return expect_number(value, round(seconds / 60, 1), tol=0.051, unit=" minutes",
                         hint="take aht(phone), divide by 60, then round(..., 1).",
                         mistakes={seconds: SECONDS_NOT_MINUTES}, mistake_tol=1)


@exercise(MODULE, "sl_percent")
def sl_percent(value):
    share = metrics.service_level(_phone(), threshold_s=20)
    pooled = round(100 * metrics.service_level(_calls(), threshold_s=20), 1)
    mistakes = {share: SHARE_NOT_PERCENT}
    if abs(pooled - round(100 * share, 1)) > 0.05:
        mistakes[pooled] = "that mixes phone and chat; use the phone calls only: service_level(phone, threshold_s=20)."
    return expect_number(value, round(100 * share, 1), tol=0.051, unit=" %",
                         hint="multiply service_level(phone, threshold_s=20) by 100, then round(..., 1).",
                         mistakes=mistakes, mistake_tol=0.001)


@exercise(MODULE, "evening_abandon_percent")
def evening_abandon_percent(value):
    phone, calls = _phone(), _calls()
    share = metrics.abandonment_rate(phone[phone["arrival_time"].dt.hour >= 17])
    month = round(100 * metrics.abandonment_rate(phone), 1)
    pooled = round(100 * metrics.abandonment_rate(calls[calls["arrival_time"].dt.hour >= 17]), 1)
    return expect_number(value, round(100 * share, 1), tol=0.051, unit=" %",
                         hint="keep the calls with phone['arrival_time'].dt.hour >= 17, then 100 * abandonment_rate(...).",
                         mistakes={month: "that is the whole month; keep only the calls from 17:00 on.",
                                   pooled: "that mixes phone and chat; start from phone, not calls."})


@exercise(MODULE, "improvement_choice")
def improvement_choice(value):
    return expect_choice(value, Sealed(MODULE, "improvement_choice", "daa8ca05be4959052dea79458b29621ced4cf6e3cbeaa1f80b20e35901e3382d"),
                         ["A", "B", "C"],
                         hint="which option removes the cause, so the problem does not come back tomorrow?",
                         mistakes={**dict.fromkeys(("A", "a"), "moving agents helps today's queue, but does it remove the "
                                                              "reason the queue turned red?"),
                                   **dict.fromkeys(("C", "c"), "a table of handle times pushes people to hurry; it does "
                                                              "not remove the reason customers call.")})
