"""The public cases of every question: the one source of the public checks.

``python -m tools.make_public_checks`` runs each case on the reference solution and writes
``assignment/backprop/tests/<question id>.py`` with the expected results embedded; the grader
runs the same cases. This module is plain data plus a few tiny functions; it imports only NumPy.

Structure
---------
``QUESTIONS`` lists the question ids in handout order. ``CASES`` maps each question id to a
list of cases; a case is a dict with the keys

``description`` (str)
    What the student sees in front of every message, e.g. ``"sigmoid(np.array([[0.0]]))"``.
``function`` (str)
    The contract function that is called.
``args`` (dict)
    The arguments, passed **positionally** in this order; the keys are the parameter names of
    the contract (used in messages only). Each value is plain data:

    - a number, a string or a list of values (lists stay lists, e.g. ``layer_sizes``);
    - ``{"array": nested lists}``: a float64 ndarray (a list of them is e.g. ``thetas``);
    - ``{"fn": name}``: the contract function of that name from the module under test
      (the activations ``g``, ``g_prime``);
    - ``{"rng": seed}``: ``np.random.default_rng(seed)``, fresh for every call;
    - ``{"f": name}``: one of the small functions of ``FUNCTIONS`` below.

    ``resolve`` of ``tools/public_check_runtime.py`` turns them into Python values.
``check`` (str)
    ``"values"``: the result must equal the reference's result (same structure, array shapes,
    values within ``rtol``/``atol``); ``"shape"``: only the structure, array shapes and list
    lengths must match the reference's; ``"classifies_xor"``: the result is a list of weight
    matrices ``thetas`` and ``predict(thetas, XOR_X, g) > 0.5`` must equal ``XOR_Y == 1``,
    with ``g`` the contract function named by the optional key ``activation`` (default
    ``sigmoid``).

Optional keys: ``returns`` (a str naming the result, or a list naming the items of a returned
tuple, used in messages: ``"activations[2] expected ..."``); ``rtol``, ``atol`` (defaults
``RTOL``, ``ATOL``); ``no_warnings`` (True: a RuntimeWarning such as an overflow counts as a
failure); ``returns_new`` (True: the result must not share memory with the first argument);
``max_seconds`` (the call must finish within this time). Every case also fails when the call
modifies one of its array arguments.
"""

import numpy as np

RTOL = 1e-6
ATOL = 1e-9

# The question ids, in the order of the handout; one file of checks each.
QUESTIONS = [
    "step",
    "sigmoid",
    "tanh",
    "identity",
    "mse",
    "binary_cross_entropy",
    "categorical_cross_entropy",
    "numerical_derivative",
    "numerical_gradient",
    "init_params",
    "forward",
    "predict",
    "delta_output",
    "delta_hidden",
    "weight_gradient",
    "backprop",
    "update",
    "sgd",
    "xor_step_network",
    "train_xor",
]


# --- Small functions for numerical_derivative / numerical_gradient (slides "Derivative",
# "Chain rule", "Gradient") ---


def sin_of_square(x):
    """z = sin(x²) of slide "Chain rule"; dz/dx = 2x cos(x²)."""
    return float(np.sin(x * x))


def cube(x):
    """x³; its derivative is 3x²."""
    return x * x * x


def sum_of_squares(theta):
    """Σ θ_k²; its gradient is 2θ."""
    return float(np.sum(np.asarray(theta) ** 2))


def bowl(theta):
    """z = x² + 3y² + xy of a 2-vector (x, y); its gradient is [2x + y, 6y + x]."""
    x, y = np.asarray(theta).ravel()
    return float(x * x + 3.0 * y * y + x * y)


FUNCTIONS = {
    "sin_of_square": sin_of_square,
    "cube": cube,
    "sum_of_squares": sum_of_squares,
    "bowl": bowl,
}


def _a(rows):
    return {"array": rows}


# --- Shared inputs ---

XOR_X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_Y = [[0.0], [1.0], [1.0], [0.0]]

# The 2-3-1 network of the handout: thetas[0] is (2 + 1, 3), thetas[1] is (3 + 1, 1); row 0 biases.
NET_231 = [
    _a([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [-0.7, 0.8, 0.9]]),
    _a([[0.2], [-0.3], [0.5], [0.7]]),
]

# A non-square 3-4-2 network: thetas[0] is (3 + 1, 4), thetas[1] is (4 + 1, 2).
NET_342 = [
    _a(
        [
            [0.1, -0.1, 0.2, 0.0],
            [0.5, -0.4, 0.3, 0.2],
            [-0.3, 0.6, 0.1, -0.5],
            [0.2, 0.1, -0.7, 0.4],
        ]
    ),
    _a([[0.05, -0.05], [0.3, -0.2], [-0.6, 0.4], [0.1, 0.5], [0.7, -0.3]]),
]
X_342 = [[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]]
Y_342 = [[1.0, 0.0], [0.0, 1.0]]

SIGMOID = {"fn": "sigmoid"}
SIGMOID_PRIME = {"fn": "sigmoid_prime"}
TANH = {"fn": "tanh"}
TANH_PRIME = {"fn": "tanh_prime"}
IDENTITY = {"fn": "identity"}
IDENTITY_PRIME = {"fn": "identity_prime"}

GRADS_231 = [
    _a([[0.01, 0.02, -0.03], [0.1, -0.2, 0.3], [0.0, 0.05, -0.05]]),
    _a([[0.1], [-0.1], [0.2], [0.3]]),
]


def _case(description, function, args, check="values", **options):
    return {"description": description, "function": function, "args": args, "check": check} | (
        options
    )


CASES = {
    "step": [
        _case("step(np.array([[0.0]])), φ(0) = 1", "step", {"z": _a([[0.0]])}),
        _case(
            "step(np.array([[-2.0, -0.5, 0.0, 0.5, 2.0]]))",
            "step",
            {"z": _a([[-2.0, -0.5, 0.0, 0.5, 2.0]])},
        ),
        _case(
            "step of a (3, 2) array",
            "step",
            {"z": _a([[1.0, -1.0], [-3.0, 0.0], [0.25, -0.25]])},
        ),
    ],
    "sigmoid": [
        _case("sigmoid(np.array([[0.0]])), σ(0) = 0.5", "sigmoid", {"z": _a([[0.0]])}),
        _case(
            "sigmoid(np.array([[-2.0, -1.0, 0.0, 1.0, 2.0]]))",
            "sigmoid",
            {"z": _a([[-2.0, -1.0, 0.0, 1.0, 2.0]])},
        ),
        _case(
            "sigmoid(np.array([[-1000.0, 1000.0]])) without overflow",
            "sigmoid",
            {"z": _a([[-1000.0, 1000.0]])},
            no_warnings=True,
        ),
        _case("sigmoid_prime(np.array([[0.0]]))", "sigmoid_prime", {"z": _a([[0.0]])}),
        _case(
            "sigmoid_prime(np.array([[-2.0, 0.5], [3.0, 0.0]]))",
            "sigmoid_prime",
            {"z": _a([[-2.0, 0.5], [3.0, 0.0]])},
        ),
    ],
    "tanh": [
        _case(
            "tanh(np.array([[0.0, 1.0, -2.0]]))",
            "tanh",
            {"z": _a([[0.0, 1.0, -2.0]])},
        ),
        _case(
            "tanh_prime(np.array([[0.0, 1.0, -2.0]]))",
            "tanh_prime",
            {"z": _a([[0.0, 1.0, -2.0]])},
        ),
    ],
    "identity": [
        _case(
            "identity(np.array([[1.5, -2.0], [0.0, 3.0]]))",
            "identity",
            {"z": _a([[1.5, -2.0], [0.0, 3.0]])},
            returns_new=True,
        ),
        _case(
            "identity_prime(np.array([[1.5, -2.0], [0.0, 3.0]]))",
            "identity_prime",
            {"z": _a([[1.5, -2.0], [0.0, 3.0]])},
        ),
    ],
    "mse": [
        _case(
            "mse(np.array([[1.0], [0.0]]), np.array([[0.5], [0.0]]))",
            "mse",
            {"y": _a([[1.0], [0.0]]), "y_hat": _a([[0.5], [0.0]])},
        ),
        _case(
            "mse with 3 instances and 2 outputs",
            "mse",
            {
                "y": _a([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]),
                "y_hat": _a([[0.8, 0.1], [0.3, 0.6], [1.0, 0.5]]),
            },
        ),
    ],
    "binary_cross_entropy": [
        _case(
            "binary_cross_entropy(np.array([[1.0], [0.0]]), np.array([[0.9], [0.2]]))",
            "binary_cross_entropy",
            {"y": _a([[1.0], [0.0]]), "y_hat": _a([[0.9], [0.2]])},
        ),
        _case(
            "binary_cross_entropy with ŷ exactly 0 and 1 (clipped, finite)",
            "binary_cross_entropy",
            {"y": _a([[1.0], [0.0]]), "y_hat": _a([[0.0], [1.0]])},
            no_warnings=True,
        ),
    ],
    "categorical_cross_entropy": [
        _case(
            "categorical_cross_entropy of 2 instances, 3 classes",
            "categorical_cross_entropy",
            {
                "Y": _a([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]),
                "Y_hat": _a([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]),
            },
        ),
        _case(
            "categorical_cross_entropy with ŷ exactly 0 for the true class (clipped, finite)",
            "categorical_cross_entropy",
            {"Y": _a([[1.0, 0.0], [0.0, 1.0]]), "Y_hat": _a([[0.0, 1.0], [1.0, 0.0]])},
            no_warnings=True,
        ),
    ],
    "numerical_derivative": [
        _case(
            "numerical_derivative(sin_of_square, 1.0), z = sin(x²), dz/dx = 2x cos(x²)",
            "numerical_derivative",
            {"f": {"f": "sin_of_square"}, "x": 1.0},
        ),
        _case(
            "numerical_derivative(cube, 2.0), d(x³)/dx = 3x² = 12 (central difference)",
            "numerical_derivative",
            {"f": {"f": "cube"}, "x": 2.0},
        ),
        _case(
            "numerical_derivative(cube, -1.0, h=1e-3)",
            "numerical_derivative",
            {"f": {"f": "cube"}, "x": -1.0, "h": 1e-3},
        ),
    ],
    "numerical_gradient": [
        _case(
            "numerical_gradient(sum_of_squares, np.array([[1.0, -2.0, 0.5]])), gradient 2θ",
            "numerical_gradient",
            {"f": {"f": "sum_of_squares"}, "theta": _a([[1.0, -2.0, 0.5]])},
        ),
        _case(
            "numerical_gradient(sum_of_squares, θ) for a (3, 2) θ",
            "numerical_gradient",
            {"f": {"f": "sum_of_squares"}, "theta": _a([[0.0, 1.0], [2.0, -1.0], [0.5, 3.0]])},
        ),
        _case(
            "numerical_gradient(bowl, np.array([1.0, 2.0])), z = x² + 3y² + xy",
            "numerical_gradient",
            {"f": {"f": "bowl"}, "theta": _a([1.0, 2.0])},
        ),
    ],
    "init_params": [
        _case(
            "init_params([3, 4, 2], np.random.default_rng(0)) shapes",
            "init_params",
            {"layer_sizes": [3, 4, 2], "rng": {"rng": 0}},
            check="shape",
            returns="thetas",
        ),
        _case(
            "init_params([2, 3, 1], np.random.default_rng(0)), rng.normal drawn layer by layer",
            "init_params",
            {"layer_sizes": [2, 3, 1], "rng": {"rng": 0}},
            returns="thetas",
        ),
    ],
    "forward": [
        _case(
            "forward(thetas, X) on the 2-3-1 network of the notebook and the XOR inputs",
            "forward",
            {"thetas": NET_231, "X": _a(XOR_X)},
            returns=["zs", "activations"],
        ),
        _case(
            "forward(thetas, X) on the non-square 3-4-2 network, shapes",
            "forward",
            {"thetas": NET_342, "X": _a(X_342)},
            check="shape",
            returns=["zs", "activations"],
        ),
        _case(
            "forward(thetas, X, tanh) on the non-square 3-4-2 network",
            "forward",
            {"thetas": NET_342, "X": _a(X_342), "g": TANH},
            returns=["zs", "activations"],
        ),
    ],
    "predict": [
        _case(
            "predict(thetas, X) on the 2-3-1 network of the notebook and the XOR inputs",
            "predict",
            {"thetas": NET_231, "X": _a(XOR_X)},
        ),
        _case(
            "predict(thetas, X, identity) on the non-square 3-4-2 network",
            "predict",
            {"thetas": NET_342, "X": _a(X_342), "g": IDENTITY},
        ),
    ],
    "delta_output": [
        _case(
            "delta_output(a_out, y, z_out) with the sigmoid's g'",
            "delta_output",
            {
                "a_out": _a([[0.7], [0.2]]),
                "y": _a([[1.0], [0.0]]),
                "z_out": _a([[0.8472978603872037], [-1.3862943611198906]]),
            },
        ),
        _case(
            "delta_output(a_out, y, z_out, identity_prime) with 2 outputs",
            "delta_output",
            {
                "a_out": _a([[0.5, -1.0], [2.0, 0.0]]),
                "y": _a([[1.0, 0.0], [0.0, 1.0]]),
                "z_out": _a([[0.5, -1.0], [2.0, 0.0]]),
                "g_prime": IDENTITY_PRIME,
            },
        ),
    ],
    "delta_hidden": [
        _case(
            "delta_hidden(delta_next, theta_next, z) into 3 hidden units (bias row 0 skipped)",
            "delta_hidden",
            {
                "delta_next": _a([[0.1], [-0.2]]),
                "theta_next": _a([[5.0], [-0.3], [0.5], [0.7]]),
                "z": _a([[0.2, -0.4, 1.0], [0.0, 0.3, -1.5]]),
            },
        ),
        _case(
            "delta_hidden(delta_next, theta_next, z, tanh_prime), 4 hidden units, 2 outputs",
            "delta_hidden",
            {
                "delta_next": _a([[0.1, -0.3], [0.2, 0.05]]),
                "theta_next": NET_342[1],
                "z": _a([[0.5, -0.5, 1.0, 0.0], [-1.0, 0.2, 0.3, 2.0]]),
                "g_prime": TANH_PRIME,
            },
        ),
    ],
    "weight_gradient": [
        _case(
            "weight_gradient(delta, a_prev) for 4 instances, 3 → 1 units",
            "weight_gradient",
            {
                "delta": _a([[0.1], [-0.2], [0.05], [0.3]]),
                "a_prev": _a([[0.5, 0.2, 0.9], [0.1, 0.4, 0.3], [0.7, 0.6, 0.2], [0.0, 1.0, 0.5]]),
            },
        ),
        _case(
            "weight_gradient(delta, a_prev) for 2 instances, 4 → 2 units (non-square)",
            "weight_gradient",
            {
                "delta": _a([[0.1, -0.3], [0.2, 0.05]]),
                "a_prev": _a([[0.5, -0.5, 1.0, 0.0], [-1.0, 0.2, 0.3, 2.0]]),
            },
        ),
    ],
    "backprop": [
        _case(
            "backprop(thetas, X, y) on the 2-3-1 network of the notebook and XOR",
            "backprop",
            {"thetas": NET_231, "X": _a(XOR_X), "y": _a(XOR_Y)},
            returns="grads",
        ),
        _case(
            "backprop(thetas, X, y) on the non-square 3-4-2 network, shapes",
            "backprop",
            {"thetas": NET_342, "X": _a(X_342), "y": _a(Y_342)},
            check="shape",
            returns="grads",
        ),
        _case(
            "backprop(thetas, X, y) on the non-square 3-4-2 network",
            "backprop",
            {"thetas": NET_342, "X": _a(X_342), "y": _a(Y_342)},
            returns="grads",
        ),
        _case(
            "backprop(thetas, X, y, tanh, tanh_prime) on the non-square 3-4-2 network",
            "backprop",
            {"thetas": NET_342, "X": _a(X_342), "y": _a(Y_342), "g": TANH, "g_prime": TANH_PRIME},
            returns="grads",
        ),
    ],
    "update": [
        _case(
            "update(thetas, grads, 0.5) on the 2-3-1 network (thetas left unchanged)",
            "update",
            {"thetas": NET_231, "grads": GRADS_231, "eta": 0.5},
            returns="thetas",
        ),
    ],
    "sgd": [
        _case(
            "sgd(thetas, X, y, eta=0.5, epochs=3, batch_size=3, rng) on the 2-3-1 network and XOR,"
            " shapes and one loss per epoch",
            "sgd",
            {
                "thetas": NET_231,
                "X": _a(XOR_X),
                "y": _a(XOR_Y),
                "eta": 0.5,
                "epochs": 3,
                "batch_size": 3,
                "rng": {"rng": 0},
            },
            check="shape",
            returns=["thetas", "losses"],
        ),
        _case(
            "sgd(thetas, X, y, eta=2.0, epochs=1, batch_size=4, rng): one full-batch step",
            "sgd",
            {
                "thetas": NET_231,
                "X": _a(XOR_X),
                "y": _a(XOR_Y),
                "eta": 2.0,
                "epochs": 1,
                "batch_size": 4,
                "rng": {"rng": 0},
            },
            returns=["thetas", "losses"],
        ),
        _case(
            "sgd(thetas, X, y, eta=1.0, epochs=2, batch_size=2, rng=np.random.default_rng(0)):"
            " one rng.permutation(N) per epoch, consecutive batches",
            "sgd",
            {
                "thetas": NET_342,
                "X": _a([*X_342, [0.0, 1.0, -1.0], [2.0, 0.5, 0.5]]),
                "y": _a([*Y_342, [1.0, 1.0], [0.0, 0.0]]),
                "eta": 1.0,
                "epochs": 2,
                "batch_size": 2,
                "rng": {"rng": 0},
            },
            returns=["thetas", "losses"],
        ),
    ],
    "xor_step_network": [
        _case(
            "xor_step_network() shapes",
            "xor_step_network",
            {},
            check="shape",
            returns="thetas",
        ),
        _case(
            "predict(xor_step_network(), XOR_X, step) is XOR",
            "xor_step_network",
            {},
            check="classifies_xor",
            activation="step",
        ),
    ],
    "train_xor": [
        _case(
            "train_xor(0) classifies XOR: predict(thetas, XOR_X) > 0.5",
            "train_xor",
            {"seed": 0},
            check="classifies_xor",
            max_seconds=20,
        ),
        _case(
            "train_xor(7) classifies XOR: predict(thetas, XOR_X) > 0.5",
            "train_xor",
            {"seed": 7},
            check="classifies_xor",
            max_seconds=20,
        ),
    ],
}
