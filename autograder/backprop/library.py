"""The known-mistake library: what classic wrong versions of each contract function return.

For every contract function, a list of ``(key, wrong)``: ``wrong`` takes the function's own
arguments (as the reference receives them) and returns what a student's version with that
mistake would return, computed here from the reference; ``questions.HINTS[key]`` says what the
mistake is in the slides' words. Several entries may share a key (the same misconception
written two ways). ``ERRORS`` maps text found in an exception's message to a key.

Every check of a function gets its entries (``common.check``, the public cases too). They are
computed only when the check fails, on the grader's own inputs (never on student data), and
an entry that does not apply to an input (a shape it cannot take) is skipped.
"""

import numpy as np

from ..engine.checks import mismatch
from . import mutants
from .reference import ref


def _sigma(z):
    return ref.sigmoid(z)


def _sigma_prime(z):
    return ref.sigmoid_prime(z)


def _with_bias(a, constant=1.0, last=False):
    column = np.full((a.shape[0], 1), constant)
    return np.hstack([a, column] if last else [column, a])


def _raw(y, y_hat):
    return float(np.sum((np.asarray(y) - np.asarray(y_hat)) ** 2))


def _clip(y_hat):
    return np.clip(y_hat, 1e-12, 1.0 - 1e-12)


def _activation_of(g_prime):
    """The activation whose derivative ``g_prime`` is (the pairs of the contract)."""
    for g, gp in ((ref.sigmoid, ref.sigmoid_prime), (ref.tanh, ref.tanh_prime)):
        if g_prime is gp:
            return g
    return ref.identity


def _per_row_gradient(f, theta, h=1e-5):
    """A "gradient" that moves a whole row θ[i] at once and gives each row one number."""
    work = np.array(theta, dtype=np.float64)
    grad = np.zeros_like(work)
    for i in range(work.shape[0]):
        plus, minus = work.copy(), work.copy()
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus) - f(minus)) / (2.0 * h)
    return grad


def _sum_not_difference(f, theta, h=1e-5):
    """(f(θ + h e_k) + f(θ − h e_k)) / 2h: a sum where the difference belongs."""
    work = np.array(theta, dtype=np.float64)
    grad = np.zeros_like(work)
    for k in np.ndindex(work.shape):
        plus, minus = work.copy(), work.copy()
        plus[k] += h
        minus[k] -= h
        grad[k] = (f(plus) + f(minus)) / (2.0 * h)
    return grad


def _init(sizes, rng, draw):
    return [draw(rng, a, b) for a, b in zip(sizes[:-1], sizes[1:])]


def _weights_then_bias(rng, a, b):
    weights = rng.normal(0.0, 1.0, size=(a, b))
    return np.vstack([rng.normal(0.0, 1.0, size=(1, b)), weights])


def _slipped(slip):
    """The library entry of one of ``mutants.BACKPROP_SLIPS``."""

    def wrong(thetas, X, y, g=ref.sigmoid, g_prime=ref.sigmoid_prime):
        if slip.endswith("default_prime") and g_prime is ref.sigmoid_prime:
            return None  # the default is right for a sigmoid network
        return mutants.backprop_variant(thetas, X, y, g, g_prime, slip)

    return wrong


def _predict_rounded(thetas, X, g=ref.sigmoid):
    return (ref.predict(thetas, X, g) >= 0.5).astype(np.float64)


def _update_one_layer(thetas, grads, eta, which):
    out = [np.array(t, dtype=np.float64) for t in thetas]
    out[which] = thetas[which] - eta * grads[which]
    return out


def _not_restored(f, theta, h=1e-5):
    """The central difference with θ_k left at θ_k − h after its two evaluations."""
    work = np.array(theta, dtype=np.float64)
    grad = np.zeros_like(work)
    for k in np.ndindex(work.shape):
        work[k] += h
        f_plus = f(work)
        work[k] -= 2.0 * h
        grad[k] = (f_plus - f(work)) / (2.0 * h)
    return grad


def _one_sided(f, theta, h=1e-5):
    """Forward differences (f(θ + h e_k) − f(θ)) / h, entry by entry."""
    work = np.array(theta, dtype=np.float64)
    grad = np.zeros_like(work)
    for k in np.ndindex(work.shape):
        moved = work.copy()
        moved[k] += h
        grad[k] = (f(moved) - f(work)) / h
    return grad


def _along_all(f, theta, h=1e-5):
    """One directional derivative along (1, ..., 1), written into every entry."""
    work = np.array(theta, dtype=np.float64)
    ones = np.ones_like(work)
    return np.full(work.shape, (f(work + h * ones) - f(work - h * ones)) / (2.0 * h))


def _given_h_ignored(exact):
    """The contract's default step where the caller gave another ``h``; None (the entry does
    not apply) for the default itself."""

    def wrong(f, x, h=1e-5):
        return None if h == 1e-5 else exact(f, x)

    return wrong


LIBRARY = {
    "step": [
        ("step_strict", lambda z: (np.asarray(z) > 0).astype(np.float64)),
        ("step_sign", lambda z: np.where(np.asarray(z) >= 0, 1.0, -1.0)),
        ("step_half_at_zero", lambda z: (np.sign(z) + 1.0) / 2.0),
    ],
    "sigmoid": [
        ("sigmoid_sign", lambda z: _sigma(-np.asarray(z))),
        ("sigmoid_denominator", lambda z: 1.0 / (1.0 - np.exp(-np.asarray(z)))),
        ("activation_swapped", lambda z: np.tanh(z)),
    ],
    "sigmoid_prime": [
        ("prime_on_activation", lambda z: np.asarray(z) * (1.0 - np.asarray(z))),
        ("sigmoid_prime_is_sigmoid", lambda z: _sigma(z)),
        ("sigmoid_prime_is_sigmoid", lambda z: 1.0 - _sigma(z)),
        ("sigmoid_prime_formula", lambda z: _sigma(z) * (1.0 + _sigma(z))),
        ("sigmoid_prime_formula", lambda z: _sigma(z) ** 2),
        ("sigmoid_prime_formula", lambda z: _sigma(z) * (1.0 - np.asarray(z))),
        ("sigmoid_prime_formula", lambda z: 1.0 - _sigma(z) ** 2),
        ("sign_flipped_derivative", lambda z: -ref.sigmoid_prime(z)),
    ],
    "tanh": [
        ("activation_swapped", lambda z: _sigma(z)),
        ("tanh_via_sigmoid", lambda z: 2.0 * _sigma(z) - 1.0),
        ("tanh_via_sigmoid", lambda z: 2.0 * _sigma(2.0 * np.asarray(z))),
    ],
    "tanh_prime": [
        ("prime_on_activation", lambda z: 1.0 - np.asarray(z) ** 2),
        ("tanh_prime_no_square", lambda z: 1.0 - np.tanh(z)),
        ("tanh_prime_square_inside", lambda z: 1.0 - np.tanh(np.asarray(z) ** 2)),
        ("tanh_prime_formula", lambda z: 1.0 + np.tanh(z) ** 2),
        ("tanh_prime_formula", lambda z: (1.0 - np.tanh(z)) ** 2),
        ("tanh_prime_formula", lambda z: np.tanh(z) * (1.0 - np.tanh(z))),
        ("tanh_prime_formula", lambda z: 2.0 * np.tanh(z)),
        ("tanh_prime_is_tanh", lambda z: np.tanh(z)),
        ("sign_flipped_derivative", lambda z: np.tanh(z) ** 2 - 1.0),
    ],
    "identity": [
        ("identity_is_derivative", lambda z: np.ones_like(np.asarray(z, dtype=np.float64))),
    ],
    "identity_prime": [
        ("identity_prime_returns_z", lambda z: np.array(z, dtype=np.float64)),
        ("identity_prime_zero", lambda z: np.zeros_like(np.asarray(z, dtype=np.float64))),
    ],
    "mse": [
        ("sum_not_mean", lambda y, y_hat: _raw(y, y_hat)),
        ("mean_over_outputs", lambda y, y_hat: _raw(y, y_hat) / y.size),
        ("half_factor", lambda y, y_hat: _raw(y, y_hat) / len(y) / 2.0),
        ("mse_square_root", lambda y, y_hat: np.sqrt(_raw(y, y_hat)) / len(y)),
        ("mse_square_root", lambda y, y_hat: np.sqrt(_raw(y, y_hat))),
        ("mse_square_root", lambda y, y_hat: np.sqrt(_raw(y, y_hat) / len(y))),
        (
            "mse_square_root",
            lambda y, y_hat: float(np.mean(np.linalg.norm(y - y_hat, axis=1))),
        ),
        ("mse_divides_by_outputs", lambda y, y_hat: _raw(y, y_hat) / y.shape[1]),
        ("mse_absolute", lambda y, y_hat: float(np.sum(np.abs(y - y_hat))) / len(y)),
        ("loss_not_reduced", lambda y, y_hat: np.sum((y - y_hat) ** 2, axis=1)),
        ("loss_not_reduced", lambda y, y_hat: np.mean((y - y_hat) ** 2, axis=0)),
        ("loss_not_reduced", lambda y, y_hat: (y - y_hat) ** 2),
    ],
    "binary_cross_entropy": [
        ("mean_not_sum", lambda y, p: ref.binary_cross_entropy(y, p) / len(y)),
        ("sign_of_loss", lambda y, p: -ref.binary_cross_entropy(y, p)),
        ("bce_one_term", lambda y, p: -float(np.sum(y * np.log(_clip(p))))),
        ("bce_one_term", lambda y, p: -float(np.sum((1 - y) * np.log(1 - _clip(p))))),
        (
            "bce_minus_on_one_term",
            lambda y, p: float(np.sum(-y * np.log(_clip(p)) + (1 - y) * np.log(1 - _clip(p)))),
        ),
        (
            "bce_terms_swapped",
            lambda y, p: -float(np.sum(y * np.log(1 - _clip(p)) + (1 - y) * np.log(_clip(p)))),
        ),
        (
            "bce_second_term",
            lambda y, p: -float(np.sum(y * np.log(_clip(p)) + (1 + y) * np.log(1 - _clip(p)))),
        ),
        (
            "bce_second_term",
            lambda y, p: -float(np.sum(y * np.log(_clip(p)) + (1 - y) * np.log(1 + _clip(p)))),
        ),
        ("log_base", lambda y, p: ref.binary_cross_entropy(y, p) / np.log(10.0)),
        ("log_base", lambda y, p: ref.binary_cross_entropy(y, p) / np.log(2.0)),
        (
            "loss_not_reduced",
            lambda y, p: -(y * np.log(_clip(p)) + (1 - y) * np.log(1 - _clip(p))),
        ),
    ],
    "categorical_cross_entropy": [
        ("mean_not_sum", lambda Y, P: ref.categorical_cross_entropy(Y, P) / len(Y)),
        ("sign_of_loss", lambda Y, P: -ref.categorical_cross_entropy(Y, P)),
        (
            "cce_binary_formula",
            lambda Y, P: -float(np.sum(Y * np.log(_clip(P)) + (1 - Y) * np.log(1 - _clip(P)))),
        ),
        ("cce_all_classes", lambda Y, P: -float(np.sum(np.log(_clip(P))))),
        ("cce_row_max", lambda Y, P: -float(np.sum(np.log(_clip(np.max(P, axis=1)))))),
        ("cce_mean_over_entries", lambda Y, P: ref.categorical_cross_entropy(Y, P) / Y.size),
        ("log_base", lambda Y, P: ref.categorical_cross_entropy(Y, P) / np.log(10.0)),
        ("log_base", lambda Y, P: ref.categorical_cross_entropy(Y, P) / np.log(2.0)),
        ("loss_not_reduced", lambda Y, P: -np.sum(Y * np.log(_clip(P)), axis=1)),
    ],
    "numerical_derivative": [
        ("forward_difference", lambda f, x, h=1e-5: (f(x + h) - f(x)) / h),
        ("wrong_denominator", lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / h),
        ("precedence_2h", lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / 2.0 * h),
        ("ignores_h", _given_h_ignored(ref.numerical_derivative)),
        ("h_too_small", lambda f, x, h=1e-5: 0.0),
        ("backward_difference", lambda f, x, h=1e-5: (f(x) - f(x - h)) / h),
        ("difference_not_divided", lambda f, x, h=1e-5: f(x + h) - f(x - h)),
        ("difference_sign", lambda f, x, h=1e-5: (f(x + h) + f(x - h)) / (2.0 * h)),
    ],
    "numerical_gradient": [
        ("forward_difference", _one_sided),
        ("wrong_denominator", lambda f, theta, h=1e-5: 2.0 * ref.numerical_gradient(f, theta, h)),
        ("gradient_not_restored", _not_restored),
        ("perturbs_all", _along_all),
        ("ignores_h", _given_h_ignored(ref.numerical_gradient)),
        ("gradient_by_rows", lambda f, theta, h=1e-5: _per_row_gradient(f, theta, h)),
        ("difference_sign", _sum_not_difference),
        ("gradient_zero", lambda f, theta, h=1e-5: np.zeros(np.shape(theta))),
        (
            "backward_difference",
            lambda f, theta, h=1e-5: np.array(
                [
                    (f(theta) - f(theta - h * np.eye(theta.size)[k].reshape(theta.shape))) / h
                    for k in range(theta.size)
                ]
            ).reshape(theta.shape),
        ),
    ],
    "init_params": [
        (
            "init_shape",
            lambda sizes, rng: _init(sizes, rng, lambda r, a, b: r.normal(size=(a, b))),
        ),
        (
            "init_draw_order",
            lambda sizes, rng: _init(sizes, rng, lambda r, a, b: r.normal(size=(b, a + 1)).T),
        ),
        ("init_bias_drawn_apart", lambda sizes, rng: _init(sizes, rng, _weights_then_bias)),
        ("init_layer_count", lambda sizes, rng: ref.init_params(sizes[:2], rng)),
        ("init_layer_count", lambda sizes, rng: ref.init_params(sizes[:-1], rng)),
        (
            "init_distribution",
            lambda sizes, rng: _init(sizes, rng, lambda r, a, b: r.uniform(size=(a + 1, b))),
        ),
        (
            "init_distribution",
            lambda sizes, rng: _init(sizes, rng, lambda r, a, b: r.random(size=(a + 1, b))),
        ),
        (
            "init_distribution",
            lambda sizes, rng: _init(
                sizes, rng, lambda r, a, b: r.uniform(-1.0, 1.0, size=(a + 1, b))
            ),
        ),
        *[
            (
                "init_scaled",
                lambda sizes, rng, s=scale: _init(
                    sizes, rng, lambda r, a, b: r.normal(0.0, 1.0, size=(a + 1, b)) * s(a, b)
                ),
            )
            for scale in (
                lambda a, b: 1.0 / np.sqrt(a),
                lambda a, b: 1.0 / np.sqrt(a + 1),
                lambda a, b: np.sqrt(2.0 / a),
                lambda a, b: np.sqrt(2.0 / (a + b)),
                lambda a, b: np.sqrt(1.0 / (a + b)),
                lambda a, b: 0.1,
                lambda a, b: 0.01,
            )
        ],
    ],
    "forward": [
        (
            "zs_are_activations",
            lambda thetas, X, g=ref.sigmoid: (
                (ref.forward(thetas, X, g)[1][1:],) + ref.forward(thetas, X, g)[1:]
            ),
        ),
        ("bias_last", mutants.forward_bias_last),
        ("bias_dropped", mutants.forward_bias_dropped),
        ("no_output_activation", mutants.forward_no_output_activation),
        ("activation_on_input", mutants.forward_activation_on_input),
        (
            "forward_swapped_outputs",
            lambda thetas, X, g=ref.sigmoid: ref.forward(thetas, X, g)[::-1],
        ),
        ("ignores_g", lambda thetas, X, g=ref.sigmoid: ref.forward(thetas, X, ref.sigmoid)),
    ],
    "predict": [
        ("no_output_activation", lambda thetas, X, g=ref.sigmoid: ref.forward(thetas, X, g)[0][-1]),
        ("predict_rounded", _predict_rounded),
        ("ignores_g", lambda thetas, X, g=ref.sigmoid: ref.predict(thetas, X, ref.sigmoid)),
        ("predict_hidden_layer", lambda thetas, X, g=ref.sigmoid: ref.forward(thetas, X, g)[1][-2]),
        ("predict_returns_list", lambda thetas, X, g=ref.sigmoid: ref.forward(thetas, X, g)[1]),
    ],
    "delta_output": [
        ("missing_g_prime", lambda a, y, z, gp=ref.sigmoid_prime: a - y),
        ("sign_flipped", lambda a, y, z, gp=ref.sigmoid_prime: (y - a) * gp(z)),
        ("prime_on_activation", lambda a, y, z, gp=ref.sigmoid_prime: (a - y) * gp(a)),
        ("delta_from_loss", lambda a, y, z, gp=ref.sigmoid_prime: 0.5 * (a - y) ** 2 * gp(z)),
        ("delta_from_loss", lambda a, y, z, gp=ref.sigmoid_prime: (a - y) ** 2 * gp(z)),
        ("delta_divided_by_n", lambda a, y, z, gp=ref.sigmoid_prime: (a - y) * gp(z) / len(a)),
        ("delta_output_factor_two", lambda a, y, z, gp=ref.sigmoid_prime: 2.0 * (a - y) * gp(z)),
        ("ignores_g_prime", lambda a, y, z, gp=ref.sigmoid_prime: (a - y) * ref.sigmoid_prime(z)),
        ("ignores_g_prime", lambda a, y, z, gp=ref.sigmoid_prime: (a - y) * a * (1 - a)),
        ("g_for_g_prime", lambda a, y, z, gp=ref.sigmoid_prime: (a - y) * _activation_of(gp)(z)),
        ("g_for_g_prime", lambda a, y, z, gp=ref.sigmoid_prime: (a - y) * a),
    ],
    "delta_hidden": [
        ("wrong_bias_row_dropped", lambda d, t, z, gp=ref.sigmoid_prime: (d @ t[:-1].T) * gp(z)),
        ("hidden_missing_g_prime", lambda d, t, z, gp=ref.sigmoid_prime: d @ t[1:].T),
        ("ignores_g_prime", lambda d, t, z, gp=ref.sigmoid_prime: (d @ t[1:].T) * _sigma_prime(z)),
        ("hidden_no_transpose", lambda d, t, z, gp=ref.sigmoid_prime: (d @ t[1:]) * gp(z)),
        (
            "prime_on_activation",
            lambda d, t, z, gp=ref.sigmoid_prime: (d @ t[1:].T) * gp(_activation_of(gp)(z)),
        ),
        (
            "g_for_g_prime",
            lambda d, t, z, gp=ref.sigmoid_prime: (d @ t[1:].T) * _activation_of(gp)(z),
        ),
        (
            "delta_divided_by_n",
            lambda d, t, z, gp=ref.sigmoid_prime: (d @ t[1:].T) * gp(z) / len(d),
        ),
        (
            "hidden_prime_on_z_as_a",
            lambda d, t, z, gp=ref.sigmoid_prime: (d @ t[1:].T) * z * (1 - z),
        ),
    ],
    "weight_gradient": [
        ("grad_transposed", lambda d, a: ref.weight_gradient(d, a).T),
        ("bias_last", lambda d, a: _with_bias(a, last=True).T @ d / len(a)),
        ("grad_divides_by_width", lambda d, a: _with_bias(a).T @ d / a.shape[1]),
        ("grad_divides_by_width", lambda d, a: _with_bias(a).T @ d / (a.shape[1] + 1)),
        ("grad_sum_not_mean", lambda d, a: _with_bias(a).T @ d),
        ("grad_bias_input_zero", lambda d, a: _with_bias(a, 0.0).T @ d / len(a)),
        ("grad_no_bias_row", lambda d, a: a.T @ d / len(a)),
    ],
    "backprop": [
        ("backprop_default_g_prime", _slipped("output_default_prime")),
        ("backprop_default_g_prime", _slipped("hidden_default_prime")),
        ("prime_on_activation", _slipped("output_prime_at_a")),
        ("prime_on_activation", _slipped("hidden_prime_at_a")),
        ("backprop_first_layer_missing", _slipped("first_layer_missing")),
        ("backprop_argument_order", _slipped("output_arguments_swapped")),
        (
            "grad_sum_not_mean",
            lambda thetas, X, y, g=ref.sigmoid, gp=ref.sigmoid_prime: [
                t * len(X) for t in ref.backprop(thetas, X, y, g, gp)
            ],
        ),
        ("backprop_wrong_activation", _slipped("next_activation")),
        ("backprop_z_index", _slipped("z_of_next_layer")),
        ("g_for_g_prime", _slipped("g_for_g_prime")),
        ("backprop_guard", _slipped("guard_off_by_one")),
        ("backprop_no_hidden_delta", _slipped("no_hidden_delta")),
        (
            "grads_reversed",
            lambda thetas, X, y, g=ref.sigmoid, gp=ref.sigmoid_prime: ref.backprop(
                thetas, X, y, g, gp
            )[::-1],
        ),
        (
            "delta_divided_by_n",
            lambda thetas, X, y, g=ref.sigmoid, gp=ref.sigmoid_prime: [
                t / len(X) for t in ref.backprop(thetas, X, y, g, gp)
            ],
        ),
    ],
    "update": [
        ("update_sign", lambda thetas, grads, eta: ref.update(thetas, grads, -eta)),
        (
            "update_divides_eta",
            lambda thetas, grads, eta: [t - g / eta for t, g in zip(thetas, grads)],
        ),
        ("update_no_eta", lambda thetas, grads, eta: [t - g for t, g in zip(thetas, grads)]),
        ("update_one_layer", lambda thetas, grads, eta: _update_one_layer(thetas, grads, eta, 0)),
        ("update_one_layer", lambda thetas, grads, eta: _update_one_layer(thetas, grads, eta, -1)),
    ],
}

# Text in an exception's message -> mistake key, per function.
ERRORS = {
    "delta_hidden": {"matmul": "hidden_no_transpose", "mismatch": "hidden_no_transpose"},
    "numerical_gradient": {"len() of unsized": "gradient_by_rows"},
}


def candidates(fn, live):
    """``{key: predicate}`` for the library's entries of ``fn``: each predicate says whether a
    value is what the key's entries return on the check's arguments, and no entry of another
    key (an input where two mistakes give the same value is evidence of neither). ``live()``
    gives those arguments as the reference takes them, fresh each time (a new rng for each
    entry), as ``(args, kwargs)``. Entries are computed once, when a predicate is first asked
    (only for a failing check)."""
    entries, values = LIBRARY.get(fn, []), []

    def matching(got):
        if not values:
            values.extend(_value(wrong, live) for _, wrong in entries)
            values.append(None)  # computed, even when no entry applies
        keys = set()
        for (key, _), value in zip(entries, values):
            try:
                if value is not None and not mismatch(
                    value, got, rtol=1e-6, atol=1e-12, explain=False
                ):
                    keys.add(key)
            except (TypeError, ValueError):
                continue
        return keys

    def predicate_of(key):
        return lambda got: matching(got) == {key}

    return {key: predicate_of(key) for key in dict.fromkeys(k for k, _ in entries)}


def _value(wrong, live):
    """What one entry returns on the check's arguments, or None where it does not apply."""
    args, kwargs = live()
    try:
        with np.errstate(all="ignore"):
            return wrong(*args, **kwargs)
    except Exception:  # noqa: BLE001 - an entry that does not apply to this input
        return None


def unambiguous_values(fn, live, expected):
    """``{key: value}`` of the entries of ``fn`` on these arguments whose value differs from
    ``expected`` and from the value of every entry of another key (the first entry of a key
    that gives a value)."""
    found = []
    for key, wrong in LIBRARY.get(fn, []):
        value = _value(wrong, live)
        if value is None or not mismatch(value, expected, rtol=1e-6, atol=1e-12, explain=False):
            continue
        found.append((key, value))
    out = {}
    for key, value in found:
        clash = any(other != key and _same(value, theirs) for other, theirs in found)
        if not clash and key not in out:
            out[key] = value
    return out


def _same(a, b):
    try:
        return not mismatch(a, b, rtol=1e-6, atol=1e-12, explain=False)
    except (TypeError, ValueError):
        return False
