"""The reference solution meets the contract: gradients, training, purity."""

import numpy as np
import pytest


def rel_error(a, b):
    return np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))


def network(ref, sizes, seed):
    rng = np.random.default_rng(seed)
    thetas = ref.init_params(sizes, rng)
    X = rng.normal(size=(7, sizes[0]))
    y = rng.uniform(size=(7, sizes[-1]))
    return thetas, X, y


def loss(ref, thetas, X, y, g):
    a = ref.predict(thetas, X, g)
    return 0.5 * np.sum((a - y) ** 2) / X.shape[0]


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize("sizes", [[3, 5, 4, 2], [2, 3, 1], [4, 2, 6, 3, 1]])
def test_backprop_agrees_with_numerical_gradient_on_non_square_networks(ref, activation, sizes):
    g, g_prime = getattr(ref, activation), getattr(ref, activation + "_prime")
    thetas, X, y = network(ref, sizes, seed=len(sizes))
    grads = ref.backprop(thetas, X, y, g, g_prime)
    for layer, theta in enumerate(thetas):

        def f(t, layer=layer):
            changed = list(thetas)
            changed[layer] = t
            return loss(ref, changed, X, y, g)

        assert rel_error(grads[layer], ref.numerical_gradient(f, theta)) <= 1e-6


@pytest.mark.parametrize("seed", range(100))
def test_train_xor_classifies_xor_for_every_seed(ref, seed):
    thetas = ref.train_xor(seed)
    out = ref.predict(thetas, ref.XOR_X)
    assert np.array_equal(out > 0.5, ref.XOR_Y == 1)


def test_xor_step_network_computes_xor(ref):
    out = ref.predict(ref.xor_step_network(), ref.XOR_X, ref.step)
    assert np.array_equal(out, ref.XOR_Y)


def test_sigmoid_does_not_overflow_for_large_inputs(ref):
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        out = ref.sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    assert np.array_equal(out, [0.0, 0.5, 1.0])


def test_step_of_zero_is_one(ref):
    assert ref.step(np.array([0.0]))[0] == 1.0


def test_cross_entropies_are_finite_at_zero_and_one(ref):
    y = np.array([[1.0], [0.0]])
    assert np.isfinite(ref.binary_cross_entropy(y, np.array([[0.0], [1.0]])))
    Y = np.eye(2)
    assert np.isfinite(ref.categorical_cross_entropy(Y, np.array([[0.0, 1.0], [1.0, 0.0]])))


def test_sgd_is_pure_and_records_one_loss_per_epoch(ref):
    thetas, X, y = network(ref, [3, 4, 2], seed=1)
    before = [t.copy() for t in thetas]
    X0, y0 = X.copy(), y.copy()
    trained, losses = ref.sgd(thetas, X, y, 0.5, 3, 3, np.random.default_rng(0))
    assert len(losses) == 3 and all(isinstance(v, float) for v in losses)
    assert all(np.array_equal(a, b) for a, b in zip(thetas, before))
    assert np.array_equal(X, X0) and np.array_equal(y, y0)
    assert [t.shape for t in trained] == [t.shape for t in thetas]


def test_numerical_gradient_leaves_theta_unchanged(ref):
    theta = np.arange(6.0).reshape(2, 3)
    grad = ref.numerical_gradient(lambda t: float(np.sum(t**2)), theta)
    assert np.array_equal(theta, np.arange(6.0).reshape(2, 3))
    assert rel_error(grad, 2 * theta) < 1e-8


def test_the_references_gradients_pass_the_gradient_check_of_every_battery_network():
    """The gradient check skips the numerical gradients for gradients equal to the
    reference's: so the reference's must pass it on every network the battery draws."""
    from autograder.backprop import network
    from autograder.backprop.common import PAIRS
    from autograder.backprop.reference import ref

    for seed in range(5):
        rng = np.random.default_rng(seed)
        for sizes, n, act in network.NETWORKS:
            thetas, X, y = network.network(rng, sizes, n)
            g, gp = getattr(ref, act), getattr(ref, PAIRS[act])
            analytic = ref.backprop(thetas, X, y, g, gp)
            numeric = network.numerical_gradients(thetas, X, y, g)
            assert max(map(network.rel_error, analytic, numeric)) < 1e-6
