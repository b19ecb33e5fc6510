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

``make`` wraps the level in ``warm.WarmSandbox``: one warm worker per grading process, started
by the level (``prepare_warm``: its folder, user, namespaces and limits), from which a worker
is forked for each submission (``place`` puts the file in its folder, ``after_worker`` removes
what a worker left where it could write).
"""

import fcntl
import os
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .seccomp import die_with_parent, install_seccomp, no_fork_program

WORKER_FILES = ("worker.py", "wire.py", "zygote.py", "seccomp.py")
ENGINE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = ENGINE_DIR.parents[1]
# Passed through to the worker: some CPUs need these for OpenBLAS to compute correctly.
KEEP_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LANG", "LC_ALL")
LEVELS = ("process", "user", "bwrap")
MINIMUM = "user"
# Dedicated grading uids: UID_BASE + slot. No passwd entry is needed.
UID_BASE = int(os.environ.get("AUTOGRADER_UID_BASE", "1990000000"))
UID_SLOTS = 64
LOCK_DIR = Path(tempfile.gettempdir()) / "autograder-uids"
INSIDE = "/sandbox"  # where the scratch folder appears inside bwrap
TMP_BYTES = 16 << 20  # size of bwrap's private /tmp


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


# --- the levels ---


class ProcessSandbox:
    """A separate process with resource limits, its own session and a scratch folder.

    The weakest isolation level: the worker runs as the grader's user and sees its files.
    """

    level = "process"
    exposed = ()  # paths of the grader the worker can read (for the level's report)
    notes = ()

    def __init__(self, limits=None, python=sys.executable, scratch_parent=None):
        self.limits = limits or Limits()
        self.python = python
        self.seccomp = no_fork_program()
        self.scratch_parent = scratch_parent  # where scratch folders go (default: TMPDIR)

    def _scratch(self, student_file, filename, owner=None):
        """scratch/grader (worker.py, wire.py...; read-only for the worker) and
        scratch/submission (the student's copy, if any; the worker's own folder)."""
        scratch = Path(tempfile.mkdtemp(prefix="bp-worker-", dir=self.scratch_parent))
        try:
            runtime = scratch / "grader"
            runtime.mkdir()
            for name in WORKER_FILES:
                shutil.copyfile(ENGINE_DIR / name, runtime / name)
                os.chmod(runtime / name, 0o644)
            home = scratch / "submission"
            home.mkdir()
            if owner is not None:
                os.chmod(scratch, 0o711)  # the worker may pass through, not list
                os.chmod(runtime, 0o755)
                os.chown(home, os.getuid(), owner)
                os.chmod(home, 0o750)
            if student_file is not None:
                self._copy_in(student_file, home / filename, owner)
        except BaseException:  # a full disk, say: leave nothing half made
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        return scratch, runtime, home

    @staticmethod
    def _copy_in(student_file, target, owner=None):
        """The student's copy at ``target``: readable by the grading uid (its group, when
        given), writable by no one but the grader (the worker gets no disk of its own)."""
        partial = target.with_name(target.name + ".part")
        shutil.copyfile(student_file, partial)
        if owner is not None:
            os.chown(partial, os.getuid(), owner)
            os.chmod(partial, 0o640)
        os.replace(partial, target)

    def prepare(self, student_file, filename="submission.py"):
        """A fresh scratch folder holding ``student_file`` as ``filename``; the Box to run."""
        scratch, runtime, home = self._scratch(student_file, filename)
        argv = [self.python, "-I", str(runtime / "worker.py"), str(home / filename)]
        preexec = rlimit_setter(self.limits, seccomp=self.seccomp)
        return Box(argv, str(home), worker_env(home), scratch, preexec)

    # --- the warm worker (warm.py): one per grading process, a worker forked per submission

    def prepare_warm(self, control_fd):
        """The Box of a warm worker (``zygote.py``): the worker's folder, user and limits,
        but a CPU limit for a whole class and no seccomp filter (it forks; each forked
        worker loads the filter itself)."""
        scratch, runtime, home = self._scratch(None, None, self._owner())
        argv = [self.python, "-I", str(runtime / "zygote.py"), str(control_fd)]
        preexec = rlimit_setter(warm_limits(self.limits), uid=self._owner())
        return Box(argv, str(home), worker_env(home), scratch, preexec, self._warm_extra())

    def _owner(self):
        return None

    def _warm_extra(self):
        return {}

    def place(self, box, student_file, filename):
        """Put ``student_file`` in the warm worker's folder as ``filename``; its path there."""
        self._copy_in(student_file, box.scratch / "submission" / filename, self._owner())
        return str(box.scratch / "submission" / filename)

    def unplace(self, box, filename):
        if box is not None:
            try:
                os.unlink(box.scratch / "submission" / filename)
            except OSError:
                pass

    def after_worker(self, box):
        """Remove what a forked worker left where it could write: here its folder (the
        grader's own user can write it), emptied for the next one."""
        for entry in os.scandir(box.scratch / "submission"):
            _remove(entry)

    def popen(self, box):
        """Start the worker of ``box``."""
        try:
            return subprocess.Popen(
                box.argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=box.cwd,
                env=box.env,
                preexec_fn=box.preexec,
                start_new_session=True,
                pass_fds=box.extra.get("pass_fds", ()),
            )
        finally:
            for fd in box.extra.pop("pass_fds", ()):  # the worker's copies are enough
                os.close(fd)

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
                    _remove(entry)
            except OSError:
                pass


def _remove(entry):
    """Remove a folder entry (a folder with what it holds)."""
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path, ignore_errors=True)
    else:
        os.unlink(entry.path)


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


class BwrapSandbox(ProcessSandbox):
    """The worker in bubblewrap namespaces, seeing only the Python runtime and its folder."""

    level = "bwrap"

    def __init__(self, limits=None, python=sys.executable, scratch_parent=None, bwrap=None):
        super().__init__(limits, python, scratch_parent)
        self.bwrap = bwrap or shutil.which("bwrap") or "/usr/bin/bwrap"
        self.runtime_args = runtime_binds(python)

    def command(self, inner, scratch=None, seccomp_fd=None):
        argv = [self.bwrap, "--unshare-all", "--die-with-parent", "--new-session"]
        argv += ["--uid", "65534", "--gid", "65534", "--cap-drop", "ALL"]
        # /tmp first: the runtime (a venv under /tmp, say) is bound on top of it, not hidden
        argv += ["--proc", "/proc", "--dev", "/dev", "--size", str(TMP_BYTES), "--tmpfs", "/tmp"]
        argv += self.runtime_args
        if scratch is not None:
            argv += ["--ro-bind", str(scratch / "grader"), f"{INSIDE}/grader"]
            argv += ["--ro-bind", str(scratch / "submission"), f"{INSIDE}/submission"]
            argv += ["--chdir", f"{INSIDE}/submission"]
        # nothing writable but the 16 MB /tmp: bwrap's own root and /dev are tmpfs, memory
        # that RLIMIT_AS does not count
        argv += ["--remount-ro", "/dev", "--remount-ro", "/"]
        if seccomp_fd is not None:
            argv += ["--seccomp", str(seccomp_fd)]
        return argv + ["--"] + inner

    def prepare(self, student_file, filename="submission.py"):
        scratch, _, _ = self._scratch(student_file, filename)
        inner = [
            self.python,
            "-I",
            f"{INSIDE}/grader/worker.py",
            f"{INSIDE}/submission/{filename}",
        ]
        extra, seccomp_fd = {}, None
        if self.seccomp:
            read_end, write_end = os.pipe()
            os.write(write_end, self.seccomp)
            os.close(write_end)
            extra["pass_fds"] = (read_end,)
            seccomp_fd = read_end
        argv = self.command(inner, scratch, seccomp_fd)
        preexec = rlimit_setter(self.limits)
        env = worker_env(f"{INSIDE}/submission", "/tmp")
        return Box(argv, str(scratch), env, scratch, preexec, extra)

    def prepare_warm(self, control_fd):
        """bubblewrap around the warm worker, as around a worker; it empties the private /tmp
        between forked workers."""
        scratch, _, _ = self._scratch(None, None)
        inner = [self.python, "-I", f"{INSIDE}/grader/zygote.py", str(control_fd)]
        argv = self.command(inner + ["--wipe", "/tmp"], scratch)
        preexec = rlimit_setter(warm_limits(self.limits))
        env = worker_env(f"{INSIDE}/submission", "/tmp")
        return Box(argv, str(scratch), env, scratch, preexec, {})

    def place(self, box, student_file, filename):
        super().place(box, student_file, filename)
        return f"{INSIDE}/submission/{filename}"

    def after_worker(self, box):
        """Nothing: the worker's folder is read-only, and the warm worker empties /tmp."""

    def cleanup(self, box):
        for fd in box.extra.pop("pass_fds", ()):
            try:
                os.close(fd)
            except OSError:
                pass
        super().cleanup(box)


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


def runtime_binds(python=sys.executable):
    """bwrap arguments that show the Python runtime (read-only) and nothing else."""
    import numpy

    wanted = {
        Path(sys.prefix),
        Path(sys.base_prefix).resolve(),
        Path(python).resolve().parent.parent,
        Path(numpy.__file__).resolve().parent.parent,
    }
    args = []
    for top in ("/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin"):
        path = Path(top)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), top]
        elif path.is_dir():
            args += ["--ro-bind", top, top]
    for name in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime"):
        if os.path.exists(f"/etc/{name}"):
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    kept = []
    for path in sorted(wanted, key=lambda p: len(p.parts)):
        covered = any(path == k or k in path.parents for k in kept)
        if not covered and not any(str(path).startswith(t) for t in ("/usr/", "/lib")):
            kept.append(path)
    for path in kept:
        args += ["--ro-bind", str(path), str(path)]
    return args


# --- probing and choosing ---

_BWRAP_PROBE = {}
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


def protected_paths():
    """What a worker must not read: the project (reference, battery, config and secret)."""
    return [str(PROJECT_DIR), str(PROJECT_DIR / "autograder" / "config.toml")]


def bwrap_works(python=sys.executable):
    """(True, "") when bubblewrap can run the worker's Python here; probed once per process."""
    if python not in _BWRAP_PROBE:
        _BWRAP_PROBE[python] = _probe_bwrap(python)
    return _BWRAP_PROBE[python]


def _probe_bwrap(python):
    if not (shutil.which("bwrap") or os.path.exists("/usr/bin/bwrap")):
        return False, "bubblewrap is not installed (apt-get install bubblewrap)"
    try:
        box = BwrapSandbox(python=python)
        argv = box.command([python, "-I", "-c", "import numpy"])
        done = subprocess.run(argv, capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError) as error:
        return False, f"bubblewrap could not start ({error})"
    if done.returncode != 0:
        why = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["?"]
        return False, f"bubblewrap does not work here: {why[0][:200]}"
    return True, ""


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
        from .warm import WarmSandbox

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
