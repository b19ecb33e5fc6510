"""How a worker process is started: its folder, command, environment and limits.

A ``Sandbox`` prepares a fresh scratch folder holding only the student's file, builds the
command that runs ``worker.py`` on it, and applies resource limits before the worker runs
a single line of student code. ``kill`` ends the worker and everything it started.
"""

import os
import resource
import shutil
import signal
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

WORKER_FILES = ("worker.py", "wire.py")
ENGINE_DIR = Path(__file__).resolve().parent
# Passed through to the worker: some CPUs need these for OpenBLAS to compute correctly.
KEEP_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LANG", "LC_ALL")


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


def worker_env(home):
    env = {k: os.environ[k] for k in KEEP_ENV if k in os.environ}
    env.update(
        PATH="/usr/bin:/bin",
        HOME=str(home),
        TMPDIR=str(home),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONHASHSEED="0",
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
    )
    return env


def rlimit_setter(limits):
    """A function that applies ``limits`` to the calling process (for ``preexec_fn``)."""

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

    return apply


class ProcessSandbox:
    """A separate process with resource limits, its own session and a scratch folder.

    The weakest isolation level: the worker runs as the grader's user and sees its files.
    """

    level = "process"

    def __init__(self, limits=None, python=sys.executable):
        self.limits = limits or Limits()
        self.python = python

    def prepare(self, student_file):
        scratch = Path(tempfile.mkdtemp(prefix="bp-worker-"))
        runtime = scratch / "grader"
        runtime.mkdir()
        for name in WORKER_FILES:
            shutil.copyfile(ENGINE_DIR / name, runtime / name)
        home = scratch / "submission"
        home.mkdir()
        shutil.copyfile(student_file, home / "backprop.py")
        argv = [self.python, "-I", str(runtime / "worker.py"), str(home / "backprop.py")]
        return Box(argv, str(home), worker_env(home), scratch, rlimit_setter(self.limits))

    def kill(self, process, box):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        process.wait()

    def cleanup(self, box):
        shutil.rmtree(box.scratch, ignore_errors=True)

    def describe_exit(self, code):
        return describe_exit(code)


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
        }
        name = (
            signal.Signals(number).name if number in signal.Signals._value2member_map_ else number
        )
        return reasons.get(number, f"it was stopped by signal {name}")
    return f"the Python process exited (status {code}): sys.exit() or os._exit() in your code?"


def choose(limits=None, unsafe=False):
    """The strongest sandbox this machine supports (refusing weaker than the minimum
    unless ``unsafe``). Returns a sandbox object with ``level``, ``prepare``, ``kill``,
    ``cleanup`` and ``describe_exit``."""
    return ProcessSandbox(limits)
