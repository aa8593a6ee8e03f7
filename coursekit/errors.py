"""Exception types, one per area.

Every message is one line that names the file, column, learner, module or cell at
fault and says what to do.  The CLI prints ``str(error)`` for these and exits non-zero
without a traceback; anything else is a bug and keeps its traceback.
"""


class CoursekitError(Exception):
    """Base class for expected, user-facing errors."""


class DataError(CoursekitError, ValueError):
    """Bad or missing input data (a CSV export, a DataFrame column, a rating)."""


class CourseError(CoursekitError):
    """A problem with a course folder, a module, a gradebook or a submission."""
