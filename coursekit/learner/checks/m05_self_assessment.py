"""Self-checks for module 05-self-assessment.

The twelve quiz answers (two per competency) are only checked for form (one letter A–C): the quiz measures what the learner
knows, so saying "right" or "wrong" would turn it into trial and error.  The result's ``ok`` still
says whether the answer is the best one: that is what the grader scores (the same check decides the
grade, outside the learner's kernel); the learner sees only "Recorded".

The cohort exercises use one row per agent (:func:`selfassess.per_agent`: the mean over the six
competencies), so the quartiles are quartiles of agents, not of agent × competency rows.  The null
model and the Glejser test belong to the optional deep dive: they keep a self-check but no graded
test, and are registered last so the core exercises keep their numbers.
"""

import html
from dataclasses import dataclass
from functools import lru_cache

from coursekit.analysis import selfassess
from coursekit.learner.check import CheckResult, exercise, expect_choice, expect_number
from coursekit.analysis.data import load
from coursekit.palette import box
from coursekit.errors import DataError

MODULE = "05-self-assessment"
#: The null model of exercise 8 (the cohort's r and shift, rounded; see the notebook).
NULL_MODEL = {"n": 10_000, "r": 0.3, "bias": 13, "seed": 1}
VERDICTS = ["A", "B", "C"]


@dataclass(repr=False)
class Recorded(CheckResult):
    """A quiz answer taken down, shown as "Recorded" (not "Correct": it says nothing about being right);
    ``ok`` is whether it is the best answer, for the grade."""

    recorded: bool = True

    def __repr__(self) -> str:
        return f"Recorded ({self.name}): {self.message}" if self.recorded else super().__repr__()

    def _repr_html_(self) -> str:
        if not self.recorded:
            return super()._repr_html_()
        return box(f"<b>Recorded</b> &ndash; <code>{html.escape(self.name)}</code>: {html.escape(self.message)}")


def _quiz_check(question: selfassess.QuizQuestion):
    name = f"quiz_{question.number}"

    def check(value):
        try:
            points = question.score(value)
        except DataError:
            return Recorded(name, False, f"{value!r} is not one of the letters A, B or C.",
                            f'write the letter in quotes, for example {name} = "A".', recorded=False)
        return Recorded(name, points == max(question.points.values()),
                        f"your answer {value.strip().upper()!r} is recorded. This quiz measures "
                        "what you know, so it is scored only at the end (section 4) and when you hand in.")

    return exercise(MODULE, name)(check)


for _question in selfassess.skills_quiz():
    _quiz_check(_question)


@lru_cache(maxsize=2)
def _phase(phase: str):
    data = load("self_assessments")
    return selfassess.per_agent(data[data["phase"] == phase])


@lru_cache(maxsize=1)
def _pre_tables():
    pre = _phase("pre")
    return (selfassess.dk_quartiles(pre["measured_score"], pre["self_percentile"]),
            selfassess.glejser_test(pre["measured_score"], pre["self_percentile"]),
            selfassess.quadratic_test(pre["measured_score"], pre["self_percentile"]))


@exercise(MODULE, "bottom_perceived")
def bottom_perceived(value):
    table = _pre_tables()[0]
    hint = 'take cohort_table.loc[1, "perceived_mean"] and round it to one decimal.'
    if isinstance(value, (int, float)):
        if abs(value - table.loc[1, "actual_mean"]) < 0.06:
            hint = "that is where the bottom quarter really is (actual_mean); the question asks what they think."
        elif abs(value - table.loc[4, "perceived_mean"]) < 0.06:
            hint = "that is the top quarter (4); the bottom quarter is number 1."
    return expect_number(value, round(table.loc[1, "perceived_mean"], 1), tol=0.051,
                         unit=" (percentile)", hint=hint)


def expected_verdict() -> str:
    """B (what regression to the mean and a shift produce) unless a test finds a real effect (A)."""
    _, glejser, quadratic = _pre_tables()
    real = (glejser["significant"] and glejser["slope"] < 0) or (quadratic["significant"] and quadratic["coef"] > 0)
    return "A" if real else "B"


@exercise(MODULE, "dk_verdict")
def dk_verdict(value):
    return expect_choice(value, expected_verdict(), VERDICTS,
                         hint="compare the cohort's chart with the chart of people who all judge themselves "
                              "equally well: what can the chart alone show?")


def null_bottom(r: float, bias: float) -> float:
    """Bottom-quartile perceived mean of the exercise's null model with another r or bias."""
    null = selfassess.simulate_null(NULL_MODEL["n"], r, bias, seed=NULL_MODEL["seed"])
    return round(selfassess.dk_quartiles(null["actual"], null["perceived"]).loc[1, "perceived_mean"], 1)


@exercise(MODULE, "null_bottom_perceived")
def null_bottom_perceived(value):
    expected = null_bottom(NULL_MODEL["r"], NULL_MODEL["bias"])
    hint = "simulate_null(n=10_000, r=0.3, bias=13, seed=1), then dk_quartiles(...) and the bottom row's perceived_mean."
    if isinstance(value, (int, float)):
        if abs(value - null_bottom(0, 0)) < 0.06:
            hint = "that is the example with r=0 and bias=0; use r=0.3 and bias=13."
        elif abs(value - null_bottom(NULL_MODEL["r"], 0)) < 0.06:
            hint = "almost: add the better-than-average shift, bias=13."
    return expect_number(value, expected, tol=0.051, unit=" (percentile)", hint=hint)


@exercise(MODULE, "glejser_p")
def glejser_p(value):
    _, glejser, quadratic = _pre_tables()
    hint = 'glejser_test(pre["measured_score"], pre["self_percentile"])["p_value"], rounded to 3 decimals.'
    if isinstance(value, (int, float)):
        if abs(value - glejser["slope"]) < 0.0006:
            hint = "that is the slope; the question asks for the p_value."
        elif abs(value - quadratic["p_value"]) < 0.0006:
            hint = "that is the quadratic test's p-value; use glejser_test."
    return expect_number(value, round(glejser["p_value"], 3), tol=0.0011, hint=hint)
