"""The trusted side of a worker: start it, ask for calls, answer its helper requests.

Whatever the worker sends is treated as data from an adversary (wire.py's threat model):
messages are size-capped and decoded within bounds without pickle (wire.py), each header is
checked field by field and must name the call in progress (replies.py), helper requests are
served only for the call's own helpers and only on arguments no larger than a small multiple
of the call's own inputs (``HelperBounds``), and every read and write has a deadline. Any
failure while reading, decoding or handling a message, MemoryError included, is an
``invalid`` outcome for that call alone. A worker that hangs, crashes, floods or lies costs
the call it was in, nothing more; ``WorkerSession`` then starts a fresh one for the next call.
"""

import functools
import math
import os
import select
import subprocess
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import replies, wire

MAX_MESSAGE = 64 << 20
LOG_CAP = 16 << 10
MAX_HELPER_CALLS = 20_000  # helper requests within one call
# After this many invalid answers the submission's remaining calls are not run: only code that
# writes to the channel itself sends one, and each costs a new worker.
MAX_INVALID = 5


@dataclass
class Call:
    """One call of a student function. ``proxies`` are answered by the grader; functions
    passed by name (``FnRef``) are the grader's too, except those named in ``own``, which
    are the student's functions of that name. ``answers``: helper requests the grader can
    answer in advance, ``(name, args, value)`` with ``value`` what the grader's ``name``
    returns for ``args``; they travel with the call and the worker answers a request for
    exactly those arguments itself (the same value, no round trip)."""

    fn: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    proxies: tuple = ()
    own: tuple = ()
    answers: tuple = ()

    @functools.cached_property
    def helpers(self):
        """The grader's functions this call may ask for: its proxies and the functions it
        passes by name (found once per call, not at every use)."""
        return frozenset(self.proxies) | frozenset(fn_names((self.args, self.kwargs)))


@dataclass
class Outcome:
    """What came back from one call, as the grader saw it.

    ``kind`` is one of: ok, error (the function raised), missing (no such function),
    timeout, crashed (the worker died), invalid (it sent something that is not a valid
    message for this call, or handling it failed), not_run (the submission's time budget ran
    out before the call).
    """

    kind: str
    value: Any = None
    args_after: Any = None
    kwargs_after: Any = None
    error: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    aliases: list = field(default_factory=list)  # e.g. "result[0] is argument 1"
    seconds: float = 0.0
    detail: str = ""
    disturbed: bool = False  # lost to something outside the submission (see warm.py)

    def copy(self):
        """A shallow copy (what copy.copy gives, without its generic protocol: each check of
        a shared call gets one)."""
        twin = object.__new__(type(self))
        twin.__dict__.update(self.__dict__)
        return twin


class _Log:
    """Drains a pipe in a thread, keeping the first ``cap`` bytes and counting the rest."""

    def __init__(self, stream, cap=LOG_CAP):
        self.cap, self.kept, self.total = cap, bytearray(), 0
        self.thread = threading.Thread(target=self._drain, args=(stream,), daemon=True)
        self.thread.start()

    def _drain(self, stream):
        fd = stream.fileno()
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.total += len(chunk)
            room = self.cap - len(self.kept)
            if room > 0:
                self.kept += chunk[:room]

    def text(self):
        text = self.kept.decode("utf-8", "replace")
        if self.total > self.cap:
            text += f"\n[... {self.total - self.cap} more bytes of output not kept]"
        return text


class _Pipe:
    """The worker's two pipes (non-blocking). Replies are read with a deadline and in chunks:
    whatever has arrived, up to 64 KB more than asked for, per system call, so that a message
    of a few hundred bytes costs one read, not one per part; the buffer grows only as bytes
    arrive: at most the size asked for (which wire.Reader checks first) plus 64 KB. What we
    send is queued (``outgoing``, in order) and written as the request pipe takes it, also
    while waiting for a reply: calls sent together never wait on a worker that waits on us."""

    CHUNK = 1 << 16

    def __init__(self, fd, out_fd):
        self.fd, self.buffer, self.deadline = fd, bytearray(), 0.0
        self.out_fd, self.outgoing = out_fd, bytearray()
        self.poller = select.poll()  # registered once: no fd lists built at every wait
        self.poller.register(fd, select.POLLIN)
        self.sending = False  # whether out_fd is registered too (something is queued)

    def write(self, data):
        """Queue ``data`` after what is queued, and write what the pipe takes now."""
        self.outgoing += data
        self.flush()

    def flush(self):
        while self.outgoing:
            try:
                written = os.write(self.out_fd, self.outgoing[: self.CHUNK])
            except BlockingIOError:
                break
            del self.outgoing[:written]
        if bool(self.outgoing) != self.sending:
            self.sending = not self.sending
            if self.sending:
                self.poller.register(self.out_fd, select.POLLOUT)
            else:
                self.poller.unregister(self.out_fd)

    def read_exact(self, n):
        while len(self.buffer) < n:
            try:
                chunk = os.read(self.fd, min(max(n - len(self.buffer), self.CHUNK), 1 << 20))
            except BlockingIOError:
                self._wait()
                continue
            if not chunk:
                raise EOFError
            self.buffer += chunk
        if time.monotonic() > self.deadline:
            raise TimeoutError
        data = self.buffer[:n]
        del self.buffer[:n]
        return data

    def _wait(self):
        """Until the reply pipe has something (or is closed), writing what is queued as the
        request pipe takes it; TimeoutError at the deadline."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        events = self.poller.poll(math.ceil(remaining * 1000))
        if not events:
            raise TimeoutError
        if any(fd == self.out_fd for fd, _ in events):
            self.flush()


class WorkerSession:
    """A sequence of calls into one student's module, restarting the worker after a failure.

    Parameters
    ----------
    sandbox : autograder.engine.sandbox.Sandbox
        Makes the worker's command, environment and limits.
    student_file : pathlib.Path
        The student's file (any name); it is copied, never run in place.
    functions : dict of str -> callable
        What the grader may compute for the worker: proxied helpers and functions passed by
        name (activations). These are trusted implementations and run in this process.
    filename : str
        The name the worker imports it under (the assignment's file name, e.g. ``hw.py``).
    library : str
        Source of public functions (``Assignment.worker_source()``), sent to each worker once
        it is ready: functions passed by those names run in the worker.
    """

    def __init__(
        self, sandbox, student_file, functions, import_timeout=10.0, filename=None, library=""
    ):
        self.sandbox, self.student_file, self.functions = sandbox, student_file, functions
        self.names, self.name_of = set(functions), _name_of(functions)  # once, not per call
        self.library = library
        self.filename = filename or "submission.py"
        self.import_timeout = import_timeout
        self.process = self.log = self.box = self.pipe = self.reader = None
        self.launched_at = 0.0
        self.ready = None  # the worker's "ready" header, or None
        self.import_failure = None  # Outcome when the module could not be imported
        self.logs = []
        self.starts = 0
        self.call_id = 0  # every reply must carry the id of the call it answers
        self.invalid = 0  # calls answered with something invalid (only code that forges does)
        self.peak_kb = 0  # the workers' own report of their peak memory (for benchmarks)

    # --- life cycle ---

    def launch(self):
        """Start a worker process without waiting for it (its import overlaps our work)."""
        self.close()
        getattr(self.sandbox, "warm_up", lambda: None)()  # its waits: signals not held
        with _signals_held():  # the worker and its folder are recorded before any signal
            LIVE.add(self)
            self.starts += 1
            self.box = self.sandbox.prepare(self.student_file, self.filename)
            self._popen()
        os.set_blocking(self.process.stdin.fileno(), False)
        os.set_blocking(self.process.stdout.fileno(), False)
        self.pipe = _Pipe(self.process.stdout.fileno(), self.process.stdin.fileno())
        self.reader = wire.Reader(self.pipe.read_exact, MAX_MESSAGE)
        self.log = _Log(self.process.stderr)
        self.launched_at = time.monotonic()

    def _popen(self):
        self.process = self.sandbox.popen(self.box)

    def start(self):
        """Start a worker (unless launched) and wait until the module is imported.

        Returns True when it is ready for calls.
        """
        if self.process is None:
            self.launch()
        deadline = self.launched_at + self.import_timeout
        try:
            header, _ = self._reader(deadline).read()
            reply = replies.parse(header)
        except TimeoutError:
            self.import_failure = Outcome("timeout", detail="importing the module took too long")
        except EOFError as error:
            self.import_failure = Outcome("crashed", detail=self._death(error))
        except Exception as error:  # anything malformed, MemoryError included
            self.import_failure = Outcome("invalid", detail=_invalid(error))
        else:
            if reply.op == "ready":
                self.ready = reply.fields
                self.import_failure = None
                if self.library:  # no answer: a worker that fails to load it asks instead
                    try:
                        self._send({"op": "library", "source": self.library}, [])
                    except (TimeoutError, OSError):
                        pass  # a worker that died: the first call finds out
                return True
            self.import_failure = Outcome("error", error=reply.fields["error"], detail="import")
        self.close()
        return False

    def close(self):
        """Kill the worker and remove its folder; safe to call at any time, twice included."""
        with _signals_held():
            if self.process is not None:
                self.sandbox.kill(self.process, self.box)
                for stream in (self.process.stdin, self.process.stdout):
                    try:
                        stream.close()
                    except OSError:
                        pass
                if self.log is not None:
                    self.log.thread.join(timeout=1.0)
                    self.logs.append(self.log.text())
                self.process.stderr.close()
            if self.box is not None:
                self.sandbox.cleanup(self.box)
            self.process = self.ready = self.box = self.log = None
            LIVE.discard(self)

    def output(self):
        """Everything the student's code printed, capped for the whole session."""
        current = [self.log.text()] if self.process is not None else []
        text = "".join(self.logs + current)
        if len(text) > LOG_CAP:
            text = text[:LOG_CAP] + f"\n[... {len(text) - LOG_CAP} more characters not kept]"
        return text

    # --- calls ---

    def call(self, call, timeout):
        """Run ``call`` in the worker; a worker that times out, dies or sends anything invalid
        is replaced, and only this call's outcome says so.

        A module that failed to import is not tried again: every call gets that failure.
        """
        refused = self._refused()
        return refused if refused is not None else self._run([call], [timeout])[0]

    def call_many(self, calls, timeouts, until=None):
        """The outcomes of ``calls`` sent together: all of them in one message, then each
        result read in turn, each with its own deadline (``timeouts``) from the moment the one
        before it came back, never after ``until`` (a ``time.monotonic()`` instant, the
        submission's budget), so each outcome is what ``call`` would have given; a call's
        helper requests are answered as it runs. The list stops after an outcome that
        replaced the worker (a timeout, a crash, an invalid answer), and before a call left no
        time by ``until`` (the worker is replaced then too), and is empty when the worker
        cannot take calls: run the rest with ``call``."""
        if self._refused() is not None:
            return []
        return self._run(calls, timeouts, until)

    def _refused(self):
        """The outcome of any call now, when the worker cannot take one; else None."""
        if self.import_failure is not None:
            return self.import_failure
        if self.invalid >= MAX_INVALID:
            return Outcome("not_run", detail=f"not run: {MAX_INVALID} answers were not valid")
        if self.ready is None and not self.start():
            return self.import_failure
        return None

    def _request(self, call, buffers):
        """(id, helpers allowed, header) of ``call``, its arrays appended to ``buffers``."""
        self.call_id += 1
        # Only the helpers of this call, and the functions it passes by name, are served:
        # a worker asking for anything else (say, the function under test) is refused.
        allowed = call.helpers & self.names
        header = {
            "id": self.call_id,
            "fn": call.fn,
            "args": wire.encode(list(call.args), buffers),
            "kwargs": wire.encode(dict(call.kwargs), buffers),
            "proxies": list(call.proxies),
            "names": sorted(allowed - set(call.proxies)),
            "own": list(call.own),
        }
        if call.answers:  # only for helpers this call may ask for
            header["answers"] = [
                [name, wire.encode(list(args), buffers), wire.encode(value, buffers)]
                for name, args, value in call.answers
                if name in allowed
            ]
        return self.call_id, allowed, header

    def _run(self, calls, timeouts, until=None):
        buffers = []  # the calls travel in one message: one header, their arrays after it
        requests = [self._request(call, buffers) for call in calls]
        message = wire.frame({"op": "calls", "calls": [r[2] for r in requests]}, buffers)
        outcomes = []
        for index, (call, timeout, (call_id, allowed, _)) in enumerate(
            zip(calls, timeouts, requests)
        ):
            now = time.monotonic()
            if until is not None:
                if now >= until:
                    if index:  # its request is sent: this worker would run it, so it goes
                        self.close()
                    break
                timeout = min(timeout, until - now)
            deadline = now + timeout
            try:
                if index == 0:  # every call now: the pipe takes what it can, the rest waits
                    self.pipe.write(message)
                bounds = HelperBounds((call.args, call.kwargs))
                outcomes.append(self._await_result(call_id, allowed, bounds, deadline))
                continue
            except TimeoutError:
                outcome = Outcome("timeout", detail=f"no answer within {timeout:g} s")
            except (EOFError, BrokenPipeError) as error:
                outcome = Outcome("crashed", detail=self._death(error))
                # a forked worker that died with its warm worker (killed from outside): not the
                # student's doing, so the submission is graded again
                outcome.disturbed = bool(getattr(self.process, "collateral", False))
            except Exception as error:  # malformed, out of bounds, MemoryError: this call only
                outcome = Outcome("invalid", detail=_invalid(error))
                self.invalid += 1
            self.close()
            outcomes.append(outcome)
            break
        return outcomes

    def _send(self, header, buffers):
        """Send a message after whatever is still queued; what the pipe does not take now is
        written while the next reply is awaited (within that reply's deadline)."""
        self.pipe.write(wire.frame(header, buffers))

    def _reader(self, deadline):
        self.pipe.deadline = deadline
        return self.reader

    def _await_result(self, call_id, allowed, bounds, deadline):
        reader = self._reader(deadline)
        for _ in range(MAX_HELPER_CALLS + 1):
            header, buffers = reader.read()
            reply = replies.parse(header, call_id)
            fields = reply.fields
            if reply.op == "helper":
                self._serve_helper(allowed, bounds, fields, buffers, deadline)
                continue
            if reply.op == "result":
                self.peak_kb = max(self.peak_kb, fields["peak_kb"])
                decode = wire.Decoder(buffers)  # one budget for the whole message
                return Outcome(
                    "ok",
                    value=decode(fields["value"]),
                    args_after=decode(fields["args_after"]),
                    kwargs_after=decode(fields["kwargs_after"]),
                    warnings=fields["warnings"],
                    aliases=fields["aliases"],
                    seconds=fields["seconds"],
                )
            if reply.op == "error":
                return Outcome("error", error=fields["error"])
            return Outcome("missing")
        raise wire.ProtocolError(f"more than {MAX_HELPER_CALLS} helper requests in one call")

    def _serve_helper(self, allowed, bounds, fields, buffers, deadline):
        name = fields["fn"]
        try:
            if name not in allowed:
                raise ValueError(f"{name[:40]} is not available to your code here")
            decode = wire.Decoder(buffers)
            args = _resolve(decode(fields["args"]), self.functions)
            kwargs = _resolve(decode(fields["kwargs"]), self.functions)
            if type(args) is not list or type(kwargs) is not dict:
                raise ValueError("malformed arguments")
            bounds.check((args, kwargs))
            with np.errstate(all="ignore"):
                value = self.functions[name](*args, **kwargs)
            reply, values = {"op": "helper_result"}, value
        except wire.ProtocolError:
            raise  # not a message at all: the call is invalid
        except Exception as error:  # the student's arguments made the helper fail
            message = f"{name}() could not run on the arguments it was given: {error}"
            reply, values = {"op": "helper_error", "message": message[:500]}, None
        if time.monotonic() > deadline:
            raise TimeoutError
        out = []
        if values is not None:
            reply["value"] = wire.encode(values, out, self.name_of)
        self._send(reply, out)

    def _death(self, error):
        code = self.process.poll() if self.process else None
        if code is None and self.process is not None:
            try:
                code = self.process.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                code = None
        reason = self.sandbox.describe_exit(code) if code is not None else "stopped answering"
        return reason


# Sessions that hold a worker or a scratch folder, for ``close_all`` (a grading process told to
# stop closes them all before it exits).
LIVE = set()


_HELD = {"depth": 0, "signal": None}


def stop_on_signal(signum, frame=None):
    """Signal handler of a grading process: kill every worker of this process, remove their
    folders, exit. Inside ``_signals_held`` (a worker being started or closed) it waits for
    the block to end, so it never finds a worker or folder half made or half removed. A
    second signal while it closes them is only noted: closing twice at once would wait on
    locks the first one holds (``Popen.wait``'s) for ever."""
    if _HELD["depth"]:
        _HELD["signal"] = signum
        return
    _HELD["depth"] += 1  # from here on, signals are noted and never acted on
    # warm workers first: with them go the workers they forked, and nothing waits on them
    for session in sorted(LIVE, key=lambda held: not getattr(held, "closes_first", False)):
        session.close()
    os._exit(128 + signum)


@contextmanager
def _signals_held():
    # Python runs signal handlers in the main thread between bytecodes: a counter is enough.
    _HELD["depth"] += 1
    try:
        yield
    finally:
        _HELD["depth"] -= 1
        if not _HELD["depth"] and _HELD["signal"] is not None:
            stop_on_signal(_HELD["signal"])


def _invalid(error):
    if isinstance(error, wire.ProtocolError):
        return f"it sent something that is not a valid answer ({str(error)[:200]})"
    if isinstance(error, MemoryError):
        return "it sent something too large to check"
    return f"its answer could not be checked ({type(error).__name__})"


class HelperBounds:
    """How large a helper request may be: no larger than a small multiple of the call.

    A helper runs in the trusted process, so its cost must not be the student's to choose.
    Sizes are measured the same way for the call and for a request (``_sizes``): ``E`` the
    numbers in all (array elements and numbers in lists), ``D`` the largest dimension (array
    dimensions and list lengths), ``K`` the deepest nesting (array dimensions plus the lists
    around them). A request may hold at most ``4 × E + 1024`` numbers, no dimension above
    ``2 × D + 8`` and no nesting deeper than ``max(K, 2)``, so whatever a helper computes from
    it (an elementwise product with broadcasting, a matrix product) has at most
    ``(2 × D + 8) ** max(K, 2)`` elements. An honest composite function only ever passes its
    helpers slices, batches and layers of what it was given.
    """

    def __init__(self, sent):
        self.sent, self.max_numbers = sent, None  # measured at the first request

    def check(self, request):
        if self.max_numbers is None:
            numbers, dim, depth = _sizes(self.sent)
            self.max_numbers = 4 * numbers + 1024
            self.max_dim = 2 * dim + 8
            self.max_depth = max(depth, 2)
        numbers, dim, depth = _sizes(request)
        if numbers > self.max_numbers or dim > self.max_dim or depth > self.max_depth:
            raise ValueError(
                "the arguments are far larger than the inputs of the call "
                f"({numbers} numbers, a dimension of {dim}, nested {depth} deep)"
            )


def _sizes(value, depth=-2):
    """(numbers, largest dimension, deepest nesting) of ``value``, an ``(args, kwargs)``
    pair: arrays count their elements, dimensions and ndim; lists, tuples and dicts their
    length and one level (the pair and the argument list themselves count no level)."""
    if isinstance(value, np.ndarray):
        return value.size, max(value.shape, default=0), max(depth, 0) + value.ndim
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        numbers, dim, deepest = 0, len(value) if depth >= 0 else 0, max(depth + 1, 0)
        for item in value:
            n, d, k = _sizes(item, depth + 1)
            numbers, dim, deepest = numbers + n, max(dim, d), max(deepest, k)
        return numbers, dim, deepest
    return (1 if isinstance(value, (int, float, np.generic)) else 0), 0, max(depth, 0)


def fn_names(value):
    """Names of the FnRefs anywhere in ``value`` (lists, tuples and dicts of the grader's
    own inputs)."""
    found, todo = set(), [value]
    while todo:
        item = todo.pop()
        kind = type(item)
        if kind is wire.FnRef:
            found.add(item.name)
        elif kind is list or kind is tuple:
            todo.extend(item)
        elif kind is dict:
            todo.extend(item.values())
    return found


def _name_of(functions):
    names = {id(f): n for n, f in functions.items()}
    return lambda f: names.get(id(f))


def _resolve(value, functions):
    """Replace FnRefs by the grader's own functions; refuse anything that is not data."""
    if isinstance(value, wire.FnRef):
        if value.name not in functions:
            raise ValueError(f"{value.name} cannot be passed here")
        return functions[value.name]
    if isinstance(value, (wire.RngRef, wire.Bad)):
        raise ValueError(f"{value!r} cannot be passed to a helper")
    if type(value) is list:
        return [_resolve(v, functions) for v in value]
    if type(value) is tuple:
        return tuple(_resolve(v, functions) for v in value)
    if type(value) is dict:
        return {k: _resolve(v, functions) for k, v in value.items()}
    return value
