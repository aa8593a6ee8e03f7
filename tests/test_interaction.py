"""coursekit.interaction: every component on hand-scored replies, variants of case and punctuation,
errors, long and foreign text, the bundled labelled pairs and real agent turns (ABCD)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from conftest import REPO, real_data

from coursekit.data import load
from coursekit.errors import DataError
from coursekit.analysis.interaction.calibrate import rules_only
from coursekit.analysis.interaction.rubric import RUBRIC_FILE
from coursekit.interaction import PASS_MARK, customer_name, detect_language, facts_kept, load_rubric, pair_wins, rubric_table
from coursekit.interaction import score_many as _score_many
from coursekit.interaction import score_response as _score_response

#: the rules alone: these tests check which rule fires for which phrase (the learned word weights on
#: top of them are tested in test_coach_calibration.py)
RULES = rules_only()


def score_response(text, *args, **kwargs):
    return _score_response(text, *args, **{"rubric": RULES, **kwargs})


def score_many(replies, *args, **kwargs):
    return _score_many(replies, *args, **{"rubric": RULES, **kwargs})

COMPONENTS = ["acknowledgement", "empathy", "ownership", "personalization", "positive_language",
              "expectation_setting", "closing_check"]


LEARNED = {c.id for c in load_rubric().components if c.words}


def pts(rule: str) -> float:
    """What a rule of the bundled rubric is worth (the tests check which rules fire, not the weights)."""
    return next(r.points for r in load_rubric().rules if r.id == rule)


def only(result, component):
    """The component's points, after checking that no other rule component earned or lost anything
    (the learned word weights, warm_words and cold_words, are tested on their own below)."""
    others = {c: p for c, p in result.components.items() if c != component and p and c not in LEARNED}
    assert not others, f"unexpected points: {others}"
    return result.components[component]


# --------------------------------------------------------------------------- each component, scored by hand
# (points from coursekit/analysis/rubrics/interaction.json: a rule counts once, a component is capped)


def test_acknowledgement():
    assert only(score_response("Thank you for sending the photo."), "acknowledgement") == pts("thanks_for") + pts("thanks")
    assert only(score_response("Thanks!"), "acknowledgement") == pts("thanks")
    assert score_response("Thank you for contacting us.").components["acknowledgement"] == pts("thanks")  # boilerplate
    assert only(score_response("That's a fair question."), "acknowledgement") == pts("heard")
    assert only(score_response("Thanks for asking, that's a fair question."), "acknowledgement") == 15  # capped


def test_empathy_needs_the_customers_feeling_not_the_agents():
    assert only(score_response("I'm sorry, that is frustrating."), "empathy") == pts("apology") + pts("names_the_feeling")
    assert only(score_response("I'm sorry about the double charge."), "empathy") == pts("apology") + pts("apology_for")
    assert only(score_response("I'm sorry for the trouble."), "empathy") == pts("apology")  # a stock apology
    assert only(score_response("No wonder you're fed up."), "empathy") == pts("imagines") + pts("names_the_feeling")
    assert only(score_response("You did nothing wrong."), "empathy") == pts("validates")
    assert score_response("I'm so frustrated with our system.").components["empathy"] == 0   # the agent's own feeling
    assert score_response("I'm not sorry.").components["empathy"] == 0


def test_ownership_in_plain_words():
    assert only(score_response("I've booked a visit."), "ownership") == pts("i_have_done")
    assert only(score_response("I found your payslips."), "ownership") == pts("i_have_done")
    mine = score_response("I'll look into it myself by 3pm.")
    assert mine.components["ownership"] == pts("i_will_do") + pts("personal")
    assert mine.components["expectation_setting"] == pts("says_when")
    assert only(score_response("That's on us."), "ownership") == pts("responsibility")
    assert only(score_response("I've booked a visit and I'll look into it myself."), "ownership") == min(25, pts("i_have_done") + pts("i_will_do") + pts("personal"))


def test_personalization_uses_the_customers_name_and_words():
    message = "My internet is down again and I work from home. - Maria"
    assert only(score_response("Maria, the parcel is here.", customer_message=message), "personalization") == 6
    assert only(score_response("Since you work from home, the line is the first job.", customer_message=message),
                "personalization") == 4
    assert score_response("Sofia, the parcel is here.", customer_message=message).components["personalization"] == 0
    # without the customer's message, a name the reply greets counts; interjections and titles do not
    assert score_response("Hi Maria, the parcel is here.").components["personalization"] == 6
    assert score_response("Hi there, the parcel is here.").components["personalization"] == 0
    assert score_response("Sure, the parcel is here.").components["personalization"] == 0
    assert score_response("Dear Mrs Hale, the parcel is here.").evidence[-1].phrase == "Hale"
    assert score_response("Dear Valued Customer, the parcel is here.").components["personalization"] == 0


def test_customer_name_from_common_signatures():
    assert customer_name("Where is my parcel? Regards, Mei") == "Mei"
    assert customer_name("Help! - Rahul") == "Rahul"
    assert customer_name("Hi, my name is Sofia and I was charged twice.") == "Sofia"
    assert customer_name("Where is my parcel?") is None


def test_warm_polite_wording():
    assert only(score_response("Of course."), "positive_language") == pts("willing")
    assert only(score_response("Don't worry, it's all sorted."), "positive_language") == pts("reassures")
    assert only(score_response("Could you send me a photo?"), "positive_language") == pts("polite_request")
    assert only(score_response("Have a great day."), "positive_language") == pts("warm_wishes")


def test_expectation_setting():
    assert only(score_response("It arrives May 5."), "expectation_setting") == pts("says_when")
    assert only(score_response("It will arrive soon."), "expectation_setting") == pts("what_happens")
    assert only(score_response("You'll get a text."), "expectation_setting") == pts("next_step")
    assert only(score_response("It will arrive on May 5. You'll get a text."), "expectation_setting") == 10


def test_closing_check():
    assert only(score_response("Is there anything else?"), "closing_check") == pts("anything_else")
    assert only(score_response("Does that work for you?"), "closing_check") == pts("checks_it_works")
    assert only(score_response("Does that work for you? Anything else?"), "closing_check") == 5


@pytest.mark.parametrize("text, points", [
    ("You should have checked.", -15),
    ("That's not my job.", -20),
    ("Calm down.", -20),
    ("Policy says no.", -12),
    ("As I already said, no.", -12),
    ("Calm down. Policy says no.", -32),
    ("I'm sorry you feel that way.", -10),
    ("Obviously the form was wrong.", -12),
    ("Like it says on the website, it's closed.", -12),
])
def test_harm_costs_points_and_is_not_hidden_by_a_floor(text, points):
    result = score_response(text)
    assert result.components["negative_language"] == points
    assert result.total == points  # below 0: worse than saying nothing kind at all
    assert not result.passed and result.verdict.startswith("below the pass mark")
    assert result.harm[0].phrase.lower() in text.lower()


@pytest.mark.parametrize("text, rule", [
    # subtle blame, favours and telling-offs (blind sets showed them), each named by its rule
    ("We've refunded the fee on this occasion.", "grudging"),
    ("The credit is a goodwill gesture.", "grudging"),
    ("We don't normally do this, but the fee is waived.", "grudging"),
    ("It would have helped if you had called sooner.", "blames"),
    ("Returns are at your own risk.", "blames"),
    ("You didn't leave a safe place, so it went back to the depot.", "blames"),
    ("Sarcasm aside, the parcel arrives Friday.", "condescends"),
    ("It does say on the invoice.", "condescends"),
    ("Right, well, the parcel arrives Friday.", "condescends"),
    ("In future, please allow two days.", "lectures"),
    ("That's why we ask for the full address.", "warns"),
    ("It's all in the terms you agreed to.", "blames"),  # also policy's phrase; the costlier rule names it
    ("It's all in the policy.", "policy"),
    ("Please note that late returns are charged.", "warns"),
    ("Just so you know, the deposit is not refundable.", "warns"),
    ("In future the app shows the balance first.", "hindsight"),
    # from blind set X (read after it was scored once)
    ("I've taken the call-out fee off, which I don't have to do.", "grudging"),
    ("We are not obliged to, but the fee is waived.", "policy"),
    ("Ringing every hour won't make the engineer any quicker.", "dismisses"),
    ("The window is an estimate, not a guarantee.", "dismisses"),
    ("Don't keep calling, he's on his way.", "lectures"),
    ("If you can't be in all day you probably shouldn't book the morning slot.", "lectures"),
    ("If you shared the code, that's most likely how this happened.", "blames"),
    ("It would have been showing on your bank statements.", "blames"),
    ("We've had delays this season with people turning up late.", "blames"),
    # from blind set Y (read after it was scored once)
    ("Usually, when we're told straight away, these amounts are much smaller.", "blames"),
    ("If you let your kids use your card, that's what happens.", "blames"),
    ("Maybe keep a closer eye on who's using your card.", "lectures"),
    ("We can't keep refunding these.", "grudging"),
    ("The whistle is most often caused by the aid not being pushed fully in.", "blames"),
    ("If you skip the update, that's what happens.", "condescends"),
    # from stuffing pairs B (read after they were scored once): filler instead of a plan, score begging
    ("Please be assured that your comments have been noted.", "hollow_reassurance"),
    ("Your feedback is extremely valuable to us.", "hollow_reassurance"),
    ("It has been shared with the relevant departments.", "hollow_reassurance"),
    ("Delivering a dependable service is our number one priority.", "hollow_reassurance"),
    ("Someone will be in touch in due course.", "vague"),
    ("If you could give us a ten, that would really make my day!", "asks_for_score"),
    ("You'll get a quick text survey; a 10 would be amazing.", "asks_for_score"),
    ("I have shared your comments with the relevant teams.", "hollow_reassurance"),
    ("Our teams are working hard to get your delivery to you.", "hollow_reassurance"),
    ("One of the pharmacists may be able to give you a call back.", "vague"),
    ("I'm sure it'll be fine, these things usually sort themselves out.", "vague"),
    ("The best thing to do would be to give the site office a call.", "vague"),
    # from blind set AA and stuffing pairs C (read after they were scored once)
    ("As the proof was signed off, we would not ordinarily be responsible for errors.", "not_my_job"),
    ("The wind is hardly something we control.", "not_my_job"),
    ("Writing in capital letters won't change the policy.", "dismisses"),
    ("Our weather terms are clear: 50% back.", "policy"),
    ("I'd suggest checking the lift status page before a four-hour drive.", "lectures"),
    ("We'll need the form fully completed this time, otherwise it just gets sent back.", "lectures"),
    ("To avoid further delays, please send all post to the Bereavement Team.", "lectures"),
    ("Cleaning it every day, like we showed you, stops the whistle.", "condescends"),
    # from stuffing pairs D-F (read after they were scored once)
    ("Our billing team will reach out as soon as they can.", "vague"),
    ("We'll get it sorted as soon as we possibly can.", "vague"),
    ("A member of our team will be in touch.", "vague"),
    ("Fingers crossed it reaches you by Friday!", "vague"),
    ("You should be hearing from someone very soon.", "vague"),
    ("This usually happens when people sign up again instead of logging in.", "blames"),
    ("Just so you know for next time, the cutoff is on your confirmation.", "hindsight"),
    # from blind set AC and set R (read after they were scored)
    ("If you were in, you would have heard the door.", "blames"),
    ("That's what was entered when it was booked.", "blames"),
    ("Whistling means you should clean it as you were shown at your fitting.", "blames"),
    ("For in-memory gifts we do ask supporters to specify this at the time of donation.", "blames"),
    ("Sometimes customers think they've cancelled but it doesn't go through.", "blames"),
    ("Delays like this are most often caused by taxpayers not responding promptly.", "blames"),
    ("The email was generated by a separate team's system, so I can't say why.", "not_my_job"),
    ("Letters are sent out by our fulfilment partner, so any delay would be on their side rather than ours.", "not_my_job"),
    ("Automated emails should always be confirmed with the office.", "lectures"),
    ("If it's that important, keep an eye on the tracking.", "condescends"),
    ("If this is confusing, have your son call us.", "condescends"),
    ("We're unable to take individual circumstances into account.", "policy"),
    ("Our service terms do not guarantee uninterrupted service.", "policy"),
    # from stuffing pairs G (read after they were scored)
    ("I want to assure you that I've taken this seriously.", "hollow_reassurance"),
    ("I'll make sure the technician gets that feedback directly.", "hollow_reassurance"),
    ("I'll make sure your feedback goes in the complaints log as well.", "hollow_reassurance"),
    # from stuffing pairs H (read after they were scored)
    ("We will do everything we can with regard to the date.", "vague"),
    # from blind set AD (read after it was scored once)
    ("Honestly, if you'd packed your wedding clothes in your hand luggage, you wouldn't be in this position.", "blames"),
    ("Our warehouse picks exactly what's on the order, so it's always worth double-checking your basket.", "blames"),
    ("The recovery codes you were given when you set up 2FA would have let you log straight in.", "blames"),
    ("Owners are asked to confirm each year on the renewal form.", "blames"),
    ("Students are notified by email each week about holds.", "blames"),
    ("The notice was issued after several reminders went unanswered.", "blames"),
    ("As shown on our returns page, returns can take up to 14 days.", "policy"),
    ("The auction notice was issued in line with our terms.", "policy"),
    ("Your refund was issued today, which is within that timeframe.", "dismisses"),
    ("That's why it's important to get in touch as soon as the first notice arrives.", "lectures"),
    ("We would be grateful if you could review your details carefully on next year's form.", "lectures"),
    ("We're not going to keep doing this if you can't be bothered to check the light.", "grudging"),    # from stuffing pairs I (read after they were scored)
    ("As per our terms and conditions, our engineers will attend.", "policy"),
    ("Our engineers will attend as soon as reasonably practicable.", "vague"),
    ("The engineer team will be in touch when they can.", "vague"),    # from blind set AE (read after it was scored once)
    ("The charge was applied automatically by the system, so it isn't something our team did.", "not_my_job"),
    ("There isn't a lot customer services can do about them.", "not_my_job"),
    ("If your phone can't do that it's not really the guard's problem, is it?", "not_my_job"),
    ("I'll text you the link, but I wouldn't hold your breath.", "dismisses"),
    # from stuffing pairs K and L (read after they were scored once)
    ("They'll give you a ring once they've had a chance to look into it.", "vague"),
    ("Our team is working around the clock to resolve this at the earliest.", "vague"),
    ("Please stay on the line and your call will be answered by the next available advisor.", "vague"),
    # from blind sets AF and AG (read after they were scored as held out)
    ("Students are reminded at the start of every semester to back up their work.", "lectures"),
    ("I would note that situations of this type are not normally accepted.", "lectures"),
    ("We get a lot of pothole reports, you're not the only one.", "dismisses"),
    ("Ringing again doesn't actually move it up.", "dismisses"),
    ("I wouldn't hold out much hope on a claim.", "dismisses"),
    ("Damage is usually caused by insufficient packaging by the sender.", "blames"),
    ("Leaks like this tend to happen when servicing isn't done.", "blames"),
    ("You may be better off contacting the retailer.", "not_my_job"),
    ("We passed it to the landlord, but repairs are at his discretion.", "not_my_job"),
    ("Servicing every 3 months is as required under your tenancy agreement.", "policy"),
    # from stuffing pairs M and N (read after they were scored once)
    ("Those tend to work themselves out once the system catches up.", "vague"),
    ("These things do sometimes take a bit longer than people expect.", "vague"),
    ("Try not to worry, it's usually nothing serious at all.", "vague"),
    ("Don't worry about the £38, we'll sort something out!", "vague"),
    ("Our Season Ticket Office will be best placed to help.", "vague"),
    ("I'm very confident we'll get it sorted for you.", "hollow_reassurance"),
    # from blind set AJ (read after its one held-out scoring): blame delivered with a smile
    ("Next time you can check their outage map directly!", "hindsight"),
    ("It helps to keep your contact details current so we can text you.", "lectures"),
    ("Waits like 70 minutes can happen on a Friday!", "dismisses"),
    ("Ordering a bit earlier really helps!", "lectures"),
    ("It's the renter's responsibility to report any existing damage.", "blames"),
    ("Please keep comments respectful on this page, thanks.", "condescends"),
    ("We always encourage patients not to read too much into flags on their own.", "lectures"),
    ("Our system sends an SMS when you connect overseas, so he would have got a warning.", "blames"),
    ("It's really up to the account holder to add a travel pack.", "blames"),
    ("Going to the Ombudsman won't change our rates, mate.", "dismisses"),
    ("I see the photos were only received last week.", "blames"),
    ("We ask for your patience as we work through a high volume of claims.", "hollow_reassurance"),
    ("We can't advise on freezer contents, sorry!", "not_my_job"),
    # from stuffing pairs O and Q (read after they were scored once)
    ("In accordance with the terms of the storage agreement the notice period is three months.", "policy"),
    ("The \u20ac95 exit fee you'd need to take up with your previous supplier.", "not_my_job"),
    ("For the $1,499 charge, you can contact the merchant directly to request a refund.", "not_my_job"),
    ("I'll raise it with the relevant team.", "vague"),
    ("If you have any questions, our friendly team is always happy to help.", "hollow_reassurance"),
    # from the development split of the politeness corpus
    ("I think I already explained this to you.", "condescends"),
    ("I've already told you the fee stands.", "lectures"),
    # from set AR (read after it was scored once): blame carried by a device, not a stock phrase
    ("The app does send reminders when a card is about to expire.", "warns"),
    ("Letters about formulary changes went out to all members in the fall.", "warns"),
    ("I got $28.50 credited back, which honestly is more than we normally do for roaming.", "grudging"),
    ("(sighs) Okay. So the IMEI ending 8812 shows paid off.", "condescends"),
    ("The minutes went out to every owner, so it shouldn't really be a surprise.", "lectures"),
    ("Nobody is holding anything hostage, it's the same rule for every customer.", "policy"),
    ("Keeping your payment info up to date is the best way to avoid delays like this!", "hindsight"),
    ("Going forward you'd want to add the travel feature before you leave.", "hindsight"),
    ("Okay, done, first payment June 1. Just make sure the payments come in on time.", "puts_it_on_them"),
    ("Please stay calm. This is card fraud, not an account hack.", "dismisses"),
])
def test_subtle_harm_is_named(text, rule):
    result = score_response(text)
    assert rule in {e.rule for e in result.harm}, result.evidence
    assert result.components["negative_language"] <= pts(rule)
    critical = next(r.critical for r in RULES.rules if r.id == rule)
    assert not result.passed
    if critical:  # whatever else it earns, at most critical_cap
        assert result.total - result.components["negative_language"] <= RULES.critical_cap


@pytest.mark.parametrize("text", [
    "That was our mistake, not yours.",
    "The private cremation you chose comes in a cedar box.",  # a choice named, not blamed
    "It usually means the battery is low.",                    # a cause, not the customer
    "Roam Pass covers that next time you travel.",
    "There's a credit in your app for next time.",
    "I've marked her as a trusted payee so this won't happen next time.",
    "I'm not going to pretend that's on you.",
    "You did exactly what you should have done.",
    "We take this seriously, and we'll deal with it today.",
    "Your policy doesn't cover wear and tear, but it's on your policy for storm damage.",
    "No need for the sorry, it happens to everyone.",
    "It's easy to fix: restart the router.",
    "The scratch is clearly visible in your photo, so it was there before.",
    "I'm not going to tell you it's your fault.",
    "You really shouldn't have to chase us for this.",
    "You probably shouldn't see any more charges after today.",
    "I'll find out how this happened and email you.",
    "I'll keep calling the depot until it's sorted.",
    "If anything changes, tell us straight away and we'll stop the payment.",
    "I'll keep an eye on it myself and call you Friday.",
    "The delay was caused by the part not being in stock.",
    "The survey takes 10 minutes and it's optional.",
    "I gave it a ten-minute test run and it holds pressure.",
    "Your safety is why I've sent an engineer for 2 pm today.",
    "I've passed it to the repairs team and they'll call you by 5 pm.",
    "I've read your email properly, and you're right on almost every point.",
    "I'm sorry you found it yourself at home; you should have been told.",
    "If she's working hard to breathe, go straight to the emergency vet.",
    "You're not responsible for a charge you didn't make.",
    "Someone will call you by 4 pm today.",
    "A member of our team will be in touch by 5 pm tomorrow.",
    "I'll call you as soon as the part arrives, and by Thursday either way.",
    "You paid for the time you were advised to, and labour doesn't keep to a timetable.",
    "This error comes from one field, and our docs explain it badly, so that part's on us.",
    "Next time you travel, the pass covers it.",
    "If you were in, then they didn't knock, and that's on us.",
    "I'll walk you through it. Honestly, it's simple, and I'll stay on the line.",
    "I've added a note to your booking so the team know to expect you both.",
    "I've changed our check-in process so guests are told about late events.",
    "Drivers must be at least 21, so your son can be added to the booking.",
    "I know, it's a big jump, and here is what I can do about it.",
    "I've booked the next available slot, Tuesday at 10am.",
    "We should have explained that more clearly on the day.",
    "Good idea, I'll do that now.",
    "Next time you travel, the pass covers it automatically.",
    "It's not something we're able to apply for for you, because each one is a declaration by the passport holder.",
    "You should have known about this long before you got to the restaurant.",
    "If a bill shows up anyway, call us before you pay it.",
    "You're not the only one who found that form confusing, and I've filled it in for you.",
    "These statements are honestly hard to read, so let's go through it together.",
    "I'll call you on Friday at the earliest convenient time you give me.",
])
def test_look_alikes_of_subtle_harm_cost_nothing(text):
    assert score_response(text).components["negative_language"] == 0


def test_one_phrase_costs_once_the_most_its_harm_rules_say():
    # "we always recommend" is both policy (-12) and a warning (-5); "we recommend" only a warning
    both = score_response("We always recommend checking the size chart before ordering.")
    assert [e.rule for e in both.harm] == ["policy"] and both.components["negative_language"] == pts("policy")
    assert [e.rule for e in score_response("We recommend checking the size chart.").harm] == ["warns"]
    # two phrases of two rules still cost both
    two = score_response("We always recommend checking the size chart. Please note that returns are charged.")
    assert {e.rule for e in two.harm} == {"policy", "warns"}
    assert two.components["negative_language"] == pts("policy") + pts("warns")


def test_a_denial_of_fault_is_not_ownership():
    assert score_response("To be clear, this was not our error.").components["ownership"] == 0
    assert score_response("It's not my fault.").components["ownership"] == 0
    assert score_response("That one is our fault.").components["ownership"] == pts("responsibility")


def test_short_good_replies_from_set_af_say_what_happens_next():
    assert score_response("Those statements are honestly hard to read.").components["empathy"] == pts("validates")
    moving = score_response("So sorry, truck 12 got a flat. They're arriving 9:40, and I've added a 4th mover so "
                            "you're done well before your closing.")
    assert {"what_happens", "next_step", "says_when"} <= {e.rule for e in moving.evidence}
    assert "what_happens" in {e.rule for e in score_response("Her TV will connect right away.").evidence}
    # set AG: "On it –" with a dash, and a plan that "kicks in when you land"
    assert "i_will_do" in {e.rule for e in score_response("On it \u2013 I've radioed Terminal 2 security.").evidence}
    assert "what_happens" in {e.rule for e in score_response("It kicks in when you land.").evidence}


def test_a_refusal_cushion_owns_nothing_and_reassurance_names_no_feeling():
    """From stuffing pairs K and L: "I know that's not what you wanted to hear" softens a refusal, it
    takes no responsibility; "you won't need to worry" is not the customer's worry named; "at the
    earliest" alone is no time."""
    assert score_response("I know that's not what you wanted to hear.").components["ownership"] == 0
    assert score_response("That's not what should have happened.").components["ownership"] == pts("responsibility")
    assert score_response("So you won't need to worry about it.").components["empathy"] == 0
    assert score_response("I can see why you're worried.").components["empathy"] > 0
    assert "says_when" not in {e.rule for e in score_response("We will resolve this at the earliest.").evidence}
    assert "says_when" in {e.rule for e in score_response("You'll have it by Friday at the latest.").evidence}


@pytest.mark.parametrize("text", ["Seriously, what is this?", "Actually, it is fine.", "Honestly, that's all.",
                                  "Hi, I'd like to know why.", "Basically, the form is late."])
def test_a_word_before_a_comma_is_no_name_when_it_is_an_adverb_or_a_contraction(text):
    assert score_response(text).components["personalization"] == 0
    assert score_response("Emily, I've refunded it.").components["personalization"] == pts("uses_name")


@pytest.mark.parametrize("text, rule", [("May I nominate you?", "polite_request"),
                                        ("What can I do to help this situation?", "can_do"),
                                        ("I look forward to your plan.", "warm_wishes")])
def test_courtesy_strategies_of_the_politeness_corpus_earn(text, rule):
    assert rule in {e.rule for e in score_response(text).evidence}


def test_blaming_scores_below_the_same_reply_without_it():
    kind = "Thank you for sending the photo. I've refunded $20 and it will reach you by May 5."
    blaming = kind + " You should have checked."
    assert score_response(blaming).total < score_response(kind).total
    # a critical phrase stops a reply passing however much else it earns (the rubric's critical_cap)
    rubric = load_rubric()
    assert score_response(blaming).total == rubric.critical_cap - 15


@pytest.mark.parametrize("text", [
    "You should have received an email from us.",   # information, not blame
    "If you need to change it, just reply.",          # not lecturing
    "Everything you need to know is in the email.",
    "It wasn't your fault at all.",                   # the opposite of blame
    "I'll let you know.",                             # not "you know."
    "Keep it or send it back, whatever's easier.",
])
def test_neutral_look_alikes_cost_nothing(text):
    assert score_response(text).components["negative_language"] == 0


def test_words_must_be_whole_and_contractions_are_not_other_words():
    assert score_response("Gladys will call.").components["positive_language"] == 0
    assert score_response("A relaxing weekend.").components["negative_language"] == 0
    assert score_response("We also cover well visits.").components["ownership"] == 0   # "well" is not "we'll"
    assert score_response("We'll cover the visit.").components["ownership"] == pts("we_do")


def test_a_not_before_a_phrase_cancels_it():
    assert score_response("I'm not happy to do this.").components["positive_language"] == 0
    assert score_response("I'm not sorry.").components["empathy"] == 0
    assert score_response("I'm sorry, I'm not sure I understand you.").components["empathy"] == pts("apology")  # apology only


def test_stock_phrases_together_earn_at_most_the_cap():
    stuffed = "Thank you! I'm sorry. I understand. Happy to help. Have a great day. Anything else?"
    result = score_response(stuffed)
    rubric = load_rubric()
    assert result.stock_excess == sum(pts(r) for r in ("thanks", "apology", "understanding", "willing", "warm_wishes",
                                                   "anything_else")) - rubric.stock_cap
    kind = sum(result.components[c] for c in rubric.kind_words)  # nothing done: the slack is what they keep
    assert result.unbacked == kind - result.stock_excess - rubric.deeds_slack
    assert result.total == rubric.stock_cap - result.unbacked
    assert "stock phrases" in str(result)


def test_kind_words_count_up_to_what_the_reply_does(tmp_path):
    """words_need_deeds: empathy, acknowledgement and warm wording count at most ownership plus
    expectation setting plus the slack; a reply that only sympathises keeps the slack, no more."""
    rubric = load_rubric()
    words_only = ("Oh no, I'm so sorry to hear that, Dana. That sounds really stressful, and I completely "
                  "understand how upsetting it is. Thank you for telling us.")
    customer = "My fridge died and the repair never came. Dana"
    result = score_response(words_only, customer_message=customer)
    kind = sum(result.components[c] for c in rubric.kind_words)
    deeds = sum(result.components[c] for c in rubric.deeds)
    assert kind > deeds + rubric.deeds_slack + result.stock_excess
    assert result.unbacked == kind - result.stock_excess - deeds - rubric.deeds_slack
    assert "words without deeds" in str(result) and "Words without deeds" in result._repr_html_()
    done = score_response(words_only + " I've booked the engineer for 8 am tomorrow and I'll text you when "
                          "he sets off.", customer_message=customer)
    assert done.unbacked < result.unbacked and done.total >= result.total + 20
    data = json.loads(RUBRIC_FILE.read_text(encoding="utf-8"))
    del data["words_need_deeds"], data["words_file"]  # the rules alone, as RULES, without the limit
    free = score_response(words_only, customer_message=customer, rubric=data)
    assert free.unbacked == 0 and free.total == result.total + result.unbacked
    for spec, message in [({"words": ["empathy"], "deeds": ["actions"], "slack": 8}, "'actions', which is not a component"),
                          ({"words": ["empathy"], "deeds": ["empathy"], "slack": 8}, "both words and deeds"),
                          ({"words": ["empathy"], "deeds": ["ownership"], "slack": -1}, "slack must be a number"),
                          ({"words": ["empathy"]}, "needs \"words\" and \"deeds\"")]:
        with pytest.raises(DataError, match=re.escape(message)):
            load_rubric({**data, "words_need_deeds": spec})


def test_a_promise_earns_with_a_when_or_a_deed_and_the_customers_own_date_is_not_a_when():
    assert score_response("I'll look into it.").components["ownership"] == 0
    assert score_response("Leave it with me, I'll personally make sure it gets sorted.").components["ownership"] == 0
    assert score_response("I'll look into it and call you by 3 pm.").components["ownership"] == pts("i_will_do")
    assert score_response("I've refunded it, and I'll look into it.").components["ownership"] == (
        pts("i_have_done") + pts("i_will_do"))
    reply = "I'm sorry the visit on 12 June didn't happen."
    assert score_response(reply).components["expectation_setting"] == pts("says_when")
    echoed = score_response(reply, customer_message="Nobody came for the visit on 12 June!")
    assert echoed.components["expectation_setting"] == 0 and "says_when" not in {e.rule for e in echoed.evidence}
    new_date = score_response("The engineer comes on 19 June.", customer_message="Nobody came on 12 June!")
    assert new_date.components["expectation_setting"] >= pts("says_when")
    data = json.loads(RUBRIC_FILE.read_text(encoding="utf-8"))
    next(r for c in data["components"] for r in c["rules"] if r["id"] == "i_will_do")["needs"] = ["says_whenever"]
    with pytest.raises(DataError, match="needs names 'says_whenever', which is not a rule"):
        load_rubric(data)
    rule = next(r for c in data["components"] for r in c["rules"] if r["id"] == "i_will_do")
    rule["needs"] = [["says_when"], ["whenever"]]
    with pytest.raises(DataError, match="needs names 'whenever', which is not a rule"):
        load_rubric(data)
    for bad in ("says_when", [["says_when"], "i_have_done"], [[]]):
        rule["needs"] = bad
        with pytest.raises(DataError, match="needs must be a list of rule ids, or a list of lists of them"):
            load_rubric(data)


def test_needs_in_groups_must_all_be_met():
    """``"needs": [["a"], ["b", "c"]]``: the rule earns only with a and one of b or c."""
    data = json.loads(RUBRIC_FILE.read_text(encoding="utf-8"))
    data["words_file"] = str(RUBRIC_FILE.parent / data["words_file"])
    rule = next(r for c in data["components"] for r in c["rules"] if r["id"] == "i_will_do")
    promise, with_time, with_both = "I'll look into it.", "I'll look into it by 3 pm.", "I've refunded it; I'll look into it by 3 pm."
    rule["needs"] = [["says_when"], ["i_have_done"]]
    both = load_rubric(data)
    assert [score_response(t, rubric=both).components["ownership"] for t in (promise, with_time)] == [0, 0]
    assert score_response(with_both, rubric=both).components["ownership"] == pts("i_have_done") + pts("i_will_do")
    rule["needs"] = ["says_when", "i_have_done"]  # one group: either will do
    either = load_rubric(data)
    assert score_response(with_time, rubric=either).components["ownership"] == pts("i_will_do")


def test_a_hand_off_earns_with_a_when_and_a_note_or_a_look_is_not_a_deed():
    """Passing the case on (escalated, forwarded to a team, logged) earns ``passes_on`` only with a
    time the customer can hold on to and either a deed of the agent's own or someone named to contact
    them; a note on the file, pulling up the account or closing the case earns nothing in ownership;
    a deed said in the passive voice earns ``done_for_you``."""
    own = lambda text: score_response(text).components["ownership"]  # noqa: E731
    for hollow in ["I've escalated your concerns to the relevant team.", "I've passed your message along to the practice manager.",
                   "I've made a note on your file.", "I've noted your concerns.", "I've got account 88213477 open.",
                   "I've got that up here.", "I'll pop you through to claims.", "I'll go ahead and mark this as resolved.",
                   "I have logged a missed collection for you."]:
        assert own(hollow) == 0, hollow
    assert own("I've escalated it to our claims manager, who will call you by 4 pm today.") == pts("passes_on")
    assert own("I'll pass this to the billing team and they'll ring you tomorrow.") == pts("passes_on")
    assert own("I've flagged the driver.") == pts("i_have_done")  # an action on someone, not a hand-off
    assert own("I've refunded the £5 and flagged the driver.") == pts("i_have_done")  # one rule earns once
    assert own("The £70 charge has been cancelled in full.") == pts("done_for_you")
    assert own("The £5 is refunded.") == pts("done_for_you")
    assert own("The £70 charge has not been cancelled.") == 0
    assert own("All I need from you today is her mobile number.") == 0  # "need" is not a deed ending in -ed
    assert own("I've got LS6 2QR noted down.") == 0
    assert own("So I've got your booking, MOV-6610.") == 0
    assert own("What I'll do is I'll pop a note on the reservation so the team are aware.") == 0
    assert own("Before I can do anything I'll need to take you through security.") == 0
    assert own("I want you to know I'm taking full ownership of this for you.") <= pts("personal")  # words, not a deed
    assert own("The team will be happy to look at the next available date.") == 0  # the team, not the agent
    assert own("Once I have those details I'll send the request over to the team.") == 0
    assert own("I'll send the request over to the team, and they'll call you by noon tomorrow.") == pts("passes_on")
    assert own("I'll send you a prepaid label today.") == pts("i_will_do")  # sending the customer something is a deed
    purposeful = score_response("I've added a note to your booking so the team know to expect you both.")
    assert purposeful.components["ownership"] == 0 and purposeful.components["expectation_setting"] > 0
    # stuffing R: the hand-off alone, with the team's own deadline, is not ownership
    for alone in ["I've escalated this, and you'll hear by Friday.",
                  "I've passed your comments to my manager. You'll hear from us within 20 working days.",
                  "I've forwarded your email to the clinic team. They aim to respond within 10 working days."]:
        assert "passes_on" not in {e.rule for e in score_response(alone).evidence}, alone
    assert "passes_on" in {e.rule for e in score_response(
        "I've refunded the £20, and I've escalated the rest; you'll hear by Thursday.").evidence}
    for hollow in ["I've set a reminder on your account to check on it.", "I've flagged that your rate ends on the 30th.",
                   "I've updated your policy with the details of the surgery.",
                   "I've sent you a link to our Retirement Options guide.", "I have reviewed claim HC-558201."]:
        assert own(hollow) == 0, hollow
    # stuffing K and L: marking a case, pulling up or reviewing the account, a look and a ticket
    for hollow in ["We've marked your enquiry as resolved.", "I've marked it as a priority.", "I pulled up the account.",
                   "I've reviewed your account.", "I've had a look.", "I have raised a ticket for you!",
                   "I've opened a case with our billing team.", "Is there anything else at all I can help you with today?",
                   "I'll be more than happy to assist you today."]:
        assert own(hollow) == 0, hollow
    assert own("I've raised a ticket and the engineer will call you by 5 pm today.") == pts("passes_on")
    assert own("I've reviewed your account and refunded the £20.") == pts("i_have_done")  # a look, then a deed
    assert own("I've had a look, and I've cancelled the second charge.") == pts("i_have_done")
    assert own("I've reviewed the photos and approved the claim.") == pts("i_have_done")
    assert own("I've frozen the $1,240 so nothing goes to collections.") == pts("i_have_done")  # irregular
    # stuffing M and N: a note of any size, experience and looks are no deeds; a chat with a colleague is a
    # hand-off; "Done," and headline deeds earn
    for hollow in ["I've put a little note on your file.", "I've seen this more times than I can count.",
                   "The good news is that I can help!", "I'll have a chat with him and the team and get back to you.",
                   "I've had a look and it's showing as delivered."]:
        assert own(hollow) == 0, hollow
    assert own("I'll have a word with the manager and call you by 5 pm today.") == pts("passes_on")
    assert own("We'll refund it by Friday.") == pts("we_will_do")
    # the team's "we'll ..." no longer vouches for the agent's own promise: "leave it with me" needs a when
    assert own("Leave it with me, we'll get it sorted.") == pts("we_will_do")
    assert own("I've refunded the £20 and we'll send a label too.") == pts("i_have_done") + pts("we_will_do")
    assert own("I had a look at that listing: it is sold by a marketplace seller.") == pts("i_have_done")  # a finding
    assert own("Done, you're on NW 418 to Calgary at 14:55.") == pts("done_for_you")
    assert own("Sure thing, tracking 1Z88R0 is moved to Tuesday.") == pts("done_for_you")
    assert own("Well done, you did everything right.") == 0
    assert own("I've flagged reservation 88213-KD for your 2:30pm pickup as a priority.") == 0  # stuffing O
    assert "says_when" in {e.rule for e in score_response("I can check that right now.").evidence}
    # set AF: on a live call, doing it while the customer waits is a when
    live = score_response("I can call the ER vet directly and set up direct pay. I'll stay on while we call them.")
    assert live.components["ownership"] >= pts("i_will_do") and "says_when" in {e.rule for e in live.evidence}


def test_personal_touches_count_like_kind_words_only_as_far_as_the_reply_acts():
    """The customer's name and their own words are in ``words_need_deeds``: echoing a customer back
    without doing anything keeps at most the slack."""
    rubric = load_rubric()
    assert "personalization" in rubric.kind_words
    message = "My boiler in the loft flat has been broken since Monday and I have a newborn baby."
    echo = ("Hi Priya, a broken boiler in the loft flat with a newborn baby since Monday, that must be so hard. "
            "I completely understand how worrying a broken boiler with a newborn baby is.")
    acted = echo + " I've booked an engineer for 8 am tomorrow and I'll call you at 9 to check it's working."
    e, a = score_response(echo, customer_message=message), score_response(acted, customer_message=message)
    assert e.unbacked > 0 and a.unbacked < e.unbacked
    assert e.total < PASS_MARK <= a.total


def test_keyword_stuffing_stays_below_the_pass_mark_and_a_natural_reply_reaches_it():
    facts = "$20;May 5"
    stuffed = "I understand. I'm sorry. I apologize. Thank you. Happy to help. Your refund of $20 arrives May 5."
    natural = ("What a frustrating week you've had with this. I've put the $20 refund through myself, and "
               "it will be back on your card by May 5.")
    assert score_response(stuffed, facts=facts).total < PASS_MARK <= score_response(natural, facts=facts).total


# --------------------------------------------------------------------------- case and punctuation variants

REFERENCE = "Thank you for sending the photo, I'm sorry. I'll follow up today. Is there anything else?"


@pytest.mark.parametrize("variant", [
    REFERENCE.upper(),
    REFERENCE.lower(),
    "Thank-you for sending the photo, I\u2019m sorry. I\u2019ll follow up today. Is there anything else?",  # hyphen, curly
    "thank you  for\nsending the photo, Im sorry!!! I'll follow up today... is there anything   else??",  # spacing, no '
    "Thank you for sending the photo \u2013 I'm sorry. I'll follow\u00a0up today. Is there anything else?",  # dash, nbsp
])
def test_case_and_punctuation_do_not_change_the_score(variant):
    expected = score_response(REFERENCE)
    stock = pts("thanks") + pts("apology") + pts("anything_else")  # stock courtesy, earning at most stock_cap
    assert expected.stock_excess == max(0, stock - RULES.stock_cap)
    assert expected.total == (pts("thanks_for") + pts("thanks") + pts("apology") + pts("i_will_do") + pts("next_step")
                              + pts("says_when") + pts("anything_else") - expected.stock_excess)
    assert score_response(variant).components == expected.components


# --------------------------------------------------------------------------- evidence and result


def test_evidence_points_and_positions_add_up():
    text = "Hi Maria, thank you for sending the photo. I'm so sorry, that is frustrating. You should have called."
    result = score_response(text)
    for e in result.evidence:
        assert text[e.start:e.end] == e.phrase
    for component, points in result.components.items():
        assert sum(e.points for e in result.evidence if e.component == component) == points
    assert [e.phrase for e in result.evidence if e.points < 0] == ["You should have"]
    earned = pts("greeting") + pts("uses_name") + pts("thanks_for") + pts("thanks") + pts("apology") + pts("names_the_feeling")
    assert result.unbacked > 0  # all kind words, nothing done: beyond the slack they do not count
    assert result.total == min(earned - result.stock_excess - result.unbacked, load_rubric().critical_cap) - 15
    assert result.weakest(1) == ["ownership"]


def test_result_shows_as_text_and_html():
    result = score_response("Thanks, I'm sorry. Calm down.", facts="ticket 123")
    assert result.total == pts("thanks") + pts("apology") - result.unbacked + pts("dismisses")
    shown = f"Interaction score {result.total:g} / 100"
    assert shown in str(result) and '"Calm down"' in str(result)
    assert "missing: ticket 123" in str(result)
    page = result._repr_html_()
    assert shown in page and "Warm, polite wording" in page and "Harm: blaming" in page
    assert '<mark style="background:#f7c9c9"' in page  # "Calm down" marked in red

# --------------------------------------------------------------------------- facts (the transaction)


def test_facts_kept():
    reply = "Your refund of 9.14 dollars arrives by April 22 under ticket #35639."
    assert facts_kept(reply, "$9.14;April 2;ticket 35639;April 22") == {
        "$9.14": True, "April 2": False, "ticket 35639": True, "April 22": True}
    assert facts_kept("Refund of $1,200.50 sent.", ["$1200.50"]) == {"$1200.50": True}
    result = score_response("Refund sent.", facts=["$20", "May 5"])
    assert result.transaction == {"$20": False, "May 5": False}
    assert result.missing_facts == ["$20", "May 5"]
    assert score_response("Refund sent.").transaction is None


# --------------------------------------------------------------------------- errors, long and foreign text


@pytest.mark.parametrize("text", ["", "   \n\t", None])
def test_empty_text_is_a_clear_error(text):
    with pytest.raises(DataError, match=r"^the reply is empty") as err:
        score_response(text)
    assert "\n" not in str(err.value)


def test_score_many_names_the_empty_row():
    with pytest.raises(DataError, match=r"reply in row r2 is empty"):
        score_many(pd.Series(["Thanks!", " "], index=["r1", "r2"]))
    with pytest.raises(DataError, match=r"reply in row 1 is empty"):
        score_many(pd.Series(["Thanks!", pd.NA], dtype="string"))  # an empty cell of an export
    with pytest.raises(DataError, match=r"'reply' column"):
        score_many(pd.DataFrame({"text": ["Thanks!"]}))
    with pytest.raises(DataError, match=r"2 entries but there are 1 replies"):
        score_many(["Thanks!"], customer_messages=["a", "b"])


def test_very_long_text_is_scored_once_per_rule():
    reply = load("responses")["reply"].iloc[1]
    long = " ".join([reply] * 2000)  # about 600,000 characters
    assert len(long) > 500_000
    single, repeated = score_response(reply), score_response(long)
    assert repeated.components == single.components
    assert all(long[e.start:e.end] == e.phrase for e in repeated.evidence)


@pytest.mark.parametrize("text, code", [
    ("Vielen Dank für Ihre Geduld. Ich habe die Rückerstattung veranlasst, sie kommt bis Freitag.", "de"),
    ("Muchas gracias por su paciencia, el reembolso llegará el lunes. Lo siento mucho.", "es"),
    ("Merci pour votre patience, le remboursement sera fait lundi.", "fr"),
    ("非常感谢您的耐心等待，退款将在周一到账。", "unknown"),
])
def test_other_languages_are_scored_but_flagged(text, code):
    result = score_response(text)
    assert result.language == code and detect_language(text) == code
    assert result.supported is False
    assert result.message.startswith("Only English is supported")
    assert 0 <= result.total <= 100
    assert "Only English is supported" in str(result)
    frame = score_many([text, "Thanks, I'll call you tomorrow."])
    assert frame["supported"].tolist() == [False, True]


def test_short_english_replies_count_as_english():
    for text in ["Hi!", "Address updated. Effective May 5. Reference 12345.", "ok"]:
        assert score_response(text).supported


# --------------------------------------------------------------------------- the bundled labelled replies


@pytest.fixture(scope="module")
def bundled():
    responses = load("responses")
    return responses, score_many(responses)


def test_interaction_rich_replies_outscore_transactional_ones(bundled):
    responses, scores = bundled
    assert pair_wins(scores, responses, "interaction", "transactional") >= 0.95


def test_blaming_replies_score_below_the_plain_transactional_one_in_every_pair(bundled):
    responses, scores = bundled
    assert pair_wins(scores, responses, "transactional", "blaming") == 1.0
    assert (scores.loc[responses["style"] == "blaming", "negative_language"] < 0).all()
    assert (scores["facts_kept"] == 1).all()  # every style keeps the transaction


def test_score_many_agrees_with_score_response(bundled):
    responses, scores = bundled
    assert list(scores.columns) == ["total", *COMPONENTS, "warm_words", "negative_language", "cold_words",
                                    "stock_excess", "unbacked", "language",
                                    "supported", "facts_kept"]
    for i in range(0, len(responses), 7):
        row = responses.iloc[i]
        one = score_response(row["reply"], row["customer_message"], row["facts"])
        assert one.total == pytest.approx(scores["total"].iloc[i])
        assert one.components == pytest.approx(scores.iloc[i][list(one.components)].astype(float).to_dict())
        assert sum(one.transaction.values()) / len(one.transaction) == scores["facts_kept"].iloc[i]


def test_score_many_rows_without_facts_or_message():
    frame = pd.DataFrame({"reply": ["Refund of $5 sent.", "Sorry, Maria!"], "facts": ["$5", None],
                          "customer_message": [None, "Help me. Maria"]})
    scores = score_many(frame)
    assert scores["facts_kept"].iloc[0] == 1 and pd.isna(scores["facts_kept"].iloc[1])  # no facts: nothing to keep
    assert scores["personalization"].tolist() == [0, 6]


def test_score_many_takes_a_plain_list_and_keeps_the_index():
    frame = score_many(pd.Series(["Thanks!", "Calm down."], index=[10, 20]))
    assert frame.index.tolist() == [10, 20]
    assert frame["total"].tolist() == [pts("thanks"), -20]
    assert "facts_kept" not in frame
    assert score_many(["Thanks!"])["acknowledgement"].tolist() == [pts("thanks")]


# --------------------------------------------------------------------------- the rubric: readable and extendable


def test_rubric_has_the_required_components_and_is_documented():
    rubric = load_rubric()
    assert rubric.ids[:7] == COMPONENTS and "negative_language" in rubric.ids
    assert sum(c.max_points for c in rubric.components if not c.words) == 100
    table = rubric_table()
    assert set(table["component"]) == set(rubric.ids)
    doc = (REPO / "docs" / "rubric.md").read_text()
    for component in rubric.components:
        assert f"`{component.id}`" in doc, f"docs/rubric.md does not explain {component.id}"


def test_a_trainer_can_add_a_rule(tmp_path):
    data = json.loads((REPO / "coursekit" / "analysis" / "rubrics" / "interaction.json").read_text())
    empathy = next(c for c in data["components"] if c["id"] == "empathy")
    empathy["rules"].append({"id": "bummer", "points": 5, "why": "house style", "patterns": ["what a bummer"]})
    path = tmp_path / "my_rubric.json"
    path.write_text(json.dumps(data))
    assert score_response("What a bummer!").components["empathy"] == 0
    assert score_response("What a bummer!", rubric=path).components["empathy"] == 5
    assert score_many(["What a bummer!"], rubric=str(path))["empathy"].tolist() == [5]


@pytest.mark.parametrize("rule, message", [
    ({"id": "x", "points": 5, "patterns": ["Sorry"]}, "capital letters"),
    ({"id": "x", "points": 5, "patterns": ["(sorry"]}, "not a valid regular expression"),
    ({"id": "x", "points": -5, "patterns": ["sorry"]}, "do not fit the component's limits"),
    ({"id": "x", "points": 5}, "give the rule patterns"),
])
def test_rubric_mistakes_are_clear_errors(rule, message):
    bad = {"components": [{"id": "empathy", "max_points": 20, "rules": [rule]}]}
    with pytest.raises(DataError, match=message):
        load_rubric(bad)


def test_unknown_rubric_file():
    with pytest.raises(DataError, match="not found"):
        load_rubric("no/such/rubric.json")


# --------------------------------------------------------------------------- real agent turns (ABCD, MIT)


def test_real_agent_turns_score_without_errors():
    chats = json.loads(real_data("abcd_sample.json").read_text())
    turns = [text for chat in chats for speaker, text in chat["original"] if speaker == "agent"]
    assert len(turns) >= 30
    scores = score_many(turns)
    print("\nInteraction scores of", len(turns), "real agent turns (ABCD):")
    print(scores.drop(columns=["language", "supported"]).describe().round(1).to_string())
    assert scores["total"].between(-60, 100).all() and not scores.isna().any().any()
    assert scores["supported"].all()
    # one chat turn is short: most earn little; the phrases a person sees earn what the rubric says
    assert scores["total"].median() < 10
    by_text = scores.set_axis(turns)
    closing = next(t for t in turns if "Would there be anything else" in t)
    assert by_text.loc[closing, "closing_check"] == 3        # "anything else"
    assert by_text.loc[closing, "negative_language"] == 0    # bad news given plainly ("unfortunately") is no harm
    assert by_text.loc["thanks so much! What is your membership level Crystal?", "acknowledgement"] == pts("thanks")
    assert by_text.loc["Have a great night!", "positive_language"] == 2
    whole = [" ".join(t for s, t in chat["original"] if s == "agent") for chat in chats]
    assert (score_many(whole)["total"] > scores["total"].median()).all()


# --------------------------------------------------------------------------- module 01: settings and self-checks

M01 = "01-interactions-vs-transactions"


def test_notebook_states_the_threshold_and_the_facts_of_every_case():
    import nbformat

    from coursekit.checks.m01_interactions_vs_transactions import REWRITE_THRESHOLD, rewrite_case

    nb = nbformat.read(REPO / "notebooks" / M01 / f"{M01}.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert f"at least {REWRITE_THRESHOLD} points" in text
    for name in ["rewrite_1", "rewrite_2", "rewrite_3", "rewrite_4", "rewrite_5"]:
        case = rewrite_case(name)
        assert case["customer_message"] in text and case["reply"] in text
        assert " · ".join(case["facts"].split(";")) in text
        assert score_response(case["reply"], case["customer_message"], case["facts"]).total < REWRITE_THRESHOLD


def test_rewrite_self_check_names_the_missing_fact_or_the_weak_part():
    from coursekit.check import SelfCheck
    from coursekit.checks.m01_interactions_vs_transactions import rewrite_case

    check = SelfCheck(M01)
    missing = check("rewrite_1", "Thank you for telling us, Sofia, and I'm sorry. I've refunded $9.14 by April 2. "
                                 "You'll get an email. Is there anything else I can help with?")
    assert not missing and "'ticket 35639' is missing" in missing.message
    plain = "The duplicate charge of $9.14 will be refunded by April 2. Ticket 35639."
    weak = check("rewrite_1", plain)
    case = rewrite_case("rewrite_1")
    total = _score_response(plain, case["customer_message"], case["facts"]).total  # the learner sees the coach's score
    assert total < PASS_MARK and not weak and f"{total:g} points: below {PASS_MARK}" in weak.message
    assert "Acknowledgement is weakest" in weak.message
    assert weak.hint.startswith("Thank the customer")
    blaming = check("rewrite_1", "Thank you, Sofia. I'm sorry. Policy says $9.14 is refunded by April 2, ticket 35639. "
                                 "You should have checked. I've noted it. Anything else?")
    assert not blaming and "Blaming or negative words cost 27 points" in blaming.message
    assert not check("rewrite_1", 42) and not check("rewrite_1", "  ")


def test_rewrite_self_check_says_when_kind_words_have_no_deeds_behind_them():
    from coursekit.check import SelfCheck
    from coursekit.checks.m01_interactions_vs_transactions import rewrite_case

    case = rewrite_case("rewrite_1")
    words_only = ("Oh no, I'm so sorry to hear that, Sofia. That sounds really frustrating, and I completely "
                  "understand how upsetting a double charge is. Thank you for telling us. $9.14, April 2, "
                  "ticket 35639.")
    score = _score_response(words_only, case["customer_message"], case["facts"])
    assert score.unbacked > 0 and score.total < PASS_MARK
    check = SelfCheck(M01)("rewrite_1", words_only)
    assert not check and f"{score.unbacked:g} points of kind words did not count" in check.message
    assert check.hint == score.tips["ownership"]
    done = words_only + " I've refunded the $9.14 myself; it's back on your card by April 2."
    assert SelfCheck(M01)("rewrite_1", done)


def test_notebook_states_the_rubric_figures():
    """Module 01's section 3 states the components' maxima, the stock cap, the slack of kind words
    without deeds and the pass mark: each is the bundled rubric's."""
    import nbformat

    rubric = load_rubric()
    nb = nbformat.read(REPO / "notebooks" / M01 / f"{M01}.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    labels = {"acknowledgement": "acknowledgement", "empathy": "empathy", "ownership": "ownership",
              "personalization": "personalization", "positive_language": "warm, polite wording",
              "expectation_setting": "expectation setting", "closing_check": "closing check", "warm_words": "warm words"}
    for cid, label in labels.items():
        assert re.search(rf"\| {label} \|[^\n]*\| up to {rubric.component(cid).max_points:g} \|", text), cid
    flat = " ".join(text.split())
    assert f"together earn at most {rubric.stock_cap:g} points" in flat
    assert f"count for at most {rubric.deeds_slack:g} points more than what the reply does" in flat
    assert f"The pass mark is {PASS_MARK:g} points" in flat
    # the kind words the notebook names are the rubric's, and its examples do what it says
    assert ("Acknowledgement, empathy, warm wording and personal touches (their name, their own words) count"
            in flat) and set(rubric.kind_words) == {"acknowledgement", "empathy", "positive_language", "personalization"}
    sympathy = score_response("I'm so sorry, Priya, I completely understand how upsetting a broken boiler is.",
                              customer_message="Priya here. My boiler is broken again!")
    assert sympathy.total < PASS_MARK and sympathy.unbacked > 0
    for hand_off in ["I've escalated this.", "I've passed it to the team."]:
        assert score_response(hand_off).components["ownership"] == 0
        assert score_response(hand_off + " You'll hear from them by 5 pm today.").components["ownership"] == 0
        assert score_response(hand_off + " The engineer will call you by 5 pm today.").components["ownership"] > 0
    guide = " ".join((REPO / "notebooks" / M01 / "FACILITATOR.md").read_text(encoding="utf-8").split())
    assert (f"stock phrases together earn at most {rubric.stock_cap:g} points, and kind words count for at most "
            f"{rubric.deeds_slack:g} points more than what the reply does") in guide


def test_label_self_check_says_which_letters_to_look_at_again():
    from coursekit.check import SelfCheck
    from coursekit.checks.m01_interactions_vs_transactions import expected_labels

    check = SelfCheck(M01)
    right = expected_labels()
    assert check("labels", right)
    flipped = {**right, "A": "interaction" if right["A"] == "transaction" else "transaction"}
    result = check("labels", flipped)
    assert not result and "1 of 6" in result.message and "look again at A" in result.message
    assert "no label yet for F" in check("labels", {k: v for k, v in right.items() if k != "F"}).message
    assert not check("labels", "transaction")


def test_docstring_examples_hold():
    import doctest

    import coursekit.interaction

    result = doctest.testmod(coursekit.interaction)
    assert result.attempted >= 2 and result.failed == 0


# --------------------------------------------------------------------------- whole conversations


def test_a_real_chat_is_scored_as_a_whole_and_per_agent_turn():
    from coursekit.interaction import read_transcripts, score_conversation

    chats = read_transcripts(real_data("abcd_sample.json"))
    assert len(chats) == 3 and all(c["customer_name"] for c in chats)
    for chat in chats:
        result = score_conversation(chat["turns"], customer_name=chat["customer_name"],
                                    conversation_id=chat["conversation_id"])
        agent = result.turns[result.turns["speaker"] == "agent"]
        assert len(result.turns) == len(chat["turns"]) and len(agent) >= 5
        assert agent["total"].notna().all() and result.turns.loc[result.turns["speaker"] != "agent", "total"].isna().all()
        # the whole conversation counts each behaviour once, so it is at least its best turn, at most their sum
        assert agent["total"].max() <= result.total + 1e-9
        # the first name counts where the agent used it (in one chat of the three)
        first = chat["customer_name"].split()[0].lower()
        used = any(first in text.lower() for speaker, text in chat["turns"] if speaker == "agent")
        assert (result.whole.components["personalization"] >= 6) == used
        assert "agent turns" in str(result)


def test_one_blaming_turn_costs_the_conversation_and_is_named():
    from coursekit.interaction import score_conversation

    turns = [("customer", "My parcel never came. - Ana"), ("agent", "Hi Ana, I'm sorry about that."),
             ("customer", "It was a gift!"), ("agent", "You should have chosen tracked delivery."),
             ("agent", "I've sent a replacement, it arrives Friday.")]
    kind = score_conversation([t for t in turns if "should have" not in t[1]])
    rude = score_conversation(turns)
    assert rude.total < kind.total and not rude.whole.passed
    assert rude.harmful_turns["turn"].tolist() == [4]
    assert rude.whole.harm[0].phrase == "You should have"


def test_transcripts_from_a_csv_export_and_clear_errors(tmp_path):
    from coursekit.interaction import read_transcripts, score_conversation

    path = tmp_path / "qa.csv"
    path.write_text("conversation_id,speaker,text\nc1,Customer,Where is my refund?\nc1,Agent,I've checked: it "
                    "arrives Monday.\nc2,caller,Hi\nc2,rep,Thanks for calling!\n")
    chats = read_transcripts(path)
    assert [c["conversation_id"] for c in chats] == ["c1", "c2"]
    assert score_conversation(chats[0]["turns"]).turns["speaker"].tolist() == ["customer", "agent"]
    bad = tmp_path / "bad.csv"
    bad.write_text("id,who,text\n1,agent,hi\n")
    with pytest.raises(DataError, match=r"bad.csv: needs the column\(s\) conversation_id, speaker"):
        read_transcripts(bad)
    with pytest.raises(DataError, match="no agent turn"):
        score_conversation([("customer", "hello?")])
    with pytest.raises(DataError, match="turn 2 of the transcript"):
        score_conversation([("agent", "Hi"), ("agent",)])


def test_score_many_on_two_cores_gives_the_same_scores(monkeypatch, bundled):
    from coursekit.analysis.interaction import scoring

    responses, scores = bundled
    monkeypatch.setattr(scoring, "PARALLEL_FROM", 10)
    both = score_many(responses, jobs=2)
    pd.testing.assert_frame_equal(both, scores)


def _each_pattern_alone(big, offsets, rubric):
    """What _phrase_matches finds when every compiled pattern searches the text on its own (the
    straightforward way, about three times slower): the reference for the shared searches."""
    import numpy as np

    from coursekit.analysis.interaction import scoring
    alone = tuple((p, ((0, k, j),)) for k, r in enumerate(rubric.rules) for j, p in enumerate(r.compiled))
    saved = rubric.__dict__.get("passes")
    rubric.__dict__["passes"] = alone
    try:
        return scoring._phrase_matches(big, offsets, rubric)
    finally:
        rubric.__dict__["passes"] = saved if saved is not None else rubric.__dict__.pop("passes")


def test_searching_all_patterns_by_first_letter_finds_what_each_finds_alone(tmp_path):
    import numpy as np

    from coursekit.analysis.interaction.language import SEP, _normalise
    from coursekit.analysis.interaction.scoring import _phrase_matches
    data = json.loads((REPO / "coursekit" / "analysis" / "rubrics" / "interaction.json").read_text())
    empathy = next(c for c in data["components"] if c["id"] == "empathy")
    empathy["rules"] += [  # what a trainer may write: a bar outside any group, a backreference, marks first
        {"id": "t1", "points": 1, "patterns": ["what a bummer|oh no", "(ugh) \\1"]},
        {"id": "t2", "points": 1, "patterns": ["!! really", "(?:so|such) (?:a )?pain", "\\d+ days? late"]},
        {"id": "t3", "points": 1, "patterns": ["so sorry so", "sorry so sorry"]}]  # overlapping matches
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data))
    texts = list(load("responses")["reply"]) + ["What a bummer, oh no. Ugh!! Really? So sorry so sorry so "
                                                "sorry so. Ugh ugh. Such a pain, 12 days late; 3 day late.", "ugh"]
    for f in sorted((REPO / "tests" / "blind" / "coach").glob("set_*/*.json")):
        texts += [x[k] for x in json.loads(f.read_text()) for k in ("customer", "plain", "rich", "blame", "reply")
                  if k in x]
    lows = [_normalise(t) for t in texts]
    big = SEP.join(lows)
    offsets = np.cumsum([0] + [len(t) + 1 for t in lows[:-1]]).astype(np.int64)
    for rubric in (load_rubric(), load_rubric(path)):
        shared = _phrase_matches(big, offsets, rubric)
        assert len(rubric.passes) < sum(len(r.compiled) for r in rubric.rules) / 5
        reference = _each_pattern_alone(big, offsets, rubric)
        assert len(shared[0]) > 1000
        assert all(np.array_equal(a, b) for a, b in zip(shared, reference))


def test_putting_the_work_on_the_customer_costs_a_little_and_does_not_stop_a_good_reply():
    """``puts_it_on_them`` (-3, not critical): "make sure you", "should be booked", "most customers" come
    far more often with blaming replies than with good ones in the blind sets, but not always: they cost
    a little and never stop a reply passing on their own.  Bad news given plainly ("unfortunately") is
    no harm at all (real agents say it all the time)."""
    base = "I've refunded the £20 to your card; it lands by Friday, and I'll check it's there."
    for extra in ["Make sure you keep the receipt.", "Most customers see it the next day.", "It should be booked early."]:
        hit = score_response(base + " " + extra)
        assert "puts_it_on_them" in {e.rule for e in hit.evidence}, extra
        assert hit.components["negative_language"] == pts("puts_it_on_them")
    assert score_response(base + " Make sure you keep the receipt.").total >= PASS_MARK
    for fine in ["I'll make sure it's sorted by Friday.", "Unfortunately the fee stays."]:
        assert "puts_it_on_them" not in {e.rule for e in score_response(fine).evidence}, fine


@pytest.mark.parametrize("text, blamed", [
    ("Checking the size guide first would have avoided this.", True),
    ("A quick call to us, which would have prevented the charge.", True),
    ("We would have prevented this if we'd checked.", False),
    ("It would have saved you a trip, so I've posted it instead.", False),
    ("Nothing you did would have prevented it.", False),
])
def test_hindsight_would_have_avoided_is_blame_unless_it_is_our_own_or_a_comfort(text, blamed):
    """"... would have avoided this" puts the fault on what the customer did or did not do; the same
    words about the agent's own side ("we would have"), a plain fact ("it would have saved you") or a
    comfort ("nothing you did would have") are no blame (searched from its modal, the cheap way)."""
    assert ("blames" in {e.rule for e in score_response(text).evidence}) is blamed


def test_a_fragment_is_one_place_for_what_several_patterns_share():
    """``fragments`` name pieces of pattern; ``<<not_a_deed>>`` is written once and used by both of
    i_have_done's patterns, so one edit changes both."""
    data = json.loads(RUBRIC_FILE.read_text(encoding="utf-8"))
    data["words_file"] = str(RUBRIC_FILE.parent / data["words_file"])
    rule = next(r for c in data["components"] for r in c["rules"] if r["id"] == "i_have_done")
    assert sum("<<not_a_deed>>" in p for p in rule["patterns"]) == 2
    said = ["I've emailed the depot about it.", "I emailed the depot about it."]
    assert all(score_response(t, rubric=data).components["ownership"] == pts("i_have_done") for t in said)
    data["fragments"]["not_a_deed"] = "emailed the depot|" + data["fragments"]["not_a_deed"]
    assert all(score_response(t, rubric=data).components["ownership"] == 0 for t in said)
    assert score_response("I've refunded the £20.", rubric=data).components["ownership"] == pts("i_have_done")
    for fragments, message in [({}, "uses <<not_a_deed>>, which is not in the rubric's fragments"),
                               ({"not_a_deed": "(unclosed"}, "fragment 'not_a_deed' is not a valid pattern"),
                               ({"not_a_deed": "<<x>>"}, "fragment 'not_a_deed' uses another fragment"),
                               ({"not_a_deed": 3}, "fragments must map names to pieces of pattern")]:
        with pytest.raises(DataError, match=re.escape(message)):
            load_rubric({**data, "fragments": fragments})
