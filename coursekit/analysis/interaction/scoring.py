"""Scoring replies: the one engine behind :func:`score_response` (one reply, with its evidence) and
:func:`score_many` (a whole column of a QA export in one pass per phrase group).

    earned    = clip(sum of the earning components - stock_excess - unbacked, 0, 100)
    earned    = min(earned, critical_cap)      when the reply has a critical phrase (blame, talking down)
    total     = earned + harm                  harm = the negative components' points

``stock_excess``: what stock courtesy phrases (and runs of formula sentences) earned above the
rubric's ``stock_cap``; ``unbacked``: what kind words earned beyond what the reply does (:func:`unbacked`).

Units: points; ``total`` runs from -60 to 100 and ``PASS_MARK`` (the rubric's ``pass_mark``) is where
a QA coach would call the reply good.  The harm is never hidden by a floor at 0: a blaming reply
scores below the same reply without the blame.
"""

from __future__ import annotations

import html
import re
from itertools import repeat
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from coursekit.errors import DataError
from coursekit.palette import BAR_LOST, BAR_TRACK, BAR_WON, EVIDENCE, WARN, box, tone
from coursekit.analysis.interaction.context import (_kept, _missing, _name_span, _own_phrases, _split_facts,
                                                    _words_span, customer_name)
from coursekit.analysis.interaction.language import LANGUAGES, SEP, _languages, _normalise
from coursekit.analysis.interaction.rubric import Rubric, load_rubric

#: from here a QA coach would call a reply good (the bundled rubric's ``pass_mark``; module 01's rewrites)
_PASS = load_rubric().pass_mark
PASS_MARK = int(_PASS) if _PASS.is_integer() else _PASS


#: what the learner is told when stock phrases earned more than the cap, and when kind words earned
#: more than the reply does
STOCK = "stock courtesy phrases earn at most the cap"
UNBACKED = "kind words count up to what the reply does: say what you have done, will do and by when"


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
    why: str = ""


@dataclass(repr=False)
class InteractionScore:
    """The interaction score of one reply (points; see the module docstring for the formula).

    Shows as a coloured breakdown with the reply's phrases marked in a notebook, and as the same
    breakdown in plain text elsewhere (``print(result)``)."""

    total: float
    stock_excess: float
    passed: bool
    pass_mark: float
    components: dict[str, float]
    evidence: list[Evidence]
    transaction: dict[str, bool] | None
    language: str
    supported: bool
    message: str
    max_points: dict[str, float] = field(default_factory=dict, repr=False)
    tips: dict[str, str] = field(default_factory=dict, repr=False)
    text: str = field(default="", repr=False)
    labels: dict[str, str] = field(default_factory=dict, repr=False)
    learned: tuple[str, ...] = field(default=(), repr=False)  # components scored by learned words
    unbacked: float = 0.0  # points of kind words beyond what the reply does (the rubric's words_need_deeds)

    @property
    def harm(self) -> list["Evidence"]:
        """The phrases that cost points (blame, talking down, brushing off), in reading order."""
        return [e for e in self.evidence if e.points < 0]

    @property
    def verdict(self) -> str:
        """One line: passed or not, against the pass mark, naming what to change first: the first
        harmful phrase of a rule; else kind words without deeds; else the weakest behaviour (a
        learned cold word alone is evidence, not a reason a learner can act on)."""
        if self.passed:
            return f"a good reply (pass mark {self.pass_mark:g})"
        below = f"below the pass mark of {self.pass_mark:g}"
        named = [e for e in self.harm if not e.rule.startswith("word:")]  # a rule's phrase before a learned word
        if named:
            return f"{below}: \"{named[0].phrase}\" {named[0].why}"
        if self.unbacked:
            return f"{below}: {self.uncounted_words} ({UNBACKED})"
        weakest = self.weakest()
        if weakest:
            label = self.labels.get(weakest[0], weakest[0].replace("_", " "))
            tip = self.tips.get(weakest[0])
            return f"{below}: least on {label.lower()}" + (f" ({tip})" if tip else "")
        return below

    @property
    def uncounted_words(self) -> str:
        """The kind-word points that did not count, in words: "12 points of kind words did not count"."""
        return f"{self.unbacked:g} point{'' if self.unbacked == 1 else 's'} of kind words did not count"

    @property
    def missing_facts(self) -> list[str]:
        """The facts the reply did not keep (empty when no facts were given)."""
        return [f for f, kept in (self.transaction or {}).items() if not kept]

    def weakest(self, n: int = 1) -> list[str]:
        """The ``n`` earning rule components (a behaviour to coach, not the learned words) with the
        smallest share of their maximum (ties: rubric order)."""
        shares = [(self.components[c] / m, i, c) for i, (c, m) in enumerate(self.max_points.items())
                  if m > 0 and c not in self.learned]
        return [c for _, _, c in sorted(shares)[:n]]

    def _lines(self) -> list[tuple[str, str]]:
        rows = []
        for cid, pts in self.components.items():
            top = self.max_points.get(cid, 0)
            rows.append((cid, f"{pts:g} / {top:g}" if top > 0 else f"{pts:g}"))
        return rows

    def __str__(self) -> str:
        out = [f"Interaction score {self.total:g} / 100: {self.verdict}" + ("" if self.supported else f"  ({self.message})")]
        out += [f"  {cid:<20} {shown}" for cid, shown in self._lines()]
        if self.stock_excess:
            out.append(f"  {'stock phrases':<20} -{self.stock_excess:g} ({STOCK})")
        if self.unbacked:
            out.append(f"  {'words without deeds':<20} -{self.unbacked:g} ({UNBACKED})")
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
        colour = tone(self.passed)
        rows = []
        for cid, shown in self._lines():
            top, pts = self.max_points.get(cid, 0), self.components[cid]
            bar_colour = BAR_WON if top > 0 else BAR_LOST  # 4 px per point, on a grey bar as long as the maximum
            label = self.labels.get(cid, cid.replace("_", " "))
            rows.append(f"<tr><td>{html.escape(label)}</td><td style='text-align:right'>{shown}</td>"
                        f"<td><div style='background:{BAR_TRACK};width:{4 * max(top, -pts):g}px'>"
                        f"<div style='background:{bar_colour};height:10px;width:{4 * abs(pts):g}px'></div>"
                        "</div></td></tr>")
        notes = "" if self.supported else f"<p style='color:{WARN}'><b>{html.escape(self.message)}</b></p>"
        if self.stock_excess:
            notes += f"<p>Stock phrases: -{self.stock_excess:g} ({STOCK})</p>"
        if self.unbacked:
            notes += f"<p>Words without deeds: -{self.unbacked:g} ({html.escape(UNBACKED)})</p>"
        facts = ""
        if self.transaction is not None:
            items = "".join(f"<li>{'&#10004;' if k else '&#10008; missing:'} {html.escape(f)}</li>"
                            for f, k in self.transaction.items())
            facts = f"<p><b>Transaction (facts kept)</b></p><ul>{items}</ul>"
        reply = f"<p style='border:1px solid #ddd;padding:6px'>{self.highlighted_html()}</p>" if self.text else ""
        return box(f"<b style='color:{colour}'>Interaction score {self.total:g} / 100: {html.escape(self.verdict)}</b>"
                   f"{notes}{reply}"
                   f"<table>{''.join(rows)}</table>{facts}", colour)


def _codes(chars: str) -> np.ndarray:
    """The characters' code points, one per character."""
    return np.frombuffer(chars.encode("utf-32-le"), dtype=np.uint32)


def _word_chars(chars: str, codes: np.ndarray | None = None) -> np.ndarray:
    """For each character: is it part of a word (letter, digit, _ or ')?  ``codes``: :func:`_codes`
    of ``chars``, when the caller has them already."""
    codes = _codes(chars) if codes is None else codes
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
    spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for regex, entries in rubric.passes:
        if entries[0][0] == 0:  # one pattern alone
            spans[entries[0][1:]] = [m.span() for m in regex.finditer(big)]
            continue
        at = [spans.setdefault((k, j), []) for _, k, j in entries]
        groups = [g for g, _, _ in entries]
        for m in regex.finditer(big):
            s, regs = m.start(), m.regs
            for g, out in zip(groups, at):
                e = regs[g][1]
                if e >= 0 and (not out or s >= out[-1][1]):  # not overlapping the one before
                    out.append((s, e))
    found = []
    for k, rule in enumerate(rubric.rules):
        mine = [span for j in range(len(rule.compiled)) for span in spans.get((k, j), ())]
        if mine:
            found.append((k, np.array(mine, dtype=np.int64)))
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
    start, end = start - offsets[row], end - offsets[row]
    first = [k for k, r in enumerate(rubric.rules) if r.at_start]
    if first:  # at_start rules: nothing but spaces and punctuation before the phrase
        lead = np.array([len(t) - len(t.lstrip(" \t\n\"'*-.,!")) for t in big.split(SEP)])
        late = np.isin(rule, first) & (start > lead[row])
        row, rule, start, end = row[~late], rule[~late], start[~late], end[~late]
    return row, rule, start, end


_SENTENCE = re.compile(r"[^.!?;\n\x00]+")


def _formula_only(lows, big, offsets, row, rule, start, rubric: Rubric) -> tuple[np.ndarray, dict[int, str]]:
    """Replies x rules: 1 where an earning rule matched only in formula sentences of a reply that has
    at least ``formula_sentences`` of them; and {row: the reply with those sentences blanked} for
    those replies (so their learned words can be counted without them).

    A formula sentence is short (at most ``formula_words`` words), has no digit and no
    customer-specific phrase (their name or words), and earns points in one of the rubric's
    ``formula_components`` (not saying when or what happens next, not checking it worked): "Great
    question!", "I hear you.", "I'll look into it.", "I'm glad you reached out!".  One or two of them
    are how people talk; a run of them is a script (or stuffing), and what they earn counts against
    the stock-phrase cap like "thank you" and "sorry" do.  All replies at once: sentences, words and
    digits are found in the joined text with numpy."""
    n, R = len(lows), len(rubric.rules)
    out, without = np.zeros((n, R)), {}
    if not len(row) or not rubric.formula_components:
        return out, without
    spans = np.array([m.span() for m in _SENTENCE.finditer(big)], dtype=np.int64).reshape(-1, 2)
    codes = _codes(big)
    word = _word_chars(big, codes)
    # running counts, so that a sentence [a, b) has counts[b] - counts[a] word starts and digits
    word_starts = np.concatenate([[0], np.cumsum(word & ~np.concatenate([[False], word[:-1]]))])
    digits = np.concatenate([[0], np.cumsum((codes >= 48) & (codes <= 57))])
    words = word_starts[spans[:, 1]] - word_starts[spans[:, 0]]
    has_digit = digits[spans[:, 1]] > digits[spans[:, 0]]
    earning = np.array([r.points > 0 for r in rubric.rules], dtype=bool)
    formulaic = earning & np.array([r.component in rubric.formula_components for r in rubric.rules], dtype=bool)
    personal = np.array([r.detector is not None for r in rubric.rules], dtype=bool)
    sentence = np.searchsorted(spans[:, 0], start + offsets[row], side="right") - 1
    count = len(spans)
    formula = ((np.bincount(sentence[formulaic[rule]], minlength=count) > 0)
               & (np.bincount(sentence[personal[rule]], minlength=count) == 0)
               & (words <= rubric.formula_words) & ~has_digit)
    sentence_row = np.searchsorted(offsets, spans[:, 0], side="right") - 1
    runs = np.bincount(sentence_row[formula], minlength=n) >= rubric.formula_sentences
    if not runs.any():
        return out, without
    mine = earning[rule] & runs[row]
    key = row[mine] * R + rule[mine]
    outside = np.bincount(key, weights=~formula[sentence[mine]], minlength=n * R)
    seen = np.bincount(key, minlength=n * R)
    out = ((seen > 0) & (outside == 0)).reshape(n, R).astype(float)
    for i in np.flatnonzero(runs).tolist():
        low = list(lows[i])
        for j in np.flatnonzero(formula & (sentence_row == i)).tolist():
            a, b = spans[j] - offsets[i]
            low[a:b] = " " * (b - a)
        without[i] = "".join(low)
    return out, without


def _one_cost_per_phrase(row, rule, start, end, rubric: Rubric):
    """Drop a harm rule's match that overlaps another harm rule's costlier match in the same reply, so
    one phrase ("we always recommend": talks policy, and warns) costs once, the most its rules say.
    Matches of rules that earn points are kept as they are."""
    cost = np.array([r.points for r in rubric.rules])[rule] if len(rule) else np.zeros(0)
    harm = np.flatnonzero(cost < 0)
    if len(harm) < 2:
        return row, rule, start, end
    keep = np.ones(len(row), dtype=bool)
    kept: dict[int, list[tuple[int, int, int]]] = {}
    for i in sorted(harm.tolist(), key=lambda i: (row[i], cost[i], start[i])):  # the costliest first
        r, s, e = int(row[i]), int(start[i]), int(end[i])
        if any(s < ke and ks < e and kr != rule[i] for ks, ke, kr in kept.get(r, ())):
            keep[i] = False
        else:
            kept.setdefault(r, []).append((s, e, int(rule[i])))
    return row[keep], rule[keep], start[keep], end[keep]


def _not_echoed(row, rule, start, end, lows, low_messages, rubric: Rubric):
    """Drop the matches of ``not_echo`` rules whose words are also in the reply's customer message:
    "your visit on 12 June" repeats the customer's date, it does not tell them when something happens.
    ``low_messages``: the customer messages as _normalise gives them (None: no message)."""
    echo = np.array([r.not_echo for r in rubric.rules], dtype=bool)
    if low_messages is None or not echo.any() or not len(row):
        return row, rule, start, end
    keep = np.ones(len(row), dtype=bool)
    said: dict[int, str] = {}
    for i in np.flatnonzero(echo[rule]).tolist():
        r = int(row[i])
        if low_messages[r] is None:
            continue
        if r not in said:
            said[r] = " ".join(low_messages[r].split())
        phrase = " ".join(lows[r][start[i]:end[i]].split())
        if phrase in said[r]:  # a quick yes first; then whole words only ("12 june" is not in "112 june")
            keep[i] = not re.search(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", said[r])
    return row[keep], rule[keep], start[keep], end[keep]


def _needs_met(row, rule, start, end, hit, rubric: Rubric):
    """Drop the matches of rules with ``needs`` in replies that missed a group of the rules they need
    ("I'll look into it" earns ownership only with a date or time, or something already done; a
    hand-off only with a when and a deed of the agent's own)."""
    needing = [(k, [[rubric.rule_index[n] for n in group] for group in r.needs])
               for k, r in enumerate(rubric.rules) if r.needs]
    if not needing or not len(row):
        return row, rule, start, end, hit
    unmet = np.zeros_like(hit, dtype=bool)
    for k, groups in needing:
        met = np.logical_and.reduce([(hit[:, needed] > 0).any(axis=1) for needed in groups])
        unmet[:, k] = (hit[:, k] > 0) & ~met
    if not unmet.any():
        return row, rule, start, end, hit
    keep = ~unmet[row, rule]
    return row[keep], rule[keep], start[keep], end[keep], np.where(unmet, 0, hit)


def _detector_matches(texts, lows, messages, low_messages, rubric: Rubric):
    """The built-in detectors, customer_name and customer_words, as (row, rule index, start, end).
    ``low_messages``: the messages as _normalise gives them (customer_words reads those)."""
    found = []
    names = [customer_name(m) for m in messages] if messages is not None else [None] * len(texts)
    for k, rule in enumerate(rubric.rules):
        if rule.detector == "customer_name":
            for i, (text, low, name) in enumerate(zip(texts, lows, names)):
                span = _name_span(text, low, name, greet_only=messages is not None and messages[i] is not None)
                if span:
                    found.append((i, k, *span))
        elif rule.detector == "customer_words" and messages is not None:
            for i, (low, message) in enumerate(zip(lows, low_messages)):
                phrases = _own_phrases(message) if message else None
                span = _words_span(low, phrases) if phrases else None
                if span:
                    found.append((i, k, *span))
    return found


_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_TERM_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|[^a-z\s\x00]+|\x00")  # words, and runs of other marks (they end a phrase)


def _terms(low: str) -> list[str]:
    """A normalised reply's words and two-word phrases (two words with only spaces between), the
    keys of the learned word weights."""
    tokens = _TERM_TOKEN.findall(low)
    words = [t for t in tokens if t[0].isalpha() and t.isascii()]
    return words + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])
                    if a[0].isalpha() and b[0].isalpha() and a.isascii() and b.isascii()]


def _word_sums(lows: list[str], rubric: Rubric) -> tuple[np.ndarray, np.ndarray]:
    """Per reply: the points its learned words earn (positive weights) and cost (negative), each
    word or phrase counted once per reply (the same terms as :func:`_terms`: a mark between two
    words ends a phrase, and no weight is a mark).  One pass over all replies joined."""
    n = len(lows)
    if not rubric.words or not n:
        return np.zeros(n), np.zeros(n)
    terms = [t for t, _ in rubric.words]
    at = {t: k for k, t in enumerate(terms)}
    at[SEP] = -2
    firsts = {t.split(" ")[0]: True for t in terms if " " in t}
    tokens = _TERM_TOKEN.findall(SEP.join(lows))
    count = len(tokens)  # map(dict.get, ...) looks every token up at C speed
    ids = np.fromiter(map(at.get, tokens, repeat(-1, count)), dtype=np.int64, count=count)
    row = np.cumsum(ids == -2)
    first = np.fromiter(map(firsts.get, tokens, repeat(False, count)), dtype=bool, count=count)
    pairs = [(i, k) for i in np.flatnonzero(first[:-1]).tolist()
             if (k := at.get(f"{tokens[i]} {tokens[i + 1]}", -1)) >= 0]
    hit_row, hit_term = row[ids >= 0], ids[ids >= 0]
    if pairs:
        where = np.array(pairs, dtype=np.int64)
        hit_row, hit_term = np.concatenate([hit_row, row[where[:, 0]]]), np.concatenate([hit_term, where[:, 1]])
    once = np.unique(hit_row * len(terms) + hit_term)
    points = np.array([w for _, w in rubric.words])[once % len(terms)]
    return (np.bincount(once // len(terms), weights=np.maximum(points, 0), minlength=n),
            np.bincount(once // len(terms), weights=np.minimum(points, 0), minlength=n))


def _word_evidence(low: str, rubric: Rubric) -> list[tuple[str, int, int, float]]:
    """(word or phrase, start, end, points) for each learned word of one reply, first place only."""
    weights = rubric.word_points
    spans = [m.span() for m in _WORD.finditer(low)]
    seen, out = set(), []
    for n in (1, 2):
        for j in range(len(spans) - n + 1):
            term = " ".join(low[a:b] for a, b in spans[j:j + n])
            if term in weights and term not in seen and low[spans[j][1]:spans[j + n - 1][0]].strip() == "":
                seen.add(term)
                out.append((term, spans[j][0], spans[j + n - 1][1], weights[term]))
    return sorted(out, key=lambda t: t[1])


@dataclass
class _Scored:
    points: np.ndarray          # replies x components
    totals: np.ndarray          # replies: the total (see the module docstring)
    critical: np.ndarray        # replies: has a phrase that stops it passing
    stock_excess: np.ndarray    # replies: points of stock phrases above the rubric's stock_cap
    unbacked: np.ndarray        # replies: points of kind words beyond what the reply does
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
    low_messages = None if messages is None else [_normalise(m) if m is not None else None for m in messages]
    extra = _detector_matches(texts, lows, messages, low_messages, rubric)
    if extra:
        ex = np.array(extra, dtype=np.int64)
        row, rule = np.concatenate([row, ex[:, 0]]), np.concatenate([rule, ex[:, 1]])
        start, end = np.concatenate([start, ex[:, 2]]), np.concatenate([end, ex[:, 3]])
    row, rule, start, end = _one_cost_per_phrase(row, rule, start, end, rubric)
    row, rule, start, end = _not_echoed(row, rule, start, end, lows, low_messages, rubric)
    comps = rubric.ids
    hit = np.zeros((len(texts), len(rubric.rules)))
    hit[row, rule] = 1
    row, rule, start, end, hit = _needs_met(row, rule, start, end, hit, rubric)
    weights = np.zeros((len(rubric.rules), len(comps)))
    for k, r in enumerate(rubric.rules):
        weights[k, comps.index(r.component)] = r.points
    raw = hit @ weights
    if rubric.words:
        pos, neg = _word_sums(lows, rubric)
        for j, c in enumerate(rubric.components):
            if c.words:
                raw[:, j] += pos if c.words == "positive" else neg
    points = np.clip(raw, [c.min_points for c in rubric.components], [c.max_points for c in rubric.components])
    critical = hit[:, [k for k, r in enumerate(rubric.rules) if r.critical]].any(axis=1)
    stock = np.array([r.stock for r in rubric.rules], dtype=bool)
    hollow, without = _formula_only(lows, big, offsets, row, rule, start, rubric)
    canned = np.where(stock, hit, hollow) @ np.array([r.points for r in rubric.rules])
    if without and rubric.words:  # the learned words of the formula sentences count against the cap too
        rows = list(without)
        canned[rows] += pos[rows] - _word_sums([without[i] for i in rows], rubric)[0]
    excess = np.maximum(canned - rubric.stock_cap, 0) if stock.any() else np.zeros(len(texts))
    language, supported = _languages(lows)
    kept = None
    if facts is not None:
        kept = [None if (fs := _split_facts(f)) is None else _kept(low, fs) for low, f in zip(lows, facts)]
    lack = unbacked(points, rubric, excess)
    return _Scored(points, totals(points, critical, rubric, excess, lack), critical, excess, lack,
                   (row, rule, start, end), language, supported, kept)


def unbacked(points: np.ndarray, rubric: Rubric, stock_excess=0) -> np.ndarray:
    """Per reply (points): what its kind words earned beyond what it does, the rubric's
    ``words_need_deeds``: max(words - stock_excess - deeds - slack, 0), where words is the sum of the
    ``words`` components (empathy, acknowledgement, warm wording), less what the stock-phrase cap
    already took, and deeds the sum of the ``deeds`` components (ownership, expectation setting).
    "I'm so sorry, I completely understand how upsetting this is" with nothing done and no next step
    earns its first ``slack`` points, no more."""
    if not rubric.kind_words:
        return np.zeros(len(points))
    ids = rubric.ids
    words = points[:, [ids.index(c) for c in rubric.kind_words]].sum(axis=1)
    deeds = points[:, [ids.index(c) for c in rubric.deeds]].sum(axis=1)
    return np.maximum(words - stock_excess - deeds - rubric.deeds_slack, 0)


def totals(points: np.ndarray, critical: np.ndarray, rubric: Rubric, stock_excess=0, lack=None) -> np.ndarray:
    """Total per reply (points, -60 to 100) from its component points (replies x components):
    earned = clip(earning components - stock_excess - unbacked, 0, 100), where ``stock_excess`` is what
    the reply's stock courtesy phrases earned above the rubric's ``stock_cap`` and ``unbacked`` what its
    kind words earned beyond what it does (:func:`unbacked`, or ``lack`` when the caller has it);
    capped at ``critical_cap``
    when the reply has a critical phrase; total = earned + harm (the negative components)."""
    earning = np.array([c.max_points > 0 for c in rubric.components])
    lack = unbacked(points, rubric, stock_excess) if lack is None else lack
    earned = np.clip(points[:, earning].sum(axis=1) - stock_excess - lack, 0, 100)
    earned = np.where(critical, np.minimum(earned, rubric.critical_cap), earned)
    return np.round(earned + points[:, ~earning].sum(axis=1), 2)


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
    """Score how one reply treats the customer (-60 to 100 points; ``PASS_MARK`` and up is a good
    reply) and, with ``facts``, which facts it kept.

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
        evidence.append(Evidence(c.id, r.id, text[s:e], s, e, round(pts, 2), r.why))
    learned = {"positive": next((c for c in rub.components if c.words == "positive"), None),
               "negative": next((c for c in rub.components if c.words == "negative"), None)}
    for term, s, e, w in _word_evidence(_normalise(text), rub) if rub.words else ():
        c = learned["positive" if w > 0 else "negative"]
        if c is None:
            continue
        pts = min(w, c.max_points - given[c.id]) if w > 0 else max(w, c.min_points - given[c.id])
        given[c.id] += pts
        evidence.append(Evidence(c.id, f"word:{term}", text[s:e], s, e, round(pts, 2),
                                 f"learned from graded replies ({rub.words_source}): it comes with "
                                 + ("better" if w > 0 else "worse") + " replies"))
    evidence.sort(key=lambda e: e.start)
    language, supported = scored.language[0], bool(scored.supported[0])
    return InteractionScore(
        total=float(scored.totals[0]), stock_excess=float(scored.stock_excess[0]), passed=bool(scored.totals[0] >= rub.pass_mark), pass_mark=rub.pass_mark,
        components=dict(zip(rub.ids, (round(float(p), 2) for p in points))), evidence=evidence,
        transaction=scored.facts[0] if scored.facts else None, language=language, supported=supported,
        message=_message(language, supported),
        max_points={c.id: c.max_points for c in rub.components}, tips={c.id: c.tip for c in rub.components},
        text=text, labels={c.id: c.label for c in rub.components},
        learned=tuple(c.id for c in rub.components if c.words), unbacked=float(scored.unbacked[0]))


def score_many(replies, customer_messages=None, facts=None, rubric=None, jobs: int = 1) -> pd.DataFrame:
    """Score a whole column of replies at once (the same rules as :func:`score_response`).

    ``replies``: a Series or list of texts, or a DataFrame with a ``reply`` column and optional
    ``customer_message`` and ``facts`` columns.  Returns one row per reply (same index): ``total``
    (-60 to 100 points), one column per component (points), ``language``, ``supported`` and, when facts
    are given, ``facts_kept`` (share 0–1 of the row's facts found in the reply; NaN for a row with no
    facts).  An empty reply raises :class:`DataError` naming its row.  ``jobs``: worker processes
    for a large export (from 20,000 replies; a QA team's year on 2 cores takes ``jobs=2``).

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
    rub = load_rubric(rubric)
    scored = _score_in_parts(texts, messages, fact_list, rub, jobs)
    out = pd.DataFrame(scored.points, columns=rub.ids, index=series.index)
    out.insert(0, "total", scored.totals)
    out["stock_excess"] = scored.stock_excess
    out["unbacked"] = scored.unbacked
    out["language"] = scored.language
    out["supported"] = scored.supported
    if scored.facts is not None:
        out["facts_kept"] = [sum(k.values()) / len(k) if k else float("nan") for k in scored.facts]
    return out


PARALLEL_FROM = 20_000  # replies; below this, starting workers costs more than it saves


def _score_in_parts(texts, messages, facts, rubric: Rubric, jobs: int) -> _Scored:
    """:func:`_score_texts` over ``jobs`` slices of the replies in worker processes (the generic
    pool), joined in order; one process for fewer than :data:`PARALLEL_FROM` replies."""
    if jobs <= 1 or len(texts) < PARALLEL_FROM:
        return _score_texts(texts, messages, facts, rubric)
    from coursekit.parallel import run_pool

    edges = np.linspace(0, len(texts), jobs + 1).astype(int)
    parts = [(a, b) for a, b in zip(edges[:-1], edges[1:])]

    def one(part):
        a, b = part
        done = _score_texts(texts[a:b], None if messages is None else messages[a:b],
                            None if facts is None else facts[a:b], rubric)
        done.matches = ()  # only score_response shows evidence; keep what travels back small
        return done

    done = run_pool(parts, one, lambda part, reason: f"replies {part[0]} to {part[1] - 1}: {reason}", jobs=jobs)
    for d in done:
        if isinstance(d, str):
            raise DataError(f"scoring failed for {d}")
    def joined(name):  # one field of all the parts, in order
        values = [getattr(d, name) for d in done]
        if name == "matches":
            return ()
        if isinstance(values[0], np.ndarray):
            return np.concatenate(values)
        return None if values[0] is None else [x for v in values for x in v]

    return _Scored(**{f.name: joined(f.name) for f in fields(_Scored)})


def _aligned(values, series: pd.Series, name: str) -> list | None:
    if values is None:
        return None
    if isinstance(values, str):
        return [values] * len(series)
    values = list(values.to_numpy() if isinstance(values, pd.Series) else values)
    if len(values) != len(series):
        raise DataError(f"{name} has {len(values)} entries but there are {len(series)} replies; give one per reply")
    return values


def pair_wins(scores: pd.DataFrame, responses: pd.DataFrame, better: str, worse: str) -> float:
    """Share 0–1 of pairs (``pair_id``) where the ``better`` style's reply outscores the ``worse`` one."""
    table = pd.DataFrame({"pair": responses["pair_id"], "style": responses["style"], "total": scores["total"]})
    wide = table.pivot(index="pair", columns="style", values="total")
    return float((wide[better] > wide[worse]).mean())
