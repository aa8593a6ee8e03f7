"""Self-checks for module 03-access-and-queues (the staffing plan is for the phone queue only)."""

from functools import lru_cache

from coursekit.analysis import metrics, queueing
from coursekit.learner.check import Sealed, exercise, expect_number, result
from coursekit.analysis.data import FIRST_DAY, load

MODULE = "03-access-and-queues"
#: the three caller-tolerance factors of exercise 1, in order, sealed (see ``check.seal``)
TOLERANCE = Sealed(MODULE, "tolerance_factors", "c2add1f72960c7a2d922414a4f1abb1c737c1eed65a553f998807c702f9e419e")


@exercise(MODULE, "tolerance_factors")
def tolerance_factors(value):
    hint = ("a: what is at stake for the caller?  b: whom do callers compare us with?  "
            "c: what differs between the two numbers?")
    if not isinstance(value, (list, tuple)) or len(value) != 3:
        return result(False, "the answer should be a list of three numbers, like [2, 5, 7].", hint)
    if not all(isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 7 for v in value):
        return result(False, "each factor is a whole number from 1 to 7.", hint)
    if TOLERANCE.matches(",".join(map(str, value))):
        return result(True, f"{list(value)} is right.")
    return result(False, f"{list(value)} is not quite right.", hint)


@exercise(MODULE, "traffic")
def traffic(value):
    hint = "multiply the calls by the handle time, then divide by the 1,800 seconds of the half hour."
    return expect_number(value, 100 * 180 / 1800, tol=1e-9, unit=" Erlangs", hint=hint)


@exercise(MODULE, "agents_for_80_20")
def agents_for_80_20(value):
    return expect_number(value, queueing.agents_needed(10, 180, 20, 0.8), whole=True,
                         hint="call agents_needed(traffic, aht_s=180, target_s=20, goal=0.8).")


@exercise(MODULE, "extra_agents")
def extra_agents(value):
    more = queueing.agents_needed(300 * 210 / 1800, 210, 20, 0.8)
    base = queueing.agents_needed(300 * 180 / 1800, 180, 20, 0.8)
    return expect_number(value, more - base, whole=True,
                         hint="agents for 300 * 210 / 1800 with aht_s=210, minus agents for 300 * 180 / 1800 with aht_s=180.",
                         mistakes={more: "that is the total; subtract the agents needed for 180-second calls to get "
                                         "how many more."})


@exercise(MODULE, "agents_after_fcr")
def agents_after_fcr(value):
    return expect_number(value, queueing.agents_needed(282 * 210 / 1800, 210, 20, 0.8),
                         whole=True, hint="traffic is 282 * 210 / 1800 and aht_s is 210.")


@lru_cache(maxsize=1)
def _peak():
    calls = load("calls")
    phone = calls[calls["channel"] == "phone"]
    monday = phone[phone["arrival_time"].dt.normalize() == FIRST_DAY]
    volume = monday.groupby(monday["arrival_time"].dt.floor("30min")).size().rename("calls").reset_index()
    plan = queueing.staffing_plan(volume, 1800, round(metrics.aht(phone)), 20, 0.8, 0.3)
    return int(plan["scheduled"].max()), int(plan["agents"].max())


@exercise(MODULE, "peak_scheduled")
def peak_scheduled(value):
    scheduled, on_phones = _peak()
    return expect_number(value, scheduled, whole=True,
                         hint="take the largest value of plan['scheduled']: int(plan['scheduled'].max()).",
                         mistakes={on_phones: "that is the column agents; the question asks for scheduled (with shrinkage)."})
