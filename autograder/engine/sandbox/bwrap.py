"""The ``bwrap`` level: bubblewrap's user, PID, network, IPC and mount namespaces; the worker
sees a read-only view of the Python runtime and its own folder, nothing of the grader."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .base import Box, rlimit_setter, warm_limits, worker_env
from .process import ProcessSandbox

INSIDE = "/sandbox"  # where the scratch folder appears inside bwrap
TMP_BYTES = 16 << 20  # size of bwrap's private /tmp
_BWRAP_PROBE = {}


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
