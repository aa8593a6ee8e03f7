"""The response coach against people: replies it was not tuned on, written and graded by people who
never saw the rubric, and crowd-rated politeness (Stanford Politeness Corpus, in ../shared/real/).

Data and what it was used for (docs/rubric.md reports the figures):

- ``set_a`` to ``set_e``: written blind by five helpers; each was first looked at as held-out data
  (set E scored once with the rules frozen), then used as development data for the rules.
- ``set_f``, ``set_h``, ``set_k``: held out in the previous version (scored once each: 0.81 / 0.94 /
  0.88 / 0.80, 0.85 / 0.92 / 0.83 / 0.81, 0.94 / 0.98 / 0.88 / 0.70 for rich passes / rich beats
  plain / blame below plain / Spearman), then development data; ``set_g``, ``set_i``: development.
- ``set_l``, ``set_m``, ``set_r``: written blind for this version (a US airline and hotel QA lead, a
  UK utilities complaints writer, a US clinic, pharmacy and delivery-app lead); each was scored once
  with the rules and words as they stood before it was read (L 0.83 / 0.92 / 0.88 / 0.79, M 0.83 /
  0.83 / 0.81 / 0.74, R 0.85 / 0.90 / 0.88 / 0.78), then used for development.
- ``set_p``: written blind for this version (a terse Canadian B2B and telecom support writer), first
  scored once (0.77 / 0.92 / 0.83 / 0.84), then development.
- The learned word weights (``interaction_words.json``) are fitted on every development folder
  (the sets and stuffing pairs that were read; none of the held-out ones, ``test_coach_words.HELD_OUT``)
  and on the development split of the rated requests (weight 0.1 per pair, 3,000 pairs per source,
  chosen on an inner split of that development split), with ``--lam 0.5``
  (``coursekit.analysis.interaction.calibrate``).  Until the round of set AQ they were fitted on the
  seventeen sets A-R and the stuffing pairs A-F only.
- ``set_n`` (Indian English e-commerce and payments chat), ``set_o`` (Australian health insurance and
  government phone lines, much of it transcribed speech), ``set_q`` (an Irish banking complaints
  trainer): held out, never read, scored once with the rules and words frozen at commit 671db4b
  (N 0.90 / 0.92 / 0.90 / 0.75, O 0.94 / 0.94 / 0.88 / 0.87, Q 0.81 / 0.92 / 0.90 / 0.77), then
  development.
- ``set_t`` (a US writer across health insurance, pharmacy, banking, utilities, travel and
  retail; 48 sets and 30 graded): held out, scored once with the rules and words frozen at commit 4443305 (0.85 / 0.88 / 0.77 /
  0.78; the rules without the learned words 0.77 / 0.88 / 0.69 / 0.70), then development: the
  blame it missed (hindsight, "per Section 7", "it's all in the benefit summary you got") and the
  false alarms it raised on good replies became rules.
- ``set_x`` (small businesses, trades, finance, tech and subscriptions; 24 sets across 24
  industries and 20 graded, four short good replies): held out, never read, scored once with the
  rules and words frozen at commit d3cf51e (0.92 / 0.96 / 0.79 / 0.87, plain passes 0.08; the rules
  alone 0.88 / 0.92 / 0.67 / 0.87), then development: the five blame replies it scored at or above
  the plain one ("which I don't have to do", "won't make him any quicker", "that's most likely how
  this happened", "would have been showing on your bank statements", "people turning up late")
  became rules (blame below plain 1.00 since; the word weights are still fitted on A-R only).
- ``set_w`` (utilities, public services, health, travel and retail; 24 sets across 24 industries,
  four customers writing in non-native English, and 20 graded): held out, never read, scored once
  at commit 2f06255 (0.96 / 0.96 / 0.92 / 0.72, plain passes 0.21; the rules alone 0.96 / 0.96 /
  0.83 / 0.78). Its floors are the targets it reached and its measured Spearman.
- ``set_y`` (insurance, telecoms, government benefits, education, gaming, logistics and property;
  24 sets across 24 industries, four phone calls full of fillers and interruptions, eight very subtle
  blames, and 20 graded) and ``set_z`` (hospitality, healthcare administration, automotive, legal
  services, charities and SaaS; four formal good replies with no apology and no "understand", four
  customers in angry fragments; 20 graded): held out, never read, scored once at commit a1f5d2f
  (Y 0.96 / 0.96 / 0.75 / 0.90, plain passes 0.46; the rules alone 0.92 / 0.96 / 0.79 / 0.89. Z 1.00 /
  1.00 / 0.88 / 0.80, plain passes 0.21, poor replies below the pass mark 0.88; the rules alone 1.00 /
  1.00 / 0.88 / 0.85). Z's floors are the targets it reached and the measured figures; Z is still
  unread.  Y was then read: four of its six blames that scored at or above the plain reply became
  rules ("when we're told straight away, these amounts are much smaller", "if you let your kids use
  your card, that's what happens", "keep a closer eye on", "caused by the aid not being pushed fully
  in"), blame below plain 0.75 -> 0.92; no other set's figure moved.
- ``set_aa`` (banking, gyms, home repairs, education, pet care, government; four short good replies)
  and ``set_ab`` (retail, travel, insurance, telecoms, property, healthcare; eight very subtle
  blames): written blind this round.  AA was scored once at 79e91a7, then read; AB is held out, never
  read, scored once at cdb4acd.  The stuffing pairs C to F (24 each) likewise: each scored once
  held out, then read (see STUFFING_FLOORS).
- ``set_ac`` (utilities, parcels, hospitality, mobile, councils, charities, car rental; subtle blame
  put on another team; most rich replies without an apology) and the stuffing pairs ``stuffing_g``
  and ``stuffing_h``: written blind in the next round, held out, never read; scored at 8d239f4 and
  at the commit that added them (see FLOORS and STUFFING_FLOORS); then read.
- ``set_ad`` (airlines, energy, online retail, vets, universities, letting agents, software; ten
  courteous blames) and ``stuffing_i``: written blind in the same round, held out, scored at 8d239f4
  and at fbbd911 before they were read.
- ``set_ae`` and ``stuffing_j``: written blind at the end of the same round; held out, scored, then read.
- ``set_af`` (a US and Canadian QA lead: medical billing, SaaS, auto and pet insurance, food delivery,
  streaming, dealerships, movers, carriers; seven rich replies of 40 words or fewer, four rambling
  customers, blames in the passive voice, "as previously stated" and sarcastic politeness) and the
  stuffing pairs ``stuffing_k`` and ``stuffing_l``: written blind in the round after, held out,
  scored at 7f482e8 before anyone read them (see FLOORS and STUFFING_FLOORS).
- ``set_ag`` (UK, Irish, Australian, New Zealand, South African and Singapore lines: water and energy,
  building societies, councils, telcos, vets, universities, couriers, opticians, lettings, airports;
  four phone transcripts, six rich replies that deliver bad news, blames shifted onto a third party):
  written blind in the same round, held out, scored at 11b6908 (the coach of 7f482e8) and after
  stuffing K and L were read, then read (development for the rules, not for the word weights).
- ``set_ah`` (Indian, Filipino, Nigerian, Kenyan, Malaysian and Caribbean contact centres, customers
  and agents in the English of those places; six rich replies with bad news, eight subtle blames
  pushed onto the customer or a partner, four polite but hollow graded replies): written blind at
  the end of that round, held out, never read, scored at 802c8bc and at 7f482e8 alike.
- ``set_ai`` (a US and UK outsourcer's QA lead: healthcare, pharmacy benefits, student loans, tax
  software, home warranty, solar, pest control, funerals, child care, pet adoption; six customers in
  distress, six terse ones, six blames that hide behind "the system" or "the process", six practical
  rich replies with one warm sentence) and the stuffing pairs ``stuffing_o`` (travel and leisure,
  second-language customers, apologies on a partner's behalf, confident wrong explanations) and
  ``stuffing_p`` (technology and subscriptions, elderly customers, troubleshooting that ignores
  what was tried, a "specialist" who will be in touch, tickets closed with a survey link): written
  blind at the very end of that round, held out, never read, scored at 98ec4c1 (the round's last
  rules) and at 7f482e8 (its first).
- ``set_aj`` (in-house QA at a US hospital network, a UK housing association, an Australian telco, a
  Canadian airline, an Irish insurer and a New Zealand power company; half the rich replies short
  chat or SMS that do one exact thing, eight angry or rude customers, six blames delivered with a
  smile) and ``stuffing_q`` (financial and household services for vulnerable customers: "we've noted
  your circumstances", the standard process when an exception was asked for, a helpline instead of
  help): written blind after everything else in that round, held out, scored at f744147 and at 7f482e8;
  then both were read (development for the rules).
- ``set_ak`` (a North American outsourcer's QA lead: retail banks, credit cards, cable and internet,
  home insurance, airlines, car rental, e-commerce returns, prescription delivery, utilities; a third
  of the rich replies under 45 words, six sarcastic or curt customers, four older ones, six blames
  that sound helpful, "just so you know for next time", "as a courtesy this once"; only two rich
  replies apologise): written blind in the next round, held out, scored at 34b0eba and at 7f482e8
  before anyone read it; then read (development for the rules): its four missed blames ("the system
  shows you used the card", "refills should be requested at least 7 days before", "deliveries need
  someone available", "whether your PIN was written down or shared") became rules (blame below plain
  0.833 -> 1.00).
- ``set_al`` (UK, Scottish, Welsh and northern English in-house teams and European agents writing in a
  second language: rail and ferries, broadband, online groceries, GP and NHS dental booking,
  universities, council tax, car insurance, parcel lockers, holiday lets, gyms; half the rich replies
  a "no" done well, spoken phone replies, eight blames by implication, four friendly dismissals):
  written blind in the next round, held out, scored at 34b0eba and at 7f482e8 before any rule of that
  round; unread until d99de20, when a development script listed its missed blames by mistake (with
  set AN's): from then on development data (AL's and AN's missed blames became rules).
- ``set_am`` (a South African, Indian and Filipino multi-client centre: travel insurance, online
  education, crypto and payments apps, food delivery, telehealth, ride hailing, hotels, electronics
  warranties; short chat replies that show care by acting fast, customers in broken or mixed English,
  five abusive ones, blames behind "as per the terms", "the system", "our records", and
  passive-aggressive "as mentioned in my previous message", "kindly note"): written blind in the round
  after, held out, scored at 9416421 (that round's first rules), at 34b0eba and at 7f482e8 before anyone
  read it; then read (development for the rules): its four missed blames ("for future orders, it's
  best to check", "doctors cannot always control", "because the Pay button was pressed twice",
  "most customers pass verification on the first attempt by following") and "keep your messages
  respectful" became rules (0.958 / 1.00 / 1.00 / 0.938).
- ``set_an`` (a US in-house team across a regional bank, home security, a vet chain, a dealership
  service department, property management, school transport, a dental insurer and an outdoor-gear
  retailer; half the rich replies a refusal or partial fix done well; eight blames that explain "how
  it works" at length, four sarcastic, four that refuse responsibility; four polite graded replies
  that do nothing): written blind in the same round, held out, scored at c33e34e (the rules of
  9416421), at 34b0eba and at 7f482e8; read after d99de20 with set AL (see above): development since.
- ``set_ao`` (Canadian and Irish energy, mobile, public transport, hospital billing, pet insurance,
  student housing, ticketing and grocery delivery; a third of the customers upset over their own
  mistake; blames that imply the customer did not read, compare them with others, or explain the
  process at length) and ``set_ap`` (US and Australian health insurers, banks, airlines, hardware,
  software subscriptions, telehealth, car rental, furniture and councils; half the rich replies under
  60 words, six spoken; blames that open warmly, quote "our records show", are weary or sarcastic):
  written blind at the end of the round, held out, never read, scored at d99de20 (AO 0.917 / 0.917 /
  0.708 / 0.768, AP 0.958 / 1.00 / 0.708 / 0.905) and at 39b6547, the round's last rules (AO 0.917 /
  0.917 / 0.667 / 0.761, AP 0.958 / 1.00 / 0.667 / 0.914): the round's last blame rules caught none of
  their blames and lost one each; at 34b0eba AO 0.917 / 0.917 / 0.708 / 0.768, AP 0.958 / 1.00 / 0.708
  / 0.918.  With ``puts_it_on_them`` (a soft -3 for "make sure you", "should be booked", "most
  customers", tried once on the development sets' counts and kept; AO and AP were scored, not read)
  AO 0.917 / 0.917 / 0.708 / 0.761, AP 0.958 / 1.00 / 0.667 / 0.914.
- ``set_ap``'s first set (ap01) was printed once at the start of the next round to recall the file
  format (its blame: "as outlined in your member guide", "please check your receipts are complete");
  no rule was written from it.
- ``set_aq`` (English-language support at Dutch, German, Nordic, Polish and Portuguese companies: e-bike
  rental, meal kits, language apps, flat-pack furniture, budget airlines, rail passes, banking apps,
  energy, streaming; agents and customers in second-language English, six customers upset over their
  own mistake, four older or with accessibility needs, six rich replies that say no or only partly fix
  it, blames by rhetorical question, "simply", "obviously", comparison with other customers) and
  ``stuffing_v`` (healthcare, dental, health insurance, pharmacy, vets and elderly care in the US, UK,
  Canada and Australia, many phone transcripts: scripted empathy then policy, "I've documented your
  concerns", "someone will reach out", transfers with no date, fluent warmth without help): written
  blind in the round after, held out, never read, scored at cb675ca (AQ 0.875 / 0.917 / 0.958 / 0.883,
  poor replies below the pass mark 1.00; V 0.917 / 0.958 / 1.00) and again after that round's rules
  and word refit (the same figures).
- ``set_ar`` (a US and Mexican nearshore outsourcer: auto loans, wireless, home internet, pharmacy
  benefits, Medicare plans, movers, warranties, gig drivers, tax preparation, hotel loyalty, HOAs;
  blames carried by implication and tone, each different; half the rich replies under 60 words),
  ``set_as`` (UK, Irish, Australian and New Zealand in-house teams: water, building societies, patient
  advice, councils, rail, student loans, pet insurance, funerals, driving tests; every blame a
  different device: "just to confirm, you did ...", the customer's words quoted back, "no record of
  you calling", praise of other customers, a sting in the last sentence) and ``stuffing_w`` (retail,
  food delivery, banking and buy-now-pay-later, car sharing, ticketing, games, in the US, India, the
  Philippines and South Africa: fluent, personal stuffing with specific-sounding empty actions):
  written blind in the same round, held out, never read, scored at eb8f190 (AR 0.75 / 0.958 / 0.708 /
  0.932; AS 0.917 / 1.00 / 0.708 / 0.881; W 0.583 / 1.00 / 0.917) and at cb675ca (AR 0.833 / 0.958 /
  0.583 / 0.932; AS 0.917 / 1.00 / 0.708 / 0.879; W 0.50 / 1.00 / 0.917).  AR was then read (development
  for the rules, not for the word weights): its seven missed blames carried no phrase of a rule; the
  devices among them became rules ("the app does send reminders", "letters went out to all members",
  "more than we normally do", "(sighs)", "shouldn't really be a surprise", "the same rule for every
  customer", "the best way to avoid", "going forward you'd want to", "just make sure the", "stay
  calm"): AR blame below plain 0.708 -> 0.917; no held-out figure moved by more than 0.01 (Spearman).
- ``politeness_dev.csv``: requests with five annotators' politeness ratings. Items whose id hashes
  (crc32) to 0-2 of 10 are held out; the rest were used for development.

Each set holds customer messages with three replies that keep the same facts (plain, rich, blame)
and single replies graded 1-5 for interaction quality.  The floors asserted here are the issue's
targets where the coach reaches them, and the measured level (so a change that makes it worse fails)
where it does not yet; docs/rubric.md says which is which.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import REPO, real_data
from scipy.stats import spearmanr

from coursekit.analysis.interaction.calibrate import politeness_held_out, rated_quartile
from coursekit.analysis.interaction.rubric import RUBRIC_FILE as RUBRIC
from coursekit.errors import DataError
from coursekit.interaction import PASS_MARK, score_many, score_response

BLIND = REPO / "tests" / "blind" / "coach"


def load_sets(name: str) -> pd.DataFrame:
    """One row per reply: set id, style (plain / rich / blame), reply, customer message, facts."""
    rows = [(s["id"], style, s[style], s["customer"], ";".join(s["facts"]))
            for s in json.loads((BLIND / name / "sets.json").read_text(encoding="utf-8")) for style in
            ("plain", "rich", "blame")]
    return pd.DataFrame(rows, columns=["set", "style", "reply", "customer_message", "facts"])


def set_figures(name: str) -> dict:
    replies = load_sets(name)
    scores = score_many(replies)
    wide = replies.assign(total=scores["total"]).pivot(index="set", columns="style", values="total")
    graded = pd.DataFrame(json.loads((BLIND / name / "graded.json").read_text(encoding="utf-8")))
    graded_total = score_many(graded["reply"], customer_messages=graded["customer"])["total"]
    return {"sets": len(wide), "rich_passes": (wide["rich"] >= PASS_MARK).mean(),
            "rich_beats_plain": (wide["rich"] > wide["plain"]).mean(),
            "blame_below_plain": (wide["blame"] < wide["plain"]).mean(),
            "plain_passes": (wide["plain"] >= PASS_MARK).mean(), "facts_kept": scores["facts_kept"].mean(),
            "spearman": spearmanr(graded_total, graded["grade"])[0],
            "good_pass": (graded_total[graded["grade"] >= 4] >= PASS_MARK).mean(),
            "poor_fail": (graded_total[graded["grade"] <= 2] < PASS_MARK).mean()}


#: floors per set: the issue's targets (rich >= pass 0.85, rich > plain 0.95, blame < plain 0.90,
#: Spearman 0.8) where reached, else the measured level rounded down
TARGETS = {"rich_passes": 0.85, "rich_beats_plain": 0.95, "blame_below_plain": 0.90, "spearman": 0.80, "poor_fail": 1.0}
FLOORS = {
    # development: the rules were tuned and the word weights fitted on these
    **{f"set_{k}": TARGETS for k in "abcdghiklnop"},
    # poor replies below the pass mark 0.917 since the words are fitted on every development writer
    # and the rated requests (one grade-2 reply of 24 at the pass mark)
    "set_r": {**TARGETS, "poor_fail": 0.9},
    # Spearman 0.800-0.807 across the refits of the round after (20 graded replies: one pair swapped
    # takes it from 0.807 to 0.7998)
    "set_q": {**TARGETS, "spearman": 0.79},
    "set_m": {**TARGETS, "poor_fail": 0.9},
    # one grade-2 reply (eg28, a scripted apology that does log a callback) at 18 since the stuffing pairs
    # rich > plain 0.938 since the words are fitted on every development writer and the rated requests
    "set_e": {**TARGETS, "poor_fail": 0.9, "rich_beats_plain": 0.93},
    # rich > plain 0.92 (0.96 before) since the words were fitted on stuffing B-F too: four short rich
    # replies that tie with or trail their plain one by at most 3 points
    "set_f": {**TARGETS, "rich_beats_plain": 0.91},
    # Spearman 0.81 before formula sentences earned like stock phrases (0.797 after, with stuffing kept out)
    # 0.789 once kind words count only up to what the reply does (words_need_deeds)
    "set_t": {**TARGETS, "poor_fail": 0.9, "spearman": 0.78},
    # held out, scored once at d3cf51e (blame < plain 0.79), then its blame misses became rules
    "set_x": TARGETS,
    # held out, scored once at 2f06255 (Spearman measured 0.72); blame < plain 0.875 since stuffing M and N's
    # rules and word refit (one of its 24 blames now ties or beats its plain reply; W is still unread)
    "set_w": {**TARGETS, "spearman": 0.70, "blame_below_plain": 0.85},
    # held out, scored once at a1f5d2f (blame < plain 0.75), then its blame misses became rules
    "set_y": TARGETS,
    # held out, scored once at a1f5d2f, never read
    # Z's Spearman: 0.798 scored once; 0.789 after formula sentences earned like stock phrases; 0.779
    # after the word refit with kind words that need deeds (20 graded replies: one pair swapped)
    "set_z": {**TARGETS, "blame_below_plain": 0.85, "spearman": 0.77, "poor_fail": 0.85},
    # held out, scored once at 79e91a7 (0.875 / 0.917 / 0.708 / 0.862, poor replies below the pass
    # mark 0.875; at ce741f4, before kind words needed deeds: 0.875 / 0.917 / 0.75 / 0.841, 0.75)
    # then read (development): 1.00 / 1.00 / 0.88 / 0.84 at cdb4acd
    "set_aa": {**TARGETS, "blame_below_plain": 0.85, "poor_fail": 0.85},
    # held out, never read, scored once at cdb4acd (0.917 / 0.958 / 0.958 / 0.837, poor replies below
    # the pass mark 0.875; at ce741f4: 0.958 / 0.958 / 0.958 / 0.774, 0.75)
    "set_ab": {**TARGETS, "poor_fail": 0.85},
    # held out, never read, scored once at 8d239f4 (0.958 / 0.958 / 0.75 / 0.712, poor replies below
    # the pass mark 1.00) and at the commit that made hand-offs need a when and personal touches
    # need deeds (0.958 / 0.958 / 0.792 / 0.706): polite blame and blame put on another team are missed.
    # Then read (development): its five missed blames and two false alarms became rules (0.958 /
    # 0.958 / 1.00 / 0.822)
    "set_ac": TARGETS,
    # held out, never read, scored at 8d239f4 (1.00 / 1.00 / 0.667 / 0.748, poor replies below the pass
    # mark 0.75) and at fbbd911 (1.00 / 1.00 / 0.625 / 0.804, 0.75): ten blames carried only by
    # courteous wording. Then read (development): its nine missed blames became rules (1.00 / 1.00 /
    # 1.00 / 0.804)
    "set_ad": {**TARGETS, "poor_fail": 0.75},
    # written blind at the end of that round (banking, broadband, rail, GP and hospital, insurance,
    # furniture delivery, council housing; ten courteous blames, six put on another team), held out,
    # never read, scored at 8d239f4 (0.875 / 0.958 / 0.833 / 0.81) and at 05d89b8 (0.917 / 0.917 /
    # 0.917 / 0.841); then read: its two missed blames and one false alarm ("I know, it's a big jump")
    # became rules (0.958 / 0.958 / 1.00 / 0.841)
    "set_ae": TARGETS,
    # written blind in the round after (see the module docstring), held out, never read, scored at
    # 7f482e8: 0.875 / 1.00 / 1.00 / 0.753, poor replies below the pass mark 1.00; 0.875 / 1.00 / 0.958 /
    # 0.746 once stuffing K and L's looks, tickets and vague follow-ups became rules.  Then read
    # (development): its short good replies became rules (0.958 / 1.00 / 1.00 / 0.756; 0.750 with
    # stuffing M and N's rules; 0.776 once "I'll stay on while we call them" is a when)
    "set_af": {**TARGETS, "spearman": 0.77},
    # held out, never read, scored at 11b6908: 0.792 / 0.958 / 0.833 / 0.856, poor replies below the
    # pass mark 1.00; 0.792 / 0.958 / 0.833 / 0.856 again with stuffing K and L's rules.  Then read
    # (development): its four missed blames (students "are reminded ... to", "we get a lot of ...
    # reports", "usually caused by insufficient packaging", "at his discretion") and one false alarm
    # ("explained that more clearly on the day") became rules (0.833 / 1.00 / 1.00 / 0.852; good replies
    # passing 0.875 once "On it -" and "kicks in when you land" earned)
    "set_ag": TARGETS,
    # held out, never read, scored at 802c8bc and at 7f482e8: 0.958 / 1.00 / 0.958 / 0.905, poor
    # replies below the pass mark 1.00 (all four targets); 0.958 / 1.00 / 1.00 / 0.906 once set AJ's
    # blames became rules
    "set_ah": TARGETS,
    # held out, never read, scored at 98ec4c1: 0.833 / 0.917 / 0.833 / 0.844, poor replies below the
    # pass mark 1.00 (at 7f482e8: 0.792 / 0.917 / 0.833 / 0.853); Spearman 0.834 once set AG's "On it -"
    # and "kicks in when" earned (one graded pair swapped; AI is still unread)
    # 0.792 / 0.875 / 0.875 / 0.850 once the blames of sets AL, AN and the development sets' frequent
    # warnings ("please be aware", "it's important to", "we did send") became rules: one blame more caught,
    # one good reply newly flagged (AI is still unread, so which phrase it was is not known)
    # 0.750 / 0.875 / 0.875 / 0.838 after the next round's plain-word deeds ("I'm texting you the link
    # now", "are refunded", "is in your inbox") and word refit: one rich reply fewer passes
    "set_ai": {**TARGETS, "rich_passes": 0.75, "rich_beats_plain": 0.875, "blame_below_plain": 0.875, "spearman": 0.83},
    # held out, scored at f744147: 0.75 / 0.917 / 0.708 / 0.816, poor replies below the pass mark 1.00 (at
    # 7f482e8: 0.792 / 0.917 / 0.75 / 0.788): short exact good replies and blame delivered with a smile.
    # Then read (development): its seven missed blames became rules (0.792 / 0.917 / 1.00 / 0.810)
    # 0.75 once "on it" counts only as the agent's own ("Northern Lines are on it" had earned it)
    "set_aj": {**TARGETS, "rich_passes": 0.75, "rich_beats_plain": 0.91, "spearman": 0.8},
    # held out, never read, scored at 34b0eba: 0.958 / 0.958 / 0.875 / 0.856, poor replies below the pass
    # mark 1.00 (at 7f482e8: 0.958 / 0.958 / 0.917 / 0.851)
    # held out, scored at 34b0eba: 0.958 / 1.00 / 0.833 / 0.862, poor replies below the pass mark 1.00
    # (at 7f482e8: 0.958 / 1.00 / 0.833 / 0.859)
    "set_ak": TARGETS,
    # held out, scored at 34b0eba: 0.958 / 0.958 / 0.875 / 0.856, poor replies below the pass mark 1.00 (at
    # 7f482e8: 0.958 / 0.958 / 0.917 / 0.851); 0.917 blame < plain with the development sets' frequent
    # warnings as rules, before it was read; then read (0.958 / 0.958 / 0.917 / 0.859)
    "set_al": {**TARGETS, "blame_below_plain": 0.9},
    # held out, scored at 9416421: 0.875 / 0.958 / 0.833 / 0.938, poor replies below the pass mark 1.00 (at
    # 34b0eba 0.917 / 0.958 / 0.833 / 0.939; at 7f482e8 0.917 / 0.958 / 0.875 / 0.938)
    "set_am": TARGETS,
    # held out, never read, scored at 39b6547 (see the module docstring): the measured levels
    "set_ao": {**TARGETS, "rich_beats_plain": 0.91, "blame_below_plain": 0.66, "spearman": 0.76, "poor_fail": 0.875},
    "set_ap": {**TARGETS, "blame_below_plain": 0.66, "poor_fail": 0.875},
    # held out, scored at c33e34e: 0.958 / 1.00 / 0.792 / 0.850, poor replies below the pass mark 0.875 (at
    # 34b0eba 0.958 / 1.00 / 0.833 / 0.850; at 7f482e8 1.00 / 1.00 / 0.75 / 0.834); then read: its
    # missed blames ("most clients recognize it", "that was mentioned when you picked up", "the point of
    # making an appointment", "the most common cause of") became rules (1.00 / 1.00 / 0.917 / 0.842)
    "set_an": {**TARGETS, "blame_below_plain": 0.9, "poor_fail": 0.875},
    # held out, never read, scored at cb675ca (see the module docstring): rich > plain 0.917 measured
    "set_aq": {**TARGETS, "rich_beats_plain": 0.91},
    # held out, never read, scored at eb8f190 (see the module docstring): the measured levels
    # then read (development for the rules): 0.75 / 0.958 / 0.917 / 0.932
    "set_ar": {**TARGETS, "rich_passes": 0.75},
    "set_as": {**TARGETS, "blame_below_plain": 0.7},
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_blind_replies(name):
    figures = set_figures(name)
    print(f"\n{name}: " + ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in figures.items()))
    assert figures["sets"] >= 24 and figures["facts_kept"] > 0.99
    for key, floor in FLOORS[name].items():
        assert figures[key] >= floor, f"{name}: {key} {figures[key]:.2f} < {floor}"


STUFFED = [
    # the issue's example: stock phrases and the bare facts
    ("I understand. I'm sorry. I apologize. Thank you. Happy to help. Your refund of $20 arrives May 5.", "$20;May 5"),
    ("Thank you! I apologize for the inconvenience. I understand your frustration. I'm sorry. No problem, happy to "
     "help, certainly. Refund $20, May 5. Anything else? Have a great day!", "$20;May 5"),
    ("Dear Valued Customer, thank you for contacting us. We apologise for any inconvenience caused. We value your "
     "business. Your refund of $20 will arrive on May 5. Please do not hesitate to contact us.", "$20;May 5"),
    # formula sentences that are not stock phrases (these passed before formula sentences earned like stock)
    ("I understand. I'm sorry. I apologize. Thank you. Happy to help. I'll take care of it. Great question! "
     "Refund $20, May 5. Is there anything else I can help with? Have a wonderful day!", "$20;May 5"),
    ("Hi there! Thank you for contacting us! We truly appreciate you! I completely understand your concern and "
     "I'm so sorry! No worries at all, I'm happy to help! $20 refund on May 5! Thanks again and have a "
     "fantastic day!", "$20;May 5"),
    ("I hear you. I hear you. I'm so sorry. I can imagine how that feels. I'll look into it. I'll look into it "
     "for you. $20, May 5. Thank you for your patience and understanding.", "$20;May 5"),
    ("Great question! Thanks for asking! I'm glad you reached out! Of course! Absolutely! $20 will be refunded "
     "May 5. Anything else? Take care!", "$20;May 5"),
]

#: natural replies with the same facts and a formula sentence or two: they still pass
NATURAL = [
    ("That's a rotten way to start the week, and it was our mistake, not yours. I've put the $20 back on your "
     "card myself; it lands by May 5. If it isn't there by then, reply here and I'll chase it.", "$20;May 5"),
    ("Oh no, sorry Sam. I've refunded the $20 now, you'll see it by May 5. Anything else I can sort while I'm "
     "here?", "$20;May 5"),
    ("I hear you. That's a long time to wait for your own money. I've refunded the $20 myself and it reaches "
     "your card by May 5; I'll check on it that morning and email you either way.", "$20;May 5"),
]


def stuffing_figures(name: str) -> dict:
    """A folder of stuffing pairs: per customer a stuffed reply (courtesy phrases and scripted empathy
    without substance, graded 1-2 by its writer) and a natural good reply with the same facts."""
    pairs = pd.DataFrame(json.loads((BLIND / name / "pairs.json").read_text(encoding="utf-8")))
    facts = pairs["facts"].str.join(";")
    stuffed = score_many(pd.DataFrame({"reply": pairs["stuffed"], "customer_message": pairs["customer"],
                                       "facts": facts}))["total"]
    natural = score_many(pd.DataFrame({"reply": pairs["natural"], "customer_message": pairs["customer"],
                                       "facts": facts}))["total"]
    return {"pairs": len(pairs), "stuffed_fails": (stuffed < PASS_MARK).mean(),
            "natural_passes": (natural >= PASS_MARK).mean(), "natural_beats_stuffed": (natural > stuffed).mean()}


#: stuffing_a: written blind (24 pairs, 14 kinds of stuffing); scored once at 50bd187 (stuffed below
#: the pass mark 0.42, natural passes 1.00, natural > stuffed 0.88; 0.29 before formula sentences
#: counted as stock), then development: the word weights are fitted on it too (0.67 / 1.00 / 0.96)
#: stuffing_b: written blind by another helper (24 pairs: fluent corporate prose with no commitment,
#: short courtesy-packed replies, empathy that misreads the problem, vague personal promises, warm
#: refusals with no reason, and four of the writer's own); held out, never read, scored once at
#: af6f148: stuffed below the pass mark 0.29 (0.21 before this round's stuffing work, at 561a70d),
#: natural passes 0.96, natural > stuffed 0.75.  Then read (development for the rules, not for the
#: word weights): kind words count only up to what the reply does, a promise needs a when or a deed,
#: the customer's own date is not a when, filler reassurance and score begging cost (A 0.88 / 1.00 /
#: 1.00, B 0.58 / 0.96 / 0.96).
#: stuffing_c and stuffing_d: written blind by two more helpers (24 pairs each; D asked for fluent
#: stuffing and agents who sound specific but never act); held out, scored once at 79e91a7: C 0.54 /
#: 0.92 / 0.88, D 0.33 / 0.83 / 0.71 (at ce741f4, before this round: C 0.38 / 0.92 / 0.83, D 0.25 /
#: 0.83 / 0.58).  C was then read (development for the rules); D is still unread (0.38 / 0.83 / 0.71
#: at cdb4acd).
#: stuffing_e and stuffing_f: written blind by two more helpers (E: half North American agents, many
#: short fluent ones; F: trades, transport, councils, phone fillers, specific-sounding actions that are
#: not what was asked); held out, never read, scored once at cdb4acd: E 0.54 / 1.00 / 0.92, F 0.50 /
#: 0.96 / 0.79 (at ce741f4: E 0.25 / 1.00 / 0.79, F 0.21 / 0.96 / 0.71).  D, E and F were then read
#: (development for the rules), and the word weights are now fitted on stuffing A-F: a cross-check
#: that fitted on A-D only gave E 0.88 and F 0.75 (0.71 and 0.67 fitted on A alone).
#: stuffing_g and stuffing_h: written blind by two more helpers (G: utilities, rail and air, clinics,
#: garages, schools, agents who sound decisive but do the wrong thing; H: claims, B2B software,
#: pharmacies, movers, warm refusals and echoed words with follow-up that has no date or owner);
#: held out, never read, scored at 8d239f4 (G 0.46 / 1.00 / 0.83, H 0.50 / 1.00 / 0.79) and at the
#: commit that made hand-offs need a when and personal touches need deeds (G 0.62 / 0.96 / 0.92, H
#: 0.75 / 1.00 / 0.92); with set AC's blames as rules, G 0.58 / 0.96 / 0.88.  G was then read
#: (development for the rules): "taken this seriously", feedback routed to a log, a request sent over
#: to the team without a when (G 0.67 / 0.96 / 0.92).  H was then read too: a note popped on the
#: booking, "I've got your booking", "we will do everything we can" (H 0.75 / 1.00 / 0.96).
#: stuffing_i: written blind by one more helper (banks, broadband, DIY and furniture, dentists and
#: opticians, cruises, councils; real but wrong actions, "I'll look into it" made personal); held out,
#: never read, scored at 8d239f4 (0.38 / 0.92 / 0.62) and at fbbd911 (0.58 / 0.96 / 0.79); then read
#: ("as per our terms", "as soon as reasonably practicable", "in touch when they can", "taking full
#: ownership" is not a deed): 0.62 / 0.96 / 0.79.
#: stuffing_j: written blind at the end of that round (airlines, gyms, mobile, estate agents, parcel
#: lockers, opticians, online courses; real actions that were not asked for, hand-offs to a named
#: team with no date); held out, never read, scored at 8d239f4 (0.38 / 1.00 / 0.75) and at 3f175ab
#: (0.71 / 1.00 / 0.92).
#: stuffing_k (marketplaces, B2B SaaS, hotels, mobile networks, banks, insurers: the customer's words
#: and name echoed back, real-sounding actions that were not asked for, callbacks with no date, warm
#: answers to another question) and stuffing_l (offshore and nearshore agents on heavy scripts:
#: "escalated to the concerned team", "raised a ticket", many apologies, thanks for patience while
#: nothing changes): written blind in the round after, held out, scored at 7f482e8 before they were
#: read (K 0.625 / 0.958 / 0.917, L 0.625 / 0.958 / 0.833).  Then read (development for the rules):
#: marking a case resolved or a priority, pulling up, reviewing or having a look at the account, and
#: raising or opening a ticket earn nothing without a when; "I'll be happy to assist you today" is
#: no promise and no time; "once they've had a chance", "at the earliest" and "the next available
#: advisor" are vague (K 0.75 / 0.958 / 0.958, L 0.792 / 0.958 / 0.917).
#: stuffing_m (public services and regulated industries: hand-offs to a team or a portal with no date,
#: policy quoted at length with sympathy, the customer sent to do the work, senior-sounding agents
#: who commit to nothing; half the natural replies under 70 words) and stuffing_n (small businesses
#: in a casual voice: chatty dodges, freebies instead of a fix, "I'll chat to the team", "sorry for
#: any inconvenience"): written blind at the end of that round, held out, never read, scored at
#: 8e23ec2 and at 7f482e8 alike (M 0.792 / 0.875 / 0.833, N 0.833 / 0.958 / 0.875).  Then read (development
#: for the rules): the team's "we'll ..." (``we_will_do``) no longer vouches for the agent's own
#: promise ("leave it with me ... we'll get it sorted"; making it need a when as well caught more
#: stuffing but cost set T's Spearman 0.84 -> 0.72), a note of any size, "I've seen this before" and a bare "I can help!" are no
#: deeds, "I'll have a chat with the team" is a hand-off, "these things do sometimes", "work
#: themselves out", "usually nothing serious", "best placed to help" are vague, "I'm very confident
#: we'll ..." is hollow (M 0.875 / 0.833 / 0.833, N 0.833 / 0.958 / 0.875).
#: stuffing_o and stuffing_p: written blind at the very end of that round (see the module
#: docstring); held out, scored at 98ec4c1 (O 0.833 / 0.958 / 1.00, P 0.917 / 1.00 / 1.00) and at
#: 7f482e8 (O 0.875 / 0.958 / 1.00, P 0.917 / 1.00 / 0.958).  P is still unread; O was read at the
#: end of the round with Q (below).
#: stuffing_q (vulnerable customers of financial and household services): written blind after
#: everything else in that round, held out, scored at f744147 (0.792 / 0.958 / 0.875) and at 7f482e8
#: (0.75 / 0.958 / 0.875).  O and Q were then read: "in accordance with the terms", "you'd need to take
#: it up with your previous supplier", "contact the merchant directly", "the relevant team", "our
#: friendly team is always happy to", a case "flagged as a priority" (O 0.875, Q 0.917 below the pass mark).
#: stuffing_r (insurers, pensions, mortgages, patient services, airlines, marketplaces: actions that look
#: real but do not solve what was asked, "I've updated your file", "I've passed this to my manager",
#: deadlines that commit to nothing) and stuffing_s (social and chat teams at consumer brands in a casual
#: brand voice: DM-us deflections, "we've shared your feedback", a discount code instead of the fix):
#: written blind in the next round, held out, scored at 34b0eba and at 7f482e8 alike before anyone read
#: them (R 0.50 / 0.958 / 0.917, S 0.917 / 0.875 / 1.00).  R was then read (development for the rules, not
#: for the word weights): a hand-off earns only with a when and either a deed of the agent's own or
#: someone named to contact the customer (``they_will_call``), so "I've escalated it ... you will receive
#: an update within 5 working days" earns nothing; a reminder, the file "updated with the details",
#: "I've flagged that ...", a link to a guide and a reviewed claim are no deeds; "data protection means"
#: and "for security reasons, we can only" hide behind policy (R 0.79 / 1.00 / 0.958; S, still unread,
#: 0.917 / 0.958 / 1.00).
#: stuffing_t (UK and Irish utilities, telecoms, councils, housing associations, car insurers, parcel
#: carriers: a tired agent on a script, "I've made my colleagues aware", a callback with no time, "logged
#: as a complaint, a response within 8 weeks", an engineer booked for the wrong day) and stuffing_u (B2B and
#: professional services in North America and Australia: competent-sounding detail, "actively
#: investigating", "added you to the incident notification list", "per our SLA", a workaround that
#: ignores what was tried, a credit when a fix was needed): written blind in the round after, held out,
#: scored at 9416421 (T 0.792 / 0.958 / 0.958, U 0.667 / 1.00 / 0.958), at 34b0eba (T 0.75 / 0.958 / 0.958,
#: U 0.667 / 1.00 / 0.917) and at 7f482e8 (T 0.75 / 1.00 / 0.958, U 0.708 / 0.958 / 1.00) before anyone read them.
#: U was then read (development for the rules): being added to a notification list and a ticket created
#: without "a" are no deeds, "we'll circle back" and "keep you posted" with no time, "actively
#: investigating", "the team is aware", "will resolve on its own", "if we can", "on our roadmap" are
#: vague, "per our SLA" is policy, "you'll be eligible for a credit" is no next step, and a deed after
#: "once" or "if" is not done yet (U 0.875 / 1.00 / 1.00; T, still unread, 0.792 / 0.958 / 0.958).
STUFFING_FLOORS = {"stuffing_a": {"stuffed_fails": 0.9, "natural_passes": 1.0, "natural_beats_stuffed": 1.0},
                   "stuffing_b": {"stuffed_fails": 0.95, "natural_passes": 1.0, "natural_beats_stuffed": 1.0},
                   "stuffing_c": {"stuffed_fails": 0.85, "natural_passes": 0.9, "natural_beats_stuffed": 0.95},
                   "stuffing_d": {"stuffed_fails": 0.5, "natural_passes": 0.8, "natural_beats_stuffed": 0.8},
                   "stuffing_e": {"stuffed_fails": 0.8, "natural_passes": 1.0, "natural_beats_stuffed": 1.0},
                   "stuffing_f": {"stuffed_fails": 0.75, "natural_passes": 1.0, "natural_beats_stuffed": 0.9},
                   "stuffing_g": {"stuffed_fails": 0.65, "natural_passes": 0.95, "natural_beats_stuffed": 0.9},
                   "stuffing_i": {"stuffed_fails": 0.6, "natural_passes": 0.95, "natural_beats_stuffed": 0.75},
                   "stuffing_j": {"stuffed_fails": 0.7, "natural_passes": 1.0, "natural_beats_stuffed": 0.9},
                   "stuffing_k": {"stuffed_fails": 0.75, "natural_passes": 0.95, "natural_beats_stuffed": 0.95},
                   "stuffing_l": {"stuffed_fails": 0.75, "natural_passes": 0.95, "natural_beats_stuffed": 0.9},
                   "stuffing_m": {"stuffed_fails": 0.85, "natural_passes": 0.8, "natural_beats_stuffed": 0.8},
                   "stuffing_n": {"stuffed_fails": 0.8, "natural_passes": 0.95, "natural_beats_stuffed": 0.85},
                   "stuffing_o": {"stuffed_fails": 0.85, "natural_passes": 0.95, "natural_beats_stuffed": 0.95},
                   "stuffing_p": {"stuffed_fails": 0.9, "natural_passes": 1.0, "natural_beats_stuffed": 0.95},
                   "stuffing_q": {"stuffed_fails": 0.9, "natural_passes": 0.95, "natural_beats_stuffed": 0.9},
                   "stuffing_r": {"stuffed_fails": 0.75, "natural_passes": 0.95, "natural_beats_stuffed": 0.95},
                   "stuffing_s": {"stuffed_fails": 0.9, "natural_passes": 0.85, "natural_beats_stuffed": 1.0},
                   "stuffing_t": {"stuffed_fails": 0.75, "natural_passes": 0.95, "natural_beats_stuffed": 0.95},
                   "stuffing_u": {"stuffed_fails": 0.85, "natural_passes": 1.0, "natural_beats_stuffed": 1.0},
                   # held out, never read, scored at cb675ca: 0.917 / 0.958 / 1.00; natural passes 0.917 since
                   # the words are fitted on every development writer and the rated requests
                   "stuffing_v": {"stuffed_fails": 0.9, "natural_passes": 0.9, "natural_beats_stuffed": 1.0},
                   # held out, never read, scored at eb8f190: 0.583 / 1.00 / 0.917 (fluent personal stuffing)
                   "stuffing_w": {"stuffed_fails": 0.58, "natural_passes": 1.0, "natural_beats_stuffed": 0.91},
                   "stuffing_h": {"stuffed_fails": 0.75, "natural_passes": 1.0, "natural_beats_stuffed": 0.9}}


@pytest.mark.parametrize("name", sorted(STUFFING_FLOORS))
def test_stuffed_replies_people_wrote_stay_below_the_pass_mark(name):
    figures = stuffing_figures(name)
    assert figures["pairs"] >= 24
    for key, floor in STUFFING_FLOORS[name].items():
        assert figures[key] >= floor, f"{name}: {key} {figures[key]:.2f} < {floor}"


@pytest.mark.parametrize("text, facts", STUFFED)
def test_keyword_stuffing_does_not_pass(text, facts):
    assert score_response(text, facts=facts).total < PASS_MARK


@pytest.mark.parametrize("text, facts", NATURAL)
def test_a_natural_reply_with_a_formula_sentence_or_two_passes(text, facts):
    assert score_response(text, facts=facts).total >= PASS_MARK


def test_formula_sentences_earn_like_stock_only_in_a_run(tmp_path):
    text, facts = STUFFED[4]
    data = json.loads(RUBRIC.read_text(encoding="utf-8"))
    del data["words_need_deeds"]  # the formula run alone (kind words without deeds are tested on their own)
    data["words_file"] = str(RUBRIC.parent / data["words_file"])
    (tmp_path / "run.json").write_text(json.dumps(data), encoding="utf-8")
    result = score_response(text, facts=facts, rubric=tmp_path / "run.json")
    assert result.stock_excess > 0
    data["formula_sentences"] = 99  # never a run: the same reply earns far more, so the run is what stops it
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    unlimited = score_response(text, facts=facts, rubric=path)
    assert unlimited.total >= result.total + 8 and unlimited.stock_excess < result.stock_excess
    data["formula_sentences"] = "three"
    (tmp_path / "bad.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError, match="formula_sentences must be numbers"):
        score_response(text, facts=facts, rubric=tmp_path / "bad.json")


def auc(scores: np.ndarray, positive: np.ndarray) -> float:
    """Probability that a positive item outscores a negative one (ties count half)."""
    ranks = pd.Series(scores).rank().to_numpy()
    n_pos, n_neg = positive.sum(), (~positive).sum()
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


#: top- vs bottom-quartile AUC on held-out requests; targets 0.75 (Wikipedia) and 0.70 (Stack
#: Exchange): Wikipedia is asserted at the target, Stack Exchange at its measured level
#: measured 0.775 and 0.632 before kind words needed deeds; 0.767 and 0.619 since (0.622 at 79e91a7);
#: 0.751 and 0.623 once personal touches need deeds too and the words are fitted on stuffing A-F;
#: 0.748 and 0.623 once "I need" stopped counting as a deed; 0.747 and 0.622 with stuffing H's rules;
#: 0.751 and 0.624 with stuffing K and L's rules; 0.749 and 0.624 once adverbs before a comma
#: ("Seriously, ...") are no names; 0.754 and 0.626 with "thanks" at 4 points, "I already explained
#: this" as condescension and "May I ...", "what can I do to help", "I look forward to" as courtesy
#: 0.762 and 0.625 at the end of that round: Wikipedia is back at its target; 0.764 and 0.629 once
#: "why would you ...?" is no polite request and with stuffing R's rules
#: 0.789 and 0.643 once the words are fitted on the requests' development split too (weight 0.1)
POLITENESS_FLOORS = {"politeness_wikipedia": 0.75, "politeness_stackexchange": 0.64}


def test_politeness_on_held_out_requests():
    rated = pd.read_csv(real_data("politeness_dev.csv"))
    held = rated[[politeness_held_out(i) for i in rated["item_id"]]]
    for source, group in held.groupby("source"):
        total = score_many(group["text"])["total"].to_numpy()
        quartile = rated_quartile(group["politeness"])
        keep = quartile != ""
        figure = auc(total[keep], quartile[keep] == "polite")
        print(f"\n{source}: {len(group)} held-out requests, top- vs bottom-quartile AUC {figure:.3f}")
        assert figure >= POLITENESS_FLOORS[source]


#: the stuffing pairs kept unread (held out since they were written): what the facilitator guide says of them
UNREAD_STUFFING = ("stuffing_j", "stuffing_p", "stuffing_s", "stuffing_t", "stuffing_v", "stuffing_w")


def test_the_facilitator_guide_states_how_much_unread_stuffing_still_passes():
    passing = [round(100 * (1 - stuffing_figures(name)["stuffed_fails"])) for name in UNREAD_STUFFING]
    guide = " ".join((REPO / "notebooks" / "01-interactions-vs-transactions" / "FACILITATOR.md")
                     .read_text(encoding="utf-8").split())
    count = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}[len(UNREAD_STUFFING)]
    assert (f"on the {count} sets of hollow replies we keep unread, {min(passing)} to {max(passing)} % still pass"
            in guide), passing
