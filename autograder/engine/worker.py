"""The untrusted side: imports one student module and runs the calls the grader asks for.

Run as ``python -I worker.py STUDENT_FILE`` inside the sandbox (or forked from the warm
worker, ``zygote.py``, which calls ``main``), with the grader's request pipe on fd 0 and its
reply pipe on fd 1. The student's prints go to fd 2, which the grader reads with a cap.
Nothing here knows expected values or the reference: it receives calls (a message holds one
or several, run one after the other and each answered when it ends), calls the student's
function with their inputs and sends back what came out, as plain data (see wire.py).

Functions named in a call's ``proxies`` are replaced, for that call only, by stand-ins that
ask the grader to compute them, so that a composite function can be graded on its own even
when a helper it calls is wrong.
"""

import copy
import importlib.util
import os
import random
import resource
import struct
import sys
import time
import traceback
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402  (after the path set-up, so the sandbox finds wire.py)
import numpy.random  # noqa: E402, F401  (NumPy imports it lazily: 10 ms in every forked worker)
import wire  # noqa: E402

MAX_REPLY = 64 << 20


class GraderHelperError(Exception):
    """A proxied helper could not be computed for the arguments given to it."""


class Channel:
    def __init__(self, fd_in, fd_out):
        self.fd_out = fd_out
        self.reader = wire.Reader(wire.blocking_read_exact(fd_in), MAX_REPLY)
        self.names = set()  # functions that may cross by name in the current call
        self.own = {}  # functions passed by name that are the student's own in this call
        self.library = {}  # functions passed by name that this process runs (see load_library)
        self.call_id = None  # every message about a call carries its id
        self.answers = {}  # name -> {arguments' key: value}: the grader's answers sent ahead

    def name_of(self, function):
        name = getattr(function, "_grader_name", None)
        if name is None and getattr(function, "__name__", None) in self.names:
            name = function.__name__
        return name

    def send(self, header, values=None):
        flush_output()  # what the student printed reaches the log before the answer
        buffers = []
        if values:
            for key, value in values.items():
                header[key] = wire.encode(value, buffers, self.name_of)
        wire.write_message(self.fd_out, header, buffers)

    def receive(self):
        return self.reader.read()

    def decode(self, node, buffers):
        return wire.Decoder(buffers, self.live)(node)

    def live(self, ref):
        """What a reference stands for here: the student's own function of that name (when
        the call says so), the assignment's (the library), else a proxy asking the grader; a
        Generator for a seed."""
        if isinstance(ref, wire.RngRef):
            return np.random.default_rng(ref.seed)
        name = ref.name
        return self.own.get(name) or self.library.get(name) or make_proxy(name, self)


def flush_output():
    """Flush Python's stdout and stderr buffers (both go to the log): a worker is killed, not
    left to exit, so what is not flushed before an answer is lost."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001, S110  (a stream the student replaced or closed)
            pass


def make_proxy(name, channel):
    def proxy(*args, **kwargs):
        known = channel.answers.get(name)
        if known and not kwargs:
            key = answer_key(args)
            if key in known:
                return copy.deepcopy(known[key])  # the caller's to change
        header = {"op": "helper", "id": channel.call_id, "fn": name}
        channel.send(header, {"args": list(args), "kwargs": kwargs})
        header, buffers = channel.receive()
        if header.get("op") == "helper_result":
            return channel.decode(header.get("value"), buffers)
        raise GraderHelperError(str(header.get("message", "helper failed")))

    proxy.__name__ = proxy.__qualname__ = name
    proxy._grader_name = name
    return proxy


def answer_key(args):
    """A key that two argument lists share only when they are the same values, bit for bit
    (arrays by dtype, shape and bytes; floats by their bits, so that 0.0 is not -0.0), or
    None when they hold anything else."""
    key = []
    for arg in args:
        kind = type(arg)
        if kind is np.ndarray:
            key.append((arg.dtype.str, arg.shape, arg.tobytes()))
        elif kind is float:
            key.append(struct.pack("<d", arg))
        elif kind is int or kind is bool or arg is None:
            key.append((kind.__name__, arg))
        else:
            return None
    return tuple(key)


def known_answers(entries, channel, buffers):
    """``{name: {key: value}}`` of a call's ``answers`` (see ``runner.Call``)."""
    known = {}
    for name, args, value in entries if type(entries) is list else ():
        args = channel.decode(args, buffers)
        key = answer_key(args) if type(args) is list else None
        if type(name) is str and key is not None:
            known.setdefault(name, {})[key] = channel.decode(value, buffers)
    return known


def load_library(source):
    """The public functions of the assignment's ``worker_functions`` (their source, sent by
    the grader): {name: function}. Nothing when it does not load (the grader then computes
    them, one request per call)."""
    namespace = {"__name__": "grader_functions"}
    try:
        exec(compile(source, "grader_functions.py", "exec"), namespace)  # noqa: S102
    except Exception:  # noqa: BLE001
        return {}
    return {
        name: value
        for name, value in namespace.items()
        if callable(value) and not name.startswith("_") and type(value).__name__ == "function"
    }


def load_student(path):
    name = os.path.splitext(os.path.basename(path))[0]  # the assignment's module name
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.dont_write_bytecode = True  # no __pycache__ beside the file: compiled, never cached
    spec.loader.exec_module(module)
    return module


def describe_error(error, path):
    """Type, message and the last line of the student's file in the traceback."""
    line = getattr(error, "lineno", None) if isinstance(error, SyntaxError) else None
    function = None
    # frames and line numbers only: extract_tb would read every frame's source file
    for frame, number in traceback.walk_tb(error.__traceback__):
        if os.path.abspath(frame.f_code.co_filename) == path:
            line, function = number, frame.f_code.co_name
    try:
        message = str(error)
    except BaseException:  # a hostile __str__ only hurts its author's message
        message = "<message could not be shown>"
    return {
        "type": str(type(error).__name__),
        "line": line if type(line) is int and line > 0 else None,
        "message": message[:800],
        "function": function,
    }


MAX_ALIAS_ARRAYS = 64  # arrays looked at on each side
MAX_ALIASES = 8


def _arrays(value, path, out, depth=0):
    """``(path, array)`` of the arrays inside ``value`` (lists, tuples), at most 64; a path
    is ``(root, index, index, ...)`` (see ``_path``)."""
    if len(out) >= MAX_ALIAS_ARRAYS or depth > 8:
        return
    if isinstance(value, np.ndarray):
        if value.size:
            out.append((path, value))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value[:MAX_ALIAS_ARRAYS]):
            _arrays(item, (*path, index), out, depth + 1)


def _path(path):
    """``("result", 1, 0)`` -> ``"result[1][0]"``."""
    return path[0] + "".join(f"[{index}]" for index in path[1:])


def aliases(value, args, kwargs):
    """Where the returned arrays share memory with an argument or with each other, e.g.
    ``["result[1][0] is argument 0"]``: a pure function returns new arrays. Only this
    process can see it (values cross to the grader as copies)."""
    outputs = []
    _arrays(value, ("result",), outputs)
    if not outputs:
        return []
    inputs = []
    for index, arg in enumerate(args):
        _arrays(arg, (f"argument {index}",), inputs)
    for name, arg in kwargs.items():
        _arrays(arg, (f"argument {name}",), inputs)
    found = []
    for position, (path, array) in enumerate(outputs):
        for other, known in inputs + outputs[position + 1 :]:
            if len(found) < MAX_ALIASES and np.may_share_memory(array, known):
                found.append(f"{_path(path)} is {_path(other)}")
    return found


def snapshot(value, depth=0):
    """Copies of the arrays in ``value`` (inside lists and tuples, as lists), else None."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (list, tuple)) and depth < 32:
        return [snapshot(item, depth + 1) for item in value]
    return None


def changed(before, after):
    """Whether the grader would find an argument changed (checks.modified_inputs, the same
    rule): an array of ``before`` that is not an equal array of the same shape in ``after``,
    looked for inside lists and tuples of the same length."""
    if isinstance(before, np.ndarray):  # np.array_equal's test, without its conversions
        return not (
            isinstance(after, np.ndarray)
            and before.shape == after.shape
            and bool(np.asarray(before == after).all())
        )
    if isinstance(before, list) and isinstance(after, (list, tuple)) and len(before) == len(after):
        for b, a in zip(before, after):
            if changed(b, a):
                return True
    return False


def run_call(module, channel, header, buffers):
    name = header.get("fn")
    channel.call_id = header.get("id")
    function = getattr(module, name, None) if isinstance(name, str) else None
    if not callable(function):
        channel.send({"op": "missing", "id": channel.call_id})
        return
    channel.names = set(header.get("names", []))
    own = header.get("own", [])
    own = [n for n in own if type(n) is str] if type(own) is list else []
    channel.own = {n: getattr(module, n) for n in own if callable(getattr(module, n, None))}
    channel.answers = known_answers(header.get("answers"), channel, buffers)
    args = channel.decode(header.get("args", []), buffers)
    kwargs = channel.decode(header.get("kwargs", {}), buffers)
    before = snapshot([args, list(kwargs.values())])
    saved = {}
    for helper in header.get("proxies", []):
        saved[helper] = module.__dict__.get(helper)
        module.__dict__[helper] = make_proxy(helper, channel)
    start = time.perf_counter()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = function(*args, **kwargs)
    except BaseException as error:  # sys.exit() inside a call costs that call only
        reply = {
            "op": "error",
            "id": channel.call_id,
            "error": describe_error(error, module.__file__),
        }
        channel.send(reply)
        return
    finally:
        for helper, original in saved.items():
            module.__dict__[helper] = original
    seconds = time.perf_counter() - start
    seen = []
    for item in caught:
        text = f"{item.category.__name__}: {item.message}"
        if text not in seen and len(seen) < 5:
            seen.append(text[:200])
    # the arguments go back only when the call changed them (None: unchanged)
    after = [args, list(kwargs.values())]
    same = not changed(before, after)
    channel.send(
        {
            "op": "result",
            "id": channel.call_id,
            "seconds": seconds,
            "warnings": seen,
            "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "aliases": aliases(value, args, kwargs),
        },
        {"value": value, "args_after": None if same else args, "kwargs_after": None},
    )


def main(path=None):
    """Import the file at ``path`` (default: the command line's) and serve calls until the
    grader closes the channel."""
    path = os.path.abspath(path or sys.argv[1])
    fd_in, fd_out = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(2, 1)  # student output goes to the capped log, never into the reply channel
    channel = Channel(fd_in, fd_out)
    # Code that draws from the global generators instead of the rng it is given gets the same
    # numbers at every grading (the same feedback), in a worker started cold or forked.
    np.random.seed(0)
    random.seed(0)
    try:
        module = load_student(path)
    except BaseException as error:  # SystemExit and KeyboardInterrupt at import included
        channel.send({"op": "import_error", "error": describe_error(error, path)})
        return
    functions = sorted(k for k, v in vars(module).items() if callable(v) and not k.startswith("_"))
    channel.send({"op": "ready", "functions": functions[:1000]})
    while True:
        try:
            header, buffers = channel.receive()
        except EOFError:
            return
        if header.get("op") == "library" and type(header.get("source")) is str:
            channel.library = load_library(header["source"])
        elif header.get("op") == "calls" and type(header.get("calls")) is list:
            for call in header["calls"]:  # one after the other, each answered when it is done
                try:
                    run_call(module, channel, call, buffers)
                except wire.ProtocolError as error:
                    error = {"type": "ProtocolError", "message": str(error), "line": None}
                    channel.send(
                        {"op": "error", "id": channel.call_id, "error": error | {"function": None}}
                    )
        else:
            return


if __name__ == "__main__":
    main()
