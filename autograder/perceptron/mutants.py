"""Known wrong versions of the composite functions, built from the reference's own steps.

A failing output equal to one of these gets that mistake's key, and so its hint.
"""

import numpy as np

from .reference import ref

TRAIN_MISTAKES = (
    "train_no_shuffle",
    "train_shuffle_once",
    "train_mistakes_after_epoch",
    "train_no_early_stop",
    "train_mistakes_cumulative",
)


def train_variant(X, y, eta, max_epochs, rng, key):
    """``ref.train`` with the mistake ``key`` (one of ``TRAIN_MISTAKES``)."""
    n, d = X.shape
    theta = np.zeros(d + 1)
    mistakes = []
    once = rng.permutation(n) if rng is not None and key == "train_shuffle_once" else None
    count = 0
    for _ in range(max_epochs):
        if rng is None or key == "train_no_shuffle":
            order = range(n)
        else:
            order = once if once is not None else rng.permutation(n)
        if key != "train_mistakes_cumulative":
            count = 0  # the cumulative variant never resets its count
        for i in order:
            if ref.predict(theta, X[i : i + 1])[0] != y[i]:
                count += 1
            theta = ref.update(theta, X[i], y[i], eta)
        if key == "train_mistakes_after_epoch":
            count = int(np.sum(ref.predict(theta, X) != y))
        mistakes.append(count)
        if count == 0 and key != "train_no_early_stop":
            break
    return theta, mistakes


def train_mistakes(X, y, eta, max_epochs, seed):
    """The variants that differ for these arguments (``seed`` None: visiting in order)."""

    def rng():
        return None if seed is None else np.random.default_rng(seed)

    keys = TRAIN_MISTAKES if seed is not None else TRAIN_MISTAKES[2:]
    return {key: train_variant(X, y, eta, max_epochs, rng(), key) for key in keys}


def random_start(theta_shape, integral):
    """A predicate: the returned θ cannot come from θ = 0 (``train_random_init``).

    From θ = 0 with integer inputs and η = 1, every update adds integers, so θ stays
    integral (``integral``); otherwise only the all-zeros case is known.
    """

    def predicate(got):
        if not (isinstance(got, (list, tuple)) and len(got) == 2):
            return False
        theta = got[0]
        if not isinstance(theta, np.ndarray) or theta.shape != theta_shape:
            return False
        if theta.dtype != np.float64 or not np.all(np.isfinite(theta)):
            return False
        if integral:
            return not np.array_equal(theta, np.round(theta))
        return bool(np.any(theta != 0.0))

    return predicate


def step_strict(z):
    return (np.asarray(z) > 0.0).astype(np.float64)


def predict_mistakes(theta, X):
    z = ref.with_bias(X) @ theta
    return {
        "step_strict": step_strict(z),
        "bias_last": ref.step(X @ theta[:-1] + theta[-1]),
        "predict_no_step": z,
    }


def update_mistakes(theta, x, y, eta):
    y_hat = float(ref.predict(theta, x[np.newaxis, :])[0])
    x1 = ref.with_bias(x)
    out = {}
    if float(x1 @ theta) == 0.0:  # with φ(0) = 0 the prediction would be 0 (checked first)
        out["step_strict"] = theta + eta * (y - 0.0) * x1
    out["update_sign"] = theta - eta * (y - y_hat) * x1
    out["update_no_bias"] = theta + eta * (y - y_hat) * np.concatenate([[0.0], x])
    if y_hat == y:
        out["update_when_correct"] = theta + eta * (2.0 * y - 1.0) * x1
    return out
