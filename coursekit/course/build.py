"""Building a course: a course folder made from the curriculum, with the learner version of each module.

``build(DIR)`` creates DIR as an nbgrader course root (:func:`init_course`), copies each module's
notebooks and assets into ``DIR/source`` (:func:`copy_sources`) and has nbgrader generate the learner
version in ``DIR/release`` with its due date (:func:`generate_release`).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from coursekit.errors import CourseError
from coursekit.course.modules import due_date, list_modules, notebooks_dir, resolve_modules
from coursekit.course.nbgrader_env import CONFIG_NAME, COURSE_ID, configured_db_url, gradebook, last_error, nbgrader_api, quiet


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
    protect(root)
    return root


#: what of a course folder only its owner (the trainer, the formgrader's user) may open: the
#: instructor notebooks, learners' work, grades and feedback, the configuration (it may hold the
#: gradebook's password) and the gradebook.  ``release/`` stays readable: it is the learner version.
PRIVATE = ("source", "submitted", "autograded", "feedback", CONFIG_NAME, "gradebook.db")


def protect(root: Path) -> None:
    """Make the private parts of a course folder (:data:`PRIVATE`) readable by its owner only, so
    that on a shared server (the workshop hub) learners cannot read solutions, hidden tests, the
    gradebook or each other's work."""
    for name in PRIVATE:
        path = Path(root) / name
        if path.exists():
            path.chmod(0o700 if path.is_dir() else 0o600)


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
    protect(root)  # the gradebook exists now
    return chosen
