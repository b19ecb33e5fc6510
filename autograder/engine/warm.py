"""Warm workers: each grading process keeps one sandboxed Python with NumPy imported (the
warm worker, ``zygote.py``) and forks a fresh worker from it for each submission.

A worker started cold pays for a sandbox, a Python and NumPy's import (about 0.05 s of CPU)
before it runs a line of the student's code; a forked one costs about 0.005 s. The isolation
is the level's own, the same as a cold worker's: the warm worker is started by the level
(``prepare_warm``: the same namespaces, uid, folder view and limits); it runs no student code;
each forked worker gets its own session, its CPU limit, its seccomp filter (which also lets it
signal only itself) and its own pipes, sees only the submission being graded (the file is put
in the warm worker's submission folder before the fork and removed after the worker is reaped)
and is killed and reaped, with what it left in the writable folders removed, before the next
one starts. Whenever the warm worker does not answer as expected (dead, stopped, a folder it
could not empty) it is killed with everything it started, and a new one serves the next
submission; when none can be started, workers are started cold.

``WarmSandbox`` wraps a level's sandbox (``sandbox.make`` does it) and has its interface:
``prepare``, ``popen``, ``kill``, ``cleanup``, ``describe_exit``, ``level``, ``exposed``.
"""

import json
import multiprocessing.util
import os
import resource
import socket
import subprocess
import time

from . import runner
from .sandbox import Box

START_TIMEOUT = 20.0  # a warm worker's start-up (a loaded machine included)
ANSWER_TIMEOUT = 5.0  # its answer to a request, on top of the request's own grace
MAX_ANSWER = 4096


class WarmError(RuntimeError):
    """The warm worker did not start or did not answer as it must."""


class Child:
    """A worker forked by the warm worker, with the parts of ``subprocess.Popen`` that
    ``WorkerSession`` uses: the three pipes, ``poll``, ``wait``."""

    def __init__(self, warm, pid, stdin, stdout, stderr):
        self.warm, self.pid = warm, pid
        self.generation = warm.starts  # which warm worker forked it
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self.returncode = None
        self.cpu = 0.0  # CPU seconds, known once reaped
        self.collateral = False  # it ended with its warm worker, not by itself

    def poll(self):
        return self.returncode

    def wait(self, timeout=None):
        """The exit status once it has ended; ``TimeoutExpired`` when it is still running
        after ``timeout`` seconds (it is left running)."""
        if self.returncode is None:
            self.warm.reap(self, grace=timeout or 0.0, kill=False)
        if self.returncode is None:
            raise subprocess.TimeoutExpired("worker", timeout)
        return self.returncode

    def kill(self):
        if self.returncode is None:
            self.warm.reap(self, grace=0.0, kill=True)


class WarmWorker:
    """One warm worker of a level's sandbox (``inner``), started on first need."""

    closes_first = True  # see runner.stop_on_signal

    def __init__(self, inner):
        self.inner = inner
        self.process = self.control = self.box = None
        self.ready = False
        self.broken = False  # one did not start: workers are started cold from then on
        self.starts = 0
        self.cpu = 0.0  # CPU seconds of the forked workers reaped so far (for benchmarks)

    def start(self):
        """Start the warm worker without waiting for it (its import overlaps our work)."""
        if self.process is not None:
            return
        with runner._signals_held():  # its process and folder recorded before any signal
            self._start()

    def warm_up(self):
        """Start it and wait until it is ready, outside any block that holds signals (a
        grader told to stop does not wait for it). A warm worker that does not come up is
        closed, and workers are started cold from then on."""
        if self.broken:
            return
        try:
            self.start()
            self._ready()
        except (WarmError, OSError):
            self.broken = True
            self.close()

    def _start(self):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.box = self.inner.prepare_warm(theirs.fileno())
            self.process = subprocess.Popen(
                self.box.argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=self.box.cwd,
                env=self.box.env,
                preexec_fn=self.box.preexec,
                start_new_session=True,
                pass_fds=(theirs.fileno(), *self.box.extra.get("pass_fds", ())),
            )
        except BaseException:
            ours.close()
            self.close()
            raise
        finally:
            theirs.close()
            for fd in self.box.extra.pop("pass_fds", ()) if self.box else ():
                os.close(fd)
        self.control, self.ready = ours, False
        if not self.starts:  # closed at the latest when this process exits
            multiprocessing.util.Finalize(self, self.close, exitpriority=10)
        self.starts += 1
        self.started_at = time.monotonic()
        runner.LIVE.add(self)

    def _answer(self, timeout):
        """The next answer of the warm worker, a dict; WarmError when there is none."""
        self.control.settimeout(max(timeout, 0.001))
        try:
            data = self.control.recv(MAX_ANSWER)
        except OSError as error:  # a timeout included
            raise WarmError(f"no answer ({type(error).__name__})") from error
        if not data:
            raise WarmError("it ended")
        try:
            answer = json.loads(data)
        except ValueError as error:
            raise WarmError("not JSON") from error
        if type(answer) is not dict:
            raise WarmError("not an object")
        return answer

    def _ready(self):
        if not self.ready:
            left = self.started_at + START_TIMEOUT - time.monotonic()
            if self._answer(left).get("op") != "ready":
                raise WarmError("it did not start")
            self.ready = True

    def spawn(self, student_file, filename):
        """A ``Child`` worker importing ``student_file`` (as ``filename``)."""
        self.start()
        try:
            self._ready()
            path = self.inner.place(self.box, student_file, filename)
            ends = [os.pipe() for _ in range(3)]  # request, reply, log
            theirs = [ends[0][0], ends[1][1], ends[2][1]]
            try:
                request = {
                    "op": "spawn",
                    "path": path,
                    "limits": child_limits(self.inner.limits),
                    "seccomp": bool(self.inner.seccomp),
                }
                socket.send_fds(self.control, [json.dumps(request).encode()], theirs)
            finally:
                for fd in theirs:
                    os.close(fd)
            answer = self._answer(ANSWER_TIMEOUT)
            pid = answer.get("pid")
            if answer.get("op") != "spawned" or type(pid) is not int or pid < 2:
                raise WarmError("a malformed answer to spawn")
        except BaseException:
            for fd in [ends[0][1], ends[1][0], ends[2][0]] if "ends" in locals() else ():
                os.close(fd)
            self.broken = self.broken or not self.ready  # it never came up
            self.close()
            raise
        stdin = os.fdopen(ends[0][1], "wb", buffering=0)
        stdout = os.fdopen(ends[1][0], "rb", buffering=0)
        stderr = os.fdopen(ends[2][0], "rb", buffering=0)
        return Child(self, pid, stdin, stdout, stderr)

    def reap(self, child, grace, kill):
        """Wait up to ``grace`` for ``child`` to end (then kill it when ``kill``); its status
        goes to ``child.returncode``. A warm worker that fails at this is closed, and with it
        every worker it started."""
        if self.process is None or child.generation != self.starts:  # it went with its own
            child.collateral = child.returncode is None
            child.returncode = child.returncode if child.returncode is not None else -9
            return
        request = {"op": "reap", "pid": child.pid, "grace": float(grace), "kill": bool(kill)}
        try:
            self.control.send(json.dumps(request).encode())
            answer = self._answer(grace + ANSWER_TIMEOUT)
            status, cpu = answer.get("status"), answer.get("cpu")
            if answer.get("op") != "reaped" or not (status is None or type(status) is int):
                raise WarmError("a malformed answer to reap")
            if type(cpu) not in (int, float) or not 0 <= cpu < 1e6:
                raise WarmError("a malformed CPU time")
        except (WarmError, OSError):
            self.close()
            child.collateral, child.returncode = True, -9
            return
        if status is None and not kill:
            return
        child.returncode = status if status is not None else -9
        child.cpu = float(cpu)
        self.cpu += child.cpu
        self.inner.after_worker(self.box)
        if answer.get("clean") is not True:
            self.close()

    def close(self):
        """Kill the warm worker and every worker it started; remove its folder."""
        with runner._signals_held():
            self._close()

    def _close(self):
        if self.process is not None:
            self.inner.kill(self.process, self.box)
        if self.control is not None:
            self.control.close()
        if self.box is not None:
            self.inner.cleanup(self.box)
        self.process = self.control = self.box = None
        self.ready = False
        runner.LIVE.discard(self)


def child_limits(limits):
    """The limits a forked worker takes for itself (the warm worker's CPU limit is larger:
    it lives for a whole class)."""
    return [
        [resource.RLIMIT_CPU, limits.cpu_seconds],
        [resource.RLIMIT_CORE, 0],
    ]


class WarmSandbox:
    """A level's sandbox whose workers are forked from a warm worker."""

    def __init__(self, inner):
        self.inner = inner
        self.warm = WarmWorker(inner)

    def __getattr__(self, name):  # level, exposed, notes, limits, python, describe_exit...
        return getattr(self.inner, name)

    def prepare(self, student_file, filename="submission.py"):
        """A Box naming the file; the worker itself is made by ``popen``."""
        extra = {"student_file": student_file, "filename": filename}
        return Box(argv=[], cwd="", env={}, scratch=None, extra=extra)

    def popen(self, box):
        """A worker forked from the warm worker (a new one when it has died); a cold one
        when a warm worker cannot start."""
        for _ in range(2):
            if self.warm.broken:
                break
            try:
                child = self.warm.spawn(box.extra["student_file"], box.extra["filename"])
            except (WarmError, OSError):
                continue
            box.extra["child"] = child
            return child
        cold = self.inner.prepare(box.extra["student_file"], box.extra["filename"])
        box.extra["cold"] = cold
        return self.inner.popen(cold)

    def kill(self, process, box):
        if "cold" in box.extra:
            self.inner.kill(process, box.extra["cold"])
        else:
            process.kill()

    def cleanup(self, box):
        if "cold" in box.extra:
            self.inner.cleanup(box.extra.pop("cold"))
        elif "child" in box.extra:
            self.inner.unplace(self.warm.box, box.extra["filename"])

    def warm_up(self):
        self.warm.warm_up()

    def close(self):
        self.warm.close()
