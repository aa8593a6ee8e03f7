"""The coaching plan: built from answers, flags what is missing, exports Markdown and one-page HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from coursekit.plan import ANSWER_NAMES, NOT_COMPLETED, CoachingPlan, FocusArea

FULL = {
    "my_name": "Rosa Alvarez", "my_agent": "A07", "my_coach": "Sara Lindgren",
    "my_interaction_score": 78.4, "my_gap_priorities": ["fcr", "csat"], "my_blind_spots": ["empathy"],
    "focus_areas": [{"area": "First-contact resolution", "target": "FCR from 66 % to 72 %", "by": "2026-06-30"},
                    {"area": "Empathy", "target": "interaction score 85 or more on 3 calls a week", "by": "2026-05-31"}],
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
    for text in ("Rosa Alvarez", "A07", "Sara Lindgren", "78 / 100", "fcr, csat", "empathy", "FCR from 66 % to 72 %",
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
    assert p.missing() == ["interaction score (module 01)", "focus area 2", "what motivates you", "the mission",
                           "shared goals"]
    md, page = p.to_markdown(), p.to_html()
    assert "**Not completed yet:** interaction score (module 01), focus area 2" in md
    # score, area 2 (area, target, date), motivation, mission, shared goals
    assert md.count(f"*{NOT_COMPLETED}*") == 7
    assert page.count(f'<span class="todo">{NOT_COMPLETED}</span>') == 7


def test_an_empty_namespace_still_exports(tmp_path):
    p = CoachingPlan.from_namespace({})
    assert len(p.missing()) == 14
    written = p.export(tmp_path / "plan")
    assert written["markdown"].read_text().count(NOT_COMPLETED) >= 14
    assert "<h1>" in written["html"].read_text()


def test_empty_lists_mean_none_but_a_missing_name_means_not_answered():
    p = plan(my_blind_spots=[], my_gap_priorities=[])
    assert p.complete
    assert "none: my self-ratings match the evidence" in p.to_markdown()
    assert "none: at or above the benchmark" in p.to_markdown()
    answers = dict(FULL)
    del answers["my_blind_spots"]
    assert CoachingPlan.from_namespace(answers, date="2026-04-01").missing() == [
        "self-assessment blind spots (module 05)"]


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
        assert flag.split(":")[0] in p.to_markdown() and flag.split(":")[0].replace("'", "&#x27;") in p.to_html()


def test_a_date_already_past_is_a_note_not_a_missing_part():
    p = plan(focus_areas=[FULL["focus_areas"][0], {"area": "Empathy", "target": "score 85", "by": "2026-01-15"}])
    assert p.complete
    assert "date 2026-01-15 is before the plan's date (2026-04-01)" in p.to_markdown()


def test_answers_in_other_shapes_are_understood():
    p = plan(focus_areas=[("FCR", "72 %", "30/06/2026"), FocusArea("Empathy", "85", "31 May 2026")],
             shared_goals=[("IT", "fix the login error")], my_gap_priorities="fcr",
             my_interaction_score=type("Score", (), {"total": 81.0})())
    assert [a.by for a in p.focus_areas] == ["2026-06-30", "2026-05-31"]
    assert p.shared_goals[0].department == "IT" and p.gap_priorities == ["fcr"]
    assert p.interaction_score == 81.0 and p.complete
    odd = plan(focus_areas="learn more", my_interaction_score="high", shared_goals=None)
    assert odd.missing() == ["interaction score (module 01)", "focus area 1", "focus area 2", "shared goals"]


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
