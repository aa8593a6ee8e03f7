"""Self-checks for module 01-interactions-vs-transactions (the bundled labelled replies).

The exercise settings (the replies to label, the five transactional replies to rewrite and the score
a rewrite must reach) live in :mod:`coursekit.responses`, once, for the notebook and these checks.
"""

from functools import lru_cache

import pandas as pd

from coursekit.check import CheckResult, exercise, expect_number
from coursekit.data import load
from coursekit.interaction import score_many, score_response

MODULE = "01-interactions-vs-transactions"

from coursekit.responses import LABEL_THESE, REWRITE_CASES, REWRITE_THRESHOLD  # noqa: E402,F401

LABELS = {"transaction": "transaction", "transactional": "transaction", "interaction": "interaction",
          "interaction-rich": "interaction"}


@lru_cache(maxsize=1)
def _responses() -> pd.DataFrame:
    return load("responses")


def expected_labels() -> dict[str, str]:
    """The right label per letter, from the bundled styles (interaction-rich -> "interaction")."""
    style = _responses().set_index("response_id")["style"]
    return {k: "interaction" if style[rid] == "interaction" else "transaction" for k, rid in LABEL_THESE.items()}


def rewrite_case(name: str) -> pd.Series:
    """The customer message, facts and transactional reply behind ``rewrite_N``."""
    rows = _responses()
    return rows[(rows["pair_id"] == REWRITE_CASES[name]) & (rows["style"] == "transactional")].iloc[0]


@exercise(MODULE, "labels")
def labels(value):
    if not isinstance(value, dict):
        return CheckResult("labels", False, "labels should be a dictionary like {\"A\": \"transaction\", ...}.",
                           "copy the example above the exercise and change the words.")
    want = expected_labels()
    missing = sorted(set(want) - set(value))
    if missing:
        return CheckResult("labels", False, f"no label yet for {', '.join(missing)}.",
                           "give every letter from A to F a label.")
    given = {k: LABELS.get(str(v).strip().lower(), "?") for k, v in value.items() if k in want}
    odd = sorted(k for k, v in given.items() if v == "?")
    if odd:
        return CheckResult("labels", False, f"use \"transaction\" or \"interaction\" (check {', '.join(odd)}).")
    wrong = sorted(k for k in want if given[k] != want[k])
    if not wrong:
        return CheckResult("labels", True, "all six labels are right.")
    return CheckResult("labels", False, f"{len(wrong)} of 6 are not right yet: look again at {', '.join(wrong)}.",
                       "an interaction-rich reply also thanks, says sorry, takes ownership or checks at the "
                       "end; a transaction-only reply just gives the facts.")


@exercise(MODULE, "interaction_gap")
def interaction_gap(value):
    scores = score_many(_responses())
    by_style = scores.groupby(_responses()["style"])["total"].mean().round(1)
    hint = "by_style[\"interaction\"] - by_style[\"transactional\"]"
    if isinstance(value, (int, float)) and abs(value + by_style["interaction"] - by_style["transactional"]) < 0.051:
        hint = "that is the right size but negative: subtract the transactional average from the interaction one."
    return expect_number("interaction_gap", value, by_style["interaction"] - by_style["transactional"], tol=0.051,
                         unit=" points", hint=hint)


def _check_rewrite(name: str, value) -> CheckResult:
    if not isinstance(value, str) or not value.strip():
        return CheckResult(name, False, f"{name} should be your reply, as text in quotes.",
                           'write it like: rewrite_1 = "Thank you for ..."')
    case = rewrite_case(name)
    result = score_response(value, case["customer_message"], case["facts"])
    if result.missing_facts:
        return CheckResult(name, False, f"the fact {result.missing_facts[0]!r} is missing.",
                           "keep every fact of the transaction: the customer needs them all "
                           f"({', '.join(result.transaction)}).")
    if not result.supported:
        return CheckResult(name, False, result.message, "write the reply in English.")
    if result.total < REWRITE_THRESHOLD:
        below = f"{result.total:g} points: below {REWRITE_THRESHOLD}."
        if result.components.get("negative_language", 0) < 0:
            return CheckResult(name, False, f"{below} Blaming or negative words cost "
                               f"{-result.components['negative_language']:g} points.", result.tips["negative_language"])
        weak = result.weakest(1)[0]
        return CheckResult(name, False, f"{below} {weak.replace('_', ' ').capitalize()} is weakest "
                           f"({result.components[weak]:g} of {result.max_points[weak]:g}).", result.tips[weak])
    return CheckResult(name, True, f"{result.total:g} points and every fact kept.")


for _name in REWRITE_CASES:
    exercise(MODULE, _name)(lambda value, _name=_name: _check_rewrite(_name, value))
