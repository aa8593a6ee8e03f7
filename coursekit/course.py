"""The course folder: modules, nbgrader configuration and building the learner version.

A *course root* is an ordinary nbgrader course directory::

    DIR/
      nbgrader_config.py     written by :func:`init_course`
      source/<module>/       the instructor notebooks, copied from the repo's ``notebooks/``
      release/<module>/      the learner version, made by nbgrader ``generate_assignment``
      submitted/<learner>/<module>/   learners' work (collected or imported)
      autograded/ feedback/  made by nbgrader
      gradebook.db           SQLite gradebook (or any SQLAlchemy URL nbgrader accepts)

so nbgrader's own commands (``nbgrader autograde 00-orientation`` run inside DIR) work on it too.
Each module is one nbgrader assignment whose id is the module folder name (``00-orientation``).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import os
import re
import sys
import shutil
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

from .errors import CourseError

MODULE_PATTERN = re.compile(r"^\d\d-[a-z0-9-]+$")
CONFIG_NAME = "nbgrader_config.py"
COURSE_ID = "coursekit"

#: Default schedule: module ``NN`` is due ``(NN + 1) * 7`` days after the course start.
DEFAULT_START = dt.datetime(2026, 1, 5, 9, 0)


def repo_root() -> Path:
    """The folder holding ``notebooks/`` and ``datasets/`` (the repository checkout)."""
    return Path(__file__).resolve().parent.parent


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


def parse_when(text: str, what: str) -> dt.datetime:
    """A date or date-time given on the command line (``2026-12-01`` or ``2026-12-01T17:30``);
    a date alone means 09:00 for a start and 23:59 for a deadline."""
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise CourseError(f"{what} {text!r} is not a date; write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
    if len(text.strip()) == 10:
        when = when.replace(hour=23, minute=59) if what == "--due" else when.replace(hour=9)
    return when


def module_notebooks(folder: Path) -> list[Path]:
    """The notebooks of one module folder, sorted, without checkpoints."""
    return sorted(p for p in Path(folder).glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


# --------------------------------------------------------------------------- course root


def init_course(course_dir: Path | str, db_url: str | None = None) -> Path:
    """Create DIR as an nbgrader course root (config file and folders) if it is not one yet.

    ``db_url`` is any SQLAlchemy URL nbgrader accepts; without it the gradebook is
    ``DIR/gradebook.db`` (SQLite).  An existing config is kept unless ``db_url`` changes it.
    """
    root = Path(course_dir).resolve()
    if root.exists() and not root.is_dir():
        raise CourseError(f"{root}: is a file, not a course folder")
    root.mkdir(parents=True, exist_ok=True)
    for sub in ("source", "release", "submitted", "autograded", "feedback"):
        (root / sub).mkdir(exist_ok=True)
    config = root / CONFIG_NAME
    if config.exists() and "coursekit.pipeline" not in config.read_text():
        db_url = db_url or (configured_db_url(root) if "db_url" in config.read_text() else None)
        config.unlink()  # written by an older coursekit: rewritten with today's grading pipeline
    if not config.exists() or (db_url and db_url != configured_db_url(root)):
        lines = [
            "# nbgrader configuration for a coursekit course root (written by coursekit).",
            "# The grading pipeline (fenced kernels, verdicts reached outside the learner's kernel, output",
            "# limits, hidden tests kept out of feedback) is built in one place: coursekit.pipeline.",
            "c = get_config()  # noqa: F821",
            f"c.CourseDirectory.course_id = {COURSE_ID!r}",
            "from coursekit.pipeline import configure",
            "configure(c)",
            "# Limits of a grading kernel, for example:  c.GradingExecute.memory_mb = 4096",
        ]
        if db_url:
            lines.append(f"c.CourseDirectory.db_url = {db_url!r}")
        config.write_text("\n".join(lines) + "\n")
    return root


def require_course(course_dir: Path | str) -> Path:
    """The resolved course root, or a :class:`CourseError` if DIR is not one."""
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


def configured_db_url(root: Path) -> str:
    """The gradebook URL of a course root (SQLite ``gradebook.db`` unless configured)."""
    root = Path(root).resolve()
    config_file = root / CONFIG_NAME
    if config_file.exists():
        match = re.search(r"^c\.CourseDirectory\.db_url\s*=\s*['\"](.+)['\"]", config_file.read_text(), re.M)
        if match:
            return match.group(1)
    return f"sqlite:///{root / 'gradebook.db'}"


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


def tools_on_path() -> None:
    """Prepare this process for nbgrader.

    - Put this Python's scripts folder on PATH: nbgrader calls ``alembic`` and ``jupyter`` by name.
    - Remember the gradebook schema version: nbgrader 0.9 runs ``alembic heads`` in a subprocess
      every time it opens a gradebook (several times per autograde, ~0.4 s each).  The answer only
      depends on the installed nbgrader, so it is asked once per process (and inherited by workers).
    """
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")
    import nbgrader.api

    if not hasattr(nbgrader.api.get_alembic_version, "cache_info"):
        nbgrader.api.get_alembic_version = functools.lru_cache(maxsize=1)(nbgrader.api.get_alembic_version)


def nbgrader_api(course_dir: Path | str, configure=None):
    """An ``nbgrader.apps.NbGraderAPI`` bound to a course root and its configuration.

    ``configure(config)``, when given, may adjust the loaded configuration first (the course's
    ``nbgrader_config.py`` itself is not changed)."""
    tools_on_path()
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    root = require_course(course_dir)
    config = load_config(root)
    if configure:
        configure(config)
    config.NbGraderAPI.log_level = logging.ERROR
    coursedir = CourseDirectory(config=config)
    with quiet():
        return NbGraderAPI(coursedir=coursedir, config=config)


def gradebook(course_dir: Path | str):
    """Open the course's nbgrader ``Gradebook`` (use it as a context manager)."""
    from nbgrader.api import Gradebook

    tools_on_path()
    root = require_course(course_dir)
    url = configured_db_url(root)
    try:
        return Gradebook(url, course_id=COURSE_ID)
    except Exception as exc:
        raise CourseError(f"gradebook {redact(url)} cannot be opened: {one_line(exc)}") from None


def redact(url: str) -> str:
    """A database URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+:)[^@]+@", r"\1***@", url)


def one_line(exc: BaseException) -> str:
    """The first line of an exception's message."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# --------------------------------------------------------------------------- build


#: What of a module folder goes into a course (and so, through nbgrader, to learners): the notebooks
#: and the pictures or data files beside them.  Everything else stays out: the trainer's
#: ``FACILITATOR.md``, and whatever running the answer key left behind in the checkout (a saved
#: ``self_assessment.json``, an exported ``my-coaching-plan/``, checkpoints).
LEARNER_FILES = ("*.ipynb", "*.png", "*.jpg", "*.jpeg", "*.gif", "*.svg", "*.csv")


def _learner_files(folder: str, names: list[str]) -> set[str]:
    """``shutil.copytree`` ignore function: the top-level names of a module folder that are not
    :data:`LEARNER_FILES` (sub-folders are left out too)."""
    import fnmatch

    return {n for n in names if not any(fnmatch.fnmatch(n, p) for p in LEARNER_FILES)
            or (Path(folder) / n).is_dir()}


def copy_sources(root: Path, modules: list[str], source: Path | None = None) -> None:
    """Copy module folders from the curriculum into ``DIR/source`` (replacing older copies), keeping
    only what learners should get (:data:`LEARNER_FILES`)."""
    source = Path(source) if source else notebooks_dir()
    for module in modules:
        target = root / "source" / module
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source / module, target, ignore=_learner_files)


def generate_release(root: Path, module: str, api=None, start: dt.datetime | None = None,
                     due: dt.datetime | None = None) -> None:
    """Make the learner version of one module with nbgrader and record its due date."""
    api = api or nbgrader_api(root)
    with quiet():
        result = api.generate_assignment(module, force=True, create=True)
    if not result.get("success"):
        raise CourseError(f"module {module}: nbgrader could not generate the learner version: {last_error(result)}")
    with gradebook(root) as gb:
        gb.update_or_create_assignment(module, duedate=due_date(module, start, due))


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


def build(course_dir: Path | str, modules: list[str] | None = None, db_url: str | None = None,
          source: Path | None = None, progress=None, start: dt.datetime | None = None,
          due: dt.datetime | None = None) -> list[str]:
    """Create or refresh a course root and generate the learner version of each module.

    Due dates (see :func:`due_date`): one week per module from ``start``, or ``due`` for every
    module.  Returns the module ids built.  ``progress`` is an optional callable(module) called after
    each module (the CLI passes a progress bar's update).
    """
    available = list_modules(source)
    chosen = resolve_modules(modules, available)
    root = init_course(course_dir, db_url)
    copy_sources(root, chosen, source)
    api = nbgrader_api(root)
    for module in chosen:
        generate_release(root, module, api, start, due)
        if progress:
            progress(module)
    return chosen
