"""The perceptron: one threshold unit and its learning rule, in NumPy.

The lecture's perceptron slides, the ones before "A Multilayer Perceptron for XOR". Every
function below names the slide it implements. Notation, once for the whole module:

- ``X`` is a batch of ``N`` instances as rows, shape ``(N, D)``; ``x`` is one instance,
  shape ``(D,)``; labels ``y`` are 0.0 or 1.0, shape ``(N,)``.
- ``theta`` holds the ``D + 1`` weights, shape ``(D + 1,)``. ``theta[0]`` is the bias
  ``θ_0``, the weight of a constant input ``x_0 = 1``; ``theta[j]`` is the weight ``θ_j`` of
  input ``x_j``. So ``θ_0 + Σ_j θ_j x_j = [1, x] · θ``.
- ``φ`` is the step activation, ``ŷ`` a prediction (0.0 or 1.0), ``η`` the learning rate.
- Randomness comes only from the ``numpy.random.Generator`` you are given.

Everything is float64 and pure: no function modifies its arguments.
"""

import numpy as np

# --- The unit (slide "Perceptron") ---


def step(z):
    """Step activation φ (slide "Perceptron"): ``φ(z) = 1 if z ≥ 0 else 0``.

    The same step as in "A Multilayer Perceptron for XOR": at exactly 0 the unit fires.

    Parameters
    ----------
    z : ndarray, any shape
        Weighted sums ``θ_0 + Σ_j θ_j x_j``.

    Returns
    -------
    ndarray, same shape as ``z``, float64 values in {0.0, 1.0}; ``step(0) == 1``.
    """
    raise NotImplementedError("step: see slide 'Perceptron'")


def with_bias(X):
    """Prepend the constant input ``x_0 = 1`` (given).

    ``(N, D)`` -> ``(N, D + 1)`` with ones in column 0 (each row becomes ``[1, x]``); a
    single instance ``(D,)`` -> ``(D + 1,)``, ``[1, x]``.
    """
    X = np.asarray(X, dtype=np.float64)
    return np.concatenate([np.ones(X.shape[:-1] + (1,)), X], axis=-1)


def predict(theta, X):
    """Perceptron output (slide "Perceptron"): ``ŷ = φ(θ_0 + Σ_j θ_j x_j)`` for every row.

    In matrix form ``ŷ = φ([1, X] θ)``, with ``[1, X] = with_bias(X)``.

    Parameters
    ----------
    theta : ndarray, shape (D + 1,)
        ``theta[0]`` is the bias ``θ_0``.
    X : ndarray, shape (N, D)

    Returns
    -------
    ndarray, shape (N,), float64 values in {0.0, 1.0}
    """
    raise NotImplementedError("predict: see slide 'Perceptron'")


def update(theta, x, y, eta):
    """One step of the learning rule (slide "Perceptron learning rule").

    ``θ ← θ + η (y − ŷ) [1, x]`` with ``ŷ = φ(θ_0 + Σ_j θ_j x_j)``: unchanged when ``ŷ = y``,
    moved towards ``[1, x]`` when ``y = 1, ŷ = 0``, away from it when ``y = 0, ŷ = 1``.

    Parameters
    ----------
    theta : ndarray, shape (D + 1,)
    x : ndarray, shape (D,)
        One instance.
    y : float
        Its label, 0.0 or 1.0.
    eta : float
        Learning rate η.

    Returns
    -------
    ndarray, shape (D + 1,), a new array (``theta`` is left unchanged)
    """
    raise NotImplementedError("update: see slide 'Perceptron learning rule'")


def train(X, y, eta=1.0, max_epochs=100, rng=None):
    """The perceptron learning algorithm (slide "Perceptron learning rule").

    Start from ``θ = 0`` (``np.zeros(D + 1)``). Each epoch visits every instance once, in the
    order ``rng.permutation(N)`` (a new permutation every epoch) when ``rng`` is given, else
    ``0, 1, ..., N − 1``; for each instance, count a mistake when ``ŷ ≠ y`` (before its
    update), then apply ``update``. ``mistakes[e]`` is the number of mistakes made *during*
    epoch ``e``. Stop after the first epoch with 0 mistakes (θ no longer changes, slide
    "Perceptron convergence"), or after ``max_epochs`` epochs.

    Parameters
    ----------
    X : ndarray, shape (N, D)
    y : ndarray, shape (N,)
        Labels, 0.0 or 1.0.
    eta : float, optional
        Learning rate η.
    max_epochs : int, optional
    rng : numpy.random.Generator or None, optional

    Returns
    -------
    theta : ndarray, shape (D + 1,), the learned weights
    mistakes : list of int, one per epoch run (at most ``max_epochs``)
    """
    raise NotImplementedError("train: see slide 'Perceptron learning rule'")


# --- Logic gates (slides "Perceptron convergence" and "A Multilayer Perceptron for XOR") ---


def and_data():
    """Truth table of AND (slide "A Multilayer Perceptron for XOR").

    Returns
    -------
    X : ndarray, shape (4, 2), the inputs in the order (0, 0), (0, 1), (1, 0), (1, 1)
    y : ndarray, shape (4,), ``x_1 AND x_2`` for each row, 0.0 or 1.0
    """
    raise NotImplementedError("and_data: see slide 'A Multilayer Perceptron for XOR'")


def or_data():
    """Truth table of OR (slide "A Multilayer Perceptron for XOR").

    Returns
    -------
    X : ndarray, shape (4, 2), the inputs in the order (0, 0), (0, 1), (1, 0), (1, 1)
    y : ndarray, shape (4,), ``x_1 OR x_2`` for each row, 0.0 or 1.0
    """
    raise NotImplementedError("or_data: see slide 'A Multilayer Perceptron for XOR'")


def xor_data():
    """Truth table of XOR (slide "A Multilayer Perceptron for XOR").

    Returns
    -------
    X : ndarray, shape (4, 2), the inputs in the order (0, 0), (0, 1), (1, 0), (1, 1)
    y : ndarray, shape (4,), ``x_1 XOR x_2`` for each row, 0.0 or 1.0
    """
    raise NotImplementedError("xor_data: see slide 'A Multilayer Perceptron for XOR'")


def separable(X, y, max_epochs=100):
    """Whether the perceptron separates the data (slide "Perceptron convergence").

    ``True`` when ``train(X, y, max_epochs=max_epochs)`` (in order, no ``rng``) reaches an
    epoch with 0 mistakes, even if that is the last epoch allowed; ``False`` otherwise. An
    epoch without mistakes means that ``θ`` classifies every instance correctly, so ``True``
    proves the data linearly separable; ``False`` means it was not separated within
    ``max_epochs`` (never, for XOR: no line separates it).

    Parameters
    ----------
    X : ndarray, shape (N, D)
    y : ndarray, shape (N,)
    max_epochs : int, optional

    Returns
    -------
    bool
    """
    raise NotImplementedError("separable: see slide 'Perceptron convergence'")
