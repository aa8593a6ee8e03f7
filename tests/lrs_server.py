"""A real Learning Record Store for the tests and benchmarks: Ralph (``ralph-malph`` on PyPI) with
its file-system backend, on 127.0.0.1 and a free port, with HTTP basic auth (``ralph_app.py`` says
the one default it changes).

Ralph lives in its own virtual environment, ``.venv-lrs`` beside ``.venv`` (its pins, FastAPI and
pydantic among them, must not meet nbgrader's and Jupyter's).  ``.ci/run`` makes it; :func:`ralph_python`
makes it when it is missing, from the requirements in ``pyproject.toml``
(``[tool.coursekit] lrs-requirements``).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from base64 import b64encode
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VENV = Path(os.environ.get("COURSEKIT_LRS_VENV", REPO / ".venv-lrs"))
USER, PASSWORD = "trainer", "not-a-secret"


def requirements() -> list[str]:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["coursekit"]["lrs-requirements"]


def ralph_python() -> tuple[Path | None, str]:
    """The Python of the LRS's venv (made from PyPI when missing), or None and why not."""
    import fcntl

    python = VENV / "bin" / "python"
    probe = [str(python), "-c", "import ralph.backends.data.fs, requests, bcrypt, uvicorn, fastapi"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python, ""
    with open(VENV.parent / ".venv-lrs.lock", "w") as lock:  # one test worker installs, the others wait
        fcntl.flock(lock, fcntl.LOCK_EX)
        if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
            return python, ""
        return _install(python, probe)


def _install(python: Path, probe: list[str]) -> tuple[Path | None, str]:
    try:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(VENV)],
                           check=True, capture_output=True, timeout=300)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *requirements()],
                       check=True, capture_output=True, timeout=900)
    except (subprocess.SubprocessError, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        return None, f"Ralph could not be installed in {VENV}: {exc} {detail.decode(errors='replace')[-300:]}"
    if subprocess.run(probe, capture_output=True).returncode != 0:
        return None, f"Ralph installed in {VENV} but cannot be imported"
    return python, ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Ralph:
    """One Ralph LRS: ``start()``, ``kill()`` (abruptly, as a crash), ``stop()``; statements kept in
    ``folder`` across restarts.  ``auth_file``: the credentials file of another instance to reuse."""

    def __init__(self, python: Path, folder: Path, port: int | None = None, auth_file: Path | None = None):
        self.python, self.folder = python, Path(folder)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/xAPI"
        self.auth = f"{USER}:{PASSWORD}"
        self.process: subprocess.Popen | None = None
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        self.env = {**os.environ, "RALPH_APP_DIR": str(self.folder / "app"), "RALPH_AUTH_FILE": str(self.folder / "auth.json"),
                    "RALPH_RUNSERVER_BACKEND": "fs", "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.folder / "data"),
                    "RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT": "1000", "RALPH_SENTRY_DSN": ""}
        if auth_file is not None and not (self.folder / "auth.json").exists():  # made once, reused: bcrypt is slow
            shutil.copy(auth_file, self.folder / "auth.json")
        if not (self.folder / "auth.json").exists():
            subprocess.run([str(python.parent / "ralph"), "auth", "-u", USER, "-p", PASSWORD, "-s", "all",
                            "-M", "mailto:trainer@example.com", "-w"], env=self.env, check=True, capture_output=True,
                           timeout=120)

    def start(self, timeout: float = 60) -> "Ralph":
        log = open(self.folder / "server.log", "ab")
        self.process = subprocess.Popen([str(self.python), "-m", "uvicorn", "ralph_app:app", "--app-dir", str(HERE), "--host", "127.0.0.1",
                                         "--port", str(self.port), "--log-level", "warning"],
                                        env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Ralph exited: {(self.folder / 'server.log').read_text()[-800:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"Ralph did not answer on port {self.port} within {timeout:.0f} s")

    def kill(self) -> None:
        """Stop the LRS at once, as a crash would (SIGKILL to its process group)."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def get(self, query: str = "") -> dict:
        """GET /xAPI/statements?query through the LRS's own API (basic auth)."""
        request = urllib.request.Request(f"{self.url}/statements" + (f"?{query}" if query else ""),
                                         headers={"X-Experience-API-Version": "1.0.3",
                                                  "Authorization": "Basic " + b64encode(self.auth.encode()).decode()})
        with urllib.request.urlopen(request, timeout=30) as r:
            return json.loads(r.read())

    def all_statements(self) -> list[dict]:
        """Every statement the LRS holds, following its ``more`` links."""
        found, query = [], "limit=1000"
        while True:
            page = self.get(query)
            found.extend(page["statements"])
            more = page.get("more")
            if not more or not page["statements"]:
                return found
            query = more.split("?", 1)[1]
