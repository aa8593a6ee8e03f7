"""What the coach takes from the customer's side: the facts of the transaction a reply must keep, the
customer's name and the customer's own words."""

from __future__ import annotations

import functools
import re

import pandas as pd

from coursekit.analysis.interaction.language import _NOT_CONTENT, _TOKEN, _normalise

def _missing(value) -> bool:
    """None, NaN or pd.NA (an empty cell of an export)."""
    return value is None or (not isinstance(value, (str, list, tuple, set)) and bool(pd.isna(value)))


def _split_facts(facts) -> list[str] | None:
    if _missing(facts):
        return None
    items = facts.split(";") if isinstance(facts, str) else list(facts)
    return [str(f).strip() for f in items if str(f).strip()]


@functools.lru_cache(maxsize=65536)
def _fact_need(fact: str) -> tuple[str, ...]:
    """The words and numbers a fact needs (``"$1,200.50 refund"`` -> ``("1200.50", "refund")``)."""
    return tuple(t.replace(",", "") for t in _FACT_TOKEN.findall(_normalise(fact)))


#: a fact's parts: runs of letters and digits ("XK7P2Q", "8am", "1,200.50"), so codes are matched whole
_FACT_TOKEN = re.compile(r"[^\W_]+(?:[.,:'][^\W_]+)*")


def _find_word(low: str, word: str) -> int:
    """Where ``word`` (or phrase) first stands as a whole word in ``low``, or -1."""
    pos = low.find(word)
    while pos != -1:
        end = pos + len(word)
        if (pos == 0 or not (low[pos - 1].isalnum() or low[pos - 1] in "_'")) and (
                end == len(low) or not (low[end].isalnum() or low[end] == "_")):
            return pos
        pos = low.find(word, pos + 1)
    return -1


def _kept(low_reply: str, facts: list[str]) -> dict[str, bool]:
    """{fact: kept}; numbers are also looked for without thousands commas (1,200 -> 1200)."""
    plain = None
    kept = {}
    for fact in facts:
        need = _fact_need(fact)
        ok = bool(need) and all(_find_word(low_reply, t) != -1 for t in need)
        if not ok and need and "," in low_reply:
            plain = plain if plain is not None else re.sub(r"(?<=\d),(?=\d)", "", low_reply)
            ok = all(_find_word(plain, t) != -1 for t in need)
        kept[fact] = ok
    return kept


def facts_kept(reply: str, facts) -> dict[str, bool]:
    """Which facts the reply kept: a fact is kept when each of its words and numbers is in the reply.

    ``facts``: a ``;``-separated string or a list.  ``{"$9.14": True, "ticket 35639": False}``.
    """
    return _kept(_normalise(reply), _split_facts(facts) or [])



_NOT_NAMES = set("""valued mr mrs ms miss dr mx customers guest guests member members patient patients passenger
ha haha yep yeah nope wow ugh aw aww oh brilliant lovely cool nice fab cheers totally honestly fair
ok okay sure yes no well sorry hi hello so now first unfortunately obviously great thanks alright
right also however again absolutely certainly congratulations please done cancelled canceled upgraded sadly luckily
good fine perfect understood noted thank dear hey there team all everyone sir madam policy ticket reference order case
tracking confirmation address regards cheers best help anyone asap thx ty i you we they he she it this that what why
how when where who which oh agent customer support service monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december today tomorrow yesterday
again hope sincerely kind warm many anyway still just tenant tenants resident residents client clients
user users subscriber subscribers account holder homeowner applicant policyholder friend friends
seriously basically actually clearly frankly personally ideally generally typically usually normally apparently
essentially literally hopefully thankfully fortunately finally firstly secondly lastly additionally alternatively
similarly likewise really naturally admittedly interestingly surprisingly importantly technically officially
currently originally eventually initially previously recently definitely possibly probably simply exactly
precisely look listen wait guys folks dude man mate ah hmm um er nah meanwhile besides otherwise instead therefore
thus hence plus btw fyi ps note edit update oops alas indeed anyhow agreed true correct interesting
weird strange funny odd i'd i'm i'll i've we're we'd we'll we've you're it's that's there's let's just""".split())
_INTRODUCES = re.compile(r"(?i:my name is|this is|i am|i'm)\s+([A-Z][a-z'\-]+)")
_SIGNED = re.compile(r"(?:^|[.!?,:;\-]\s*|\n\s*)([A-Z][a-z'\-]+)[.!]?\s*$")
_GREETING = re.compile(r"(?:hi|hello|hey|dear|good morning|good afternoon|good evening)[ ,]+(?:(?:mr|mrs|ms|miss|dr|mx)\.? )?([a-z][a-z'\-]+)")
_COMMA_NAME = re.compile(r", ([A-Z][a-z'\-]+)(?=[,.!?;:]| -)")
_START_NAME = re.compile(r"\s*([A-Z][a-z'\-]+), ")


def customer_name(message: str | None) -> str | None:
    """The customer's first name from a message (signed 'Thanks, Maria', 'my name is Maria'), or None."""
    if not isinstance(message, str):
        return None
    message = message.replace("\u2019", "'").strip()
    low = message.lower()
    found = [_INTRODUCES.search(message)] if any(w in low for w in ("name is", "this is", "i am", "i'm")) else []
    found.append(_SIGNED.search(message[-40:]))
    for m in found:
        if m and m.group(1).lower() not in _NOT_NAMES:
            return m.group(1)
    return None


def _name_span(original: str, low: str, name: str | None, greet_only: bool = False) -> tuple[int, int] | None:
    """Where the reply uses ``name`` (or, without a name, addresses someone by name: "Hi Maria"; and,
    unless ``greet_only`` (the customer's message is known but has no name), "Maria, ..." too)."""
    if name:
        pos = _find_word(low, name.lower())
        return (pos, pos + len(name)) if pos != -1 else None
    found = [m.span(1) for m in _GREETING.finditer(low)
             if original[m.start(1)].isupper() and m.group(1) not in _NOT_NAMES and m.group(1) not in _NOT_CONTENT
             and (m.start() == 0 or not low[m.start() - 1].isalnum())]
    if greet_only:
        return min(found) if found else None
    found += [m.span(1) for m in _COMMA_NAME.finditer(original) if m.group(1).lower() not in _NOT_NAMES]
    start = _START_NAME.match(original)
    if start and start.group(1).lower() not in _NOT_NAMES:
        found.append(start.span(1))
    return min(found) if found else None


def _own_phrases(low_message: str) -> set[str]:
    """The customer's own phrases: two content words in a row ('payment plan'), or three with any word
    between ('work from home'), as text.  A content
    word has 3 or more letters and is not a common word or a pronoun."""
    toks = _TOKEN.findall(low_message)
    c = [len(t) > 2 and t[0].isalpha() and t not in _NOT_CONTENT for t in toks]
    found = {f"{a} {b}" for a, b, x, y in zip(toks, toks[1:], c, c[1:]) if x and y}
    found.update(f"{a} {b} {d}" for a, b, d, x, z in zip(toks, toks[1:], toks[2:], c, c[2:])
                 if x and z and b[0].isalpha())
    return found


def _words_span(low_reply: str, phrases: set[str]) -> tuple[int, int] | None:
    """Where the reply first repeats one of the customer's phrases (words apart by a space or a hyphen)."""
    best = None
    for phrase in phrases:
        if phrase[:phrase.index(" ")] not in low_reply:  # a quick no: its first word is nowhere in the reply
            continue
        for variant in (phrase, phrase.replace(" ", "-")):
            pos = _find_word(low_reply, variant)
            if pos != -1 and (best is None or pos < best[0]):
                best = (pos, pos + len(variant))
    return best
