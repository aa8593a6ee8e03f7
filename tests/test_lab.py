"""Every module's learner notebook in a real JupyterLab 4 in a real (headless) Chromium, as a new hire meets it.

One ``coursekit lab`` server serves the whole built course; for each module the browser opens the learner
version and, as a learner would:

- runs *Kernel > Restart Kernel and Run All Cells* and waits (on the kernel's own idle state, not on
  sleeps) until the last cell has run: no error output, no traceback anywhere;
- looks at every widget (none shows "Loading widget", "Error displaying widget" or a raw repr such as
  ``VBox(children=...)``) and uses each one once, checking that what it shows changes;
- answers the first exercise with the solution of the source notebook (``### BEGIN SOLUTION`` ..
  ``### END SOLUTION``) and runs its self-check: it turns green;
- saves, closes the tab and opens the notebook again: the widgets are back and still answer, and the
  reply typed into a ResponseCoach is still there;
- finds no trainer tool (Formgrader, Create Assignment, an Nbgrader menu) in the menus.

Everything is read from the notebooks (cells, widgets, first exercise), so modules can change under it.
A screenshot per module lands in ``COURSEKIT_SCREENSHOTS`` (default ``test-artifacts/``) together with
``lab-timings.json`` (open-to-idle and run-all seconds per module), which the test also prints.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys
from conftest import MODULES, REPO, axe_violations

from coursekit import course, widgets
from coursekit.course.lab import lab_command
from coursekit.learner.widgets.guard import RERUN
from coursekit.palette import GOOD

pytestmark = [pytest.mark.services, pytest.mark.xdist_group("jupyterlab")]
TOKEN = "coursekit-test"
ARTIFACTS = Path(os.environ.get("COURSEKIT_SCREENSHOTS") or REPO / "test-artifacts")
#: the widgets a notebook can show (coursekit.widgets' names: a new widget is found without a change here)
WIDGET_CLASSES = tuple(widgets.__all__)
#: coursekit's own content in a notebook: the widgets and the HTML it shows (self-checks, tables, the
#: coach's marks), not JupyterLab's chrome or its renderers' containers
OURS = ("{include: [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output > "
        ".jupyter-widgets, .jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedHTML > *')]}")
#: what a widget looks like when it is not drawn
BROKEN = ("Loading widget", "Error displaying widget", "model not found")
RAW_REPR = re.compile(r"\b(VBox|HBox|Box|Dropdown|IntSlider|Textarea|HTML|Output)\(children=|\w+Widget\(")
TIMINGS: dict[str, dict[str, float]] = {}


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(lab, path: str, method: str = "GET"):
    request = urllib.request.Request(f"{lab['url']}{path}", method=method,
                                     headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        body = answer.read()
    return json.loads(body) if body else None


@pytest.fixture(scope="session")  # built once per worker, however xdist interleaves modules
def lab(tmp_path_factory):
    """``coursekit lab`` on 127.0.0.1 over a course built with every module (one server for all)."""
    root = tmp_path_factory.mktemp("lab") / "course"
    course.build(root, MODULES)
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
    deadline = time.monotonic() + 120
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
    if TIMINGS:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "lab-timings.json").write_text(json.dumps(TIMINGS, indent=1) + "\n")


# --------------------------------------------------------------------------- what the notebooks hold


def solution_text(source: str) -> str:
    """A solution cell as the trainer wrote it, without the solution markers."""
    return "\n".join(line for line in source.splitlines()
                     if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))


def plan(module: str, release: Path) -> dict:
    """From the module's notebooks: the learner's cells, the first exercise and its answer, the widget cells."""
    source = json.loads((REPO / "notebooks" / module / f"{module}.ipynb").read_text())
    learner = json.loads((release / module / f"{module}.ipynb").read_text())
    cells = learner["cells"]
    exercises = []  # (learner cell index, the trainer's answer), in order
    for c in source["cells"]:
        if "### BEGIN SOLUTION" in "".join(c["source"]):
            grade_id = c["metadata"]["nbgrader"]["grade_id"]
            index = next(i for i, l in enumerate(cells) if l["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)
            exercises.append((index, solution_text("".join(c["source"])), re.sub(r"[-_]?\d+$", "", grade_id)))
    widgets = {}
    for i, c in enumerate(cells):
        text = "".join(c["source"])
        if c["cell_type"] == "code":
            found = [name for name in WIDGET_CLASSES if re.search(rf"\b{name}\b(\.\w+)?\(", text)]
            if found:
                widgets[i] = found[0]
    return {"cells": cells, "code": sum(c["cell_type"] == "code" for c in cells), "exercises": exercises,
            "widgets": widgets}


# --------------------------------------------------------------------------- the page

#: the notebook on screen (JupyterLab keeps other tabs in the page, hidden)
NB = "function NB() { return document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook'); }\n"
CELL = NB + "function CELL(i) { return NB().querySelectorAll('.jp-Cell')[i]; }\n"
#: the kernel of the notebook on screen is idle (the status bar: "Python 3 (ipykernel) | Idle")
IDLE_NOW = "[...document.querySelectorAll('.jp-StatusBar-Item')].some(e => /\\(ipykernel\\) \\| Idle/.test(e.innerText))"
IDLE = f"return {IDLE_NOW};"
WATCH_RUN = NB + """
window.__coursekitRan = false;
const nb = NB();
new MutationObserver(() => {
  if ([...nb.querySelectorAll('.jp-InputPrompt')].some(p => p.textContent.includes('*'))) window.__coursekitRan = true;
}).observe(nb, {subtree: true, childList: true, characterData: true});
"""
ALL_RAN = NB + """
if (!window.__coursekitRan) return false;
const prompts = [...NB().querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent);
return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p)) && IDLE_NOW;
""".replace("IDLE_NOW", IDLE_NOW)


class Page:
    """The browser on one notebook, with the few things a learner does."""

    def __init__(self, browser, lab, module: str):
        self.browser, self.lab, self.module = browser, lab, module
        self.url = f"{lab['url']}/lab/tree/{module}/{module}.ipynb?reset&token={TOKEN}"
        self.path = lab["root"] / "release" / module / f"{module}.ipynb"

    def js(self, script: str, *args):
        return self.browser.execute_script(CELL + script, *args)

    def wait(self, script: str, seconds: float = 120, what: str = ""):
        deadline = time.monotonic() + seconds
        while True:
            value = self.js(script)
            if value:
                return value
            if time.monotonic() > deadline:
                self.shot("stuck")
                raise AssertionError(f"{self.module}: timed out after {seconds:.0f} s waiting for {what or script}")
            time.sleep(0.2)

    def open(self) -> float:
        """Open the notebook; seconds until its kernel is idle."""
        started = time.monotonic()
        self.browser.get(self.url)
        self.wait("return NB() && NB().querySelector('.jp-CodeCell') !== null", what="the notebook")
        self.wait(IDLE, 180, "an idle kernel")
        return time.monotonic() - started

    def menu(self, name: str, item: str) -> None:
        self.js("return [...document.querySelectorAll('.lm-MenuBar-item')].find(e => e.textContent.trim() === arguments[0])",
                name).click()  # real clicks, as a learner's
        self.wait("return [...document.querySelectorAll('.lm-Menu-item')].find(e => e.textContent.includes('%s'))" % item,
                  10, f"{item} in the {name} menu").click()

    def restart_and_run_all(self) -> float:
        """Kernel > Restart Kernel and Run All Cells; seconds from the dialog's Restart until the last cell ran."""
        self.js(WATCH_RUN)
        self.menu("Kernel", "Restart Kernel and Run All Cells")
        button = self.wait("return document.querySelector('.jp-Dialog-button.jp-mod-accept')", 20, "the restart dialog")
        started = time.monotonic()
        button.click()
        self.wait(ALL_RAN, 240, "every cell to run and the kernel to be idle")
        return time.monotonic() - started

    def cell(self, index: int):
        return self.js("return CELL(arguments[0])", index)

    def output_text(self, index: int) -> str:
        return self.js("const o = CELL(arguments[0]).querySelector('.jp-OutputArea'); return o ? o.innerText : ''", index)

    def widget_state(self, index: int) -> str:
        """What a widget cell shows: its text, the values of its inputs and its images."""
        return self.js("""
            const o = CELL(arguments[0]).querySelector('.jp-OutputArea');
            const values = [...o.querySelectorAll('input, textarea, select')].map(e => e.value);
            const images = [...o.querySelectorAll('img')].map(e => e.src.length + ':' + e.src.slice(-40));
            return o.innerText + '|' + values.join('|') + '|' + images.join('|');""", index)

    def find(self, index: int, selector: str, label: str):
        """The input of cell ``index``'s output whose label (or row text) contains ``label``."""
        element = self.js("""
            const o = CELL(arguments[0]).querySelector('.jp-OutputArea');
            const all = [...o.querySelectorAll(arguments[1])];
            const named = e => (e.labels && [...e.labels].some(l => l.innerText.includes(arguments[2]))) ||
                               (e.getAttribute('aria-label') || '').includes(arguments[2]) || e.innerText.includes(arguments[2]);
            const row = e => { const r = e.closest('.widget-inline-hbox, .widget-hbox'); return r && r.innerText.includes(arguments[2]); };
            return all.find(named) || all.find(row);""", index, selector, label)
        assert element is not None, f"{self.module}: no {selector} labelled {label!r} in cell {index}"
        self.browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        return element

    def wait_changed(self, index: int, before: str, what: str) -> str:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            now = self.widget_state(index)
            if now != before:
                return now
            time.sleep(0.2)
        self.shot("unchanged")
        raise AssertionError(f"{self.module}: {what} did not change what the widget shows")

    def keys(self, *keys) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        chain = ActionChains(self.browser)
        for key in keys:
            if isinstance(key, tuple):  # a chord: (modifier, key)
                chain.key_down(key[0]).send_keys(key[1]).key_up(key[0])
            else:
                chain.send_keys(key)
        chain.perform()

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"lab-{self.module}-{name}.png"
        self.browser.save_screenshot(str(path))
        return path

    def shut_down_kernel(self) -> None:
        for session in api(self.lab, "/api/sessions"):
            if session["path"].endswith(f"{self.module}.ipynb"):
                api(self.lab, f"/api/sessions/{session['id']}", "DELETE")


# --------------------------------------------------------------------------- what a learner does with each widget


def use_response_coach(page: Page, index: int, typed: str) -> None:
    reply = page.find(index, "textarea", "Your reply")
    before = page.widget_state(index)
    score = re.findall(r"\d+(?:\.\d+)? / 100", page.output_text(index))
    reply.click()
    reply.send_keys(Keys.END, typed)
    page.wait_changed(index, before, "typing a reply")
    deadline = time.monotonic() + 30
    while re.findall(r"\d+(?:\.\d+)? / 100", page.output_text(index)) == score and time.monotonic() < deadline:
        time.sleep(0.2)
    assert re.findall(r"\d+(?:\.\d+)? / 100", page.output_text(index)) != score, \
        f"{page.module}: the score did not change as the learner typed"


def use_queue_simulator(page: Page, index: int) -> None:
    slider = page.find(index, "input[type=range], [role=slider]", "Agents")
    steps = page.js("return (arguments[0].max - arguments[0].min) / arguments[0].step", slider)
    assert slider.size["width"] / steps >= 5, f"{page.module}: {slider.size['width']} px for {steps} agents"
    shown = re.search(r"Answered within \d+ s: (\d+) %", page.output_text(index))
    assert shown, page.output_text(index)
    before = page.widget_state(index)
    page.browser.execute_script("arguments[0].focus()", slider)  # then the keyboard: one agent per key
    page.keys(Keys.ARROW_LEFT, Keys.ARROW_LEFT, Keys.ARROW_LEFT)
    page.wait_changed(index, before, "moving the agents slider")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = re.search(r"Answered within \d+ s: (\d+) %", page.output_text(index))
        if now and now.group(1) != shown.group(1):
            return
        time.sleep(0.2)
    raise AssertionError(f"{page.module}: moving the agents slider did not change the service level")


def keyboard_choice(page: Page, select, key) -> None:
    """Choose with the keyboard, as a learner without a mouse does: the choice changes, the focus stays."""
    page.browser.execute_script("arguments[0].focus()", select)
    page.keys(key)
    assert page.browser.execute_script("return document.activeElement === arguments[0]", select), \
        f"{page.module}: the key left the dropdown (the notebook took it)"


def use_gap_explorer(page: Page, index: int) -> None:
    from selenium.webdriver.support.ui import Select

    agent = page.find(index, "select", "Agent")
    before = page.widget_state(index)
    image = page.js("return CELL(arguments[0]).querySelector('.jp-OutputArea img').src", index)
    keyboard_choice(page, agent, Keys.ARROW_DOWN if Select(agent).options[-1] != Select(agent).first_selected_option
                    else Keys.ARROW_UP)
    page.wait_changed(index, before, "choosing another agent with the keyboard")
    page.wait(f"return CELL({index}).querySelector('.jp-OutputArea img').src !== {json.dumps(image)}", 30,
              "the bullet chart to be redrawn for the new agent")


def use_any_widget(page: Page, index: int) -> None:
    """A widget this test has no special knowledge of: choose another option or type a word."""
    from selenium.webdriver.support.ui import Select

    before = page.widget_state(index)
    select = page.js("return CELL(arguments[0]).querySelector('.jp-OutputArea select')", index)
    if select is not None:
        choice = Select(select)
        choice.select_by_index((choice.options.index(choice.first_selected_option) + 1) % len(choice.options))
    else:
        box = page.js("return CELL(arguments[0]).querySelector('.jp-OutputArea textarea, .jp-OutputArea input[type=text]')",
                      index)
        assert box is not None, f"{page.module}: cell {index}'s widget has nothing to use"
        box.send_keys(" listening")
    page.wait_changed(index, before, "using the widget")


def use_self_assessment(page: Page, index: int) -> None:
    from selenium.webdriver.support.ui import Select

    selects = page.js("return [...CELL(arguments[0]).querySelectorAll('.jp-OutputArea select')]", index)
    assert len(selects) >= 1
    before = page.widget_state(index)
    keyboard_choice(page, selects[0], Keys.ARROW_DOWN)
    page.wait_changed(index, before, "changing a rating with the keyboard")
    for select in selects:
        Select(select).select_by_index(3)
    guesses = page.js("return [...CELL(arguments[0]).querySelectorAll('.jp-OutputArea input[type=text]')]", index)
    for box in guesses:
        box.clear()
        box.send_keys("60")
    page.find(index, "button", "Save").click()
    page.wait(f"return CELL({index}).querySelector('.jp-OutputArea').innerText.includes('Saved in')", 30,
              "'Saved in' under the form after Save")
    assert (page.path.parent / "self_assessment.json").exists()


# --------------------------------------------------------------------------- the test


def answer(page: Page, exercise: int, text: str) -> str:
    """Put ``text`` in the learner's cell ``exercise`` (all of it, as a paste would), run it and the
    self-check below it; the self-check's output (HTML)."""
    editor = page.js("return CELL(arguments[0]).querySelector('.cm-content')", exercise)
    page.browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", editor)
    editor.click()
    page.keys((Keys.CONTROL, "a"))  # the whole cell
    page.browser.execute_cdp_cmd("Input.insertText", {"text": text})
    page.wait(f"return CELL({exercise}).querySelector('.cm-content').innerText.includes({json.dumps(text.splitlines()[0])})",
              10, "the answer in the cell")
    before = page.output_text(exercise + 1)
    page.keys((Keys.SHIFT, Keys.ENTER), (Keys.SHIFT, Keys.ENTER))  # run the answer, then its check
    page.wait(f"return CELL({exercise + 1}).querySelector('.jp-OutputArea').innerText !== {json.dumps(before)} && "
              f"{IDLE_NOW}", 60, "the self-check to run")
    page.browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", page.cell(exercise))
    page.shot("first-exercise")
    return page.js("return CELL(arguments[0]).querySelector('.jp-OutputArea').innerHTML", exercise + 1)


def assert_clean(page: Page, where: str) -> None:
    try:  # widgets drawn from saved state say "Loading widget..." for a moment
        page.wait("return ![...NB().querySelectorAll('.jp-OutputArea')].some(e => e.innerText.includes('Loading widget'))",
                  60, "the widgets to load")
    except AssertionError:
        pass  # reported below, with the page's text
    errors = page.js("return [...NB().querySelectorAll('[data-mime-type=\"application/vnd.jupyter.stderr\"]')]"
                     ".map(e => e.innerText.slice(0, 300))")
    text = page.js("return [...NB().querySelectorAll('.jp-OutputArea')].map(e => e.innerText).join('\\n')")
    assert not errors, f"{page.module} {where}: error output {errors}"
    assert "Traceback" not in text and "NotImplementedError" not in text, f"{page.module} {where}: a traceback"
    assert "there is no answer called" not in text, f"{page.module} {where}: the self-check blames a run cell"
    for word in BROKEN:
        assert word not in text, f"{page.module} {where}: {word!r} in the page"
    raw = RAW_REPR.search(text)
    assert raw is None, f"{page.module} {where}: a widget shown as its raw repr ({raw and raw.group(0)})"


#: text a widget cuts off: an ellipsis that is in use, a choice wider than its dropdown
CUT_OFF = """
const o = CELL(arguments[0]).querySelector('.jp-OutputArea'), cut = [];
const pen = document.createElement('canvas').getContext('2d');
for (const e of o.querySelectorAll('*')) {
  if (getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1) cut.push(e.innerText);
}
for (const i of o.querySelectorAll('input[type=text], input:not([type])')) {
  pen.font = getComputedStyle(i).font;
  if (!i.value && i.placeholder && pen.measureText(i.placeholder).width + 12 > i.clientWidth) cut.push(i.placeholder);
}
for (const s of o.querySelectorAll('select')) {
  pen.font = getComputedStyle(s).font;
  for (const option of s.options) if (pen.measureText(option.text).width + 28 > s.clientWidth) cut.push(option.text);
}
return cut;
"""


def assert_widgets_drawn(page: Page, widgets: dict, where: str) -> None:
    for index, name in widgets.items():
        drawn = page.js("return CELL(arguments[0]).querySelectorAll('.jp-OutputArea .jupyter-widgets').length", index)
        assert drawn, f"{page.module} {where}: the {name} of cell {index} is not drawn ({page.output_text(index)[:200]!r})"
        assert page.js(CUT_OFF, index) == [], f"{page.module} {where}: the {name} cuts off text"


def read_saved(path, before, timeout=30):
    """The notebook as saved after ``before`` (an mtime), or None when no save came within ``timeout`` s.

    The server writes the file in place, so it can be seen changed and still half-written: it is read again
    until it parses.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.stat().st_mtime > before:
            try:
                return json.loads(path.read_text())
            except json.JSONDecodeError:
                pass
        time.sleep(0.2)
    return None


@pytest.mark.parametrize("module", MODULES)
def test_module_runs_reads_and_resumes_in_jupyterlab(module, lab, chromium):
    chromium.set_window_size(1300, 1000)
    info = plan(module, lab["root"] / "release")
    page = Page(chromium, lab, module)

    opened = page.open()
    menus = page.js("return [...document.querySelectorAll('.lm-MenuBar-itemLabel')].map(e => e.textContent)")
    assert "Kernel" in menus and not any("grader" in m.lower() for m in menus), menus
    items = []
    for name in ("File", "View") if module == MODULES[0] else ():  # where nbgrader puts its items (once)
        page.js("return [...document.querySelectorAll('.lm-MenuBar-item')].find(e => e.textContent.trim() === arguments[0])",
                name).click()
        items += page.wait("const m = [...document.querySelectorAll('.lm-Menu-item')].map(e => e.textContent);"
                           "return m.length ? m : null", 10, f"the {name} menu")
        page.keys(Keys.ESCAPE)
        page.wait("return !document.querySelector('.lm-Menu')", 10, f"the {name} menu to close")
    assert not any(re.search("formgrader|create assignment|nbgrader", i, re.I) for i in items), items
    assert not page.js("return document.querySelector('[id*=nbgrader], [class*=nbgrader]')"), "an nbgrader panel"

    ran = page.restart_and_run_all()
    TIMINGS[module] = {"open_to_idle_s": round(opened, 1), "run_all_s": round(ran, 1)}
    print(f"\n{module}: open to idle {opened:.1f} s, restart and run all {ran:.1f} s")
    prompts = page.js("return [...NB().querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent)")
    assert len(prompts) == info["code"] and all(re.search(r"\[\d+\]", p) for p in prompts), prompts
    assert_clean(page, "after restart and run all")
    assert_widgets_drawn(page, info["widgets"], "after restart and run all")

    typed = " Thank you for your patience, I'm sorry for the trouble."
    for index, name in info["widgets"].items():
        if name == "ResponseCoach":
            use_response_coach(page, index, typed)
        elif name == "QueueSimulator":
            use_queue_simulator(page, index)
        elif name == "GapExplorer":
            use_gap_explorer(page, index)
        elif name == "SelfAssessment":
            use_self_assessment(page, index)
        else:
            use_any_widget(page, index)
    if info["widgets"]:
        page.browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", page.cell(min(info["widgets"])))
        page.shot("widget")
    # a screen reader can name every control, and nothing of ours is too pale to read (axe-core)
    violations = axe_violations(page.browser, OURS)
    assert violations == [], f"{module}: {json.dumps(violations, indent=1)}"
    for index, name in info["widgets"].items():
        if name == "ResponseCoach":  # the cell run again: a new coach, with the learner's reply in it
            before = page.js("return CELL(arguments[0]).querySelector('.jp-InputPrompt').textContent", index)
            page.js("return CELL(arguments[0]).querySelector('.cm-content')", index).click()
            page.keys((Keys.CONTROL, Keys.ENTER))
            page.wait(f"return CELL({index}).querySelector('.jp-InputPrompt').textContent !== {json.dumps(before)} && "
                      f"!CELL({index}).querySelector('.jp-InputPrompt').textContent.includes('*') && {IDLE_NOW}",
                      60, "the coach's cell to run again")
            kept = page.find(index, "textarea", "Your reply").get_attribute("value")
            assert typed.strip() in kept, f"{module}: running the coach's cell again lost the learner's reply"

    # the first exercise, answered with the trainer's solution, turns its self-check green
    first = info["exercises"][0]
    check = answer(page, *first[:2])
    if "Recorded" in check and "Correct" not in check:
        # a quiz answer is taken down, not judged ("Recorded", scored at the end): the first exercise of
        # another kind is the one that turns green
        assert "Not yet" not in check, check
        check = answer(page, *next(e for e in info["exercises"] if e[2] != first[2])[:2])
    assert "Correct" in check and GOOD in check, (check, page.shot("first-exercise"))

    # save, close the tab, open it again: the widgets come back and still answer
    before = page.path.stat().st_mtime
    page.keys(Keys.ESCAPE, (Keys.CONTROL, "s"))
    saved = read_saved(page.path, before)
    assert saved is not None, f"{module}: the notebook was not saved"
    if info["widgets"]:
        assert saved["metadata"].get("widgets", {}).get("application/vnd.jupyter.widget-state+json"), \
            f"{module}: widget state is not saved with the notebook"
    page.menu("File", "Close Tab")
    if page.wait("return !NB() ? 'closed' : document.querySelector('.jp-Dialog') ? 'asked' : ''", 20,
                 "the notebook tab to close") == "asked":  # changed since the save (widget state): save again
        page.js("[...document.querySelectorAll('.jp-Dialog-button')].find(b => /^Save/.test(b.innerText)).click()")
        page.wait("return !NB()", 20, "the notebook tab to close")
    page.open()
    assert_clean(page, "after reopening")
    assert_widgets_drawn(page, info["widgets"], "after reopening")
    for index, name in info["widgets"].items():
        if name == "ResponseCoach":
            kept = page.find(index, "textarea", "Your reply").get_attribute("value")
            assert typed.strip() in kept, f"{module}: the reply the learner typed is gone after reopening"
            use_response_coach(page, index, " I'll call you tomorrow by 3 pm to check it worked.")
        elif name == "QueueSimulator":
            use_queue_simulator(page, index)
        elif name == "GapExplorer":
            use_gap_explorer(page, index)
    if info["widgets"]:
        page.browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", page.cell(min(info["widgets"])))
    page.shot("reopened")
    page.shut_down_kernel()
    first_with_widgets = next(m for m in MODULES if plan(m, lab["root"] / "release")["widgets"])
    if module == first_with_widgets:  # once: the mechanism is every widget's own (WidgetGuard)
        # the next day: the kernel is gone; the saved widgets are drawn and say to run their cell again
        page.open()
        assert_clean(page, "after reopening without the kernel")
        assert_widgets_drawn(page, info["widgets"], "after reopening without the kernel")
        index = min(info["widgets"])
        page.wait(f"return CELL({index}).querySelector('.jp-OutputArea').innerText.includes({json.dumps(RERUN)})",
                  30, "the line asking to run the widget's cell again")
        page.browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", page.cell(index))
        page.shot("reopened-next-day")
        page.js("return CELL(arguments[0]).querySelector('.cm-content')", index).click()
        page.keys((Keys.CONTROL, Keys.ENTER))
        page.wait(f"return !CELL({index}).querySelector('.jp-OutputArea').innerText.includes({json.dumps(RERUN)}) && "
                  f"CELL({index}).querySelector('.jp-OutputArea .jupyter-widgets') && {IDLE_NOW}", 60,
                  "the widget to be live again once its cell ran")
        page.shut_down_kernel()
    log = lab["log"].read_text()
    assert "nbgrader" not in log and "course directory" not in log, log[-3000:]  # no trainer tools, no course error


# --------------------------------------------------------------------------- the command behind `make lab`


def test_the_learners_lab_runs_as_root_and_leaves_trainer_tools_out(tmp_path, monkeypatch):
    from coursekit.course.lab import ALL_NBGRADER, INSTRUCTOR_PLUGINS
    from coursekit.errors import CourseError

    (tmp_path / "release").mkdir()
    monkeypatch.setattr(os, "geteuid", lambda: 0)  # a container or hub image
    command, env = lab_command(tmp_path, port=8123, open_browser=False)
    assert "--allow-root" in command and "--port=8123" in command and "--no-browser" in command
    assert f"--ServerApp.root_dir={tmp_path / 'release'}" in command
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert "--allow-root" not in lab_command(tmp_path)[0]
    page_config = json.loads((tmp_path / ".learner" / "jupyter" / "labconfig" / "page_config.json").read_text())
    assert set(page_config["disabledExtensions"]) == set(ALL_NBGRADER + INSTRUCTOR_PLUGINS)
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0] == str(tmp_path / ".learner" / "jupyter")
    with pytest.raises(CourseError, match="no learner version here"):
        lab_command(tmp_path / "elsewhere")
