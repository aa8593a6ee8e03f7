"""The interaction rubric: the trainer-editable file of components and phrase rules, loaded and checked.

``coursekit/analysis/rubrics/interaction.json`` holds the rules (``docs/rubric.md`` explains every
field).  This module turns it into :class:`Rubric` (components, rules with compiled patterns, the pass
mark) and gives clear one-line errors for a rubric a trainer got wrong.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from coursekit.errors import DataError

RUBRIC_FILE = Path(__file__).resolve().parent.parent / "rubrics" / "interaction.json"

@dataclass(frozen=True)
class Component:
    """One part of the interaction score (``max_points`` > 0 earns; ``min_points`` < 0 takes away)."""

    id: str
    label: str
    max_points: float
    min_points: float
    what: str
    tip: str
    words: str | None = None  # "positive" / "negative": points from the rubric's learned word weights


@dataclass(frozen=True)
class Rule:
    """Phrases (or a built-in detector) worth ``points`` in one component, once per reply."""

    id: str
    component: str
    points: float
    why: str
    patterns: tuple[str, ...] = ()
    compiled: tuple[re.Pattern, ...] = ()
    alternatives: tuple[tuple[str, ...], ...] = ()  # per compiled pattern: the regexes it joins
    not_after: re.Pattern | None = None
    detector: str | None = None
    critical: bool = False  # blame, talking down, brushing off: the reply cannot pass
    at_start: bool = False  # counts only as the reply's first words (a greeting)
    stock: bool = False     # a stock courtesy phrase: all of them together earn at most the rubric's stock_cap
    # groups of rule ids: earns only in a reply that also matched one rule of every group ("needs": ["a", "b"]
    # is one group, a or b; "needs": [["a"], ["b", "c"]] is a and one of b or c)
    needs: tuple[tuple[str, ...], ...] = ()
    not_echo: bool = False  # a phrase that is also in the customer's message earns nothing (their own date)


DETECTORS = ("customer_name", "customer_words")

#: ``<<name>>`` in a pattern stands for the rubric's ``fragments[name]``
_FRAGMENT = re.compile(r"<<(\w+)>>")


def _fragments(data: dict, source: str) -> dict[str, str]:
    """The rubric's named pieces of pattern (``"fragments": {"not_a_deed": "..."}``), checked."""
    fragments = data.get("fragments") or {}
    if not isinstance(fragments, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                  for k, v in fragments.items()):
        raise DataError(f"{source}: fragments must map names to pieces of pattern (text)")
    for name, piece in fragments.items():
        if "<<" in piece:
            raise DataError(f"{source}: fragment {name!r} uses another fragment (write it out in full)")
        try:
            re.compile(piece)
        except re.error as exc:
            raise DataError(f"{source}: fragment {name!r} is not a valid pattern ({exc})") from None
    return fragments


def _expand(pattern: str, fragments: dict[str, str], where: str) -> str:
    """``pattern`` with each ``<<name>>`` replaced by its fragment."""
    def piece(match: re.Match) -> str:
        if match.group(1) not in fragments:
            raise DataError(f"{where}: the pattern uses <<{match.group(1)}>>, which is not in the rubric's "
                            f"fragments ({', '.join(fragments) or 'none'})")
        return fragments[match.group(1)]
    return _FRAGMENT.sub(piece, pattern)


def _needs(needs, where: str) -> tuple[tuple[str, ...], ...]:
    """A rule's "needs" as groups: a list of rule ids is one group (any of them), a list of lists is
    groups that must all be met."""
    if not needs:
        return ()
    if not isinstance(needs, list) or not (all(isinstance(n, str) for n in needs)
                                           or all(isinstance(g, list) and g and all(isinstance(n, str) for n in g)
                                                  for g in needs)):
        raise DataError(f"{where}: needs must be a list of rule ids, or a list of lists of them (found {needs!r})")
    return (tuple(needs),) if isinstance(needs[0], str) else tuple(tuple(g) for g in needs)


@dataclass(frozen=True)
class Rubric:
    """A loaded rubric: its components in order and every rule."""

    components: tuple[Component, ...]
    rules: tuple[Rule, ...]
    source: str
    pass_mark: float = 40.0      # from here a QA coach would call the reply good
    critical_cap: float = 30.0   # what a reply with a critical phrase can earn at most, before its cost
    stock_cap: float = 100.0     # what all stock courtesy phrases together can earn
    words: tuple[tuple[str, float], ...] = ()  # learned word weights (word or two-word phrase, points)
    words_source: str = ""
    formula_words: int = 7       # a sentence this short, with no digit and nothing of the customer's...
    formula_sentences: int = 3   # ...earns like a stock phrase when the reply has this many of them
    formula_components: tuple[str, ...] = ()  # the components whose rules make a sentence a formula
    kind_words: tuple[str, ...] = ()  # components whose points count only up to what the reply does:
    deeds: tuple[str, ...] = ()       # at most these components' points plus deeds_slack
    deeds_slack: float = 0.0

    @property
    def word_points(self) -> dict[str, float]:
        """{word or two-word phrase: points} of the learned word weights (empty without a words_file)."""
        return dict(self.words)

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.components]

    @functools.cached_property
    def rule_index(self) -> dict[str, int]:
        """{rule id: its index in ``rules``} (a later rule of the same id wins)."""
        return {r.id: k for k, r in enumerate(self.rules)}

    def component(self, cid: str) -> Component:
        return next(c for c in self.components if c.id == cid)

    @functools.cached_property
    def passes(self) -> tuple[tuple[re.Pattern, tuple[tuple[int, int, int], ...]], ...]:
        """The rules' patterns as few searches of the text as give the same matches: (regex, entries),
        each entry (group number, rule index, pattern index).  A regex with one entry and group 0 is
        one rule's pattern searched alone; the others join every pattern whose phrases all start with
        the same letter (see :func:`_shared_first_letter`)."""
        return _shared_first_letter(self.rules)


def _convert(pattern: str) -> str:
    """Rubric pattern -> Python regex: a space matches spaces/line breaks/hyphens, an apostrophe is optional
    (except where the word without it is another word: "we'll" never matches "well")."""
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
        elif ch == "'":
            out.append("'" if _contraction(pattern, i) in _WORDS_WITHOUT_APOSTROPHE else "'?")
        else:
            out.append(ch)
    return "".join(out)


#: contractions that are other words without their apostrophe ("we'll" is not "well", "i'll" not "ill")
_WORDS_WITHOUT_APOSTROPHE = {"well", "were", "ill", "id", "hell", "shell", "wed", "shed", "hed", "lets", "its", "cant",
                             "wont", "shes", "hes"}


def _contraction(pattern: str, i: int) -> str:
    """The letters either side of the apostrophe at ``pattern[i]`` ("we'll" -> "well")."""
    a = i - 3 if pattern[i - 3:i] == "(?:" else i  # "we(?:'ll| will)": the letters before the group
    while a > 0 and pattern[a - 1].isalpha():
        a -= 1
    b = i + 1
    while b < len(pattern) and pattern[b].isalpha():
        b += 1
    return pattern[a:i].replace("(?:", "") + pattern[i + 1:b]


def _structure(rx: str):
    """``(index, character, depth)`` for each ``(``, ``)`` and ``|`` of ``rx`` that is not escaped
    and not in a character class; depth is the nesting after the character (a ``(`` counts itself)."""
    depth, escaped, in_class = 0, False, False
    for i, ch in enumerate(rx):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "()|":
            depth += {"(": 1, ")": -1, "|": 0}[ch]
            yield i, ch, depth


def _leading_group(rx: str) -> tuple[list[str], str] | None:
    """``(?:a|b)rest`` -> (["a", "b"], "rest"); None when the pattern does not start with such a group."""
    if not rx.startswith("(?:"):
        return None
    start, alts = 3, []
    for i, ch, depth in _structure(rx):
        if ch == ")" and depth == 0:
            return alts + [rx[start:i]], rx[i + 1:]
        if ch == "|" and depth == 1:
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


def _compile(patterns: tuple[str, ...], where: str) -> tuple[tuple[re.Pattern, ...], tuple[tuple[str, ...], ...]]:
    """One rule's patterns as few regexes as can be searched fast: split so that each starts with a
    plain character, then joined again per first character (one pass over the text per group); one
    that starts with a whole word (``\\w+`` then a space) is only tried where a word starts."""
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
            if rx.startswith("\\w+") and rx[3:].startswith(("[\\s\\-]", "(?:'")):
                # a phrase starts at a word start, and a word that a space or an apostrophe follows is
                # taken whole (no backtracking into it): five times faster, the same matches
                rx = r"(?<![\w'])\w++" + rx[3:]
            key = rx[0] if rx[0].isalnum() else rx
            groups.setdefault(key, []).append(rx)
    return (tuple(re.compile("(?:" + "|".join(rxs) + r")(?!\w)") for rxs in groups.values()),
            tuple(tuple(rxs) for rxs in groups.values()))


def _top_level_bar(rx: str) -> bool:
    """Does ``rx`` have a ``|`` outside every group and character class?"""
    return any(ch == "|" and depth == 0 for _, ch, depth in _structure(rx))


def _shared_first_letter(rules: tuple[Rule, ...]) -> tuple:
    """One search per first letter instead of one per rule and letter (about 400 searches of the
    joined replies become about 40), each stopping only where a word starts.  For the letter ``c``
    the regex is ``c(?<![\\w']c)(?=rest1|rest2|...)`` followed by ``(?:(?=(?P<m1>rest1))|)...``, where
    ``c + rest`` is a pattern: the regex engine jumps from one ``c`` to the next, drops those inside a
    word at once, stops where some pattern matches and records, in one group per pattern, where that
    pattern's match ends.  :func:`~coursekit.analysis.interaction.scoring._phrase_matches` then keeps,
    per pattern, the matches that do not overlap the one before.  A pattern that does not start with
    one letter, names its groups or refers back to one is searched alone."""
    shared: dict[str, list[tuple[int, int, str]]] = {}
    alone = []
    for k, rule in enumerate(rules):
        for j, (pattern, rxs) in enumerate(zip(rule.compiled, rule.alternatives)):
            c = rxs[0][0]
            if c.isalnum() and all(rx[0] == c and rx[1:2] not in ("?", "*", "+", "{") and not _top_level_bar(rx)
                                   and not re.search(r"\(\?P|\\\d", rx) for rx in rxs):
                shared.setdefault(c, []).append((k, j, "(?:" + "|".join(rx[1:] for rx in rxs) + r")(?!\w)"))
            else:
                # one that starts with a plain mark keeps the engine's jump to it; others only try word starts
                plain_mark = c not in "\\([.^$" and all(rx[0] == c for rx in rxs)
                alone.append((pattern if plain_mark else re.compile(r"(?<![\w'])" + pattern.pattern), ((0, k, j),)))
    passes = []
    for c, entries in shared.items():
        regex = re.compile(f"{c}(?<![\\w']{c})(?=" + "|".join(rest for _, _, rest in entries) + ")"
                           + "".join(f"(?:(?=(?P<m{n}>{rest}))|)" for n, (_, _, rest) in enumerate(entries)))
        passes.append((regex, tuple((regex.groupindex[f"m{n}"], k, j) for n, (k, j, _) in enumerate(entries))))
    return tuple(passes) + tuple(alone)


def _parse_rubric(data: dict, source: str, base: Path | None = None) -> Rubric:
    components, rules = [], []
    fragments = _fragments(data, source)
    for comp in data.get("components") or []:
        where = f"{source}, component {comp.get('id', '?')!r}"
        try:
            c = Component(comp["id"], comp.get("label", comp["id"]), float(comp.get("max_points", 0)),
                          float(comp.get("min_points", 0)), comp.get("what", ""), comp.get("tip", ""))
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"{where}: needs an id and numeric max_points/min_points ({exc})") from None
        if c.min_points > 0 or c.max_points < 0:
            raise DataError(f"{where}: min_points must be <= 0 and max_points >= 0")
        if comp.get("words") not in (None, "positive", "negative"):
            raise DataError(f"{where}: words must be \"positive\" or \"negative\" (found {comp.get('words')!r})")
        if comp.get("words"):
            c = Component(c.id, c.label, c.max_points, c.min_points, c.what, c.tip, comp["words"])
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
            patterns = tuple(_expand(p, fragments, rwhere) for p in rule.get("patterns") or ())
            if detector is None and not patterns:
                raise DataError(f"{rwhere}: give the rule patterns (a list of phrases) or a detector")
            not_after = rule.get("not_after") or ()
            compiled, alternatives = _compile(patterns, rwhere)
            rules.append(Rule(
                rule["id"], c.id, points, rule.get("why", ""), patterns, compiled, alternatives,
                re.compile(r"(?:^|[^\w'])(?:" + "|".join(_convert(w) for w in not_after) + r")[\s\-]+$")
                if not_after else None,
                detector, bool(rule.get("critical", False)), bool(rule.get("at_start", False)),
                bool(rule.get("stock", False)), _needs(rule.get("needs"), rwhere), bool(rule.get("not_echo", False))))
    if not components:
        raise DataError(f"{source}: the rubric has no components")
    ids = [c.id for c in components]
    if len(set(ids)) != len(ids):
        raise DataError(f"{source}: component ids must be unique (found {', '.join(ids)})")
    try:
        pass_mark = float(data.get("pass_mark", 40))
        critical_cap = float(data.get("critical_cap", pass_mark - 10))
        stock_cap = float(data.get("stock_cap", 100))
        formula_words, formula_sentences = int(data.get("formula_words", 7)), int(data.get("formula_sentences", 3))
    except (TypeError, ValueError):
        raise DataError(f"{source}: pass_mark, critical_cap, stock_cap, formula_words and formula_sentences "
                        "must be numbers") from None
    formula_components = tuple(data.get("formula_components") or ())
    unknown = [c for c in formula_components if c not in ids]
    if unknown:
        raise DataError(f"{source}: formula_components names {', '.join(map(repr, unknown))}, which is not a "
                        f"component (use {', '.join(ids)})")
    if formula_words < 1 or formula_sentences < 1:
        raise DataError(f"{source}: formula_words and formula_sentences must be at least 1 "
                        f"(found {formula_words} and {formula_sentences})")
    if not 0 < pass_mark <= 100 or not 0 <= critical_cap < pass_mark:
        raise DataError(f"{source}: pass_mark must be 1-100 and critical_cap 0 to below the pass mark "
                        f"(found {pass_mark:g} and {critical_cap:g})")
    kind_words, deeds, deeds_slack = _words_need_deeds(data.get("words_need_deeds"), ids, source)
    rule_ids = {r.id for r in rules}
    for r in rules:
        unknown = [n for group in r.needs for n in group if n not in rule_ids]
        if unknown:
            raise DataError(f"{source}, rule {r.id!r}: needs names {', '.join(map(repr, unknown))}, which is not a rule")
    words, words_source = _load_words(data.get("words_file"), base, source) if data.get("words_file") else ((), "")
    if words and not any(c.words for c in components):
        raise DataError(f"{source}: words_file is given but no component takes words (\"words\": \"positive\")")
    return Rubric(tuple(components), tuple(rules), source, pass_mark, critical_cap, stock_cap, words, words_source,
                  formula_words, formula_sentences, formula_components, kind_words, deeds, deeds_slack)


def _words_need_deeds(spec, ids: list[str], source: str) -> tuple[tuple[str, ...], tuple[str, ...], float]:
    """``words_need_deeds``: {"words": [components], "deeds": [components], "slack": points} (or absent)."""
    if spec is None:
        return (), (), 0.0
    where = f"{source}: words_need_deeds"
    if not isinstance(spec, dict) or not spec.get("words") or not spec.get("deeds"):
        raise DataError(f"{where} needs \"words\" and \"deeds\" (lists of component ids) and a \"slack\" in points")
    words, deeds = tuple(spec["words"]), tuple(spec["deeds"])
    unknown = [c for c in words + deeds if c not in ids]
    if unknown:
        raise DataError(f"{where} names {', '.join(map(repr, unknown))}, which is not a component (use {', '.join(ids)})")
    if set(words) & set(deeds):
        raise DataError(f"{where}: a component cannot be both words and deeds ({', '.join(sorted(set(words) & set(deeds)))})")
    slack = spec.get("slack", 0)
    if not isinstance(slack, (int, float)) or slack < 0:
        raise DataError(f"{where}: slack must be a number of points, 0 or more (found {slack!r})")
    return words, deeds, float(slack)


_WORD_TERM = re.compile(r"[a-z]+(?:'[a-z]+)?(?: [a-z]+(?:'[a-z]+)?)?")


def _load_words(name: str, base: Path | None, source: str) -> tuple[tuple[tuple[str, float], ...], str]:
    """The learned word weights a rubric names in ``words_file`` (a path beside the rubric file)."""
    path = Path(name) if Path(name).is_absolute() or base is None else base / name
    if not path.exists() and not Path(name).is_absolute() and (RUBRIC_FILE.parent / name).exists():
        path = RUBRIC_FILE.parent / name  # a copied rubric keeps the bundled word weights
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{source}: words_file {path} not found") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not valid JSON: line {exc.lineno}: {exc.msg}") from None
    weights = data.get("words") if isinstance(data, dict) else None
    if not isinstance(weights, dict):
        raise DataError(f"{path}: needs a \"words\" object of word -> points")
    out = []
    for term, points in weights.items():
        if not isinstance(points, (int, float)) or not _WORD_TERM.fullmatch(term):
            raise DataError(f"{path}: word {term!r} needs a number of points and must be one or two lower-case "
                            "words separated by one space")
        out.append((term, float(points)))
    return tuple(out), path.name


@functools.lru_cache(maxsize=8)
def _load_rubric_file(path: str) -> Rubric:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"rubric file {path} not found") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"rubric file {path} is not valid JSON: line {exc.lineno}: {exc.msg}") from None
    return _parse_rubric(data, Path(path).name, Path(path).parent)


def load_rubric(rubric: str | Path | dict | Rubric | None = None) -> Rubric:
    """The rubric: the bundled one (``None``), a JSON file path, a dict in the same shape, or a Rubric."""
    if isinstance(rubric, Rubric):
        return rubric
    if isinstance(rubric, dict):
        return _parse_rubric(rubric, "rubric dict", RUBRIC_FILE.parent)
    return _load_rubric_file(str(Path(rubric).resolve() if rubric is not None else RUBRIC_FILE))


def rubric_table(rubric=None) -> pd.DataFrame:
    """The rubric as a table a trainer can read: component, rule, points, why, phrases (or detector)."""
    rub = load_rubric(rubric)
    return pd.DataFrame([{"component": r.component, "rule": r.id, "points": r.points,
                          "why": r.why + (" (a reply with it cannot pass)" if r.critical else "")
                          + (" (a stock phrase)" if r.stock else ""),
                          "phrases": " | ".join(r.patterns) if r.patterns else f"(built in: {r.detector})"}
                         for r in rub.rules]
                        + [_learned_row(c, rub) for c in rub.components if c.words])


def _learned_row(c: Component, rub: Rubric) -> dict:
    """The table row of a learned component: how many words, and the strongest of them."""
    sign = 1 if c.words == "positive" else -1
    words = sorted(((w, t) for t, w in rub.words if w * sign > 0), key=lambda wt: -abs(wt[0]))
    return {"component": c.id, "rule": "learned_words", "points": float(sign * c.max_points or c.min_points),
            "why": f"{len(words)} learned words and phrases, each worth its own points ({c.min_points:g} to "
                   f"{c.max_points:g} together)",
            "phrases": " | ".join(f"{t} ({w:+g})" for w, t in words[:12]) + (" ..." if len(words) > 12 else "")
            + (f" (from {rub.words_source})" if rub.words_source else "")}

