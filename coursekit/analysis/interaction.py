"""Interactions vs transactions: how an agent's written reply treats the customer.

The *transaction* is the task: the refund, the date, the ticket number.  The *interaction* is how the
customer is treated and how they feel while it happens.  :func:`score_response` scores one reply,
:func:`score_many` a whole column (a QA export), with the same rules.

The rules are a rubric file a trainer can read and extend: ``coursekit/rubrics/interaction.json``
(every field is explained in ``docs/rubric.md``; ``rubric_table()`` shows it as a table).  Seven
components earn points and one takes them away:

=====================  ===========  ==========================================================
component              points       earns points for
=====================  ===========  ==========================================================
acknowledgement        0 to 15      thanking the customer, showing the message was heard
empathy                0 to 20      saying sorry, naming the feeling
ownership              0 to 20      "I have done", "I will do", taking responsibility
personalization        0 to 10      the customer's name and their own words
positive_language      0 to 10      warm, can-do wording
expectation_setting    0 to 15      when it will happen and what comes next
closing_check          0 to 10      "Does that work for you?", "Anything else?"
negative_language      -60 to 0     blaming, lecturing, "calm down", "policy says"
=====================  ===========  ==========================================================

Units: points.  A rule earns its points once per reply; a component's points are capped at its
limits; **total = sum of the component points, kept within 0–100**.  ``facts_kept`` is a share 0–1.

    component = clip(sum of its rules' points found in the reply, min_points, max_points)
    total     = clip(sum of the components, 0, 100)

    >>> r = score_response("Thanks for waiting, Maria. I'm sorry for the delay: your refund of $20 "
    ...                    "will reach you by May 5. Anything else I can do?", facts="$20;May 5")
    >>> r.total, r.transaction
    (42.0, {'$20': True, 'May 5': True})

A fact is *kept* when every word and number in it appears in the reply (``"ticket 35639"`` is kept by
"ticket #35639"; ``"$9.14"`` by "9.14 dollars").  Only English is scored meaningfully: a reply that
looks like another language (a simple stop-word count) is still scored, with ``supported=False``.
"""

from __future__ import annotations

import functools
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from coursekit.errors import DataError
from coursekit.palette import BAR_LOST, BAR_TRACK, BAR_WON, EVIDENCE, WARN, box, tone

RUBRIC_FILE = Path(__file__).resolve().parent / "rubrics" / "interaction.json"
SEP = "\x00"  # between replies when a column is scored in one pass
#: points from which a reply counts as treating the customer well (module 01's rewrite exercise)
GOOD_SCORE = 50

# --------------------------------------------------------------------------- the rubric


@dataclass(frozen=True)
class Component:
    """One part of the interaction score (``max_points`` > 0 earns; ``min_points`` < 0 takes away)."""

    id: str
    label: str
    max_points: float
    min_points: float
    what: str
    tip: str


@dataclass(frozen=True)
class Rule:
    """Phrases (or a built-in detector) worth ``points`` in one component, once per reply."""

    id: str
    component: str
    points: float
    why: str
    patterns: tuple[str, ...] = ()
    compiled: tuple[re.Pattern, ...] = ()
    not_after: re.Pattern | None = None
    detector: str | None = None


DETECTORS = ("customer_name", "customer_words")


@dataclass(frozen=True)
class Rubric:
    """A loaded rubric: its components in order and every rule."""

    components: tuple[Component, ...]
    rules: tuple[Rule, ...]
    source: str

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.components]

    def component(self, cid: str) -> Component:
        return next(c for c in self.components if c.id == cid)


def _convert(pattern: str) -> str:
    """Rubric pattern -> Python regex: a space matches spaces/line breaks/hyphens, an apostrophe is optional."""
    out, in_class, escaped = [], False, False
    for i, ch in enumerate(pattern):
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif in_class:
            in_class = ch != "]"
            out.append(ch)
        elif ch == "[":
            in_class = True
            out.append(ch)
        elif ch == " ":
            out.append(r"[\s\-]*" if pattern[i + 1:i + 2] == "?" else r"[\s\-]+")
        elif ch == "?" and pattern[i - 1:i] == " ":
            continue  # " ?" (an optional space) became [\s\-]*
        else:
            out.append({"'": "'?"}.get(ch, ch))
    return "".join(out)


def _leading_group(rx: str) -> tuple[list[str], str] | None:
    """``(?:a|b)rest`` -> (["a", "b"], "rest"); None when the pattern does not start with such a group."""
    if not rx.startswith("(?:"):
        return None
    depth, start, alts, escaped, in_class = 0, 3, [], False, False
    for i, ch in enumerate(rx):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return alts + [rx[start:i]], rx[i + 1:]
        elif ch == "|" and depth == 1:
            alts.append(rx[start:i])
            start = i + 1
    return None


def _literal_first(rx: str) -> list[str]:
    """Equivalent regexes that each start with a plain letter or digit, so the regex engine can jump
    straight to the places where a match can start (a leading ``(?:a|b)`` or ``\\d`` is very slow to
    search for in a long text).  Patterns that cannot be split are returned as they are."""
    group = _leading_group(rx)
    if group:
        alts, rest = group
        if rest[:1] in ("*", "+", "{") or rest.startswith("??") or any(a.startswith("?") for a in alts):
            return [rx]
        optional = rest.startswith("?")
        rest = rest[1:] if optional else rest
        expanded = [a + rest for a in alts] + ([rest] if optional else [])
        if "" in expanded:
            return [rx]
        return [y for x in expanded for y in _literal_first(x)]
    if rx.startswith("\\d"):
        tail = {"{1,2}": r"\d?", "+": r"\d*", "": ""}
        for quant, more in tail.items():
            if rx[2:].startswith(quant) and not rx[2 + len(quant):].startswith(("?", "*", "+", "{")):
                return [f"{d}{more}{rx[2 + len(quant):]}" for d in "0123456789"]
    return [rx]


def _compile(patterns: tuple[str, ...], where: str) -> tuple[re.Pattern, ...]:
    """One rule's patterns as few regexes as can be searched fast: split so that each starts with a
    plain character, then joined again per first character (one pass over the text per group)."""
    groups: dict[str, list[str]] = {}
    for pattern in patterns:
        if re.search(r"(?<!\\)[A-Z]", pattern):
            raise DataError(f"{where}: pattern {pattern!r} has capital letters; write it in lower case "
                            "(matching ignores case)")
        try:
            re.compile(_convert(pattern))
        except re.error as exc:
            raise DataError(f"{where}: pattern {pattern!r} is not a valid regular expression ({exc})") from None
        for rx in _literal_first(_convert(pattern)):
            key = rx[0] if rx[0].isalnum() else rx
            groups.setdefault(key, []).append(rx)
    return tuple(re.compile("(?:" + "|".join(rxs) + r")(?!\w)") for rxs in groups.values())


def _parse_rubric(data: dict, source: str) -> Rubric:
    components, rules = [], []
    for comp in data.get("components") or []:
        where = f"{source}, component {comp.get('id', '?')!r}"
        try:
            c = Component(comp["id"], comp.get("label", comp["id"]), float(comp.get("max_points", 0)),
                          float(comp.get("min_points", 0)), comp.get("what", ""), comp.get("tip", ""))
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"{where}: needs an id and numeric max_points/min_points ({exc})") from None
        if c.min_points > 0 or c.max_points < 0:
            raise DataError(f"{where}: min_points must be <= 0 and max_points >= 0")
        components.append(c)
        for rule in comp.get("rules") or []:
            rwhere = f"{where}, rule {rule.get('id', '?')!r}"
            if "id" not in rule or not isinstance(rule.get("points"), (int, float)):
                raise DataError(f"{rwhere}: every rule needs an id and a number of points")
            points = float(rule["points"])
            if (points > 0 and c.max_points <= 0) or (points < 0 and c.min_points >= 0) or points == 0:
                raise DataError(f"{rwhere}: {points:g} points do not fit the component's limits "
                                f"({c.min_points:g} to {c.max_points:g}); earn in positive components, "
                                "take away in negative ones")
            detector = rule.get("detector")
            if detector is not None and detector not in DETECTORS:
                raise DataError(f"{rwhere}: unknown detector {detector!r} (use one of {', '.join(DETECTORS)})")
            patterns = tuple(rule.get("patterns") or ())
            if detector is None and not patterns:
                raise DataError(f"{rwhere}: give the rule patterns (a list of phrases) or a detector")
            not_after = rule.get("not_after") or ()
            rules.append(Rule(
                rule["id"], c.id, points, rule.get("why", ""), patterns,
                _compile(patterns, rwhere),
                re.compile(r"(?:^|[^\w'])(?:" + "|".join(_convert(w) for w in not_after) + r")[\s\-]+$")
                if not_after else None,
                detector))
    if not components:
        raise DataError(f"{source}: the rubric has no components")
    ids = [c.id for c in components]
    if len(set(ids)) != len(ids):
        raise DataError(f"{source}: component ids must be unique (found {', '.join(ids)})")
    return Rubric(tuple(components), tuple(rules), source)


@functools.lru_cache(maxsize=8)
def _load_rubric_file(path: str) -> Rubric:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"rubric file {path} not found") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"rubric file {path} is not valid JSON: line {exc.lineno}: {exc.msg}") from None
    return _parse_rubric(data, Path(path).name)


def load_rubric(rubric: str | Path | dict | Rubric | None = None) -> Rubric:
    """The rubric: the bundled one (``None``), a JSON file path, a dict in the same shape, or a Rubric."""
    if isinstance(rubric, Rubric):
        return rubric
    if isinstance(rubric, dict):
        return _parse_rubric(rubric, "rubric dict")
    return _load_rubric_file(str(Path(rubric).resolve() if rubric is not None else RUBRIC_FILE))


def rubric_table(rubric=None) -> pd.DataFrame:
    """The rubric as a table a trainer can read: component, rule, points, why, phrases (or detector)."""
    rub = load_rubric(rubric)
    return pd.DataFrame([{"component": r.component, "rule": r.id, "points": r.points, "why": r.why,
                          "phrases": " | ".join(r.patterns) if r.patterns else f"(built in: {r.detector})"}
                         for r in rub.rules])


# --------------------------------------------------------------------------- the result


@dataclass
class Evidence:
    """A phrase of the reply that earned (``points`` > 0) or cost (< 0) points; ``start``/``end`` are
    character positions in the reply (``reply[start:end] == phrase``).  0 points: the component was full."""

    component: str
    rule: str
    phrase: str
    start: int
    end: int
    points: float


@dataclass(repr=False)
class InteractionScore:
    """The interaction score of one reply (points; see the module docstring for the formula).

    Shows as a coloured breakdown with the reply's phrases marked in a notebook, and as the same
    breakdown in plain text elsewhere (``print(result)``)."""

    total: float
    components: dict[str, float]
    evidence: list[Evidence]
    transaction: dict[str, bool] | None
    language: str
    supported: bool
    message: str
    max_points: dict[str, float] = field(default_factory=dict, repr=False)
    tips: dict[str, str] = field(default_factory=dict, repr=False)
    text: str = field(default="", repr=False)

    @property
    def missing_facts(self) -> list[str]:
        """The facts the reply did not keep (empty when no facts were given)."""
        return [f for f, kept in (self.transaction or {}).items() if not kept]

    def weakest(self, n: int = 1) -> list[str]:
        """The ``n`` earning components with the smallest share of their maximum (ties: rubric order)."""
        shares = [(self.components[c] / m, i, c) for i, (c, m) in enumerate(self.max_points.items()) if m > 0]
        return [c for _, _, c in sorted(shares)[:n]]

    def _lines(self) -> list[tuple[str, str]]:
        rows = []
        for cid, pts in self.components.items():
            top = self.max_points.get(cid, 0)
            rows.append((cid, f"{pts:g} / {top:g}" if top > 0 else f"{pts:g}"))
        return rows

    def __str__(self) -> str:
        out = [f"Interaction score {self.total:g} / 100" + ("" if self.supported else f"  ({self.message})")]
        out += [f"  {cid:<20} {shown}" for cid, shown in self._lines()]
        for e in self.evidence:
            out.append(f"  {e.points:+g} {e.component}: \"{e.phrase}\" at {e.start}-{e.end}")
        if self.transaction is not None:
            kept = sum(self.transaction.values())
            out.append(f"Facts kept: {kept} of {len(self.transaction)}"
                       + (f" (missing: {', '.join(self.missing_facts)})" if self.missing_facts else ""))
        return "\n".join(out)

    __repr__ = __str__

    def highlighted_html(self) -> str:
        """The reply with the evidence marked: green earns, red costs."""
        parts, pos = [], 0
        for e in sorted(self.evidence, key=lambda e: e.start):
            if e.start < pos:
                continue
            colour = EVIDENCE["won" if e.points > 0 else "lost" if e.points < 0 else "none"]
            parts.append(html.escape(self.text[pos:e.start]))
            parts.append(f'<mark style="background:{colour}" title="{html.escape(e.component)} {e.points:+g}">'
                         f"{html.escape(self.text[e.start:e.end])}</mark>")
            pos = e.end
        parts.append(html.escape(self.text[pos:]))
        return "".join(parts)

    def _repr_html_(self) -> str:
        colour = tone(self.total >= GOOD_SCORE)
        rows = []
        for cid, shown in self._lines():
            top, pts = self.max_points.get(cid, 0), self.components[cid]
            bar_colour = BAR_WON if top > 0 else BAR_LOST  # 4 px per point, on a grey bar as long as the maximum
            rows.append(f"<tr><td>{html.escape(cid.replace('_', ' '))}</td><td style='text-align:right'>{shown}</td>"
                        f"<td><div style='background:{BAR_TRACK};width:{4 * max(top, -pts):g}px'>"
                        f"<div style='background:{bar_colour};height:10px;width:{4 * abs(pts):g}px'></div>"
                        "</div></td></tr>")
        notes = "" if self.supported else f"<p style='color:{WARN}'><b>{html.escape(self.message)}</b></p>"
        facts = ""
        if self.transaction is not None:
            items = "".join(f"<li>{'&#10004;' if k else '&#10008; missing:'} {html.escape(f)}</li>"
                            for f, k in self.transaction.items())
            facts = f"<p><b>Transaction (facts kept)</b></p><ul>{items}</ul>"
        reply = f"<p style='border:1px solid #ddd;padding:6px'>{self.highlighted_html()}</p>" if self.text else ""
        return box(f"<b style='color:{colour}'>Interaction score {self.total:g} / 100</b>{notes}{reply}"
                   f"<table>{''.join(rows)}</table>{facts}", colour)


# --------------------------------------------------------------------------- text helpers

_SAME_LENGTH = [("\u2019", "'"), ("\u2018", "'"), ("\u02bc", "'"), ("\u00b4", "'"), ("`", "'"), ("\u201c", '"'),
                ("\u201d", '"'), ("\u2013", "-"), ("\u2014", "-"), ("\u00a0", " "), (SEP, " ")]
#: numbers (9.14, 1,200), words (don't) and single punctuation marks (they break a phrase)
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:'[^\W\d_]+)?|[^\w\s'\-]")

#: common words per language (the language check counts them); words in English and another list are left out
_STOP = {
    "en": "the and to you your i of is it for that this will be on my we have with me are was not please thank "
          "thanks sorry our us at by from as so if but or has been do what would could there here let know help "
          "they them which when can i'm i'll i've you're it's don't",
    "de": "der die das und ich sie nicht ist zu ein eine mit für wir ihre ihr es den dem auf sich auch bitte danke "
          "uns werden wird haben bei von noch ihnen kann dass leider habe sind",
    "es": "el la los las de que y en un una por para con su sus es lo le se no gracias usted hemos será muy del al "
          "pero como está le mi",
    "fr": "le la les et vous je de est pour pas une un nous votre vos merci du des que qui dans avec sur ce cette "
          "sera avons bien",
    "pt": "o os a as de que e em um uma para com não você seu sua obrigado obrigada por do da dos das muito",
    "it": "il lo la gli le di che e in un una per con non sono grazie ci della del suo sua vostro è",
    "nl": "de het een en van ik je u uw niet dat op te met voor wij we bedankt zijn",
}
LANGUAGES = {"en": "English", "de": "German", "es": "Spanish", "fr": "French", "pt": "Portuguese",
             "it": "Italian", "nl": "Dutch", "unknown": "a language in another script"}


def _stop_bits() -> dict[str, int]:
    words: dict[str, set] = {lang: set(text.split()) for lang, text in _STOP.items()}
    others = set().union(*(w for lang, w in words.items() if lang != "en"))
    words["en"] -= others
    for lang in words:
        if lang != "en":
            words[lang] -= words["en"]
    bits: dict[str, int] = {}
    for i, lang in enumerate(_STOP):
        for word in words[lang]:
            bits[word] = bits.get(word, 0) | (1 << i)
    return bits


_STOP_BITS = _stop_bits()
_EN_STOP = set(_STOP["en"].split()) | {"a", "an", "in", "it", "is", "at", "on"}
_NOT_CONTENT = _EN_STOP | {"i", "my", "me", "you", "your", "we", "our", "us", "it", "i'm", "it's", "they", "them"}


def _normalise(text: str) -> str:
    """Lower case with straight apostrophes, same length as ``text`` (positions stay valid)."""
    for a, b in _SAME_LENGTH:
        if a in text:
            text = text.replace(a, b)
    low = text.lower()
    if len(low) != len(text):  # a few letters grow when lowered (İ): keep them as they are
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


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
    return tuple(t.replace(",", "") for t in _TOKEN.findall(_normalise(fact)) if t[0].isalnum())


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


# --------------------------------------------------------------------------- names and the customer's words

_NOT_NAMES = set("""ok okay sure yes no well sorry hi hello so now first unfortunately obviously great thanks alright
right also however again absolutely certainly congratulations please done cancelled canceled upgraded sadly luckily
good fine perfect understood noted thank dear hey there team all everyone sir madam policy ticket reference order case
tracking confirmation address regards cheers best help anyone asap thx ty i you we they he she it this that what why
how when where who which oh agent customer support service monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december today tomorrow yesterday
again hope sincerely kind warm many anyway still just""".split())
_INTRODUCES = re.compile(r"(?i:my name is|this is|i am|i'm)\s+([A-Z][a-z'\-]+)")
_SIGNED = re.compile(r"(?:^|[.!?,:;\-]\s*|\n\s*)([A-Z][a-z'\-]+)[.!]?\s*$")
_GREETING = re.compile(r"(?:hi|hello|hey|dear|good morning|good afternoon|good evening)[ ,]+([a-z][a-z'\-]+)")
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


def _name_span(original: str, low: str, name: str | None) -> tuple[int, int] | None:
    """Where the reply uses ``name`` (or, without a name, addresses someone by name)."""
    if name:
        pos = _find_word(low, name.lower())
        return (pos, pos + len(name)) if pos != -1 else None
    found = [m.span(1) for m in _GREETING.finditer(low)
             if original[m.start(1)].isupper() and m.group(1) not in _NOT_NAMES
             and (m.start() == 0 or not low[m.start() - 1].isalnum())]
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
        for variant in (phrase, phrase.replace(" ", "-")):
            pos = _find_word(low_reply, variant)
            if pos != -1 and (best is None or pos < best[0]):
                best = (pos, pos + len(variant))
    return best


# --------------------------------------------------------------------------- the engine


def _word_chars(chars: str) -> np.ndarray:
    """For each character: is it part of a word (letter, digit, _ or ')?"""
    codes = np.frombuffer(chars.encode("utf-32-le"), dtype=np.uint32)
    word = np.zeros(len(codes), dtype=bool)
    ascii_ = codes < 128
    word[ascii_] = _ASCII_WORD[codes[ascii_]]
    for i in np.flatnonzero(~ascii_):
        word[i] = chars[i].isalnum()
    return word


_ASCII_WORD = np.array([chr(c).isalnum() or chr(c) in "_'" for c in range(128)])


def _phrase_matches(big: str, offsets: np.ndarray, rubric: Rubric):
    """Every rubric phrase in the joined, normalised replies: arrays row, rule index, start, end (the
    start and end within the row's reply).  A phrase must start at a word start, stay inside one reply
    and not follow one of its rule's ``not_after`` words."""
    found = []
    for k, rule in enumerate(rubric.rules):
        spans = [m.span() for pattern in rule.compiled for m in pattern.finditer(big)]
        if spans:
            found.append((k, np.array(spans, dtype=np.int64)))
    if not found:
        empty = np.array([], dtype=np.int64)
        return empty, empty, empty, empty
    rule = np.concatenate([np.full(len(a), k) for k, a in found])
    span = np.concatenate([a for _, a in found])
    start, end = span[:, 0], span[:, 1]
    before = "".join(big[s - 1] if s > 0 else " " for s in start.tolist())
    row = np.searchsorted(offsets, start, side="right") - 1
    keep = ~_word_chars(before) & (np.searchsorted(offsets, end - 1, side="right") - 1 == row)
    for i in np.flatnonzero(keep & np.isin(rule, [k for k, r in enumerate(rubric.rules) if r.not_after])):
        s, lo = int(start[i]), int(offsets[row[i]])
        if rubric.rules[rule[i]].not_after.search(big[max(lo, s - 40):s]):
            keep[i] = False
    row, rule, start, end = row[keep], rule[keep], start[keep], end[keep]
    return row, rule, start - offsets[row], end - offsets[row]


def _detector_matches(texts, lows, messages, rubric: Rubric):
    """The built-in detectors, customer_name and customer_words, as (row, rule index, start, end)."""
    found = []
    names = [customer_name(m) for m in messages] if messages is not None else [None] * len(texts)
    for k, rule in enumerate(rubric.rules):
        if rule.detector == "customer_name":
            for i, (text, low, name) in enumerate(zip(texts, lows, names)):
                span = _name_span(text, low, name)
                if span:
                    found.append((i, k, *span))
        elif rule.detector == "customer_words" and messages is not None:
            for i, (low, message) in enumerate(zip(lows, messages)):
                phrases = _own_phrases(_normalise(message)) if message else None
                span = _words_span(low, phrases) if phrases else None
                if span:
                    found.append((i, k, *span))
    return found


_SEP_BIT = 1 << 30
_NON_LATIN = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u08ff\u0900-\u0dff\u0e00-\u0eff\u1100-\u11ff"
                        r"\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+")


def _stop_lookup() -> dict[str, int]:
    """Stop word (also with a trailing . , ! ? : ;) -> language bits; the separator -> its own bit."""
    table = {SEP: _SEP_BIT}
    for word, bit in _STOP_BITS.items():
        for tail in ("", ".", ",", "!", "?", ":", ";"):
            table[word + tail] = bit
    return table


_STOP_LOOKUP = _stop_lookup()


def _languages(lows: list[str]) -> tuple[list[str], np.ndarray]:
    """Language code per reply and whether it is supported (English).

    Another language: at least 3 words, at least 2 of that language's common words and more of them
    than English ones.  Another script ("unknown"): over 30 % of the characters are Greek, Cyrillic,
    Hebrew, Arabic, Indic, Thai, Korean, Japanese or Chinese."""
    n = len(lows)
    tokens = f" {SEP} ".join(lows).split()
    bits = np.fromiter((_STOP_LOOKUP.get(t, 0) for t in tokens), dtype=np.int64, count=len(tokens))
    is_sep = bits == _SEP_BIT
    row = np.cumsum(is_sep)
    total = np.bincount(row[~is_sep], minlength=n)
    counts = np.stack([np.bincount(row[(bits >> i) & 1 == 1], minlength=n) for i in range(len(_STOP))], axis=1)
    best = counts[:, 1:].argmax(axis=1) + 1
    best_count = counts[np.arange(n), best]
    other = (total >= 3) & (best_count >= 2) & (best_count > counts[:, 0])
    script = np.zeros(n, dtype=bool)
    for i, low in enumerate(lows):
        if not low.isascii():
            script[i] = sum(len(m) for m in _NON_LATIN.findall(low)) > 0.3 * len(low)
    language = np.where(script, "unknown", np.where(other, np.array(list(_STOP))[best], "en"))
    return language.tolist(), ~(other | script)


@dataclass
class _Scored:
    points: np.ndarray          # replies x components
    matches: tuple              # row, rule index, start, end
    language: list[str]
    supported: np.ndarray
    facts: list | None          # per reply: {fact: kept} or None


def _score_texts(texts: list[str], messages: list | None, facts: list | None, rubric: Rubric) -> _Scored:
    """The one engine behind score_response and score_many: every reply in one pass per phrase group."""
    lows = [_normalise(t) for t in texts]
    big = SEP.join(lows)
    offsets = np.cumsum([0] + [len(t) + 1 for t in lows[:-1]]).astype(np.int64)
    row, rule, start, end = _phrase_matches(big, offsets, rubric)
    if messages is not None:
        messages = [m if isinstance(m, str) and m.strip() else None for m in messages]  # empty cells: no message
    extra = _detector_matches(texts, lows, messages, rubric)
    if extra:
        ex = np.array(extra, dtype=np.int64)
        row, rule = np.concatenate([row, ex[:, 0]]), np.concatenate([rule, ex[:, 1]])
        start, end = np.concatenate([start, ex[:, 2]]), np.concatenate([end, ex[:, 3]])
    comps = rubric.ids
    hit = np.zeros((len(texts), len(rubric.rules)))
    hit[row, rule] = 1
    weights = np.zeros((len(rubric.rules), len(comps)))
    for k, r in enumerate(rubric.rules):
        weights[k, comps.index(r.component)] = r.points
    points = np.clip(hit @ weights, [c.min_points for c in rubric.components],
                     [c.max_points for c in rubric.components])
    language, supported = _languages(lows)
    kept = None
    if facts is not None:
        kept = [None if (fs := _split_facts(f)) is None else _kept(low, fs) for low, f in zip(lows, facts)]
    return _Scored(points, (row, rule, start, end), language, supported, kept)


def _check_text(text, where: str) -> str:
    if _missing(text):
        raise DataError(f"{where} is empty: write the reply to score, or drop that row")
    if not isinstance(text, str):
        raise DataError(f"{where} should be text, not {type(text).__name__}")
    if not text.strip():
        raise DataError(f"{where} is empty (only spaces): write the reply to score, or drop that row")
    return text


def _message(language: str, supported: bool) -> str:
    if supported:
        return ""
    return (f"Only English is supported: this reply looks like {LANGUAGES.get(language, language)}, "
            "so the score does not mean much.")


def score_response(text: str, customer_message: str | None = None, facts=None, rubric=None) -> InteractionScore:
    """Score how one reply treats the customer (0–100 points) and, with ``facts``, which facts it kept.

    ``customer_message``: the customer's message (finds their name and words for personalization).
    ``facts``: the transaction facts the reply must keep, a list or a ``;``-separated string
    (``"$9.14;April 2;ticket 35639"``).  ``rubric``: another rubric file (default: the bundled one).

        >>> score_response("Calm down. Policy says no.").components["negative_language"]
        -30.0
    """
    text = _check_text(text, "the reply")
    rub = load_rubric(rubric)
    scored = _score_texts([text], None if customer_message is None else [customer_message],
                          None if facts is None else [facts], rub)
    points, (_, rule, start, end) = scored.points[0], scored.matches
    # evidence: each rule's first phrase, points handed out in reading order until the component is full
    first: dict[int, tuple[int, int]] = {}
    for k, s, e in sorted(zip(rule.tolist(), start.tolist(), end.tolist()), key=lambda t: (t[1], -t[2])):
        first.setdefault(k, (s, e))
    given = dict.fromkeys(rub.ids, 0.0)
    evidence = []
    for k, (s, e) in sorted(first.items(), key=lambda kv: kv[1]):
        r, c = rub.rules[k], rub.component(rub.rules[k].component)
        pts = min(r.points, c.max_points - given[c.id]) if r.points > 0 else max(r.points, c.min_points - given[c.id])
        given[c.id] += pts
        evidence.append(Evidence(c.id, r.id, text[s:e], s, e, round(pts, 2)))
    language, supported = scored.language[0], bool(scored.supported[0])
    return InteractionScore(
        total=round(float(np.clip(points.sum(), 0, 100)), 2),
        components=dict(zip(rub.ids, (round(float(p), 2) for p in points))), evidence=evidence,
        transaction=scored.facts[0] if scored.facts else None, language=language, supported=supported,
        message=_message(language, supported),
        max_points={c.id: c.max_points for c in rub.components}, tips={c.id: c.tip for c in rub.components},
        text=text)


def score_many(replies, customer_messages=None, facts=None, rubric=None) -> pd.DataFrame:
    """Score a whole column of replies at once (the same rules as :func:`score_response`).

    ``replies``: a Series or list of texts, or a DataFrame with a ``reply`` column and optional
    ``customer_message`` and ``facts`` columns.  Returns one row per reply (same index): ``total``
    (0–100 points), one column per component (points), ``language``, ``supported`` and, when facts
    are given, ``facts_kept`` (share 0–1 of the row's facts found in the reply; NaN for a row with no
    facts).  An empty reply raises :class:`DataError` naming its row.

        >>> score_many(load("responses"))[["total", "empathy"]].head(2)     # doctest: +SKIP
    """
    if isinstance(replies, pd.DataFrame):
        if "reply" not in replies.columns:
            raise DataError(f"score_many needs a 'reply' column (found: {', '.join(map(str, replies.columns))})")
        frame = replies
        replies = frame["reply"]
        if customer_messages is None and "customer_message" in frame.columns:
            customer_messages = frame["customer_message"]
        if facts is None and "facts" in frame.columns:
            facts = frame["facts"]
    series = replies if isinstance(replies, pd.Series) else pd.Series(list(replies))
    texts = [_check_text(t, f"reply in row {label}") for label, t in zip(series.index, series.to_numpy())]
    messages = _aligned(customer_messages, series, "customer_messages")
    fact_list = _aligned(facts, series, "facts")
    scored = _score_texts(texts, messages, fact_list, load_rubric(rubric))
    out = pd.DataFrame(scored.points, columns=load_rubric(rubric).ids, index=series.index)
    out.insert(0, "total", np.clip(scored.points.sum(axis=1), 0, 100))
    out["language"] = scored.language
    out["supported"] = scored.supported
    if scored.facts is not None:
        out["facts_kept"] = [sum(k.values()) / len(k) if k else float("nan") for k in scored.facts]
    return out


def _aligned(values, series: pd.Series, name: str) -> list | None:
    if values is None:
        return None
    if isinstance(values, str):
        return [values] * len(series)
    values = list(values.to_numpy() if isinstance(values, pd.Series) else values)
    if len(values) != len(series):
        raise DataError(f"{name} has {len(values)} entries but there are {len(series)} replies; give one per reply")
    return values


def detect_language(text: str) -> str:
    """The language of a text by counting common words: ``"en"``, ``"de"``, ``"es"``, ``"fr"``, ``"pt"``,
    ``"it"``, ``"nl"`` or ``"unknown"`` (another script).  Short or unclear texts count as English."""
    return _languages([_normalise(_check_text(text, "the text"))])[0][0]


def pair_wins(scores: pd.DataFrame, responses: pd.DataFrame, better: str, worse: str) -> float:
    """Share 0–1 of pairs (``pair_id``) where the ``better`` style's reply outscores the ``worse`` one."""
    table = pd.DataFrame({"pair": responses["pair_id"], "style": responses["style"], "total": scores["total"]})
    wide = table.pivot(index="pair", columns="style", values="total")
    return float((wide[better] > wide[worse]).mean())


__all__ = ["score_response", "score_many", "facts_kept", "customer_name", "detect_language", "load_rubric",
           "rubric_table", "pair_wins", "InteractionScore", "Evidence", "Rubric", "GOOD_SCORE"]
