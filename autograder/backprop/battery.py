"""The hidden battery: for every question, the checks run on one submission.

Inputs come from ``np.random.default_rng(seed)`` with a seed derived from the submission id
and the course secret, so they differ between students and never change for one student.
Within a question, checks go from the smallest input to the largest, so the first failure
shown is the smallest failing input. Expected values come from the reference only.
"""

from ..engine.checks import Check, Question, question_rng
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
from .xor import CURVE_USES, train_xor_checks, training_curve, xor_step_judge


def build(seed):
    """Every question with its checks, inputs drawn from ``question_rng(seed, id)``.

    Each question starts with its public checks (the same cases as ``assignment/backprop/tests/``).
    """
    makers = {
        "step": lambda rng: activation_checks(rng, "step"),
        "sigmoid": lambda rng: activation_checks(rng, "sigmoid"),
        "tanh": lambda rng: activation_checks(rng, "tanh"),
        "identity": lambda rng: activation_checks(rng, "identity"),
        "mse": lambda rng: loss_checks(rng, "mse"),
        "binary_cross_entropy": lambda rng: loss_checks(rng, "binary_cross_entropy"),
        "categorical_cross_entropy": lambda rng: loss_checks(rng, "categorical_cross_entropy"),
        "numerical_derivative": derivative_checks,
        "numerical_gradient": gradient_checks,
        "init_params": init_checks,
        "forward": lambda rng: forward_checks(rng, "forward"),
        "predict": lambda rng: forward_checks(rng, "predict"),
        "delta_output": delta_output_checks,
        "delta_hidden": delta_hidden_checks,
        "weight_gradient": weight_gradient_checks,
        "backprop": backprop_checks,
        "update": update_checks,
        "sgd": sgd_question,
        "xor_step_network": lambda rng: [
            Check(
                "xor_step_network computes XOR with step activations",
                Call("xor_step_network"),
                xor_step_judge,
            )
        ],
        "train_xor": train_xor_checks,
    }
    questions = []
    for qid, title, points, slide in TABLE:
        checks = public_checks(qid) + makers[qid](question_rng(seed, qid))
        questions.append(Question(qid, title, points, slide, checks, USES.get(qid, ())))
    return questions


def sgd_question(rng):
    """sgd's checks (the grader's helpers), then the training curve (the student's own)."""
    passed = {}
    return sgd_checks(rng, passed) + [training_curve(rng, passed)]


# The steps a question runs with the student's own code end to end (its root causes).
USES = {
    # the curve's steps, with the initialisation and sgd itself that train_xor runs too
    "train_xor": CURVE_USES[:2] + ("init_params",) + CURVE_USES[2:] + ("sgd",),
}
