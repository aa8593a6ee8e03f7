"""Self-checks for module 07-coaching-plan.

The right answer depends on the agent the learner chose (``my_agent``) and the reply they wrote
(``my_reply``), so those checks declare them as ``needs`` and read them with
:func:`coursekit.check.other_answer`; without them the check says which cell to run first.
"""

from __future__ import annotations

from functools import lru_cache, partial

from coursekit.analysis import gap
from coursekit.learner import plan
from coursekit.learner.answers import MISSING
from coursekit.learner.check import CheckResult, exercise, expect_items, expect_number, other_answer, result
from coursekit.analysis.data import load
from coursekit.analysis.interaction import score_response

MODULE = "07-coaching-plan"
MIN_WORDS = 3


def _agent_or_advice():
    agent = other_answer("my_agent")
    if agent is MISSING or not isinstance(agent, str) or agent.strip() not in _agent_ids():
        return None, result(False, "this depends on the agent you play, and my_agent is not set yet.",
                                 "answer exercise 1 (my_agent) and run its cell first.")
    return agent.strip(), None


@lru_cache(maxsize=1)
def _agent_ids() -> tuple[str, ...]:
    return tuple(load("agents")["agent_id"])


@lru_cache(maxsize=1)
def _gap_inputs():
    kpis = gap.agent_kpis(load("calls"), load("qa_evaluations"))
    return kpis, gap.benchmark(kpis), gap.estimate_impact(kpis)


def _expect_words(value, hint: str) -> CheckResult:
    if not isinstance(value, str):
        return result(False, "write your answer as text, in quotes.", hint)
    text = plan.answer_text(value)
    if len(text.split()) < MIN_WORDS:
        return result(False, f"write at least {MIN_WORDS} words.", hint)
    return result(True, "answered; it will appear in your plan.")


@exercise(MODULE, "my_agent", needs=("my_name", "my_coach"))
def my_agent(value):
    if not isinstance(value, str) or value.strip() not in _agent_ids():
        return result(False, f"{value!r} is not an agent of the team.",
                           "choose an id from the agent_id column, in quotes, like \"A12\".")
    name = other_answer("my_name")
    if not isinstance(name, str) or not name.strip():
        return result(False, "the agent is fine, but my_name is empty.", "write your name in quotes.")
    coach = other_answer("my_coach")
    if not isinstance(coach, str) or not coach.strip():
        return result(False, "the agent is fine, but my_coach is empty.",
                           "write your coach's name in quotes.")
    return result(True, f"you play agent {value.strip()}.")


@exercise(MODULE, "my_gap_priorities", needs=("my_agent",))
def my_gap_priorities(value):
    agent, advice = _agent_or_advice()
    if advice is not None:
        return advice
    kpis, great, impact = _gap_inputs()
    table = gap.priorities(gap.gap_table(kpis, great, agent), impact=impact)
    want = table.loc[table["priority"] > 0, "metric"].head(2).tolist()
    hint = ("use my_agent instead of \"A17\" in gap_table(...), keep priority > 0 and take .head(2).tolist(); "
            "the order matters.")
    if isinstance(value, (list, tuple)) and any(str(v).strip() in gap.NOT_PERSONAL for v in value):
        hint = ("handle time, waiting time and service level are never an agent's gap; "
                "use the priorities table, which holds only quality, resolution and CSAT.")
    return expect_items(value, want, hint, ordered=True)


@exercise(MODULE, "my_interaction_score", needs=("my_reply",))
def my_interaction_score(value):
    reply = other_answer("my_reply")
    hint = "write my_reply first, then score_response(my_reply, customer_message=message, facts=facts).total."
    if not isinstance(reply, str) or not reply.strip():
        return result(False, "there is no reply (my_reply) to score yet.", hint)
    example = load("responses").iloc[0]
    want = score_response(reply, customer_message=example["customer_message"], facts=example["facts"]).total
    return expect_number(value, want, tol=1e-9, unit=" points", hint=hint)


@exercise(MODULE, "my_evidence")
def my_evidence(value):
    return _expect_words(value, "say in a sentence what your own reply score, quiz and self-ratings show you.")


@exercise(MODULE, "my_quiz_result", part_of="my_evidence")
def my_quiz_result(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return result(True, "recorded; it will appear in your plan.")
    return _expect_text(value, 'write it as the quiz showed it, in quotes, like "8 of 12"; '
                               'or "not done" if you skipped the quiz.')


@exercise(MODULE, "my_weakest_guess", part_of="my_evidence")
def my_weakest_guess(value):
    return _expect_text(value, 'write the area you guessed in module 04, in quotes, like "fcr"; or "not done".')


def _expect_text(value, hint: str) -> CheckResult:
    if not isinstance(value, str) or not plan.answer_text(value):
        return result(False, "write your answer as text, in quotes.", hint)
    return result(True, "recorded; it will appear in your plan.")


@exercise(MODULE, "focus_areas")
def focus_areas(value):
    hint = ('fill in the form and press Save, then focus_areas = focus_form.value; or type a list of two '
            '{"area": ..., "target": ..., "by": "2027-03-31"}.')
    if not isinstance(value, list) or len(value) != 2:
        return result(False, "the answer should be a list of exactly two focus areas.", hint)
    for i, answer in enumerate(value, 1):
        problems = plan.FocusArea.from_answer(answer).problems()
        if problems:
            return result(False, f"focus area {i}: {problems[0]}.", hint)
    return result(True, "two focus areas, each with a measurable target and a date.")


#: answers in words: name -> hint
TEXT_ANSWERS = {
    "coach_support": "say what your coach should do, and how often.",
    "motivation": "what makes a day at work a good day for you?",
    "mission": "write the mission as your organisation words it.",
}
for _name, _hint in TEXT_ANSWERS.items():
    exercise(MODULE, _name)(partial(_expect_words, hint=_hint))


@exercise(MODULE, "mission_in_my_words", needs=("mission",), part_of="mission")
def mission_in_my_words(value):
    words = _expect_words(value, "say it as you would to a friend.")
    official = other_answer("mission")
    if words.ok and plan.answer_text(official).lower() == plan.answer_text(value).lower():
        return result(False, "these are the mission's own words.", "say what it means to you, in your words.")
    return words


exercise(MODULE, "my_contribution", part_of="mission")(
    partial(_expect_words, hint="what do you do, on an ordinary day, that serves the mission?"))


@exercise(MODULE, "shared_goals")
def shared_goals(value):
    hint = ('fill in the form and press Save, then shared_goals = goals_form.value; or type '
            '[{"department": "IT", "goal": "..."}].')
    if not isinstance(value, list) or not value:
        return result(False, "the answer should be a list with at least one goal.", hint)
    for i, answer in enumerate(value, 1):
        goal = plan.SharedGoal.from_answer(answer)
        if not goal.department:
            return result(False, f"goal {i} has no department.", hint)
        if len(goal.goal.split()) < MIN_WORDS:
            return result(False, f"goal {i}: write the goal in at least {MIN_WORDS} words.", hint)
    return result(True, f"{len(value)} shared goal(s).")
