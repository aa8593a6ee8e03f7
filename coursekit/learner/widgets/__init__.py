"""Interactive widgets (ipywidgets 8) that sit on top of the analysis modules.

Widgets never contain formulas: they call ``coursekit`` analysis functions and show
the result.  Each widget lives in its own module and is imported lazily so that
``import coursekit`` stays fast and works without a running kernel.
"""

from importlib import import_module

_WIDGETS = {
    "ResponseCoach": "coursekit.learner.widgets.response_coach",
    "QueueSimulator": "coursekit.learner.widgets.queue_simulator",
    "GapExplorer": "coursekit.learner.widgets.gap_explorer",
    "SelfAssessment": "coursekit.learner.widgets.self_assessment",
    "FocusAreasForm": "coursekit.learner.widgets.plan_form",
    "SharedGoalsForm": "coursekit.learner.widgets.plan_form",
}

__all__ = sorted(_WIDGETS)


def __getattr__(name):
    if name in _WIDGETS:
        return getattr(import_module(_WIDGETS[name]), name)
    raise AttributeError(f"module 'coursekit.widgets' has no attribute {name!r}")
