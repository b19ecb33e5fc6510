"""The public cases of every question of the perceptron: the one source of its public checks.

``python -m tools.make_public_checks --assignment perceptron`` runs each case on the reference
solution and writes ``assignment/perceptron/tests/<question id>.py`` with the expected results
embedded; the grader runs the same cases. This module is plain data; it imports only NumPy.

The format is the one of ``assignment/backprop/public_cases.py`` (its docstring describes every
key). In short: ``QUESTIONS`` lists the question ids in handout order; ``CASES`` maps each of
them to a list of cases, each a dict with ``description`` (what the student reads in front of
every message), ``function`` (the contract function called), ``args`` (passed positionally, in
the order of the contract's parameters, whose names are the keys: ``{"array": rows}`` is a
float64 ndarray, ``{"rng": seed}`` is ``np.random.default_rng(seed)``) and ``check``
(``"values"``: the result must equal the reference's; for ``separable`` that is the bool
``True`` or ``False``). ``returns`` names the items of a returned tuple in messages.
"""

import numpy as np  # noqa: F401  (the one import public cases may have; unused here)

RTOL = 1e-6
ATOL = 1e-9

# The question ids, in the order of the handout; one file of checks each.
QUESTIONS = [
    "step",
    "predict",
    "update",
    "train",
    "truth_tables",
    "separable",
]


def _a(rows):
    return {"array": rows}


def _case(description, function, args, check="values", **options):
    return {"description": description, "function": function, "args": args, "check": check} | (
        options
    )


# --- Shared inputs: the truth tables of slide "A Multilayer Perceptron for XOR" ---

GATE_X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
AND_Y = [0.0, 0.0, 0.0, 1.0]
OR_Y = [0.0, 1.0, 1.0, 1.0]
XOR_Y = [0.0, 1.0, 1.0, 0.0]


def _gate(y):
    return {"X": _a(GATE_X), "y": _a(y)}


CASES = {
    "step": [
        _case("step(np.array([0.0])), φ(0) = 1", "step", {"z": _a([0.0])}),
        _case(
            "step(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))",
            "step",
            {"z": _a([-2.0, -0.5, 0.0, 0.5, 2.0])},
        ),
        _case(
            "step of a (2, 3) array, element by element",
            "step",
            {"z": _a([[1.0, -1.0, 0.0], [-3.0, 0.25, -0.25]])},
        ),
    ],
    "predict": [
        _case(
            "predict(np.array([-1.5, 1.0, 1.0]), X) on the truth-table inputs:"
            " ŷ = φ(−1.5 + x₁ + x₂) is AND",
            "predict",
            {"theta": _a([-1.5, 1.0, 1.0]), "X": _a(GATE_X)},
        ),
        _case(
            "predict(np.array([-1.0, 1.0, 1.0]), X) on the truth-table inputs:"
            " z = 0 at (0, 1) and (1, 0), so ŷ = φ(0) = 1 there",
            "predict",
            {"theta": _a([-1.0, 1.0, 1.0]), "X": _a(GATE_X)},
        ),
        _case(
            "predict(theta, X) with D = 3 inputs and N = 2 instances, theta[0] the bias",
            "predict",
            {
                "theta": _a([0.5, -1.0, 2.0, 0.25]),
                "X": _a([[1.0, 1.0, -2.0], [0.0, -1.0, 4.0]]),
            },
        ),
    ],
    "update": [
        _case(
            "update(np.array([-1.0, 1.0, 1.0]), np.array([1.0, 1.0]), 1.0, 1.0):"
            " ŷ = y = 1, so θ stays as it is",
            "update",
            {"theta": _a([-1.0, 1.0, 1.0]), "x": _a([1.0, 1.0]), "y": 1.0, "eta": 1.0},
        ),
        _case(
            "update(np.zeros(3), np.array([1.0, 0.0]), 0.0, 1.0): ŷ = φ(0) = 1 ≠ y,"
            " so θ ← θ − η [1, x]",
            "update",
            {"theta": _a([0.0, 0.0, 0.0]), "x": _a([1.0, 0.0]), "y": 0.0, "eta": 1.0},
        ),
        _case(
            "update(np.array([-2.0, 0.5, 1.0]), np.array([1.0, 0.5]), 1.0, 0.5):"
            " y = 1, ŷ = 0, so θ moves towards [1, x] with η = 0.5",
            "update",
            {"theta": _a([-2.0, 0.5, 1.0]), "x": _a([1.0, 0.5]), "y": 1.0, "eta": 0.5},
        ),
    ],
    "train": [
        _case(
            "train(X, y) on AND, in order 0, 1, 2, 3: 6 epochs, the last without a mistake",
            "train",
            _gate(AND_Y),
            returns=["theta", "mistakes"],
        ),
        _case(
            "train(X, y, 1.0, 5) on XOR: stops after max_epochs = 5, never 0 mistakes",
            "train",
            _gate(XOR_Y) | {"eta": 1.0, "max_epochs": 5},
            returns=["theta", "mistakes"],
        ),
        _case(
            "train(X, y, 0.5, 100, np.random.default_rng(0)) on OR:"
            " a new rng.permutation(4) in every epoch",
            "train",
            _gate(OR_Y) | {"eta": 0.5, "max_epochs": 100, "rng": {"rng": 0}},
            returns=["theta", "mistakes"],
        ),
    ],
    "truth_tables": [
        _case(
            "and_data(): inputs (0, 0), (0, 1), (1, 0), (1, 1) and labels x₁ AND x₂",
            "and_data",
            {},
            returns=["X", "y"],
        ),
        _case(
            "or_data(): inputs (0, 0), (0, 1), (1, 0), (1, 1) and labels x₁ OR x₂",
            "or_data",
            {},
            returns=["X", "y"],
        ),
        _case(
            "xor_data(): inputs (0, 0), (0, 1), (1, 0), (1, 1) and labels x₁ XOR x₂",
            "xor_data",
            {},
            returns=["X", "y"],
        ),
    ],
    "separable": [
        _case("separable(X, y) on AND: True", "separable", _gate(AND_Y)),
        _case("separable(X, y) on XOR: False, no line separates XOR", "separable", _gate(XOR_Y)),
        _case(
            "separable(X, y, 6) on AND: True, the 6th and last epoch allowed makes no mistake",
            "separable",
            _gate(AND_Y) | {"max_epochs": 6},
        ),
        _case(
            "separable(X, y, 5) on AND: False, 5 epochs are not enough for AND",
            "separable",
            _gate(AND_Y) | {"max_epochs": 5},
        ),
    ],
}
