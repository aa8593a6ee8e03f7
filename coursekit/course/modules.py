"""The curriculum's modules and their schedule: which modules exist, in what order, when each is due.

A module is a folder of ``notebooks/`` named ``NN-topic`` (``00-orientation``); its id is the folder
name, and it becomes one nbgrader assignment of that id.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from coursekit.errors import CourseError

MODULE_PATTERN = re.compile(r"^\d\d-[a-z0-9-]+$")
#: Default schedule: module ``NN`` is due ``(NN + 1) * 7`` days after the course start.
DEFAULT_START = dt.datetime(2026, 1, 5, 9, 0)
#: The pass mark of every module, in percent of its points (0–100): a learner passes a module with
#: at least this share of its points.  The one place it is set; a module may be given its own in
#: :data:`PASS_MARKS` (module id -> percent).  The report, the follow-up list, the xAPI statements
#: (``passed``/``failed``) and the gradebook exports all use :func:`pass_percent`.
PASS_PERCENT = 60.0
PASS_MARKS: dict[str, float] = {}


def repo_root() -> Path:
    """The folder holding ``notebooks/`` and ``datasets/`` (the repository checkout)."""
    return Path(__file__).resolve().parents[2]


def notebooks_dir() -> Path:
    """The nbgrader source directory of the curriculum: one folder per module."""
    return repo_root() / "notebooks"


def list_modules(source: Path | None = None) -> list[str]:
    """Module ids (folder names such as ``00-orientation``) in curriculum order."""
    source = Path(source) if source else notebooks_dir()
    if not source.is_dir():
        raise CourseError(f"{source}: no notebooks folder here; run from a coursekit checkout")
    return sorted(p.name for p in source.iterdir() if p.is_dir() and MODULE_PATTERN.match(p.name))


def resolve_modules(requested: list[str] | None, available: list[str]) -> list[str]:
    """Check requested module ids (or unique prefixes such as ``00``) against the available ones."""
    if not requested:
        return list(available)
    chosen = []
    for name in requested:
        matches = [m for m in available if m == name] or [m for m in available if m.startswith(name)]
        if len(matches) != 1:
            raise CourseError(
                f"unknown module {name!r}: choose from {', '.join(available) or '(none)'}"
            )
        chosen.append(matches[0])
    return chosen


def due_date(module: str, start: dt.datetime | None = None, due: dt.datetime | None = None) -> dt.datetime:
    """When a module is due: ``due`` if given (one deadline for every module, e.g. the end of a
    workshop day), otherwise one week per module after the course ``start``:
    module ``NN`` is due ``(NN + 1) × 7`` days after it (default start :data:`DEFAULT_START`)."""
    if due is not None:
        return due
    return (start or DEFAULT_START) + dt.timedelta(days=7 * (int(module[:2]) + 1))


def pass_percent(module: str) -> float:
    """The pass mark of ``module`` in percent of its points (:data:`PASS_PERCENT` unless
    :data:`PASS_MARKS` gives it its own)."""
    return float(PASS_MARKS.get(module, PASS_PERCENT))


def module_notebooks(folder: Path) -> list[Path]:
    """The notebooks of one module folder, sorted, without checkpoints."""
    return sorted(p for p in Path(folder).glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


#: a solution region of an instructor notebook cell (nbgrader's markers)
SOLUTION_BLOCK = re.compile(r"^[ \t]*### BEGIN SOLUTION[^\n]*\n(.*?)^[ \t]*### END SOLUTION[^\n]*\n?", re.S | re.M)


def solution_code(source: str) -> str:
    """A solution cell's code as a learner would write it (markers removed, the answer kept)."""
    return SOLUTION_BLOCK.sub(lambda m: m.group(1), source)
