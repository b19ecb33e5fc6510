"""The ``user`` level (the grader runs as root, e.g. on Gradescope, without bubblewrap): the
worker runs as a dedicated uid of its own, one per grading process, in a folder only that uid
may write; every process of that uid is killed, and what it left in the world-writable
folders removed, after each worker. What the uid can read is probed (``user_works``)."""

import fcntl
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from .base import PROJECT_DIR, Box, IsolationError, Limits, remove_entry, rlimit_setter, worker_env
from .process import ProcessSandbox

# Dedicated grading uids: UID_BASE + slot. No passwd entry is needed.
UID_BASE = int(os.environ.get("AUTOGRADER_UID_BASE", "1990000000"))
UID_SLOTS = 64
LOCK_DIR = Path(tempfile.gettempdir()) / "autograder-uids"
_USER_PROBE = {}
PROBE_CODE = (
    "import numpy, os, sys\n"
    "seen = []\n"
    "for p in sys.argv[1:]:\n"
    "    try:\n"
    "        os.listdir(p) if os.path.isdir(p) else open(p, 'rb').close()\n"
    "        seen.append(p)\n"
    "    except OSError:\n"
    "        pass\n"
    "print('\\n'.join(seen))\n"
)


class UserSandbox(ProcessSandbox):
    """The worker runs as a dedicated unprivileged uid (the grader must be root)."""

    level = "user"

    def __init__(self, limits=None, python=sys.executable, scratch_parent=None):
        super().__init__(limits, python, scratch_parent)
        self._uid = None
        self._lock = None
        self.exposed = tuple(_USER_PROBE.get(python, {}).get("exposed", ()))

    @property
    def uid(self):
        if self._uid is None:
            self._uid, self._lock = allocate_uid()
        return self._uid

    def prepare(self, student_file, filename="submission.py"):
        uid = self.uid
        scratch, runtime, home = self._scratch(student_file, filename, owner=uid)
        argv = [self.python, "-I", str(runtime / "worker.py"), str(home / filename)]
        preexec = rlimit_setter(self.limits, uid=uid, seccomp=self.seccomp)
        return Box(argv, str(home), worker_env(home), scratch, preexec, {"uid": uid})

    def _owner(self):
        return self.uid

    def _warm_extra(self):
        return {"uid": self.uid}

    def after_worker(self, box):
        remove_uid_files(self.uid)

    def kill(self, process, box):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        kill_uid(box.extra["uid"])
        remove_uid_files(box.extra["uid"])
        process.wait()


# World-writable folders where a grading uid can leave files (filling the disk under the next
# submission's scratch folder, or passing notes to it): emptied of the uid's files after each
# worker, once every process of the uid is dead.
SHARED_FOLDERS = ("/tmp", "/var/tmp", "/dev/shm")


def remove_uid_files(uid):
    """Remove what ``uid`` owns at the top of the world-writable folders (and TMPDIR)."""
    for folder in {*SHARED_FOLDERS, tempfile.gettempdir()}:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.stat(follow_symlinks=False).st_uid == uid:
                    remove_entry(entry)
            except OSError:
                pass


def allocate_uid():
    """(uid, lock) for a grading uid no other grading process holds; the lock is held while
    the returned file object is open. Leftover processes of that uid are killed first."""
    LOCK_DIR.mkdir(mode=0o700, exist_ok=True)
    info = LOCK_DIR.lstat()
    if info.st_uid != os.getuid() or info.st_mode & 0o077 or not LOCK_DIR.is_dir():
        raise IsolationError(f"{LOCK_DIR} must be a folder only the grader can use")
    for slot in range(UID_SLOTS):
        handle = open(LOCK_DIR / str(slot), "a")  # noqa: SIM115  (held for the sandbox's life)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            continue
        uid = UID_BASE + slot
        kill_uid(uid)
        return uid, handle
    raise IsolationError(f"all {UID_SLOTS} grading uids are in use")


def kill_uid(uid):
    """SIGKILL every process of ``uid`` (double-forked daemons included): a child that
    becomes ``uid`` and calls kill(-1) until nothing of that uid is left."""
    pid = os.fork()
    if pid == 0:  # only async-signal-safe work here
        code = 0
        try:
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            for _ in range(1000):
                try:
                    os.kill(-1, signal.SIGKILL)
                except ProcessLookupError:
                    break
        except BaseException:
            code = 1
        os._exit(code)
    os.waitpid(pid, 0)


# --- probing ---


def protected_paths():
    """What a worker must not read: the project (reference, battery, config and secret)."""
    return [str(PROJECT_DIR), str(PROJECT_DIR / "autograder" / "config.toml")]


def user_works(python=sys.executable):
    """(True, "") when the grader is root and a grading uid can run the worker's Python."""
    if python not in _USER_PROBE:
        _USER_PROBE[python] = _probe_user(python)
    return _USER_PROBE[python]["ok"], _USER_PROBE[python]["why"]


def _probe_user(python):
    if os.geteuid() != 0:
        return {"ok": False, "why": "the grader is not running as root (needed to switch user)"}
    try:
        done = _run_as_probe_uid(python, protected_paths())
    except (OSError, subprocess.SubprocessError) as error:
        uid = UID_BASE + UID_SLOTS
        return {"ok": False, "why": f"could not start Python as uid {uid} ({error})"}
    if done.returncode != 0:
        return {"ok": False, "why": f"uid {UID_BASE + UID_SLOTS} cannot run {python} with NumPy"}
    exposed = [line for line in done.stdout.decode().splitlines() if line]
    return {"ok": True, "why": "", "exposed": exposed}


def readable_by_grading_uid(paths, python=sys.executable):
    """The ones of ``paths`` a grading uid can read (a config file holding the secret, say)."""
    try:
        done = _run_as_probe_uid(python, [str(p) for p in paths])
    except (OSError, subprocess.SubprocessError):
        return list(paths)  # unknown: assume the worst
    return [line for line in done.stdout.decode().splitlines() if line]


def _run_as_probe_uid(python, paths):
    uid = UID_BASE + UID_SLOTS  # a probe uid outside the slots
    try:
        return subprocess.run(
            [python, "-I", "-c", PROBE_CODE, *paths],
            capture_output=True,
            timeout=30,
            cwd="/",
            stdin=subprocess.DEVNULL,
            preexec_fn=rlimit_setter(Limits(), uid=uid),
        )
    finally:
        kill_uid(uid)
