"""The public cases of ``assignment/public_cases.py`` as checks of the hidden battery.

The grader runs every public check too (they are a strict subset of what is checked) and
shows the result, but gives them no weight: their inputs and answers are public, so only
the checks on each student's own inputs earn points.
"""

import inspect

import numpy as np

from ..engine.checks import Check, Verdict, expect, failure_of, mismatch, modified_inputs
from ..engine.runner import Call
from ..engine.wire import FnRef, RngRef
from .common import FUNCTIONS, PUBLIC, ref_call, warning_means
from .network import BACKPROP_HELPERS, SGD_HELPERS, losses_as_list
from .reference import ref
from .xor import thetas_problem

# --- the public checks, graded too ---

PUBLIC_PROXIES = {"predict": ("forward",), "backprop": BACKPROP_HELPERS, "sgd": SGD_HELPERS}
# What a warning in a public case with ``no_warnings`` means, per function.
PUBLIC_WARNINGS = {
    "sigmoid": "sigmoid_overflow",
    "sigmoid_prime": "sigmoid_overflow",
    "binary_cross_entropy": "no_clipping",
    "categorical_cross_entropy": "no_clipping",
}


def public_value(value):
    """A case argument of ``assignment/public_cases.py`` as it is sent to the worker."""
    if isinstance(value, dict):
        if "array" in value:
            return np.array(value["array"], dtype=np.float64)
        if "fn" in value:
            return FnRef(value["fn"])
        if "rng" in value:
            return RngRef(value["rng"])
        if "f" in value:
            return FnRef(value["f"])
        raise ValueError(f"unknown argument marker: {sorted(value)}")
    if isinstance(value, list):
        return [public_value(v) for v in value]
    return value


def public_args(case):
    """The case's arguments, with omitted activations (``g``, ``g_prime``) passed by name.

    Naming them lets the trusted side serve the reference's activation, so that a bug in
    the student's own ``sigmoid`` does not cost a composite question's public checks.
    """
    args = [public_value(v) for v in case["args"].values()]
    parameters = list(inspect.signature(getattr(ref, case["function"])).parameters.values())
    for parameter in parameters[len(args) :]:
        default = parameter.default
        if not callable(default) or FUNCTIONS.get(default.__name__) is not default:
            break
        args.append(FnRef(default.__name__))
    return tuple(args)


def classifies_xor_judge(fn, activation):
    """``predict(thetas, XOR_X, g) > 0.5`` must equal ``XOR_Y == 1`` (reference predict)."""
    mistake = "xor_wrong" if activation == "step" else "xor_not_learned"

    def judge(outcome):
        failed = failure_of(outcome, fn)
        if failed:
            return failed
        problem = thetas_problem(outcome.value)
        if problem:
            return Verdict(False, problem, mistake)
        out = ref.predict(outcome.value, ref.XOR_X, getattr(ref, activation))
        if not np.array_equal(out > 0.5, ref.XOR_Y == 1):
            return Verdict(
                False,
                f"the network outputs {np.round(out.ravel(), 3).tolist()} for XOR inputs; "
                f"needed > 0.5 exactly for {ref.XOR_Y.ravel().tolist()}",
                mistake,
            )
        return Verdict(True)

    return judge


def shape_judge(expected, fn, sent):
    """Only the structure: types, float64, exact shapes, list lengths, finite values."""

    def judge(outcome):
        failed = failure_of(outcome, fn)
        if failed:
            return failed
        problem = mismatch(expected, outcome.value, values=False)
        if problem:
            return Verdict(False, problem)
        changed = modified_inputs(sent, outcome.args_after)
        if changed:
            message = f"`{fn}` modified its input ({', '.join(changed)}); return a new array"
            return Verdict(False, message, "modifies_input")
        return Verdict(True)

    return judge


def public_check(case):
    """One case of ``assignment/public_cases.py`` as a hidden check named "public: ...".

    ``returns_new`` cannot be checked here (values cross as copies); the rest can.
    """
    fn, kind = case["function"], case["check"]
    args = public_args(case)
    name = f"public: {case['description']}"
    proxies = PUBLIC_PROXIES.get(fn, ())
    timeout = min(float(case.get("max_seconds", 2.0)), 10.0)
    if kind == "classifies_xor":
        judge = classifies_xor_judge(fn, case.get("activation", "sigmoid"))
    else:
        expected = ref_call(fn, args)
        if kind == "shape":
            judge = shape_judge(expected, fn, args)
        else:
            judge = expect(
                expected,
                fn,
                sent=args,
                rtol=case.get("rtol", PUBLIC.RTOL),
                atol=case.get("atol", PUBLIC.ATOL),
                no_warnings=bool(case.get("no_warnings")),
            )
            if fn in PUBLIC_WARNINGS:
                judge = warning_means(PUBLIC_WARNINGS[fn], judge)
        if fn == "sgd":
            judge = losses_as_list(judge)
    # Run and shown, but worth nothing on its own: the public inputs (and so their answers)
    # are in the students' hands, and hard-coding them must earn nothing. The scored checks
    # cover the same ground on inputs drawn for each student.
    return Check(name, Call(fn, args, {}, proxies), judge, timeout, weight=0.0)


def public_checks(qid):
    return [public_check(case) for case in PUBLIC.CASES.get(qid, [])]
