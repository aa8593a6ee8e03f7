"""Self-checks for module 01-interactions-vs-transactions (the bundled labelled replies).

The exercise settings (the replies to label, the five transactional replies to rewrite and the score
a rewrite must reach) live in :mod:`coursekit.responses`, once, for the notebook and these checks.
"""

from functools import lru_cache

import pandas as pd

from coursekit.learner.check import CheckResult, answer_name, exercise, expect_number, result
from coursekit.analysis.data import load
from coursekit.analysis.interaction import score_many, score_response

MODULE = "01-interactions-vs-transactions"

from coursekit.analysis.responses import LABEL_THESE, REWRITE_CASES, REWRITE_THRESHOLD  # noqa: E402,F401

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
        return result(False, "labels should be a dictionary like {\"A\": \"transaction\", ...}.",
                           "copy the example above the exercise and change the words.")
    want = expected_labels()
    missing = sorted(set(want) - set(value))
    if missing:
        return result(False, f"no label yet for {', '.join(missing)}.",
                           "give every letter from A to F a label.")
    given = {k: LABELS.get(str(v).strip().lower(), "?") for k, v in value.items() if k in want}
    odd = sorted(k for k, v in given.items() if v == "?")
    if odd:
        return result(False, f"use \"transaction\" or \"interaction\" (check {', '.join(odd)}).")
    wrong = sorted(k for k in want if given[k] != want[k])
    if not wrong:
        return result(True, "all six labels are right.")
    return result(False, f"{len(wrong)} of 6 are not right yet: look again at {', '.join(wrong)}.",
                       "an interaction-rich reply also thanks, says sorry, takes ownership or checks at the "
                       "end; a transaction-only reply just gives the facts.")


@exercise(MODULE, "interaction_gap")
def interaction_gap(value):
    scores = score_many(_responses())
    by_style = scores.groupby(_responses()["style"])["total"].mean().round(1)
    hint = "by_style[\"interaction\"] - by_style[\"transactional\"]"
    if isinstance(value, (int, float)) and abs(value + by_style["interaction"] - by_style["transactional"]) < 0.051:
        hint = "that is the right size but negative: subtract the transactional average from the interaction one."
    return expect_number(value, by_style["interaction"] - by_style["transactional"], tol=0.051,
                         unit=" points", hint=hint)


def _check_rewrite(value) -> CheckResult:
    name = answer_name()
    if not isinstance(value, str) or not value.strip():
        return result(False, f"{name} should be your reply, as text in quotes.",
                           'write it like: rewrite_1 = "Thank you for ..."')
    case = rewrite_case(name)
    score = score_response(value, case["customer_message"], case["facts"])
    if score.missing_facts:
        return result(False, f"the fact {score.missing_facts[0]!r} is missing.",
                           "keep every fact of the transaction: the customer needs them all "
                           f"({', '.join(score.transaction)}).")
    if not score.supported:
        return result(False, score.message, "write the reply in English.")
    if score.total < REWRITE_THRESHOLD:
        below = f"{score.total:g} points: below {REWRITE_THRESHOLD}."
        if score.components.get("negative_language", 0) < 0:
            return result(False, f"{below} Blaming or negative words cost "
                               f"{-score.components['negative_language']:g} points.", score.tips["negative_language"])
        if score.unbacked > 0:
            return result(False, f"{below} {score.uncounted_words}: kind words count "
                               "up to what the reply does.", score.tips["ownership"])
        weak = score.weakest(1)[0]
        return result(False, f"{below} {weak.replace('_', ' ').capitalize()} is weakest "
                           f"({score.components[weak]:g} of {score.max_points[weak]:g}).", score.tips[weak])
    return result(True, f"{score.total:g} points and every fact kept.")


for _name in REWRITE_CASES:
    exercise(MODULE, _name)(_check_rewrite)
