"""ResponseCoach without a browser: type into its boxes and read what it shows."""

import pytest

from coursekit.errors import DataError
from coursekit.interaction import score_response
from coursekit.widgets import ResponseCoach

MESSAGE = "My refund still hasn't arrived and it's been two weeks. Keisha"


def test_starts_with_a_prompt_and_scores_as_the_learner_types():
    coach = ResponseCoach(customer_message=MESSAGE, facts="$20;May 5")
    assert coach.result is None and "Type your reply" in coach.summary_text
    coach.reply.value = "Refund of $20 sent, arrives May 5."
    plain = coach.result.total
    assert plain == score_response(coach.reply.value, MESSAGE, "$20;May 5").total
    assert f"Interaction score {plain:g} / 100" in coach.summary_text
    coach.reply.value = ("Keisha, I'm sorry for the wait - two weeks is too long. I've checked: your refund of $20 "
                         "arrives May 5, and I'll follow up myself. Is there anything else I can help with?")
    assert coach.result.total > plain
    assert "personalization      10 / 10" in coach.summary_text   # name and "two weeks"
    assert 'title="empathy +3">I&#x27;m sorry</mark>' in coach.out.value


def test_a_missing_fact_comes_first_in_the_advice():
    coach = ResponseCoach(customer_message=MESSAGE, facts="$20; May 5; ticket 48213")
    coach.reply.value = "Keisha, I'm sorry: your refund of $20 arrives May 5. Anything else?"
    assert coach.result.transaction == {"$20": True, "May 5": True, "ticket 48213": False}
    assert "Next step: keep the fact 'ticket 48213'" in coach.summary_text
    assert "missing: ticket 48213" in coach.out.value
    coach.facts.value = "$20; May 5"  # the trainer changes the facts: the coach follows
    assert "keep the fact" not in coach.summary_text


def test_blaming_words_are_marked_and_advised_against():
    coach = ResponseCoach(reply="Calm down. Policy says the refund arrives May 5.")
    assert coach.result.components["negative_language"] == -32
    assert 'title="negative_language -20">Calm down</mark>' in coach.out.value
    assert "Drop blaming" in coach.summary_text


def test_weakest_component_tip_and_the_threshold():
    coach = ResponseCoach(reply="Thank you for waiting.", threshold=60)
    assert coach.advice() == "Next step: " + coach.result.tips[coach.result.weakest(1)[0]]
    assert coach.result.weakest(1) == ["empathy"]
    coach.reply.value = ("Thank you for telling us, and I'm sorry, that is frustrating. I've booked a visit for "
                         "May 5 and I'll follow up myself. You'll get a text. I'd be happy to help. Does that work?")
    assert coach.result.total >= 60
    assert coach.advice().startswith("Good:")


def test_other_language_and_emptying_the_reply():
    coach = ResponseCoach(reply="Vielen Dank für Ihre Geduld, ich habe die Erstattung veranlasst.")
    assert coach.result.supported is False
    assert "Only English is supported" in coach.out.value
    coach.reply.value = "   "
    assert coach.result is None and "Type your reply" in coach.out.value


def test_for_pair_loads_a_bundled_case():
    coach = ResponseCoach.for_pair("P001")
    assert coach.message.value.startswith("I was charged twice")
    assert coach.result.transaction and all(coach.result.transaction.values())
    assert coach.result.total < 60
    assert ResponseCoach.for_pair("P001", start_with="").result is None
    with pytest.raises(DataError, match="no pair"):
        ResponseCoach.for_pair("P999")


def test_a_bundled_case_keeps_the_learners_reply_for_the_next_coach(tmp_path):
    coach = ResponseCoach.for_pair("P001", folder=tmp_path)
    start = coach.reply.value
    assert not (tmp_path / "response_coach.json").exists()  # creating a coach only reads
    coach.reply.value = start + " Thank you for your patience."
    again = ResponseCoach.for_pair("P001", folder=tmp_path)  # the cell run again, the notebook reopened
    assert again.reply.value == start + " Thank you for your patience."
    assert again.result.total == coach.result.total
    assert ResponseCoach.for_pair("P006", folder=tmp_path).reply.value != again.reply.value  # per case
    assert ResponseCoach.for_pair("P001", folder=tmp_path, keep_as=None).reply.value == start


def test_a_damaged_or_unwritable_keep_file_never_breaks_the_coach(tmp_path):
    (tmp_path / "response_coach.json").write_text("{oops")
    coach = ResponseCoach.for_pair("P001", folder=tmp_path)
    coach.reply.value = "Thank you."  # replaces the damaged file
    assert ResponseCoach.for_pair("P001", folder=tmp_path).reply.value == "Thank you."
    gone = ResponseCoach.for_pair("P001", folder=tmp_path / "missing")
    gone.reply.value = "Still scored."
    assert gone.result is not None
