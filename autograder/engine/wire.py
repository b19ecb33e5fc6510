"""Plain-data messages between the grader and a worker, over a pair of pipes.

Both sides use this module; it depends on the standard library and NumPy only (and orjson
when it is installed), because the worker loads it inside the sandbox. A message is a JSON
header plus raw array buffers:

    frame = b"BPW2" | u32 header length | u32 number of buffers | header
            | u64 length of each buffer | the buffers' bytes, one after the other

Values are encoded to a JSON tree where every non-JSON value is a one-key-tagged dict:
``{"__nd__": i, "dtype": ..., "shape": ...}`` (an array whose bytes are buffer ``i``),
``{"__tuple__": [...]}``, ``{"__float__": "nan"}``, ``{"__scalar__": dtype, "v": ...}``,
``{"__fn__": name}`` (a function known by name to both sides), ``{"__rng__": seed}`` and
``{"__bad__": description}`` (something that is not plain data). Decoding only ever builds
None, bool, int, float, str, list, tuple, dict, NumPy scalars and arrays of a few dtypes: no
pickle, no user classes, so a hostile peer can send wrong data but never code.

Threat model. The worker runs student code, and student code can reach the worker's own
channel (it lives in the same process), so every byte the trusted side reads may have been
written by an adversary: any bytes, in any order, at any time, of any size up to the caps.
This module's part is that reading and decoding one message is bounded: at most
``max_bytes`` read (checked before each part is read), at most ``MAX_NODES`` values, arrays
that view the bytes received (each buffer used once), int64 integers, cut strings; and that
every violation is a ProtocolError, never another exception, a large allocation or a long
computation. What the values mean is checked by ``replies.py`` (each message's fields) and
by the checks' judges (the values themselves).
"""

import json
import math
import os
import struct

import numpy as np

try:  # headers read and written about five times faster; json where orjson is missing
    import orjson
except ImportError:  # pragma: no cover - the tests run both ways (see tests/test_wire.py)
    orjson = None

MAGIC = b"BPW2"
ARRAY_DTYPES = {"float64", "int64", "bool"}  # the only array types decoded as arrays
_ITEMSIZE = {name: np.dtype(name).itemsize for name in ARRAY_DTYPES}
_DTYPE = {name: np.dtype(name) for name in ARRAY_DTYPES}  # parsed once, not per array
_NAME = {dtype: name for name, dtype in _DTYPE.items()}  # str(dtype) costs more than a lookup
MAX_HEADER = 1 << 20  # JSON bytes of one message (arrays travel as buffers, not JSON)
MAX_BUFFERS = 10_000
MAX_DEPTH = 32
MAX_NODES = 100_000  # values in one message
MAX_NDIM = 8
MAX_DIM = 1 << 24  # any one dimension, and the product of the non-zero ones
MAX_STRING = 2_000  # characters kept of any string


class ProtocolError(Exception):
    """The peer sent something that is not a well-formed message within the limits."""


class FnRef:
    """A function both sides know by name (an activation, a test function)."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name

    def __eq__(self, other):
        return isinstance(other, FnRef) and other.name == self.name

    def __hash__(self):
        return hash(("FnRef", self.name))


class RngRef:
    """A ``np.random.default_rng(seed)`` to be made on the receiving side."""

    def __init__(self, seed):
        self.seed = int(seed)

    def __repr__(self):
        return f"np.random.default_rng({self.seed})"


class Bad:
    """Something the peer could not send as plain data; ``what`` says what it was."""

    def __init__(self, what):
        self.what = str(what)[:200]

    def __repr__(self):
        return f"<{self.what}>"


def _type_name(value):
    kind = type(value)
    return (
        f"{kind.__module__}.{kind.__qualname__}" if kind.__module__ != "builtins" else kind.__name__
    )


def encode(value, buffers, name_of_function=None, depth=0):
    """Encode ``value`` into a JSON-able tree, appending array bytes to ``buffers``.

    ``name_of_function(f)`` gives the name of a callable that may cross, or None.
    """
    if depth > MAX_DEPTH:
        return {"__bad__": "structure nested too deeply"}
    kind = type(value)
    if kind is np.ndarray and value.dtype in _NAME:  # the common case first
        buffers.append(value.tobytes())  # C order, whatever the strides
        return {"__nd__": len(buffers) - 1, "dtype": _NAME[value.dtype], "shape": list(value.shape)}
    if kind is list:
        return [encode(v, buffers, name_of_function, depth + 1) for v in value]
    if value is None or kind is bool or kind is str:
        return value
    if kind is int:
        return value if -(2**63) <= value < 2**63 else {"__bad__": "an integer beyond int64"}
    if kind is float:
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if isinstance(value, FnRef):
        return {"__fn__": value.name}
    if isinstance(value, RngRef):
        return {"__rng__": value.seed}
    if isinstance(value, np.ndarray):
        dtype = _NAME.get(value.dtype) or str(value.dtype)
        if dtype not in ARRAY_DTYPES:
            return {"__bad__": f"numpy array of dtype {dtype}, shape {value.shape}"}
        data = np.ndarray.tobytes(np.ascontiguousarray(value).view(np.ndarray))
        buffers.append(data)
        node = {"__nd__": len(buffers) - 1, "dtype": dtype, "shape": list(value.shape)}
        if type(value) is not np.ndarray:
            node["subclass"] = _type_name(value)
        return node
    if isinstance(value, np.generic) and type(value).__module__ == "numpy":
        dtype = str(value.dtype)
        if dtype in ARRAY_DTYPES:
            item = value.item()
            if isinstance(item, float) and not math.isfinite(item):
                item = {"__float__": repr(item)}
            return {"__scalar__": dtype, "v": item}
        return {"__bad__": f"numpy scalar of dtype {dtype}"}
    if kind is tuple:
        return {"__tuple__": [encode(v, buffers, name_of_function, depth + 1) for v in value]}
    if kind is dict and all(type(k) is str for k in value):
        return {
            "__dict__": {
                k: encode(v, buffers, name_of_function, depth + 1) for k, v in value.items()
            }
        }
    if callable(value) and name_of_function is not None:
        name = name_of_function(value)
        if name is not None:
            return {"__fn__": name}
    return {"__bad__": f"an object of type {_type_name(value)}"}


class Decoder:
    """Decodes one message's tree, within bounds that do not depend on the peer's good will.

    Every node counts against ``MAX_NODES``; nesting stops at ``MAX_DEPTH``; each buffer
    becomes at most one array (a second reference is an error, so N nodes cannot turn one
    buffer into N copies); arrays view their buffer without copying, so the arrays of a
    message never take more memory than the bytes received; every integer is an int64;
    strings are cut to ``MAX_STRING`` characters. Anything else raises ProtocolError.

    ``live(ref)``, when given, turns each ``FnRef`` and ``RngRef`` into the object it stands
    for as it is decoded (the worker's functions and generators: no second walk).
    """

    def __init__(self, buffers, live=None):
        self.buffers = buffers
        self.used = set()
        self.nodes = 0
        self.live = live

    def __call__(self, node, depth=0):
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ProtocolError(f"more than {MAX_NODES} values in one message")
        if depth > MAX_DEPTH:
            raise ProtocolError("structure nested too deeply")
        kind = type(node)
        if node is None or kind in (bool, float):
            return node
        if kind is int:
            return _int64(node)
        if kind is str:  # cut, and lone surrogates (valid JSON, not UTF-8) replaced
            return node[:MAX_STRING].encode("utf-8", "replace").decode("utf-8")
        if kind is list:
            return [self(v, depth + 1) for v in node]
        if kind is not dict or len(node) == 0:
            raise ProtocolError(f"unexpected JSON value of type {kind.__name__}")
        tag = next(iter(node))
        handler = _TAGS.get(tag)
        if handler is None or not _TAG_KEYS[tag].issuperset(node):
            raise ProtocolError("unknown tag")
        return handler(self, node, depth)

    def array(self, node, depth):
        index, dtype, shape = node.get("__nd__"), node.get("dtype"), node.get("shape")
        if type(dtype) is not str or dtype not in ARRAY_DTYPES or type(index) is not int:
            raise ProtocolError("malformed array")
        if not 0 <= index < len(self.buffers):
            raise ProtocolError("malformed array")
        if index in self.used:
            raise ProtocolError("an array buffer is referenced twice")
        self.used.add(index)
        if type(shape) is not list or len(shape) > MAX_NDIM:
            raise ProtocolError("malformed array shape")
        size = spread = 1  # spread: the size with empty axes counted as 1 (tolist() of it)
        for n in shape:
            if type(n) is not int or not 0 <= n <= MAX_DIM:
                raise ProtocolError("malformed array shape")
            size, spread = size * n, spread * (n or 1)
        if spread > MAX_DIM:
            raise ProtocolError("an array shape too large, even if empty")
        data = self.buffers[index]
        if len(data) != size * _ITEMSIZE[dtype]:
            raise ProtocolError("array size does not match its shape")
        if "subclass" in node:
            return Bad(f"a subclass of numpy.ndarray ({str(node['subclass'])[:80]})")
        array = np.frombuffer(data, dtype=_DTYPE[dtype]).reshape(shape)
        if dtype == "bool" and not np.all(array.view(np.uint8) <= 1):
            raise ProtocolError("a bool array holds bytes other than 0 and 1")
        return array

    def tuple(self, node, depth):
        return tuple(self(v, depth + 1) for v in _list(node["__tuple__"]))

    def dict(self, node, depth):
        items = node["__dict__"]
        if type(items) is not dict:
            raise ProtocolError("malformed dict")
        return {k[:MAX_STRING]: self(v, depth + 1) for k, v in items.items()}

    def float(self, node, depth):
        text = node["__float__"]
        if text not in ("nan", "inf", "-inf"):
            raise ProtocolError("malformed float")
        return float(text)

    def scalar(self, node, depth):
        dtype, value = node["__scalar__"], node.get("v")
        if type(value) is dict and set(value) == {"__float__"}:
            value = self.float(value, depth)
        wanted = {"float64": (float, int), "int64": (int,), "bool": (bool,)}.get(
            dtype if type(dtype) is str else ""
        )
        if wanted is None or type(value) not in wanted:
            raise ProtocolError("malformed scalar")
        return np.array(_int64(value) if type(value) is int else value, dtype=dtype)[()]

    def function(self, node, depth):
        name = node["__fn__"]
        if type(name) is not str:
            raise ProtocolError("malformed function name")
        ref = FnRef(name[:100])
        return self.live(ref) if self.live else ref

    def rng(self, node, depth):
        seed = node["__rng__"]
        if type(seed) is not int or not 0 <= seed < 2**63:
            raise ProtocolError("malformed rng seed")
        ref = RngRef(seed)
        return self.live(ref) if self.live else ref

    def bad(self, node, depth):
        what = node["__bad__"]
        if type(what) is not str:
            raise ProtocolError("malformed description")
        return Bad(what)


_TAGS = {
    "__nd__": Decoder.array,
    "__tuple__": Decoder.tuple,
    "__dict__": Decoder.dict,
    "__float__": Decoder.float,
    "__scalar__": Decoder.scalar,
    "__fn__": Decoder.function,
    "__rng__": Decoder.rng,
    "__bad__": Decoder.bad,
}
_TAG_KEYS = {tag: {tag} for tag in _TAGS} | {
    "__nd__": {"__nd__", "dtype", "shape", "subclass"},
    "__scalar__": {"__scalar__", "v"},
}


def decode(node, buffers):
    """Inverse of ``encode`` for plain data, within the bounds of ``Decoder``; raises
    ProtocolError on anything else. Decode all of a message's values with one ``Decoder``
    (so its bounds hold for the whole message), or one at a time with this function."""
    return Decoder(buffers)(node)


def _int64(value):
    if not -(2**63) <= value < 2**63:
        raise ProtocolError("an integer beyond the int64 range")
    return value


def _list(value):
    if type(value) is not list:
        raise ProtocolError("malformed list")
    return value


# --- framing ---


def frame(header, buffers=()):
    """The bytes of one message."""
    body = dump_header(header)
    lengths = struct.pack(f"<{len(buffers)}Q", *map(len, buffers))
    return b"".join([MAGIC, struct.pack("<II", len(body), len(buffers)), body, lengths, *buffers])


def dump_header(header):
    """A header's JSON bytes. With orjson when it can (it refuses lone surrogates, which a
    student's text may hold: json escapes them); never NaN or infinity, which ``encode``
    turns into tags and json refuses (orjson would write null)."""
    if orjson is not None:
        try:
            return orjson.dumps(header)
        except TypeError:  # orjson.JSONEncodeError
            pass
    return _HEADER_ENCODER.encode(header).encode()


def load_header(data):
    """The JSON value of a header's bytes, as json reads it; ValueError or RecursionError when
    it is none. orjson reads it when it can: it refuses escaped lone surrogates, NaN and
    nesting deeper than 1024, which json reads (the decoder bounds them), and it would read
    an integer beyond 64 bits as a float, where json gives the integer the decoder refuses:
    a header with a run of 20 digits goes to json."""
    if orjson is not None and _DIGIT_RUN not in data.translate(_DIGITS):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    return json.loads(bytes(data).decode())


# 20 digits in a row (2**64 has 20; a float's repr never has as many), found at C speed: every
# digit made "0", every other byte a space (a regular expression costs more than orjson)
_DIGITS = bytes(48 if 48 <= byte <= 57 else 32 for byte in range(256))
_DIGIT_RUN = b"0" * 20


_HEADER_ENCODER = json.JSONEncoder(allow_nan=False)  # json.dumps would make one per message


def write_message(fd, header, buffers=()):
    _write_all(fd, frame(header, buffers))


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class Reader:
    """Reads whole messages from a file descriptor, within size limits.

    ``read_exact(n)`` is injectable so the trusted side can read with deadlines. Sizes come
    from the peer, so each is checked against what is left of ``max_bytes`` before it is read,
    and buffers grow only as bytes arrive (``read_exact`` reads in chunks): a peer that
    announces 60 MB and sends nothing costs nothing.
    """

    def __init__(self, read_exact, max_bytes):
        self.read_exact = read_exact
        self.max_bytes = max_bytes

    def read(self):
        """``(header dict, list of buffers)``, each buffer a writable view of the bytes
        received; raises ProtocolError, EOFError or whatever ``read_exact`` raises (TimeoutError
        on the trusted side). Three reads: the start, the header with the buffers' lengths,
        and all the buffers' bytes (none when there are no buffers)."""
        start = self.read_exact(12)
        if start[:4] != MAGIC:
            raise ProtocolError("bad frame start")
        header_len, count = struct.unpack("<II", start[4:])
        table = header_len + 8 * count
        if header_len > MAX_HEADER or count > MAX_BUFFERS or table > self.max_bytes:
            raise ProtocolError(f"message too large ({header_len} header bytes, {count} arrays)")
        head = self.read_exact(table)
        sizes = struct.unpack_from(f"<{count}Q", head, header_len)
        if table + sum(sizes) > self.max_bytes:
            raise ProtocolError(f"message larger than {self.max_bytes} bytes")
        try:
            header = load_header(head[:header_len])
        except (ValueError, RecursionError) as error:  # bad UTF-8, too-long integer literals
            raise ProtocolError("header is not JSON") from error
        if type(header) is not dict:
            raise ProtocolError("header is not an object")
        if not count:
            return header, []
        view, buffers, at = memoryview(self.read_exact(sum(sizes))), [], 0
        for size in sizes:
            buffers.append(view[at : at + size])
            at += size
        return header, buffers


def blocking_read_exact(fd, chunk=1 << 16):
    """``read_exact(n)`` on a blocking ``fd``, reading whatever has arrived (up to ``chunk``
    more than asked for) per system call; the buffer holds at most ``n + chunk`` bytes."""
    buffer = bytearray()

    def read_exact(n):
        while len(buffer) < n:
            data = os.read(fd, min(max(n - len(buffer), chunk), 1 << 20))
            if not data:
                raise EOFError("peer closed the channel")
            buffer.extend(data)
        data = buffer[:n]
        del buffer[:n]
        return data

    return read_exact
