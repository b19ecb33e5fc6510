"""The trusted side reads any bytes a worker sends within bounds, and fails only one way.

Every malformed, oversized or amplifying message is a ``wire.ProtocolError`` (or a rejected
``replies.parse``), never another exception, a large allocation or a long computation.
"""

import json
import struct

import numpy as np
import pytest

from autograder.engine import replies, wire
from autograder.engine.runner import HelperBounds


@pytest.fixture(autouse=True, params=["orjson", "json"])
def header_parser(request, monkeypatch):
    """Every test here runs with the headers read and written by orjson (when installed) and
    by json alone (as where orjson is missing)."""
    if request.param == "orjson" and wire.orjson is None:
        pytest.skip("orjson is not installed")
    if request.param == "json":
        monkeypatch.setattr(wire, "orjson", None)
    return request.param


def read_frame(data, max_bytes=64 << 20):
    """Read one frame from ``data``; also returns how many bytes the reader asked for."""
    asked = []
    view = memoryview(bytes(data))

    def read_exact(n):
        nonlocal view
        asked.append(n)
        if len(view) < n:
            raise EOFError
        chunk, view = bytearray(view[:n]), view[n:]
        return chunk

    return wire.Reader(read_exact, max_bytes).read(), asked


def test_arrays_round_trip_as_writable_views_of_the_bytes_received():
    buffers = []
    sent = [np.arange(6.0).reshape(2, 3), np.array([True, False]), np.int64(7), (1, "a")]
    node = wire.encode(sent, buffers)
    (header, received), _ = read_frame(wire.frame({"v": node}, buffers))
    got = wire.decode(header["v"], received)
    assert np.array_equal(got[0], sent[0]) and got[0].flags.writeable
    assert got[0].base is not None  # a view, not a copy
    assert got[1].dtype == bool and got[2] == 7 and got[3] == (1, "a")


def test_a_message_is_read_in_three_parts_however_many_arrays_it_holds():
    buffers = []
    node = wire.encode([np.ones(k) for k in range(1, 6)], buffers)
    (header, received), asked = read_frame(wire.frame({"v": node}, buffers))
    assert len(asked) == 3  # the start, the header with the arrays' lengths, the arrays
    assert [len(a) for a in wire.decode(header["v"], received)] == [1, 2, 3, 4, 5]
    (header, received), asked = read_frame(wire.frame({"op": "ready"}))
    assert len(asked) == 2 and received == []


def test_one_buffer_referenced_by_many_arrays_is_refused():
    node = [{"__nd__": 0, "dtype": "float64", "shape": [1000]}] * 500
    with pytest.raises(wire.ProtocolError, match="twice"):
        wire.decode(node, [bytearray(8000)])


@pytest.mark.parametrize(
    "node",
    [
        2**70,
        -(2**63) - 1,
        {"__scalar__": "int64", "v": 2**64},
        {"__rng__": 2**80},
        {"__rng__": "12"},
    ],
    ids=["plain", "negative", "scalar", "rng", "rng-as-text"],
)
def test_integers_beyond_int64_are_refused(node):
    with pytest.raises(wire.ProtocolError):
        wire.decode(node, [])


@pytest.mark.parametrize(
    "shape",
    [[2**40, 2**40, 0], [0] * 9, [-1, 0], [0.5], "3"],
    ids=["overflowing", "too-many-dims", "negative", "float", "text"],
)
def test_array_shapes_out_of_bounds_are_refused(shape):
    with pytest.raises(wire.ProtocolError):
        wire.decode({"__nd__": 0, "dtype": "float64", "shape": shape}, [bytearray()])


def test_bool_arrays_hold_only_zero_and_one():
    with pytest.raises(wire.ProtocolError):
        wire.decode({"__nd__": 0, "dtype": "bool", "shape": [2]}, [bytearray(b"\x00\x07")])


def test_values_per_message_are_capped():
    with pytest.raises(wire.ProtocolError, match="values"):
        wire.decode([0] * (wire.MAX_NODES + 1), [])


def test_one_decoder_budget_covers_every_value_of_a_message():
    decode = wire.Decoder([])
    decode([0] * (wire.MAX_NODES // 2))
    with pytest.raises(wire.ProtocolError):
        decode([0] * (wire.MAX_NODES // 2 + 1))


def test_deep_nesting_is_refused():
    node = []
    for _ in range(wire.MAX_DEPTH + 5):
        node = [node]
    with pytest.raises(wire.ProtocolError, match="deeply"):
        wire.decode(node, [])


def test_strings_are_cut_and_lone_surrogates_replaced():
    text = wire.decode("\ud800" + "x" * 10 * wire.MAX_STRING, [])
    assert len(text) == wire.MAX_STRING and "\ud800" not in text
    text.encode("utf-8")  # writable to any file


@pytest.mark.parametrize(
    "node",
    [
        {"__nd__": 0, "dtype": "float64", "shape": [1], "extra": 1},
        {"dtype": "float64", "__nd__": 0, "shape": [1]},
        {"__tuple__": "abc"},
        {"__dict__": [1]},
        {"__float__": "1e5"},
        {"__scalar__": "float64", "v": "1"},
        {"__scalar__": "bool", "v": 1},
        {"__fn__": ["list"]},
        {"__bad__": {"x": 1}},
        {"__object__": 1},
        {},
    ],
)
def test_malformed_tags_are_refused(node):
    with pytest.raises(wire.ProtocolError):
        wire.decode(node, [bytearray(8)])


def test_random_trees_raise_nothing_but_protocol_errors():
    rng = np.random.default_rng(0)
    atoms = [0, -1, 2**63, 1.5, "x", None, True, [], {}, [0, 1], "__nd__", 2**100]
    tags = ["__nd__", "__tuple__", "__dict__", "__float__", "__scalar__", "__fn__", "__rng__"]

    def tree(depth):
        pick = rng.integers(4)
        if depth > 4 or pick == 0:
            return atoms[rng.integers(len(atoms))]
        if pick == 1:
            return [tree(depth + 1) for _ in range(rng.integers(3))]
        node = {tags[rng.integers(len(tags))]: tree(depth + 1)}
        for key in ("dtype", "shape", "v")[: rng.integers(4)]:
            node[key] = tree(depth + 1)
        return node

    for _ in range(3000):
        try:
            wire.decode(tree(0), [bytearray(8), bytearray(16)])
        except wire.ProtocolError:
            pass


def test_reader_refuses_sizes_before_reading_them():
    header = json.dumps({"op": "result"}).encode()
    big = wire.MAGIC + struct.pack("<II", len(header), 1) + header + struct.pack("<Q", 1 << 40)
    with pytest.raises(wire.ProtocolError, match="larger"):
        read_frame(big, max_bytes=1 << 20)
    huge_header = wire.MAGIC + struct.pack("<II", wire.MAX_HEADER + 1, 0)
    with pytest.raises(wire.ProtocolError, match="too large"):
        read_frame(huge_header)


@pytest.mark.parametrize(
    "body", [b"[1, 2]", b"{", b"1" * 5000, b"[" * 100_000], ids=["list", "cut", "long", "deep"]
)
def test_headers_that_are_not_json_objects_are_refused(body):
    data = wire.MAGIC + struct.pack("<II", len(body), 0) + body
    with pytest.raises(wire.ProtocolError):
        read_frame(data)


HOSTILE_HEADERS = [
    b'{"op": "result", "v": 1.5, "w": [null, true, "text"]}',
    b'{"v": "\\ud800 and \\udfff"}',  # escaped lone surrogates
    b'{"v": NaN, "w": -Infinity}',
    b'{"v": 123456789012345678901234567890}',
    b'{"v": -18446744073709551617, "w": 18446744073709551615}',
    b'{"v": 9223372036854775807}',
    b'{"v": 1e400}',
    b"[" * 2000 + b"]" * 2000,
    b'\xef\xbb\xbf{"v": 1}',  # a byte order mark
    b'{"v": "\xff"}',  # not UTF-8
    b'{"v": "a\x01b"}',  # a raw control character
    b'{"v": 1, "v": 2}',
    b'{"v": 1} trailing',
]


def _parsed(data):
    try:
        return "value", repr(wire.load_header(bytearray(data)))
    except (ValueError, RecursionError):
        return "refused", None


def test_headers_are_read_as_json_reads_them(header_parser):
    import json

    if header_parser == "json":
        pytest.skip("json alone reads them as json does by construction")
    for data in HOSTILE_HEADERS:
        try:
            expected = "value", repr(json.loads(data.decode()))
        except (ValueError, RecursionError):
            expected = "refused", None
        assert _parsed(data) == expected, data[:40]


def test_headers_with_lone_surrogates_are_written_and_read_back(header_parser):
    header = {"op": "error", "message": "bad \ud800 text", "n": [1, 2.5, None]}
    assert wire.load_header(bytearray(wire.dump_header(header))) == header


# --- replies ---

RESULT = {
    "op": "result",
    "id": 3,
    "seconds": 0.1,
    "warnings": [],
    "peak_kb": 1000,
    "aliases": [],
    "value": 1.0,
    "args_after": [],
    "kwargs_after": {"__dict__": {}},
}
ERROR = {"type": "ValueError", "message": "m", "line": 3, "function": "f"}


def test_a_well_formed_result_passes():
    reply = replies.parse(dict(RESULT), call_id=3)
    assert reply.op == "result" and reply.fields["seconds"] == 0.1


@pytest.mark.parametrize(
    "change",
    [
        {"id": 2},
        {"id": "3"},
        {"seconds": "fast"},
        {"seconds": float("nan")},
        {"seconds": -1},
        {"peak_kb": 2**70},
        {"warnings": "w"},
        {"warnings": ["w"] * 6},
        {"warnings": [["w"]]},
        {"aliases": "result is argument 0"},
        {"aliases": ["a"] * 9},
        {"aliases": [0]},
        {"op": "results"},
        {"op": ["result"]},
        {"extra": 1},
    ],
)
def test_a_result_with_any_field_out_of_range_is_refused(change):
    with pytest.raises(wire.ProtocolError):
        replies.parse(RESULT | change, call_id=3)


def test_a_reply_before_any_call_or_a_ready_during_one_is_refused():
    with pytest.raises(wire.ProtocolError):
        replies.parse(dict(RESULT), call_id=None)
    with pytest.raises(wire.ProtocolError):
        replies.parse({"op": "ready", "functions": []}, call_id=3)


@pytest.mark.parametrize(
    "error",
    [
        ERROR | {"line": "3"},
        ERROR | {"line": 0},
        ERROR | {"message": 5},
        ERROR | {"type": None},
        {"type": "E", "message": "m"},
        "boom",
    ],
)
def test_a_malformed_error_is_refused(error):
    with pytest.raises(wire.ProtocolError):
        replies.parse({"op": "error", "id": 1, "error": error}, call_id=1)


def test_helper_names_must_be_text():
    with pytest.raises(wire.ProtocolError):
        replies.parse({"op": "helper", "id": 1, "fn": ["forward"], "args": [], "kwargs": {}}, 1)


def test_error_texts_are_cut_and_writable():
    error = ERROR | {"message": "\udcff" + "m" * 10 * replies.MAX_TEXT}
    fields = replies.parse({"op": "error", "id": 1, "error": error}, 1).fields["error"]
    assert len(fields["message"]) <= replies.MAX_TEXT
    fields["message"].encode("utf-8")


# --- helper requests ---


def test_helper_requests_far_larger_than_the_call_are_refused():
    X, thetas = np.zeros((8, 3)), [np.zeros((4, 5)), np.zeros((6, 1))]
    bounds = HelperBounds(((thetas, X), {}))
    bounds.check(([thetas, X[:4]], {}))  # what an honest composite passes
    with pytest.raises(ValueError, match="larger"):
        bounds.check(([[np.zeros((1, 100_000))] * 3, np.zeros((4000, 0))], {}))
    with pytest.raises(ValueError, match="larger"):
        bounds.check(([np.zeros((8, 40))], {}))
    with pytest.raises(ValueError, match="larger"):
        bounds.check(([[0.0] * 1000], {}))
    with pytest.raises(ValueError, match="larger"):  # broadcasting (8,8,1,1) with (1,1,8,8)
        bounds.check(([np.zeros((8, 8, 1, 1)), np.zeros((1, 1, 8, 8))], {}))
    with pytest.raises(ValueError, match="larger"):  # the same as nested lists
        bounds.check(([[[[[0.0] * 8] * 8]]], {}))
