"""Every message a worker may send, field by field: what the trusted side accepts.

A worker's message is attacker-controlled (see wire.py's threat model). ``parse`` takes a
header as read by ``wire.Reader`` and returns a ``Reply`` whose fields all have the type and
range the runner relies on, or raises ``wire.ProtocolError``: an unknown ``op``, a missing or
extra field, a field of the wrong type or out of range, a reply that names another call than
the one in progress. Texts are cut here (``MAX_TEXT``) and made harmless later, at each sink
(sinks.py). The values inside (``value``, ``args``, ...) stay encoded: the runner decodes
them with one ``wire.Decoder`` per message, after the header has passed.

Messages, by ``op`` (``id`` is the id of the call the message belongs to):

==============  ==========================================================================
ready           ``functions``: list of str (what the module defines; informative only)
import_error    ``error``: the error (see ``error_fields``)
helper          ``id``, ``fn``: str (a helper of this call), ``args``, ``kwargs``
result          ``id``, ``seconds``: finite float >= 0, ``warnings``: list of <= 5 str,
                ``peak_kb``: int >= 0, ``aliases``: list of <= 8 str, ``value``,
                ``args_after``, ``kwargs_after``
error           ``id``, ``error``
missing         ``id``
==============  ==========================================================================
"""

import math
from dataclasses import dataclass, field

from .wire import ProtocolError

MAX_TEXT = 800  # characters kept of any text the worker sends
MAX_NAME = 100
MAX_WARNINGS = 5
MAX_ALIASES = 8
MAX_FUNCTIONS = 1000

FIELDS = {
    "ready": {"functions"},
    "import_error": {"error"},
    "helper": {"id", "fn", "args", "kwargs"},
    "result": {
        "id",
        "seconds",
        "warnings",
        "peak_kb",
        "aliases",
        "value",
        "args_after",
        "kwargs_after",
    },
    "error": {"id", "error"},
    "missing": {"id"},
}
ENCODED = ("args", "kwargs", "value", "args_after", "kwargs_after")  # decoded by the runner


@dataclass
class Reply:
    op: str
    fields: dict = field(default_factory=dict)


def parse(header, call_id=None):
    """The validated ``Reply`` of ``header``; ``call_id`` is the call in progress (None
    before the first call, when only ``ready`` and ``import_error`` are expected)."""
    op = header.get("op")
    if type(op) is not str or op not in FIELDS:
        raise ProtocolError("unknown message")
    if set(header) - {"op"} != FIELDS[op]:
        raise ProtocolError(f"a {op!r} message with missing or unknown fields")
    expected_id = "id" in FIELDS[op]
    if expected_id != (call_id is not None):
        raise ProtocolError(f"a {op!r} message at the wrong moment")
    if expected_id and (type(header["id"]) is not int or header["id"] != call_id):
        raise ProtocolError("a reply to another call")
    out = {key: header[key] for key in ENCODED if key in header}
    if op == "ready":
        out["functions"] = _names(header["functions"], MAX_FUNCTIONS)
    if op in ("import_error", "error"):
        out["error"] = error_fields(header["error"])
    if op == "helper":
        out["fn"] = _text(header["fn"], MAX_NAME)
    if op == "result":
        out["seconds"] = _seconds(header["seconds"])
        out["warnings"] = _names(header["warnings"], MAX_WARNINGS, MAX_TEXT // 4)
        out["peak_kb"] = _count(header["peak_kb"])
        out["aliases"] = _names(header["aliases"], MAX_ALIASES)
    return Reply(op, out)


def error_fields(error):
    """An exception as the worker describes it: type, message, line, function."""
    if type(error) is not dict or set(error) != {"type", "message", "line", "function"}:
        raise ProtocolError("a malformed error")
    line = error["line"]
    if line is not None and (type(line) is not int or not 1 <= line <= 10_000_000):
        raise ProtocolError("a malformed line number")
    function = error["function"]
    return {
        "type": _text(error["type"], MAX_NAME),
        "message": _text(error["message"], MAX_TEXT),
        "line": line,
        "function": None if function is None else _text(function, MAX_NAME),
    }


def _text(value, limit):
    if type(value) is not str:
        raise ProtocolError("a text field that is not a string")
    value = value[:limit].encode("utf-8", "replace").decode("utf-8")  # no lone surrogates
    return value if len(value) < limit else value[: limit - 1] + "…"


def _names(value, count, limit=MAX_NAME):
    if type(value) is not list or len(value) > count:
        raise ProtocolError("a malformed list of names")
    return [_text(v, limit) for v in value]


def _seconds(value):
    if type(value) not in (int, float) or not math.isfinite(value) or value < 0:
        raise ProtocolError("a malformed duration")
    return float(value)


def _count(value):
    if type(value) is not int or not 0 <= value < 2**63:
        raise ProtocolError("a malformed count")
    return value
