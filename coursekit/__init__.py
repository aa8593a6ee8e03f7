"""coursekit: a Jupyter/nbgrader curriculum for customer-service and contact-center teams.

The library is built in floors (see ``docs/architecture.md``):

- ``coursekit.analysis``: what a lesson teaches, pure functions over DataFrames (metrics, queueing,
  gap, selfassess, survey, interaction, and the data they read);
- ``coursekit.learner``: what the learner touches (answers, self-checks, charts, widgets, the plan);
- ``coursekit.course``: the course machinery around nbgrader (build, grading and its fence, the report);
- at the top: small shared parts (errors, files, palette, pages, ui, parallel) and the ``cli``.

Notebooks keep their short imports: ``from coursekit.metrics import kpi_table``,
``from coursekit.check import SelfCheck``, ``from coursekit.widgets import QueueSimulator`` and
``from coursekit import gap`` name the same modules as their full paths
(``coursekit.analysis.metrics`` ...): the short names are aliases, not copies.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

__version__ = "0.1.0"

#: short module name -> the floor it lives on
FLOORS = {
    **dict.fromkeys(["data", "datagen", "metrics", "queueing", "gap", "selfassess", "survey", "interaction",
                     "responses"], "analysis"),
    **dict.fromkeys(["answers", "check", "checks", "plan", "plots", "widgets"], "learner"),
    **dict.fromkeys(["modules", "nbgrader_env", "build", "fence", "warmkernel", "sanitize", "verdict", "pipeline",
                     "grading", "collect", "progress", "report", "simulate", "slides", "demo"], "course"),
}


def _real_name(name: str) -> str | None:
    """``coursekit.metrics.x`` -> ``coursekit.analysis.metrics.x`` (None when not a short name)."""
    if not name.startswith(__name__ + "."):
        return None
    head, _, rest = name[len(__name__) + 1:].partition(".")
    if head not in FLOORS:
        return None
    return f"{__name__}.{FLOORS[head]}.{head}" + (f".{rest}" if rest else "")


class _ShortNames(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Import ``coursekit.<module>`` as the module of that name on its floor (the same object)."""

    def find_spec(self, name, path=None, target=None):
        real = _real_name(name)
        if real is None:
            return None
        return importlib.util.spec_from_loader(name, self, is_package=False)

    def create_module(self, spec):
        return importlib.import_module(_real_name(spec.name))

    def exec_module(self, module):
        pass  # the real module has run already


if not any(isinstance(f, _ShortNames) for f in sys.meta_path):
    sys.meta_path.insert(0, _ShortNames())


def __getattr__(name):
    if name in FLOORS:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
