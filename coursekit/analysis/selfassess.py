"""Self-assessment: how well people's view of their own skill matches the evidence.

Two questions, kept apart on purpose:

* **One person's calibration** (:func:`calibration`): per competency, the self-rating next to the
  measured score, the difference (*bias*) and a verdict.
* **The famous Dunning–Kruger chart** (:func:`dk_quartiles`): people split into quartiles of actual
  skill, mean actual and mean self-estimated percentile per quartile.  Kruger & Dunning (1999) found
  the bottom quartile at the 12th percentile thinking it was at the 62nd.  Most of that picture
  appears in data with *no* Dunning–Kruger effect at all: self-estimates that relate to skill only
  through a modest correlation (regression to the mean) plus a constant better-than-average shift
  (:func:`simulate_null`).  Gignac & Zajenkowski (2020, *Intelligence* 80:101449) proposed two tests
  that the null model does not pass by accident: :func:`glejser_test` (are low scorers' self-views
  *less accurate*?) and :func:`quadratic_test` (does the self-view stop following skill at the low
  end?).

Units: percentiles and scores are **percent 0–100**; self-ratings are whole numbers **1–5**
(behavioural anchors in :data:`ANCHORS`), put on the 0–100 scale as ``(rating − 1) × 25``.

Learners' answers are kept in ``self_assessment.json`` in the module folder (see
:func:`save_answers`); cohort views need at least 5 learners (:func:`cohort_view`) and a supervisor
sees a learner's ratings only when the learner chose to share them (:func:`shared_ratings`).

    >>> from coursekit.data import load
    >>> pre = load("self_assessments").query("phase == 'pre'")
    >>> dk_quartiles(pre["measured_score"], pre["self_percentile"])   # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
import numbers
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from coursekit.errors import DataError
from coursekit.files import write_text

COMPETENCIES = ("product knowledge", "empathy", "problem solving", "call control", "system navigation",
                "listening")
PHASES = ("pre", "post")
RATING_RANGE = (1, 5)
PERCENT_RANGE = (0, 100)
FILENAME = "self_assessment.json"
FORMAT = "coursekit-self-assessment/1"
#: Default width of "well calibrated": one step of the 1–5 scale, in points of 0–100.
TOLERANCE = 25.0

#: What a rating of 1, 3 and 5 looks like (2 and 4 lie between), in words a new hire can answer on day
#: one: from practice, training, an earlier job or everyday life, not from a standing among colleagues.
ANCHORS = {
    "product knowledge": {1: "I would not yet know where to look up a product fact",
                          3: "I can find most product facts quickly when I look them up",
                          5: "I can explain our main products and plans without looking them up"},
    "empathy": {1: "I find it hard to stay patient when someone is upset with me",
                3: "I can name how an upset person feels and stay calm with them",
                5: "I can calm an angry person and they end up feeling heard"},
    "problem solving": {1: "When the usual steps do not work, I would not know what to try",
                        3: "I can find the cause of a simple problem by asking questions",
                        5: "I can work out problems I have not seen before, step by step"},
    "call control": {1: "I find it hard to bring a chatty conversation back on track",
                     3: "I can politely steer most conversations back to the point",
                     5: "I can lead a conversation to its goal without rushing anyone"},
    "system navigation": {1: "New computer systems take me a long time to learn",
                          3: "I learn the main screens of a new system in a few days",
                          5: "I find my way in a new system quickly and talk while I search"},
    "listening": {1: "I often need people to repeat what they said",
                  3: "I catch the main request and check it before I act",
                  5: "I catch what is not said and sum up every need before I act"},
}
LEVELS = {2: "between 1 and 3", 4: "between 3 and 5"}


def anchor(competency: str, rating: int) -> str:
    """The behaviour that goes with a rating (1–5) of a competency."""
    return ANCHORS[competency].get(rating) or LEVELS[rating]


# --------------------------------------------------------------------------- checking answers


def _whole(value, low: int, high: int, what: str, competency: str, how: str) -> int:
    """``value`` as a whole number in [low, high], or a one-line DataError naming the competency."""
    if value is None or (isinstance(value, str) and not value.strip()) or (
            isinstance(value, float) and math.isnan(value)):
        raise DataError(f"{competency}: no {what} given; {how} for every competency")
    number = value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise DataError(f"{competency}: {what} {value!r} is not a number; {how}") from None
    if isinstance(number, bool) or not isinstance(number, numbers.Real) or number != int(number):
        raise DataError(f"{competency}: {what} {value!r} is not a whole number; {how}")
    if not low <= number <= high:
        raise DataError(f"{competency}: {what} {value!r} is outside the allowed range; {how}")
    return int(number)


def _per_competency(values, name: str, competencies=COMPETENCIES) -> dict:
    """A mapping competency → value with exactly the expected competencies, in their order."""
    if isinstance(values, pd.Series):
        values = values.to_dict()
    if not isinstance(values, Mapping):
        raise DataError(f"{name} should map each competency to a value (got {type(values).__name__})")
    unknown = [c for c in values if c not in competencies]
    if unknown:
        raise DataError(f"{name}: unknown competency {unknown[0]!r}; the competencies are: {', '.join(competencies)}")
    return {c: values.get(c) for c in competencies}


def validate_answers(ratings, percentiles) -> dict:
    """Check one self-assessment and return it cleaned: ``{"ratings": {...}, "percentiles": {...}}``.

    ``ratings`` maps each of the six :data:`COMPETENCIES` to a whole number 1–5; ``percentiles`` maps
    each to the learner's own guess, a whole number 0–100 (text such as ``"70"`` is accepted): the
    score out of 100 they expect on the module 05 skills quiz for that competency.  A new hire can
    answer that on day one; a percentile among colleagues they have not met they cannot.  (The key
    keeps its old name, ``percentiles``, so files saved earlier still read.)  The first problem raises :class:`DataError` naming the competency, the value
    and the allowed range; nothing is returned half-checked.

        >>> validate_answers({c: 3 for c in COMPETENCIES}, {c: "50" for c in COMPETENCIES})["percentiles"]["empathy"]
        50
    """
    ratings = _per_competency(ratings, "ratings")
    percentiles = _per_competency(percentiles, "percentiles")
    return {
        "ratings": {c: _whole(v, *RATING_RANGE, "self-rating", c, "choose a whole number from 1 to 5")
                    for c, v in ratings.items()},
        "percentiles": {c: _whole(v, *PERCENT_RANGE, "guessed score", c, "give a whole number from 0 to 100")
                        for c, v in percentiles.items()},
    }


# --------------------------------------------------------------------------- the answers file


def empty_record() -> dict:
    """The content of a new answers file: no phases yet, not shared."""
    return {"format": FORMAT, "share_with_supervisor": False, "updated_at": None, "phases": {}}


def _check_record(record, where: str) -> dict:
    if not isinstance(record, dict) or not isinstance(record.get("phases"), dict):
        raise DataError(f"{where}: not a self-assessment file (no 'phases'); delete it and rate yourself again")
    share = record.get("share_with_supervisor", False)
    if not isinstance(share, bool):
        raise DataError(f"{where}: 'share_with_supervisor' is {share!r}; it must be true or false")
    phases = {}
    for phase, answers in record["phases"].items():
        if phase not in PHASES:
            raise DataError(f"{where}: unknown phase {phase!r}; the phases are 'pre' and 'post'")
        if not isinstance(answers, dict):
            raise DataError(f"{where}: phase {phase!r} holds no answers; rate yourself again")
        try:
            clean = validate_answers(answers.get("ratings", {}), answers.get("percentiles", {}))
        except DataError as exc:
            raise DataError(f"{where}, phase {phase!r}: {exc}") from None
        phases[phase] = {**clean, "saved_at": answers.get("saved_at")}
    return {"format": FORMAT, "share_with_supervisor": share, "updated_at": record.get("updated_at"),
            "phases": phases}


def read_answers(path) -> dict:
    """Read a ``self_assessment.json``; a file that does not exist reads as :func:`empty_record`.

    Every phase in it is checked as in :func:`validate_answers`; a damaged file raises
    :class:`DataError` naming the file.
    """
    path = Path(path)
    if not path.exists():
        return empty_record()
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: cannot be read as a self-assessment file ({type(exc).__name__})") from None
    return _check_record(record, str(path))


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def save_answers(path, phase: str, ratings, percentiles, share: bool = False, earlier: dict | None = None) -> dict:
    """Check one phase's answers and write them to ``path``, keeping the other phase; returns the record.

    The file holds both phases (``pre`` from module 00, ``post`` from module 05), the flag
    ``share_with_supervisor`` and timestamps (UTC).  Phases missing from the file are taken from
    ``earlier`` (a record read from another module's file) when given.  Everything is checked before
    anything is written, and the file is replaced in one step (a temporary file, then ``os.replace``),
    so an invalid answer or a crash leaves the previous file as it was.  An existing file that cannot
    be read is replaced.
    """
    if phase not in PHASES:
        raise DataError(f"unknown phase {phase!r}; use 'pre' (module 00) or 'post' (module 05)")
    if not isinstance(share, bool):
        raise DataError(f"share must be True or False (got {share!r})")
    clean = validate_answers(ratings, percentiles)
    path = Path(path)
    try:
        record = read_answers(path)
    except DataError:
        record = empty_record()
    for other, answers in ((earlier or {}).get("phases") or {}).items():
        record["phases"].setdefault(other, answers)
    now = _now()
    record["phases"][phase] = {**clean, "saved_at": now}
    record.update(share_with_supervisor=share, updated_at=now)
    _check_record(record, str(path))
    text = json.dumps(record, indent=1, ensure_ascii=False)
    write_text(path, text)
    return record


def ratings_table(record: dict) -> pd.DataFrame:
    """A record's answers as a long table: ``phase, competency, self_rating, self_percentile``."""
    rows = [(phase, c, answers["ratings"][c], answers["percentiles"][c])
            for phase, answers in sorted(record["phases"].items(), key=lambda kv: PHASES.index(kv[0]))
            for c in COMPETENCIES]
    return pd.DataFrame(rows, columns=["phase", "competency", "self_rating", "self_percentile"])


# --------------------------------------------------------------------------- privacy


def cohort_view(df: pd.DataFrame, min_group: int = 5, by: str | None = None, learner: str = "agent_id") -> pd.DataFrame:
    """Self-assessments for a cohort view, or :class:`DataError` if a group has fewer than ``min_group``
    learners (counted as distinct ``learner`` ids; per value of ``by`` when given).

    Small groups would let anyone guess whose answers are whose, so a chart or table of several
    people's self-ratings should only be drawn from what this returns.
    """
    if learner not in df.columns:
        raise DataError(f"self-assessments have no column '{learner}' to count learners by")
    if by is not None and by not in df.columns:
        raise DataError(f"cannot group self-assessments by {by!r}: not a column")
    counts = df.groupby(by)[learner].nunique() if by else pd.Series({"the cohort": df[learner].nunique()})
    small = counts[counts < min_group]
    if len(small) or not len(counts):
        name, n = (small.index[0], int(small.iloc[0])) if len(small) else ("the cohort", 0)
        label = f"{by} {name!r}" if by else str(name)
        raise DataError(f"{label} has {n} learner(s); cohort views of self-assessments need at least {min_group} "
                        "(merge small groups or leave them out)")
    return df


def shared_ratings(course_dir) -> pd.DataFrame:
    """The self-assessments learners chose to share with their supervisor.

    Reads ``DIR/submitted/<learner>/<module>/self_assessment.json`` and keeps only files whose
    ``share_with_supervisor`` is true; a learner's phase appears once (from the latest module that
    holds it).  Columns: ``learner_id, module, phase, competency, self_rating, self_percentile,
    saved_at``.  A damaged file is skipped with a warning naming it.
    """
    root = Path(course_dir)
    tables = []
    for path in sorted((root / "submitted").glob(f"*/*/{FILENAME}")):
        try:
            record = read_answers(path)
        except DataError as exc:
            warnings.warn(f"skipped: {exc}", stacklevel=2)
            continue
        if not record["share_with_supervisor"] or not record["phases"]:
            continue
        table = ratings_table(record)
        table.insert(0, "module", path.parent.name)
        table.insert(0, "learner_id", path.parent.parent.name)
        table["saved_at"] = table["phase"].map({p: a["saved_at"] for p, a in record["phases"].items()})
        tables.append(table)
    columns = ["learner_id", "module", "phase", "competency", "self_rating", "self_percentile", "saved_at"]
    if not tables:
        return pd.DataFrame(columns=columns)
    out = pd.concat(tables, ignore_index=True).sort_values(["learner_id", "phase", "module"])
    out = out.drop_duplicates(["learner_id", "phase", "competency"], keep="last")
    return out[columns].sort_values(["learner_id", "phase", "competency"], ignore_index=True)


# --------------------------------------------------------------------------- one learner


def _percent(value, name: str, competency: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value) or not 0 <= value <= 100:
        raise DataError(f"{competency}: {name} {value!r} is not a score from 0 to 100")
    return float(value)


#: Fewest pieces of evidence (e.g. quiz items) behind a measured score before a verdict is given.
MIN_ITEMS = 2


def calibration(self_ratings, actual, scale: str = "rating", tolerance: float = TOLERANCE,
                items=None) -> pd.DataFrame:
    """How well a person's self-view matches the evidence, per competency.

    ``self_ratings`` maps competency → self-rating 1–5 (``scale="rating"``, put on 0–100 as
    ``(rating − 1) × 25``) or → a self-estimate already in percent 0–100 (``scale="percent"``);
    ``actual`` maps the same competencies → measured score 0–100.  Columns:

    ``competency``; ``self`` and ``actual`` (0–100); ``bias`` = self − actual (points; positive means
    the person rates themself higher than the evidence); ``abs_error`` = |bias|; ``verdict``:
    *overconfident* if bias > ``tolerance``, *underconfident* if bias < −``tolerance``, else *well
    calibrated*.  The default tolerance, 25 points, is one step of the 1–5 scale (stored in
    ``table.attrs["tolerance"]``).  ``items`` (competency → number of pieces of evidence, e.g.
    ``quiz_scores(...).attrs["items"]``): a competency measured by fewer than :data:`MIN_ITEMS` gets
    the verdict *too little evidence*, never a label from a single question.

        >>> calibration({"empathy": 5, "listening": 2}, {"empathy": 40, "listening": 30})[["competency", "bias", "verdict"]]
          competency  bias        verdict
        0    empathy  60.0  overconfident
        1  listening  -5.0  well calibrated
    """
    if scale not in ("rating", "percent"):
        raise DataError(f"scale must be 'rating' (1–5) or 'percent' (0–100), not {scale!r}")
    if isinstance(self_ratings, pd.Series):
        self_ratings = self_ratings.to_dict()
    if isinstance(actual, pd.Series):
        actual = actual.to_dict()
    if not isinstance(self_ratings, Mapping) or not isinstance(actual, Mapping) or not self_ratings:
        raise DataError("calibration needs two mappings competency → value (self-ratings and measured scores)")
    for c in actual:
        if c not in self_ratings:
            raise DataError(f"{c}: a measured score but no self-rating; give both for every competency")
    rows = []
    for c, value in self_ratings.items():
        if c not in actual:
            raise DataError(f"{c}: a self-rating but no measured score; give both for every competency")
        if scale == "rating":
            own = (_whole(value, *RATING_RANGE, "self-rating", c, "choose a whole number from 1 to 5") - 1) * 25.0
        else:
            own = _percent(value, "self-estimate", c)
        rows.append((c, own, _percent(actual[c], "measured score", c)))
    table = pd.DataFrame(rows, columns=["competency", "self", "actual"])
    table["bias"] = table["self"] - table["actual"]
    table["abs_error"] = table["bias"].abs()
    table["verdict"] = np.select([table["bias"] > tolerance, table["bias"] < -tolerance],
                                 ["overconfident", "underconfident"], "well calibrated")
    if items is not None:
        counts = table["competency"].map(dict(items)).fillna(0)
        table["items"] = counts.astype(int)
        table.loc[counts < MIN_ITEMS, "verdict"] = "too little evidence"
    table.attrs["tolerance"] = float(tolerance)
    return table


# --------------------------------------------------------------------------- the skills quiz


@dataclass(frozen=True)
class QuizQuestion:
    """One scenario question: its competency and the points (0–100) each answer is worth."""

    number: int
    competency: str
    points: dict

    @property
    def best(self) -> str:
        return max(self.points, key=self.points.get)

    def score(self, answer) -> int:
        """Points for an answer (a letter; case and spaces do not matter)."""
        letter = str(answer).strip().upper() if isinstance(answer, str) else None
        if letter not in self.points:
            raise DataError(f"question {self.number} ({self.competency}): {answer!r} is not one of "
                            f"{', '.join(sorted(self.points))}; answer with one letter")
        return self.points[letter]


#: Where the module 05 skills quiz lives, sealed (``coursekit/keys/skills_quiz.json``): the points each
#: letter earns are stored only as digests, and a notebook being graded cannot read the file at all
#: (:mod:`coursekit.fence`), so its key cannot be read from the library or computed while grading.
QUIZ_FILE = Path(__file__).resolve().parents[1] / "keys" / "skills_quiz.json"


@functools.lru_cache(maxsize=1)
def skills_quiz() -> tuple[QuizQuestion, ...]:
    """The module 05 skills quiz (scenarios in the notebook): the best answer earns 100, a workable
    one 50, the weakest 0."""
    try:
        sealed = json.loads(QUIZ_FILE.read_text())
    except PermissionError:
        raise DataError("the skills quiz is scored only in your own notebook, not while it is graded") from None
    except (OSError, ValueError) as exc:
        raise DataError(f"{QUIZ_FILE}: the skills quiz cannot be read ({exc})") from None
    questions = []
    for q in sealed["questions"]:
        points = {}
        for letter, digest in q["points"].items():
            for level in sealed["levels"]:
                if hashlib.sha256(f"coursekit-quiz|{q['number']}|{letter}|{level}".encode()).hexdigest() == digest:
                    points[letter] = level
        questions.append(QuizQuestion(q["number"], q["competency"], points))
    return tuple(questions)


def __getattr__(name):
    if name == "SKILLS_QUIZ":
        return skills_quiz()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def quiz_scores(answers, quiz=None) -> pd.Series:
    """Measured score (0–100) per competency from the quiz answers, given in question order.

    Each question's answer earns its points (:class:`QuizQuestion`); a competency's score is the mean
    over its questions, and ``result.attrs["items"]`` says how many questions that is (for
    :func:`calibration`).

        >>> len(quiz_scores(["A"] * 6))
        6
    """
    quiz = skills_quiz() if quiz is None else quiz
    answers = list(answers)
    if len(answers) != len(quiz):
        raise DataError(f"the quiz has {len(quiz)} questions; give {len(quiz)} answers in order (got {len(answers)})")
    points = pd.DataFrame({"competency": [q.competency for q in quiz],
                           "points": [q.score(a) for q, a in zip(quiz, answers)]})
    order = list(dict.fromkeys(q.competency for q in quiz))
    scores = points.groupby("competency")["points"].mean().astype(float).reindex(order).rename("measured_score")
    scores.attrs["items"] = points["competency"].value_counts().reindex(order).astype(int).to_dict()
    return scores


def best_answers(answers, quiz=None) -> int:
    """How many of the quiz answers (in question order) are the best response, e.g. 8 (of 12).

        >>> best_answers(["A"] * 12) <= 12
        True
    """
    quiz = skills_quiz() if quiz is None else quiz
    answers = list(answers)
    if len(answers) != len(quiz):
        raise DataError(f"the quiz has {len(quiz)} questions; give {len(quiz)} answers in order (got {len(answers)})")
    return sum(q.score(a) == max(q.points.values()) for q, a in zip(quiz, answers))


# --------------------------------------------------------------------------- the Kruger–Dunning chart


def _numbers(values, name: str, percent: bool = False) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise DataError(f"{name}: every value must be a number") from None
    bad = np.isnan(array)
    if percent:
        bad |= (array < 0) | (array > 100)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        what = "is missing" if np.isnan(array[i]) else "is not a percentile from 0 to 100"
        raise DataError(f"{name}: value {i + 1} ({array[i]:g}) {what}; remove or fix that row")
    return array


def _pair(actual, perceived, at_least: int) -> tuple[np.ndarray, np.ndarray]:
    a = _numbers(actual, "actual")
    p = _numbers(perceived, "perceived", percent=True)
    if len(a) != len(p):
        raise DataError(f"actual has {len(a)} values but perceived has {len(p)}; give one of each per person")
    if len(a) < at_least:
        raise DataError(f"{len(a)} people are too few; this needs at least {at_least}")
    return a, p


def percentile_rank(values) -> np.ndarray:
    """Percentile of each value among all of them, percent 0–100: 100 × (rank − ½) ÷ n, ties sharing
    their average rank.  ``percentile_rank([10, 20, 30, 40])`` → 12.5, 37.5, 62.5, 87.5."""
    values = _numbers(values, "values")
    return 100 * (stats.rankdata(values) - 0.5) / len(values)


QUARTILE_LABELS = {1: "bottom quarter", 2: "second quarter", 3: "third quarter", 4: "top quarter"}


def per_agent(df: pd.DataFrame, learner: str = "agent_id") -> pd.DataFrame:
    """One row per person: the mean ``measured_score`` and mean ``self_percentile`` over their
    competencies (a table with one row per person × competency, as ``load("self_assessments")`` for
    one phase).  :func:`dk_quartiles` and the tests below treat rows as independent people, so give
    them this, not the six rows of each person.

        >>> t = pd.DataFrame({"agent_id": ["A", "A", "B"], "measured_score": [40, 60, 70], "self_percentile": [50, 70, 60]})
        >>> per_agent(t).to_dict("list")
        {'agent_id': ['A', 'B'], 'measured_score': [50.0, 70.0], 'self_percentile': [60.0, 60.0]}
    """
    need = [learner, "measured_score", "self_percentile"]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise DataError(f"self-assessments have no column {missing[0]!r}; per_agent needs {', '.join(need)}")
    if df.groupby(learner)["measured_score"].size().max() > len(COMPETENCIES):
        raise DataError("more rows per person than competencies: keep one phase first, e.g. df[df['phase'] == 'pre']")
    return (df.groupby(learner, sort=True)[["measured_score", "self_percentile"]].mean().astype(float)
            .reset_index())


def dk_quartiles(actual, perceived) -> pd.DataFrame:
    """The Kruger–Dunning table: people in four quartiles of actual skill, with the mean actual and the
    mean self-estimated (perceived) percentile of each.

    ``actual``: measured skill on any scale (turned into percentiles with :func:`percentile_rank`);
    ``perceived``: each person's estimate of their own percentile, 0–100.  Quartile q (1 = lowest)
    holds the people whose actual percentile lies in [25(q−1), 25q); tied scores stay together.
    Index ``quartile`` 1–4; columns ``label``, ``n``, ``actual_mean``, ``perceived_mean`` (percent).

    Kruger & Dunning (1999, Study 1): bottom quartile actual 12, perceived 62.  With self-estimates
    unrelated to skill (r = 0) every perceived mean is about 50, so the bottom "overestimates" by
    ~38 points with no psychology involved (see :func:`simulate_null`).

        >>> dk_quartiles([10, 20, 30, 40], [60, 55, 70, 65])["perceived_mean"].tolist()
        [60.0, 55.0, 70.0, 65.0]
    """
    a, p = _pair(actual, perceived, at_least=4)
    pct = percentile_rank(a)
    quartile = np.minimum(pct // 25, 3).astype(int) + 1
    table = (pd.DataFrame({"quartile": quartile, "actual": pct, "perceived": p})
             .groupby("quartile").agg(n=("actual", "size"), actual_mean=("actual", "mean"),
                                      perceived_mean=("perceived", "mean")))
    if len(table) < 4:
        empty = sorted(set(QUARTILE_LABELS) - set(table.index))[0]
        raise DataError(f"actual: too many tied scores to fill four quartiles (the {QUARTILE_LABELS[empty]} is "
                        "empty); use a measure that separates people more finely")
    table.insert(0, "label", [QUARTILE_LABELS[q] for q in table.index])
    return table


def simulate_null(n: int, r: float, bias: float = 0.0, seed: int | None = None) -> pd.DataFrame:
    """People whose self-estimates relate to skill *only* through a correlation ``r`` plus a constant
    better-than-average shift ``bias`` (percentile points): no Dunning–Kruger effect by construction.

    z_actual ~ N(0, 1); z_perceived = r·z_actual + √(1 − r²)·e with e ~ N(0, 1) independent;
    ``actual`` = 100·Φ(z_actual); ``perceived`` = 100·Φ(z_perceived) + bias, kept within 0–100.
    Everyone's self-view is equally (in)accurate, yet :func:`dk_quartiles` shows the famous chart:
    E[z_perceived | quartile] = r × E[z_actual | quartile] (−1.27, −0.32, 0.32, 1.27 times r), so
    with r = 0.5 the perceived means are about 32, 45, 55 and 68 (+ bias).

        >>> simulate_null(3, r=0.5, seed=1).columns.tolist()
        ['actual', 'perceived']
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise DataError(f"n must be a whole number of people, at least 1 (got {n!r})")
    if not isinstance(r, numbers.Real) or not -1 <= r <= 1:
        raise DataError(f"r is a correlation and must lie between -1 and 1 (got {r!r})")
    if not isinstance(bias, numbers.Real) or not -100 <= bias <= 100:
        raise DataError(f"bias is a shift in percentile points between -100 and 100 (got {bias!r})")
    rng = np.random.default_rng(seed)
    z_actual = rng.standard_normal(n)
    z_perceived = r * z_actual + math.sqrt(1 - r * r) * rng.standard_normal(n)
    return pd.DataFrame({"actual": 100 * stats.norm.cdf(z_actual),
                         "perceived": np.clip(100 * stats.norm.cdf(z_perceived) + bias, 0, 100)})


def null_parameters(actual, perceived) -> pd.Series:
    """The two numbers a null model needs, read from real data: ``r``, the correlation between actual
    percentile (:func:`percentile_rank`) and perceived percentile, and ``bias`` = mean perceived − 50
    (percentile points; the better-than-average shift)."""
    a, p = _pair(actual, perceived, at_least=3)
    return pd.Series({"r": float(np.corrcoef(percentile_rank(a), p)[0, 1]), "bias": float(p.mean() - 50)})


# --------------------------------------------------------------------------- tests after Gignac & Zajenkowski


def glejser_test(actual, perceived, alpha: float = 0.05) -> pd.Series:
    """Are low scorers' self-views less accurate?  Glejser's test of heteroscedasticity.

    1. Regress perceived on actual (least squares): residual eᵢ = perceivedᵢ − (a + b·actualᵢ).
    2. Regress |eᵢ| on actualᵢ.  The Dunning–Kruger hypothesis predicts a **negative** slope (the
       less skilled, the larger the misjudgement); regression to the mean alone gives a slope near 0.

    Returns ``slope`` (points of |error| per unit of actual), ``intercept``, ``p_value`` (two-sided
    t test of the slope, n − 2 degrees of freedom), ``n`` and ``significant`` (p < alpha).
    Gignac & Zajenkowski (2020) found no significant slope for self-assessed intelligence (N = 929).
    A ceiling (self-estimates piling up at 100) can produce a negative slope by itself.
    """
    a, p = _pair(actual, perceived, at_least=4)
    first = stats.linregress(a, p)
    residual = np.abs(p - (first.intercept + first.slope * a))
    second = stats.linregress(a, residual)
    return pd.Series({"slope": float(second.slope), "intercept": float(second.intercept),
                      "p_value": float(second.pvalue), "n": len(a), "significant": bool(second.pvalue < alpha)},
                     name="Glejser test")


def quadratic_test(actual, perceived, alpha: float = 0.05) -> pd.Series:
    """Does the self-view follow skill in a straight line?  perceived = b₀ + b₁·actual + b₂·actual².

    Least squares (``actual`` centred first, which leaves b₂ unchanged); ``coef`` = b₂ with its
    t test: t = b₂ ÷ se(b₂), se² = s²·[(XᵀX)⁻¹]₂₂, s² = residual sum of squares ÷ (n − 3), two-sided
    ``p_value`` from Student's t with n − 3 degrees of freedom.  A Dunning–Kruger effect bends the line
    (self-views stop falling with skill at the low end: b₂ > 0); regression to the mean alone keeps it
    straight.  ``r2_change`` is the share of variance (0–1) the squared term adds; Gignac &
    Zajenkowski (2020) suggest 0.02–0.04 as the least that matters in practice.  Also ``n`` and
    ``significant`` (p < alpha).
    """
    a, p = _pair(actual, perceived, at_least=5)
    x = a - a.mean()
    design = np.column_stack([np.ones_like(x), x, x * x])
    coef, *_ = np.linalg.lstsq(design, p, rcond=None)
    residual = p - design @ coef
    dof = len(a) - 3
    s2 = residual @ residual / dof
    se = math.sqrt(s2 * np.linalg.pinv(design.T @ design)[2, 2])
    if se == 0:
        p_value = 0.0 if coef[2] else 1.0
    else:
        p_value = float(2 * stats.t.sf(abs(coef[2] / se), dof))
    total = ((p - p.mean()) ** 2).sum()
    linear = stats.linregress(a, p)
    r2_linear = linear.rvalue ** 2 if total else 0.0
    r2_quadratic = 1 - (residual @ residual) / total if total else 0.0
    return pd.Series({"coef": float(coef[2]), "p_value": p_value, "r2_change": float(r2_quadratic - r2_linear),
                      "n": len(a), "significant": bool(p_value < alpha)}, name="quadratic test")
