"""Self-checks: a learner runs one right after an exercise and is told, in plain words,
whether the answer is right and, if not, a hint.

In a notebook::

    from coursekit.check import SelfCheck
    check = SelfCheck("00-orientation")
    ...
    calls_today = len(day)
    check("calls_today")          # looks up calls_today in the notebook and checks it

A self-check never decides the grade and never raises: it returns a :class:`CheckResult` that
shows as a green or amber box in the notebook and as one line of text elsewhere.  The expected
answers are computed by the check functions in ``coursekit/checks/<module>.py`` from the same data
the learner uses; they are not written in any learner-facing file, and letter answers appear only
sealed (:func:`seal`).

One definition per exercise: the same check function answers the self-check in the learner's
notebook and decides the grade.  When a notebook is graded, each test cell records the answers as
plain data (:func:`coursekit.answers.record_answers`) and the grading process, outside the
learner's kernel, runs :func:`run_check` on them (:class:`coursekit.verdict.VerifyAnswers`).
A check function therefore only ever sees answers rebuilt from plain data
(:func:`coursekit.answers.rebuilt`), never the learner's own objects; answers of other exercises it
depends on (declared with ``needs``) come from :func:`other_answer`.  While a notebook is graded
its kernel cannot read ``coursekit/checks`` at all (:mod:`coursekit.fence`), so
:class:`SelfCheck` then stays quiet instead of failing.
"""

from __future__ import annotations

import hashlib
import html
import importlib
import inspect
import json
import math
import numbers
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Callable

from coursekit.learner.answers import MISSING, Unsupported, from_plain, to_plain
from coursekit.palette import box, tone

_CONTEXT: ContextVar[dict] = ContextVar("coursekit_check_context", default={})
_NAME: ContextVar[str] = ContextVar("coursekit_check_name", default="answer")

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
        colour, mark = (tone(self.ok), "&#10004; Correct" if self.ok else "&#9888; Not yet")
        hint = "" if self.ok or not self.hint else f"<br><b>Hint:</b> {html.escape(self.hint)}"
        return box(f'<b style="color:{colour}">{mark}</b> &ndash; <code>{html.escape(self.name)}</code>: '
                   f"{html.escape(self.message)}{hint}", colour)


def exercise(module: str, name: str, needs: tuple[str, ...] = (), part_of: str | None = None):
    """Register a check function for the answer ``name`` of ``module`` (a decorator).

    ``needs`` names other answers the check depends on (the agent the learner plays, say); the
    check reads them with :func:`other_answer`.  Answers are numbered as exercises in the order they
    are registered; ``part_of`` puts this answer in the same exercise as an earlier one."""

    def register(func: Callable[[Any], CheckResult]):
        func.needs = tuple(needs)
        func.part_of = part_of
        REGISTRY.setdefault(module, {})[name] = func
        return func

    return register


def other_answer(name: str):
    """Inside a check function: the learner's answer ``name`` (one the exercise ``needs``), rebuilt
    from plain data, or :data:`coursekit.answers.MISSING`."""
    return _CONTEXT.get().get(name, MISSING)


def load_checks(module: str) -> dict[str, Callable]:
    """The check functions of a course module (imports ``coursekit/checks/<module>.py``; checks
    registered by other code with :func:`exercise` count too)."""
    try:
        importlib.import_module(_python_module(module))
    except ModuleNotFoundError as exc:
        if exc.name != _python_module(module) or module not in REGISTRY:
            raise
    return REGISTRY.get(module, {})


def run_check(module: str, name: str, plain_value, plain_context: dict | None = None,
              checks: dict | None = None) -> "CheckResult":
    """Check one answer given as plain data (:mod:`coursekit.answers`), with the plain answers it
    ``needs``: what the self-check shows and what the grade follows.  Never raises.  ``checks``
    (name -> check function) defaults to the module's registered ones."""
    checks = load_checks(module) if checks is None else checks
    if name not in checks:
        return CheckResult(name, False, f"there is no self-check called {name!r} in this module.",
                           f"the names you can check are: {', '.join(sorted(checks))}")
    value = from_plain(plain_value)
    if value is MISSING:
        return CheckResult(name, False, f"there is no answer called {name} yet.",
                           "run the cell where you wrote your answer first (Shift+Enter); if it shows an error, "
                           "fix that first.")
    if isinstance(value, Unsupported):
        return CheckResult(name, False, f"the answer is {value!r}, which is not the kind of thing the exercise asks for.",
                           "answer with plain numbers, text, lists or the table the exercise names.")
    context = {k: from_plain(v) for k, v in (plain_context or {}).items()}
    token, name_token = _CONTEXT.set(context), _NAME.set(name)
    try:
        return checks[name](value)
    except Exception as exc:  # a learner's odd value must never crash the self-check
        return CheckResult(name, False, f"this answer could not be checked ({type(exc).__name__}).",
                           "make sure the answer is the kind of thing the exercise asks for.")
    finally:
        _CONTEXT.reset(token)
        _NAME.reset(name_token)


# --------------------------------------------------------------------------- sealed letter answers


def seal(module: str, name: str, answer: str) -> str:
    """The sealed form of a letter or word answer: a SHA-256 digest, so that the library holds no
    plain answer key (``seal("02-measuring-service", "improvement_choice", "b")``)."""
    text = f"coursekit|{module}|{name}|{str(answer).strip().upper()}"
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Sealed:
    """An expected letter answer held only as its digest (see :func:`seal`)."""

    module: str
    name: str
    digest: str

    def matches(self, answer: str) -> bool:
        return seal(self.module, self.name, answer) == self.digest


def _python_module(module: str) -> str:
    """``00-orientation`` -> ``coursekit.checks.m00_orientation``."""
    return "coursekit.learner.checks.m" + module.replace("-", "_")


class SelfCheck:
    """The self-checks of one module: ``check("answer_name")`` after each exercise."""

    available = True  # False while the notebook is graded (the fence hides the answer keys)

    def __init__(self, module: str):
        self.module = module
        self.available = True
        try:
            importlib.import_module(_python_module(module))
        except ModuleNotFoundError as exc:
            if exc.name and not _python_module(module).startswith(exc.name):
                raise
            raise ValueError(f"no self-checks for module {module!r}") from exc
        except PermissionError:  # the grading fence hides the answer keys: the self-checks rest
            self.available = False
        self.checks = REGISTRY.get(module, {})
        if self.available:  # in the learner's own notebook: unfinished exercises get one line each
            from coursekit.learner.friendly import install

            install(self.exercise_numbers())

    def exercise_numbers(self) -> dict[str, int]:
        """Answer name -> the number of its exercise (exercise 1 first), including the answers an
        exercise ``needs`` (they belong to the first exercise that needs them)."""
        numbers: dict[str, int] = {}
        for name, func in self.checks.items():
            part_of = getattr(func, "part_of", None)
            numbers[name] = numbers[part_of] if part_of in numbers else max(numbers.values(), default=0) + 1
        for name, func in self.checks.items():
            for need in getattr(func, "needs", ()):
                numbers.setdefault(need, numbers[name])
        return numbers

    @property
    def names(self) -> list[str]:
        """The answers this module can check."""
        return sorted(self.checks)

    def __call__(self, name: str, value: Any = MISSING) -> CheckResult:
        if not self.available:
            return CheckResult(name, False, "self-checks are off while this notebook is being graded.")
        if name not in self.checks:
            return CheckResult(name, False, f"there is no self-check called {name!r} in this module.",
                               f"the names you can check are: {', '.join(self.names)}")
        frame = inspect.currentframe().f_back
        namespace = {**frame.f_globals, **frame.f_locals}
        del frame
        if value is MISSING:
            if name not in namespace:
                number = self.exercise_numbers().get(name)
                which = f"exercise {number} ({name})" if number else name
                return CheckResult(name, False, f"{which} is not answered yet.",
                                   "write your answer where it says YOUR ANSWER HERE and run that cell (Shift+Enter). "
                                   f"If you did, make sure it shows no error and that it sets {name}.")
            value = namespace[name]
        context = {n: _plain(namespace[n]) if n in namespace else {"__missing__": True}
                   for n in getattr(self.checks[name], "needs", ())}
        return run_check(self.module, name, _plain(value), context, checks=self.checks)


def _plain(value):
    """An answer as plain data, as the grader will receive it (through JSON)."""
    return json.loads(json.dumps(to_plain(value)))


# --------------------------------------------------------------------------- helpers for check functions
#
# A check function gets the learner's answer (rebuilt from plain data) and returns one of these.
# The answer's name comes from the exercise being checked (``@exercise(MODULE, "calls_today")``),
# so it is not written again; ``mistakes`` maps a wrong answer a learner is likely to give to the
# hint that answers it (``{seconds: "that looks like seconds; divide by 60"}``).


#: hints for mistakes every module meets
SHARE_NOT_PERCENT = "that is a share between 0 and 1; multiply by 100 to get a percentage."
SECONDS_NOT_MINUTES = "that looks like seconds; divide by 60 to get minutes."


def answer_name() -> str:
    """The name of the answer being checked (set by :func:`run_check`)."""
    return _NAME.get()


def result(ok: bool, message: str, hint: str = "") -> CheckResult:
    """A :class:`CheckResult` for the answer being checked."""
    return CheckResult(answer_name(), ok, message, hint)


def _mistake_hint(value, mistakes: dict | None, hint: str, near=None) -> str:
    for wrong, advice in (mistakes or {}).items():
        try:
            if (abs(value - wrong) <= near) if near is not None else value == wrong:
                return advice
        except TypeError:
            continue
    return hint


def expect_number(value: Any, expected: float, *, tol: float = 1e-6, unit: str = "", hint: str = "",
                  whole: bool = False, mistakes: dict | None = None, mistake_tol: float | None = None) -> CheckResult:
    """Compare a numeric answer with the expected value (within ``tol``, absolute).  A wrong answer
    within ``mistake_tol`` (default ``tol``) of a key of ``mistakes`` gets that key's hint."""
    if hasattr(value, "item") and getattr(value, "size", 1) == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        kind = type(value).__name__
        return result(False, f"the answer should be a single number, but it is a {kind}.",
                      hint or "the answer is one number, not a table or text.")
    if isinstance(value, float) and math.isnan(value):
        return result(False, "the answer is 'NaN' (not a number).",
                      "NaN usually means the calculation had nothing to work with; check the column.")
    hint = _mistake_hint(value, mistakes, hint, tol if mistake_tol is None else mistake_tol)
    if whole and value != int(value):
        return result(False, f"{value} is not a whole number, but the question asks for a count.", hint)
    if abs(value - expected) <= tol:
        return result(True, f"{value:,}{unit} is right.")
    direction = "too high" if value > expected else "too low"
    return result(False, f"{value:,}{unit} is {direction}.", hint)


def expect_choice(value: Any, expected, choices: list[str], hint: str = "",
                  mistakes: dict | None = None) -> CheckResult:
    """Compare a multiple-choice answer (a letter or text among ``choices``) with the expected one
    (text, or a :class:`Sealed` letter); ``mistakes`` maps a wrong choice to its hint."""
    if not isinstance(value, str):
        return result(False, f"the answer should be one of {', '.join(map(repr, choices))}.", hint)
    given = value.strip().lower()
    if given not in [c.lower() for c in choices]:
        return result(False, f"{value!r} is not one of the choices {', '.join(map(repr, choices))}.", hint)
    if expected.matches(given) if isinstance(expected, Sealed) else given == expected.lower():
        return result(True, f"{value!r} is right.")
    return result(False, f"{value!r} is not the best answer.", _mistake_hint(value.strip(), mistakes, hint))


def expect_items(value: Any, expected: list[str], hint: str = "", *, ordered: bool = False,
                 mistakes: dict | None = None, empty: str = "[] is right: none.") -> CheckResult:
    """Compare a list answer with the expected items (in any order, or in this order with
    ``ordered``); ``mistakes`` maps a wrong list (as a tuple, sorted unless ``ordered``) to its hint."""
    if isinstance(value, str) or not isinstance(value, (list, tuple, set)):
        return result(False, "the answer should be a list, like ['a', 'b'] (or [] for none).",
                      hint or "end the line with .tolist() to turn the column into a list.")
    given, want = [str(v) for v in value], [str(v) for v in expected]
    key = tuple(given) if ordered else tuple(sorted(given))
    hint = _mistake_hint(key, {tuple(k): v for k, v in (mistakes or {}).items()}, hint)
    if sorted(given) == sorted(want):
        if ordered and given != want:
            return result(False, "the right items, in the wrong order.", hint)
        return result(True, f"{given} is right." if given else empty)
    if set(given) < set(want):
        return result(False, f"{len(set(given))} of the {len(set(want))} are there; some are missing.", hint)
    extra = sorted(set(given) - set(want))
    if not extra:
        return result(False, f"{given} is not what the data says.", hint)
    return result(False, f"{extra[0]!r} does not belong in this list.", hint)
