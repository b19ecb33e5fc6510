"""A seccomp filter for workers: no new processes, no network, no peeking at others.

Loaded in the worker's ``preexec_fn`` (or handed to bubblewrap with ``--seccomp``) before any
student code runs. Written for x86-64; elsewhere ``no_fork_program`` returns None and the
process-count limit and the PID namespace are what stop fork bombs.
"""

import ctypes
import errno
import functools
import platform
import signal
import struct
import sys

_AUDIT_ARCH_X86_64 = 0xC000003E
_CLONE_THREAD = 0x10000
_ALLOW, _ERRNO = 0x7FFF0000, 0x00050000


def _bpf(code, k, jt=0, jf=0):
    return struct.pack("=HBBI", code, jt, jf, k)


@functools.cache
def no_fork_program():
    """``build_program()`` (no pid: a worker started cold), built once per process."""
    return build_program()


@functools.cache
def _pid_offset():
    """Where the pid is in a program built with ``own_pid``: the one word that differs."""
    a, b = build_program(1), build_program(2)
    (offset,) = [i for i in range(0, len(a), 4) if a[i : i + 4] != b[i : i + 4]]
    return offset


def build_program(own_pid=None):
    """A classic-BPF seccomp program for the worker, or None where it is not written for the
    CPU. Refused: creating processes (fork, vfork, clone3, clone without CLONE_THREAD;
    threads stay allowed), sockets other than AF_UNIX, io_uring, ptrace and reading or
    writing other processes' memory; memory that no rlimit counts (SysV shared memory,
    message queues and semaphores, POSIX message queues, memfd files); kernel keyrings; new
    namespaces and mounts (unshare, setns, mount, umount2, pivot_root), where a tmpfs would
    be memory outside RLIMIT_AS too; other ABIs (x32, int 0x80).

    With ``own_pid`` (a worker forked by the warm worker, ``zygote.py``): signals only to
    itself (kill to ``own_pid`` or to its own process group 0, tgkill and rt_(tg)sigqueueinfo
    to ``own_pid``; tkill and pidfd_send_signal refused), so it cannot stop or kill the warm
    worker that outlives it, or anything else."""
    if platform.machine() != "x86_64":
        return None
    fork, vfork, clone, clone3, socket = 57, 58, 56, 435, 41
    ptrace, vm_readv, vm_writev, io_uring_setup = 101, 310, 311, 425
    refused = {
        "shmget": 29,
        "semget": 64,
        "msgget": 68,
        "pivot_root": 155,
        "mount": 165,
        "umount2": 166,
        "unshare": 272,
        "setns": 308,
        "memfd_create": 319,
        "mq_open": 240,
        "add_key": 248,
        "request_key": 249,
        "keyctl": 250,
    }
    ld, jeq, jge, jset, ret = 0x20, 0x15, 0x35, 0x45, 0x06
    signals = []
    if own_pid is not None:
        pid = int(own_pid) & 0xFFFFFFFF
        kill, tkill, tgkill, sigqueue, tgsigqueue, pidfd_signal = 62, 200, 234, 129, 297, 424
        signals = [
            (jeq, kill, "kill", None),
            *[(jeq, number, "own", None) for number in (tgkill, sigqueue, tgsigqueue)],
            (jeq, tkill, "eperm", None),
            (jeq, pidfd_signal, "eperm", None),
        ]
        targets = [
            ("kill", ld, 16, None, None),  # the pid (low 32 bits of args[0])
            (jeq, 0, "allow", None),  # its own process group (a session of its own)
            ("own", ld, 16, None, None),
            (jeq, pid, "allow", "eperm"),
        ]
    code = [
        (ld, 4, None, None),  # architecture
        (jeq, _AUDIT_ARCH_X86_64, "nr", "enosys"),
        ("nr", ld, 0, None, None),  # syscall number
        (jge, 0x40000000, "eagain", None),  # x32 ABI
        (jeq, fork, "eagain", None),
        (jeq, vfork, "eagain", None),
        (jeq, clone3, "enosys", None),  # libc then falls back to clone
        (jeq, io_uring_setup, "enosys", None),
        (jeq, ptrace, "eperm", None),
        (jeq, vm_readv, "eperm", None),
        (jeq, vm_writev, "eperm", None),
        *[(jeq, number, "eperm", None) for number in refused.values()],
        *signals,
        (jeq, socket, "socket", None),
        (jeq, clone, None, "allow"),
        (ld, 16, None, None),  # clone flags (low 32 bits of args[0])
        (jset, _CLONE_THREAD, "allow", "eagain"),
        ("socket", ld, 16, None, None),  # socket family
        (jeq, 1, "allow", "eacces"),  # AF_UNIX only
        *(targets if own_pid is not None else []),
        ("allow", ret, _ALLOW, None, None),
        ("eagain", ret, _ERRNO | errno.EAGAIN, None, None),
        ("enosys", ret, _ERRNO | errno.ENOSYS, None, None),
        ("eperm", ret, _ERRNO | errno.EPERM, None, None),
        ("eacces", ret, _ERRNO | errno.EACCES, None, None),
    ]
    rows = [row if isinstance(row[0], str) else (None, *row) for row in code]
    where = {label: i for i, (label, *_) in enumerate(rows) if label}
    out = []
    for i, (_, op, k, jt, jf) in enumerate(rows):
        jump = [0 if t is None else where[t] - i - 1 for t in (jt, jf)]
        out.append(_bpf(op, k, *jump))
    return b"".join(out)


@functools.cache
def _libc():
    return ctypes.CDLL(None, use_errno=True)


class _Prog(ctypes.Structure):  # struct sock_fprog
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def set_dumpable(flag):
    """prctl(PR_SET_DUMPABLE): a process that is not dumpable cannot be ptraced, nor its
    memory read or written through /proc, by processes of its own uid (Linux only)."""
    if sys.platform.startswith("linux"):
        _libc().prctl(4, int(flag), 0, 0, 0)


def die_with_parent():
    """prctl(PR_SET_PDEATHSIG, SIGKILL): the calling process is killed when the thread that
    started it ends, so a grading process that dies takes its worker along (Linux only)."""
    if sys.platform.startswith("linux"):
        _libc().prctl(1, signal.SIGKILL, 0, 0, 0)


def install_seccomp(program):
    """Load ``program`` into the calling process (no_new_privs first); for ``preexec_fn``."""
    buffer = ctypes.create_string_buffer(program, len(program))
    _load(_Prog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p)))


def install_forked(own_pid):
    """In a worker forked by the warm worker: load ``build_program(own_pid)`` from the
    ctypes program the warm worker made before forking (``forked_program``), so that the
    child makes no ctypes object of its own (about 50 page faults and 0.1 ms less per fork).
    False where there is no filter for this CPU."""
    prepared = forked_program(own_pid)
    if prepared is None:
        return False
    _load(prepared[1])
    return True


def forked_program(own_pid):
    """``(buffer, sock_fprog)`` of ``build_program(own_pid)``, or None: one ctypes buffer
    per process, made at the first call from a program built for pid 0, ``own_pid`` written
    into it at each (where ``_pid_offset`` finds it)."""
    prepared = _prepared()
    if prepared is not None:
        struct.pack_into("=I", prepared[0], _pid_offset(), int(own_pid) & 0xFFFFFFFF)
    return prepared


@functools.cache
def _prepared():
    template = build_program(0)
    if template is None:
        return None
    buffer = ctypes.create_string_buffer(template, len(template))
    return buffer, _Prog(len(template) // 8, ctypes.cast(buffer, ctypes.c_void_p))


def _load(prog):
    libc = _libc()
    pr_set_no_new_privs, pr_set_seccomp, mode_filter = 38, 22, 2
    if libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    if libc.prctl(pr_set_seccomp, mode_filter, ctypes.byref(prog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP)")
