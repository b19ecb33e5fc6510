"""Inputs for the hidden checks: random data sets with a known answer to "separable?"."""

from itertools import combinations

import numpy as np

from ..engine.checks import mismatch
from . import mutants
from .reference import ref


def integer_separable(rng, n, d, low=-4, high=4):
    """Integer points labelled by a random integer hyperplane, none of them on it.

    Integer inputs keep θ integral from θ = 0 with η = 1 (see mutants.random_start).
    """
    w = np.zeros(d + 1)
    while not np.any(w[1:]):
        w = rng.integers(-3, 4, size=d + 1).astype(np.float64)
    X = np.empty((0, d))
    while X.shape[0] < n:
        x = rng.integers(low, high + 1, size=(1, d)).astype(np.float64)
        if float(ref.with_bias(x)[0] @ w) != 0.0:
            X = np.vstack([X, x])
    return X, ref.step(ref.with_bias(X) @ w)


def separable_set(rng, n, d, max_epochs=100, min_epochs=1):
    """Real-valued points with a margin around a random hyperplane, separated by the
    reference within ``max_epochs`` in at least ``min_epochs`` epochs."""
    for _ in range(200):
        w = rng.normal(size=d + 1)
        w /= np.linalg.norm(w[1:])
        X = rng.normal(0.0, 2.0, size=(4 * n, d))
        z = ref.with_bias(X) @ w
        keep = np.abs(z) > 0.3
        X, y = X[keep][:n], ref.step(z[keep][:n])
        if X.shape[0] < n or len(set(y.tolist())) < 2:
            continue
        _, mistakes = ref.train(X, y, max_epochs=max_epochs)
        if mistakes[-1] == 0 and len(mistakes) >= min_epochs:
            return X, y, len(mistakes)
    X, y = ref.and_data()  # practically never reached
    return X, y, len(ref.train(X, y)[1])


def non_separable_set(rng, n):
    """XOR's four corners under a random affine map, plus random points: 2 inputs, never
    linearly separable (an affine map keeps separability, and XOR has none)."""
    X_xor, y_xor = ref.xor_data()
    A = rng.normal(size=(2, 2))
    while abs(np.linalg.det(A)) < 0.5:
        A = rng.normal(size=(2, 2))
    corners = (X_xor - 0.5) @ A.T * 3.0 + rng.normal(size=2)
    extra = rng.normal(0.0, 2.0, size=(n - 4, 2))
    X = np.vstack([corners, extra])
    y = np.concatenate([y_xor, rng.integers(0, 2, size=n - 4).astype(np.float64)])
    order = rng.permutation(n)
    return X[order], y[order]


def with_sign(rng, d, positive):
    """θ (d + 1,) and x (d,) with θ₀ + Σ θ_j x_j > 0 (``positive``) or < 0."""
    theta, x = rng.normal(size=d + 1), rng.normal(size=d)
    z = float(ref.with_bias(x) @ theta)
    while abs(z) < 0.1:
        theta, x = rng.normal(size=d + 1), rng.normal(size=d)
        z = float(ref.with_bias(x) @ theta)
    return (theta if (z > 0) == positive else -theta), x


def telling_train_case(rng, draw, eta, max_epochs, keys, tries=100):
    """``(X, y, seed)`` from ``draw()`` and a drawn seed on which ``train`` with
    ``default_rng(seed)`` and each mistake of ``keys`` give pairwise different answers, so
    that the check tells them apart (e.g. a second epoch with updates, for shuffle_once)."""
    for _ in range(tries):
        X, y = draw()
        seed = int(rng.integers(2**31))
        found = mutants.train_mistakes(X, y, eta, max_epochs, seed)
        answers = [ref.train(X, y, eta, max_epochs, np.random.default_rng(seed))]
        answers += [found[key] for key in keys]
        if all(mismatch(a, b, explain=False) for a, b in combinations(answers, 2)):
            break
    return X, y, seed
