"""Plain-data messages between the grader and a worker, over a pair of pipes.

Both sides use this module; it depends on the standard library and NumPy only, because the
worker loads it inside the sandbox. A message is a JSON header plus raw array buffers:

    frame  = b"BPW1" | u32 header length | u32 number of buffers | header | buffers
    buffer = u64 length | bytes

Values are encoded to a JSON tree where every non-JSON value is a one-key-tagged dict:
``{"__nd__": i, "dtype": ..., "shape": ...}`` (an array whose bytes are buffer ``i``),
``{"__tuple__": [...]}``, ``{"__float__": "nan"}``, ``{"__scalar__": dtype, "v": ...}``,
``{"__fn__": name}`` (a function known by name to both sides), ``{"__rng__": seed}`` and
``{"__bad__": description}`` (something that is not plain data). Decoding only ever builds
None, bool, int, float, str, list, tuple, dict, NumPy scalars and arrays of a few dtypes: no
pickle, no user classes, so a hostile peer can send wrong data but never code.
"""

import json
import math
import os
import struct

import numpy as np

MAGIC = b"BPW1"
ARRAY_DTYPES = {"float64", "int64", "bool"}  # the only array types decoded as arrays
MAX_HEADER = 8 << 20
MAX_BUFFERS = 10_000
MAX_DEPTH = 32


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
    if value is None or type(value) in (bool, int, str):
        return value
    if type(value) is float:
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if isinstance(value, FnRef):
        return {"__fn__": value.name}
    if isinstance(value, RngRef):
        return {"__rng__": value.seed}
    if isinstance(value, np.ndarray):
        dtype = str(value.dtype)
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
    if type(value) in (list, tuple):
        items = [encode(v, buffers, name_of_function, depth + 1) for v in value]
        return items if type(value) is list else {"__tuple__": items}
    if type(value) is dict and all(type(k) is str for k in value):
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


def decode(node, buffers, depth=0):
    """Inverse of ``encode`` for plain data; raises ProtocolError on anything else."""
    if depth > MAX_DEPTH:
        raise ProtocolError("structure nested too deeply")
    if node is None or type(node) in (bool, int, float, str):
        return node
    if type(node) is list:
        return [decode(v, buffers, depth + 1) for v in node]
    if type(node) is not dict or len(node) == 0:
        raise ProtocolError(f"unexpected JSON value of type {type(node).__name__}")
    if "__nd__" in node:
        return _decode_array(node, buffers)
    if "__tuple__" in node:
        return tuple(decode(v, buffers, depth + 1) for v in _list(node["__tuple__"]))
    if "__dict__" in node:
        items = node["__dict__"]
        if type(items) is not dict:
            raise ProtocolError("malformed dict")
        return {str(k): decode(v, buffers, depth + 1) for k, v in items.items()}
    if "__float__" in node:
        text = node["__float__"]
        if text not in ("nan", "inf", "-inf"):
            raise ProtocolError("malformed float")
        return float(text)
    if "__scalar__" in node:
        dtype = node["__scalar__"]
        if dtype not in ARRAY_DTYPES:
            raise ProtocolError("malformed scalar")
        value = decode(node.get("v"), buffers, depth + 1)
        if type(value) not in (bool, int, float):
            raise ProtocolError("malformed scalar")
        return np.array(value, dtype=dtype)[()]
    if "__fn__" in node:
        return FnRef(str(node["__fn__"])[:100])
    if "__rng__" in node:
        return RngRef(int(node["__rng__"]))
    if "__bad__" in node:
        return Bad(node["__bad__"])
    raise ProtocolError("unknown tag")


def _list(value):
    if type(value) is not list:
        raise ProtocolError("malformed list")
    return value


def _decode_array(node, buffers):
    index, dtype, shape = node.get("__nd__"), node.get("dtype"), node.get("shape")
    if dtype not in ARRAY_DTYPES or type(index) is not int or not 0 <= index < len(buffers):
        raise ProtocolError("malformed array")
    if (
        type(shape) is not list
        or len(shape) > 32
        or any(type(n) is not int or n < 0 for n in shape)
    ):
        raise ProtocolError("malformed array shape")
    data = buffers[index]
    if len(data) != math.prod(shape) * np.dtype(dtype).itemsize:
        raise ProtocolError("array size does not match its shape")
    array = np.frombuffer(data, dtype=dtype).reshape(shape).copy()
    if "subclass" in node:
        return Bad(f"a subclass of numpy.ndarray ({str(node['subclass'])[:80]})")
    return array


# --- framing ---


def frame(header, buffers=()):
    """The bytes of one message."""
    body = json.dumps(header, allow_nan=False).encode()
    parts = [MAGIC, struct.pack("<II", len(body), len(buffers)), body]
    for data in buffers:
        parts.append(struct.pack("<Q", len(data)))
        parts.append(data)
    return b"".join(parts)


def write_message(fd, header, buffers=()):
    _write_all(fd, frame(header, buffers))


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class Reader:
    """Reads whole messages from a file descriptor, within size limits.

    ``read_exact`` is injectable so the trusted side can read with deadlines.
    """

    def __init__(self, read_exact, max_bytes):
        self.read_exact = read_exact
        self.max_bytes = max_bytes

    def read(self):
        start = self.read_exact(12)
        if start[:4] != MAGIC:
            raise ProtocolError("bad frame start")
        header_len, count = struct.unpack("<II", start[4:])
        if header_len > MAX_HEADER or count > MAX_BUFFERS or header_len > self.max_bytes:
            raise ProtocolError(f"message too large ({header_len} header bytes, {count} arrays)")
        try:
            header = json.loads(self.read_exact(header_len))
        except ValueError as error:
            raise ProtocolError("header is not JSON") from error
        total, buffers = header_len, []
        for _ in range(count):
            (size,) = struct.unpack("<Q", self.read_exact(8))
            total += size
            if total > self.max_bytes:
                raise ProtocolError(f"message larger than {self.max_bytes} bytes")
            buffers.append(self.read_exact(size))
        if type(header) is not dict:
            raise ProtocolError("header is not an object")
        return header, buffers


def blocking_read_exact(fd):
    def read_exact(n):
        chunks, left = [], n
        while left:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                raise EOFError("peer closed the channel")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    return read_exact
