"""The warm worker: Python and NumPy imported once per grading process, a fresh worker forked
from it for each submission.

Run as ``python -I zygote.py CONTROL_FD [--wipe FOLDER]`` inside the sandbox (same folder,
user, limits and namespaces as a worker), with a SOCK_SEQPACKET socket to the grader on
``CONTROL_FD``. It runs no student code itself. Requests (JSON, one per packet):

``{"op": "spawn", "path": ..., "limits": [[resource, value], ...], "seccomp": bool}``
    with three file descriptors (the worker's request pipe, reply pipe and log pipe): fork a
    worker that imports ``path`` (worker.py's ``main``). Answer ``{"op": "spawned", "pid": n}``.
``{"op": "reap", "pid": n, "grace": seconds, "kill": bool}``
    wait up to ``grace`` for the worker to end, then SIGKILL it (when ``kill``) and reap it;
    empty the ``--wipe`` folders (but for the folders they held at the start). Answer
    ``{"op": "reaped", "status": code or null, "cpu": seconds, "clean": bool}`` (``status``
    as ``Popen.returncode``; ``clean`` false when a wiped folder could not be emptied: the
    grader then starts a new warm worker).

What keeps one submission's worker from touching the next one's: before the student's file is
imported the forked worker starts a session of its own, takes its limits, closes the control
socket, and loads the seccomp filter that, besides refusing new processes, IPC objects, keyrings
and mounts, lets it signal only itself; this process is not dumpable (no ptrace, no /proc/PID/mem
of it for the same uid) and kills and reaps each worker before the next one is forked; the
only folder a worker can write (bubblewrap's private /tmp) is emptied between workers.
"""

import gc
import json
import os
import resource
import shutil
import signal
import socket
import stat
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy  # noqa: E402, F401  (imported once here, inherited by every forked worker)
import seccomp  # noqa: E402
import wire  # noqa: E402, F401
import worker  # noqa: E402

MAX_REQUEST = 1 << 16


def spawn(request, fds, control):
    """Fork a worker for ``request["path"]`` on the pipes ``fds``; its pid."""
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:  # the child: nothing of the grader's or of this process reaches the student's code
        control.close()
        os.setsid()  # a session of its own: it cannot join this process's group
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        for which, value in request["limits"]:
            resource.setrlimit(which, (value, value))
        seccomp.die_with_parent()
        seccomp.set_dumpable(True)  # as a freshly started worker is
        if request["seccomp"]:
            seccomp.install_forked(os.getpid())
        code = 0
        worker.main(request["path"])
    except BaseException:  # noqa: BLE001  (nothing to report to: the grader sees the exit)
        pass
    os._exit(code)


def reap(pid, grace, kill):
    """``(status, cpu seconds)`` of worker ``pid`` once it has ended; status None when it is
    still running after ``grace`` seconds and ``kill`` is false."""
    deadline = time.monotonic() + max(0.0, float(grace))
    while True:
        try:
            done, status, usage = os.wait4(pid, os.WNOHANG)
        except ChildProcessError:  # not one of ours (any more)
            return -9, 0.0
        if done:
            break
        if time.monotonic() >= deadline:
            if not kill:
                return None, 0.0
            os.kill(pid, signal.SIGKILL)
            done, status, usage = os.wait4(pid, 0)
            break
        time.sleep(0.002)
    return os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime


def skeleton(folders):
    """The folders present in ``folders`` before any worker ran: bubblewrap's mount points
    (a runtime that lives under /tmp is bound on top of the private /tmp) and the folders
    leading to them. ``wipe`` keeps them, and empties them of anything else."""
    kept = set()
    for folder in folders:
        for root, dirs, _ in os.walk(folder):
            kept.add(root)
            for name in list(dirs):
                path = os.path.join(root, name)
                kept.add(path)
                if os.path.ismount(path):
                    dirs.remove(name)  # the runtime itself: read-only, never entered
    return kept


def wipe(folder, kept):
    """Remove from ``folder`` what a worker left there (all but the ``kept`` folders and the
    mount points); whether nothing else is left."""
    try:
        entries = list(os.scandir(folder))
    except PermissionError:  # a worker made it unreadable
        try:
            os.chmod(folder, stat.S_IRWXU)
            entries = list(os.scandir(folder))
        except OSError:
            return False
    except OSError:
        return False
    clean = True
    for entry in entries:
        try:
            if entry.path in kept:
                if not os.path.ismount(entry.path):
                    clean = wipe(entry.path, kept) and clean
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, onerror=_writable_then_retry)
            else:
                os.unlink(entry.path)
        except OSError:
            pass
        if entry.path not in kept and os.path.lexists(entry.path):
            clean = False
    return clean


def _writable_then_retry(function, path, _):
    """rmtree's error handler: a folder the worker made unwritable is made writable again."""
    try:
        os.chmod(os.path.dirname(path), stat.S_IRWXU)
        if os.path.isdir(path) and function is not os.unlink:
            os.chmod(path, stat.S_IRWXU)
            shutil.rmtree(path, ignore_errors=True)
        else:
            function(path)
    except OSError:
        pass


def main():
    control = socket.socket(fileno=int(sys.argv[1]))
    folders = sys.argv[sys.argv.index("--wipe") + 1 :: 2] if "--wipe" in sys.argv else []
    kept = skeleton(folders)
    seccomp.forked_program(own_pid=1)  # its ctypes program, made once here for every fork
    gc.collect()
    gc.freeze()  # forked workers do not copy the heap when their collector walks it
    seccomp.set_dumpable(False)  # (libc's handle, looked up here, serves every fork)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    control.send(json.dumps({"op": "ready"}).encode())
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(control, MAX_REQUEST, 3)
        except OSError:
            return
        if not data:
            return
        request = json.loads(data)
        if request.get("op") == "spawn" and len(fds) == 3:
            reply = {"op": "spawned", "pid": spawn(request, fds, control)}
        elif request.get("op") == "reap":
            status, cpu = reap(int(request["pid"]), request["grace"], request["kill"])
            clean = all([wipe(f, kept) for f in folders]) if status is not None else True
            reply = {"op": "reaped", "status": status, "cpu": cpu, "clean": clean}
        else:
            return
        for fd in fds:
            os.close(fd)
        control.send(json.dumps(reply).encode())


if __name__ == "__main__":
    main()
