"""The grading fence: what a kernel running a learner's notebook may do while it is graded.

A learner's notebook is code written by someone with a reason to cheat, run on the trainer's
machine.  nbgrader runs it as the grader's own user with everything that user can reach
(nbgrader's FAQ: it "does not protect against unsafe code").  Every kernel that runs learner code
for grading is fenced here, in the kernel process itself, before the first line of the notebook
runs (a warm kernel right after the zygote forks it; a cold kernel in :func:`main`, just before it
``exec``\\s the ipykernel command).  The fenced kernel

- **reads** only what the notebook needs: the Python installation and its packages, the
  ``coursekit`` library *without* its answer keys (``coursekit/checks``), the bundled data, its
  connection file, and its own working folder (nbgrader's ``autograded/<learner>/<module>`` copy);
  it cannot see the course's ``source/``, ``release/``, the gradebook, other learners' folders,
  the repository's notebooks, ``/proc`` (other processes' command lines and environments) or home
  folders;
- **writes** only its own working folder and a private scratch folder (deleted afterwards);
- has **no network**: it may bind the five TCP ports of its own connection file (how the grader
  talks to it) and nothing else: no TCP connect, no UDP, no Unix-domain sockets (so not the
  warm-kernel zygote's socket, PostgreSQL's socket or a desktop bus);
- **starts no process**: ``fork``, ``vfork`` and ``clone`` without ``CLONE_THREAD`` fail with
  ``EPERM`` (threads still work), so a fork bomb stops at its first fork and nothing can outlive
  the kernel: a detached ``setsid`` daemon is never born.  This is the process cap: zero new
  processes, the same for root and for an ordinary user (``RLIMIT_NPROC`` does not bind root);
- cannot **signal or trace** any process outside its own fence (Landlock scoping), so it cannot
  kill the grader or read another process's memory;
- has caps on **memory** (address space, default :data:`DEFAULT_MEMORY_MB`), **CPU time**, the
  size of any **file** it writes, and the number of open files; core dumps are off.

Why these mechanisms: they are what an unprivileged process can do to itself on Linux and they
cost almost nothing (a few system calls per kernel, measured in ``benchmarks/bench_autograde.py``):

- *Landlock* (ABI 6 or later, Linux 6.12+) for files, TCP ports, signals and abstract sockets:
  unprivileged, inherited by every thread and child, and it works after ``fork`` (the warm-kernel
  zygote forks first, the child fences itself).  Bubblewrap would need a new process tree per
  kernel (it cannot fence an already-forked child) and user namespaces, which Ubuntu 24.04 restricts.
- *seccomp* (a small BPF filter written here, no libseccomp needed) for what Landlock does not
  cover: UDP and other socket families, ``AF_UNIX`` sockets, new processes, ``io_uring`` (which
  would bypass the socket filter), ``ptrace``, namespaces, ``bpf``, ``perf_event_open``, keyrings.
- *setrlimit* for memory, CPU, file size and open files.

What it does not do: it does not hide the library's own code or the bundled data (the notebook
needs them), it does not limit how long a cell runs (nbgrader's ``Execute.timeout`` and coursekit's
per-submission time limit do), and the total disk a notebook writes is bounded by the file-size
cap per file and by the grader watching the working folder (:data:`DEFAULT_DISK_MB`), not by a
quota.  Docker-based graders (otter-grader, Gradescope) isolate more; this needs no Docker.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import platform
import resource
import struct
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

#: Default caps for one grading kernel.  The course's notebooks peak at about 1.3 GB of address
#: space (pandas, SciPy, Matplotlib and the bundled data loaded): 3 GB leaves room, 6 GB does not fit.
DEFAULT_MEMORY_MB = 3072
DEFAULT_CPU_S = 600
DEFAULT_FILE_MB = 64
DEFAULT_DISK_MB = 256
DEFAULT_OPEN_FILES = 512

#: Landlock ABI the fence needs: 4 for TCP port rules, 6 for signal and abstract-socket scoping.
LANDLOCK_ABI_NEEDED = 6


class FenceUnavailable(RuntimeError):
    """The operating system lacks something the fence needs (the message says what)."""


@dataclass
class Policy:
    """What one fenced kernel may do (see the module docstring).  Plain data, so that it crosses a
    process boundary as JSON (to the warm-kernel zygote, or on the cold kernel's command line)."""

    read: list[str] = field(default_factory=list)       # folders and files readable (and executable)
    write: list[str] = field(default_factory=list)      # folders readable and writable
    hidden: list[str] = field(default_factory=list)     # folders inside ``read`` that stay unreadable
    ports: list[int] = field(default_factory=list)      # TCP ports the kernel may bind
    memory_mb: int = DEFAULT_MEMORY_MB
    cpu_s: int = DEFAULT_CPU_S
    file_mb: int = DEFAULT_FILE_MB
    open_files: int = DEFAULT_OPEN_FILES

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "Policy":
        return cls(**json.loads(text))


# --------------------------------------------------------------------------- Landlock

_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446  # same on x86_64 and aarch64
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH, _RULE_NET_PORT = 1, 2

_FS_EXECUTE, _FS_WRITE_FILE, _FS_READ_FILE, _FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_FS_REMOVE_DIR, _FS_REMOVE_FILE, _FS_MAKE_CHAR, _FS_MAKE_DIR = 1 << 4, 1 << 5, 1 << 6, 1 << 7
_FS_MAKE_REG, _FS_MAKE_SOCK, _FS_MAKE_FIFO, _FS_MAKE_BLOCK = 1 << 8, 1 << 9, 1 << 10, 1 << 11
_FS_MAKE_SYM, _FS_REFER, _FS_TRUNCATE, _FS_IOCTL_DEV = 1 << 12, 1 << 13, 1 << 14, 1 << 15
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1

_FILE_READ = _FS_EXECUTE | _FS_READ_FILE
_DIR_READ = _FILE_READ | _FS_READ_DIR
_FILE_WRITE = _FS_WRITE_FILE | _FS_TRUNCATE
_DIR_WRITE = (_DIR_READ | _FILE_WRITE | _FS_REMOVE_DIR | _FS_REMOVE_FILE | _FS_MAKE_DIR | _FS_MAKE_REG
              | _FS_MAKE_SYM | _FS_REFER)

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long
_libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]


def landlock_abi() -> int:
    """The Landlock ABI version this kernel offers (0: none, or disabled at boot)."""
    if sys.platform != "linux":
        return 0
    version = _libc.syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    return max(int(version), 0)


def _handled_fs(abi: int) -> int:
    handled = (1 << 13) - 1  # every right of ABI 1
    if abi >= 2:
        handled |= _FS_REFER
    if abi >= 3:
        handled |= _FS_TRUNCATE
    if abi >= 5:
        handled |= _FS_IOCTL_DEV
    return handled


def _check(result: int, what: str) -> int:
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")
    return result


def _add_path(ruleset: int, path: str, access: int, handled: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # a path that does not exist on this machine needs no rule
    try:
        if not os.path.isdir(path):
            access &= _FS_EXECUTE | _FS_WRITE_FILE | _FS_READ_FILE | _FS_TRUNCATE | _FS_IOCTL_DEV
        attr = struct.pack("=Qi", access & handled, fd)  # struct landlock_path_beneath_attr (packed)
        buf = ctypes.create_string_buffer(attr, len(attr))
        _check(_libc.syscall(_SYS_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_RULE_PATH_BENEATH), buf,
                             ctypes.c_uint32(0)), f"landlock rule for {path}")
    finally:
        os.close(fd)


def _read_rules(path: str, hidden: list[str]) -> list[tuple[str, int]]:
    """Rules granting read access beneath ``path`` except beneath the ``hidden`` folders inside it:
    Landlock only adds rights, so a folder that contains a hidden one gets ``READ_DIR`` only (it can
    be listed) and each of its other entries is granted one by one."""
    inside = [h for h in hidden if h == path or h.startswith(path.rstrip("/") + "/")]
    if not inside:
        return [(path, _DIR_READ)]
    if path in inside:
        return []
    rules = [(path, _FS_READ_DIR)]
    try:
        names = os.listdir(path)
    except OSError:
        return rules
    for name in names:
        rules.extend(_read_rules(os.path.join(path, name), inside))
    return rules


def _landlock(policy: Policy, abi: int) -> None:
    handled_fs = _handled_fs(abi)
    attr = struct.pack("=QQQ", handled_fs, _NET_BIND_TCP | _NET_CONNECT_TCP,
                       _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL)
    buf = ctypes.create_string_buffer(attr, len(attr))
    ruleset = _check(_libc.syscall(_SYS_CREATE_RULESET, buf, ctypes.c_size_t(len(attr)), ctypes.c_uint32(0)),
                     "landlock ruleset")
    try:
        hidden = [os.path.realpath(h) for h in policy.hidden]
        for path in policy.read:
            for rule_path, access in _read_rules(os.path.realpath(path), hidden):
                _add_path(ruleset, rule_path, access, handled_fs)
        for path in policy.write:
            _add_path(ruleset, os.path.realpath(path), _DIR_WRITE, handled_fs)
        for device in ("/dev/null", "/dev/zero", "/dev/full"):
            _add_path(ruleset, device, _FILE_READ | _FILE_WRITE, handled_fs)
        for device in ("/dev/urandom", "/dev/random"):
            _add_path(ruleset, device, _FS_READ_FILE, handled_fs)
        for port in policy.ports:
            net = struct.pack("=QQ", _NET_BIND_TCP, int(port))
            nbuf = ctypes.create_string_buffer(net, len(net))
            _check(_libc.syscall(_SYS_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_RULE_NET_PORT), nbuf,
                                 ctypes.c_uint32(0)), f"landlock rule for port {port}")
        _check(_libc.syscall(_SYS_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)), "landlock_restrict_self")
    finally:
        os.close(ruleset)


# --------------------------------------------------------------------------- seccomp

_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_PR_SET_DUMPABLE = 4
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_RET_KILL_PROCESS = 0x80000000

_BPF_LD_W_ABS, _BPF_JEQ_K, _BPF_AND_K, _BPF_RET_K, _BPF_JGE_K = 0x20, 0x15, 0x54, 0x06, 0x35

#: architecture -> (AUDIT_ARCH value, system call numbers)
_ARCH = {
    "x86_64": (0xC000003E, {"socket": 41, "clone": 56, "fork": 57, "vfork": 58, "clone3": 435,
                            "io_uring_setup": 425, "ptrace": 101, "process_vm_readv": 310,
                            "process_vm_writev": 311, "unshare": 272, "setns": 308, "mount": 165,
                            "bpf": 321, "perf_event_open": 298, "keyctl": 250, "add_key": 248,
                            "request_key": 249, "userfaultfd": 323, "kexec_load": 246}),
    "aarch64": (0xC00000B7, {"socket": 198, "clone": 220, "clone3": 435, "io_uring_setup": 425,
                             "ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271,
                             "unshare": 97, "setns": 268, "mount": 40, "bpf": 280, "perf_event_open": 241,
                             "keyctl": 219, "add_key": 217, "request_key": 218, "userfaultfd": 282,
                             "kexec_load": 104}),
}
_AF_UNIX, _AF_INET, _AF_INET6, _AF_NETLINK, _SOCK_STREAM, _IPPROTO_TCP = 1, 2, 10, 16, 1, 6
_CLONE_THREAD = 0x00010000
_DENIED = ("io_uring_setup", "ptrace", "process_vm_readv", "process_vm_writev", "unshare", "setns", "mount",
           "bpf", "perf_event_open", "keyctl", "add_key", "request_key", "userfaultfd", "kexec_load")


def _seccomp_program() -> bytes:
    machine = platform.machine()
    if machine not in _ARCH:
        raise FenceUnavailable(f"the grading fence supports x86_64 and aarch64 Linux, not {machine}")
    audit_arch, nr = _ARCH[machine]
    prog: list[tuple[int, int, int, int]] = []
    labels: dict[str, int] = {}
    fixups: list[tuple[int, str, str]] = []  # (instruction index, jt label, jf label)

    def op(code, k=0, jt=0, jf=0):
        prog.append((code, jt, jf, k))
        return len(prog) - 1

    def jump(k, if_true, if_false):  # jeq k: jump to labels (resolved below)
        fixups.append((op(_BPF_JEQ_K, k), if_true, if_false))

    def ret(value):
        op(_BPF_RET_K, value)

    eperm, enosys = _RET_ERRNO | errno.EPERM, _RET_ERRNO | errno.ENOSYS
    op(_BPF_LD_W_ABS, 4)                                   # seccomp_data.arch
    jump(audit_arch, "arch_ok", "kill")
    labels["arch_ok"] = len(prog)
    op(_BPF_LD_W_ABS, 0)                                   # seccomp_data.nr
    if machine == "x86_64":                                # the x32 ABI: other numbers; refuse it
        fixups.append((op(_BPF_JGE_K, 0x40000000), "deny", "next0"))
        labels["next0"] = len(prog)
    jump(nr["socket"], "socket", "n1")
    labels["n1"] = len(prog)
    jump(nr["clone"], "clone", "n2")
    labels["n2"] = len(prog)
    jump(nr["clone3"], "nosys", "n3")                      # glibc falls back to clone, inspected below
    labels["n3"] = len(prog)
    i = 3
    for name in ("fork", "vfork", *_DENIED):
        if name in nr:
            i += 1
            jump(nr[name], "deny", f"n{i}")
            labels[f"n{i}"] = len(prog)
    ret(_RET_ALLOW)
    labels["socket"] = len(prog)
    op(_BPF_LD_W_ABS, 16)                                  # args[0]: the address family
    jump(_AF_INET, "inet", "s1")
    labels["s1"] = len(prog)
    jump(_AF_NETLINK, "netlink", "s3")
    labels["s3"] = len(prog)
    jump(_AF_INET6, "inet", "deny")
    labels["netlink"] = len(prog)                          # read the machine's own addresses (ZeroMQ
    op(_BPF_LD_W_ABS, 32)                                  # binding its ports asks): NETLINK_ROUTE only
    jump(0, "allow", "deny")
    labels["inet"] = len(prog)
    op(_BPF_LD_W_ABS, 24)                                  # args[1]: the socket type (and flags)
    op(_BPF_AND_K, 0xF)
    jump(_SOCK_STREAM, "stream", "deny")
    labels["stream"] = len(prog)
    op(_BPF_LD_W_ABS, 32)                                  # args[2]: the protocol (0 or TCP; not SCTP)
    jump(0, "allow", "s2")
    labels["s2"] = len(prog)
    jump(_IPPROTO_TCP, "allow", "deny")
    labels["clone"] = len(prog)
    op(_BPF_LD_W_ABS, 16)                                  # args[0]: clone flags
    op(_BPF_AND_K, _CLONE_THREAD)
    jump(_CLONE_THREAD, "allow", "deny")
    labels["allow"] = len(prog)
    ret(_RET_ALLOW)
    labels["deny"] = len(prog)
    ret(eperm)
    labels["nosys"] = len(prog)
    ret(enosys)
    labels["kill"] = len(prog)
    ret(_RET_KILL_PROCESS)
    for index, if_true, if_false in fixups:
        code, _, _, k = prog[index]
        prog[index] = (code, labels[if_true] - index - 1, labels[if_false] - index - 1, k)
    return b"".join(struct.pack("=HBBI", *ins) for ins in prog)


def _seccomp() -> None:
    program = _seccomp_program()
    count = len(program) // 8
    filters = ctypes.create_string_buffer(program, len(program))
    fprog = struct.pack("=HxxxxxxQ", count, ctypes.addressof(filters))  # struct sock_fprog
    fbuf = ctypes.create_string_buffer(fprog, len(fprog))
    _check(_libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(fbuf), 0, 0), "seccomp filter")


# --------------------------------------------------------------------------- the fence


def unavailable_reason() -> str:
    """Why this machine cannot fence grading kernels, in one line; ``""`` when it can."""
    if sys.platform != "linux":
        return f"the grading fence needs Linux (Landlock and seccomp); this is {sys.platform}"
    abi = landlock_abi()
    if abi < LANDLOCK_ABI_NEEDED:
        have = "no Landlock (off, or not in this kernel)" if abi == 0 else f"Landlock ABI {abi}"
        return (f"the grading fence needs Landlock ABI {LANDLOCK_ABI_NEEDED} (Linux 6.12 or later) and this "
                f"machine has {have} (kernel {platform.release()})")
    if platform.machine() not in _ARCH:
        return f"the grading fence supports x86_64 and aarch64 Linux, not {platform.machine()}"
    return ""


def apply(policy: Policy) -> None:
    """Fence this process (and everything it will start) by ``policy``.  Irreversible.

    Call it in a single-threaded process, after everything the fence would forbid is done (reading
    the connection file is fine later: it is in ``policy.read``).  Raises :class:`FenceUnavailable`
    or ``OSError`` when the fence cannot be put up; the caller must then not run learner code."""
    reason = unavailable_reason()
    if reason:
        raise FenceUnavailable(reason)
    mb = 1024 * 1024
    limits = [(resource.RLIMIT_AS, policy.memory_mb * mb), (resource.RLIMIT_CPU, policy.cpu_s),
              (resource.RLIMIT_FSIZE, policy.file_mb * mb), (resource.RLIMIT_NOFILE, policy.open_files),
              (resource.RLIMIT_CORE, 0)]
    for which, value in limits:
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, value))
    _check(_libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0), "prctl(PR_SET_DUMPABLE)")  # no /proc/<pid>/mem, no core
    _check(_libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
    _landlock(policy, landlock_abi())
    _seccomp()


# --------------------------------------------------------------------------- what a grading kernel needs


def _package_root() -> Path:
    return Path(__file__).resolve().parents[1]


def answer_key_dirs() -> list[str]:
    """Folders of the library that a grading kernel must not read: the self-checks' answer keys
    (``checks``) and the sealed quiz key (``keys``)."""
    return [str(_package_root() / "learner" / "checks"), str(_package_root() / "keys")]


def kernel_policy(workdir: str, scratch: str, ports=(), connection_file: str | None = None,
                  memory_mb: int = DEFAULT_MEMORY_MB, cpu_s: int = DEFAULT_CPU_S,
                  file_mb: int = DEFAULT_FILE_MB) -> Policy:
    """The policy for a kernel that runs a learner's notebook in ``workdir`` (see the module docstring)."""
    import site
    import sysconfig

    from coursekit.analysis import data

    read = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
            str(_package_root()), str(data.datasets_dir()),
            "/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/opt/conda",
            "/etc/ld.so.cache", "/etc/localtime", "/etc/nsswitch.conf", "/etc/hosts", "/etc/passwd",
            "/etc/group", "/etc/fonts", "/etc/matplotlibrc", "/etc/mime.types", "/etc/ssl/certs",
            "/sys/devices/system/cpu", "/sys/fs/cgroup/cpu.max"}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        read.add(sysconfig.get_path(key))
    for path in [*site.getsitepackages(), site.getusersitepackages(), *sys.path]:
        in_python = any(path.startswith(p.rstrip("/") + "/") for p in (sys.prefix, sys.base_prefix) if p)
        if (path and os.path.isdir(path) and (in_python or "-packages" in Path(path).name)
                and not _contains_course(path, workdir)):
            read.add(path)
    if connection_file:
        read.add(connection_file)
    read = sorted(p for p in read if p and os.path.exists(p))
    return Policy(read=read, write=[workdir, scratch], hidden=answer_key_dirs(),
                  ports=[int(p) for p in ports if p], memory_mb=int(memory_mb), cpu_s=int(cpu_s),
                  file_mb=int(file_mb))


def _contains_course(path: str, workdir: str) -> bool:
    """True when granting ``path`` would grant the course folder around ``workdir`` (a working folder
    on ``sys.path``, say, or a site folder above the course): such a path is not granted."""
    path, workdir = os.path.realpath(path), os.path.realpath(workdir)
    return workdir == path or workdir.startswith(path.rstrip("/") + "/") and path not in (sys.prefix, sys.base_prefix)


#: environment variables a fenced kernel keeps (everything else, secrets included, is dropped)
KEEP_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONHASHSEED", "MPLBACKEND", "OPENBLAS_NUM_THREADS",
            "OMP_NUM_THREADS", "MKL_NUM_THREADS", "COURSEKIT_DATASETS", "NBGRADER_EXECUTION",
            "PYDEVD_DISABLE_FILE_VALIDATION", "JPY_PARENT_PID", "VIRTUAL_ENV", "PYTHONNOUSERSITE")


def kernel_env(env: dict, scratch: str) -> dict:
    """The environment of a fenced kernel: the harmless part of ``env``, with home and every
    configuration folder moved into its scratch folder."""
    kept = {k: str(v) for k, v in env.items() if k in KEEP_ENV or k.startswith("JUPYTER_") and k.endswith("_PATH")}
    kept.update({"HOME": scratch, "IPYTHONDIR": os.path.join(scratch, "ipython"),
                 "MPLCONFIGDIR": os.path.join(scratch, "matplotlib"), "XDG_CACHE_HOME": os.path.join(scratch, "cache"),
                 "XDG_CONFIG_HOME": os.path.join(scratch, "config"), "JUPYTER_RUNTIME_DIR": os.path.join(scratch, "run"),
                 "TMPDIR": scratch, "COURSEKIT_FENCED": "1"})
    kept.setdefault("OPENBLAS_NUM_THREADS", "1")
    return kept


def prepare_scratch(scratch: str) -> None:
    """Make the scratch folder and seed its Matplotlib cache from this process's, so that a fenced
    kernel does not rebuild the font list (about a second) or warn that it cannot write it."""
    os.makedirs(scratch, exist_ok=True)
    target = os.path.join(scratch, "matplotlib")
    os.makedirs(target, exist_ok=True)
    try:
        import glob
        import shutil

        import matplotlib

        for path in glob.glob(os.path.join(matplotlib.get_cachedir(), "fontlist-*.json")):
            shutil.copy(path, target)
    except Exception:  # no Matplotlib, or no cache yet: the kernel builds its own
        pass


def main(argv: list[str] | None = None) -> None:
    """``python -m coursekit.fence POLICY_JSON -- COMMAND ...``: fence this process, then exec COMMAND
    (how a cold grading kernel starts)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) < 3 or argv[1] != "--":
        sys.exit("usage: python -m coursekit.fence POLICY_JSON -- COMMAND [ARGS...]")
    try:
        apply(Policy.from_json(argv[0]))
    except (FenceUnavailable, OSError) as exc:
        sys.exit(f"coursekit fence: {exc}")
    os.execvp(argv[2], argv[2:])


if __name__ == "__main__":
    main()
