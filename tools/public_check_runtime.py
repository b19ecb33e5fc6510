"""What a public check does with one case: call, compare, explain in one line.

Everything below the ``INLINE`` marker is copied verbatim into every generated test file in
``assignment/<name>/tests/`` (otter treats every ``.py`` file there as a test file, so a shared
helper module cannot live beside them). Above the marker: imports, so that this module can also
be imported: ``check_case(case, env, functions, filename)`` with a case as embedded by
``tools.make_public_checks`` (a case of ``public_cases.py`` plus ``expected``, ``rtol``,
``atol``, for ``classifies_xor`` ``xor_x``/``xor_y``, and optionally ``mistakes``: the
values known mistakes give on the case's inputs, each with its hint), ``env`` a mapping of
contract names to the functions under test, ``functions`` the public cases' small functions
(``{"f": name}``) and ``filename`` the student's file, for messages.
"""

import signal
import threading
import time
import warnings

import numpy as np

# --- INLINE: copied into every test file from here on ---


class CheckFailed(AssertionError):
    """A failed check; its message is one line telling what was expected and what came back."""


def _one_line(text):
    return " ".join(str(text).split())


def _show(value):
    """A short one-line picture of a value for messages."""
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return f"{float(value):.10g}"
        text = np.array2string(
            value, precision=8, separator=", ", threshold=24, edgeitems=3, max_line_width=10**6
        )
        return _one_line(text)
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.10g}"
    if value is None:
        return "None"
    return _one_line(repr(value))[:200]


def _kind(value):
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"a {value.dtype} ndarray of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    return f"a {type(value).__name__} ({_show(value)})"


def _fail(case, where, message):
    prefix = f"{case['description']}: " + (f"{where} " if where else "")
    raise CheckFailed(_one_line(prefix + message))


def _not_implemented(name, error):
    text = _one_line(error)
    stub = text.split(":", 1)[0] if text else name
    if stub == name or not text:
        return f"{name} is not implemented yet (NotImplementedError: {text})"
    return f"{name} uses {stub}, which is not implemented yet (NotImplementedError: {text})"


def _compare(expected, got, where, case):
    """Compare ``got`` with the encoded ``expected``; raise ``CheckFailed`` on a difference."""
    if isinstance(expected, dict) and "tuple" in expected:
        items, names = expected["tuple"], case["returns"]
        if not isinstance(got, (tuple, list)) or len(got) != len(items):
            _fail(case, where, f"expected a tuple ({', '.join(names)}), got {_kind(got)}")
        for name, item, value in zip(names, items, got):
            _compare(item, value, name, case)
    elif isinstance(expected, list):
        if not isinstance(got, (list, tuple)):
            _fail(case, where, f"expected a list of {len(expected)} items, got {_kind(got)}")
        if len(got) != len(expected):
            _fail(case, where, f"expected a list of length {len(expected)}, got {len(got)}")
        for index, (item, value) in enumerate(zip(expected, got)):
            _compare(item, value, f"{where}[{index}]", case)
    elif isinstance(expected, dict):  # {"array": values} or {"shape": shape} or {"scalar": 0}
        if "scalar" in expected:
            _a_number(got, where, case)
            return
        want = np.array(expected["array"]) if "array" in expected else None
        shape = tuple(expected["shape"]) if want is None else want.shape
        if not isinstance(got, np.ndarray):  # as the grader: a list is not an array
            _fail(
                case,
                where,
                f"expected a float64 NumPy array of shape {shape}, got {_kind(got)} "
                "(the grader checks the type: return np.array(...))",
            )
        if got.dtype != np.float64:
            _fail(
                case,
                where,
                f"expected float64 values, got {got.dtype} ones: convert with "
                ".astype(np.float64) (the grader checks the type too)",
            )
        try:
            array = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError):
            _fail(case, where, f"expected an array of shape {shape}, got {_kind(got)}")
        if array.shape != shape:
            _fail(case, where, f"expected shape {shape}, got {array.shape}")
        if not np.all(np.isfinite(array)):
            _fail(case, where, "got non-finite values (nan or inf)")
        if want is not None and not np.allclose(
            array, want, rtol=case["rtol"], atol=case["atol"], equal_nan=False
        ):
            _fail(case, where, f"expected {_show(want)}, got {_show(array)}")
    elif isinstance(expected, bool):
        if not isinstance(got, (bool, np.bool_)):
            _fail(case, where, f"expected {expected} (a bool), got {_kind(got)}")
        if bool(got) != expected:
            _fail(case, where, f"expected {expected}, got {bool(got)}")
    else:  # a number
        _a_number(got, where, case, f" {expected:.10g}")
        value = float(got)
        if not np.isclose(value, expected, rtol=case["rtol"], atol=case["atol"]):
            _fail(case, where, f"expected {expected:.10g}, got {value:.10g}")


def _a_number(got, where, case, which=""):
    """Fail unless ``got`` is a finite number as the grader takes one: a Python int or float or
    a NumPy scalar (np.float64); not a bool, not an array, even of shape ()."""
    number = type(got) in (int, float) or isinstance(got, (np.floating, np.integer))
    if not number:
        more = (
            ": use float(...) or .item()" if isinstance(got, np.ndarray) and got.ndim == 0 else ""
        )
        _fail(case, where, f"expected a single number{which}, got {_kind(got)}{more}")
    if not np.isfinite(got):
        _fail(case, where, f"got a non-finite number ({got})")


def _copies(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):
        return [_copies(item) for item in value]
    return None


def _modified(before, after):
    """The path of the first array in ``after`` that differs from its copy ``before``."""
    if isinstance(before, np.ndarray):
        same = isinstance(after, np.ndarray) and after.shape == before.shape
        return None if same and np.array_equal(after, before) else ""
    if isinstance(before, list):
        if not isinstance(after, list) or len(after) != len(before):
            return ""
        for index, (item, value) in enumerate(zip(before, after)):
            found = _modified(item, value)
            if found is not None:
                return f"[{index}]{found}"
    return None


def resolve(value, env, functions):
    """A case argument (plain data, see ``public_cases.py``) as a Python value: ``env`` maps
    contract names to the functions under test, ``functions`` the small functions by name."""
    if isinstance(value, dict):
        if "array" in value:
            return np.array(value["array"], dtype=np.float64)
        if "fn" in value:
            return env[value["fn"]]
        if "rng" in value:
            return np.random.default_rng(value["rng"])
        if "f" in value:
            return functions[value["f"]]
        raise ValueError(f"unknown argument marker: {sorted(value)}")
    if isinstance(value, list):
        return [resolve(item, env, functions) for item in value]
    return value


TIME_LIMIT = 10.0  # seconds a case may run (more for a case with a larger max_seconds)


class _TimeUp(BaseException):
    """Raised into the student's code when a case runs out of time (not an Exception, so that
    their own ``except Exception`` cannot swallow it)."""


class _time_limit:  # noqa: N801 - used as a context manager, like a function
    """Stop the call after ``seconds`` with SIGALRM, where there is one and this is the main
    thread (the notebook's kernel, ``otter check``); elsewhere no limit (``check.py`` runs
    each check in a child process it stops itself). The alarm comes again every half second:
    code that swallows one (a bare ``except:``) meets the next wherever it is then. A loop
    that spends all its time inside such a ``try`` cannot be stopped from inside the process;
    ``check.py`` stops it."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.armed = hasattr(signal, "setitimer") and (
            threading.current_thread() is threading.main_thread()
        )

    def __enter__(self):
        if self.armed:
            self.previous = signal.signal(signal.SIGALRM, self._stop)
            signal.setitimer(signal.ITIMER_REAL, self.seconds, 0.5)
        return self

    def __exit__(self, *exc):
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
        return False

    @staticmethod
    def _stop(signum, frame):
        raise _TimeUp


def check_case(case, env, functions, filename):
    """Run one case against the contract functions of ``env``; one-line failures."""
    name = case["function"]
    missing = [key for key, value in env.items() if value is None]
    if missing:
        raise CheckFailed(f"{', '.join(missing)} is not defined in {filename}")
    function = env[name]
    args = [resolve(value, env, functions) for value in case["args"].values()]
    before = [_copies(value) for value in args]
    call = f"{name}({', '.join(case['args'])})"
    said = "" if case["description"].startswith(f"{name}(") else f"{call} "
    limit = max(TIME_LIMIT, 1.5 * case.get("max_seconds", 0))
    try:
        with warnings.catch_warnings(), _time_limit(limit):
            if case.get("no_warnings"):
                warnings.simplefilter("error", RuntimeWarning)
            start = time.perf_counter()
            result = function(*args)
            seconds = time.perf_counter() - start
    except _TimeUp:
        _fail(case, "", f"{said}did not finish in {limit:g} s (an endless loop?)")
    except NotImplementedError as error:
        raise CheckFailed(_not_implemented(name, error)) from None
    except Exception as error:
        _fail(case, "", f"{said}raised {type(error).__name__}: {_one_line(error)}")
    for arg, old, new in zip(case["args"], before, args):
        where = _modified(old, new)
        if where is not None:
            _fail(case, "", f"{said}modified its argument {arg}{where}; work on a copy")
    if "max_seconds" in case and seconds > case["max_seconds"]:
        _fail(case, "", f"took {seconds:.1f} s, more than the {case['max_seconds']} s allowed")
    if case.get("returns_new") and args and np.shares_memory(result, args[0]):
        _fail(case, "", "returned its input array itself; return a new array")
    if case["check"] == "classifies_xor":
        _check_xor(case, env, result, limit)
    else:
        try:
            _compare(case["expected"], result, case.get("returns", ""), case)
        except CheckFailed as failure:
            raise CheckFailed(f"{failure} {_known_mistake(case, result)}".rstrip()) from None


def _known_mistake(case, result):
    """The hint of the known mistake whose value (on this case's public inputs) ``result``
    is, from the grader's mistake library: "Hint: ...", or "" when none matches."""
    for mistake in case.get("mistakes", []):
        try:
            _compare(mistake["value"], result, "", case)
        except CheckFailed:
            continue
        return f"Hint: {mistake['hint']}"
    return ""


def _check_xor(case, env, thetas, limit=TIME_LIMIT):
    """``thetas`` is a list of 2-D float64 arrays (as the grader asks) and
    ``predict(thetas, XOR_X, g) > 0.5`` equals ``XOR_Y == 1``."""
    if not isinstance(thetas, (list, tuple)) or not thetas:
        _fail(case, "", f"expected a list of weight matrices, got {_kind(thetas)}")
    for index, theta in enumerate(thetas):
        if not (isinstance(theta, np.ndarray) and theta.ndim == 2 and theta.dtype == np.float64):
            _fail(case, f"thetas[{index}]", f"expected a 2-D float64 array, got {_kind(theta)}")
    activation = case.get("activation")
    extra = [env[activation]] if activation else []
    inputs, targets = np.array(case["xor_x"]), np.array(case["xor_y"])
    try:
        with _time_limit(limit):
            out = env["predict"](thetas, inputs, *extra)
    except _TimeUp:
        _fail(case, "", f"predict did not finish in {limit:g} s (an endless loop?)")
    except NotImplementedError as error:
        raise CheckFailed(_not_implemented("predict", error)) from None
    except Exception as error:
        _fail(case, "", f"predict raised {type(error).__name__}: {_one_line(error)}")
    out = np.asarray(out, dtype=np.float64)
    if out.shape != targets.shape:
        _fail(case, "predict(thetas, XOR_X)", f"expected shape {targets.shape}, got {out.shape}")
    if not np.array_equal(out > 0.5, targets == 1):
        _fail(
            case,
            "",
            f"expected outputs > 0.5 exactly for XOR = {_show(targets.ravel())},"
            f" got outputs {_show(out.ravel())}",
        )
