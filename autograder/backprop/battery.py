"""The hidden battery: for every question, the checks run on one submission.

Inputs come from ``np.random.default_rng(seed)`` with a seed derived from the submission id
and the course secret, so they differ between students and never change for one student.
Within a question, checks go from the smallest input to the largest, so the first failure
shown is the smallest failing input. Expected values come from the reference only.
"""

import importlib.util
import inspect
from pathlib import Path

import numpy as np

from ..engine.checks import (
    Check,
    Question,
    Verdict,
    expect,
    failure_of,
    mismatch,
    modified_inputs,
)
from ..engine.runner import Call
from ..engine.wire import FnRef, RngRef
from . import mutants
from .questions import TABLE
from .reference import ref

PAIRS = {"sigmoid": "sigmoid_prime", "tanh": "tanh_prime", "identity": "identity_prime"}


def sin_of_square(x):
    """The chain-rule slide's z = sin(x²)."""
    return float(np.sin(x * x))


def cubic(x):
    return float(x**3 - 2.0 * x)


def sum_of_sines(theta):
    return float(np.sum(np.sin(theta) * np.arange(1, theta.size + 1).reshape(theta.shape)))


def sum_of_squares(theta):
    return float(np.sum(theta * theta))


SCALAR_FUNCTIONS = {
    "sin_of_square": sin_of_square,
    "cubic": cubic,
    "sum_of_sines": sum_of_sines,
    "sum_of_squares": sum_of_squares,
}

CONTRACT = [
    "step",
    "sigmoid",
    "sigmoid_prime",
    "tanh",
    "tanh_prime",
    "identity",
    "identity_prime",
    "mse",
    "forward",
    "predict",
    "delta_output",
    "delta_hidden",
    "weight_gradient",
    "backprop",
    "update",
]


def _load_public_cases():
    """``assignment/public_cases.py`` (plain data), loaded by path like the reference."""
    path = Path(__file__).resolve().parents[2] / "assignment" / "public_cases.py"
    spec = importlib.util.spec_from_file_location("backprop_public_cases", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PUBLIC = _load_public_cases()
# The public cases' small functions ({"f": name}) are served under their own names too.
PUBLIC_FUNCTIONS = {k: v for k, v in PUBLIC.FUNCTIONS.items() if k not in SCALAR_FUNCTIONS}

# What the grader may compute for a worker (only the ones a call names are ever served).
FUNCTIONS = {name: getattr(ref, name) for name in CONTRACT} | SCALAR_FUNCTIONS | PUBLIC_FUNCTIONS


def check(name, fn, args, expected, kwargs=None, proxies=(), **options):
    """A value check of ``fn(*args, **kwargs)`` against ``expected``."""
    timeout = options.pop("timeout", 2.0)
    weight = options.pop("weight", 1.0)
    warning_key = options.pop("warning_key", "")
    judge = expect(expected, fn, sent=args, **options)
    if warning_key:
        judge = warning_means(warning_key, judge)
    return Check(name, Call(fn, tuple(args), kwargs or {}, tuple(proxies)), judge, timeout, weight)


def warning_means(key, judge):
    """A warning during the call is the mistake ``key`` (e.g. exp overflowing in σ)."""

    def judge_with_key(outcome):
        verdict = judge(outcome)
        if verdict.mistake == "warning":
            verdict.mistake = key
        return verdict

    return judge_with_key


def live(value):
    """Turn FnRefs and RngRefs of the sent arguments into the reference's own objects."""
    if isinstance(value, FnRef):
        return FUNCTIONS[value.name]
    if isinstance(value, RngRef):
        return np.random.default_rng(value.seed)
    if isinstance(value, list):
        return [live(v) for v in value]
    return value


def ref_call(fn, args):
    return getattr(ref, fn)(*[live(a) for a in args])


# --- activations ---


def activation_checks(rng, name):
    prime = PAIRS.get(name)
    z_small = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    z = rng.normal(0.0, 3.0, size=(4, 3))
    z[rng.integers(0, 4), rng.integers(0, 3)] = 0.0  # an exact 0 among random values
    out = []
    for fn, zz in [(name, z_small), (name, z)] + ([(prime, z_small), (prime, z)] if prime else []):
        mistakes = {}
        if fn.endswith("_prime"):
            # g' evaluated as if z were the activation a = g(z)
            on_act = zz * (1 - zz) if fn == "sigmoid_prime" else 1 - zz * zz
            mistakes = {"prime_on_activation": on_act}
            if fn == "identity_prime":
                mistakes = {"prime_not_array": lambda got: not isinstance(got, np.ndarray)}
        if fn == "step":
            mistakes = {"step_strict": (zz > 0).astype(np.float64)}
        desc = f"{fn} on an array of shape {zz.shape}"
        out.append(check(desc, fn, (zz,), ref_call(fn, (zz,)), mistakes=mistakes))
    if name == "step":
        zeros = np.zeros((2, 3))
        out.insert(
            0,
            check(
                "step(0) is 1",
                "step",
                (zeros,),
                np.ones((2, 3)),
                mistakes={"step_strict": np.zeros((2, 3))},
            ),
        )
    if name == "sigmoid":
        big = np.array([[-1000.0, -60.0, 0.0, 60.0, 1000.0]])
        for fn in ("sigmoid", "sigmoid_prime"):
            mistakes = {"sigmoid_overflow": lambda got: True}
            if fn == "sigmoid_prime":  # σ' evaluated on z as if it were σ(z)
                mistakes = {"prime_on_activation": big * (1 - big)} | mistakes
            out.append(
                check(
                    f"{fn} on saturated inputs ±60, ±1000 (no overflow warning)",
                    fn,
                    (big,),
                    ref_call(fn, (big,)),
                    no_warnings=True,
                    warning_key="sigmoid_overflow",
                    mistakes=mistakes,
                )
            )
    return out


# --- losses ---


def loss_checks(rng, name):
    out = []
    for n, c in [(3, 1), (6, 3)] if name != "binary_cross_entropy" else [(3, 1), (7, 1)]:
        if name == "mse":
            y, y_hat = rng.normal(size=(n, c)), rng.normal(size=(n, c))
        elif name == "binary_cross_entropy":
            y = rng.integers(0, 2, size=(n, c)).astype(np.float64)
            y_hat = rng.uniform(0.05, 0.95, size=(n, c))
        else:
            c = max(c, 3)
            y = np.eye(c)[rng.integers(0, c, size=n)]
            y_hat = rng.dirichlet(np.ones(c), size=n)
        out.append(loss_check(name, y, y_hat))
    if name != "mse":  # predictions of exactly 0 and 1: clipping keeps the loss finite
        if name == "binary_cross_entropy":
            y, y_hat = (
                np.array([[1.0], [0.0], [1.0], [0.0]]),
                np.array([[0.0], [1.0], [1.0], [0.0]]),
            )
        else:
            y, y_hat = np.eye(3), np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
        out.append(loss_check(name, y, y_hat, "with predictions of exactly 0 and 1"))
    return out


def loss_check(name, y, y_hat, extra=""):
    expected = getattr(ref, name)(y, y_hat)
    n, c = y.shape
    raw = ((y - y_hat) ** 2).sum()
    mistakes = {
        "mse": {
            "sum_not_mean": raw,
            "mean_over_outputs": raw / (n * c),
            "half_factor": raw / n / 2,
        },
        "binary_cross_entropy": {"mean_not_sum": expected / n, "sign_of_loss": -expected},
        "categorical_cross_entropy": {"mean_not_sum": expected / n, "sign_of_loss": -expected},
    }[name]
    if name != "mse":
        mistakes["no_clipping"] = lambda got: not np.isfinite(got)
        if c == 1 and n > 1:
            mistakes.pop("mean_over_outputs", None)
    desc = f"{name} with N={n}, C={c}" + (f" {extra}" if extra else "")
    return check(desc, name, (y, y_hat), expected, mistakes=mistakes)


# --- numerical derivatives ---


def derivative_checks(rng):
    out = []
    for fname, h in [("sin_of_square", None), ("cubic", None), ("sin_of_square", 1e-3)]:
        f, x = SCALAR_FUNCTIONS[fname], float(rng.uniform(-2.0, 2.0))
        step = 1e-5 if h is None else h
        expected = ref.numerical_derivative(f, x, step)
        mistakes = {
            "forward_difference": (f(x + step) - f(x)) / step,
            "wrong_denominator": (f(x + step) - f(x - step)) / step,
        }
        if h is not None:
            mistakes["ignores_h"] = ref.numerical_derivative(f, x)
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
                mistakes=mistakes,
            )
        )
    return out


def gradient_checks(rng):
    out = []
    for fname, shape, h in [
        ("sum_of_squares", (2, 3), None),
        ("sum_of_sines", (4, 3), None),
        ("sum_of_sines", (3, 2), 1e-3),
    ]:
        f, theta = SCALAR_FUNCTIONS[fname], rng.normal(size=shape)
        step = 1e-5 if h is None else h
        expected = ref.numerical_gradient(f, theta, step)
        forward = np.zeros_like(theta)
        for k in np.ndindex(shape):
            moved = theta.copy()
            moved[k] += step
            forward[k] = (f(moved) - f(theta)) / step
        mistakes = {"forward_difference": forward, "wrong_denominator": 2 * expected}
        if h is not None:
            mistakes["ignores_h"] = ref.numerical_gradient(f, theta)
        kwargs = {} if h is None else {"h": h}
        desc = f"numerical_gradient of {fname} at a {shape} array" + (f", h = {h:g}" if h else "")
        out.append(
            check(
                desc,
                "numerical_gradient",
                (FnRef(fname), theta),
                expected,
                kwargs,
                rtol=1e-6,
                atol=1e-8,
                mistakes=mistakes,
            )
        )
    return out


# --- the network ---


def network(rng, sizes, n):
    thetas = [rng.normal(size=(a + 1, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    X = rng.normal(size=(n, sizes[0]))
    y = rng.uniform(0.0, 1.0, size=(n, sizes[-1]))
    return thetas, X, y


NETWORKS = [([2, 3, 1], 4, "sigmoid"), ([3, 5, 4, 2], 6, "tanh"), ([4, 2, 6, 3, 1], 5, "sigmoid")]


def init_checks(rng):
    out = []
    for sizes in ([2, 3, 1], [3, 5, 4, 2]):
        seed = int(rng.integers(2**31))
        expected = ref.init_params(sizes, np.random.default_rng(seed))
        draw = np.random.default_rng(seed)
        mistakes = {
            "init_shape": [draw.normal(size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])],
        }
        draw = np.random.default_rng(seed)
        mistakes["init_draw_order"] = [
            draw.normal(size=(b, a + 1)).T for a, b in zip(sizes[:-1], sizes[1:])
        ]
        out.append(
            check(
                f"init_params({sizes}, rng)",
                "init_params",
                (sizes, RngRef(seed)),
                expected,
                mistakes=mistakes,
            )
        )
    return out


def forward_checks(rng, fn):
    out = []
    for sizes, n, act in NETWORKS:
        thetas, X, _ = network(rng, sizes, n)
        g = getattr(ref, act)
        args = (thetas, X, FnRef(act))
        if fn == "forward":
            expected = ref.forward(thetas, X, g)

            def mistakes(thetas=thetas, X=X, g=g):
                return {
                    "bias_last": mutants.forward_bias_last(thetas, X, g),
                    "no_output_activation": mutants.forward_no_output_activation(thetas, X, g),
                    "activation_on_input": mutants.forward_activation_on_input(thetas, X, g),
                }

            proxies = ()
        else:
            expected = ref.predict(thetas, X, g)
            mistakes = {"no_output_activation": ref.forward(thetas, X, g)[0][-1]}
            proxies = ("forward",)
        desc = f"{fn} on a {'-'.join(map(str, sizes))} {act} network, N={n}"
        out.append(check(desc, fn, args, expected, proxies=proxies, mistakes=mistakes))
    return out


def delta_output_checks(rng):
    out = []
    for n, c, act in [(4, 1, "sigmoid"), (5, 3, "tanh"), (6, 2, "sigmoid")]:
        z = rng.normal(size=(n, c))
        a, y = getattr(ref, act)(z), rng.uniform(size=(n, c))
        gp = getattr(ref, PAIRS[act])
        args = (a, y, z, FnRef(PAIRS[act]))
        mistakes = {
            "missing_g_prime": a - y,
            "sign_flipped": (y - a) * gp(z),
            "prime_on_activation": (a - y) * gp(a),
        }
        out.append(
            check(
                f"delta_output with N={n}, C={c}, {act}",
                "delta_output",
                args,
                ref.delta_output(a, y, z, gp),
                mistakes=mistakes,
            )
        )
    return out


def delta_hidden_checks(rng):
    out = []
    for n, h, k, act in [(3, 2, 1, "sigmoid"), (4, 5, 3, "tanh"), (6, 4, 7, "sigmoid")]:
        delta_next, theta_next = rng.normal(size=(n, k)), rng.normal(size=(h + 1, k))
        z, gp = rng.normal(size=(n, h)), getattr(ref, PAIRS[act])
        args = (delta_next, theta_next, z, FnRef(PAIRS[act]))
        mistakes = {
            "wrong_bias_row_dropped": (delta_next @ theta_next[:-1].T) * gp(z),
            "hidden_missing_g_prime": delta_next @ theta_next[1:].T,
        }
        desc = f"delta_hidden with N={n}, layer of {h} units feeding {k}, {act}"
        out.append(
            check(
                desc,
                "delta_hidden",
                args,
                ref.delta_hidden(*args[:3], gp),
                mistakes=mistakes,
                error_hints={"broadcast": "bias_row_propagated"},
            )
        )
    return out


def weight_gradient_checks(rng):
    out = []
    for n, p, k in [(1, 2, 1), (5, 3, 4), (8, 6, 2)]:
        delta, a_prev = rng.normal(size=(n, k)), rng.normal(size=(n, p))
        expected = ref.weight_gradient(delta, a_prev)
        mistakes = {
            "grad_no_bias_row": a_prev.T @ delta / n,
            "grad_transposed": expected.T,
            "bias_last": np.vstack([expected[1:], expected[:1]]),
        }
        if n > 1:
            mistakes["grad_sum_not_mean"] = expected * n
        desc = f"weight_gradient with N={n}, {p} inputs, {k} outputs"
        out.append(check(desc, "weight_gradient", (delta, a_prev), expected, mistakes=mistakes))
    return out


BACKPROP_HELPERS = ("forward", "delta_output", "delta_hidden", "weight_gradient")


def loss_of(thetas, X, y, g):
    return 0.5 * float(np.sum((ref.predict(thetas, X, g) - y) ** 2)) / X.shape[0]


def rel_error(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def backprop_checks(rng):
    out = []
    for sizes, n, act in NETWORKS:
        thetas, X, y = network(rng, sizes, n)
        g, gp = getattr(ref, act), getattr(ref, PAIRS[act])
        args = (thetas, X, y, FnRef(act), FnRef(PAIRS[act]))
        expected = ref.backprop(thetas, X, y, g, gp)
        net = f"{'-'.join(map(str, sizes))} {act} network, N={n}"
        out.append(
            check(
                f"backprop on a {net}",
                "backprop",
                args,
                expected,
                proxies=BACKPROP_HELPERS,
                mistakes={
                    "grad_sum_not_mean": [e * n for e in expected],
                    "backprop_wrong_activation": mutants.backprop_next_activation(
                        thetas, X, y, g, gp
                    ),
                },
            )
        )
        numeric = numerical_gradients(thetas, X, y, g)
        out.append(
            Check(
                f"gradient check of backprop on a {net}",
                Call("backprop", args, {}, BACKPROP_HELPERS),
                gradient_judge(numeric),
            )
        )
    return out


def numerical_gradients(thetas, X, y, g):
    """Centred differences of the reference loss, layer by layer."""
    out = []
    for layer, theta in enumerate(thetas):

        def f(t, layer=layer):
            return loss_of(thetas[:layer] + [t] + thetas[layer + 1 :], X, y, g)

        out.append(ref.numerical_gradient(f, theta))
    return out


def gradient_judge(numeric, threshold=1e-5):
    """Relative error against centred differences of the reference loss (CS231n's check)."""

    def judge(outcome):
        failed = failure_of(outcome, "backprop")
        if failed:
            return failed
        problem = mismatch(numeric, outcome.value, values=False)
        if problem:
            return Verdict(False, problem)
        errors = [rel_error(a, b) for a, b in zip(outcome.value, numeric)]
        worst = int(np.argmax(errors))
        if errors[worst] > threshold:
            return Verdict(
                False,
                f"relative error {errors[worst]:.2e} in layer {worst} "
                f"(threshold {threshold:g}) against centred numerical gradients",
            )
        return Verdict(True)

    return judge


def update_checks(rng):
    out = []
    for sizes, eta in [([2, 2, 1], 0.5), ([3, 5, 4, 2], 0.1)]:
        thetas, _, _ = network(rng, sizes, 1)
        grads = [rng.normal(size=t.shape) for t in thetas]
        expected = ref.update(thetas, grads, eta)
        mistakes = {"update_sign": ref.update(thetas, grads, -eta)}
        desc = f"update on a {'-'.join(map(str, sizes))} network, η = {eta}"
        out.append(check(desc, "update", (thetas, grads, eta), expected, mistakes=mistakes))
    return out


SGD_HELPERS = ("backprop", "update", "predict", "forward", "mse")


def sgd_checks(rng):
    out = []
    for sizes, n, batch, epochs, act in [
        ([2, 3, 1], 5, 1, 2, "sigmoid"),
        ([3, 4, 2], 10, 3, 3, "sigmoid"),
        ([2, 5, 3], 7, 7, 2, "tanh"),
    ]:
        thetas, X, y = network(rng, sizes, n)
        seed, eta = int(rng.integers(2**31)), 0.5
        g, gp = getattr(ref, act), getattr(ref, PAIRS[act])
        args = (thetas, X, y, eta, epochs, batch, RngRef(seed), FnRef(act), FnRef(PAIRS[act]))
        expected = ref.sgd(thetas, X, y, eta, epochs, batch, np.random.default_rng(seed), g, gp)

        def mistakes(
            thetas=thetas, X=X, y=y, eta=eta, epochs=epochs, batch=batch, seed=seed, g=g, gp=gp
        ):
            return {
                key: mutants.sgd_variant(
                    thetas, X, y, eta, epochs, batch, np.random.default_rng(seed), g, gp, key
                )
                for key in mutants.SGD_MISTAKES
            }

        desc = (
            f"sgd on a {'-'.join(map(str, sizes))} {act} network, N={n}, "
            f"batch_size={batch}, {epochs} epochs, η={eta}"
        )
        judge = expect(tuple(expected), "sgd", mistakes=mistakes, sent=args)
        out.append(Check(desc, Call("sgd", args, {}, SGD_HELPERS), losses_as_list(judge)))
    return out


def losses_as_list(judge):
    """Accept ``losses`` as a 1-D float64 array as well as a list of floats."""

    def lenient(outcome):
        value = outcome.value
        if isinstance(value, (list, tuple)) and len(value) == 2:
            losses = value[1]
            if isinstance(losses, np.ndarray) and losses.ndim == 1 and losses.dtype == np.float64:
                outcome.value = (value[0], [float(v) for v in losses])
        return judge(outcome)

    return lenient


# --- XOR ---


def thetas_problem(value):
    """Why ``value`` is not a valid list of weight matrices for a 2-...-1 network."""
    if not isinstance(value, (list, tuple)) or not value:
        return f"expected a list of weight matrices, got {type(value).__name__}"
    for i, theta in enumerate(value):
        if not isinstance(theta, np.ndarray) or theta.dtype != np.float64 or theta.ndim != 2:
            return f"thetas[{i}] is not a 2-D float64 array"
        if not np.all(np.isfinite(theta)):
            return f"thetas[{i}] has non-finite values"
    sizes = [value[0].shape[0] - 1] + [t.shape[1] for t in value]
    for i in range(1, len(value)):
        if value[i].shape[0] != value[i - 1].shape[1] + 1:
            return (
                f"thetas[{i}] has shape {value[i].shape}: {value[i - 1].shape[1] + 1} rows expected"
            )
    if sizes[0] != 2 or sizes[-1] != 1:
        return f"the network maps {sizes[0]} inputs to {sizes[-1]} outputs; XOR needs 2 -> 1"
    return ""


def xor_step_judge(outcome):
    failed = failure_of(outcome, "xor_step_network")
    if failed:
        return failed
    problem = thetas_problem(outcome.value)
    if problem:
        return Verdict(False, problem, "xor_wrong")
    out = ref.predict(outcome.value, ref.XOR_X, ref.step)
    if not np.array_equal(out, ref.XOR_Y):
        return Verdict(
            False,
            f"with step activations the network outputs {out.ravel().tolist()} "
            f"for inputs {ref.XOR_X.tolist()}; XOR is {ref.XOR_Y.ravel().tolist()}",
            "xor_wrong",
        )
    return Verdict(True)


GRID = np.linspace(-0.5, 1.5, 41)


def train_xor_judge(seed):
    def judge(outcome):
        failed = failure_of(outcome, "train_xor")
        if failed:
            return failed
        problem = thetas_problem(outcome.value)
        if problem:
            return Verdict(False, problem)
        thetas = outcome.value
        out = ref.predict(thetas, ref.XOR_X)
        xx, yy = np.meshgrid(GRID, GRID)
        grid = ref.predict(thetas, np.column_stack([xx.ravel(), yy.ravel()])).reshape(xx.shape)
        data = {"seed": seed, "grid": grid.tolist(), "outputs": out.ravel().tolist()}
        if not np.array_equal(out > 0.5, ref.XOR_Y == 1):
            return Verdict(
                False,
                f"train_xor({seed}) outputs {np.round(out.ravel(), 3).tolist()} "
                f"for XOR inputs; needed > 0.5 exactly for {ref.XOR_Y.ravel().tolist()}",
                "xor_not_learned",
                data,
            )
        return Verdict(True, data=data)

    return judge


EPOCHS_SHOWN = 200


def training_curve(rng):
    """Not scored: the student's own sgd end to end on XOR, for the loss-curve figure."""
    seed = int(rng.integers(2**31))
    thetas = ref.init_params([2, 4, 1], np.random.default_rng(seed))
    args = (thetas, ref.XOR_X, ref.XOR_Y, 2.0, EPOCHS_SHOWN, 4, RngRef(seed))

    def judge(outcome):
        failed = failure_of(outcome, "sgd")
        if failed:
            return failed
        value = outcome.value
        losses = value[1] if isinstance(value, (list, tuple)) and len(value) == 2 else None
        if isinstance(losses, np.ndarray):
            losses = losses.tolist()
        if not isinstance(losses, list) or not all(isinstance(v, float) for v in losses):
            return Verdict(False, "sgd did not return a list of losses")
        data = {"losses": [v if np.isfinite(v) else None for v in losses]}
        return Verdict(bool(len(losses) == EPOCHS_SHOWN and losses[-1] < losses[0]), "", data=data)

    name = "your sgd, backprop and helpers together train a 2-4-1 network on XOR"
    return Check(name, Call("sgd", args), judge, timeout=10.0, weight=0.0)


# --- the public checks, graded too ---

PUBLIC_PROXIES = {"predict": ("forward",), "backprop": BACKPROP_HELPERS, "sgd": SGD_HELPERS}
# What a warning in a public case with ``no_warnings`` means, per function.
PUBLIC_WARNINGS = {
    "sigmoid": "sigmoid_overflow",
    "sigmoid_prime": "sigmoid_overflow",
    "binary_cross_entropy": "no_clipping",
    "categorical_cross_entropy": "no_clipping",
}


def public_value(value):
    """A case argument of ``assignment/public_cases.py`` as it is sent to the worker."""
    if isinstance(value, dict):
        if "array" in value:
            return np.array(value["array"], dtype=np.float64)
        if "fn" in value:
            return FnRef(value["fn"])
        if "rng" in value:
            return RngRef(value["rng"])
        if "f" in value:
            return FnRef(value["f"])
        raise ValueError(f"unknown argument marker: {sorted(value)}")
    if isinstance(value, list):
        return [public_value(v) for v in value]
    return value


def public_args(case):
    """The case's arguments, with omitted activations (``g``, ``g_prime``) passed by name.

    Naming them lets the trusted side serve the reference's activation, so that a bug in
    the student's own ``sigmoid`` does not cost a composite question's public checks.
    """
    args = [public_value(v) for v in case["args"].values()]
    parameters = list(inspect.signature(getattr(ref, case["function"])).parameters.values())
    for parameter in parameters[len(args) :]:
        default = parameter.default
        if not callable(default) or FUNCTIONS.get(default.__name__) is not default:
            break
        args.append(FnRef(default.__name__))
    return tuple(args)


def classifies_xor_judge(fn, activation):
    """``predict(thetas, XOR_X, g) > 0.5`` must equal ``XOR_Y == 1`` (reference predict)."""
    mistake = "xor_wrong" if activation == "step" else "xor_not_learned"

    def judge(outcome):
        failed = failure_of(outcome, fn)
        if failed:
            return failed
        problem = thetas_problem(outcome.value)
        if problem:
            return Verdict(False, problem, mistake)
        out = ref.predict(outcome.value, ref.XOR_X, getattr(ref, activation))
        if not np.array_equal(out > 0.5, ref.XOR_Y == 1):
            return Verdict(
                False,
                f"the network outputs {np.round(out.ravel(), 3).tolist()} for XOR inputs; "
                f"needed > 0.5 exactly for {ref.XOR_Y.ravel().tolist()}",
                mistake,
            )
        return Verdict(True)

    return judge


def shape_judge(expected, fn, sent):
    """Only the structure: types, float64, exact shapes, list lengths, finite values."""

    def judge(outcome):
        failed = failure_of(outcome, fn)
        if failed:
            return failed
        problem = mismatch(expected, outcome.value, values=False)
        if problem:
            return Verdict(False, problem)
        changed = modified_inputs(sent, outcome.args_after)
        if changed:
            message = f"`{fn}` modified its input ({', '.join(changed)}); return a new array"
            return Verdict(False, message, "modifies_input")
        return Verdict(True)

    return judge


def public_check(case):
    """One case of ``assignment/public_cases.py`` as a hidden check named "public: ...".

    ``returns_new`` cannot be checked here (values cross as copies); the rest can.
    """
    fn, kind = case["function"], case["check"]
    args = public_args(case)
    name = f"public: {case['description']}"
    proxies = PUBLIC_PROXIES.get(fn, ())
    timeout = min(float(case.get("max_seconds", 2.0)), 10.0)
    if kind == "classifies_xor":
        judge = classifies_xor_judge(fn, case.get("activation", "sigmoid"))
    else:
        expected = ref_call(fn, args)
        if kind == "shape":
            judge = shape_judge(expected, fn, args)
        else:
            judge = expect(
                expected,
                fn,
                sent=args,
                rtol=case.get("rtol", PUBLIC.RTOL),
                atol=case.get("atol", PUBLIC.ATOL),
                no_warnings=bool(case.get("no_warnings")),
            )
            if fn in PUBLIC_WARNINGS:
                judge = warning_means(PUBLIC_WARNINGS[fn], judge)
        if fn == "sgd":
            judge = losses_as_list(judge)
    return Check(name, Call(fn, args, {}, proxies), judge, timeout)


def public_checks(qid):
    return [public_check(case) for case in PUBLIC.CASES.get(qid, [])]


def build(seed):
    """Every question with its checks, inputs drawn from ``default_rng(seed)``.

    Each question starts with its public checks (the same cases as ``assignment/tests/``).
    """
    rng = np.random.default_rng(seed)
    makers = {
        "step": lambda: activation_checks(rng, "step"),
        "sigmoid": lambda: activation_checks(rng, "sigmoid"),
        "tanh": lambda: activation_checks(rng, "tanh"),
        "identity": lambda: activation_checks(rng, "identity"),
        "mse": lambda: loss_checks(rng, "mse"),
        "binary_cross_entropy": lambda: loss_checks(rng, "binary_cross_entropy"),
        "categorical_cross_entropy": lambda: loss_checks(rng, "categorical_cross_entropy"),
        "numerical_derivative": lambda: derivative_checks(rng),
        "numerical_gradient": lambda: gradient_checks(rng),
        "init_params": lambda: init_checks(rng),
        "forward": lambda: forward_checks(rng, "forward"),
        "predict": lambda: forward_checks(rng, "predict"),
        "delta_output": lambda: delta_output_checks(rng),
        "delta_hidden": lambda: delta_hidden_checks(rng),
        "weight_gradient": lambda: weight_gradient_checks(rng),
        "backprop": lambda: backprop_checks(rng),
        "update": lambda: update_checks(rng),
        "sgd": lambda: sgd_checks(rng) + [training_curve(rng)],
        "xor_step_network": lambda: [
            Check(
                "xor_step_network computes XOR with step activations",
                Call("xor_step_network"),
                xor_step_judge,
            )
        ],
        "train_xor": lambda: [
            Check(
                f"train_xor({s}) classifies XOR",
                Call("train_xor", (s,)),
                train_xor_judge(s),
                timeout=10.0,
            )
            for s in rng.integers(0, 10_000, size=3).tolist()
        ],
    }
    return [
        Question(qid, title, points, slide, public_checks(qid) + makers[qid]())
        for qid, title, points, slide in TABLE
    ]
