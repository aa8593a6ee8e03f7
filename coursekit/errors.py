"""Exception types, one per area.

Every message is one line that names the file, column, learner, module or cell at
fault and says what to do.  The CLI prints ``str(error)`` for these and exits non-zero
without a traceback; anything else is a bug and keeps its traceback.
"""

import re


class CoursekitError(Exception):
    """Base class for expected, user-facing errors."""


class DataError(CoursekitError, ValueError):
    """Bad or missing input data (a CSV export, a DataFrame column, a rating)."""


class CourseError(CoursekitError):
    """A problem with a course folder, a module, a gradebook or a submission."""


def require_columns(table, what: str, *columns: str, advice: str = "") -> None:
    """Raise :class:`DataError` naming the first of ``columns`` missing from ``table`` (a DataFrame
    described to the user as ``what``, e.g. "calls table"), with ``advice`` or the columns it has."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        found = advice or "found: " + ", ".join(map(str, table.columns))
        raise DataError(f"{what} has no column '{missing[0]}' ({found})")


def redact(url: str) -> str:
    """A database URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+:)[^@]+@", r"\1***@", url)


def one_line(exc: BaseException) -> str:
    """The first line of an exception's message."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
