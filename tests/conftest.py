"""Shared fixtures: the curriculum's modules and built, graded course folders."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from coursekit import course

REPO = Path(__file__).resolve().parents[1]
SHARED_REAL = REPO.parent / "shared" / "real"
MODULES = course.list_modules()


def module_params():
    """One pytest param per module, grouped so one xdist worker builds each module once."""
    return [pytest.param(m, marks=pytest.mark.xdist_group(m), id=m) for m in MODULES]


def require_service(reason: str):
    """Skip with a clear reason, or fail when CI demands every service (COURSEKIT_REQUIRE_SERVICES=1)."""
    if os.environ.get("COURSEKIT_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service unavailable: {reason}")
    pytest.skip(reason)


def real_data(name: str) -> Path:
    """A file of ../shared/real, or a clean skip when ../shared is absent."""
    path = SHARED_REAL / name
    if not path.exists():
        pytest.skip(f"{path} not present (real data lives in ../shared/real beside the repo)")
    return path


@pytest.fixture(scope="session")
def built_modules(tmp_path_factory):
    """module -> a course folder with that module built (made once per worker, on first use)."""
    cache: dict[str, Path] = {}

    def get(module: str) -> Path:
        if module not in cache:
            root = tmp_path_factory.mktemp(f"course-{module}")
            course.build(root, [module])
            cache[module] = root
        return cache[module]

    return get


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """A throwaway PostgreSQL server on 127.0.0.1 (Debian's postgresql package), stopped at the end.

    Yields a function ``new_database() -> SQLAlchemy URL`` that creates an empty database.
    """
    import glob
    import socket
    import subprocess

    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not bins:
        require_service("PostgreSQL is not installed (Debian package 'postgresql'; .ci/run installs it)")
    bindir = Path(bins[-1]).parent
    import tempfile

    data = Path(tempfile.mkdtemp(prefix="coursekit-pg-"))  # not under pytest's 0700 tmp: postgres must reach it
    runas: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        runas = ["runuser", "-u", "postgres", "--"]
        shutil.chown(data, "postgres", "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    try:
        subprocess.run([*runas, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
                       check=True, capture_output=True)
        subprocess.run([*runas, str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(data / "log"), "-o",
                        f"-h 127.0.0.1 -p {port} -k {data} -c fsync=off -c max_connections=100", "start"],
                       check=True, capture_output=True)
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        require_service(f"PostgreSQL could not be started: {exc} {detail.decode(errors='replace')[-300:]}")
    counter = iter(range(10_000))

    def new_database() -> str:
        import psycopg2

        name = f"gradebook_{os.getpid()}_{next(counter)}"
        conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres")
        conn.autocommit = True
        conn.cursor().execute(f"CREATE DATABASE {name}")
        conn.close()
        return f"postgresql+psycopg2://postgres@127.0.0.1:{port}/{name}"

    yield new_database
    subprocess.run([*runas, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="module")
def chromium():
    """A headless Debian Chromium driven by Selenium (no browser download)."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        require_service("Debian's chromium and chromium-driver are not installed (.ci/run installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1200,900"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        chrome = webdriver.Chrome(service=Service(driver), options=options)
    except Exception as exc:  # a broken browser install
        require_service(f"headless Chromium could not start: {str(exc).splitlines()[0]}")
    yield chrome
    chrome.quit()


def axe_violations(browser, include=None, impacts=("serious", "critical")) -> list[dict]:
    """axe-core's violations of ``impacts`` on the page open in ``browser`` (axe's own JavaScript, as
    the ``selenium-axe-python`` package ships it, injected by Selenium); ``include``: a JavaScript
    expression giving the elements to check (default: the whole page).  Each violation comes back as
    ``{"id", "impact", "help", "nodes": [html of each offending element]}``."""
    try:
        from selenium_axe_python.axe import _DEFAULT_SCRIPT
    except ImportError:
        require_service("axe-core for Python is not installed (pip install selenium-axe-python)")
    browser.execute_script(Path(_DEFAULT_SCRIPT).read_text(encoding="utf-8"))
    found = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"const context = {include or 'document'};"
        "axe.run(context, {resultTypes: ['violations']}).then(r => done(r.violations), e => done(String(e)));")
    assert not isinstance(found, str), f"axe-core failed: {found}"
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["html"][:200] for n in v["nodes"]]}
            for v in found if v["impact"] in impacts]
