"""Alice's backprop homework: a multilayer perceptron written with explicit loops.

Every sum over instances, units and inputs is a Python loop; NumPy only stores the numbers.
"""

import math

import numpy as np


def _map(function, values):
    """Apply a scalar function to every entry, into a new float64 array of the same shape."""
    values = np.asarray(values, dtype=np.float64)
    result = np.empty(values.shape, dtype=np.float64)
    for index in np.ndindex(values.shape):
        result[index] = function(float(values[index]))
    return result


def _phi(v):
    return 1.0 if v >= 0 else 0.0


def _logistic(v):
    if v >= 0:
        return 1.0 / (1.0 + math.exp(-v))
    e = math.exp(v)
    return e / (1.0 + e)


def _logistic_slope(v):
    s = _logistic(v)
    return s * (1.0 - s)


def _tanh_slope(v):
    t = math.tanh(v)
    return 1.0 - t * t


def step(z):
    return _map(_phi, z)


def sigmoid(z):
    return _map(_logistic, z)


def sigmoid_prime(z):
    return _map(_logistic_slope, z)


def tanh(z):
    return _map(math.tanh, z)


def tanh_prime(z):
    return _map(_tanh_slope, z)


def identity(z):
    return _map(lambda v: v, z)


def identity_prime(z):
    return _map(lambda v: 1.0, z)


TINY = 1e-12


def _clipped(p):
    return min(max(p, TINY), 1.0 - TINY)


def mse(y, y_hat):
    rows, cols = np.shape(y)
    total = 0.0
    for i in range(rows):
        for j in range(cols):
            gap = float(y[i][j]) - float(y_hat[i][j])
            total += gap * gap
    return total / rows


def binary_cross_entropy(y, y_hat):
    total = 0.0
    for i in range(len(y)):
        for j in range(len(y[i])):
            label, p = float(y[i][j]), _clipped(float(y_hat[i][j]))
            total -= label * math.log(p) + (1.0 - label) * math.log(1.0 - p)
    return total


def categorical_cross_entropy(Y, Y_hat):
    total = 0.0
    for i in range(len(Y)):
        for j in range(len(Y[i])):
            total -= float(Y[i][j]) * math.log(_clipped(float(Y_hat[i][j])))
    return total


def numerical_derivative(f, x, h=1e-5):
    x = float(x)
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, theta, h=1e-5):
    point = np.array(theta, dtype=np.float64)
    slopes = np.zeros(point.shape)
    for index in np.ndindex(point.shape):
        keep = point[index]
        point[index] = keep + h
        up = f(point)
        point[index] = keep - h
        down = f(point)
        point[index] = keep
        slopes[index] = (up - down) / (2 * h)
    return slopes


def init_params(layer_sizes, rng):
    weights = []
    for k in range(len(layer_sizes) - 1):
        weights.append(rng.standard_normal((layer_sizes[k] + 1, layer_sizes[k + 1])))
    return weights


def _layer(W, inputs):
    """Pre-activations of one layer: for every instance and unit, bias + Σ_i input_i W_ij."""
    count, units = len(inputs), W.shape[1]
    out = np.zeros((count, units))
    for n in range(count):
        for j in range(units):
            s = W[0, j]
            for i in range(W.shape[0] - 1):
                s += inputs[n, i] * W[i + 1, j]
            out[n, j] = s
    return out


def forward(thetas, X, g=sigmoid):
    current = np.array(X, dtype=np.float64)
    pre, post = [], [current]
    for W in thetas:
        s = _layer(W, current)
        current = g(s)
        pre.append(s)
        post.append(current)
    return pre, post


def predict(thetas, X, g=sigmoid):
    _, post = forward(thetas, X, g)
    return post[len(post) - 1]


def delta_output(a_out, y, z_out, g_prime=sigmoid_prime):
    slope = g_prime(z_out)
    d = np.zeros(np.shape(a_out))
    for n in range(d.shape[0]):
        for j in range(d.shape[1]):
            d[n, j] = (a_out[n, j] - y[n, j]) * slope[n, j]
    return d


def delta_hidden(delta_next, theta_next, z, g_prime=sigmoid_prime):
    slope = g_prime(z)
    count, units = np.shape(z)
    d = np.zeros((count, units))
    for n in range(count):
        for j in range(units):
            back = 0.0
            for k in range(delta_next.shape[1]):
                back += delta_next[n, k] * theta_next[j + 1, k]  # row 0 is the bias
            d[n, j] = back * slope[n, j]
    return d


def weight_gradient(delta, a_prev):
    count, fan_in = np.shape(a_prev)
    fan_out = delta.shape[1]
    G = np.zeros((fan_in + 1, fan_out))
    for n in range(count):
        for j in range(fan_out):
            G[0, j] += delta[n, j]
            for i in range(fan_in):
                G[i + 1, j] += a_prev[n, i] * delta[n, j]
    return G / count


def backprop(thetas, X, y, g=sigmoid, g_prime=sigmoid_prime):
    pre, post = forward(thetas, X, g)
    depth = len(thetas)
    gradients = [None] * depth
    d = delta_output(post[depth], y, pre[depth - 1], g_prime)
    layer = depth - 1
    while layer >= 0:
        gradients[layer] = weight_gradient(d, post[layer])
        if layer > 0:
            d = delta_hidden(d, thetas[layer], pre[layer - 1], g_prime)
        layer -= 1
    return gradients


def update(thetas, grads, eta):
    fresh = []
    for W, G in zip(thetas, grads):
        moved = np.array(W, dtype=np.float64)
        for index in np.ndindex(moved.shape):
            moved[index] = W[index] - eta * G[index]
        fresh.append(moved)
    return fresh


def sgd(thetas, X, y, eta, epochs, batch_size, rng, g=sigmoid, g_prime=sigmoid_prime):
    count = len(X)
    history = []
    for _ in range(epochs):
        shuffled = rng.permutation(count)
        first = 0
        while first < count:
            chosen = shuffled[first : first + batch_size]
            grads = backprop(thetas, X[chosen], y[chosen], g, g_prime)
            thetas = update(thetas, grads, eta)
            first += batch_size
        history.append(mse(y, predict(thetas, X, g)) / 2)
    return thetas, history


XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def with_bias(a):
    return np.hstack([np.ones((a.shape[0], 1)), a])


def xor_step_network():
    # hidden unit 1 fires when at least one input is on (OR), unit 2 only for both (AND)
    first = np.array([[-1.0, -2.0], [2.0, 1.5], [2.0, 1.5]])
    # output: OR minus AND, shifted so that one input on gives 0.5 ≥ 0 and both give -1.5 < 0
    second = np.array([[-0.5], [1.0], [-2.0]])
    return [first, second]


def train_xor(seed):
    rng = np.random.default_rng(seed)
    start = init_params([2, 8, 1], rng)
    trained, _ = sgd(start, XOR_X, XOR_Y, 4.0, 400, 4, rng)
    return trained
