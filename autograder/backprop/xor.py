"""Hidden checks of the XOR networks: hand-set step weights, training, the loss curve."""

import functools

import numpy as np

from ..engine.checks import Check, Verdict, failure_of
from ..engine.runner import Call
from ..engine.wire import RngRef
from .reference import ref

# --- XOR ---


# The largest network the judges evaluate (on the 41 × 41 grid of the figure): far more than
# XOR needs, small enough that judging it costs milliseconds.
MAX_LAYERS = 8
MAX_WIDTH = 256
MAX_WEIGHTS = 50_000


def problem_mistake(problem, default):
    """The mistake a ``thetas_problem`` shows: a dtype is not a question of thresholds."""
    if "not float64" in problem:
        return "weights_not_float"
    if problem.startswith("expected a list of weight matrices, got a pair"):
        return "thetas_not_list"
    return default if problem.startswith("with step") else ""


def thetas_problem(value):
    """Why ``value`` is not a valid list of weight matrices for a 2-...-1 network, checked
    before any computation: at most ``MAX_LAYERS`` layers of at most ``MAX_WIDTH`` units."""
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], (list, tuple)):
        return "expected a list of weight matrices, got a pair (a list, then something else)"
    if not isinstance(value, (list, tuple)) or not value:
        return f"expected a list of weight matrices, got {type(value).__name__}"
    if len(value) > MAX_LAYERS:
        return f"a network of {len(value)} layers; at most {MAX_LAYERS} are accepted"
    for i, theta in enumerate(value):
        if isinstance(theta, np.ndarray) and theta.ndim == 2 and theta.dtype != np.float64:
            return f"thetas[{i}] holds {theta.dtype} values, not float64"
        if not isinstance(theta, np.ndarray) or theta.ndim != 2:
            return f"thetas[{i}] is not a 2-D float64 array"
        if max(theta.shape) > MAX_WIDTH + 1:
            return f"thetas[{i}] has shape {theta.shape}: at most {MAX_WIDTH} units per layer"
    if sum(theta.size for theta in value) > MAX_WEIGHTS:
        return f"the network has more than {MAX_WEIGHTS} weights"
    for i, theta in enumerate(value):
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
        return Verdict(False, problem, problem_mistake(problem, "xor_wrong"))
    out = ref.predict(outcome.value, ref.XOR_X, ref.step)
    if not np.array_equal(out, ref.XOR_Y):
        return Verdict(
            False,
            f"with step activations the network outputs {out.ravel().tolist()} "
            f"for inputs {ref.XOR_X.tolist()}; XOR is {ref.XOR_Y.ravel().tolist()}",
            xor_convention(outcome.value),
        )
    return Verdict(True)


def strict_step(z):
    return (np.asarray(z) > 0).astype(np.float64)


def xor_convention(thetas):
    """The mistake key of weights that compute XOR under another convention than the
    slides': the bias in the last row (W-then-b), or a step that fires only for x > 0."""
    last_row_bias = [np.vstack([t[-1:], t[:-1]]) for t in thetas]
    if np.array_equal(ref.predict(last_row_bias, ref.XOR_X, ref.step), ref.XOR_Y):
        return "xor_bias_last_row"
    if np.array_equal(ref.predict(thetas, ref.XOR_X, strict_step), ref.XOR_Y):
        return "xor_strict_threshold"
    return "xor_wrong"


GRID = np.linspace(-0.5, 1.5, 41)


def boundary(thetas):
    """The network's output at each point of the 41 × 41 ``GRID`` (rows: y, columns: x), as
    lists, for the decision-boundary figure; ``thetas`` passed ``thetas_problem``."""
    xx, yy = np.meshgrid(GRID, GRID)
    return ref.predict(thetas, np.column_stack([xx.ravel(), yy.ravel()])).reshape(xx.shape).tolist()


def train_xor_judge(seed, trained):
    """Judge of ``train_xor(seed)``; keeps the network in ``trained[seed]`` for the gate."""

    def judge(outcome):
        failed = failure_of(outcome, "train_xor")
        if failed:
            return failed
        problem = thetas_problem(outcome.value)
        if problem:
            return Verdict(False, problem, problem_mistake(problem, ""))
        thetas = trained[seed] = outcome.value
        out = ref.predict(thetas, ref.XOR_X)
        # the figure's grid is computed for the one network it shows (figures.py: boundary)
        data = {"seed": seed, "network": thetas, "outputs": out.ravel().tolist()}
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


def trains_judge(seed, trained):
    """The gate of the question: ``train_xor`` is training, not a network written down.

    ``train_xor(seed)`` called again must give the same network as the first time (all its
    randomness comes from ``default_rng(seed)``), and the seeds already judged must have given
    different networks (the weights come from training started at a seed's initialisation).
    What it cannot see: a network written by hand plus a seed-dependent nudge passes both.
    Closing that needs the training itself observed (``sgd`` answered by the grader with an
    rng that can cross the wire), not only its result.
    """

    def judge(outcome):
        failed = failure_of(outcome, "train_xor")
        if failed:
            return failed
        problem = thetas_problem(outcome.value)
        if problem:
            return Verdict(False, problem, problem_mistake(problem, ""))
        if seed in trained and not same_network(trained[seed], outcome.value):
            return Verdict(
                False,
                f"train_xor({seed}) returned another network the second time",
                "xor_not_reproducible",
            )
        seeds = sorted(trained)
        for i, a in enumerate(seeds):
            for b in seeds[i + 1 :]:
                if same_network(trained[a], trained[b]):
                    return Verdict(
                        False,
                        f"train_xor({a}) and train_xor({b}) returned the same network",
                        "xor_not_trained",
                    )
        return Verdict(True)

    return judge


def same_network(a, b):
    return len(a) == len(b) and all(
        x.shape == y.shape and np.array_equal(x, y) for x, y in zip(a, b)
    )


# Seeds whose initialisation, init_params([2, 2, 1], default_rng(seed)), traps the minimal
# 2-2-1 network in a local minimum: full-batch or mini-batch sgd from it fails XOR with each of
# (η, epochs, batch) = (5, 250, 4), (2, 1000, 4), (10, 500, 4), (1, 3000, 4), (0.5, 2000, 1),
# (3, 2000, 2) (found among seeds 0..399 with the reference; 79 of 400 do). A network that is
# big enough learns XOR from any seed (the reference's 2-8-1 from every seed in 0..999), so
# one of them among the seeds checked tells "it trains" from "it trains when lucky".
TRAP_SEEDS = (
    8, 16, 18, 21, 22, 28, 30, 37, 43, 44, 47, 58, 65, 68, 70, 72, 74, 77, 82, 93,
    107, 108, 117, 125, 132, 145, 148, 153, 158, 160, 169, 170, 176, 183, 186, 191, 199, 204,
    205, 208,
)  # fmt: skip


def train_xor_checks(rng):
    """Three seeds (two drawn at random, one from ``TRAP_SEEDS``), then the first again as the
    question's gate (see ``trains_judge``)."""
    seeds = rng.integers(0, 10_000, size=2).tolist() + [int(rng.choice(TRAP_SEEDS))]
    trained = {}
    checks = [
        Check(
            f"train_xor({s}) classifies XOR",
            Call("train_xor", (s,)),
            train_xor_judge(s, trained),
            timeout=10.0,
        )
        for s in seeds
    ]
    checks.append(
        Check(
            f"train_xor({seeds[0]}) again gives the same network, and other seeds other networks",
            Call("train_xor", (seeds[0],)),
            trains_judge(seeds[0], trained),
            timeout=10.0,
            weight=0.0,
            gate=True,
        )
    )
    return checks


# The training curve's setup: the reference's train_xor network (2-8-1, sigmoid, η = 5, full
# batches), long enough that a correct implementation converges (loss near 0.003 by epoch 300)
CURVE_SIZES, CURVE_ETA, EPOCHS_SHOWN, CURVE_SEED = [2, 8, 1], 5.0, 300, 2024


@functools.cache
def reference_curve():
    """The reference's losses of the curve's setup (about 20 ms, once per grading process)."""
    thetas = ref.init_params(CURVE_SIZES, np.random.default_rng(CURVE_SEED))
    rng = np.random.default_rng(CURVE_SEED)  # sgd's own, as RngRef(CURVE_SEED) in the worker
    return tuple(ref.sgd(thetas, ref.XOR_X, ref.XOR_Y, CURVE_ETA, EPOCHS_SHOWN, 4, rng)[1])


def training_curve(rng, sgd_passed=None):
    """Not scored: the student's own sgd end to end on XOR, for the loss-curve figure.

    It passes when the curve is the reference's from the same seed, initialisation and data
    (not merely going down): the student's own helpers, not the grader's, compute it. When it
    differs, the hint blames the helpers only if the sgd checks run with the grader's helpers
    all passed (``sgd_passed``, recorded by them): otherwise sgd itself is wrong, and their
    own hints say how. The figure draws both curves."""
    seed = CURVE_SEED  # the same for every student: not scored, and its curve computed once
    thetas = ref.init_params(CURVE_SIZES, np.random.default_rng(seed))
    args = (thetas, ref.XOR_X, ref.XOR_Y, CURVE_ETA, EPOCHS_SHOWN, 4, RngRef(seed))

    def judge(outcome):
        failed = failure_of(outcome, "sgd")
        if failed:
            return failed
        value = outcome.value
        losses = value[1] if isinstance(value, (list, tuple)) and len(value) == 2 else None
        if isinstance(losses, np.ndarray) and losses.ndim == 1 and losses.size <= EPOCHS_SHOWN:
            losses = losses.tolist()
        if not isinstance(losses, list) or not all(isinstance(v, float) for v in losses):
            return Verdict(False, "sgd did not return a list of losses")
        reference = reference_curve()
        data = {
            "losses": [v if np.isfinite(v) else None for v in losses[:EPOCHS_SHOWN]],
            "reference": list(reference),
        }
        if len(losses) != EPOCHS_SHOWN:
            return Verdict(False, f"{len(losses)} losses for {EPOCHS_SHOWN} epochs", "", data)
        if not np.allclose(losses, reference, rtol=1e-6, atol=1e-9, equal_nan=False):
            return Verdict(
                False,
                f"your losses end at {losses[-1]:.6g} after {EPOCHS_SHOWN} epochs; from the same "
                f"seed, initialisation and data the reference's end at {reference[-1]:.6g}",
                "curve_differs" if sgd_passed and all(sgd_passed.values()) else "",
                data,
            )
        return Verdict(True, data=data)

    name = "your sgd, backprop and helpers together give the reference's loss curve on XOR"
    return Check(name, Call("sgd", args), judge, timeout=10.0, weight=0.0, uses=CURVE_USES)


# the student's own functions the training curve runs (sgd's own checks get the grader's)
CURVE_USES = (
    "sigmoid",
    "mse",
    "forward",
    "predict",
    "delta_output",
    "delta_hidden",
    "weight_gradient",
    "backprop",
    "update",
)
