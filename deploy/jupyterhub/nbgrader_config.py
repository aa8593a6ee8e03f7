"""nbgrader settings for everyone on the workshop server: the exchange, the course, hub groups.

Install it where every Jupyter server (learners' servers and the trainer's formgrader service) reads
it: ``/opt/tljh/user/etc/jupyter/`` on TLJH, ``/etc/jupyter/`` in a Docker image, or any folder
named in ``JUPYTER_CONFIG_PATH``.  The course folder's own ``nbgrader_config.py`` (written by
``coursekit build``) adds the gradebook and the grading settings for the trainer.
"""

import os

c = get_config()  # noqa: F821

c.CourseDirectory.course_id = "coursekit"
# The shared folder where released modules wait and submissions arrive (writable by everyone).
c.Exchange.root = os.environ.get("COURSEKIT_EXCHANGE", "/srv/nbgrader/exchange")

if os.environ.get("JUPYTERHUB_API_URL"):
    # Who is in the course comes from the hub's groups nbgrader-coursekit / formgrade-coursekit.
    from nbgrader.auth import JupyterHubAuthPlugin

    c.Authenticator.plugin_class = JupyterHubAuthPlugin

if os.environ.get("COURSEKIT_STUDENT_ID"):
    # Set by jupyterhub_config.py on learners' servers only: fetch and submit as the hub user
    # (the same as passing --student to nbgrader), whatever the OS user is called.
    c.CourseDirectory.student_id = os.environ["COURSEKIT_STUDENT_ID"]
