"""What every isolation level shares: limits, the Box a worker is started from, its
environment, the function that applies limits in the new process, and the words for how a
worker ended."""

import os
import resource
import shutil
import signal
from dataclasses import dataclass, field
from pathlib import Path

from ..seccomp import die_with_parent, install_seccomp

WORKER_FILES = ("worker.py", "wire.py", "zygote.py", "seccomp.py")
ENGINE_DIR = Path(__file__).resolve().parents[1]
PROJECT_DIR = ENGINE_DIR.parents[1]
# Passed through to the worker: some CPUs need these for OpenBLAS to compute correctly.
KEEP_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LANG", "LC_ALL")
LEVELS = ("process", "user", "bwrap")
MINIMUM = "user"


class IsolationError(RuntimeError):
    """The machine cannot give the minimum isolation level."""


@dataclass
class Limits:
    """Per-worker resource limits (see setrlimit(2))."""

    cpu_seconds: int = 60
    memory_bytes: int = 2 << 30
    file_bytes: int = 1 << 20
    open_files: int = 64
    processes: int = 64


@dataclass
class Box:
    argv: list
    cwd: str
    env: dict
    scratch: Path
    preexec: object = None
    extra: dict = field(default_factory=dict)


def worker_env(home, tmp=None):
    env = {k: os.environ[k] for k in KEEP_ENV if k in os.environ}
    env.update(
        PATH="/usr/bin:/bin",
        HOME=str(home),
        TMPDIR=str(tmp or home),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONHASHSEED="0",
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
    )
    return env


def rlimit_setter(limits, uid=None, seccomp=None):
    """A function that applies ``limits`` to the calling process (for ``preexec_fn``), then
    drops to ``uid`` (when given), asks to be killed when the grading process dies (after the
    uid change, which would clear it) and loads the ``seccomp`` program (when given)."""

    def apply():
        pairs = [
            (resource.RLIMIT_CPU, limits.cpu_seconds),
            (resource.RLIMIT_AS, limits.memory_bytes),
            (resource.RLIMIT_FSIZE, limits.file_bytes),
            (resource.RLIMIT_NOFILE, limits.open_files),
            (resource.RLIMIT_NPROC, limits.processes),
            (resource.RLIMIT_CORE, 0),
        ]
        for which, value in pairs:
            resource.setrlimit(which, (value, value))
        os.umask(0o077)
        if uid is not None:
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
        die_with_parent()
        if seccomp:
            install_seccomp(seccomp)

    return apply


def warm_limits(limits):
    """A warm worker's limits: a worker's, but CPU time for a whole class (each forked worker
    takes the worker's CPU limit for itself, see warm.child_limits)."""
    return Limits(
        cpu_seconds=max(limits.cpu_seconds, 24 * 3600),
        memory_bytes=limits.memory_bytes,
        file_bytes=limits.file_bytes,
        open_files=limits.open_files,
        processes=limits.processes,
    )


def remove_entry(entry):
    """Remove a folder entry (a folder with what it holds)."""
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path, ignore_errors=True)
    else:
        os.unlink(entry.path)


def describe_exit(code):
    """Why a worker ended, in words a student understands."""
    if code is None:
        return "it stopped answering"
    if code < 0:
        number = -code
        reasons = {
            signal.SIGXCPU: "it used up its CPU time limit",
            signal.SIGKILL: "it was killed (memory or time limit)",
            signal.SIGSEGV: "it crashed (segmentation fault; often memory exhausted)",
            signal.SIGXFSZ: "it wrote a file larger than allowed",
            signal.SIGSYS: "it made a system call that is not allowed",
        }
        name = (
            signal.Signals(number).name if number in signal.Signals._value2member_map_ else number
        )
        return reasons.get(number, f"it was stopped by signal {name}")
    return f"the Python process exited (status {code}): sys.exit() or os._exit() in your code?"
