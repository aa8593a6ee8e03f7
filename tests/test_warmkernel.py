"""Warm kernels: a forked kernel behaves like one nbgrader starts itself, and never outlives its job."""

import os
import shutil
import signal
import time

import nbformat
import pytest
from conftest import MODULES

from coursekit import course, grading, progress, simulate, warmkernel

PROBE = [
    "import os, sys\nprobe = {'cwd': os.getcwd(), 'path': sys.path, 'name': __name__, 'argv': sys.argv[3:],"
    " 'marker': os.environ.get('COURSEKIT_PROBE'), 'zygote_env': os.environ.get('COURSEKIT_WARM_KERNELS'),"
    " 'pgid_is_pid': os.getpgid(0) == os.getpid()}\nprint(sorted(probe.items()))",
    "print('pandas already imported:', 'pandas' in sys.modules)",
    "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()",
    "x = 1 / 0",
    "print('after an error the kernel goes on')",
]


def run_probe(folder, warm: bool, fenced: bool = False, cells=PROBE):
    from nbgrader.preprocessors import Execute

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    ep = warmkernel.GradingExecute(timeout=60, fence=fenced) if warm or fenced else Execute(timeout=60)
    with warmkernel.warm_kernels(warm):
        ep.preprocess(nb, {"metadata": {"path": str(folder)}})
    return nb


def texts(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


@pytest.fixture
def probe_env(monkeypatch):
    monkeypatch.setenv("COURSEKIT_PROBE", "seen")


def test_a_warm_kernel_runs_a_notebook_like_a_fresh_one(tmp_path, probe_env):
    cold = run_probe(tmp_path, warm=False)
    warm = run_probe(tmp_path, warm=True)
    # same working folder, import path, module name, kernel arguments and environment
    assert texts(warm.cells[0]) == texts(cold.cells[0])
    assert "('cwd', '" + str(tmp_path) in texts(warm.cells[0])
    assert "('marker', 'seen')" in texts(warm.cells[0])
    assert "('zygote_env', None)" in texts(warm.cells[0])  # the kernel does not see the zygote
    # the difference: the warm kernel has the course's libraries loaded already
    assert "True" in texts(warm.cells[1]) and "False" in texts(cold.cells[1])
    # charts come out as inline images, errors as errors, and the kernel carries on
    for nb in (cold, warm):
        assert any("image/png" in o.get("data", {}) for o in nb.cells[2].outputs)
        assert nb.cells[3].outputs[-1].ename == "ZeroDivisionError"
        assert "goes on" in texts(nb.cells[4])


FENCED = [
    "import os\nprint(os.getcwd())",
    "from coursekit.data import load\nprint(len(load('calls')) > 1000)",
    "import matplotlib.pyplot as plt\nplt.plot([1, 2]); plt.show()",
    "open('../outside.txt').read()",
    "open('/proc/1/environ', 'rb').read()",
    "os.fork()",
    "open('mine.txt', 'w').write('ok')\nprint(open('mine.txt').read())",
]


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_a_fenced_kernel_runs_the_course_and_reaches_nothing_else(tmp_path, warm):
    from coursekit import fence

    if fence.unavailable_reason():
        pytest.skip(fence.unavailable_reason())
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "outside.txt").write_text("secret")
    nb = run_probe(work, warm=warm, fenced=True, cells=FENCED)
    assert texts(nb.cells[0]).strip() == str(work)
    assert texts(nb.cells[1]).strip() == "True"
    assert any("image/png" in o.get("data", {}) for o in nb.cells[2].outputs)
    for cell in nb.cells[3:6]:
        assert cell.outputs[-1].ename == "PermissionError", cell.source
    assert texts(nb.cells[6]).strip() == "ok"


def test_without_a_zygote_kernels_start_the_ordinary_way(tmp_path, monkeypatch):
    monkeypatch.setenv(warmkernel.ENV, str(tmp_path / "no-such.sock"))  # points nowhere
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import sys\nprint('pandas' in sys.modules)")]
    warmkernel.WarmExecute(timeout=60, fence=False).preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    assert texts(nb.cells[0]).strip() == "False"


def _wait_gone(pid, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not warmkernel._alive(pid):
            return True
        time.sleep(0.1)
    return False


def test_a_kernel_dies_with_the_process_that_asked_for_it_and_with_the_zygote(tmp_path):
    with warmkernel.warm_kernels() as zygote:
        assert zygote is not None
        env = {k: v for k, v in os.environ.items() if k != warmkernel.ENV}
        conn = tmp_path / "kernel.json"
        request = {"args": ["-f", str(conn)], "cwd": str(tmp_path), "env": env}
        # 1. asked for by a process that then dies (a grading worker killed at its time limit)
        pid = os.fork()
        if pid == 0:
            reply = warmkernel._request(zygote.address, {**request, "watch_pid": os.getpid()})
            with open(tmp_path / "kernel.pid", "w") as f:
                f.write(str(reply["pid"]))
            os._exit(0)
        os.waitpid(pid, 0)
        orphan = int((tmp_path / "kernel.pid").read_text())
        assert _wait_gone(orphan), "the kernel outlived the process that asked for it"
        # 2. still wanted when the zygote stops
        kept = warmkernel._request(zygote.address, {**request, "watch_pid": os.getpid()})["pid"]
        assert warmkernel._alive(kept)
    assert _wait_gone(kept), "the zygote left a kernel running"
    assert not os.path.exists(zygote.folder)


@pytest.mark.skipif(not MODULES, reason="no modules")
@pytest.mark.xdist_group(MODULES[0] if MODULES else "none")
def test_warm_and_ordinary_kernels_give_identical_grades(built_modules, tmp_path):
    module = MODULES[0]
    scores = {}
    for warm in (False, True):
        root = tmp_path / f"warm-{warm}"
        shutil.copytree(built_modules(module), root)
        simulate.register_learners(root, simulate.learner_roster(6))
        simulate.simulate_cohort(root, 6, [module])
        outcomes = grading.autograde(root, jobs=2, timeout=120, warm=warm)
        assert all(o.ok for o in outcomes)
        table = progress.completion(root)
        scores[warm] = table.set_index("learner_id")[["status", "score"]].sort_index()
    assert scores[True].equals(scores[False])
    assert scores[True]["score"].nunique() > 2  # full, partial and zero marks among them


def test_the_swap_keeps_the_rest_of_the_course_pipeline(tmp_path):
    from nbgrader.preprocessors import Execute

    from coursekit.sanitize import LimitOutputSize

    root = course.init_course(tmp_path / "c")
    config = course.load_config(root)
    warmkernel.use_warm_kernels(config)
    steps = config.Autograde.autograde_preprocessors
    assert warmkernel.WarmExecute in steps and Execute not in steps
    assert LimitOutputSize in steps  # the course's own step is still there
    assert issubclass(warmkernel.WarmExecute, Execute)  # so c.Execute.timeout still applies
    assert "Warm" not in (root / "nbgrader_config.py").read_text()  # the file itself is unchanged


def test_zygote_that_cannot_start_falls_back(monkeypatch):
    monkeypatch.setattr(warmkernel.sys, "executable", "/nonexistent/python")
    with warmkernel.warm_kernels() as zygote:
        assert zygote is None
        assert warmkernel.ENV not in os.environ


def test_signals_reach_the_forked_kernel(tmp_path):
    with warmkernel.warm_kernels() as zygote:
        env = {k: v for k, v in os.environ.items() if k != warmkernel.ENV}
        pid = warmkernel._request(zygote.address, {"args": ["-f", str(tmp_path / "k.json")], "cwd": str(tmp_path),
                                                   "env": env, "watch_pid": os.getpid()})["pid"]
        kernel = warmkernel.ForkedKernel(pid)
        assert kernel.poll() is None
        os.killpg(pid, signal.SIGKILL)  # the provisioner signals the kernel's own process group
        assert kernel.wait(10) == 0 and kernel.poll() is not None
