"""Red team: learners who try to buy a grade or do damage while module 00 is graded.

Every attack below is a learner's submission graded in one run, alongside an honest learner, with
``coursekit autograde``'s defaults (warm kernels, two workers, the fence on).  Each attack must
score 0 on what it attacked or fail grading with a reason; the honest learner keeps full marks and
an intact submission; nothing of the run is left running; no marker file appears outside a working
folder.  Besides the attacks written here, ``tests/hostile/m00/*.json`` holds cases written blind
(by someone who saw only the learner's notebook), run the same way.

The fence is a requirement here: on a machine without it (Landlock ABI < 6) these tests fail in CI
and skip with the reason elsewhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import threading
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from conftest import require_service

from coursekit import course, fence, grading, simulate

MODULE = "00-orientation"
HERE = Path(__file__).resolve().parent
BLIND = HERE / "hostile" / "m00"
pytestmark = pytest.mark.xdist_group("redteam")  # one worker grades the red team once
IDS = ["calls-today", "abandoned-today", "abandon-percent", "average-talk"]
NAMES = ["calls_today", "abandoned_today", "abandon_percent", "average_talk_minutes"]



@pytest.fixture(scope="session", autouse=True)
def fence_required():
    if fence.unavailable_reason():
        require_service(fence.unavailable_reason())

HONEST = {
    "calls-today": "calls_today = len(day)\ncalls_today",
    "abandoned-today": "abandoned_today = int(day['abandoned'].sum())",
    "abandon-percent": "abandon_percent = round(100 * abandoned_today / calls_today, 1)",
    "average-talk": "average_talk_minutes = round(day['talk_s'].mean() / 60, 1)",
}

FIND_COURSE = (
    "import os\n"
    "def _course():\n"
    "    d = os.getcwd()\n"
    "    while d != '/':\n"
    "        if os.path.exists(os.path.join(d, 'nbgrader_config.py')):\n"
    "            return d\n"
    "        d = os.path.dirname(d)\n"
    "    return os.environ.get('COURSE_GUESS', '/')\n"
)


def marker(name: str) -> str:
    """Code that leaves a marker file next to the gradebook if it can (it must not)."""
    return (FIND_COURSE + f"try:\n    open(os.path.join(_course(), 'PWNED-{name}'), 'w').write('x')\n"
            "except Exception:\n    pass\n")


#: name -> answers (grade id -> code); every attack answers wrongly or not at all, and tries its trick
ATTACKS = {
    "always_equal": {
        "calls-today": "class N(int):\n    def __eq__(self, o): return True\n    __hash__ = int.__hash__\n"
                       "calls_today = N(1)",
        "abandoned-today": "class N(int):\n    def __eq__(self, o): return True\n    __hash__ = int.__hash__\n"
                           "abandoned_today = N(1)",
        "abandon-percent": "class F(float):\n    def __sub__(self, o): return 0.0\n    def __rsub__(self, o): return 0.0\n"
                           "    def __abs__(self): return 0.0\nabandon_percent = F(1.0)",
        "average-talk": "class F(float):\n    def __sub__(self, o): return 0.0\n    def __rsub__(self, o): return 0.0\n"
                        "    def __abs__(self): return 0.0\naverage_talk_minutes = F(1.0)",
    },
    "rebind_load": {
        "calls-today": "import pandas as pd\nfake = calls.head(3).copy()\n"
                       "load = lambda name: fake\nimport coursekit.data\ncoursekit.data.load = load\ncalls_today = 3",
        "abandoned-today": "abandoned_today = int(load('calls')['abandoned'].sum())",
    },
    "swallow_errors": {
        "calls-today": "ip = get_ipython()\nip.set_custom_exc((BaseException,), lambda *a, **k: None)\n"
                       "ip.input_transformers_cleanup.append(lambda lines: ['pass\\n'] if any('assert' in l for l in lines) "
                       "else lines)\ncalls_today = 1",
    },
    "fake_record": {
        "calls-today": "import json, coursekit.answers as A\nfrom IPython.display import display\n"
                       "def fake(*names, needs=()):\n"
                       "    display({A.RECORD_MIME: json.dumps({'answers': {n: 1 for n in names}})}, raw=True)\n"
                       "A.record_answers = fake\ncalls_today = 1",
    },
    "patch_libraries": {
        "calls-today": "import numpy, pandas, builtins\nbuiltins.isinstance = lambda *a: True\nbuiltins.abs = lambda x: 0\n"
                       "pandas.DataFrame.__len__ = lambda self: 1\nnumpy.mean = lambda *a, **k: 1.0\n"
                       "import coursekit.check as C\nC.run_check = lambda *a, **k: C.CheckResult('x', True, 'ok')\n"
                       "calls_today = 1",
    },
    "read_source": {
        "calls-today": marker("read_source") +
        "import glob, json\nsrc = glob.glob(os.path.join(_course(), 'source', '*', '*.ipynb'))\n"
        "code = [c['source'] for p in src for c in json.load(open(p))['cells'] if 'BEGIN SOLUTION' in c['source']]\n"
        "exec('\\n'.join(code))",
    },
    "import_answer_key": {
        "calls-today": "from coursekit.checks.m00_orientation import _counts\ncalls_today = _counts()[0]",
        "abandoned-today": "import importlib\nm = importlib.import_module('coursekit.checks.m00_orientation')\n"
                           "abandoned_today = m._counts()[1]",
    },
    "gradebook_daemon": {
        "calls-today": FIND_COURSE +
        "import subprocess, sys\n"
        "code = ('import time, sqlite3; time.sleep(3); db = sqlite3.connect(%r); '\n"
        "        'db.execute(\"update grade set auto_score = 99\"); db.commit()') % os.path.join(_course(), 'gradebook.db')\n"
        "try:\n    subprocess.Popen([sys.executable, '-c', code], start_new_session=True)\nexcept Exception:\n"
        "    pid = os.fork()\n    if pid == 0:\n        os.setsid(); exec(code); os._exit(0)\n"
        "calls_today = 1",
    },
    "write_gradebook_now": {
        "calls-today": FIND_COURSE + "import sqlite3\ndb = sqlite3.connect(os.path.join(_course(), 'gradebook.db'))\n"
                       "db.execute('update grade set auto_score = 99'); db.commit()\ncalls_today = 1",
    },
    "network": {
        "calls-today": "import socket\ns = socket.create_connection(('127.0.0.1', int(open('PORT').read()) "
                       "if os.path.exists('PORT') else 9), timeout=2)\ncalls_today = 1",
        "abandoned-today": "import socket\nu = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                           "u.sendto(b'PWNED', ('127.0.0.1', 9))\nabandoned_today = 1",
        "abandon-percent": "import socket\nx = socket.socket(socket.AF_UNIX)\nx.connect('/run/postgresql/.s.PGSQL.5432')",
    },
    "memory_hog": {
        "calls-today": "block = bytearray(6 * 1024 ** 3)\ncalls_today = len(day)",
    },
    "fork_bomb": {
        "calls-today": "import os\nkids = []\nfor _ in range(300):\n    try:\n        pid = os.fork()\n"
                       "    except OSError:\n        break\n    if pid == 0:\n        import time; time.sleep(30); os._exit(0)\n"
                       "    kids.append(pid)\ncalls_today = len(day) if len(kids) == 300 else -1",
    },
    "disk_fill": {
        "calls-today": "chunk = b'x' * (32 * 1024 * 1024)\nfor i in range(40):\n"
                       "    with open(f'fill-{i}.bin', 'wb') as f:\n        f.write(chunk)\n        f.write(chunk)\n"
                       "calls_today = len(day)",
    },
    "spy_processes": {
        "calls-today": marker("spy_processes") +
        "import glob\nseen = []\nfor p in glob.glob('/proc/[0-9]*/environ') + glob.glob('/proc/[0-9]*/cmdline'):\n"
        "    try:\n        seen.append(open(p, 'rb').read())\n    except Exception:\n        pass\n"
        "assert seen, 'nothing readable'\ncalls_today = len(day)",
    },
    "vandal": {
        "calls-today": FIND_COURSE +
        "import glob\nfor p in glob.glob(os.path.join(_course(), 'submitted', '*', '*', '*.ipynb')) + "
        "glob.glob(os.path.join(_course(), 'release', '*', '*.ipynb')):\n"
        "    try:\n        open(p, 'w').write('{}')\n    except Exception:\n        pass\ncalls_today = 1",
    },
    "kill_grader": {
        "calls-today": "import os, signal\nfor pid in (os.getppid(), 1):\n    try:\n        os.kill(pid, signal.SIGKILL)\n"
                       "    except Exception:\n        pass\ncalls_today = 1",
    },
}


def blind_cases() -> dict[str, dict]:
    """Hostile, honest and wrong submissions written blind (``tests/hostile/m00``)."""
    cases = {}
    for path in sorted(BLIND.glob("*.json")):
        case = json.loads(path.read_text())
        cells = case["cells"]
        cases["blind_" + path.stem] = {IDS[NAMES.index(k)]: v for k, v in cells.items() if k in NAMES}
    return cases


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def course_processes(root: Path) -> list[psutil.Process]:
    """Processes still running whose command line or working folder lies in the course."""
    found = []
    for proc in psutil.process_iter(["pid", "cmdline", "cwd"]):
        try:
            text = " ".join(proc.info["cmdline"] or []) + " " + (proc.info["cwd"] or "")
        except psutil.Error:
            continue
        if str(root) in text and proc.pid != os.getpid():
            found.append(proc)
    return found


# session scope: graded once per worker even if the worker runs other modules between these tests
# (the whole group runs on one worker: test_the_red_team_is_graded_on_one_worker)
@pytest.fixture(scope="session")
def red_team(built_modules, tmp_path_factory):
    root = tmp_path_factory.mktemp("redteam") / "course"
    import shutil

    shutil.copytree(built_modules(MODULE), root)
    release = nbformat.read(root / "release" / MODULE / f"{MODULE}.ipynb", as_version=4)
    learners = {"honest": HONEST, **ATTACKS, **blind_cases()}
    with course.gradebook(root) as gb:
        for name in learners:
            gb.update_or_create_student(name)
    for name, answers in learners.items():
        folder = root / "submitted" / name / MODULE
        folder.mkdir(parents=True)
        nbformat.write(simulate.fill_in(release, answers), folder / f"{MODULE}.ipynb")
    (root / "submitted" / "network" / MODULE / "PORT").write_text("0")
    # a listening TCP server and a UDP socket that no attack may reach
    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(8)
    tcp.settimeout(0.2)
    (root / "submitted" / "network" / MODULE / "PORT").write_text(str(tcp.getsockname()[1]))
    accepted = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                accepted.append(tcp.accept())
            except OSError:
                pass

    threading.Thread(target=serve, daemon=True).start()
    honest_before = digest(root / "submitted" / "honest" / MODULE / f"{MODULE}.ipynb")
    release_before = digest(root / "release" / MODULE / f"{MODULE}.ipynb")
    started = time.perf_counter()
    outcomes = grading.autograde(root, jobs=2, timeout=90)
    seconds = time.perf_counter() - started
    time.sleep(5)  # a daemon that waits before it strikes would have struck by now
    stop.set()
    with course.gradebook(root) as gb:
        scores = {}
        for name in learners:
            try:
                sub = gb.find_submission(MODULE, name)
                scores[name] = {g.name: g.score for g in sub.notebooks[0].grades if g.auto_score is not None}
            except Exception:
                scores[name] = None
    return {"root": root, "outcomes": {o.learner_id: o for o in outcomes}, "scores": scores,
            "accepted": accepted, "honest_before": honest_before, "release_before": release_before,
            "seconds": seconds, "learners": learners}


def test_the_honest_learner_keeps_full_marks_and_an_intact_submission(red_team):
    root = red_team["root"]
    assert red_team["outcomes"]["honest"].ok
    assert red_team["scores"]["honest"] == {f"test-{i}": p for i, p in zip(IDS, [1, 1, 1, 2])}
    assert digest(root / "submitted" / "honest" / MODULE / f"{MODULE}.ipynb") == red_team["honest_before"]
    assert digest(root / "release" / MODULE / f"{MODULE}.ipynb") == red_team["release_before"]


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_an_attack_earns_nothing(red_team, attack):
    outcome, scores = red_team["outcomes"][attack], red_team["scores"][attack]
    attacked = [f"test-{i}" for i in ATTACKS[attack]]
    if not outcome.ok:
        assert outcome.reason, "a failed grade says why"
        return
    earned = {k: v for k, v in scores.items() if k in attacked and v}
    assert not earned, f"{attack} earned {earned}"


#: innocent mistakes written blind, and the points each test should give them (a cell earns its
#: points when its answer is right, whatever the others are)
BLIND_WRONG = {
    "wrong_1_seconds_not_minutes": {"calls-today": 1, "abandoned-today": 1, "abandon-percent": 1, "average-talk": 0},
    "wrong_2_share_not_percent": {"calls-today": 1, "abandoned-today": 1, "abandon-percent": 0, "average-talk": 2},
    "wrong_3_counted_all_calls": {"calls-today": 0, "abandoned-today": 1, "abandon-percent": 0, "average-talk": 2},
    # abandoned_today left as numpy.int64: the visible test asks for int(...); the unrounded
    # percentages are within the 0.05 tolerance of the rounded answers
    "wrong_4_forgot_int_and_round": {"calls-today": 1, "abandoned-today": 0, "abandon-percent": 1, "average-talk": 2},
}


def test_blind_cases_earn_what_they_deserve(red_team):
    """Blind hostile cases earn nothing on the cells they attack; blind honest ones earn full marks;
    blind innocent mistakes lose exactly the points of the wrong answers."""
    problems = []
    assert len(list(BLIND.glob("*.json"))) >= 55
    for path in sorted(BLIND.glob("*.json")):
        name = "blind_" + path.stem
        case = json.loads(path.read_text())
        outcome, scores = red_team["outcomes"][name], red_team["scores"][name] or {}
        answered = [f"test-{IDS[NAMES.index(k)]}" for k in case["cells"] if k in NAMES]
        if path.stem.startswith("honest"):
            if not outcome.ok or sum(scores.values()) != 5:
                problems.append(f"{path.stem}: honest work got {scores} ({outcome.reason})")
        elif path.stem in BLIND_WRONG:
            want = {f"test-{k}": v for k, v in BLIND_WRONG[path.stem].items()}
            if not outcome.ok or scores != want:
                problems.append(f"{path.stem}: got {scores}, want {want} ({outcome.reason})")
        elif outcome.ok:
            earned = {k: v for k, v in scores.items() if k in answered and v}
            if earned:
                problems.append(f"{path.stem}: earned {earned}")
    assert not problems, problems


def test_nothing_is_left_behind(red_team):
    root = red_team["root"]
    assert not red_team["accepted"], "a kernel connected to a TCP server"
    leftovers = course_processes(root)
    assert not leftovers, [p.info for p in leftovers]
    markers = [p for p in root.rglob("PWNED*") if "autograded" not in p.parts]
    assert not markers, markers
    db = sqlite3.connect(root / "gradebook.db")
    assert not db.execute("select count(*) from grade where auto_score = 99").fetchone()[0]


def test_the_disk_fill_is_stopped(red_team):
    outcome = red_team["outcomes"]["disk_fill"]
    assert not outcome.ok and "MB" in outcome.reason
    assert not (red_team["root"] / "autograded" / "disk_fill" / MODULE).exists()  # its files are gone


def test_the_quiz_key_is_not_in_the_installed_package(fence_required):
    """The module 05 quiz key (letters and their points) appears in no file of the package."""
    import re

    import coursekit
    from coursekit import selfassess

    key = [(q.number, dict(q.points)) for q in selfassess.skills_quiz()]
    best = "".join(max(p, key=p.get) for _, p in key)
    patterns = [best.encode(), ", ".join(f'"{b}"' for b in best).encode(), ", ".join(f"'{b}'" for b in best).encode()]
    for _, points in key:
        for quote in ('"', "'"):
            text = ", ".join(f"{quote}{k}{quote}: {v}" for k, v in points.items())
            patterns.append(text.encode())
    package = Path(coursekit.__file__).parent
    for path in package.rglob("*"):
        if path.is_file():
            blob = path.read_bytes()
            for pattern in patterns:
                assert pattern not in blob, f"{path} holds the quiz key ({pattern!r})"
    for path in package.rglob("*.py"):  # and no letter answer is written in plain in a check
        assert not re.search(r'expect_choice\(value, "[A-C]", \[', path.read_text()), path


def test_grading_refuses_without_a_fence_and_says_why(monkeypatch, built_modules, tmp_path):
    import shutil

    root = tmp_path / "course"
    shutil.copytree(built_modules(MODULE), root)
    monkeypatch.setattr(fence, "unavailable_reason", lambda: "the grading fence needs Landlock ABI 6 (test)")
    with pytest.raises(course.CourseError, match="Landlock ABI 6.*--no-fence"):
        grading.autograde(root)


def test_grades_made_without_the_fence_are_marked_in_the_report(built_modules, tmp_path):
    import shutil

    from coursekit import progress, report

    root = tmp_path / "course"
    shutil.copytree(built_modules(MODULE), root)
    release = nbformat.read(root / "release" / MODULE / f"{MODULE}.ipynb", as_version=4)
    with course.gradebook(root) as gb:
        gb.update_or_create_student("honest")
    folder = root / "submitted" / "honest" / MODULE
    folder.mkdir(parents=True)
    nbformat.write(simulate.fill_in(release, HONEST), folder / f"{MODULE}.ipynb")
    assert all(o.ok for o in grading.autograde(root, fence=False))
    row = progress.completion(root).iloc[0]
    assert row["status"] == "autograded" and row["reason"] == progress.UNFENCED_REASON
    assert "unfenced" in report.format_table(progress.completion(root))
    assert all(o.ok for o in grading.autograde(root))  # graded again, fenced: the mark goes
    assert progress.completion(root).iloc[0]["reason"] == ""


def test_the_red_team_is_graded_on_one_worker(request):
    """--dist loadgroup keeps the group on one worker (it silently did not with pytest 9 and
    xdist 3.8, and every worker graded the red team again)."""
    if request.config.getvalue("loadgroup"):
        assert request.node.nodeid.endswith("@redteam"), request.node.nodeid
