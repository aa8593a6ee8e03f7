"""The learner's notebook in a real JupyterLab in a real (headless) Chromium, as a new hire meets it.

``coursekit lab`` serves the learner version of module 00; the browser runs *Kernel > Restart Kernel
and Run All Cells*, and the test looks at the page: every cell ran, no traceback anywhere, one
friendly line per unfinished exercise, the SelfAssessment widget drawn, no trainer tools in the
menus; then the notebook is saved, the page reloaded, and the widget must come back (its state is
saved with the notebook).  Screenshots land in ``COURSEKIT_SCREENSHOTS`` (default:
``test-artifacts/``) for a person to look at.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import require_service

from coursekit.course.lab import lab_command

pytestmark = [pytest.mark.services, pytest.mark.xdist_group("00-orientation")]
MODULE = "00-orientation"
TOKEN = "coursekit-test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(built_modules, tmp_path_factory):
    root = tmp_path_factory.mktemp("lab") / "course"
    shutil.copytree(built_modules(MODULE), root)
    # every cell in the page at once (JupyterLab 4 otherwise only draws the cells on screen)
    tracker = root / ".learner" / "lab-settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True, exist_ok=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}))
    port = free_port()
    command, env = lab_command(root, port=port, open_browser=False,
                               extra=[f"--IdentityProvider.token={TOKEN}", "--ServerApp.ip=127.0.0.1",
                                      "--LabApp.news_url=", "--LabApp.check_for_updates_class="
                                      "jupyterlab.NeverCheckForUpdate"])
    env["HOME"] = str(root / ".learner")  # a new hire's empty home
    log = open(root / "lab.log", "w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("JupyterLab did not start:\n" + (root / "lab.log").read_text()[-2000:])
            time.sleep(0.5)
    yield {"url": url, "root": root, "log": root / "lab.log"}
    os.killpg(server.pid, 15)
    try:
        server.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, 9)
    log.close()


def wait_for(browser, script: str, seconds: float = 120, what: str = ""):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = browser.execute_script(script)
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what or script}")


def shot(browser, name: str, tmp_path: Path) -> Path:
    from conftest import REPO

    folder = Path(os.environ.get("COURSEKIT_SCREENSHOTS") or REPO / "test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    browser.save_screenshot(str(path))
    return path


CELLS_DONE = """
const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
const prompts = cells.map(c => (c.querySelector('.jp-InputPrompt') || {}).textContent || '');
return cells.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p)) ? cells.length : 0;
"""


def restart_and_run_all(browser, url: str) -> None:
    browser.get(url)
    wait_for(browser, "return document.querySelector('.jp-Notebook .jp-CodeCell') !== null", what="the notebook")
    wait_for(browser, "return document.body.innerText.includes('Idle')", 120, "an idle kernel")
    kernel_menu = browser.execute_script("return [...document.querySelectorAll('.lm-MenuBar-item')]"
                                         ".find(e => e.textContent.trim() === 'Kernel')")
    kernel_menu.click()  # a real click, as a learner's
    item = wait_for(browser, "return [...document.querySelectorAll('.lm-Menu-item')].find("
                             "e => e.textContent.includes('Restart Kernel and Run All Cells'))",
                    10, "Restart Kernel and Run All Cells in the Kernel menu")
    item.click()
    wait_for(browser, "return document.querySelector('.jp-Dialog-button.jp-mod-accept')", what="the restart dialog").click()
    time.sleep(2)


def test_restart_and_run_all_runs_every_cell_with_no_traceback(lab, chromium, tmp_path):
    browser = chromium
    browser.set_window_size(1300, 1000)
    url = f"{lab['url']}/lab/tree/{MODULE}/{MODULE}.ipynb?token={TOKEN}"
    started = time.monotonic()
    restart_and_run_all(browser, url)
    menu = browser.execute_script("return [...document.querySelectorAll('.lm-MenuBar-itemLabel')].map(e => e.textContent)")
    assert "Nbgrader" not in menu and not any("grader" in m.lower() for m in menu), menu
    try:
        cells = wait_for(browser, CELLS_DONE, 120, "every cell to run")
    except AssertionError:
        # jupyter_server 2 sometimes drops the page's kernel connection on its first start ("Replacing stale
        # connection", then a websocket message it cannot decode); the page then waits forever.  Reload once.
        shot(browser, "learner-00-stuck-before-retry", tmp_path)
        restart_and_run_all(browser, url)
        cells = wait_for(browser, CELLS_DONE, 180, "every cell to run")
    print(f"module {MODULE}: open, restart and run all in {time.monotonic() - started:.1f} s")
    time.sleep(2)
    picture = shot(browser, "learner-00-after-run-all", tmp_path)
    text = browser.execute_script("return [...document.querySelectorAll('.jp-Notebook .jp-OutputArea')]"
                                  ".map(e => e.innerText).join('\\n')")
    browser.execute_script("[...document.querySelectorAll('.jp-OutputArea')].find("
                           "e => e.innerText.includes('is not answered yet')).scrollIntoView({block: 'center'})")
    shot(browser, "learner-00-first-exercise", tmp_path)
    errors = browser.execute_script(
        "return [...document.querySelectorAll('[data-mime-type=\"application/vnd.jupyter.stderr\"]')]"
        ".map(e => e.innerText.slice(0, 200))")
    assert not errors, (errors, picture)
    assert text.count("is not answered yet") >= 4, picture
    assert "Traceback" not in text and "NotImplementedError" not in text, picture
    assert browser.execute_script("return document.querySelectorAll('.jupyter-widgets').length") > 0, picture
    assert cells >= 10
    log = lab["log"].read_text()
    assert "nbgrader" not in log and "course directory" not in log, log[-3000:]  # no trainer tools, no course error


def test_a_saved_notebook_shows_its_widgets_again_when_reopened(lab, chromium, tmp_path):
    browser = chromium
    notebook = lab["root"] / "release" / MODULE / f"{MODULE}.ipynb"
    before = notebook.stat().st_mtime
    browser.execute_script("document.querySelector('.jp-Notebook').focus()")
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    ActionChains(browser).key_down(Keys.CONTROL).send_keys("s").key_up(Keys.CONTROL).perform()
    deadline = time.monotonic() + 30
    while notebook.stat().st_mtime == before and time.monotonic() < deadline:
        time.sleep(0.5)
    assert notebook.stat().st_mtime > before, "the notebook was not saved"
    saved = json.loads(notebook.read_text())
    assert saved["metadata"].get("widgets", {}).get("application/vnd.jupyter.widget-state+json"), \
        "widget state is not saved with the notebook"
    browser.refresh()
    wait_for(browser, "return document.querySelector('.jp-Notebook .jp-CodeCell') !== null", what="the notebook")
    time.sleep(5)
    picture = shot(browser, "learner-00-reopened", tmp_path)
    text = browser.execute_script("return document.querySelector('.jp-Notebook').innerText")
    assert "Error displaying widget" not in text, picture
    assert browser.execute_script("return document.querySelectorAll('.jupyter-widgets').length") > 0, picture
