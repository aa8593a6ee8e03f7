"""JupyterHub for a coursekit workshop: learners in a group, the trainer's formgrader as a hub service.

Works as a whole ``jupyterhub_config.py`` or as a drop-in file next to another configuration (The
Littlest JupyterHub loads ``/opt/tljh/config/jupyterhub_config.d/*.py`` after its own settings). It
never chooses the authenticator or the spawner: that is the platform's job (see README.md).

What it sets up, for the nbgrader course ``coursekit``:

- group ``nbgrader-coursekit``: the learners (nbgrader's JupyterHubAuthPlugin reads this group to
  decide who may fetch and submit); group ``formgrade-coursekit``: the trainers;
- service ``coursekit``: a Jupyter server started by the hub in the course folder, opening on
  nbgrader's formgrader (``/services/coursekit/formgrader``); trainers may use it, learners may not;
- learners' servers may read their own group membership (nbgrader asks the hub on every fetch and
  submit) and are told their nbgrader student id (``COURSEKIT_STUDENT_ID``: their hub name, which
  ``nbgrader_config.py`` passes on as ``--student``; on TLJH the OS user would be ``jupyter-<name>``,
  and with one OS user for everyone it would be the same for all).

Settings, from environment variables of the hub process (defaults in brackets):

``COURSEKIT_COURSE_DIR``   the course folder made by ``coursekit build`` [/srv/coursekit/course]
``COURSEKIT_EXCHANGE``     nbgrader's exchange folder, writable by everyone [/srv/nbgrader/exchange]
``COURSEKIT_TRAINERS``     hub user names of the trainers, comma-separated [trainer]
``COURSEKIT_LEARNERS``     hub user names of the learners, comma-separated; when empty, the
                           ``learner_id`` column of ``COURSE_DIR/roster.csv`` (the report's roster)
``COURSEKIT_SERVICE_PORT`` port of the formgrader service on 127.0.0.1 [9999]
``COURSEKIT_SINGLEUSER``   the ``jupyterhub-singleuser`` of the environment where coursekit and
                           nbgrader are installed [jupyterhub-singleuser on PATH]
``COURSEKIT_SERVICE_USER`` OS user the formgrader runs as (only when the hub runs as root, as on
                           TLJH) [the hub's own user]
``COURSEKIT_SERVICE_URL``  set it when the formgrader runs outside the hub's machine (Kubernetes):
                           its URL; the hub then does not start it, and ``COURSEKIT_SERVICE_TOKEN``
                           is the API token the formgrader presents [unset: the hub starts it]
"""

import csv
import os
from pathlib import Path

c = get_config()  # noqa: F821

COURSE_ID = "coursekit"
LEARNERS_GROUP = f"nbgrader-{COURSE_ID}"
TRAINERS_GROUP = f"formgrade-{COURSE_ID}"


def names(value: str) -> list[str]:
    return [n.strip() for n in value.split(",") if n.strip()]


def roster_learners(course_dir: Path) -> list[str]:
    """learner_id column of the course's roster.csv (the file ``coursekit report`` reads), if any."""
    roster = course_dir / "roster.csv"
    if not roster.exists():
        return []
    with roster.open(newline="", encoding="utf-8") as fh:
        return [row["learner_id"].strip() for row in csv.DictReader(fh) if (row.get("learner_id") or "").strip()]


course_dir = Path(os.environ.get("COURSEKIT_COURSE_DIR", "/srv/coursekit/course"))
exchange = os.environ.get("COURSEKIT_EXCHANGE", "/srv/nbgrader/exchange")
trainers = names(os.environ.get("COURSEKIT_TRAINERS", "trainer"))
learners = names(os.environ.get("COURSEKIT_LEARNERS", "")) or roster_learners(course_dir)
service_port = int(os.environ.get("COURSEKIT_SERVICE_PORT", "9999"))

# Who may log in: trainers and learners, added to whatever the platform already allows.
allowed = c.Authenticator.allowed_users
if isinstance(allowed, (set, list, tuple)):
    c.Authenticator.allowed_users = set(allowed) | set(trainers + learners)
else:  # not set yet: merged with the platform's own setting when the hub loads its configuration
    allowed.update(trainers + learners)

c.JupyterHub.load_groups.update({
    LEARNERS_GROUP: {"users": learners},
    TRAINERS_GROUP: {"users": trainers},
})

service = {
    "name": COURSE_ID,
    "oauth_no_confirm": True,
}
if os.environ.get("COURSEKIT_SERVICE_URL"):
    # External: the formgrader runs elsewhere (its own pod on Kubernetes, see z2jh/formgrader.yaml)
    # and signs in to the hub with this token.
    service.update({
        "url": os.environ["COURSEKIT_SERVICE_URL"],
        "api_token": os.environ["COURSEKIT_SERVICE_TOKEN"],
        "oauth_client_id": f"service-{COURSE_ID}",
        "oauth_redirect_uri": f"/services/{COURSE_ID}/oauth_callback",
    })
else:
    # Managed: the hub starts the formgrader itself, in the course folder.
    service.update({
        "url": f"http://127.0.0.1:{service_port}",
        "command": [os.environ.get("COURSEKIT_SINGLEUSER", "jupyterhub-singleuser")],
        "cwd": str(course_dir),
        "environment": {
            "JUPYTERHUB_DEFAULT_URL": "/formgrader",
            "COURSEKIT_EXCHANGE": exchange,
            # nbgrader asks the hub for the courses of "the current user"; a service has none, so
            # the formgrader asks as the (first) trainer, who is in formgrade-coursekit.
            "JUPYTERHUB_USER": trainers[0],
        },
    })
    if os.environ.get("COURSEKIT_SERVICE_USER"):
        service["user"] = os.environ["COURSEKIT_SERVICE_USER"]
c.JupyterHub.services.append(service)

c.JupyterHub.load_roles.extend([
    {
        "name": "coursekit-formgrader",
        "description": "The formgrader service: sees who is in the course, adds learners to its group",
        "services": [COURSE_ID],
        "scopes": ["list:users", "read:users:name", "read:users:groups", "list:groups", "read:groups",
                   f"groups!group={LEARNERS_GROUP}"],
    },
    {
        "name": "coursekit-trainer",
        "description": "Trainers: use the formgrader, see and help the learners' servers",
        "groups": [TRAINERS_GROUP],
        "scopes": ["self", f"access:services!service={COURSE_ID}", "admin-ui", "list:users", "read:users",
                   f"servers!group={LEARNERS_GROUP}", f"access:servers!group={LEARNERS_GROUP}"],
    },
])


def student_id(spawner) -> str:
    """The nbgrader student id of a learner's server: the hub name (empty for everyone else)."""
    return spawner.user.name if LEARNERS_GROUP in [g.name for g in spawner.user.groups] else ""


#: learners' Jupyter configuration (deploy/learner: no trainer tools in their JupyterLab)
LEARNER_CONFIG = os.environ.get("COURSEKIT_LEARNER_CONFIG", str(Path(__file__).resolve().parent.parent / "learner" / "jupyter"))


def learner_config_path(spawner) -> str:
    """``JUPYTER_CONFIG_PATH`` of a learner's server: the learner configuration (empty for trainers)."""
    return LEARNER_CONFIG if student_id(spawner) else ""


c.Spawner.environment.update({"COURSEKIT_EXCHANGE": exchange, "COURSEKIT_STUDENT_ID": student_id,
                              "JUPYTER_CONFIG_PATH": learner_config_path})
# nbgrader's JupyterHubAuthPlugin asks the hub which groups the learner is in (GET /users/<name>)
# with the server's token: ask for that explicitly (JupyterHub 6 grants it by default; the 'server'
# role of older versions may not).
c.Spawner.server_token_scopes = ["users:activity!user", "access:servers!server",
                                 "read:users:name!user", "read:users:groups!user"]
