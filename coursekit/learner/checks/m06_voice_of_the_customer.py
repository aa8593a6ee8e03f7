"""Self-checks for module 06-voice-of-the-customer (bundled surveys, frontline poll and calls)."""

from functools import lru_cache

from coursekit.analysis import survey
from coursekit.learner.check import SHARE_NOT_PERCENT, Sealed, exercise, expect_choice, expect_items, expect_number, result
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
                         ["A", "B", "C", "D"],
                         hint="a survey after a contact is sent to people who had a contact. Who never got that far?")


@exercise(MODULE, "unstructured_choice")
def unstructured_choice(value):
    return expect_choice(value, Sealed(MODULE, "unstructured_choice", "8673bf150c01083d84282354751c634211b6efb2dc43185096fb928ec59f666a"),
                         ["A", "B", "C", "D"],
                         hint="words are not enough: which one did the customer write freely, not pick from a "
                              "list or a scale?")


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


@exercise(MODULE, "my_value_guess")
def my_value_guess(value):
    names = list(_means().index)
    if isinstance(value, str) and value.strip().lower() in names:
        return result(True, f"your guess {value.strip().lower()!r} is recorded; any of the nine is a fair guess.")
    return result(False, f"{value!r} is not one of the nine attributes.",
                  f"write one of {', '.join(map(repr, names))} in quotes.")


@exercise(MODULE, "largest_difference_points")
def largest_difference_points(value):
    issues = survey.top_issues(load("frontline_poll"), load("calls")["reason"])
    biggest = float(issues["difference"].abs().max())
    mistakes = {biggest: SHARE_NOT_PERCENT}
    if abs(issues["difference"].min()) > abs(issues["difference"].max()) + 0.001:
        mistakes[round(100 * issues["difference"].max(), 1)] = ("that is the largest over-report only; .abs() "
                                                               "counts under-reports too.")
    return expect_number(value, round(100 * biggest, 1), tol=0.051, unit=" points",
                         hint="take issues['difference'].abs().max(), multiply by 100, then round(..., 1).",
                         mistakes=mistakes)
