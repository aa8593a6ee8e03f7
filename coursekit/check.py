"""Self-checks: a learner runs one right after an exercise and is told, in plain words,
whether the answer is right and, if not, a hint.

In a notebook::

    from coursekit.check import SelfCheck
    check = SelfCheck("00-orientation")
    ...
    calls_today = len(day)
    check("calls_today")          # looks up calls_today in the notebook and checks it

A self-check never decides the grade (nbgrader's hidden tests do) and never raises: it
returns a :class:`CheckResult` that shows as a green or amber box in the notebook and as one
line of text elsewhere.  The expected answers are computed by the check functions in
``coursekit/checks/<module>.py`` from the same data the learner uses; they are not written
in any learner-facing file.
"""

from __future__ import annotations

import html
import importlib
import inspect
import math
import numbers
from dataclasses import dataclass
from typing import Any, Callable

MISSING = object()

#: module id -> {answer name: check function}
REGISTRY: dict[str, dict[str, Callable[[Any], "CheckResult"]]] = {}


@dataclass
class CheckResult:
    """The outcome of one self-check."""

    name: str
    ok: bool
    message: str
    hint: str = ""

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        mark = "Correct" if self.ok else "Not yet"
        text = f"{mark} ({self.name}): {self.message}"
        if self.hint and not self.ok:
            text += f" Hint: {self.hint}"
        return text

    def _repr_html_(self) -> str:
        colour, mark = ("#1b7f3b", "&#10004; Correct") if self.ok else ("#a05a00", "&#9888; Not yet")
        hint = "" if self.ok or not self.hint else f"<br><b>Hint:</b> {html.escape(self.hint)}"
        return (f'<div style="border-left:4px solid {colour};padding:4px 10px;margin:4px 0">'
                f'<b style="color:{colour}">{mark}</b> &ndash; <code>{html.escape(self.name)}</code>: '
                f"{html.escape(self.message)}{hint}</div>")


def exercise(module: str, name: str):
    """Register a check function for the answer ``name`` of ``module`` (a decorator)."""

    def register(func: Callable[[Any], CheckResult]):
        REGISTRY.setdefault(module, {})[name] = func
        return func

    return register


def _python_module(module: str) -> str:
    """``00-orientation`` -> ``coursekit.checks.m00_orientation``."""
    return "coursekit.checks.m" + module.replace("-", "_")


class SelfCheck:
    """The self-checks of one module: ``check("answer_name")`` after each exercise."""

    def __init__(self, module: str):
        self.module = module
        try:
            importlib.import_module(_python_module(module))
        except ModuleNotFoundError as exc:
            raise ValueError(f"no self-checks for module {module!r}") from exc
        self.checks = REGISTRY.get(module, {})

    @property
    def names(self) -> list[str]:
        """The answers this module can check."""
        return sorted(self.checks)

    def __call__(self, name: str, value: Any = MISSING) -> CheckResult:
        if name not in self.checks:
            return CheckResult(name, False, f"there is no self-check called {name!r} in this module.",
                               f"the names you can check are: {', '.join(self.names)}")
        if value is MISSING:
            frame = inspect.currentframe().f_back
            namespace = {**frame.f_globals, **frame.f_locals}
            del frame
            if name not in namespace:
                return CheckResult(name, False, f"there is no answer called {name} yet.",
                                   "run the cell where you wrote your answer first (Shift+Enter), "
                                   "and check the spelling of the name.")
            value = namespace[name]
        try:
            return self.checks[name](value)
        except Exception as exc:  # a learner's odd value must never crash the self-check
            return CheckResult(name, False, f"this answer could not be checked ({type(exc).__name__}).",
                               "make sure the answer is the kind of thing the exercise asks for.")


# --------------------------------------------------------------------------- helpers for check functions


def expect_number(name: str, value: Any, expected: float, *, tol: float = 1e-6, unit: str = "",
                  hint: str = "", whole: bool = False) -> CheckResult:
    """Compare a numeric answer with the expected value (within ``tol``, absolute)."""
    if hasattr(value, "item") and getattr(value, "size", 1) == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        kind = type(value).__name__
        return CheckResult(name, False, f"the answer should be a single number, but it is a {kind}.",
                           hint or "the answer is one number, not a table or text.")
    if isinstance(value, float) and math.isnan(value):
        return CheckResult(name, False, "the answer is 'NaN' (not a number).",
                           "NaN usually means the calculation had nothing to work with; check the column.")
    if whole and value != int(value):
        return CheckResult(name, False, f"{value} is not a whole number, but the question asks for a count.",
                           hint)
    if abs(value - expected) <= tol:
        return CheckResult(name, True, f"{value:,}{unit} is right.")
    direction = "too high" if value > expected else "too low"
    return CheckResult(name, False, f"{value:,}{unit} is {direction}.", hint)


def expect_choice(name: str, value: Any, expected: str, choices: list[str], hint: str = "") -> CheckResult:
    """Compare a multiple-choice answer (a letter or text among ``choices``) with the expected one."""
    if not isinstance(value, str):
        return CheckResult(name, False, f"the answer should be one of {', '.join(map(repr, choices))}.", hint)
    given = value.strip().lower()
    if given not in [c.lower() for c in choices]:
        return CheckResult(name, False, f"{value!r} is not one of the choices {', '.join(map(repr, choices))}.",
                           hint)
    if given == expected.lower():
        return CheckResult(name, True, f"{value!r} is right.")
    return CheckResult(name, False, f"{value!r} is not the best answer.", hint)
