"""Simulate a cohort of learners handing in work of varied quality (for the demo and tests).

Each learner gets a *profile*; for every module a submission is written to
``DIR/submitted/<learner>/<module>/`` exactly as nbgrader's collect would leave it (the learner's
notebooks plus ``timestamp.txt``).  Answers are taken from the instructor notebooks, so a
"correct" exercise is correct by construction; the expected score of each submission is worked
out from the notebooks' structure (each autograded test cell checks the exercises above it, since
the previous test cell) independently of nbgrader, so the demo can check the grades it gets.

Profiles:

=============== ==========================================================================
``complete``     every exercise correct, on time
``partial``      the first half of the exercises correct, the rest left as released
``untouched``    hands in the learner version as released (scores 0)
``skips``        complete, but the last module is never handed in
``late``         complete, handed in two days after the due date
``tampered``     all but the last graded exercise correct, and its test cell edited to ``assert True``;
                 nbgrader grades the original tests, coursekit flags the submission
=============== ==========================================================================
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd

from coursekit.course.modules import DEFAULT_START, module_notebooks, solution_code
from coursekit.course.nbgrader_env import gradebook, require_course

PROFILES = ["complete", "partial", "untouched", "skips", "late", "tampered"]
FIRST_NAMES = ["Amara", "Ben", "Chen", "Dana", "Elif", "Femi", "Grace", "Hugo", "Isha", "Jonas", "Kaya",
               "Liam", "Maya", "Nils", "Olga", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera",
               "Wei", "Yara"]
LAST_NAMES = ["Okafor", "Brooks", "Li", "Novak", "Yilmaz", "Adeyemi", "Murphy", "Laurent", "Patel", "Berg",
              "Tanaka", "Walsh", "Cohen", "Larsen", "Petrova", "Nair", "Reyes", "Santos", "Haddad", "Kelly",
              "Aziz", "Costa", "Zhang", "Haddad"]
TEAMS = [("Billing", "Rita Gomez"), ("Technical", "Sam Osei"), ("Retention", "Mei Tanaka")]


@dataclass
class Exercise:
    """One solution cell and the points of the test cells that check it."""

    grade_id: str
    answer: str
    points: float
    test_ids: list[str]


def exercises(source_nb) -> list[Exercise]:
    """Solution cells in order, each with the points of the test cells that follow it."""
    found: list[Exercise] = []
    for cell in source_nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            found.append(Exercise(meta["grade_id"], solution_code(cell.source), 0.0, []))
        elif meta.get("grade") and not meta.get("solution") and found:
            found[-1].points += float(meta.get("points", 0))
            found[-1].test_ids.append(meta["grade_id"])
    return found


def fill_in(release_nb, answers: dict[str, str]):
    """A copy of the learner notebook with the given solution cells answered."""
    nb = nbformat.from_dict(release_nb)
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def learner_roster(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` learners with ids ``nh01``… (new hire), names, team, supervisor and a profile (each profile
    used in turn)."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(FIRST_NAMES))
    rows = []
    for i in range(n):
        k = order[i % len(order)]
        team = TEAMS[i % len(TEAMS)]
        rows.append({"learner_id": f"nh{i + 1:02d}", "first_name": FIRST_NAMES[k], "last_name": LAST_NAMES[k],
                     "team": team[0], "supervisor": team[1], "profile": PROFILES[i % len(PROFILES)]})
    return pd.DataFrame(rows)


def _answers_for(profile: str, exs: list[Exercise]) -> tuple[dict[str, str], float, bool]:
    """Which exercises this profile answers, the points it should get, whether it tampers."""
    if profile == "untouched":
        return {}, 0.0, False
    if profile == "partial":
        chosen = exs[: len(exs) // 2]
    elif profile == "tampered":
        last = _last_graded(exs)
        chosen = [e for e in exs if e is not last]
    else:
        chosen = exs
    return {e.grade_id: e.answer for e in chosen}, sum(e.points for e in chosen), profile == "tampered"


def _last_graded(exs: list[Exercise]) -> Exercise | None:
    """The last exercise that has test cells (an optional, ungraded exercise has none to tamper with)."""
    graded = [e for e in exs if e.test_ids]
    return graded[-1] if graded else None


def _tamper(nb, exercise: Exercise) -> None:
    """Replace the test cells of an exercise with a test that always passes."""
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") in exercise.test_ids:
            cell.source = "assert True  # the tests were too hard"


def simulate_cohort(course_dir, learners: int = 12, modules: list[str] | None = None, seed: int = 7) -> pd.DataFrame:
    """Write submissions for a simulated cohort into ``DIR/submitted``.

    Returns the expected outcome, one row per learner and module: ``learner_id``, ``first_name``,
    ``last_name``, ``profile``, ``module``, ``submitted`` (bool), ``status`` and ``score`` that the
    report should show after autograding, and ``max_score``.
    """
    root = require_course(course_dir)
    modules = modules or sorted(p.name for p in (root / "release").iterdir() if p.is_dir())
    roster = learner_roster(learners, seed)
    with gradebook(root) as gb:  # the due dates the course was built with
        due_dates = {module: gb.find_assignment(module).duedate for module in modules}
    expected = []
    for module in modules:
        due = due_dates[module]
        notebooks = []
        for release_path in module_notebooks(root / "release" / module):
            source_nb = nbformat.read(root / "source" / module / release_path.name, as_version=4)
            notebooks.append((release_path.name, nbformat.read(release_path, as_version=4), exercises(source_nb)))
        max_score = sum(e.points for _, _, exs in notebooks for e in exs)
        for i, person in roster.iterrows():
            profile = person["profile"]
            row = {**person.to_dict(), "module": module, "max_score": max_score}
            if profile == "skips" and module == modules[-1]:
                expected.append({**row, "submitted": False, "status": "not submitted", "score": np.nan})
                continue
            folder = root / "submitted" / person["learner_id"] / module
            folder.mkdir(parents=True, exist_ok=True)
            score = 0.0
            for name, release_nb, exs in notebooks:
                answers, points, tampered = _answers_for(profile, exs)
                nb = fill_in(release_nb, answers)
                if tampered and _last_graded(exs):
                    _tamper(nb, _last_graded(exs))
                nbformat.write(nb, folder / name)
                score += points
            when = due + (dt.timedelta(days=2) if profile == "late" else -dt.timedelta(days=2)) + dt.timedelta(minutes=7 * i)
            (folder / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f") + " UTC")
            status = {"late": "late", "tampered": "tampered"}.get(profile, "autograded")
            expected.append({**row, "submitted": True, "status": status, "score": score})
    return pd.DataFrame(expected)


def write_roster(roster: pd.DataFrame, path, start: str = DEFAULT_START.date().isoformat()) -> Path:
    """The cohort as a roster CSV (learner_id, name, team, supervisor, start_date)."""
    path = Path(path)
    out = pd.DataFrame({"learner_id": roster["learner_id"],
                        "name": roster["first_name"] + " " + roster["last_name"],
                        "team": roster["team"], "supervisor": roster["supervisor"], "start_date": start})
    out.to_csv(path, index=False)
    return path


def register_learners(course_dir, roster: pd.DataFrame) -> None:
    """Add the learners (id, first and last name) to the course gradebook."""
    with gradebook(course_dir) as gb:
        for person in roster.itertuples():
            gb.update_or_create_student(person.learner_id, first_name=person.first_name, last_name=person.last_name)
