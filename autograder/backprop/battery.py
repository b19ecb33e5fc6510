"""The hidden battery: for every question, the checks run on one submission.

Inputs come from ``np.random.default_rng(seed)`` with a seed derived from the submission id
and the course secret, so they differ between students and never change for one student.
Within a question, checks go from the smallest input to the largest, so the first failure
shown is the smallest failing input. Expected values come from the reference only.
"""

import numpy as np

from ..engine.checks import Check, Question
from ..engine.runner import Call
from .common import FUNCTIONS  # noqa: F401  (the assignment's helpers, see __init__.py)
from .network import (
    backprop_checks,
    delta_hidden_checks,
    delta_output_checks,
    forward_checks,
    init_checks,
    sgd_checks,
    update_checks,
    weight_gradient_checks,
)
from .public import public_checks
from .questions import TABLE
from .steps import activation_checks, derivative_checks, gradient_checks, loss_checks
from .xor import train_xor_checks, training_curve, xor_step_judge


def build(seed):
    """Every question with its checks, inputs drawn from ``default_rng(seed)``.

    Each question starts with its public checks (the same cases as ``assignment/backprop/tests/``).
    """
    rng = np.random.default_rng(seed)
    makers = {
        "step": lambda: activation_checks(rng, "step"),
        "sigmoid": lambda: activation_checks(rng, "sigmoid"),
        "tanh": lambda: activation_checks(rng, "tanh"),
        "identity": lambda: activation_checks(rng, "identity"),
        "mse": lambda: loss_checks(rng, "mse"),
        "binary_cross_entropy": lambda: loss_checks(rng, "binary_cross_entropy"),
        "categorical_cross_entropy": lambda: loss_checks(rng, "categorical_cross_entropy"),
        "numerical_derivative": lambda: derivative_checks(rng),
        "numerical_gradient": lambda: gradient_checks(rng),
        "init_params": lambda: init_checks(rng),
        "forward": lambda: forward_checks(rng, "forward"),
        "predict": lambda: forward_checks(rng, "predict"),
        "delta_output": lambda: delta_output_checks(rng),
        "delta_hidden": lambda: delta_hidden_checks(rng),
        "weight_gradient": lambda: weight_gradient_checks(rng),
        "backprop": lambda: backprop_checks(rng),
        "update": lambda: update_checks(rng),
        "sgd": lambda: sgd_checks(rng) + [training_curve(rng)],
        "xor_step_network": lambda: [
            Check(
                "xor_step_network computes XOR with step activations",
                Call("xor_step_network"),
                xor_step_judge,
            )
        ],
        "train_xor": lambda: train_xor_checks(rng),
    }
    return [
        Question(qid, title, points, slide, public_checks(qid) + makers[qid]())
        for qid, title, points, slide in TABLE
    ]
