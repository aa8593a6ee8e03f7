"""Self-checks for module 06-voice-of-the-customer (bundled surveys, frontline poll and calls)."""

from functools import lru_cache

from coursekit.analysis import survey
from coursekit.learner.check import Sealed, exercise, expect_choice, expect_items, expect_number
from coursekit.analysis.data import load

MODULE = "06-voice-of-the-customer"


@lru_cache(maxsize=1)
def _means():
    return survey.attribute_means(load("surveys"))


@lru_cache(maxsize=1)
def _alignment():
    means = _means()
    return survey.alignment(means["employee_importance"], means["customer_importance"])


@exercise(MODULE, "blind_spot_choice")
def blind_spot_choice(value):
    return expect_choice(value, Sealed(MODULE, "blind_spot_choice", "ba47863abc1e595712f680d2f6f86e1744550ab3dcec90bfc1b2b99b2dd14b8d"),
                         ["A", "B", "C"],
                         hint="a survey after a contact is sent to people who had a contact. Who never got that far?")


@exercise(MODULE, "unstructured_choice")
def unstructured_choice(value):
    return expect_choice(value, Sealed(MODULE, "unstructured_choice", "8673bf150c01083d84282354751c634211b6efb2dc43185096fb928ec59f666a"),
                         ["A", "B", "C"],
                         hint="which one is in the customer's own words, not a score or a code from a list?")


@exercise(MODULE, "alignment_rho")
def alignment_rho(value):
    hint = ("write result = alignment(means['employee_importance'], means['customer_importance']), "
            "then round(result.rho, 2).")
    rho = _alignment().rho
    if isinstance(value, (int, float)) and abs(value + rho) < 0.006 and abs(rho) > 0.01:
        hint = "the sign is the wrong way round: put employee_importance first, customer_importance second."
    return expect_number(value, round(rho, 2), tol=0.0051, hint=hint)


@exercise(MODULE, "most_underrated")
def most_underrated(value):
    found = _alignment()
    return expect_choice(value, found.underrated[0], list(found.table["attribute"]),
                         hint="take the first item of result.underrated: result.underrated[0].",
                         mistakes={a: "that is what employees over-rate; use result.underrated." for a in found.overrated})


@exercise(MODULE, "concentrate_here")
def concentrate_here(value):
    means = _means()
    grid = survey.ipa(means["customer_importance"], means["customer_satisfaction"])
    want = grid.loc[grid["quadrant"] == "concentrate here", "attribute"].tolist()
    return expect_items(value, want,
                        hint="keep the rows where grid['quadrant'] == 'concentrate here', take 'attribute', .tolist().")


@exercise(MODULE, "most_over_reported")
def most_over_reported(value):
    issues = survey.top_issues(load("frontline_poll"), load("calls")["reason"])
    want = issues.loc[issues["difference"].idxmax(), "reason"]
    under = issues.loc[issues["difference"].idxmin(), "reason"]
    return expect_choice(value, want, list(issues["reason"]), hint="use issues.loc[issues['difference'].idxmax(), 'reason'].",
                         mistakes={under: "that is the most under-reported reason (idxmin); use idxmax for the "
                                          "highest difference."})
