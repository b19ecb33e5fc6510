"""Hidden checks of the network: initialisation, forward pass, δ, gradients, backprop,
update and SGD (composites with their helpers answered by the reference)."""

import functools

import numpy as np

from ..engine import wire
from ..engine.checks import Check, Verdict, expect, failure_of, mismatch
from ..engine.runner import Call
from ..engine.wire import FnRef, RngRef
from . import mutants
from .common import PAIRS, check, recording
from .reference import ref

# --- the network ---


def network(rng, sizes, n):
    thetas = [rng.normal(size=(a + 1, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    X = rng.normal(size=(n, sizes[0]))
    y = rng.uniform(0.0, 1.0, size=(n, sizes[-1]))
    return thetas, X, y


# (layer sizes, N, activation): one instance through a one-unit hidden layer first (the edge
# where a squeezed batch axis or a lost dimension shows), then non-square networks
NETWORKS = [
    ([3, 1, 2], 1, "tanh"),
    ([2, 3, 1], 4, "sigmoid"),
    ([3, 5, 4, 2], 6, "tanh"),
    ([4, 2, 6, 3, 1], 5, "sigmoid"),
]


def init_checks(rng):
    out = []
    for sizes in ([2, 3, 1], [3, 5, 4, 2]):
        seed = int(rng.integers(2**31))
        expected = ref.init_params(sizes, np.random.default_rng(seed))
        mistakes = {}
        mistakes["init_zero_bias"] = lambda got: (
            isinstance(got, list)
            and all(isinstance(w, np.ndarray) and w.ndim == 2 and not np.any(w[0]) for w in got)
        )
        transposed = [(b, a + 1) for a, b in zip(sizes[:-1], sizes[1:])]
        mistakes["init_transposed"] = lambda got, shapes=transposed: (
            [np.shape(w) for w in got] == shapes
        )
        out.append(
            check(
                f"init_params({sizes}, rng)",
                "init_params",
                (sizes, RngRef(seed)),
                expected,
                mistakes=mistakes,
            )
        )
    # the same rng seed twice: the same weights (all randomness from the rng it is given)
    sizes, seed, seen = [2, 4, 1], int(rng.integers(2**31)), {}
    for attempt in ("once", "again"):
        made = check(
            f"init_params({sizes}, default_rng({seed})) {attempt}: the same weights",
            "init_params",
            (sizes, RngRef(seed)),
            ref.init_params(sizes, np.random.default_rng(seed)),
        )
        made.judge = same_twice(made.judge, seen, attempt == "again")
        out.append(made)
    return out


def same_twice(judge, seen, second):
    """``judge``, and for the second of two identical calls: the same value as the first, else
    the mistake ``not_from_rng`` (randomness that does not come from the rng passed in)."""

    def judge_twice(outcome):
        verdict = judge(outcome)
        if outcome.kind != "ok":
            return verdict
        if not second:
            seen["first"] = outcome.value
        elif "first" in seen and mismatch(
            seen["first"], outcome.value, rtol=0.0, atol=0.0, explain=False
        ):
            return Verdict(
                False,
                "the same call with an rng of the same seed gave other weights the second time",
                "not_from_rng",
            )
        return verdict

    return judge_twice


def forward_checks(rng, fn):
    out = []
    for sizes, n, act in NETWORKS:
        thetas, X, _ = network(rng, sizes, n)
        g = getattr(ref, act)
        args = (thetas, X, FnRef(act))
        if fn == "forward":
            expected = ref.forward(thetas, X, g)

            def mistakes(thetas=thetas):
                return {
                    "activations_without_input": lambda got: (
                        isinstance(got, (list, tuple))
                        and len(got) == 2
                        and isinstance(got[1], (list, tuple))
                        and len(got[1]) == len(thetas)
                    ),
                }

            proxies = ()
        else:
            expected = ref.predict(thetas, X, g)
            mistakes = None
            proxies = ("forward",)
        desc = f"{fn} on a {'-'.join(map(str, sizes))} {act} network, N={n}"
        out.append(check(desc, fn, args, expected, proxies=proxies, mistakes=mistakes))
    return out


def delta_output_checks(rng):
    out = []
    for n, c, act in [(1, 2, "tanh"), (4, 1, "sigmoid"), (5, 3, "tanh"), (6, 2, "sigmoid")]:
        z = rng.normal(size=(n, c))
        a, y = getattr(ref, act)(z), rng.uniform(size=(n, c))
        gp = getattr(ref, PAIRS[act])
        args = (a, y, z, FnRef(PAIRS[act]))
        out.append(
            check(
                f"delta_output with N={n}, C={c}, {act}",
                "delta_output",
                args,
                ref.delta_output(a, y, z, gp),
            )
        )
    return out


def delta_hidden_checks(rng):
    out = []
    for n, h, k, act in [
        (1, 1, 2, "tanh"),
        (3, 2, 1, "sigmoid"),
        (4, 5, 3, "tanh"),
        (6, 4, 7, "sigmoid"),
    ]:
        delta_next, theta_next = rng.normal(size=(n, k)), rng.normal(size=(h + 1, k))
        z, gp = rng.normal(size=(n, h)), getattr(ref, PAIRS[act])
        args = (delta_next, theta_next, z, FnRef(PAIRS[act]))
        units = f"{h} unit" + ("s" if h > 1 else "")
        desc = f"delta_hidden with N={n}, layer of {units} feeding {k}, {act}"
        out.append(
            check(
                desc,
                "delta_hidden",
                args,
                ref.delta_hidden(*args[:3], gp),
                error_hints={"broadcast": "bias_row_propagated"},
            )
        )
    return out


def weight_gradient_checks(rng):
    out = []
    for n, p, k in [(1, 2, 1), (5, 3, 4), (8, 6, 2)]:
        delta, a_prev = rng.normal(size=(n, k)), rng.normal(size=(n, p))
        expected = ref.weight_gradient(delta, a_prev)
        desc = f"weight_gradient with N={n}, {p} inputs, {k} outputs"
        out.append(check(desc, "weight_gradient", (delta, a_prev), expected))
    return out


BACKPROP_HELPERS = ("forward", "delta_output", "delta_hidden", "weight_gradient")


def loss_of(thetas, X, y, g):
    return 0.5 * float(np.sum((ref.predict(thetas, X, g) - y) ** 2)) / X.shape[0]


def rel_error(a, b):
    """‖a − b‖ / (‖a‖ + ‖b‖) of one layer: entry by entry, a gradient entry near 0 makes
    the rounding error of its finite difference look large, the norm does not."""
    return float(np.linalg.norm(a - b) / max(1e-12, np.linalg.norm(a) + np.linalg.norm(b)))


def backprop_checks(rng):
    out = []
    for sizes, n, act in NETWORKS:
        thetas, X, y = network(rng, sizes, n)
        g, gp = getattr(ref, act), getattr(ref, PAIRS[act])
        args = (thetas, X, y, FnRef(act), FnRef(PAIRS[act]))
        expected = ref.backprop(thetas, X, y, g, gp)
        net = f"{'-'.join(map(str, sizes))} {act} network, N={n}"
        values = check(f"backprop on a {net}", "backprop", args, expected, proxies=BACKPROP_HELPERS)
        out.append(values)
        numeric = functools.cache(
            lambda thetas=thetas, X=X, y=y, g=g: numerical_gradients(thetas, X, y, g)
        )
        out.append(
            Check(  # the same call as the values' check: judged on its outcome
                f"gradient check of backprop on a {net}",
                values.call,
                gradient_judge(numeric, expected),
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


def gradient_judge(numeric, expected, threshold=1e-5):
    """Relative error against centred differences of the reference loss (CS231n's check).

    ``numeric()`` computes them (some 250 loss evaluations), only for gradients that are not
    the reference's own ``expected`` ones (which pass this check: a test makes sure)."""

    def judge(outcome):
        failed = failure_of(outcome, "backprop")
        if failed:
            return failed
        problem = mismatch(expected, outcome.value, values=False)
        if problem:
            return Verdict(False, problem)
        if not mismatch(expected, outcome.value, explain=False):
            return Verdict(True)
        errors = [rel_error(a, b) for a, b in zip(outcome.value, numeric())]
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
        desc = f"update on a {'-'.join(map(str, sizes))} network, η = {eta}"
        out.append(check(desc, "update", (thetas, grads, eta), expected))
    return out


SGD_HELPERS = ("backprop", "update", "predict", "forward", "mse")


def sgd_checks(rng, passed=None):
    """``passed`` (optional) records whether each check passed (read by the training curve)."""
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
            """``(key, wrong value)`` of each known mistake, one reference run at a time (the
            judge stops at the first that matches), the variants of one key together, keys in
            the order of their first variant in ``SGD_MISTAKES``."""
            grouped = {}
            for variant in mutants.SGD_MISTAKES:
                grouped.setdefault(mutants.SGD_KEYS.get(variant, variant), []).append(variant)
            for key, variants in grouped.items():
                for variant in variants:
                    rng = np.random.default_rng(seed)
                    yield (
                        key,
                        mutants.sgd_variant(thetas, X, y, eta, epochs, batch, rng, g, gp, variant),
                    )

        desc = (
            f"sgd on a {'-'.join(map(str, sizes))} {act} network, N={n}, "
            f"batch_size={batch}, {epochs} epochs, η={eta}"
        )
        judge = expect(tuple(expected), "sgd", mistakes=mistakes, sent=args)
        judge = losses_as_list(judge)
        if passed is not None:
            judge = recording(judge, passed, desc)
        out.append(Check(desc, Call("sgd", args, {}, SGD_HELPERS), judge))
    return out


def losses_as_list(judge):
    """Accept ``losses`` as a 1-D float64 array as well as a list of floats."""

    def lenient(outcome):
        value = outcome.value
        if isinstance(value, (list, tuple)) and len(value) == 2:
            losses = value[1]
            if (
                isinstance(losses, np.ndarray)
                and losses.ndim == 1
                and losses.dtype == np.float64
                and losses.size <= wire.MAX_NODES  # no longer than a list could be
            ):
                outcome.value = (value[0], [float(v) for v in losses])
        return judge(outcome)

    return lenient
