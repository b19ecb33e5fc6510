"""How a wrong answer relates to the right one, when no known mistake matches.

A value that is the expected one reshaped, transposed, negated, zero, permuted, its square
(root), scaled or shifted by a constant, or wrong in one row or one column only, says a lot
about the cause, whatever the assignment. ``relation(expected, got)`` finds the first such
relation (plain evidence, never a guess) and returns ``(key, what)``: a mistake key of the
engine's (``relation_*``, with a hint in ``ENGINE_HINTS``) and a short description for the
message, e.g.
``("relation_factor", "every value is 4 times the expected one")``.

Everything here runs on decoded worker data: arrays larger than ``MAX_SIZE`` are not
examined, and no computation is more than linear in their size.
"""

import numpy as np

MAX_SIZE = 1_000_000


def _close(a, b, rtol, atol):
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def _first_pair(expected, got):
    """The first pair of arrays or numbers that differ, walking lists and tuples together."""
    if isinstance(expected, (list, tuple)) and isinstance(got, (list, tuple)):
        if len(expected) != len(got):
            return None
        for e, g in zip(expected, got):
            found = _first_pair(e, g)
            if found is not None:
                return found
        return None
    if isinstance(expected, bool) or isinstance(got, bool):
        return None
    if isinstance(expected, (float, int)) and isinstance(got, (float, int, np.floating)):
        e, g = np.array(float(expected)), np.array(float(got))
        return None if np.isclose(e, g, rtol=1e-7, atol=1e-10) else (e, g)
    if isinstance(expected, np.ndarray) and isinstance(got, np.ndarray):
        if expected.dtype.kind != "f" or got.dtype.kind not in "fiu":
            return None
        if got.size > MAX_SIZE or expected.size > MAX_SIZE:
            return None
        if got.shape == expected.shape and np.allclose(got, expected, rtol=1e-7, atol=1e-10):
            return None
        return expected, got.astype(np.float64)
    return None


def _constant(values, rtol):
    """The common value of ``values`` (1-D, non-empty) if they all agree, else None."""
    # np.median's own way (the mean of the middle one or two), without its NaN check, which
    # imports numpy.ma: 60 ms of CPU once per grading process
    ordered, n = np.sort(values), len(values)
    centre = float(np.mean(ordered[(n - 1) // 2 : n // 2 + 1]))
    if np.allclose(values, centre, rtol=rtol, atol=1e-9 * max(1.0, abs(centre))):
        return centre
    return None


def _one_line_differs(e, g, rtol, atol):
    """("row", i) or ("column", j) when exactly one row or column of a 2-D array differs."""
    if e.ndim != 2 or e.shape != g.shape or min(e.shape) < 2:
        return None
    bad = ~np.isclose(g, e, rtol=rtol, atol=atol)
    rows, columns = np.flatnonzero(bad.any(axis=1)), np.flatnonzero(bad.any(axis=0))
    if len(rows) == 1 and e.shape[0] > 2:
        return "row", int(rows[0])
    if len(columns) == 1 and e.shape[1] > 2:
        return "column", int(columns[0])
    return None


def structure(expected, got):
    """``(key, what)`` when the type is what is wrong: booleans or integers where float64
    is expected (same shape), or something that is not a list where a list is expected."""
    if isinstance(expected, (list, tuple)):
        if not isinstance(got, (list, tuple, np.ndarray)):
            return "not_a_list", f"a list of {len(expected)} items was expected"
        if isinstance(got, np.ndarray) or len(got) != len(expected):
            return None
        for e, g in zip(expected, got):
            found = structure(e, g)
            if found:
                return found
        return None
    if isinstance(expected, np.ndarray) and isinstance(got, np.ndarray):
        if expected.dtype.kind == "f" and got.dtype.kind in "biu" and got.shape == expected.shape:
            return "not_float64", f"{got.dtype} values where float64 ones were expected"
    return None


def relation(expected, got, rtol=1e-7, atol=1e-10):
    """``(key, what)`` for the first relation between ``got`` and ``expected``, or None."""
    pair = _first_pair(expected, got)
    if pair is None:
        return None
    e, g = pair
    if not (np.all(np.isfinite(e)) and np.all(np.isfinite(g))):
        return None
    if e.shape != g.shape:
        if g.size == e.size and _close(g.reshape(e.shape), e, rtol, atol):
            return "relation_reshaped", f"the right values in shape {g.shape}, not {e.shape}"
        if e.ndim == 2 and g.shape == e.T.shape and _close(g, e.T, rtol, atol):
            return "relation_transposed", f"the transpose of the expected {e.shape} array"
        return None
    scale = float(np.max(np.abs(e))) if e.size else 0.0
    if scale == 0.0:
        return None
    if e.ndim == 2 and e.shape[0] == e.shape[1] and _close(g, e.T, rtol, atol):
        return "relation_transposed", "the transpose of the expected array"
    if _close(g, -e, rtol, atol):
        return "relation_sign", "every value is the expected one with the opposite sign"
    if not np.any(g):
        return "relation_zero", "every value is 0"
    if e.size > 2 and _close(np.sort(g, axis=None), np.sort(e, axis=None), rtol, atol):
        return "relation_permuted", "the expected values, in other places"
    if np.all(e >= 0) and _close(g, np.sqrt(e), rtol, atol):
        return "relation_power", "every value is the square root of the expected one"
    if _close(g, e * e, rtol, atol):
        return "relation_power", "every value is the square of the expected one"
    big = np.abs(e) > 1e-6 * scale
    if np.all(np.abs(g[~big]) <= 1e-6 * max(scale, float(np.max(np.abs(g))))):
        factor = _constant((g[big] / e[big]).ravel(), rtol=1e-6)
        # one number is always a multiple of another: a single value is no evidence
        telling = int(big.sum()) >= 2
        if factor is not None and telling and not np.isclose(factor, 1.0) and factor != 0.0:
            return "relation_factor", f"every value is {factor:.6g} times the expected one"
    if e.size > 1:
        offset = _constant((g - e).ravel(), rtol=1e-6)
        if offset is not None and abs(offset) > 1e-9 * scale:
            return "relation_offset", f"every value is the expected one {offset:+.6g}"
    line = _one_line_differs(e, g, rtol, atol)
    if line is not None:
        kind, index = line
        return f"relation_one_{kind}", f"only {kind} {index} differs, the others are right"
    return None
