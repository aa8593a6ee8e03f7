"""A coaching plan (module 07) in two honest parts.

**Practice**: the imaginary agent the learner played in the course (``agent_id``) and that agent's two
gaps to close first (module 04's method; quality, resolution and customer outcome only).  It is
practice in reading evidence about someone else, not a record of the learner.

**Personal**: built only from the learner's own work in the course: the interaction score of a reply
they wrote (as in module 01), their own module 05 self-ratings (read from the file module 05's form
saved, never mixed with the imaginary agent's scores), their module 05 quiz result and the weakest
area they guessed for themselves in module 04 (as they typed them), what that evidence shows them,
two focus areas with a measurable target and a date each, the support asked of the coach, what
motivates them, the three mission questions and goals shared with other departments.

It exports as a one-page HTML document (printable, self-contained) and as Markdown::

    plan = CoachingPlan.from_namespace(globals())     # in the notebook: reads the answers by name
    plan.export("my-coaching-plan")                   # coaching-plan.md and coaching-plan.html

    plan = plan_from_notebook("07-coaching-plan.ipynb")   # a handed-in notebook, run again

Nothing is required: a part the learner has not answered (a missing name, an empty text, the
exercise's placeholder) is flagged **not completed** in the document, and a target without a number
or a date that is not a date is flagged too, so a half-finished plan still exports.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from coursekit.errors import CourseError, DataError
from coursekit.files import write_text
from coursekit.pages import render_page
from coursekit.palette import WARN, WARN_BACKGROUND

NOT_COMPLETED = "not completed"

#: what each part of the plan is, said on the page itself
PRACTICE_NOTE = ("Practice in reading evidence about someone else: these are the course's imaginary data, "
                 "not my results.")
EVIDENCE_NOTE = "Only my own work in the course: what I wrote, scored and rated myself."

#: plan field -> the name of the learner's answer in the notebook
ANSWER_NAMES = {
    "learner": "my_name",
    "agent_id": "my_agent",
    "coach": "my_coach",
    "interaction_score": "my_interaction_score",
    "gap_priorities": "my_gap_priorities",
    "self_ratings": "my_self_ratings",
    "quiz_result": "my_quiz_result",
    "weakest_guess": "my_weakest_guess",
    "evidence": "my_evidence",
    "focus_areas": "focus_areas",
    "coach_support": "coach_support",
    "motivation": "motivation",
    "mission": "mission",
    "mission_in_my_words": "mission_in_my_words",
    "my_contribution": "my_contribution",
    "shared_goals": "shared_goals",
}

#: words that mean "I have not written this yet"
PLACEHOLDERS = {"", "...", "…", "todo", "tbd", "write your answer here", "your answer here", "none", "n/a"}
FOCUS_AREAS = 2


def answer_text(value: Any) -> str:
    """A learner's answer as clean text (spaces tidied); '' when unanswered or a placeholder
    ("...", "TODO", "Write your answer here").

        >>> answer_text("  Write your answer here "), answer_text("Fix it   first")
        ('', 'Fix it first')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = " ".join(str(value).split())
    return "" if text.lower().strip(" .") in PLACEHOLDERS or text in PLACEHOLDERS else text


def _texts(value: Any) -> list[str]:
    """A list of answers (a single text counts as one); empty items dropped."""
    if value is None:
        return []
    if isinstance(value, str):
        items = [value]
    else:
        try:
            items = list(value)
        except TypeError:
            items = [value]
    return [t for t in (answer_text(v) for v in items) if t]


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = answer_text(value)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%B %d, %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


#: other words learners use for a part of an answer
SYNONYMS = {"date": "by", "when": "by", "deadline": "by", "dept": "department", "team": "department"}


def _parts(value: Any, kind: type, keys: tuple[str, ...]) -> list | None:
    """The raw values of ``keys`` in an answer given as a ``kind``, a dict (keys in any case, or a
    synonym) or a sequence in that order; None for anything else."""
    if isinstance(value, kind):
        value = asdict(value)
    if isinstance(value, dict):
        named = {SYNONYMS.get(str(k).strip().lower(), str(k).strip().lower()): v for k, v in value.items()}
        return [named.get(k) for k in keys]
    if isinstance(value, (list, tuple)) and len(value) == len(keys):
        return list(value)
    return None


@dataclass
class FocusArea:
    """One thing to get better at: what, a measurable target, and by when."""

    area: str = ""
    target: str = ""
    by: str = ""

    @classmethod
    def from_answer(cls, value: Any) -> "FocusArea":
        """From a dict ``{"area", "target", "by"}`` (or a sequence in that order); anything else is empty."""
        parts = _parts(value, cls, ("area", "target", "by"))
        if parts is None:
            return cls()
        area, target, by = parts
        when = _date(by)
        return cls(answer_text(area), answer_text(target), when.isoformat() if when else answer_text(by))

    def problems(self, after: str | None = None) -> list[str]:
        """What is missing or needs attention, in words (empty when the focus area is complete).
        ``after``: the plan's date (ISO); a target date before it is flagged."""
        found = [f"{part}: {NOT_COMPLETED}" for part, value in
                 (("focus area", self.area), ("target", self.target), ("date", self.by)) if not value]
        if self.target and not re.search(r"\d", self.target):
            found.append("target has no number: how will you and your coach measure it?")
        when = _date(self.by)
        if self.by and when is None:
            found.append(f"date {self.by!r} is not a date: write it as 2026-06-30")
        elif when and after and when.isoformat() < after:
            found.append(f"date {self.by} is before the plan's date ({after}): choose a date ahead")
        return found


@dataclass
class SharedGoal:
    """A goal shared with another department."""

    department: str = ""
    goal: str = ""

    @classmethod
    def from_answer(cls, value: Any) -> "SharedGoal":
        """From a dict ``{"department", "goal"}`` or a pair; a plain text is a goal without a department."""
        parts = _parts(value, cls, ("department", "goal"))
        department, goal = parts if parts is not None else ("", value)
        return cls(answer_text(department), answer_text(goal))


@dataclass
class CoachingPlan:
    """A learner's plan: practice on the agent played, then the personal part (every field
    optional; see :meth:`missing`).

    Practice: ``agent_id`` and ``gap_priorities`` (the agent's gaps to close first; None = not
    answered, [] = none).  Personal evidence: ``interaction_score`` (the learner's own reply, 0–100),
    ``self_ratings`` (the learner's own module 05 ratings, competency -> 1–5; None or {} when not
    saved), ``quiz_result`` and ``weakest_guess`` (as the learner typed them), ``evidence`` (what it
    shows them, in words).  ``date`` is the plan's date (ISO, today by default).
    """

    learner: str = ""
    agent_id: str = ""
    coach: str = ""
    date: str = ""
    interaction_score: float | None = None
    gap_priorities: list[str] | None = None
    self_ratings: dict | None = None
    quiz_result: str = ""
    weakest_guess: str = ""
    evidence: str = ""
    focus_areas: list[FocusArea] = field(default_factory=list)
    coach_support: str = ""
    motivation: str = ""
    mission: str = ""
    mission_in_my_words: str = ""
    my_contribution: str = ""
    shared_goals: list[SharedGoal] = field(default_factory=list)

    def __post_init__(self):
        for name in ("learner", "agent_id", "coach", "coach_support", "motivation", "mission",
                     "mission_in_my_words", "my_contribution", "quiz_result", "weakest_guess", "evidence"):
            setattr(self, name, answer_text(getattr(self, name)))
        self.date = (_date(self.date) or dt.date.today()).isoformat()
        self.interaction_score = _score(self.interaction_score)
        self.gap_priorities = None if self.gap_priorities is None else _texts(self.gap_priorities)
        self.self_ratings = _ratings(self.self_ratings)
        areas = self.focus_areas if isinstance(self.focus_areas, (list, tuple)) else [self.focus_areas]
        self.focus_areas = [FocusArea.from_answer(a) for a in areas if a is not None]
        goals = self.shared_goals if isinstance(self.shared_goals, (list, tuple)) else [self.shared_goals]
        self.shared_goals = [g for g in (SharedGoal.from_answer(x) for x in goals if x is not None) if g.goal]

    # ------------------------------------------------------------------ building

    @classmethod
    def from_namespace(cls, namespace: dict, **overrides) -> "CoachingPlan":
        """Read the learner's answers by name (:data:`ANSWER_NAMES`) from a notebook's ``globals()``;
        names that are not there stay empty.  ``overrides`` set fields directly."""
        values = {fld: namespace.get(name) for fld, name in ANSWER_NAMES.items()}
        values = {k: v for k, v in values.items() if v is not None}
        return cls(**{**values, **overrides})

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "CoachingPlan":
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    # ------------------------------------------------------------------ what is missing

    def missing(self) -> list[str]:
        """The parts not completed yet, in the order of the document (empty when complete)."""
        parts = [("your name", self.learner), ("the agent you play", self.agent_id), ("your coach", self.coach),
                 ("practice: the agent's gap priorities", self.gap_priorities is not None),
                 ("your reply's interaction score", self.interaction_score is not None),
                 ("your module 05 quiz result", self.quiz_result),
                 ("your module 04 guess of your own weakest area", self.weakest_guess),
                 ("what your evidence shows you", self.evidence)]
        gone = [label for label, value in parts if not value]
        for i in range(FOCUS_AREAS):
            area = self.focus_areas[i] if i < len(self.focus_areas) else FocusArea()
            if area.problems():  # a date already past is a note in the document, not a missing part
                gone.append(f"focus area {i + 1}")
        for label, value in (("support asked of your coach", self.coach_support),
                             ("what motivates you", self.motivation),
                             ("the mission", self.mission), ("the mission in your own words", self.mission_in_my_words),
                             ("how you contribute", self.my_contribution), ("shared goals", self.shared_goals)):
            if not value:
                gone.append(label)
        return gone

    @property
    def complete(self) -> bool:
        return not self.missing()

    # ------------------------------------------------------------------ documents

    def _areas(self) -> list[FocusArea]:
        return (self.focus_areas + [FocusArea()] * FOCUS_AREAS)[:max(FOCUS_AREAS, len(self.focus_areas))]

    def _practice(self) -> list[tuple[str, str]]:
        gaps = _listed(self.gap_priorities, "none: at or above the benchmark on every gap")
        return [("The agent's two gaps to close first (quality, resolution, customer outcome)", gaps)]

    def _evidence(self) -> list[tuple[str, str]]:
        score = f"{self.interaction_score:.0f} / 100" if self.interaction_score is not None else ""
        ratings = (", ".join(f"{c} {r}" for c, r in self.self_ratings.items()) if self.self_ratings
                   else "not saved in module 05")
        return [("Interaction score of a reply I wrote", score), ("My self-ratings in module 05 (1-5)", ratings),
                ("My module 05 quiz result", self.quiz_result),
                ("The area I guessed as my own weakest in module 04", self.weakest_guess),
                ("What my evidence shows me", self.evidence)]

    def _mission(self) -> list[tuple[str, str]]:
        return [("What is the mission?", self.mission),
                ("What does it mean, in my own words?", self.mission_in_my_words),
                ("How do I contribute to it?", self.my_contribution)]

    def _heading(self) -> list[tuple[str, str]]:
        return [("Agent played in the course", self.agent_id), ("Coach", self.coach), ("Date", self.date)]

    def to_markdown(self) -> str:
        """The plan as Markdown (text escaped so an answer cannot break the layout)."""
        md = _MarkdownText
        lines = [f"# Coaching plan: {md.cell(self.learner)}", ""]
        lines.append(" · ".join(f"**{k}:** {md.cell(v)}" for k, v in self._heading()))
        lines.append("")
        gone = self.missing()
        if gone:
            lines += [f"> **Not completed yet:** {md.text(', '.join(gone))}.", ""]
        lines += [f"## Practice: agent {md.cell(self.agent_id)}, the imaginary agent I played", "", f"*{md.text(PRACTICE_NOTE)}*", ""]
        lines += [f"- **{k}:** {md.cell(v)}" for k, v in self._practice()]
        lines += ["", "## My own evidence", "", f"*{md.text(EVIDENCE_NOTE)}*", ""]
        lines += [f"- **{k}:** {md.cell(v)}" for k, v in self._evidence()]
        lines += ["", "## My two focus areas", "", "| # | focus area | measurable target | by |", "|---|---|---|---|"]
        notes = []
        for i, area in enumerate(self._areas(), 1):
            lines.append(f"| {i} | {md.cell(area.area)} | {md.cell(area.target)} | {md.cell(area.by)} |")
            notes += [f"- Focus area {i}: {md.text(p)}" for p in area.problems(self.date) if NOT_COMPLETED not in p]
        if notes:
            lines += ["", *notes]
        lines += ["", "## Support I ask of my coach", "", md.cell(self.coach_support),
                  "", "## What motivates me", "", md.cell(self.motivation), "", "## Our mission", ""]
        lines += [f"- **{q}** {md.cell(a)}" for q, a in self._mission()]
        lines += ["", "## Goals shared with other departments", ""]
        if self.shared_goals:
            lines += ["| department | shared goal |", "|---|---|"]
            lines += [f"| {md.cell(g.department)} | {md.cell(g.goal)} |" for g in self.shared_goals]
        else:
            lines.append(md.cell(""))
        lines += ["", "---", "", "Learner: ____________________  Coach: ____________________  "
                  "Talked through on: ____________", ""]
        return "\n".join(lines)

    def to_html(self) -> str:
        """The plan as one self-contained, printable HTML page (A4; all text escaped)."""
        areas = [{"area": a.area, "target": a.target, "by": a.by,
                  "notes": [p for p in a.problems(self.date) if NOT_COMPLETED not in p]} for a in self._areas()]
        return render_page("plan.html.j2", learner=self.learner, heading=self._heading(), missing=self.missing(),
                           agent=self.agent_id, practice=self._practice(), practice_note=PRACTICE_NOTE,
                           evidence=self._evidence(), evidence_note=EVIDENCE_NOTE, areas=areas, coach_support=self.coach_support,
                           motivation=self.motivation, mission=self._mission(), shared_goals=self.shared_goals,
                           not_completed=NOT_COMPLETED)

    def export(self, folder, name: str = "coaching-plan") -> dict[str, Path]:
        """Write ``NAME.md`` and ``NAME.html`` into ``folder`` (made if needed).  Both are written to
        temporary files first and then moved into place, so a reader never sees half a plan."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        documents = {"markdown": (out / f"{name}.md", self.to_markdown()),
                     "html": (out / f"{name}.html", self.to_html())}
        for path, text in documents.values():
            write_text(path, text)
        return {kind: path for kind, (path, _) in documents.items()}

    def _repr_html_(self) -> str:
        """The page's content for a notebook cell (without the page's style sheet, which would restyle
        the whole notebook): unanswered parts keep their colour inline."""
        page = self.to_html()
        body = page[page.index("<h1>"):page.index("</body>")]
        for cls, style in (("todo", f"color:{WARN};font-style:italic"), ("note", f"color:{WARN}"),
                           ("todo-box", f"border-left:4px solid {WARN};padding:3px 8px;background:{WARN_BACKGROUND}")):
            body = body.replace(f'class="{cls}"', f'style="{style}"')
        return f'<div class="coursekit-plan">{body}</div>'

    def __str__(self) -> str:
        return self.to_markdown()


def _listed(items: list[str] | None, none: str) -> str:
    """Items as text; ``none`` for an empty list, '' (not completed) for None."""
    if items is None:
        return ""
    return ", ".join(items) if items else none


def _ratings(value: Any) -> dict | None:
    """Self-ratings as {competency: whole number 1-5}; None when not given, {} when none is valid."""
    if value is None:
        return None
    if isinstance(value, pd.Series):
        value = value.to_dict()
    if not isinstance(value, dict):
        return {}
    clean = {}
    for competency, rating in value.items():
        number = _score(rating)
        if number is not None and 1 <= number <= 5:
            clean[str(competency)] = int(number)
    return clean


def _score(value: Any) -> float | None:
    total = getattr(value, "total", value)
    try:
        number = float(total)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


class _MarkdownText:
    @staticmethod
    def text(value: str) -> str:
        return html.escape(value, quote=False).replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")

    @classmethod
    def cell(cls, value: str) -> str:
        return cls.text(value) if value else f"*{NOT_COMPLETED}*"


# --------------------------------------------------------------------------- module 05's answers

#: where module 07 finds the learner's own self-assessment (saved by module 05's form)
SAVED_SELF_ASSESSMENT = Path("..") / "05-self-assessment" / "self_assessment.json"


def own_self_ratings(saved=SAVED_SELF_ASSESSMENT) -> pd.Series:
    """The learner's **own** self-ratings (1–5) from module 05's saved file, one per competency (the
    index), from the "post" phase (else "pre"); an empty Series when there is no saved file or it
    holds no answers.  Never the imaginary agent's ratings or scores: the plan's personal part uses
    only the learner's own evidence.  Where they came from is in ``result.attrs["source"]``.
    """
    from coursekit.analysis.selfassess import read_answers

    path = Path(saved) if saved else None
    empty = pd.Series(dtype=int, name="self_rating")
    try:
        found = path is not None and path.exists()
    except OSError:  # a folder this kernel may not look into (the grading fence): as if nothing was saved
        found = False
    if not found:
        empty.attrs["source"] = "no ratings saved: rate yourself with the form in module 05 and press Save"
        return empty
    try:
        phases = read_answers(path)["phases"]
    except (DataError, OSError) as exc:
        empty.attrs["source"] = f"your saved file could not be read ({exc})"
        return empty
    phase = next((p for p in ("post", "pre") if p in phases), None)
    if phase is None:
        empty.attrs["source"] = "your saved file holds no ratings yet: press Save in module 05"
        return empty
    ratings = pd.Series(phases[phase]["ratings"], dtype=int, name="self_rating").rename_axis("competency")
    ratings.attrs["source"] = f"your own ratings saved in module 05 ({'after' if phase == 'post' else 'before'} the course)"
    return ratings


# --------------------------------------------------------------------------- from a notebook

_MARK = "COURSEKIT-PLAN:"


def plan_from_notebook(path, timeout: int = 120) -> CoachingPlan:
    """The plan in a learner's notebook: the notebook is run again, top to bottom, in its own folder
    (so ``../05-self-assessment`` is found as the learner found it; the notebook's own export cell
    writes its files again), cells that fail are passed over, and the answers are read by name.

    Unanswered exercises simply leave their part "not completed".  A notebook that cannot be read or
    run at all (not a notebook, a cell running longer than ``timeout`` seconds) is a CourseError.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    path = Path(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise CourseError(f"{path}: notebook not found") from None
    except Exception as exc:  # nbformat raises several kinds for a damaged file
        raise CourseError(f"{path}: not a readable notebook ({type(exc).__name__}); ask for the file again") from None
    nb.cells.append(nbformat.v4.new_code_cell(
        "import json as _json\nfrom coursekit.plan import CoachingPlan as _Plan\n"
        f"print({_MARK!r} + _json.dumps(_Plan.from_namespace(globals()).to_dict(), default=str))"))
    client = NotebookClient(nb, timeout=timeout, allow_errors=True, kernel_name="python3",
                            resources={"metadata": {"path": str(path.resolve().parent)}})
    try:
        client.execute()
    except (CellTimeoutError, DeadKernelError) as exc:
        raise CourseError(f"{path}: could not be run to read the plan ({type(exc).__name__}); "
                          "open it, fix the cell that hangs or crashes, and try again") from None
    for output in nb.cells[-1].get("outputs", []):
        for line in output.get("text", "").splitlines():
            if line.startswith(_MARK):
                return CoachingPlan.from_dict(json.loads(line[len(_MARK):]))
    raise CourseError(f"{path}: the plan could not be read after running the notebook; "
                      "check that it imports coursekit")


# --------------------------------------------------------------------------- the plan's forms

#: the file module 07's forms save into, in the notebook's folder (handed in with the notebook)
PLAN_ANSWERS = "coaching_plan_answers.json"

#: each list answer a form fills in -> the fields of one row, in order
LIST_ANSWERS = {"focus_areas": ("area", "target", "by"), "shared_goals": ("department", "goal")}


def read_plan_answers(path) -> dict[str, list[dict]]:
    """The lists saved by module 07's forms: ``{"focus_areas": [...], "shared_goals": [...]}``, each a
    list of plain dicts (the same shape a learner types).  A missing file gives empty lists; a damaged
    one is a DataError naming the file."""
    path = Path(path)
    empty = {name: [] for name in LIST_ANSWERS}
    if not path.exists():
        return empty
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path.name}: cannot be read ({type(exc).__name__}); delete it and fill in the form again") from None
    if not isinstance(data, dict):
        raise DataError(f"{path.name}: not a coaching-plan answers file; delete it and fill in the form again")
    for name, fields in LIST_ANSWERS.items():
        rows = data.get(name) or []
        empty[name] = [{f: answer_text(row.get(f)) for f in fields} for row in rows if isinstance(row, dict)]
    return empty


def save_plan_answers(path, name: str, rows) -> list[dict]:
    """Save one list answer (``name`` in :data:`LIST_ANSWERS`) in the answers file, keeping the other;
    rows with every field empty are dropped.  Returns the rows saved, as plain dicts."""
    if name not in LIST_ANSWERS:
        raise DataError(f"unknown plan answer {name!r}; the forms fill in {', '.join(LIST_ANSWERS)}")
    fields = LIST_ANSWERS[name]
    clean = [{f: answer_text((row or {}).get(f)) for f in fields} for row in rows]
    clean = [row for row in clean if any(row.values())]
    path = Path(path)
    try:
        data = read_plan_answers(path)
    except DataError:
        data = {n: [] for n in LIST_ANSWERS}
    data[name] = clean
    write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return clean
