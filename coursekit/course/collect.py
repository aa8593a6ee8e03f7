"""Import submissions downloaded from an LMS as a zip file, with nbgrader's zip collect.

Self-paced learners without a shared server hand in their notebook through the LMS; the trainer
downloads all submissions of a module as one zip and runs::

    coursekit collect --course DIR --zip downloads.zip --module 00-orientation

Inside the zip each notebook must be named so that the learner can be told apart, in one of the
forms most LMSs produce (folders or prefixes; the notebook keeps its released name)::

    nh01/00-orientation.ipynb
    nh01_00-orientation.ipynb
    nh01_2026-01-09T14:03:00_00-orientation.ipynb     (with the hand-in time)

nbgrader's ZipCollectApp extracts the archive into ``DIR/downloaded/<module>/`` and copies each
notebook to ``DIR/submitted/<learner>/<module>/``, where ``coursekit autograde`` finds it.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from coursekit.course.nbgrader_env import nbgrader_api, quiet, require_course
from coursekit.errors import CourseError

#: learner id, then an optional ISO time, then the notebook file (matched on the path inside
#: ``extracted/<zip name>/``; nbgrader's FileNameCollector takes these named groups).  Learner ids
#: are letters, digits and ``.@+-`` (no underscore: it separates the parts).
NAMED_REGEXP = (r".*/extracted/[^/]+/(?:.*/)?(?P<student_id>[A-Za-z0-9.@+-]+)[/_]"
                r"(?:(?P<timestamp>\d{4}-\d\d-\d\d[T ]\d\d[:.]?\d\d(?:[:.]?\d\d)?)_)?"
                r"(?P<file_id>[^/_][^/]*\.ipynb)$")


def collect_zip(course_dir, zip_path, module: str) -> list[str]:
    """Import a zip of submissions for ``module``; returns the learner ids collected."""
    from nbgrader.apps.zipcollectapp import ZipCollectApp
    from nbgrader.plugins import FileNameCollectorPlugin
    from nbgrader.utils import capture_log, temp_attrs

    root = require_course(course_dir)
    zip_path = Path(zip_path)
    if not zip_path.is_file():
        raise CourseError(f"{zip_path}: zip file not found")
    if not zipfile.is_zipfile(zip_path):
        raise CourseError(f"{zip_path}: not a zip file")
    with zipfile.ZipFile(zip_path) as archive:
        notebooks = [n for n in archive.namelist() if n.endswith(".ipynb") and "__MACOSX" not in n]
        unsafe = [n for n in archive.namelist() if n.startswith("/") or ".." in Path(n).parts]
    if unsafe:
        raise CourseError(f"{zip_path}: refuses paths outside the archive ({unsafe[0]})")
    if not notebooks:
        raise CourseError(f"{zip_path}: has no notebooks (.ipynb) inside")
    if not (root / "release" / module).is_dir():
        raise CourseError(f"module {module}: not built in this course; run 'coursekit build --course {course_dir}' first")
    named = learners_in(notebooks)
    if not named:
        raise CourseError(f"{zip_path}: no notebook name matched; name them <learner>/<notebook>.ipynb "
                          f"or <learner>_<notebook>.ipynb")

    downloaded = root / "downloaded" / module
    shutil.rmtree(downloaded, ignore_errors=True)
    (downloaded / "archive").mkdir(parents=True)
    shutil.copy2(zip_path, downloaded / "archive" / zip_path.name)

    api = nbgrader_api(root)
    api.config.FileNameCollectorPlugin.named_regexp = NAMED_REGEXP
    api.config.ZipCollectApp.force = True
    api.config.ExtractorPlugin.force = True
    with temp_attrs(api.coursedir, assignment_id=module), quiet():
        app = ZipCollectApp(coursedir=api.coursedir, parent=api)
        app.collector_plugin = FileNameCollectorPlugin
        result = capture_log(app)
    if not result.get("success"):
        from coursekit.course.nbgrader_env import last_error

        raise CourseError(f"{zip_path}: nbgrader zip collect failed: {last_error(result)}")
    return sorted(ln for ln in named if (root / "submitted" / ln / module).is_dir())


def learners_in(names: list[str]) -> set[str]:
    """Learner ids in the zip's notebook names, read with the same pattern nbgrader will use."""
    import re

    found = set()
    for name in names:
        match = re.match(NAMED_REGEXP, "x/extracted/zip/" + name)
        if match:
            found.add(match.group("student_id"))
    return found
