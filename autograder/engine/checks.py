"""Checks: one call of a student function and how its outcome is judged.

An assignment describes what it grades as ``Question``s, each a list of ``Check``s. The engine
runs each check's ``Call`` in the worker and hands the ``Outcome`` to the check's ``judge``,
which returns a ``Verdict``. ``expect`` makes the usual judge: validate what came back
(type, float64, exact shape, finite) against the expected value, compare it, make sure the
inputs were not modified, and on a failure name the known mistake it matches.
"""

import math
import zlib
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from . import wire
from .relations import relation, structure
from .runner import Call, Outcome


@dataclass
class Verdict:
    passed: bool
    message: str = ""  # for a failure: what went wrong, expected vs got
    mistake: str = ""  # key of a recognised mistake, if any
    data: dict = field(default_factory=dict)  # plain data for figures


@dataclass
class Check:
    """``name`` says what is checked, in words shown to the student (never the code).

    ``weight`` is the check's share of the question's points; a ``gate`` check carries no
    share of its own but the question scores 0 unless it passes.
    """

    name: str
    call: Call
    judge: Callable[[Outcome], Verdict]
    timeout: float = 2.0
    weight: float = 1.0
    gate: bool = False  # when it fails, the whole question scores 0 (e.g. "it really trains")
    # the questions whose functions this check runs with the student's own code (see
    # ``Question.uses``): when it fails and one of them fails too, the feedback names that one
    uses: tuple = ()


@dataclass
class Question:
    """``uses``: the questions whose functions this one runs with the student's own code end
    to end (e.g. ``train_xor`` runs their ``init_params``, ``sgd``, ...). When this question
    fails and one of those fails its own checks, the feedback says to fix that one first."""

    id: str
    title: str
    points: float
    slide: str
    checks: list
    uses: tuple = ()


# Hints for the mistake keys the engine itself reports; an assignment's own ``hints`` take
# precedence (they can speak of its slides).
ENGINE_HINTS = {
    "not_implemented": "This function still raises NotImplementedError: replace the `raise` "
    "line with your code.",
    "missing_function": "The function is missing or misspelled: the grader calls it by the "
    "exact name of the template.",
    "missing_file": "The grader found no file to grade: submit the template's file, with its "
    "name unchanged.",
    "modifies_input": "Functions must be pure: compute a new array instead of changing an "
    "argument in place.",
    "timeout": "Your code took too long: look for an infinite loop, or a loop over the data "
    "where one array operation would do.",
    "crashed": "The Python process running your code died: sys.exit(), os._exit(), or "
    "running out of memory.",
    "invalid": "What came back from your code could not be read as an answer: return plain "
    "NumPy arrays, numbers, lists and tuples, as the docstring says, and do not write to the "
    "grader's channel.",
    "exception": "Your function raised an exception on this input: the message names the line "
    "of your file.",
    "warning": "NumPy warned during the call (e.g. 'overflow encountered in exp').",
    "not_float64": "Return float64 values: a comparison gives booleans (z >= 0) and integer "
    "arithmetic gives integers; convert with .astype(np.float64) or write the constants as "
    "floats (np.where(z >= 0, 1.0, 0.0)).",
    "not_a_list": "Return a list, as the docstring says: [f(x) for x in xs] is a list, "
    "(f(x) for x in xs) is a generator and map(...) a map object, which the grader cannot read.",
    "relation_reshaped": "Your values are right but their shape is not: compare with the "
    "docstring's shape (a flattened array, a lost or an extra axis: np.squeeze, .ravel(), "
    "reshape, keepdims).",
    "relation_transposed": "Your result is the transpose of the expected one: check the order "
    "of a matrix product (A @ B against B @ A) and every .T against the shapes in the docstring.",
    "relation_sign": "Your result has the opposite sign: check the order of a difference "
    "(a − y against y − a) and every minus sign against the slide's formula.",
    "relation_factor": "Every value of yours is the expected one times the same number (see "
    "the message). When that number is N, 1/N, 2 or ½, a mean, a sum or a ½ is off; otherwise "
    "one factor of the formula is wrong as a whole (a derivative, a rate, a step) or misplaced "
    "by operator precedence (x / 2 * h is (x / 2) · h, not x / (2h)).",
    "relation_zero": "Your result is 0 everywhere: look for a product with an array of zeros, "
    "a result that is created but never filled in, an integer division, or a step so small "
    "that it vanishes in float64.",
    "relation_permuted": "Your values are the right ones in the wrong places: check the order "
    "of rows and columns (a transpose, reshape instead of .T, an axis), and the order in which "
    "values are drawn or written.",
    "relation_power": "Your result is the square or the square root of the expected one: a "
    "norm is the square root of a sum of squares, and x ** 2 squares what it follows.",
    "relation_offset": "Your result is off by the same constant everywhere: a term is added or "
    "dropped (a bias, a constant 1).",
    "relation_one_row": "Only one row of your result is wrong, the rest is right: look at the "
    "code that treats that row differently (the first or the last one, a loop bound, an index "
    "off by one, a row that holds biases).",
    "relation_one_column": "Only one column of your result is wrong, the rest is right: look at "
    "the code that treats that column differently (the first or the last one, a loop bound, an "
    "index off by one, a column of constant inputs).",
    "array_truth_value": "A Python `if` (or `and`/`or`) on an array asks whether the whole "
    "array is true, which NumPy refuses for more than one element: work entry by entry with "
    "np.where(condition, a, b) or a comparison (z >= 0).",
    "caret_is_xor": "In Python, `^` is bitwise XOR, not a power: write x ** 2 (or x * x) for x².",
    "aliases_input": "Functions must be pure and return new arrays: an array you return must "
    "not be an argument itself or a view of it (`np.array(x, copy=True)`, `x.copy()`), and two "
    "arrays you return must not be one and the same (`[w] * 2` repeats one array).",
}


# Text in an exception's message that names its cause, whatever the function.
ENGINE_ERROR_HINTS = {
    "truth value of an array": "array_truth_value",
    "bitwise_xor": "caret_is_xor",
}


# --- describing values ---


def show(value, limit=6):
    """A short text of a value for feedback: arrays are summarised, not dumped."""
    if isinstance(value, np.ndarray):
        if value.size <= limit:
            body = np.array2string(value, precision=6, separator=", ").replace("\n", "")
            return f"{body} (shape {value.shape})"
        first = np.array2string(value.ravel()[:3], precision=6, separator=", ")
        return f"array of shape {value.shape}, first values {first[:-1]}, ...]"
    if isinstance(value, (list, tuple)):
        opening, closing = ("[", "]") if isinstance(value, list) else ("(", ")")
        inner = ", ".join(show(v, limit) for v in value[:4])
        more = ", ..." if len(value) > 4 else ""
        return f"{opening}{inner}{more}{closing}"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.10g}"
    return repr(value)[:120]


def kind_of(value):
    if isinstance(value, wire.Bad):
        return value.what
    if isinstance(value, wire.FnRef):
        return "a function"
    if isinstance(value, np.ndarray):
        return f"a {value.dtype} array of shape {value.shape}"
    if value is None:
        return "None"
    return f"a {type(value).__name__}"


# --- validation and comparison ---


def _close(got, expected, rtol, atol):
    """``np.allclose(got, expected, rtol, atol)`` for a finite ``got``: |got − expected| ≤
    atol + rtol·|expected| everywhere (written out where ``expected`` is finite: the same
    test, without NumPy's general machinery, which costs more than it computes here)."""
    if type(got) is float:
        if math.isfinite(expected):
            return abs(got - expected) <= atol + rtol * abs(expected)
        return bool(np.isclose(got, expected, rtol=rtol, atol=atol))
    if expected.dtype.kind == "f" and np.isfinite(expected).all():
        return bool((np.abs(got - expected) <= atol + rtol * np.abs(expected)).all())
    return bool(np.allclose(got, expected, rtol=rtol, atol=atol))


def mismatch(expected, got, path="", rtol=1e-7, atol=1e-10, values=True, explain=True):
    """Why ``got`` does not match ``expected``, or "" when it does (without ``explain``, a
    short reason: no values printed, for a caller that only needs to know whether).

    ``expected`` is built by the trusted reference: an ndarray (float64), a float, an int,
    a bool, or a list/tuple of those. ``got`` is decoded worker data. The structure must
    match exactly: a float64 ndarray where one is expected, with the exact shape, finite.
    """
    where = f" at {path}" if path else ""
    if expected is None:  # only a known mistake's value holds None (e.g. a missing layer)
        return "" if got is None else f"expected None{where}, got {kind_of(got)}"
    if isinstance(expected, np.ndarray):
        if not isinstance(got, np.ndarray):
            return f"expected a float64 array of shape {expected.shape}{where}, got {kind_of(got)}"
        if got.dtype != expected.dtype:
            return f"expected dtype {expected.dtype}{where}, got {got.dtype}"
        if got.shape != expected.shape:
            return f"expected shape {expected.shape}{where}, got {got.shape}"
        if got.dtype.kind == "f" and not np.all(np.isfinite(got)):
            return f"got non-finite values (nan or inf){where}"
        if values and not _close(got, expected, rtol, atol):
            if not explain:
                return "wrong values"
            index = np.unravel_index(np.argmax(np.abs(got - expected)), got.shape)
            at = f"{path}[{', '.join(map(str, index))}]"
            return (
                f"wrong values: at {at} expected {expected[index]:.10g}, got {got[index]:.10g}"
                f"; expected {show(expected)}, got {show(got)}"
            )
        return ""
    if isinstance(expected, (list, tuple)):
        if not isinstance(got, (list, tuple)):
            return f"expected a list of {len(expected)} items{where}, got {kind_of(got)}"
        if len(got) != len(expected):
            return f"expected {len(expected)} items{where}, got {len(got)}"
        for i, (e, g) in enumerate(zip(expected, got)):
            problem = mismatch(e, g, f"{path}[{i}]", rtol, atol, values, explain)
            if problem:
                return problem
        return ""
    if isinstance(expected, bool):
        return "" if got is expected else f"expected {expected}{where}, got {show(got)}"
    if isinstance(expected, (float, int)):
        ok_type = type(got) in (float, int) or isinstance(got, (np.floating, np.integer))
        if not ok_type:
            return f"expected a number{where}, got {kind_of(got)}"
        if not np.isfinite(got):
            return f"got a non-finite number ({got}){where}"
        if values and not _close(float(got), float(expected), rtol, atol):
            return f"expected {expected:.10g}{where}, got {float(got):.10g}"
        return ""
    raise TypeError(f"cannot compare with an expected {type(expected).__name__}")


def modified_inputs(sent, after):
    """Names (positions) of array arguments that came back different from what was sent."""
    changed = []

    def walk(a, b, path):
        if isinstance(a, np.ndarray):
            if not (isinstance(b, np.ndarray) and a.shape == b.shape and np.array_equal(a, b)):
                changed.append(path)
        elif isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b)):
                walk(x, y, f"{path}[{i}]")

    for i, (a, b) in enumerate(zip(sent, after or [])):
        walk(a, b, f"argument {i + 1}")
    return changed


def failure_of(outcome, fn):
    """The verdict for an outcome that is not a normal return, or None when it is one."""
    if outcome.kind == "ok":
        return None
    if outcome.kind == "missing":
        return Verdict(False, f"`{fn}` is not defined in your file", "missing_function")
    if outcome.kind == "error":
        error = outcome.error or {}
        kind, text = error.get("type", "Exception"), error.get("message", "")
        line = f" (line {error['line']})" if error.get("line") else ""
        if kind == "NotImplementedError":
            return Verdict(False, f"`{fn}` is not implemented yet", "not_implemented")
        if outcome.detail == "import":
            line = "" if f"line {error.get('line')}" in text else line
            return Verdict(False, f"your file could not be imported: {kind}: {text}{line}")
        return Verdict(False, f"`{fn}` raised {kind}: {text}{line}", "exception")
    if outcome.kind == "timeout":
        return Verdict(False, f"`{fn}` did not finish in time ({outcome.detail})", "timeout")
    if outcome.kind == "not_run":
        return Verdict(False, outcome.detail or "not run: the submission's time budget ran out")
    if outcome.kind == "invalid":
        return Verdict(False, f"the call to `{fn}` failed: {outcome.detail}", "invalid")
    return Verdict(False, f"the call to `{fn}` failed: {outcome.detail}", "crashed")


def expect(
    expected,
    fn,
    mistakes=None,
    rtol=1e-7,
    atol=1e-10,
    sent=(),
    no_warnings=False,
    data=None,
    error_hints=None,
):
    """A judge comparing a call's return value with ``expected``.

    Parameters
    ----------
    expected : value computed by the reference
    fn : str, the student function's name (for messages)
    mistakes : dict of key -> value (or predicate), or a function returning one, optional
        What the output would be under each known mistake; a failing output close to one
        of these gets that mistake's key (and so its hint). A function is only called when
        the check fails, so costly mistakes cost nothing for correct submissions.
    sent : tuple
        The arguments as sent, to detect functions that modify their inputs.
    no_warnings : bool
        Fail when the call emitted a warning (e.g. overflow in exp).
    data : callable, optional
        ``data(value) -> dict`` of plain data kept for figures when the call returned.
    error_hints : dict of str -> str, optional
        Mistake keys for exceptions whose message contains the given text (e.g. a
        broadcasting error that betrays a shape mistake).
    """

    def judge(outcome):
        failed = failure_of(outcome, fn)
        if failed:
            if outcome.kind == "error" and failed.mistake == "exception":
                text = str((outcome.error or {}).get("message", ""))
                known = ENGINE_ERROR_HINTS | (error_hints or {})
                hinted = (k for s, k in known.items() if s in text)
                failed.mistake = next(hinted, failed.mistake)
            return failed
        value = outcome.value
        extra = data(value) if data else {}
        problem = mismatch(expected, value, rtol=rtol, atol=atol, explain=not QUICK["on"])
        if problem and QUICK["on"]:
            return Verdict(False, problem)
        if problem:
            key = match_mistake(value, mistakes, rtol, atol)
            if not key:
                found = relation(expected, value, rtol, atol) or structure(expected, value)
                if found:
                    key, what = found
                    problem = f"{problem} ({what})"
            return Verdict(False, problem, key, extra)
        changed = modified_inputs(sent, outcome.args_after)
        if changed:
            message = f"`{fn}` modified its input ({', '.join(changed)}); return a new array"
            return Verdict(False, message, "modifies_input", extra)
        shared = aliasing(outcome, fn)
        if shared:
            shared.data = extra
            return shared
        if no_warnings and outcome.warnings:
            return Verdict(False, f"`{fn}` warned: {outcome.warnings[0]}", "warning", extra)
        return Verdict(True, data=extra)

    return judge


def aliasing(outcome, fn):
    """A failing verdict when a returned array shares memory with an argument or with
    another returned array (the worker sees it; values reach the grader as copies)."""
    if not outcome.aliases:
        return None
    where = outcome.aliases[0]
    if where.split(" is ")[-1].startswith("argument"):
        what = "an array that is its input itself (or a view of it)"
    else:
        what = "the same array twice"
    return Verdict(False, f"`{fn}` returned {what}: {where}", "aliases_input")


# Set while a verdict is only needed for whether it passes (grade.run_check's first try with
# the student's own helpers, whose failing verdict is thrown away): no diagnosis is searched.
QUICK = {"on": False}


@contextmanager
def verdict_only():
    QUICK["on"] = True
    try:
        yield
    finally:
        QUICK["on"] = False


def match_mistake(value, mistakes, rtol=1e-7, atol=1e-10):
    """The first key of ``mistakes`` whose wrong value (or predicate) matches ``value``, else
    "". ``mistakes``: a dict, or a callable returning a dict or an iterable of ``(key,
    wrong)`` pairs (computed one at a time: the search stops at the first match)."""
    if callable(mistakes):
        mistakes = mistakes()
    pairs = (mistakes or {}).items() if isinstance(mistakes, dict | None) else mistakes
    for key, wrong in pairs:
        if callable(wrong):
            try:
                if wrong(value):
                    return key
            except Exception:  # noqa: BLE001 - a predicate that does not apply to this value
                pass
            continue
        try:
            if not mismatch(wrong, value, rtol=rtol, atol=atol, explain=False):
                return key
        except (TypeError, ValueError):
            continue
    return ""


def value_check(name, fn, args, expected, kwargs=None, proxies=(), **options):
    """A check of ``fn(*args, **kwargs)`` against the reference's ``expected`` value.

    ``name`` says in words what is checked; ``proxies`` names the contract helpers the call
    may use, served by the grader; ``timeout`` (s, default 2) and ``weight`` (default 1) are
    the check's, ``answers`` the call's (``runner.Call``); every other option goes to
    ``expect`` (``mistakes``, ``rtol``, ...).
    """
    timeout = options.pop("timeout", 2.0)
    weight = options.pop("weight", 1.0)
    answers = options.pop("answers", ())
    args = tuple(args)
    judge = expect(expected, fn, sent=args, **options)
    call = Call(fn, args, kwargs or {}, tuple(proxies), answers=tuple(answers))
    return Check(name, call, judge, timeout, weight)


def question_rng(seed, qid):
    """The random inputs of one question: a stream of its own for each question id, so that
    a check added to one question changes no other question's inputs."""
    return np.random.default_rng([seed, zlib.crc32(qid.encode("utf-8"))])
