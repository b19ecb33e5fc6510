"""The small functions whose derivatives and gradients the battery asks the student's
``numerical_derivative`` and ``numerical_gradient`` for.

Plain NumPy and nothing of the reference: the workers get this file's text and run these
functions themselves (``Assignment.worker_functions``), so that the ~100 evaluations of a
numerical gradient check cost no round trip to the grader. Their names already appear in the
feedback; knowing their formulas helps no one pass a check they would otherwise fail.
"""

import numpy as np


def sin_of_square(x):
    """The chain-rule slide's z = sin(x²)."""
    return float(np.sin(x * x))


def cubic(x):
    return float(x**3 - 2.0 * x)


def sum_of_sines(theta):
    return float(np.sum(np.sin(theta) * np.arange(1, theta.size + 1).reshape(theta.shape)))


def sum_of_squares(theta):
    return float(np.sum(theta * theta))


def coupled(theta):
    """Σ_k sin(θ_k θ_(k+1)) + (Σ θ)²: its coordinates interact, so a gradient that leaves
    θ_k shifted after its own two evaluations is wrong for the next ones."""
    flat = np.asarray(theta, dtype=np.float64).ravel()
    return float(np.sum(np.sin(flat * np.roll(flat, -1))) + np.sum(flat) ** 2)
