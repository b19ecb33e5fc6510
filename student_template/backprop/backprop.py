"""Training a multilayer perceptron with backpropagation, in NumPy.

Lecture 15, "Learning Parameters of Multilayer Perceptron with Backpropagation". Every
function below names the slide it implements. Notation, once for the whole module:

- ``X`` is a batch of ``N`` instances as rows, shape ``(N, D)``; targets ``y`` are ``(N, C)``.
- A network with layer sizes ``[n_0, ..., n_L]`` is a list ``thetas`` of ``L`` matrices;
  ``thetas[l]`` is ``θ^(l+1)`` of the slides, shape ``(n_l + 1, n_{l+1})``. Row 0 holds the
  bias weights ``θ_0j`` (the slides' ``a_0 = 1`` trick).
- ``z`` (the slides' ``r``, ``s``) is a pre-activation, ``a = g(z)`` an activation, ``g'`` the
  derivative of the activation, taken at ``z``. ``δ`` is the error of a layer, ``η`` the
  learning rate.
- The training loss is the slides' ``L = ½ (a − y)²`` averaged over the batch,
  ``L = (1/N) Σ_i ½ ‖a_i − y_i‖²``, so gradients are batch means.

Everything is float64 and pure: no function modifies its arguments.
"""

import numpy as np

# --- Activations (slide "A Multilayer Perceptron for XOR"; the backprop slides' g, g') ---


def step(z):
    """Step activation φ (slide "A Multilayer Perceptron for XOR"): ``φ(z) = 1 if z ≥ 0 else 0``.

    Parameters
    ----------
    z : ndarray, any shape
        Pre-activations.

    Returns
    -------
    ndarray, same shape as ``z``, float64 values in {0.0, 1.0}; ``step(0) == 1``.
    """
    raise NotImplementedError("step: see slide 'A Multilayer Perceptron for XOR'")


def sigmoid(z):
    """Logistic activation ``g(z) = σ(z) = 1 / (1 + e^(−z))``.

    Slide "Chaining derivatives: the Backpropagation algorithm" (its ``g()``).

    It must not overflow (no RuntimeWarning) for large ``|z|``: for ``z < 0`` use the
    equivalent form ``e^z / (1 + e^z)``.

    Parameters
    ----------
    z : ndarray, any shape

    Returns
    -------
    ndarray, same shape as ``z``, values in [0, 1].
    """
    raise NotImplementedError(
        "sigmoid: see slide 'Chaining derivatives: the Backpropagation algorithm'"
    )


def sigmoid_prime(z):
    """Derivative of the sigmoid (slide "Chain rule"): ``g'(z) = σ(z) (1 − σ(z))``.

    Takes the pre-activation ``z``, as ``g'`` does in every backprop formula.

    Parameters
    ----------
    z : ndarray, any shape
        Pre-activations (not activations).

    Returns
    -------
    ndarray, same shape as ``z``.
    """
    raise NotImplementedError("sigmoid_prime: see slide 'Chain rule'")


def tanh(z):
    """Hyperbolic tangent activation ``g(z) = tanh z``.

    Slide "Chaining derivatives: the Backpropagation algorithm" (its ``g()``).

    Parameters
    ----------
    z : ndarray, any shape

    Returns
    -------
    ndarray, same shape as ``z``, values in [−1, 1].
    """
    raise NotImplementedError(
        "tanh: see slide 'Chaining derivatives: the Backpropagation algorithm'"
    )


def tanh_prime(z):
    """Derivative of tanh (slide "Chain rule"): ``g'(z) = 1 − tanh² z``, at the pre-activation.

    Parameters
    ----------
    z : ndarray, any shape
        Pre-activations (not activations).

    Returns
    -------
    ndarray, same shape as ``z``.
    """
    raise NotImplementedError("tanh_prime: see slide 'Chain rule'")


def identity(z):
    """Identity activation ``g(z) = z``, as a new float64 array.

    Slide "Chaining derivatives: the Backpropagation algorithm" (its ``g()``).

    Parameters
    ----------
    z : ndarray, any shape

    Returns
    -------
    ndarray, same shape as ``z`` (a copy, never ``z`` itself).
    """
    raise NotImplementedError(
        "identity: see slide 'Chaining derivatives: the Backpropagation algorithm'"
    )


def identity_prime(z):
    """Derivative of the identity (slide "Chain rule"): ``g'(z) = 1`` everywhere.

    Parameters
    ----------
    z : ndarray, any shape

    Returns
    -------
    ndarray of ones, same shape as ``z``.
    """
    raise NotImplementedError("identity_prime: see slide 'Chain rule'")


# --- Losses (slide "Loss Functions") ---

EPS = 1e-12  # predictions are clipped to [EPS, 1 − EPS] so that log never sees 0


def mse(y, y_hat):
    """Mean squared error of slide "Loss Functions": ``L = (1/N) Σ_i ‖y_i − ŷ_i‖²``.

    Squared errors are summed over the ``C`` outputs and averaged over the ``N`` instances.

    Parameters
    ----------
    y : ndarray, shape (N, C)
        Targets.
    y_hat : ndarray, shape (N, C)
        Predictions.

    Returns
    -------
    float
    """
    raise NotImplementedError("mse: see slide 'Loss Functions'")


def binary_cross_entropy(y, y_hat):
    """Binary cross-entropy of slide "Loss Functions", summed over instances.

    ``L = Σ_i −[y_i log ŷ_i + (1 − y_i) log(1 − ŷ_i)]`` with ``ŷ`` clipped to
    ``[1e-12, 1 − 1e-12]`` so the loss is always finite.

    Parameters
    ----------
    y : ndarray, shape (N, 1)
        Labels in {0, 1}.
    y_hat : ndarray, shape (N, 1)
        Predicted probabilities ``p(y = 1 | x; θ)``.

    Returns
    -------
    float
    """
    raise NotImplementedError("binary_cross_entropy: see slide 'Loss Functions'")


def categorical_cross_entropy(Y, Y_hat):
    """Multiclass cross-entropy of slide "Loss Functions": ``L = −Σ_i Σ_j y_ij log ŷ_ij``.

    Summed over instances and classes, with ``ŷ`` clipped to ``[1e-12, 1 − 1e-12]``.

    Parameters
    ----------
    Y : ndarray, shape (N, C)
        One-hot labels.
    Y_hat : ndarray, shape (N, C)
        Predicted class probabilities.

    Returns
    -------
    float
    """
    raise NotImplementedError("categorical_cross_entropy: see slide 'Loss Functions'")


# --- Derivatives (slides "Derivative" and "Gradient") ---


def numerical_derivative(f, x, h=1e-5):
    """Central-difference derivative of a scalar function (slide "Derivative").

    ``f'(x) ≈ (f(x + h) − f(x − h)) / 2h``.

    Parameters
    ----------
    f : callable, float -> float
    x : float
    h : float, optional

    Returns
    -------
    float
    """
    raise NotImplementedError("numerical_derivative: see slide 'Derivative'")


def numerical_gradient(f, theta, h=1e-5):
    """Central-difference gradient of a scalar function of an array (slide "Gradient").

    For every entry ``θ_k``: ``∂f/∂θ_k ≈ (f(θ + h e_k) − f(θ − h e_k)) / 2h``.
    ``theta`` itself is never modified: perturb a copy.

    Parameters
    ----------
    f : callable, ndarray shaped like ``theta`` -> float
    theta : ndarray, any shape
    h : float, optional

    Returns
    -------
    ndarray, same shape as ``theta``.
    """
    raise NotImplementedError("numerical_gradient: see slide 'Gradient'")


# --- The network (slides "Multilayer perceptron: Forward pass" and "Backpropagation Algorithm") ---


def init_params(layer_sizes, rng):
    """Random initial parameters θ (slide "Backpropagation Algorithm": initialise θ).

    Draws, in layer order, ``rng.normal(0.0, 1.0, size=(n_l + 1, n_{l+1}))``.

    Parameters
    ----------
    layer_sizes : list of int, ``[n_0, n_1, ..., n_L]``
    rng : numpy.random.Generator

    Returns
    -------
    list of L ndarrays; element ``l`` has shape ``(n_l + 1, n_{l+1})``, row 0 the biases.
    """
    raise NotImplementedError("init_params: see slide 'Backpropagation Algorithm'")


def forward(thetas, X, g=sigmoid):
    """Forward pass (slide "Multilayer perceptron: Forward pass").

    ``z^(l) = [1, a^(l)] θ^(l)`` (the slides' ``r_j = Σ_i x_i v_ij``, ``s = Σ_j a_j w_j``
    with ``x_0 = a_0 = 1``), then ``a^(l+1) = g(z^(l))``, the output layer included.

    Parameters
    ----------
    thetas : list of L ndarrays, ``thetas[l]`` of shape (n_l + 1, n_{l+1})
    X : ndarray, shape (N, n_0)
    g : callable, optional
        Activation used in every layer.

    Returns
    -------
    zs : list of L ndarrays, ``zs[l]`` of shape (N, n_{l+1})
    activations : list of L + 1 ndarrays, ``activations[0] = X`` and
        ``activations[l + 1] = g(zs[l])`` of shape (N, n_{l+1})
    """
    raise NotImplementedError("forward: see slide 'Multilayer perceptron: Forward pass'")


def with_bias(a):
    """Prepend the constant input ``a_0 = 1``: ``(N, n)`` -> ``(N, n + 1)``, ones in column 0."""
    return np.hstack([np.ones((a.shape[0], 1)), a])


def predict(thetas, X, g=sigmoid):
    """Network output ``a^(out)`` (slide "Multilayer perceptron: Forward pass").

    The last activation of ``forward``.

    Parameters
    ----------
    thetas : list of L ndarrays
    X : ndarray, shape (N, n_0)
    g : callable, optional

    Returns
    -------
    ndarray, shape (N, n_L)
    """
    raise NotImplementedError("predict: see slide 'Multilayer perceptron: Forward pass'")


def delta_output(a_out, y, z_out, g_prime=sigmoid_prime):
    """Error of the output layer (slide "Multilayer perceptron: Update weights").

    ``δ^out = ∂L/∂a^out · g'(z^out) = (a^out − y) ⊙ g'(z^out)`` for ``L = ½ (a − y)²``.

    Parameters
    ----------
    a_out : ndarray, shape (N, C)
        Output activations.
    y : ndarray, shape (N, C)
        Targets.
    z_out : ndarray, shape (N, C)
        Output pre-activations.
    g_prime : callable, optional

    Returns
    -------
    ndarray, shape (N, C)
    """
    raise NotImplementedError("delta_output: see slide 'Multilayer perceptron: Update weights'")


def delta_hidden(delta_next, theta_next, z, g_prime=sigmoid_prime):
    """Error of a hidden layer (slide "Backpropagation: error of hidden layer - Multiple Layers").

    ``δ_j^(l) = Σ_k δ_k^(l+1) θ_jk^(l+1) g'(z_j^(l))``, i.e.
    ``δ^(l) = (δ^(l+1) θ^(l+1)[1:]ᵀ) ⊙ g'(z^(l))``. Row 0 of ``θ^(l+1)`` holds the biases,
    which are not connected to layer l, so it does not carry error back.

    Parameters
    ----------
    delta_next : ndarray, shape (N, n_{l+1})
        Error of the next layer.
    theta_next : ndarray, shape (n_l + 1, n_{l+1})
        Weights from layer l (plus bias) to layer l + 1.
    z : ndarray, shape (N, n_l)
        Pre-activations of layer l.
    g_prime : callable, optional

    Returns
    -------
    ndarray, shape (N, n_l)
    """
    raise NotImplementedError(
        "delta_hidden: see slide 'Backpropagation: error of hidden layer - Multiple Layers'"
    )


def weight_gradient(delta, a_prev):
    """Gradient of the batch-mean loss for one weight matrix (slide "Backpropagation: Demo").

    ``∂L/∂θ_ij = δ_j a_i`` per instance, averaged over the batch:
    ``∂L/∂θ = [1, a_prev]ᵀ δ / N``; row 0 (``a_0 = 1``) is the bias gradient.

    Parameters
    ----------
    delta : ndarray, shape (N, n_next)
        Error of the layer the weights lead into.
    a_prev : ndarray, shape (N, n_prev)
        Activations of the layer the weights come from.

    Returns
    -------
    ndarray, shape (n_prev + 1, n_next)
    """
    raise NotImplementedError("weight_gradient: see slide 'Backpropagation: Demo'")


def backprop(thetas, X, y, g=sigmoid, g_prime=sigmoid_prime):
    """Gradients of the batch-mean loss for every layer (slide "Backpropagation Algorithm").

    1. forward pass; 2. ``δ^out``; 3. propagate ``δ`` back through the hidden layers;
    then ``∂L/∂θ^(l) = [1, a^(l-1)]ᵀ δ^(l) / N`` for every layer. Weights are not updated here.

    Parameters
    ----------
    thetas : list of L ndarrays, ``thetas[l]`` of shape (n_l + 1, n_{l+1})
    X : ndarray, shape (N, n_0)
    y : ndarray, shape (N, n_L)
    g, g_prime : callable, optional
        Activation and its derivative (taking the pre-activation).

    Returns
    -------
    list of L ndarrays, shaped like ``thetas``
    """
    raise NotImplementedError("backprop: see slide 'Backpropagation Algorithm'")


def update(thetas, grads, eta):
    """Gradient-descent step, all layers at once (slide "Backpropagation Algorithm", step 4).

    ``θ^(l) ← θ^(l) − η ∂L/∂θ^(l)`` for all l, from gradients computed before any update.

    Parameters
    ----------
    thetas : list of L ndarrays
    grads : list of L ndarrays, shaped like ``thetas``
    eta : float
        Learning rate η.

    Returns
    -------
    list of L new ndarrays (the inputs are left unchanged)
    """
    raise NotImplementedError("update: see slide 'Backpropagation Algorithm'")


def sgd(thetas, X, y, eta, epochs, batch_size, rng, g=sigmoid, g_prime=sigmoid_prime):
    """Mini-batch stochastic gradient descent (slide "Gradient Descent Algorithm").

    For each epoch: draw **one** ``rng.permutation(N)``; cut it into consecutive batches of
    ``batch_size`` (the last may be smaller); for each batch, ``backprop`` then ``update``.
    After each epoch record ``L = (1/N) Σ_i ½ ‖a_i − y_i‖²`` on the whole training set.

    Parameters
    ----------
    thetas : list of L ndarrays
        Initial parameters (left unchanged).
    X : ndarray, shape (N, n_0)
    y : ndarray, shape (N, n_L)
    eta : float
    epochs : int
    batch_size : int
    rng : numpy.random.Generator
    g, g_prime : callable, optional

    Returns
    -------
    thetas : list of L ndarrays, the trained parameters
    losses : list of ``epochs`` floats, the loss after each epoch
    """
    raise NotImplementedError("sgd: see slide 'Gradient Descent Algorithm'")


# --- XOR (first and last slides) ---

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def xor_step_network():
    """Hand-set 2-2-1 step network computing XOR (slide "A Multilayer Perceptron for XOR").

    ``h^(l)_j = φ(Σ_i θ_ij h_i^(l-1) + θ_0j)``; ``predict(thetas, XOR_X, step)`` must equal
    ``XOR_Y``. Hint: one hidden unit computes OR, the other AND; the output is OR and not AND.

    Returns
    -------
    list of 2 ndarrays, shapes (3, 2) and (3, 1)
    """
    raise NotImplementedError("xor_step_network: see slide 'A Multilayer Perceptron for XOR'")


def train_xor(seed):
    """Train a sigmoid network on XOR with your own ``sgd`` (slide "Backpropagation Algorithm").

    Start from ``np.random.default_rng(seed)``. The architecture, ``η``, epochs and batch size
    are yours to choose; the result must classify all four XOR inputs correctly at threshold
    0.5 (``predict(thetas, XOR_X) > 0.5`` equals ``XOR_Y == 1``) for any seed, within a few
    seconds.

    Parameters
    ----------
    seed : int

    Returns
    -------
    list of ndarrays, the trained ``thetas``
    """
    raise NotImplementedError("train_xor: see slide 'Backpropagation Algorithm'")
