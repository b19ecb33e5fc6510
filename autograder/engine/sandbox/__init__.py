"""How a worker process is started: its folder, command, environment, user and limits.

Three isolation levels, strongest first (``choose`` picks the strongest that works here):

``bwrap``
    bubblewrap: new user, PID, network, IPC and mount namespaces. The worker sees a read-only
    view of the Python runtime only (interpreter prefix, the site-packages holding NumPy,
    /usr, /lib*, /etc/ld.so.*) plus its own scratch folder: never the project, the reference,
    the hidden battery, the config secret, other submissions or the output folder. It runs as
    uid 65534 inside, has a small private /tmp and no network; everything it started dies with
    its PID namespace when the worker is killed.
``user``
    (the grader runs as root, e.g. on Gradescope, without bubblewrap) the worker runs as a
    dedicated uid of its own (``UID_BASE`` + slot, one per grading process, no passwd entry
    needed) in a scratch folder only that uid may write; when it ends every process of that
    uid is killed. What it can read is decided by file permissions: keep the grader's folder
    unreadable to others (``chmod -R o-rwx /autograder/source``); ``exposed`` lists what the
    uid could read at start-up.
``process``
    the grader's own user; only limits and a scratch folder (the worker can read what the
    grader can). Used only with ``--unsafe``.

At every level: rlimits (CPU seconds, address space, file size, open files, processes, no core
dumps), the worker in its own session, and (on x86-64) a seccomp filter that refuses to create
processes (fork, vfork, clone without CLONE_THREAD, clone3): no fork bomb, no daemon. Wall-clock
timeouts and the output cap are the runner's.

One module per level (``bwrap.py``, ``user.py``, ``process.py``; what they share in
``base.py``); this one chooses among them. ``make`` wraps the level in ``warm.WarmSandbox``:
one warm worker per grading process, started by the level (``prepare_warm``: its folder, user,
namespaces and limits), from which a worker is forked for each submission (``place`` puts the
file in its folder, ``after_worker`` removes what a worker left where it could write).
"""

import os
import shlex
import sys

from ..seccomp import no_fork_program
from .base import LEVELS, MINIMUM, Box, IsolationError, Limits, describe_exit, rlimit_setter
from .bwrap import BwrapSandbox, bwrap_works
from .process import ProcessSandbox
from .user import UID_BASE, UserSandbox, allocate_uid, readable_by_grading_uid, user_works

__all__ = [
    "UID_BASE",
    "Box",
    "BwrapSandbox",
    "IsolationError",
    "Limits",
    "ProcessSandbox",
    "UserSandbox",
    "allocate_uid",
    "available",
    "bwrap_works",
    "choose",
    "describe_exit",
    "make",
    "no_fork_program",
    "readable_by_grading_uid",
    "rlimit_setter",
    "user_works",
]


def available(python=sys.executable):
    """{level: (works, why not)} on this machine."""
    return {
        "bwrap": bwrap_works(python),
        "user": user_works(python),
        "process": (True, ""),
    }


def make(level, limits=None, python=sys.executable, scratch_parent=None, warm=True):
    """A sandbox of exactly ``level``; with ``warm``, its workers are forked from a warm
    worker (warm.py) where the machine allows it (Linux)."""
    if level == "user":
        user_works(python)  # what the grading uid can read goes into ``exposed``
    kind = {"bwrap": BwrapSandbox, "user": UserSandbox, "process": ProcessSandbox}[level]
    sandbox = kind(limits, python, scratch_parent)
    if warm and sys.platform.startswith("linux"):
        from ..warm import WarmSandbox

        return WarmSandbox(sandbox)
    return sandbox


def choose(limits=None, unsafe=False, minimum=MINIMUM, secrets=()):
    """The strongest sandbox this machine supports, refusing weaker than ``minimum``
    unless ``unsafe`` (then the process level is the last resort). Returns a sandbox object
    with ``level``, ``prepare``, ``kill``, ``cleanup`` and ``describe_exit``.

    ``secrets`` are more files that hold the course secret (a ``--config`` file): at the
    ``user`` level, a grading uid that can read one of them, or the project, is refused
    (unless ``unsafe``), with the command that closes them."""
    found = available()
    for level in ("bwrap", "user", "process"):
        if found[level][0] and (unsafe or LEVELS.index(level) >= LEVELS.index(minimum)):
            sandbox = make(level, limits)
            if level == "user" and not unsafe:
                # a grading uid that can read the reference or the secret is no isolation
                exposed = list(sandbox.exposed)
                exposed += readable_by_grading_uid(secrets) if secrets else []
                if exposed:
                    found[level] = (False, exposure_message(exposed))
                    continue
            return sandbox
    missing = "; ".join(f"{level}: {found[level][1]}" for level in ("bwrap", "user"))
    raise IsolationError(
        f"refusing to grade with less than '{minimum}' isolation ({missing}). "
        "Install bubblewrap (apt-get install bubblewrap), or run the grader as root for the "
        "unprivileged-user fallback, or pass --unsafe to run student code as your own user."
    )


def exposure_message(paths):
    """What a grading uid can read that it must not, and the command that closes it."""
    dirs = [p for p in paths if os.path.isdir(p)]
    files = [p for p in paths if p not in dirs]
    commands = []
    if dirs:
        commands.append("chmod -R o-rwx " + " ".join(shlex.quote(p) for p in dirs))
    if files:
        commands.append("chmod o-rwx " + " ".join(shlex.quote(p) for p in files))
    return f"the grading uid can read {', '.join(paths)} (run: {'; '.join(commands)})"
