"""A personal coaching plan (module 07): where I am now, two focus areas, what I ask of my coach.

A :class:`CoachingPlan` holds the learner's results from modules 01, 04 and 05, two focus areas with a
measurable target and a date each, the support asked of the coach, what motivates the learner, the
three mission questions and goals shared with other departments.  It exports as a one-page HTML
document (printable, self-contained) and as Markdown, for the supervisor to file::

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

#: plan field -> the name of the learner's answer in the notebook
ANSWER_NAMES = {
    "learner": "my_name",
    "agent_id": "my_agent",
    "coach": "my_coach",
    "interaction_score": "my_interaction_score",
    "gap_priorities": "my_gap_priorities",
    "blind_spots": "my_blind_spots",
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
    """A learner's personal development plan (every field optional; see :meth:`missing`).

    Results of earlier modules: ``interaction_score`` (module 01, 0–100), ``gap_priorities``
    (module 04, metrics to work on first), ``blind_spots`` (module 05, competencies where the learner
    rates themselves above the evidence).  For these two lists None means "not answered" and an empty
    list means "none".  ``date`` is the plan's date (ISO, today by default).
    """

    learner: str = ""
    agent_id: str = ""
    coach: str = ""
    date: str = ""
    interaction_score: float | None = None
    gap_priorities: list[str] | None = None
    blind_spots: list[str] | None = None
    focus_areas: list[FocusArea] = field(default_factory=list)
    coach_support: str = ""
    motivation: str = ""
    mission: str = ""
    mission_in_my_words: str = ""
    my_contribution: str = ""
    shared_goals: list[SharedGoal] = field(default_factory=list)

    def __post_init__(self):
        for name in ("learner", "agent_id", "coach", "coach_support", "motivation", "mission",
                     "mission_in_my_words", "my_contribution"):
            setattr(self, name, answer_text(getattr(self, name)))
        self.date = (_date(self.date) or dt.date.today()).isoformat()
        self.interaction_score = _score(self.interaction_score)
        for name in ("gap_priorities", "blind_spots"):
            value = getattr(self, name)
            setattr(self, name, None if value is None else _texts(value))
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
                 ("interaction score (module 01)", self.interaction_score is not None),
                 ("gap priorities (module 04)", self.gap_priorities is not None),
                 ("self-assessment blind spots (module 05)", self.blind_spots is not None)]
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

    def _results(self) -> list[tuple[str, str]]:
        score = f"{self.interaction_score:.0f} / 100" if self.interaction_score is not None else ""
        gaps = _listed(self.gap_priorities, "none: at or above the benchmark on every metric")
        spots = _listed(self.blind_spots, "none: my self-ratings match the evidence")
        return [("Interaction score (module 01)", score), ("Gaps to close first (module 04)", gaps),
                ("Blind spots: where I rate myself above the evidence (module 05)", spots)]

    def _mission(self) -> list[tuple[str, str]]:
        return [("What is the mission?", self.mission),
                ("What does it mean, in my own words?", self.mission_in_my_words),
                ("How do I contribute to it?", self.my_contribution)]

    def _heading(self) -> list[tuple[str, str]]:
        return [("Agent", self.agent_id), ("Coach", self.coach), ("Date", self.date)]

    def to_markdown(self) -> str:
        """The plan as Markdown (text escaped so an answer cannot break the layout)."""
        md = _MarkdownText
        lines = [f"# Personal coaching plan: {md.cell(self.learner)}", ""]
        lines.append(" · ".join(f"**{k}:** {md.cell(v)}" for k, v in self._heading()))
        lines.append("")
        gone = self.missing()
        if gone:
            lines += [f"> **Not completed yet:** {md.text(', '.join(gone))}.", ""]
        lines += ["## Where I am now", ""]
        lines += [f"- **{k}:** {md.cell(v)}" for k, v in self._results()]
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
        lines += ["", "---", "", "Agent: ____________________  Coach: ____________________  "
                  "Follow-up meeting on: ____________", ""]
        return "\n".join(lines)

    def to_html(self) -> str:
        """The plan as one self-contained, printable HTML page (A4; all text escaped)."""
        areas = [{"area": a.area, "target": a.target, "by": a.by,
                  "notes": [p for p in a.problems(self.date) if NOT_COMPLETED not in p]} for a in self._areas()]
        return render_page("plan.html.j2", learner=self.learner, heading=self._heading(), missing=self.missing(),
                           results=self._results(), areas=areas, coach_support=self.coach_support,
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


def self_view(agent_id: str, saved=SAVED_SELF_ASSESSMENT) -> pd.DataFrame:
    """The self-ratings (1–5) and measured scores (0–100) to calibrate in a plan, one row per
    competency (the index), for the bundled agent the learner plays.

    ``self_rating`` comes from the learner's own ``saved`` file when it exists and holds answers
    (module 05's form: the "post" phase, else "pre"); otherwise from the agent's bundled post-training
    self-assessment.  ``measured_score`` is always the agent's bundled evidence.  Where the ratings came
    from is in ``result.attrs["source"]``.  A damaged saved file is passed over (the note says so).
    """
    from coursekit.analysis.data import load
    from coursekit.analysis.selfassess import read_answers

    bundled = load("self_assessments")
    mine = bundled[(bundled["agent_id"] == str(agent_id)) & (bundled["phase"] == "post")]
    if mine.empty:
        known = ", ".join(sorted(bundled["agent_id"].unique())[:3])
        raise DataError(f"agent {agent_id!r} has no self-assessment in the bundled data (agents are {known}, ...)")
    view = mine.set_index("competency")[["self_rating", "measured_score"]].astype(float)
    source = f"the bundled self-ratings of agent {agent_id} (after training)"
    path = Path(saved) if saved else None
    if path is not None and path.exists():
        try:
            phases = read_answers(path)["phases"]
        except DataError as exc:
            source += f"; your saved file could not be read ({exc})"
        else:
            phase = next((p for p in ("post", "pre") if p in phases), None)
            if phase:
                view["self_rating"] = pd.Series(phases[phase]["ratings"], dtype=float).reindex(view.index)
                source = f"your own ratings saved in module 05 ({phase}), next to agent {agent_id}'s measured scores"
    view["self_rating"] = view["self_rating"].astype(int)
    view.attrs["source"] = source
    return view


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
