# The Littlest JupyterHub: copy to /opt/tljh/config/jupyterhub_config.d/coursekit.py, edit the names,
# then `sudo tljh-config reload`.  TLJH keeps its own authenticator and spawner; this adds the course.
import os

os.environ.setdefault("COURSEKIT_COURSE_DIR", "/srv/coursekit/course")
os.environ.setdefault("COURSEKIT_EXCHANGE", "/srv/nbgrader/exchange")
os.environ.setdefault("COURSEKIT_TRAINERS", "trainer")
# Learners: a comma-separated list here, or leave it out to use the learner_id column of
# /srv/coursekit/course/roster.csv (the roster `coursekit report` uses).
# os.environ.setdefault("COURSEKIT_LEARNERS", "ana,ben,chen")
os.environ.setdefault("COURSEKIT_SINGLEUSER", "/opt/tljh/user/bin/jupyterhub-singleuser")
os.environ.setdefault("COURSEKIT_SERVICE_USER", "coursekit")  # owns /srv/coursekit; runs the formgrader

load_subconfig("/opt/coursekit/deploy/jupyterhub/jupyterhub_config.py")  # noqa: F821
