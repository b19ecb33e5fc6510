"""Backprop's public cases as checks of the hidden battery (see ``engine/public.py``).

What is backprop's own: the composite functions get the grader's helpers, a warning in σ or
a cross-entropy names its mistake, ``classifies_xor`` is judged on the XOR truth table, and
``sgd``'s losses may come back as any sequence.
"""

import numpy as np

from ..engine.checks import Verdict, failure_of
from ..engine.public import PublicCases
from . import library
from .common import FUNCTIONS, PUBLIC, known_mistakes
from .network import BACKPROP_HELPERS, SGD_HELPERS, losses_as_list
from .reference import ref
from .xor import problem_mistake, thetas_problem, xor_convention


def classifies_xor_judge(case, fn):
    """``predict(thetas, XOR_X, g) > 0.5`` must equal ``XOR_Y == 1`` (reference predict)."""
    activation = case.get("activation", "sigmoid")
    mistake = "xor_wrong" if activation == "step" else "xor_not_learned"

    def judge(outcome):
        failed = failure_of(outcome, fn)
        if failed:
            return failed
        problem = thetas_problem(outcome.value)
        if problem:
            return Verdict(False, problem, problem_mistake(problem, mistake))
        out = ref.predict(outcome.value, ref.XOR_X, getattr(ref, activation))
        if not np.array_equal(out > 0.5, ref.XOR_Y == 1):
            key = xor_convention(outcome.value) if activation == "step" else mistake
            return Verdict(
                False,
                f"the network outputs {np.round(out.ravel(), 3).tolist()} for XOR inputs; "
                f"needed > 0.5 exactly for {ref.XOR_Y.ravel().tolist()}",
                key,
            )
        return Verdict(True)

    return judge


CASES = PublicCases(
    module=PUBLIC,
    ref=ref,
    functions=FUNCTIONS,
    proxies={"predict": ("forward",), "backprop": BACKPROP_HELPERS, "sgd": SGD_HELPERS},
    warnings={
        "sigmoid": "sigmoid_overflow",
        "sigmoid_prime": "sigmoid_overflow",
        "binary_cross_entropy": "no_clipping",
        "categorical_cross_entropy": "no_clipping",
    },
    judges={"classifies_xor": classifies_xor_judge},
    wrappers={"sgd": losses_as_list},
    library=known_mistakes,
)


def public_checks(qid):
    return CASES.checks(qid)


def public_mistakes(case):
    """What the library's known mistakes return on a public "values" case (public data)."""
    if case["check"] != "values":
        return {}
    args = CASES.args(case)

    def live():
        return [CASES.live(a) for a in args], {}

    expected = getattr(ref, case["function"])(*live()[0])
    return library.unambiguous_values(case["function"], live, expected)
