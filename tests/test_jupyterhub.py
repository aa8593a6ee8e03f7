"""The workshop server, end to end: deploy/jupyterhub on a real JupyterHub.

JupyterHub starts on 127.0.0.1 with ``deploy/jupyterhub/jupyterhub_config.py`` and
``deploy/jupyterhub/nbgrader_config.py`` unchanged, plus what a test machine needs instead of a real
platform: DummyAuthenticator, SimpleLocalProcessSpawner (every server runs as this OS user, so the
learners' nbgrader student ids come from the hub: see ``COURSEKIT_STUDENT_ID``), free ports and
temporary folders.  Then, over HTTP only, the way the people involved would do it:

- the trainer releases module 00 from the formgrader service (``/services/coursekit/formgrader``);
- two learners log in, start their servers, fetch the module from their server's Assignments
  API, answer (one all exercises, one the first half) and submit;
- the trainer collects from the formgrader; coursekit autogrades and its report shows both learners
  with their scores.

Needs ``jupyterhub`` (pip) and ``configurable-http-proxy`` (npm: on PATH, or installed with
``npm install --prefix ~/.cache/coursekit/node configurable-http-proxy``).  Every process started
(hub, proxy, formgrader service, learners' servers) is stopped at the end, by process id.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest
import requests
from conftest import REPO, require_service

from coursekit import course, grading, progress, simulate

MODULE = "00-orientation"
MARKER = "COURSEKIT_TEST_HUB"  # in the environment of every process of one test hub (value: a random id)
LEARNERS = {"ana": "complete", "ben": "partial"}
TRAINER = "trainer"
PASSWORD = "workshop-test"
DEPLOY = REPO / "deploy" / "jupyterhub"
BIN = Path(sys.executable).parent
DEPRECATED_ENV = {"JUPYTERHUB_OAUTH_SCOPES"}  # old name of JUPYTERHUB_OAUTH_ACCESS_SCOPES
CHP_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "coursekit" / "node" / "node_modules" / ".bin"


def find_proxy() -> str:
    found = shutil.which("configurable-http-proxy") or shutil.which("configurable-http-proxy", path=str(CHP_CACHE))
    if not found:
        require_service("configurable-http-proxy not found (npm install -g configurable-http-proxy; "
                        f"or npm install --prefix {CHP_CACHE.parent.parent} configurable-http-proxy)")
    return found


def find_jupyterhub() -> Path:
    hub = BIN / "jupyterhub"
    if importlib.util.find_spec("jupyterhub") is None or not hub.exists():
        require_service("jupyterhub is not installed in this environment (pip install jupyterhub)")
    return hub


def free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


TEST_CONFIG = """\
# Test machine settings on top of the workshop configuration (written by tests/test_jupyterhub.py).
c = get_config()  # noqa: F821
load_subconfig({deploy!r})  # noqa: F821
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {home!r}
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment.update({{"JUPYTER_CONFIG_PATH": {config_path!r}, "JUPYTER_RUNTIME_DIR": {runtime!r},
                               "{marker_name}": {marker!r}}})
services = c.JupyterHub.services
services = services.get_value([]) if hasattr(services, "get_value") else services  # appended to, not set
services[-1]["environment"].update(
    {{"JUPYTER_CONFIG_PATH": {config_path!r}, "JUPYTER_RUNTIME_DIR": {runtime!r}, "HOME": {service_home!r},
     "{marker_name}": {marker!r}}})
c.JupyterHub.services = services
if {root}:  # CI runs as root; Jupyter servers refuse to unless told
    c.Spawner.args = ["--allow-root"]
    services[-1]["command"] = services[-1]["command"] + ["--allow-root"]
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.JupyterHub.db_url = "sqlite:///{state}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{state}/jupyterhub_cookie_secret"
c.ConfigurableHTTPProxy.pid_file = "{state}/proxy.pid"
"""


class Hub:
    """A JupyterHub subprocess and every process it starts; :meth:`stop` ends them all by id."""

    def __init__(self, workdir: Path, course_dir: Path, exchange: Path):
        self.marker = uuid.uuid4().hex
        port, hub_port, proxy_api_port, service_port = free_ports(4)
        self.url = f"http://127.0.0.1:{port}"
        state = workdir / "hub"
        for sub in ("hub", "home", "runtime", "service-home"):
            (workdir / sub).mkdir(parents=True, exist_ok=True)
        self.config = state / "jupyterhub_config.py"
        self.config.write_text(TEST_CONFIG.format(
            deploy=str(DEPLOY / "jupyterhub_config.py"), password=PASSWORD,
            home=str(workdir / "home" / "{username}"), singleuser=str(BIN / "jupyterhub-singleuser"),
            config_path=str(DEPLOY), runtime=str(workdir / "runtime"), service_home=str(workdir / "service-home"),
            marker_name=MARKER, marker=self.marker, root=os.geteuid() == 0, port=port, hub_port=hub_port,
            proxy_api_port=proxy_api_port, proxy=find_proxy(), state=state))
        self.env = {**os.environ, MARKER: self.marker,
                    "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
                    "COURSEKIT_COURSE_DIR": str(course_dir),
                    "COURSEKIT_EXCHANGE": str(exchange),
                    "COURSEKIT_TRAINERS": TRAINER,
                    "COURSEKIT_LEARNERS": ",".join(LEARNERS),
                    "COURSEKIT_SERVICE_PORT": str(service_port),
                    "COURSEKIT_SINGLEUSER": str(BIN / "jupyterhub-singleuser")}
        self.env.pop("JUPYTERHUB_API_TOKEN", None)
        self.log = state / "jupyterhub.log"
        self.proc = None
        self.seen: dict[int, object] = {}  # pid -> psutil.Process (remembers its start time)

    # ----------------------------------------------------------------- processes

    def start(self, timeout: float = 120) -> None:
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen([str(find_jupyterhub()), "-f", str(self.config)], cwd=self.config.parent,
                                         env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.wait_for(lambda: self.get("/hub/api").ok, timeout, "the hub did not answer")

    def remember_children(self) -> None:
        """Note the processes of this hub so far (proxy, service, servers) by id and start time, so
        that they can be stopped even if the hub dies first: the hub's descendants, and any process
        carrying this hub's marker in its environment (servers run in sessions of their own)."""
        import psutil

        found = []
        if self.proc is not None:
            try:
                found += psutil.Process(self.proc.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                pass
        for p in psutil.process_iter():
            try:
                if p.environ().get(MARKER) == self.marker and p.pid != os.getpid():
                    found.append(p)
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
        for p in found:
            self.seen.setdefault(p.pid, p)

    def stop(self) -> None:
        import psutil

        self.remember_children()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # the hub stops the servers, the service and the proxy
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.remember_children()
        left = [p for p in self.seen.values() if p.is_running()]  # is_running also checks the start time
        for p in left:
            p.terminate()
        _, alive = psutil.wait_procs(left, timeout=10)
        for p in alive:
            p.kill()

    def environment_of(self, **match) -> dict[str, str]:
        """The environment of the hub's process whose environment has these values."""
        import psutil

        self.remember_children()
        for p in self.seen.values():
            try:
                env = p.environ()
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
            if all(env.get(k) == v for k, v in match.items()):
                return env
        pytest.fail(f"no process with {match}")

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def wait_for(self, ready, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"JupyterHub exited ({self.proc.returncode}):\n{self.log_tail()}")
            self.remember_children()
            try:
                if ready():
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.3)
        pytest.fail(f"{what} within {timeout:.0f} s:\n{self.log_tail()}")

    # ----------------------------------------------------------------- HTTP

    def request(self, method: str, path: str, token: str | None = None, **kw):
        headers = {"Authorization": f"token {token}"} if token else {}
        return requests.request(method, self.url + path, headers=headers, timeout=120, **kw)

    def get(self, path, token=None, **kw):
        return self.request("GET", path, token, **kw)

    def post(self, path, token=None, **kw):
        return self.request("POST", path, token, **kw)

    def login(self, name: str, password: str = PASSWORD):
        """Log in with name and password through the REST API: the user's API token (None if refused)."""
        r = self.post(f"/hub/api/users/{name}/tokens", json={"auth": {"username": name, "password": password},
                                                               "note": "workshop test"})
        assert r.status_code in (201, 403), f"login {name}: {r.status_code} {r.text[:200]}"
        return r.json()["token"] if r.status_code == 201 else None

    def start_server(self, name: str, token: str) -> None:
        r = self.post(f"/hub/api/users/{name}/server", token)
        assert r.status_code in (201, 202), f"start {name}: {r.status_code} {r.text[:200]}"

    def wait_for_server(self, name: str, token: str) -> None:
        self.wait_for(lambda: (self.get(f"/hub/api/users/{name}", token).json().get("servers", {})
                               .get("", {}).get("ready")), 120, f"{name}'s server did not start")

    def assignments(self, name: str, token: str, action: str) -> dict[str, str]:
        """fetch or submit the module from the learner's server, as the Assignments tab does;
        returns assignment id -> status as the server then lists them."""
        r = self.post(f"/user/{name}/assignments/{action}", token,
                      params={"course_id": "coursekit", "assignment_id": MODULE})
        assert r.ok and r.json().get("success"), f"{action} {name}: {r.status_code} {r.text[:500]}"
        return {a["assignment_id"]: a["status"] for a in r.json()["value"]}


def answered(release_nb, source_nb, profile: str):
    """The learner version with all exercises answered ('complete') or the first half ('partial')."""
    exercises = simulate.exercises(source_nb)
    chosen = exercises if profile == "complete" else exercises[: len(exercises) // 2]
    return simulate.fill_in(release_nb, {e.grade_id: e.answer for e in chosen}), sum(e.points for e in chosen)


@pytest.mark.services
def test_workshop_round_trip_through_jupyterhub(tmp_path):
    started = last = time.monotonic()
    laps = []

    def lap(what):
        nonlocal last
        laps.append(f"{what} {time.monotonic() - last:.1f} s")
        last = time.monotonic()

    find_proxy()
    find_jupyterhub()
    course_dir, exchange = tmp_path / "course", tmp_path / "exchange"
    course.build(course_dir, [MODULE])
    exchange.mkdir()
    lap("build")
    source_nb = nbformat.read(course.notebooks_dir() / MODULE / f"{MODULE}.ipynb", as_version=4)

    hub = Hub(tmp_path, course_dir, exchange)
    try:
        hub.start()
        lap("hub up")
        trainer = hub.login(TRAINER)
        formgrader = "/services/coursekit/formgrader"
        hub.wait_for(lambda: hub.get(f"{formgrader}/api/status", trainer).ok, 120, "the formgrader service did not answer")

        # The trainer releases the module from the formgrader; learners may not use the formgrader.
        r = hub.post(f"{formgrader}/api/assignment/{MODULE}/release", trainer)
        assert r.ok and r.json()["success"], r.text[:500]
        assert (exchange / "coursekit" / "outbound" / MODULE / f"{MODULE}.ipynb").exists()
        lap("formgrader up, released")

        assert hub.login("ana", "wrong password") is None
        tokens = {name: hub.login(name) for name in LEARNERS}
        for name, token in tokens.items():
            assert hub.get(f"{formgrader}/api/status", token).status_code == 403
            hub.start_server(name, token)
        for name, token in tokens.items():
            hub.wait_for_server(name, token)
        lap("learners' servers")

        expected = {}
        for name, token in tokens.items():
            assert hub.assignments(name, token, "fetch")[MODULE] == "fetched"
            url = f"/user/{name}/api/contents/{MODULE}/{MODULE}.ipynb"
            r = hub.get(url, token)
            assert r.ok, r.text[:300]
            work, expected[name] = answered(nbformat.from_dict(r.json()["content"]), source_nb, LEARNERS[name])
            r = hub.request("PUT", url, token, json={"type": "notebook", "format": "json", "content": work})
            assert r.ok, r.text[:300]
            assert hub.assignments(name, token, "submit")[MODULE] == "submitted"
        inbound = sorted(p.name.split("+")[0] for p in (exchange / "coursekit" / "inbound").iterdir())
        assert inbound == sorted(LEARNERS)  # student ids are the hub names, not the one OS user

        r = hub.post(f"{formgrader}/api/assignment/{MODULE}/collect", trainer)
        assert r.ok and r.json()["success"], r.text[:500]
        assert sorted(p.name for p in (course_dir / "submitted").iterdir()) == sorted(LEARNERS)
        lap("fetched, submitted, collected")
        service_env = hub.environment_of(JUPYTERHUB_SERVICE_NAME="coursekit")
    finally:
        hub.stop()
    assert len(hub.seen) >= 4, hub.seen  # proxy, formgrader service, two learners' servers (at least)
    assert [p.pid for p in hub.seen.values() if p.is_running()] == []
    lap("stopped")

    outcomes = grading.autograde(course_dir, modules=[MODULE], jobs=2)
    lap("autograded")
    assert [(o.learner_id, o.ok) for o in outcomes] == [(n, True) for n in sorted(LEARNERS)], outcomes
    table = progress.completion(course_dir).set_index("learner_id")
    assert sorted(table.index) == sorted(LEARNERS)
    for name, points in expected.items():
        row = table.loc[name]
        # 'late' only because the default schedule put module 00's due date in January 2026
        assert row["status"] in ("autograded", "late") and row["score"] == pytest.approx(points), row.to_dict()
    assert table.loc["ana", "score"] == table.loc["ana", "max_score"] > table.loc["ben", "score"] > 0
    # The Kubernetes formgrader pod is given what the hub gives the service it starts itself.
    given = {k for k, v in service_env.items() if k.startswith("JUPYTERHUB_") and v} - DEPRECATED_ENV
    assert given - set(formgrader_pod_env()) == set()
    print(f"\nJupyterHub round trip: {time.monotonic() - started:.1f} s ({', '.join(laps)})")


# --------------------------------------------------------------------------- the configuration alone


def formgrader_pod_env() -> dict[str, object]:
    """name -> value (or valueFrom) of the formgrader container in z2jh/formgrader.yaml."""
    import yaml

    docs = list(yaml.safe_load_all((DEPLOY / "z2jh" / "formgrader.yaml").read_text()))
    [deployment] = [d for d in docs if d["kind"] == "Deployment"]
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container["env"]}


def load_hub_config(monkeypatch, tmp_path, before: str = "", **env):
    """deploy/jupyterhub/jupyterhub_config.py as JupyterHub would load it (after ``before``, a
    platform's own settings), with these COURSEKIT_* environment variables."""
    from traitlets.config.loader import PyFileConfigLoader

    for name in [n for n in os.environ if n.startswith("COURSEKIT_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(f"COURSEKIT_{name}", value)
    main = tmp_path / "jupyterhub_config.py"
    main.write_text(f"c = get_config()\n{before}\nload_subconfig({str(DEPLOY / 'jupyterhub_config.py')!r})\n")
    return PyFileConfigLoader(main.name, str(tmp_path)).load_config()


def value(setting, initial):
    """A setting's value, whether set outright or (appended to / updated) lazily."""
    return setting.get_value(initial) if hasattr(setting, "get_value") else setting


class FakeSpawner:
    def __init__(self, name, groups):
        self.user = type("User", (), {"name": name, "groups": [type("Group", (), {"name": g})() for g in groups]})()


def test_hub_config_groups_roles_and_managed_formgrader(monkeypatch, tmp_path):
    c = load_hub_config(monkeypatch, tmp_path, COURSE_DIR="/srv/c", TRAINERS="tess, tom", LEARNERS="ana,ben",
                        SERVICE_PORT="9123")
    assert value(c.Authenticator.allowed_users, set()) == {"tess", "tom", "ana", "ben"}
    groups = value(c.JupyterHub.load_groups, {})
    assert groups["nbgrader-coursekit"]["users"] == ["ana", "ben"] and groups["formgrade-coursekit"]["users"] == ["tess", "tom"]
    [service] = value(c.JupyterHub.services, [])
    assert service["url"] == "http://127.0.0.1:9123" and service["cwd"] == "/srv/c" and "api_token" not in service
    assert service["environment"]["JUPYTERHUB_USER"] == "tess"
    roles = {r["name"]: r for r in value(c.JupyterHub.load_roles, [])}
    assert roles["coursekit-trainer"]["groups"] == ["formgrade-coursekit"]
    assert "access:services!service=coursekit" in roles["coursekit-trainer"]["scopes"]
    assert roles["coursekit-formgrader"]["services"] == ["coursekit"]
    student_id = value(c.Spawner.environment, {})["COURSEKIT_STUDENT_ID"]
    assert student_id(FakeSpawner("ana", ["nbgrader-coursekit"])) == "ana"
    assert student_id(FakeSpawner("tess", ["formgrade-coursekit"])) == ""  # a trainer's nbgrader sees everyone
    assert "read:users:groups!user" in c.Spawner.server_token_scopes
    learner_config = value(c.Spawner.environment, {})["JUPYTER_CONFIG_PATH"]
    config_dir = Path(learner_config(FakeSpawner("ana", ["nbgrader-coursekit"])))
    assert learner_config(FakeSpawner("tess", ["formgrade-coursekit"])) == ""  # the trainer keeps every tool
    disabled = json.loads((config_dir / "labconfig" / "page_config.json").read_text())["disabledExtensions"]
    assert disabled.get("@jupyter/nbgrader:formgrader") and "@jupyter/nbgrader:assignment-list" not in disabled


def test_hub_config_adds_to_the_platforms_allowed_users_and_reads_the_roster(monkeypatch, tmp_path):
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "roster.csv").write_text("learner_id,name,team,supervisor,start_date\n"
                                                    "ana,Ana,Billing,Rita,2026-01-05\n,,,,\nben,Ben,Billing,Rita,2026-01-05\n")
    c = load_hub_config(monkeypatch, tmp_path, before="c.Authenticator.allowed_users = {'admin'}",
                        COURSE_DIR=str(tmp_path / "course"))
    assert value(c.Authenticator.allowed_users, set()) == {"admin", "trainer", "ana", "ben"}
    assert value(c.JupyterHub.load_groups, {})["nbgrader-coursekit"]["users"] == ["ana", "ben"]


def test_hub_config_external_formgrader_matches_the_kubernetes_pod(monkeypatch, tmp_path):
    c = load_hub_config(monkeypatch, tmp_path, SERVICE_URL="http://coursekit-formgrader:9999", SERVICE_TOKEN="s3cret")
    [service] = value(c.JupyterHub.services, [])
    assert "command" not in service and service["api_token"] == "s3cret"
    pod = formgrader_pod_env()
    assert service["url"] == "http://coursekit-formgrader:9999" and service["name"] == pod["JUPYTERHUB_SERVICE_NAME"]
    assert service["oauth_client_id"] == pod["JUPYTERHUB_CLIENT_ID"]
    assert service["oauth_redirect_uri"] == pod["JUPYTERHUB_OAUTH_CALLBACK_URL"]
    assert pod["JUPYTERHUB_USER"] == "trainer" and "secretKeyRef" in pod["JUPYTERHUB_API_TOKEN"]


def test_z2jh_values_mount_the_same_config():
    import yaml

    values = yaml.safe_load((DEPLOY / "z2jh" / "values.yaml").read_text())
    mount = values["hub"]["extraFiles"]["coursekit"]["mountPath"]
    assert mount in values["hub"]["extraConfig"]["coursekit"]
    assert values["hub"]["extraEnv"]["COURSEKIT_SERVICE_URL"].startswith("http://coursekit-formgrader:")
    claims = [v["persistentVolumeClaim"]["claimName"] for v in values["singleuser"]["storage"]["extraVolumes"]]
    assert claims == ["coursekit-exchange"]


def _as_user(user: str, code: str) -> subprocess.CompletedProcess:
    """Run Python ``code`` as the operating-system ``user`` (needs root)."""
    import pwd

    entry = pwd.getpwnam(user)

    def drop():
        os.setgroups([])
        os.setgid(entry.pw_gid)
        os.setuid(entry.pw_uid)

    return subprocess.run(["/usr/bin/python3", "-c", code], preexec_fn=drop, capture_output=True, text=True,
                          timeout=60, cwd="/")


def test_on_a_shared_server_learners_cannot_read_the_course_or_touch_each_others_work():
    """Two real learner accounts: neither can read solutions or the gradebook, and neither can
    overwrite, rename or delete the other's submission in the exchange."""
    import shutil as _shutil

    if os.geteuid() != 0 or not _shutil.which("useradd"):
        require_service("needs root and useradd to create learner accounts")
    users = ["ck-learner-a", "ck-learner-b"]
    for user in users:
        subprocess.run(["useradd", "--no-create-home", user], capture_output=True)
    import tempfile

    tmp_path = Path(tempfile.mkdtemp(prefix="coursekit-shared-"))  # outside pytest's private folder
    tmp_path.chmod(0o755)
    try:
        root = tmp_path / "course"
        course.build(root, [MODULE])
        root.chmod(0o755)
        for secret in [root / "source" / MODULE / f"{MODULE}.ipynb", root / "gradebook.db", root / "nbgrader_config.py"]:
            run = _as_user(users[0], f"open({str(secret)!r}).read(1)")
            assert run.returncode != 0 and "PermissionError" in run.stderr, (secret, run.stderr[-300:])
        run = _as_user(users[0], f"import os; print(len(os.listdir({str(root / 'release' / MODULE)!r})))")
        assert run.returncode == 0, run.stderr  # the learner version stays readable
        # the exchange's inbound folder as nbgrader makes it, with the sticky bit the README asks for
        inbound = tmp_path / "exchange" / "coursekit" / "inbound"
        inbound.mkdir(parents=True)
        (tmp_path / "exchange").chmod(0o755)
        (tmp_path / "exchange" / "coursekit").chmod(0o755)
        inbound.chmod(0o3733)
        mine = f"{users[0]}+{MODULE}+2026-12-01 10:00:00 UTC+abc123"
        hand_in = (f"import os; p = os.path.join({str(inbound)!r}, {mine!r}); os.mkdir(p, 0o755); "
                   f"open(os.path.join(p, 'nb.ipynb'), 'w').write('mine'); os.chmod(os.path.join(p, 'nb.ipynb'), 0o644)")
        assert _as_user(users[0], hand_in).returncode == 0
        target = inbound / mine
        for attack in (f"import os; print(os.listdir({str(inbound)!r}))",
                       f"open({str(target / 'nb.ipynb')!r}, 'w').write('theirs')",
                       f"import os; os.rename({str(target)!r}, {str(inbound / 'stolen')!r})",
                       f"import shutil; shutil.rmtree({str(target)!r})"):
            run = _as_user(users[1], attack)
            assert run.returncode != 0, attack
        assert (target / "nb.ipynb").read_text() == "mine"
    finally:
        for user in users:
            subprocess.run(["userdel", user], capture_output=True)
        shutil.rmtree(tmp_path, ignore_errors=True)
