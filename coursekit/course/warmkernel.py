"""Warm kernels for autograding: each learner's notebook still runs in a fresh kernel of its own,
but the kernel starts as a fork of a process that has already imported what the course uses.

Why: nbgrader starts a new ``python -m ipykernel_launcher`` for every notebook it grades.  Each one
imports IPython, NumPy, pandas and coursekit and reads the bundled data again: about 0.8 s of CPU
per notebook, more than the learner's code itself takes.  A *zygote* process does that once;
for each notebook it forks a child that becomes the kernel (``IPKernelApp``, exactly as
``ipykernel_launcher`` would run it, with the same command-line arguments, working folder and
environment).  The child shares no state with other learners' kernels: it is a new process made
from a snapshot taken before any learner code ran.

How it plugs into nbgrader (nothing of nbgrader is re-implemented):

- :class:`WarmExecute` is nbgrader's ``Execute`` preprocessor with :class:`WarmKernelManager` as the
  kernel manager; :func:`use_warm_kernels` swaps it into a course's autograde pipeline.
- :class:`WarmKernelManager` is jupyter_client's ``AsyncKernelManager`` with a
  :class:`WarmProvisioner`: jupyter_client's ``LocalProvisioner`` whose ``launch_kernel`` asks the
  zygote for a fork instead of starting a process.  Interrupts, kills, time limits and
  "kernel died" detection keep working through the same provisioner methods.
- When no zygote is running (``COURSEKIT_WARM_KERNELS`` unset), or the kernel is not this Python's
  ipykernel, or the zygote does not answer, the provisioner starts the kernel the ordinary way.

Isolation and clean-up: the forked kernel leads its own session (so interrupts and kills reach it
and whatever it started), watches the grading process that asked for it and exits when that process
is gone (a worker killed for a time limit takes its kernel with it), and the zygote kills any
kernel still alive when it stops.

    >>> with warm_kernels():          # doctest: +SKIP
    ...     api.autograde("00-orientation", "nh01")
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

ENV = "COURSEKIT_WARM_KERNELS"

#: Modules the zygote imports before forking kernels (a missing one is skipped).  Not
#: ``matplotlib.pyplot``: its backend must be chosen inside the kernel, as ipykernel does.
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "IPython.core.interactiveshell", "numpy", "pandas",
           "scipy.stats", "matplotlib", "ipywidgets", "coursekit.learner.check", "coursekit.analysis.data",
           "coursekit.analysis.metrics")


# --------------------------------------------------------------------------- the zygote process


def _send(conn: socket.socket, message: dict) -> None:
    conn.sendall(json.dumps(message).encode() + b"\n")


def _receive(conn: socket.socket) -> dict:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionError("the other side closed the connection")
        data += chunk
    return json.loads(data)


def _preload() -> None:
    import importlib

    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")  # as ipykernel does
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # an optional package; the kernel imports it itself if it needs it
            pass
    try:
        from coursekit.analysis import data

        for name in data.FILES:
            data.load(name)  # read once here; every kernel gets a copy from the cache
    except Exception:
        pass


def _watch(pid: int) -> None:
    """Exit this kernel when the grading process ``pid`` that asked for it is gone."""
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            pass
        time.sleep(0.5)


_PR_SET_PDEATHSIG = 1


def _become_kernel(request: dict, ready_fd: int) -> None:
    """In the forked child: turn into an ipykernel as ``python -m ipykernel_launcher ARGS`` would,
    fenced first when the request carries a fence policy (:mod:`coursekit.fence`)."""
    status = b"1"
    try:
        os.setsid()
        import ctypes

        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # dies with the zygote
        for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):  # the zygote's own handling
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as in any fresh Python
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.close(devnull)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = ["ipykernel_launcher", *request["args"]]
        if request.get("fence"):
            from coursekit.course import fence

            fence.apply(fence.Policy.from_json(request["fence"]))  # still one thread: the fence binds all
        threading.Thread(target=_watch, args=(request["watch_pid"],), daemon=True).start()
    except BaseException as exc:
        status = b"0" + f"{type(exc).__name__}: {exc}".encode()[:500]
        raise
    finally:
        os.write(ready_fd, status)
        os.close(ready_fd)
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def serve(address: str) -> None:
    """Run the zygote: preload, then fork one kernel per request on the Unix socket ``address``."""
    _preload()
    children: set[int] = set()

    def stop(*_):
        for pid in children:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # finished kernels are reaped by the system
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(address)
    server.listen(16)
    server.settimeout(0.5)
    watched: dict[int, int] = {}  # kernel pid -> pid of the grading process it serves
    while True:
        for pid, grader in list(watched.items()):  # a kernel whose grader is gone is killed here,
            if not _alive(pid):                     # whatever its own code did to its watch thread
                watched.pop(pid)
            elif not _alive(grader):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        try:
            conn, _ = server.accept()
        except socket.timeout:
            continue
        conn.settimeout(None)
        with conn:
            try:
                request = _receive(conn)
            except (ConnectionError, ValueError):
                continue
            if request.get("op") == "ping":
                _send(conn, {"ok": True, "pid": os.getpid()})
                continue
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:
                server.close()
                conn.close()
                os.close(read_fd)
                try:
                    _become_kernel(request, write_fd)
                finally:
                    os._exit(0)
            os.close(write_fd)
            status = os.read(read_fd, 600)  # the child leads its own session (and is fenced) now
            os.close(read_fd)
            children.intersection_update(p for p in children if _alive(p))
            if status[:1] != b"1":
                _send(conn, {"ok": False, "error": status[1:].decode(errors="replace") or "the kernel did not start"})
                continue
            children.add(pid)
            watched[pid] = int(request.get("watch_pid") or 0)
            _send(conn, {"ok": True, "pid": pid})


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --------------------------------------------------------------------------- the grading side


def _request(address: str, message: dict, timeout: float = 30) -> dict:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(timeout)
        conn.connect(address)
        _send(conn, message)
        return _receive(conn)


class Zygote:
    """A running zygote process (start with :func:`warm_kernels`)."""

    def __init__(self, startup_timeout: float = 60):
        self.folder = tempfile.mkdtemp(prefix="coursekit-warm-")
        self.address = os.path.join(self.folder, "zygote.sock")
        self.log = os.path.join(self.folder, "zygote.log")
        env = {**os.environ, "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "1")}
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "coursekit.course.warmkernel", self.address],
                                            stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env,
                                            start_new_session=True)
        deadline = time.monotonic() + startup_timeout
        while True:
            try:
                _request(self.address, {"op": "ping"}, timeout=5)
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.close()
                    raise RuntimeError("the warm-kernel process did not start") from None
                time.sleep(0.05)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def warm_kernels(enabled: bool = True):
    """Run a zygote for the duration of the block and point :class:`WarmProvisioner` at it
    (through the ``COURSEKIT_WARM_KERNELS`` environment variable, inherited by forked workers).
    If the zygote cannot start, kernels start the ordinary way."""
    zygote = None
    if enabled and os.name == "posix" and not os.environ.get(ENV):
        try:
            zygote = Zygote()
        except (OSError, RuntimeError):
            zygote = None
    if zygote is None:
        yield None
        return
    os.environ[ENV] = zygote.address
    try:
        yield zygote
    finally:
        os.environ.pop(ENV, None)
        zygote.close()


class ForkedKernel:
    """The part of ``subprocess.Popen`` that jupyter_client's LocalProvisioner uses, for a kernel that
    is not our child (the zygote forked it)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode = None

    def poll(self):
        if self.returncode is None and not _alive(self.pid):
            self.returncode = 0
        return self.returncode

    def wait(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.05)
        return self.returncode

    def send_signal(self, signum):
        os.kill(self.pid, signum)

    def terminate(self):
        self.send_signal(signal.SIGTERM)

    def kill(self):
        self.send_signal(signal.SIGKILL)


_CLASSES: dict[str, type] = {}


def _classes() -> dict[str, type]:
    """Build the jupyter_client/nbgrader subclasses on first use, so that importing this module (the
    zygote's own) stays light."""
    if _CLASSES:
        return _CLASSES
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning import LocalProvisioner
    from nbgrader.preprocessors import Execute
    from traitlets import Bool, Integer

    from coursekit.course import fence as _fence

    class GradingProvisioner(LocalProvisioner):
        """jupyter_client's LocalProvisioner for grading kernels: fenced (:mod:`coursekit.fence`) when
        the kernel manager asks for it, and forked from the zygote when one is running."""

        scratch = None

        async def launch_kernel(self, cmd, **kwargs):
            settings = getattr(self.parent, "coursekit_fence", None)
            env = dict(kwargs.get("env") or os.environ)
            cwd = str(kwargs.get("cwd") or os.getcwd())
            policy = None
            if settings is not None:
                km = self.parent
                self.scratch = tempfile.mkdtemp(prefix="coursekit-kernel-")
                _fence.prepare_scratch(self.scratch)
                ports = [km.shell_port, km.iopub_port, km.stdin_port, km.hb_port, km.control_port]
                policy = _fence.kernel_policy(cwd, self.scratch, ports, km.connection_file, **settings).to_json()
                env = _fence.kernel_env(env, self.scratch)
                kwargs["env"] = env
            address = os.environ.get(ENV)
            if (address and len(cmd) >= 3 and list(cmd[1:3]) == ["-m", "ipykernel_launcher"]
                    and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable)):
                try:
                    reply = _request(address, {"args": list(cmd[3:]), "cwd": cwd, "watch_pid": os.getpid(),
                                               "fence": policy,
                                               "env": {k: str(v) for k, v in env.items() if k != ENV}})
                except (OSError, ValueError):
                    reply = {}
                if reply.get("ok"):
                    self.process = ForkedKernel(int(reply["pid"]))
                    self.pid = self.pgid = self.process.pid
                    self.cwd = cwd
                    return self.connection_info
                if reply.get("error"):
                    raise _fence.FenceUnavailable(f"the grading kernel could not be fenced: {reply['error']}")
            if policy is not None:  # a cold kernel fences itself, then becomes the kernel
                cmd = [sys.executable, "-I", "-S", _fence.__file__, policy, "--", *cmd]
            return await super().launch_kernel(cmd, **kwargs)

        async def cleanup(self, restart: bool = False) -> None:
            await super().cleanup(restart)
            if self.scratch and not restart:
                shutil.rmtree(self.scratch, ignore_errors=True)
                self.scratch = None

    class GradingKernelManager(AsyncKernelManager):
        """AsyncKernelManager whose kernels are fenced and, when a zygote runs, warm."""

        coursekit_fence = None  # fence settings (a dict of limits) or None for an unfenced kernel

        async def _async_pre_start_kernel(self, **kw):
            if self.provisioner is None:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = GradingProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                                      parent=self)
            return await super()._async_pre_start_kernel(**kw)

    class GradingExecute(Execute):
        """nbgrader's Execute preprocessor for learners' notebooks: each runs in a fresh kernel that is
        fenced (:mod:`coursekit.fence`) and, when a zygote runs, forked warm."""

        fence = Bool(True, help="Fence the kernel that runs a learner's notebook (Landlock, seccomp and "
                                "limits; see coursekit.fence). Without it grades are marked unfenced.").tag(config=True)
        memory_mb = Integer(_fence.DEFAULT_MEMORY_MB, help="Address space a grading kernel may use (MB).").tag(config=True)
        cpu_s = Integer(_fence.DEFAULT_CPU_S, help="CPU seconds a grading kernel may use.").tag(config=True)
        file_mb = Integer(_fence.DEFAULT_FILE_MB, help="Largest file a grading kernel may write (MB).").tag(config=True)
        disk_mb = Integer(_fence.DEFAULT_DISK_MB, help="Most a notebook may write to its working folder while "
                                                      "graded (MB); past it the kernel is stopped.").tag(config=True)

        def __init__(self, *args, **kwargs):
            kwargs.setdefault("kernel_manager_class", GradingKernelManager)
            super().__init__(*args, **kwargs)

        def create_kernel_manager(self):
            km = self._grading_km = super().create_kernel_manager()
            km.coursekit_fence = (dict(memory_mb=self.memory_mb, cpu_s=self.cpu_s, file_mb=self.file_mb)
                                  if self.fence else None)
            return km

        def preprocess(self, nb, resources=None, km=None):
            if self.fence:
                reason = _fence.unavailable_reason()
                if reason:
                    raise _fence.FenceUnavailable(reason + "; grade with --no-fence to go on without it")
            folder = (resources or {}).get("metadata", {}).get("path") or os.getcwd()
            watch = _DiskWatch(folder, self.disk_mb, lambda: getattr(self, "km", None))
            with watch:
                try:
                    return super().preprocess(nb, resources, km)
                except Exception:
                    if watch.tripped:
                        raise RuntimeError(f"DiskLimitError: the notebook wrote more than {self.disk_mb} MB "
                                           "while graded; it was stopped") from None
                    raise
                finally:  # a kernel that was killed never had its scratch folder cleaned up
                    provisioner = getattr(getattr(self, "_grading_km", None), "provisioner", None)
                    if getattr(provisioner, "scratch", None):
                        shutil.rmtree(provisioner.scratch, ignore_errors=True)

    for cls in (GradingProvisioner, GradingKernelManager, GradingExecute):
        cls.__module__ = __name__
        _CLASSES[cls.__name__] = cls
    return _CLASSES


class _DiskWatch:
    """Stop a grading kernel whose working folder grows past ``limit_mb`` (checked every 0.25 s)."""

    def __init__(self, folder: str, limit_mb: int, kernel_manager):
        self.folder, self.limit, self.kernel_manager = folder, limit_mb * 1024 * 1024, kernel_manager
        self.tripped = False
        self._stop = threading.Event()

    def _size(self) -> int:
        total = 0
        for dirpath, _, files in os.walk(self.folder):
            for name in files:
                try:
                    total += os.lstat(os.path.join(dirpath, name)).st_size
                except OSError:
                    pass
        return total

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            if self._size() > self.limit:
                self.tripped = True
                km = self.kernel_manager()
                pid = getattr(getattr(km, "provisioner", None), "pid", None)
                if pid:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                return

    def __enter__(self):
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(2)


def __getattr__(name):
    aliases = {"WarmProvisioner": "GradingProvisioner", "WarmKernelManager": "GradingKernelManager",
               "WarmExecute": "GradingExecute"}
    if name in ("GradingProvisioner", "GradingKernelManager", "GradingExecute") or name in aliases:
        return _classes()[aliases.get(name, name)]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def use_grading_kernels(config, fence: bool | None = None) -> None:
    """Swap nbgrader's ``Execute`` for :class:`GradingExecute` in a configuration's autograde pipeline
    (a course root configured by :func:`coursekit.pipeline.configure` has it already); ``fence``
    True/False overrides the course's setting."""
    from nbgrader.converters.autograde import Autograde
    from nbgrader.preprocessors import Execute

    if "autograde_preprocessors" in config.Autograde:
        steps = list(config.Autograde.autograde_preprocessors)
    else:
        steps = Autograde.class_traits()["autograde_preprocessors"].default()
    grading = _classes()["GradingExecute"]
    config.Autograde.autograde_preprocessors = [
        grading if (p is Execute or p == "nbgrader.preprocessors.Execute") else p for p in steps]
    if fence is not None:
        config.GradingExecute.fence = bool(fence)


use_warm_kernels = use_grading_kernels


if __name__ == "__main__":
    # like ipykernel_launcher: the working folder is not on the import path while loading
    if sys.path[0] == "" or Path(sys.path[0]) == Path.cwd():
        del sys.path[0]
    serve(sys.argv[1])
