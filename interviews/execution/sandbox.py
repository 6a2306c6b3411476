"""Running untrusted Python in bubblewrap.

What the sandboxed process gets: read-only /usr, the Python installation and the virtualenv
(both read-only), a size-limited tmpfs at /tmp as its only writable place, its task files
under /task (copied in from memory, read-only), a fresh /proc of its own PID namespace, no
network (all namespaces unshared), uid 65534, and an environment of a few fixed variables.

Layers, each covering what another might miss:
- bwrap is started with an EMPTY environment (not just --clearenv): otherwise the worker's
  secrets stay readable through /proc/1/environ inside the sandbox;
- a seccomp filter (built with pyseccomp, loaded by bwrap just before exec) denies ptrace,
  mount, namespaces, kernel modules, bpf, keyrings, perf and creating processes: threads are
  allowed, fork/vfork/non-thread clone are not. When the worker runs as root, the sandbox's
  uid maps to root outside, where RLIMIT_NPROC is not enforced, so the process ban is what
  stops a fork bomb; threads are bounded by the address-space limit;
- rlimits (address space, CPU seconds, open files, file size, no core dumps) set by prlimit;
- a wall-clock deadline, after which the whole process group is killed; --die-with-parent and
  the PID namespace take everything inside down with bwrap.

/etc is not mounted (only ld.so.cache), so /etc/shadow and the app's files do not exist inside."""

import contextlib
import errno
import os
import selectors
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from functools import cache

MB = 1 << 20
SANDBOX_UID = 65534
# Only what Python needs (library lookup speed); nothing with secrets or host identity.
ETC_FILES = ("/etc/ld.so.cache",)

DENIED_SYSCALLS = (
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "unshare",
    "setns",
    "bpf",
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "keyctl",
    "add_key",
    "request_key",
    "perf_event_open",
    "personality",
    "userfaultfd",
    "open_by_handle_at",
    "name_to_handle_at",
    "fanotify_init",
    "io_uring_setup",
    "reboot",
    "swapon",
    "swapoff",
    "syslog",
    "acct",
    "quotactl",
    "fork",
    "vfork",
)
CLONE_THREAD = 0x00010000


class SandboxUnavailable(RuntimeError):
    """bwrap or user namespaces are missing: nothing can be run safely, so nothing is run."""


@dataclass(frozen=True)
class Limits:
    wall_seconds: float = 60.0
    cpu_seconds: int = 60
    # import torch alone maps about 1 GB of address space.
    address_space: int = 3 * 1024 * MB
    open_files: int = 64
    file_size: int = 32 * MB
    tmpfs_size: int = 64 * MB
    result_bytes: int = 64 * MB
    log_bytes: int = 64 * 1024
    # Printing more than this ends the run: the case in progress is failed for its output.
    log_limit: int = 8 * MB
    # Device files bound in (the GPU path: /dev/nvidia*); CUDA maps far more address space
    # than it uses, so a GPU sandbox runs with address_space 0, meaning unlimited.
    devices: tuple[str, ...] = ()


@dataclass
class Outcome:
    results: bytes
    log: str
    returncode: int | None
    timed_out: bool
    results_truncated: bool
    log_truncated: bool
    log_overflow: bool
    wall_seconds: float


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


@cache
def availability() -> str:
    """Empty when sandboxing works here; otherwise why not (bwrap missing, no user namespaces)."""
    path = bwrap_path()
    if path is None:
        return "bubblewrap (bwrap) is not installed: apt-get install bubblewrap"
    probe = subprocess.run(
        [path, "--unshare-all", "--ro-bind", "/usr", "/usr", *_root_links(), "--", "/usr/bin/true"],
        env={},
        capture_output=True,
        text=True,
        timeout=30,
    )
    if probe.returncode != 0:
        return f"bwrap cannot create a sandbox here (user namespaces?): {probe.stderr.strip()[:300]}"
    return ""


@cache
def seccomp_program() -> bytes:
    """The compiled BPF filter bwrap loads before exec."""
    import pyseccomp as sc

    flt = sc.SyscallFilter(sc.ALLOW)
    for name in DENIED_SYSCALLS:
        try:
            flt.add_rule(sc.ERRNO(errno.EPERM), name)
        except (RuntimeError, OSError, ValueError):
            continue  # not a syscall on this architecture
    # New processes are refused, new threads allowed. glibc tries clone3 first and falls back
    # to clone on ENOSYS; clone3's flags live in memory seccomp cannot inspect.
    flt.add_rule(sc.ERRNO(errno.EPERM), "clone", sc.Arg(0, sc.MASKED_EQ, CLONE_THREAD, 0))
    flt.add_rule(sc.ERRNO(errno.ENOSYS), "clone3")
    # Only local sockets: the network namespace is empty anyway, this says so twice.
    flt.add_rule(sc.ERRNO(errno.EACCES), "socket", sc.Arg(0, sc.NE, 1))  # 1 = AF_UNIX
    read_fd = os.memfd_create("seccomp")
    try:
        with open(read_fd, "wb+", closefd=False) as handle:
            flt.export_bpf(handle)
            handle.seek(0)
            return handle.read()
    finally:
        os.close(read_fd)


def _memfd(name: str, data: bytes) -> int:
    fd = os.memfd_create(name)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def _root_links() -> list[str]:
    """/lib, /lib64, /bin, /sbin as on the host (symlinks into /usr on merged-/usr systems)."""
    args: list[str] = []
    for name in ("/lib", "/lib64", "/lib32", "/bin", "/sbin"):
        if os.path.islink(name):
            args += ["--symlink", os.readlink(name), name]
        elif os.path.isdir(name):
            args += ["--ro-bind", name, name]
    return args


def python_paths() -> tuple[str, str]:
    """The Python installation and the virtualenv, as real paths (bound at the same place)."""
    return os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix)


def run(files: dict[str, bytes], argv: list[str], limits: Limits) -> Outcome:
    """Run argv in a fresh sandbox with files placed read-only under /task. Never raises for
    anything the sandboxed code does; raises SandboxUnavailable if no sandbox can be made."""
    command, fds = build_command(files, argv, limits)
    try:
        return _supervise(command, fds, limits)
    finally:
        for fd in fds:
            os.close(fd)


def build_command(
    files: dict[str, bytes], argv: list[str], limits: Limits, as_pid_1: bool = False
) -> tuple[list[str], list[int]]:
    """The prlimit + bwrap command line and the file descriptors it must inherit (the caller
    closes them once the process has started)."""
    reason = availability()
    if reason:
        raise SandboxUnavailable(reason)
    base, venv = python_paths()
    fds: list[int] = []
    args = [
        bwrap_path() or "bwrap",
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--uid",
        str(SANDBOX_UID),
        "--gid",
        str(SANDBOX_UID),
        "--hostname",
        "sandbox",
        # Timing reads the CPU time of the process running the code from outside; as pid 1 it
        # is bwrap's direct child rather than a reaper's.
        *(["--as-pid-1"] if as_pid_1 else []),
        "--ro-bind",
        "/usr",
        "/usr",
        *_root_links(),
    ]
    for path in ETC_FILES:
        if os.path.exists(path):
            args += ["--ro-bind", path, path]
    # The tmpfs first: bwrap mounts in order, so a Python under /tmp (a clone in /tmp/...)
    # bound after it stays visible; bound before it, the tmpfs would hide it.
    args += ["--size", str(limits.tmpfs_size), "--perms", "1777", "--tmpfs", "/tmp"]
    args += ["--ro-bind", base, base]
    if venv != base:
        args += ["--ro-bind", venv, venv]
    args += ["--proc", "/proc", "--dev", "/dev"]
    for device in limits.devices:
        args += ["--dev-bind", device, device]
    try:
        for name, data in files.items():
            fd = _memfd(name, data)
            fds.append(fd)
            args += ["--ro-bind-data", str(fd), f"/task/{name}"]
        seccomp_fd = _memfd("seccomp", seccomp_program())
        fds.append(seccomp_fd)
        args += ["--seccomp", str(seccomp_fd)]
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": "/tmp",
            "TMPDIR": "/tmp",
            "PYTHONHASHSEED": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
        }
        args += ["--chdir", "/tmp", "--clearenv"]
        for key, value in env.items():
            args += ["--setenv", key, value]
        prlimit = [
            shutil.which("prlimit") or "prlimit",
            f"--as={limits.address_space or 'unlimited'}",
            f"--cpu={limits.cpu_seconds}",
            f"--nofile={limits.open_files}",
            f"--fsize={limits.file_size}",
            "--core=0",
            # Enforced when the worker is not root; see the module docstring otherwise.
            "--nproc=256",
            "--",
        ]
        return [*prlimit, *args, "--", *argv], fds
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise


def _supervise(command: list[str], fds: list[int], limits: Limits) -> Outcome:
    started = time.monotonic()
    # env={}: bwrap itself (pid 1's parent, and what /proc/1/environ shows) holds no secrets.
    proc = subprocess.Popen(
        command,
        env={},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pass_fds=fds,
        start_new_session=True,
        close_fds=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    results = bytearray()
    log = bytearray()
    results_truncated = log_truncated = log_overflow = timed_out = False
    log_total = 0
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ, "results")
    selector.register(proc.stderr, selectors.EVENT_READ, "log")
    deadline = started + limits.wall_seconds
    try:
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            for key, _ in selector.select(timeout=min(remaining, 1.0)):
                chunk = os.read(key.fd, 1 << 16)
                if not chunk:
                    selector.unregister(key.fileobj)
                    continue
                if key.data == "results":
                    if len(results) + len(chunk) > limits.result_bytes:
                        results_truncated = True
                        raise _Stop
                    results += chunk
                    continue
                # The log keeps its head; the rest is read and dropped up to the limit.
                log_total += len(chunk)
                if log_total > limits.log_limit:
                    log_overflow = log_truncated = True
                    raise _Stop
                if len(log) < limits.log_bytes:
                    log += chunk[: limits.log_bytes - len(log)]
                else:
                    log_truncated = True
    except _Stop:
        pass
    finally:
        selector.close()
        _kill_group(proc)
        proc.stdout.close()
        proc.stderr.close()
    returncode = proc.wait()
    return Outcome(
        results=bytes(results),
        log=log.decode("utf-8", "replace"),
        returncode=returncode,
        timed_out=timed_out,
        results_truncated=results_truncated,
        log_truncated=log_truncated,
        log_overflow=log_overflow,
        wall_seconds=time.monotonic() - started,
    )


class _Stop(Exception):
    pass


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL bwrap's process group; the PID namespace dies with it (--die-with-parent)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
