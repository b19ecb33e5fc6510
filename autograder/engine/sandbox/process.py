"""The weakest level: a separate process of the grader's own user, with limits, a session of
its own, the seccomp filter and a scratch folder (the worker can read what the grader can).
Used only with ``--unsafe``; the other levels build on it."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from ..seccomp import no_fork_program
from .base import (
    ENGINE_DIR,
    WORKER_FILES,
    Box,
    Limits,
    describe_exit,
    remove_entry,
    rlimit_setter,
    warm_limits,
    worker_env,
)


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
            remove_entry(entry)

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
