"""The nbgrader side of a course folder: its configuration, gradebook and API, resolved once.

A *course root* is an ordinary nbgrader course directory::

    DIR/
      nbgrader_config.py     written by :func:`coursekit.build.init_course`
      source/<module>/       the instructor notebooks, copied from the repo's ``notebooks/``
      release/<module>/      the learner version, made by nbgrader ``generate_assignment``
      submitted/<learner>/<module>/   learners' work (collected or imported)
      autograded/ feedback/  made by nbgrader
      gradebook.db           SQLite gradebook (or any SQLAlchemy URL nbgrader accepts)

so nbgrader's own commands (``nbgrader autograde 00-orientation`` run inside DIR) work on it too.
:class:`Course` is that folder opened once: its root, its loaded configuration, its gradebook URL
and an ``NbGraderAPI``; the grading and reporting functions take one and pass it down.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import re
import sys
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

from coursekit.errors import CourseError, one_line, redact

CONFIG_NAME = "nbgrader_config.py"
COURSE_ID = "coursekit"


@dataclass
class Course:
    """A course folder, resolved once: ``Course.open(DIR)`` checks it, reads its configuration and
    knows its gradebook; pass it on instead of the path."""

    root: Path
    config: object
    _apis: dict = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, course_dir) -> "Course":
        if isinstance(course_dir, Course):
            return course_dir
        root = require_course(course_dir)
        return cls(root, load_config(root))

    @property
    def db_url(self) -> str:
        """The gradebook's SQLAlchemy URL (``DIR/gradebook.db`` unless the configuration names one)."""
        url = self.config.CourseDirectory.get("db_url") if "CourseDirectory" in self.config else None
        return str(url) if url else f"sqlite:///{self.root / 'gradebook.db'}"

    def api(self, configure=None):
        """The course's ``NbGraderAPI`` (one per ``configure``; see :func:`nbgrader_api`)."""
        if configure not in self._apis:
            self._apis[configure] = _make_api(self, configure)
        return self._apis[configure]

    def gradebook(self):
        """Open the course's nbgrader ``Gradebook`` (use it as a context manager)."""
        from nbgrader.api import Gradebook

        prepare_nbgrader()
        try:
            return Gradebook(self.db_url, course_id=COURSE_ID)
        except Exception as exc:
            raise CourseError(f"gradebook {redact(self.db_url)} cannot be opened: {one_line(exc)}") from None

    def __truediv__(self, other):  # a Course stands in for its root in paths: course / "release"
        return self.root / other

    def __fspath__(self) -> str:
        return str(self.root)


def require_course(course_dir) -> Path:
    """The resolved course root, or a :class:`CourseError` if DIR is not one."""
    if isinstance(course_dir, Course):
        return course_dir.root
    root = Path(course_dir).resolve()
    if not root.is_dir():
        raise CourseError(f"{root}: course folder not found; create it with 'coursekit build --course {course_dir}'")
    if not (root / CONFIG_NAME).exists():
        raise CourseError(f"{root}: not a course folder (no {CONFIG_NAME}); run 'coursekit build --course {course_dir}'")
    return root


def load_config(root: Path):
    """The traitlets Config of a course root (its nbgrader_config.py)."""
    from traitlets.config.loader import PyFileConfigLoader

    try:
        config = PyFileConfigLoader(CONFIG_NAME, path=str(root)).load_config()
    except Exception as exc:  # a syntax error in a hand-edited config
        raise CourseError(f"{root / CONFIG_NAME}: cannot be read ({exc})") from None
    config.CourseDirectory.root = str(root)
    return config


def configured_db_url(root) -> str:
    """The gradebook URL of a course root (SQLite ``gradebook.db`` unless configured), read from its
    loaded configuration; a folder without a configuration yet gets the SQLite default."""
    if isinstance(root, Course):
        return root.db_url
    root = Path(root).resolve()
    if not (root / CONFIG_NAME).exists():
        return f"sqlite:///{root / 'gradebook.db'}"
    return Course(root, load_config(root)).db_url


@contextmanager
def quiet():
    """Silence nbgrader's and the kernels' chatter (Python-level output goes into the returned buffer;
    the kernels' own writes to the terminal go to /dev/null)."""
    buffer = io.StringIO()
    loggers = [logging.getLogger(n) for n in ("", "traitlets", "NbGraderAPI", "nbgrader")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    saved = None
    try:
        sys.stderr.flush()
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        saved = None
    try:
        with redirect_stdout(buffer), redirect_stderr(buffer):
            yield buffer
    finally:
        if saved is not None:
            os.dup2(saved, 2)
            os.close(saved)
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def put_scripts_on_path() -> None:
    """Put this Python's scripts folder on PATH: nbgrader calls ``alembic`` and ``jupyter`` by name."""
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")


def cache_gradebook_schema_version() -> None:
    """Patch nbgrader to ask for the gradebook schema version once per process.

    Why: nbgrader 0.9 runs ``alembic heads`` in a subprocess every time it opens a gradebook
    (``nbgrader.api.get_alembic_version``; several times per autograde, ~0.4 s each).  The answer
    only depends on the installed nbgrader, so it is cached (and inherited by forked workers)."""
    import nbgrader.api

    if not hasattr(nbgrader.api.get_alembic_version, "cache_info"):
        nbgrader.api.get_alembic_version = functools.lru_cache(maxsize=1)(nbgrader.api.get_alembic_version)


def prepare_nbgrader() -> None:
    """Make this process ready to use nbgrader (both of the above)."""
    put_scripts_on_path()
    cache_gradebook_schema_version()


def nbgrader_api(course_dir, configure=None):
    """An ``nbgrader.apps.NbGraderAPI`` bound to a course root (or :class:`Course`) and its
    configuration.  ``configure(config)``, when given, may adjust a copy of the loaded configuration
    first (the course's ``nbgrader_config.py`` itself is not changed)."""
    return Course.open(course_dir).api(configure)


def _make_api(course: "Course", configure=None):
    prepare_nbgrader()
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    import copy

    config = copy.deepcopy(course.config)
    if configure:
        configure(config)
    config.NbGraderAPI.log_level = logging.ERROR
    coursedir = CourseDirectory(config=config)
    with quiet():
        return NbGraderAPI(coursedir=coursedir, config=config)


def gradebook(course_dir):
    """Open the course's nbgrader ``Gradebook`` (use it as a context manager)."""
    return Course.open(course_dir).gradebook()


def last_error(result: dict) -> str:
    """The most telling line of an nbgrader API result (its error or log)."""
    text = (result.get("error") or "") + "\n" + (result.get("log") or "")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for line in reversed(lines):
        if re.match(r"^[\w.]+(Error|Exception|Exit|Interrupt)\b", line) and "NbGraderException" not in line:
            return line
    for line in reversed(lines):
        if re.search(r"(Error|Exception|error|failed)", line):
            return line
    return lines[-1] if lines else "no details"
