"""The coaching plan: built from answers, flags what is missing, exports Markdown and one-page HTML."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from coursekit.errors import CourseError, DataError
from coursekit.plan import (ANSWER_NAMES, NOT_COMPLETED, CoachingPlan, FocusArea, own_self_ratings, plan_from_notebook,
                            read_plan_answers, save_plan_answers)

FULL = {
    "my_name": "Rosa Alvarez", "my_agent": "A07", "my_coach": "Sara Lindgren",
    "my_interaction_score": 78.4, "my_gap_priorities": ["fcr", "csat"],
    "my_self_ratings": {"listening": 3, "empathy": 4}, "my_quiz_result": "4 of 6", "my_weakest_guess": "fcr",
    "my_evidence": "My reply kept the facts but did not say what happens next.",
    "focus_areas": [{"area": "First-contact resolution", "target": "FCR from 66 % to 72 %", "by": "2026-06-30"},
                    {"area": "Empathy", "target": "interaction score 85 or more on 3 calls a week",
                     "by": "2026-05-31"}],
    "coach_support": "Listen to two of my calls a week and give me feedback the same day.",
    "motivation": "Customers who leave the call with their problem solved.",
    "mission": "Keep our customers connected.", "mission_in_my_words": "Nobody should be left without a line.",
    "my_contribution": "I fix the problem on the first call.",
    "shared_goals": [{"department": "Billing", "goal": "halve the calls about unclear bills"}],
}


def plan(**changes) -> CoachingPlan:
    return CoachingPlan.from_namespace({**FULL, **changes}, date="2026-04-01")


def test_complete_plan_has_nothing_missing_and_shows_every_answer():
    p = plan()
    assert p.missing() == [] and p.complete
    md = p.to_markdown()
    for text in ("Rosa Alvarez", "A07", "Sara Lindgren", "78 / 100", "fcr, csat", "empathy 4", "4 of 6", "what happens next",
                 "FCR from 66 % to 72 %",
                 "2026-06-30", "Keep our customers connected.", "Billing", "halve the calls about unclear bills"):
        assert text in md, text
    assert NOT_COMPLETED not in md and NOT_COMPLETED not in p.to_html()


def test_every_answer_name_is_read():
    p = plan()
    for field, name in ANSWER_NAMES.items():
        assert getattr(p, field) not in ("", None, []), (field, name)


def test_missing_parts_are_flagged_in_both_documents():
    answers = {k: v for k, v in FULL.items() if k not in {"motivation", "my_interaction_score", "shared_goals"}}
    answers["focus_areas"] = FULL["focus_areas"][:1]
    answers["mission"] = "Write your answer here"
    p = CoachingPlan.from_namespace(answers, date="2026-04-01")
    assert p.missing() == ["your reply's interaction score", "focus area 2", "what motivates you", "the mission",
                           "shared goals"]
    md, page = p.to_markdown(), p.to_html()
    assert "**Not completed yet:** your reply's interaction score, focus area 2" in md
    # score, area 2 (area, target, date), motivation, mission, shared goals
    assert md.count(f"*{NOT_COMPLETED}*") == 7
    assert page.count(f'<span class="todo">{NOT_COMPLETED}</span>') == 7


def test_an_empty_namespace_still_exports(tmp_path):
    p = CoachingPlan.from_namespace({})
    assert len(p.missing()) == 16
    written = p.export(tmp_path / "plan")
    assert written["markdown"].read_text().count(NOT_COMPLETED) >= 16
    assert "<h1>" in written["html"].read_text()


def test_empty_lists_mean_none_but_a_missing_name_means_not_answered():
    p = plan(my_self_ratings={}, my_gap_priorities=[])
    assert p.complete
    assert "not saved in module 05" in p.to_markdown()
    assert "none: at or above the benchmark" in p.to_markdown()
    answers = dict(FULL)
    del answers["my_gap_priorities"]
    assert CoachingPlan.from_namespace(answers, date="2026-04-01").missing() == [
        "practice: the agent's gap priorities"]


@pytest.mark.parametrize("area, flag", [
    ({"area": "Empathy", "target": "be nicer", "by": "2026-06-30"}, "target has no number"),
    ({"area": "Empathy", "target": "score 85", "by": "soon"}, "'soon' is not a date"),
    ({"area": "Empathy", "target": "score 85"}, "date: not completed"),
])
def test_focus_areas_need_a_number_and_a_date(area, flag):
    p = plan(focus_areas=[FULL["focus_areas"][0], area])
    assert p.missing() == ["focus area 2"]
    assert any(flag in problem for problem in p.focus_areas[1].problems(p.date))
    if NOT_COMPLETED not in flag:
        assert flag.split(":")[0] in p.to_markdown() and flag.split(":")[0] in html.unescape(p.to_html())


def test_a_date_already_past_is_a_note_not_a_missing_part():
    p = plan(focus_areas=[FULL["focus_areas"][0], {"area": "Empathy", "target": "score 85", "by": "2026-01-15"}])
    assert p.complete
    assert "date 2026-01-15 is before the plan's date (2026-04-01)" in p.to_markdown()


def test_answers_in_other_shapes_are_understood():
    p = plan(focus_areas=[("FCR", "72 %", "30/06/2026"), FocusArea("Empathy", "85", "31 May 2026")],
             shared_goals=[("IT", "fix the login error")], my_gap_priorities="fcr",
             my_interaction_score=type("Score", (), {"total": 81.0})())
    assert [a.by for a in p.focus_areas] == ["2026-06-30", "2026-05-31"]
    assert FocusArea.from_answer({"Area": "FCR", "target": "72 %", "Date": "2027-01-31"}).by == "2027-01-31"
    assert p.shared_goals[0].department == "IT" and p.gap_priorities == ["fcr"]
    assert p.interaction_score == 81.0 and p.complete
    odd = plan(focus_areas="learn more", my_interaction_score="high", shared_goals=None)
    assert odd.missing() == ["your reply's interaction score", "focus area 1", "focus area 2", "shared goals"]


def test_text_is_escaped_in_html_and_markdown():
    p = plan(my_name="<script>alert(1)</script>", motivation="pay | *bonus* & <b>praise</b>")
    page = p.to_html()
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;praise" in page
    md = p.to_markdown()
    assert "pay \\| \\*bonus\\* &amp; &lt;b&gt;praise&lt;/b&gt;" in md


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.external = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in {"meta", "br", "img", "link", "hr"}:
            self.stack.append(tag)
        for name, value in attrs:
            if name in {"src", "href"}:
                self.external.append(value)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()


def test_html_is_one_self_contained_printable_page():
    page = plan().to_html()
    checker = _Checker()
    checker.feed(page)
    assert checker.stack == [] and checker.external == []  # well nested, nothing loaded from elsewhere
    assert "@page { size: A4" in page and "@media print" in page
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", page, flags=re.S)
    assert len(text.split()) < 450  # fits one printed page
    for question in ("What is the mission?", "What does it mean, in my own words?", "How do I contribute to it?"):
        assert question in page


def test_export_writes_both_documents_atomically(tmp_path):
    folder = tmp_path / "out"
    written = plan().export(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["coaching-plan.html", "coaching-plan.md"]
    assert written["markdown"].read_text(encoding="utf-8") == plan().to_markdown()
    assert written["html"].read_text(encoding="utf-8") == plan().to_html()
    plan(motivation="changed").export(folder)  # overwrites in place, leaves no temporary files
    assert sorted(p.name for p in folder.iterdir()) == ["coaching-plan.html", "coaching-plan.md"]
    assert "changed" in written["markdown"].read_text()


def test_export_leaves_the_old_plan_when_writing_fails(tmp_path, monkeypatch):
    folder = tmp_path / "out"
    plan().export(folder)
    before = {p.name: p.read_text() for p in folder.iterdir()}
    monkeypatch.setattr(CoachingPlan, "to_html", lambda self: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        plan(motivation="changed").export(folder)
    assert {p.name: p.read_text() for p in folder.iterdir()} == before


def test_round_trip_through_a_dict():
    p = plan()
    assert CoachingPlan.from_dict(p.to_dict()) == p


# ----------------------------------------------------------------- module 05's answers


def test_the_personal_part_uses_only_the_learners_own_ratings(tmp_path):
    from coursekit.selfassess import COMPETENCIES, save_answers

    none = own_self_ratings(saved=tmp_path / "none.json")
    assert none.empty and "no ratings saved" in none.attrs["source"]     # never the imaginary agent's ratings
    saved = tmp_path / "05-self-assessment" / "self_assessment.json"
    saved.parent.mkdir()
    save_answers(saved, "pre", dict.fromkeys(COMPETENCIES, 5), dict.fromkeys(COMPETENCIES, 90))
    mine = own_self_ratings(saved=saved)
    assert mine.to_dict() == dict.fromkeys(COMPETENCIES, 5) and "before the course" in mine.attrs["source"]
    save_answers(saved, "post", dict.fromkeys(COMPETENCIES, 2), dict.fromkeys(COMPETENCIES, 40))
    assert set(own_self_ratings(saved=saved)) == {2}  # post wins over pre
    saved.write_text("{ not json")
    damaged = own_self_ratings(saved=saved)
    assert damaged.empty and "could not be read" in damaged.attrs["source"]
    page = plan(my_self_ratings=own_self_ratings(saved=tmp_path / "none.json")).to_markdown()
    assert "blind spot" not in page.lower() and "measured" not in page.lower()


def test_the_page_keeps_practice_and_the_personal_part_apart():
    md = plan().to_markdown()
    practice, personal = md.split("## My own evidence")
    assert "## Practice: agent A07, the imaginary agent I played" in practice and "fcr, csat" in practice
    assert "not my results" in practice
    assert "78 / 100" in personal and "4 of 6" in personal and "fcr, csat" not in personal
    page = plan().to_html()
    assert page.index("Practice: agent") < page.index("My own evidence") < page.index("My two focus areas")
    assert "coaching meeting" not in md


def test_plan_answers_file_round_trip(tmp_path):
    path = tmp_path / "coaching_plan_answers.json"
    assert read_plan_answers(path) == {"focus_areas": [], "shared_goals": []}
    rows = save_plan_answers(path, "focus_areas", [{"area": " Listening ", "target": "9 of 10", "by": "2027-01-31"},
                                                   {"area": "", "target": "", "by": ""}])
    assert rows == [{"area": "Listening", "target": "9 of 10", "by": "2027-01-31"}]
    save_plan_answers(path, "shared_goals", [{"department": "IT", "goal": "fix the login error"}])
    assert read_plan_answers(path) == {"focus_areas": rows, "shared_goals": [{"department": "IT", "goal": "fix the login error"}]}
    path.write_text("[1, 2")
    with pytest.raises(DataError, match="coaching_plan_answers.json: cannot be read"):
        read_plan_answers(path)
    with pytest.raises(DataError, match="unknown plan answer 'goals'"):
        save_plan_answers(path, "goals", [])


# ----------------------------------------------------------------- module 07 self-checks


def test_module_07_self_checks_use_the_agent_chosen_in_the_notebook():
    from coursekit.check import SelfCheck

    namespace = {"check": SelfCheck("07-coaching-plan")}

    def run(code):
        exec(code, namespace)
        return namespace["_"]

    assert "my_agent is not set" in run("_ = check('my_gap_priorities', ['csat', 'qa_score'])").message
    namespace.update(my_name="Marco", my_coach="Sara", my_agent="A07")
    assert run("_ = check('my_agent')")
    assert run("_ = check('my_gap_priorities', ['csat', 'qa_score'])")
    assert "never an agent's gap" in run("_ = check('my_gap_priorities', ['aht_s', 'csat'])").hint
    assert run("_ = check('my_evidence', 'my reply forgot the next step')")
    assert not run("_ = check('my_evidence', 'ok')")
    assert run("_ = check('my_quiz_result', '4 of 6')") and run("_ = check('my_quiz_result', 70)")
    assert not run("_ = check('my_weakest_guess', '...')")
    assert "wrong order" in run("_ = check('my_gap_priorities', ['qa_score', 'csat'])").message
    assert "not an agent" in run("_ = check('my_agent', 'a07')").message
    namespace["my_reply"] = "Sofia, I am sorry. Your $9.14 comes back by April 2, ticket 35639."
    from coursekit.data import load
    from coursekit.interaction import score_response

    first = load("responses").iloc[0]
    want = score_response(namespace["my_reply"], customer_message=first["customer_message"], facts=first["facts"]).total
    assert run(f"_ = check('my_interaction_score', {want})")
    one = run("_ = check('focus_areas', [{'area': 'x', 'target': '9 of 10', 'by': '2027-01-01'}])")
    assert "exactly two" in one.message
    bad = run("_ = check('focus_areas', [{'area': 'x', 'target': '9 of 10', 'by': '2027-01-01'}, "
              "{'area': 'y', 'target': 'be kind', 'by': '2027-01-01'}])")
    assert not bad and "focus area 2: target has no number" in bad.message
    namespace["mission"] = "Keep customers connected."
    assert "mission's own words" in run("_ = check('mission_in_my_words', ' keep customers connected. ')").message
    assert not run("_ = check('motivation', 'Write your answer here')")
    assert not run("_ = check('shared_goals', [{'goal': 'fewer calls about bills'}])")
    assert run("_ = check('shared_goals', [('IT', 'fix the login error')])")


# ----------------------------------------------------------------- from a notebook (runs a kernel)

MODULE07 = Path(__file__).resolve().parents[1] / "notebooks" / "07-coaching-plan" / "07-coaching-plan.ipynb"


def learner_version(first_exercises: int):
    """The learner version of module 07 (nbgrader's own ClearSolutions) with the first exercises answered."""
    import nbformat
    from nbgrader.preprocessors import ClearSolutions

    from coursekit.simulate import exercises, fill_in

    source = nbformat.read(MODULE07, as_version=4)
    release, _ = ClearSolutions(code_stub={"python": "# YOUR ANSWER HERE\nraise NotImplementedError()"}).preprocess(
        nbformat.from_dict(source), {})
    answers = {e.grade_id: e.answer for e in exercises(source)[:first_exercises]}
    return fill_in(release, answers)


def test_plan_exports_from_the_solution_notebook(tmp_path):
    import shutil

    folder = tmp_path / "07-coaching-plan"
    folder.mkdir()
    shutil.copy(MODULE07, folder)
    p = plan_from_notebook(folder / MODULE07.name)
    assert p.missing() == []
    assert (p.learner, p.agent_id, p.weakest_guess) == ("Marco Mensah", "A07", "fcr") and p.evidence
    assert p.gap_priorities == ["csat", "qa_score"] and p.self_ratings == {}
    assert len(p.focus_areas) == 2 and p.shared_goals
    written = p.export(tmp_path / "filed")
    assert NOT_COMPLETED not in written["html"].read_text()
    # the notebook's own export cell wrote the same plan beside it
    assert (folder / "my-coaching-plan" / "coaching-plan.md").read_text().splitlines()[0] == \
        "# Coaching plan: Marco Mensah"


def test_plan_exports_from_a_partly_completed_learner_notebook(tmp_path):
    import nbformat

    path = tmp_path / "07-coaching-plan.ipynb"
    nbformat.write(learner_version(4), path)  # who, gaps, reply, own evidence answered; the plan itself not
    p = plan_from_notebook(path)
    assert p.agent_id == "A07" and p.interaction_score is not None and p.quiz_result == "8 of 12"
    assert p.missing() == ["focus area 1", "focus area 2", "support asked of your coach", "what motivates you",
                           "the mission", "the mission in your own words", "how you contribute", "shared goals"]
    written = p.export(tmp_path / "filed")
    md = written["markdown"].read_text()
    assert "**Not completed yet:** focus area 1, focus area 2, support asked of your coach" in md
    assert md.count(f"*{NOT_COMPLETED}*") == 12  # 2 x 3 focus area cells, support, motivation, 3 mission, goals
    assert (tmp_path / "my-coaching-plan" / "coaching-plan.html").exists()  # the learner's own export ran too


def test_plan_from_an_untouched_notebook_flags_everything_and_bad_files_are_explained(tmp_path):
    import nbformat

    path = tmp_path / "untouched.ipynb"
    nbformat.write(learner_version(0), path)
    assert len(plan_from_notebook(path).missing()) == 16
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{ this is not a notebook")
    with pytest.raises(CourseError, match="broken.ipynb: not a readable notebook"):
        plan_from_notebook(broken)
    with pytest.raises(CourseError, match="not found"):
        plan_from_notebook(tmp_path / "missing.ipynb")


def test_notebook_view_keeps_the_flags_visible_without_restyling_the_notebook():
    shown = CoachingPlan.from_namespace({"my_name": "Rosa"})._repr_html_()
    assert "<style>" not in shown and "<body" not in shown and 'class="todo"' not in shown
    assert f'<span style="color:#a05a00;font-style:italic">{NOT_COMPLETED}</span>' in shown


def test_module_07_text_is_honest_about_whose_evidence_it_is():
    import nbformat

    text = "\n".join(c.source for c in nbformat.read(MODULE07, as_version=4).cells)
    guide = (MODULE07.parent / "FACILITATOR.md").read_text()
    for source in (text, guide):
        assert "handle time under" not in source and "Take the printed page to your next coaching meeting" not in source
        assert "blind spot" not in source.lower()
    assert "own_self_ratings()" in text and "FocusAreasForm()" in text and "SharedGoalsForm()" in text
    for point in ("misrouting", "Master the basics", "channel they prefer", "One touchpoint or one process at a time",
                  "communication plan", "vision"):
        assert point in text, point
    assert "hiring for service" in text and "individually tailored motivation" in text
    assert "QATC" in guide and "Forrester" in guide
