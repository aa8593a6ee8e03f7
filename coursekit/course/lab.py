"""JupyterLab for a learner: the course's learner versions, without the trainer's tools.

nbgrader installs its JupyterLab extension (a Formgrader, "Create Assignment", a course list, an
Nbgrader menu) and a server extension for everyone who has nbgrader, and the server extension looks
for a course root wherever the server starts.  A new hire sees instructor tools and the server log
shows an error about the course.  :func:`learner_config` writes a small Jupyter configuration that
switches those off and keeps widget state in saved notebooks (so reopened notebooks show their
widgets); :func:`lab_command` starts JupyterLab on ``COURSE/release`` with it.  The trainer's own
Jupyter (no such configuration) keeps every tool.

On the workshop hub the same files serve the learners' servers (``deploy/jupyterhub``: the hub sets
``JUPYTER_CONFIG_PATH`` for learners only).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from coursekit.errors import CourseError

#: nbgrader's JupyterLab plugins a learner does not use (the trainer's tools).  On a hub with an
#: exchange, learners keep the assignment list (fetch and submit).
INSTRUCTOR_PLUGINS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                      "@jupyter/nbgrader:course-list", "@jupyter/nbgrader:menu")
#: without an exchange (a learner's own machine) none of nbgrader's plugins does anything
ALL_NBGRADER = ("@jupyter/nbgrader",)
#: nbgrader's server extensions: the trainer's two, and the two a learner with an exchange uses
INSTRUCTOR_SERVER = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")
LEARNER_SERVER = ("nbgrader.server_extensions.assignment_list", "nbgrader.server_extensions.validate_assignment")
#: learner settings (file under JUPYTERLAB_SETTINGS_DIR -> settings): widget state saved with the
#: notebook, so a reopened notebook shows its widgets; no "Would you like news?" question for a new hire
LEARNER_SETTINGS = {
    Path("@jupyter-widgets") / "jupyterlab-manager" / "plugin.jupyterlab-settings": {"saveState": True},
    Path("@jupyterlab") / "apputils-extension" / "notification.jupyterlab-settings": {"fetchNews": "false"},
}


def learner_config(folder: Path | str, with_exchange: bool = False) -> dict[str, Path]:
    """Write a learner's Jupyter configuration into ``folder``: ``jupyter/`` (for
    ``JUPYTER_CONFIG_PATH``: nbgrader's trainer extensions off, and all of nbgrader without an
    exchange) and ``lab-settings/`` (for ``JUPYTERLAB_SETTINGS_DIR``: widget state saved with the
    notebook).  Returns the two folders."""
    folder = Path(folder)
    config, settings = folder / "jupyter", folder / "lab-settings"
    (config / "labconfig").mkdir(parents=True, exist_ok=True)
    disabled = INSTRUCTOR_PLUGINS if with_exchange else ALL_NBGRADER + INSTRUCTOR_PLUGINS
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {name: True for name in disabled}}, indent=1) + "\n")
    off = INSTRUCTOR_SERVER if with_exchange else INSTRUCTOR_SERVER + LEARNER_SERVER
    server = {"ServerApp": {"jpserver_extensions": {name: False for name in off}}}
    (config / "jupyter_server_config.json").write_text(json.dumps(server, indent=1) + "\n")
    for name, values in LEARNER_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():  # a learner's own later choice is kept
            path.write_text(json.dumps(values, indent=1) + "\n")
    return {"config": config, "settings": settings}


def lab_command(course_dir, port: int | None = None, open_browser: bool = True, extra=()) -> tuple[list[str], dict]:
    """The command and environment that start a learner's JupyterLab on ``COURSE/release``."""
    root = Path(course_dir).resolve()
    release = root / "release"
    if not release.is_dir():
        raise CourseError(f"{root}: no learner version here (no release/); run 'coursekit build --course {course_dir}'")
    paths = learner_config(root / ".learner")
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(paths["settings"]),
           "JUPYTER_CONFIG_PATH": os.pathsep.join(filter(None, [str(paths["config"]),
                                                                 os.environ.get("JUPYTER_CONFIG_PATH")]))}
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={release}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and hub images often run as root
    if port:
        command.append(f"--port={port}")
    if not open_browser:
        command.append("--no-browser")
    return command + list(extra), env
