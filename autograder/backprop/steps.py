"""Hidden checks of the single steps: activations, losses, numerical derivatives."""

import numpy as np

from ..engine.wire import FnRef
from .common import GRADER_ONLY, PAIRS, SCALAR_FUNCTIONS, check, recording
from .reference import ref

# --- activations ---


def activation_checks(rng, name):
    prime = PAIRS.get(name)
    z_small = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    z = rng.normal(0.0, 3.0, size=(4, 3))
    z[rng.integers(0, 4), rng.integers(0, 3)] = 0.0  # an exact 0 among random values
    out = []
    for fn, zz in [(name, z_small), (name, z)] + ([(prime, z_small), (prime, z)] if prime else []):
        mistakes = {}
        if fn == "identity_prime":
            mistakes = {"prime_not_array": lambda got: not isinstance(got, np.ndarray)}
        desc = f"{fn} on an array of shape {zz.shape}"
        out.append(check(desc, fn, (zz,), getattr(ref, fn)(zz), mistakes=mistakes))
    if name == "step":
        zeros = np.zeros((2, 3))
        out.insert(
            0,
            check(
                "step(0) is 1",
                "step",
                (zeros,),
                np.ones((2, 3)),
            ),
        )
    saturated = np.array([[-1000.0, -710.5, 0.0, 710.5, 1000.0]])
    if name != "sigmoid":  # e^710 overflows: an activation built from exp gives inf/inf = nan
        for fn in [name] + ([prime] if prime else []):
            out.append(
                check(
                    f"{fn} on saturated inputs ±710.5, ±1000 (finite, no overflow warning)",
                    fn,
                    (saturated,),
                    getattr(ref, fn)(saturated),
                    no_warnings=True,
                    warning_key="saturation_overflow",
                    mistakes={"saturation_overflow": lambda got: not np.all(np.isfinite(got))},
                )
            )
    if name == "sigmoid":
        big = np.array([[-1000.0, -60.0, 0.0, 60.0, 1000.0]])
        for fn in ("sigmoid", "sigmoid_prime"):
            out.append(
                check(
                    f"{fn} on saturated inputs ±60, ±1000 (no overflow warning)",
                    fn,
                    (big,),
                    getattr(ref, fn)(big),
                    no_warnings=True,
                    warning_key="sigmoid_overflow",
                    mistakes={"sigmoid_overflow": lambda got: not np.all(np.isfinite(got))},
                )
            )
    return out


# --- losses ---


def loss_checks(rng, name):
    """Batches of several instances, predictions of exactly 0 and 1, then a single instance
    (N = 1): a loss wrong only there lost the batch axis (``np.squeeze``, ``.ravel()``)."""
    out = []
    sizes = [(3, 1), (6, 3)] if name != "binary_cross_entropy" else [(3, 1), (7, 1)]
    sizes += [(1, 1), (1, 3)] if name != "binary_cross_entropy" else [(1, 1)]
    passed = {}  # the judges of the batches record here; the N = 1 ones read it
    for n, c in sizes:
        if name == "mse":
            y, y_hat = rng.normal(size=(n, c)), rng.normal(size=(n, c))
        elif name == "binary_cross_entropy":
            y = rng.integers(0, 2, size=(n, c)).astype(np.float64)
            y_hat = rng.uniform(0.05, 0.95, size=(n, c))
        else:
            c = max(c, 3)
            y = np.eye(c)[rng.integers(0, c, size=n)]
            y_hat = rng.dirichlet(np.ones(c), size=n)
        out.append(loss_check(name, y, y_hat, passed=passed))
    if name != "mse":  # predictions of exactly 0 and 1: clipping keeps the loss finite
        if name == "binary_cross_entropy":
            y, y_hat = (
                np.array([[1.0], [0.0], [1.0], [0.0]]),
                np.array([[0.0], [1.0], [1.0], [0.0]]),
            )
        else:
            y, y_hat = np.eye(3), np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
        out.insert(2, loss_check(name, y, y_hat, "with predictions of exactly 0 and 1"))
    return out


def loss_check(name, y, y_hat, extra="", passed=None):
    expected = getattr(ref, name)(y, y_hat)
    n, c = y.shape
    mistakes = {}
    if name != "mse":
        mistakes["no_clipping"] = lambda got: not np.isfinite(got)
    if n == 1 and passed is not None:
        # right on every batch, wrong on one instance: the evidence of a lost batch axis
        evidence = {"single_instance": lambda got: bool(passed) and all(passed.values())}
        mistakes = evidence | mistakes
    desc = f"{name} with N={n}, C={c}" + (f" {extra}" if extra else "")
    made = check(desc, name, (y, y_hat), expected, mistakes=mistakes)
    if n > 1 and passed is not None:
        made.judge = recording(made.judge, passed, desc)
    return made


# --- numerical derivatives ---


def derivative_checks(rng):
    out = []
    # with h = 0.1 the central difference of a cubic is off by exactly h² = 0.01 (f''' = 6):
    # a fixed h instead of the given one shows at every x
    for fname, h in [("sin_of_square", None), ("cubic", None), ("cubic", 0.1)]:
        f, x = SCALAR_FUNCTIONS[fname], float(rng.uniform(-2.0, 2.0))
        step = 1e-5 if h is None else h
        expected = ref.numerical_derivative(f, x, step)
        kwargs = {} if h is None else {"h": h}
        desc = f"numerical_derivative of {fname} at x = {x:.4f}" + (f", h = {h:g}" if h else "")
        out.append(
            check(
                desc,
                "numerical_derivative",
                (FnRef(fname), x),
                expected,
                kwargs,
                rtol=1e-7,
            )
        )
    return out


def rows_constant(got, expected):
    """Each row of ``got`` holds one number where the expected rows do not: a loop over
    ``len(theta)`` moved whole rows."""
    if not (isinstance(got, np.ndarray) and got.shape == expected.shape and got.ndim == 2):
        return False
    if got.shape[0] < 2 or got.shape[1] < 2 or np.allclose(got, got.flat[0]):
        return False  # one row, or one number everywhere: that is moving every entry at once
    flat = np.allclose(got, got[:, :1])
    return bool(flat and not np.allclose(expected, expected[:, :1]))


def _noting(f, asked):
    """``f``, noting in ``asked`` each argument (a copy) with the value ``f`` returned."""

    def noted(theta):
        value = f(theta)
        asked.append((np.array(theta, copy=True), value))
        return value

    return noted


def gradient_checks(rng):
    """Separable functions, functions whose coordinates interact (the loss of a small
    network among them), a given ``h``, and integer θ (perturbed in an integer copy, θ_k + h
    is θ_k again)."""
    out, passed = [], {}  # the float θ checks record here; the integer one reads it
    for fname, theta, h in [
        ("sum_of_squares", rng.normal(size=(2, 3)), None),
        ("sum_of_sines", rng.normal(size=(4, 3)), None),
        ("sum_of_sines", rng.normal(size=(3, 2)), 0.1),
        ("coupled", rng.normal(size=(2, 3)), None),
        ("xor_network_loss", rng.normal(size=9), None),
        ("coupled", rng.integers(-3, 4, size=(3, 2)), None),
    ]:
        f, shape = SCALAR_FUNCTIONS[fname], theta.shape
        step = 1e-5 if h is None else h
        asked = []  # f(θ ± h e_k), each θ ± h e_k as the reference (and a student) makes it
        expected = ref.numerical_gradient(_noting(f, asked), theta, step)
        answers = tuple((fname, (t,), v) for t, v in asked) if fname in GRADER_ONLY else ()
        mistakes = {"gradient_by_rows": lambda got, e=expected: rows_constant(got, e)}
        if theta.dtype.kind == "i":
            # θ_k ± h truncated in an integer copy: integers back, or a gradient of zeros, where
            # every float θ gave the right gradient (else zeros have another cause)
            mistakes["integer_copy"] = lambda got: (
                bool(passed)
                and all(passed.values())
                and (np.asarray(got).dtype.kind in "iu" or (np.size(got) > 0 and not np.any(got)))
            )
        kwargs = {} if h is None else {"h": h}
        kind = "an integer" if theta.dtype.kind == "i" else "a"
        desc = f"numerical_gradient of {fname} at {kind} {shape} array" + (
            f", h = {h:g}" if h else ""
        )
        made = check(
            desc,
            "numerical_gradient",
            (FnRef(fname), theta),
            expected,
            kwargs,
            rtol=1e-6,
            atol=1e-8,
            mistakes=mistakes,
            answers=answers,
        )
        if theta.dtype.kind != "i":
            made.judge = recording(made.judge, passed, desc)
        out.append(made)
    return out
