"""Labelled agent replies for the interactions module: for every customer message, a plain
*transactional* reply that solves the task, an *interaction*-rich reply that keeps every fact and
treats the customer well, and a *blaming* reply that keeps the same facts but blames or lectures.

Written by hand as scenarios with slots (name, amount, date, reference) and expanded with varied
values, so learners meet realistic cases and the facts differ from pair to pair.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursekit.analysis.interaction import PASS_MARK

NAMES = ["Maria", "James", "Aylin", "Tomasz", "Keisha", "Rahul", "Sofia", "Liam", "Mei", "Omar"]
DATES = ["March 14", "March 18", "April 2", "April 9", "May 5", "May 21"]

# (customer message, facts, transactional, interaction, blaming); {n} name, {a} amount, {d} date, {r} reference
SCENARIOS = [
    ("I was charged twice for my order this month. I want my money back. Thanks, {n}",
     ["${a}", "{d}", "ticket {r}"],
     "The duplicate charge of ${a} will be refunded by {d}. Reference: ticket {r}.",
     "Thank you for telling us, {n}, and I'm sorry about the double charge - that is frustrating. I've taken care "
     "of it myself: the duplicate charge of ${a} will be refunded by {d}, and your reference is ticket {r}. "
     "You'll get an email as soon as it is processed. Is there anything else I can help you with?",
     "You should have checked your statement before paying twice. Policy says the duplicate charge of ${a} will be "
     "refunded by {d}. Reference: ticket {r}."),
    ("My internet has been down since yesterday and I work from home. This is the third time this month! - {n}",
     ["{d}", "ticket {r}", "technician"],
     "A technician will visit on {d}. Ticket {r}.",
     "{n}, I completely understand how stressful it is to lose your connection when you work from home, and I'm "
     "sorry this has happened three times. I've booked a technician for {d} and I'll personally follow up on "
     "ticket {r} so it's fixed for good. You'll get a text the evening before the visit. Does that time work for you?",
     "Calm down, outages happen. A technician will visit on {d}. That's not my job to fix, ticket {r} is with "
     "the field team."),
    ("Where is my parcel? It was supposed to arrive days ago. Regards, {n}",
     ["{d}", "tracking {r}"],
     "Your parcel is delayed and will arrive on {d}. Tracking {r}.",
     "Hi {n}, thank you for your patience, and I'm sorry your parcel is late - I know you were counting on it. "
     "I've checked with the courier: it will arrive on {d}, and you can follow it with tracking {r}. I'll keep an "
     "eye on it and let you know if anything changes. Is there anything else I can do for you today?",
     "As I already said in my last email, your parcel is delayed and will arrive on {d}. You need to use "
     "tracking {r} next time instead of writing to us."),
    ("I'd like to set up a payment plan, I can't pay the full bill right now. {n}",
     ["${a}", "{d}", "6 months"],
     "Payment plan set: ${a} per month for 6 months, first payment on {d}.",
     "Thank you for reaching out, {n} - that takes courage, and I'm glad you asked. I've set up a plan that I hope "
     "makes things easier: ${a} per month for 6 months, with the first payment on {d}. I'll send you the details "
     "by email today. Does this plan work for you?",
     "Obviously you should have asked earlier. Policy says the plan is ${a} per month for 6 months, first "
     "payment on {d}."),
    ("I want to cancel my subscription. Nobody ever answers the phone. {n}",
     ["{d}", "${a}", "confirmation {r}"],
     "Cancelled. The last charge of ${a} is on {d}. Confirmation {r}.",
     "I hear you, {n}, and I'm sorry you had trouble getting through - that's not the experience we want for you. "
     "I've taken care of the cancellation: your last charge of ${a} is on {d}, and here is your confirmation {r}. "
     "I'll email you a copy right away. Is there anything else I can help with before you go?",
     "There's nothing I can do about the phone lines. Cancelled. The last charge of ${a} is on {d}. "
     "Confirmation {r}."),
    ("My new phone won't turn on. I bought it last week. Help! {n}",
     ["replacement", "{d}", "case {r}"],
     "A replacement will be sent on {d}. Case {r}.",
     "Oh no, {n} - I'm sorry, that's disappointing with a brand-new phone. Let me make this right: I've arranged a "
     "replacement that ships on {d}, under case {r}. You'll receive a prepaid label to return the old one. "
     "Will that work for you?",
     "You should have charged it first. A replacement will be sent on {d}. Case {r}. That's not my job to "
     "test phones."),
    ("I moved house and need to change my address on the account. {n}",
     ["{d}", "reference {r}"],
     "Address updated. Effective {d}. Reference {r}.",
     "Congratulations on the move, {n}! I've updated your address for you, effective {d}, under reference "
     "{r}. Your next bill will go to the new address. Is there anything else I can help you with today?",
     "You need to do this online yourself next time. Address updated. Effective {d}. Reference {r}."),
    ("The technician never showed up and I took a day off work for it. I'm really angry. {n}",
     ["{d}", "${a}", "ticket {r}"],
     "New visit booked for {d}. A ${a} credit was added. Ticket {r}.",
     "{n}, I'm truly sorry - you took a day off and we let you down, so you have every right to be upset. I've "
     "booked a new visit for {d} at the first slot of the day, added a ${a} credit to your account, and I'll "
     "personally check ticket {r} the day before. Does that morning slot work for you?",
     "Calm down, please. Technicians are sometimes late, policy says. New visit booked for {d}. A ${a} credit was "
     "added. Ticket {r}."),
    ("Why is my bill higher this month? Nobody told me about a price change. {n}",
     ["${a}", "{d}", "ticket {r}"],
     "The price rose by ${a} from {d}. Ticket {r}.",
     "That's a fair question, {n}, and I understand it's unwelcome to find a higher bill with no warning - I'm "
     "sorry we didn't make it clearer. Your price rose by ${a} from {d}; I've noted your feedback on ticket {r}, "
     "and I'd be happy to check whether a cheaper plan suits you. Would you like me to do that?",
     "As I already said, the price rose by ${a} from {d}. You should have read the letter. Ticket {r}."),
    ("I was promised a call back yesterday and nobody called. {n}",
     ["{d}", "case {r}"],
     "You will be called back on {d}. Case {r}.",
     "I'm sorry, {n} - you were promised a call and it didn't happen; that's on us. I've taken ownership of case "
     "{r} myself and I will call you on {d} in the morning. If anything changes I'll let you know. Is this the "
     "best number to reach you?",
     "That's not my job, another team handles call backs. You will be called back on {d}. Case {r}."),
    ("My refund still hasn't arrived and it's been two weeks. {n}",
     ["${a}", "{d}", "ticket {r}"],
     "The refund of ${a} was sent and will reach your account by {d}. Ticket {r}.",
     "Thank you for checking in, {n}, and I'm sorry for the wait - two weeks is too long. I've looked into it: "
     "your refund of ${a} was sent and will reach your account by {d}. I'll follow up on ticket {r} to make sure "
     "it lands. Is there anything else I can help with?",
     "Obviously banks take time. The refund of ${a} was sent and will reach your account by {d}. "
     "Ticket {r}. There's nothing I can do."),
    ("Can I upgrade my plan? I need more data. {n}",
     ["${a}", "{d}", "order {r}"],
     "Upgraded. New price ${a} per month from {d}. Order {r}.",
     "Great question, {n} - happy to help you get more data. I've upgraded your plan: the new price is ${a} per "
     "month from {d}, under order {r}. You'll get a confirmation text shortly. Is there anything "
     "else you'd like me to look at?",
     "You should have picked the right plan at the start. Upgraded. New price ${a} per month from {d}. "
     "Order {r}."),
]


def responses(seed: int = 2026, pairs_per_scenario: int = 5) -> pd.DataFrame:
    """The labelled replies: response_id, pair_id, customer_message, reply, style, facts (";"-separated)."""
    rng = np.random.default_rng(seed + 1)
    rows = []
    pair = 0
    for message, facts, transactional, interaction, blaming in SCENARIOS:
        for _ in range(pairs_per_scenario):
            pair += 1
            slots = {"n": NAMES[rng.integers(len(NAMES))], "a": f"{rng.integers(8, 180)}.{rng.integers(0, 100):02d}",
                     "d": DATES[rng.integers(len(DATES))], "r": str(rng.integers(10000, 99999))}
            kept = ";".join(f.format(**slots) for f in facts)
            for style, template in (("transactional", transactional), ("interaction", interaction),
                                    ("blaming", blaming)):
                rows.append({"pair_id": f"P{pair:03d}", "customer_message": message.format(**slots),
                             "reply": template.format(**slots), "style": style, "facts": kept})
    frame = pd.DataFrame(rows)
    frame.insert(0, "response_id", [f"R{i + 1:04d}" for i in range(len(frame))])
    return frame


# --------------------------------------------------------------------------- module 01's exercises

#: letter -> response_id of the replies the learner labels "transaction" or "interaction"
LABEL_THESE = {"A": "R0046", "B": "R0137", "C": "R0121", "D": "R0167", "E": "R0092", "F": "R0154"}
#: rewrite_1 ... rewrite_5 -> the pair whose transactional reply is rewritten
REWRITE_CASES = {"rewrite_1": "P001", "rewrite_2": "P006", "rewrite_3": "P011", "rewrite_4": "P021",
                 "rewrite_5": "P036"}
#: the interaction score (points, 0-100) a rewrite must reach, keeping every fact
REWRITE_THRESHOLD = PASS_MARK
