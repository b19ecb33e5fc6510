"""What every part of the hidden battery shares: the functions the grader may compute for a
worker, the public cases, and the small constructors of checks.
"""

import numpy as np

from ..engine.checks import match_mistake, value_check
from ..engine.public import live_value, warning_means
from . import library
from .reference import public, ref
from .scalar_functions import coupled, cubic, sin_of_square, sum_of_sines, sum_of_squares

PAIRS = {"sigmoid": "sigmoid_prime", "tanh": "tanh_prime", "identity": "identity_prime"}


def xor_network_loss(theta):
    """The training loss L = (1/N) Σ ½‖a − y‖² on XOR of a 2-2-1 sigmoid network whose 9
    weights are ``theta`` (slide "Gradient": checking backprop numerically)."""
    flat = np.asarray(theta, dtype=np.float64).ravel()
    thetas = [flat[:6].reshape(3, 2), flat[6:9].reshape(3, 1)]
    return 0.5 * ref.mse(ref.XOR_Y, ref.predict(thetas, ref.XOR_X))


SCALAR_FUNCTIONS = {
    "sin_of_square": sin_of_square,
    "cubic": cubic,
    "sum_of_sines": sum_of_sines,
    "sum_of_squares": sum_of_squares,
    "coupled": coupled,
    "xor_network_loss": xor_network_loss,
}
# Computed by the grader only (it uses the reference; the others run in the worker too): a
# check of a numerical gradient sends the values it will be asked for with the call.
GRADER_ONLY = frozenset({"xor_network_loss"})

CONTRACT = [
    "step",
    "sigmoid",
    "sigmoid_prime",
    "tanh",
    "tanh_prime",
    "identity",
    "identity_prime",
    "mse",
    "forward",
    "predict",
    "delta_output",
    "delta_hidden",
    "weight_gradient",
    "backprop",
    "update",
]


# ``assignment/backprop/public_cases.py`` (plain data), loaded by path like the reference.
PUBLIC = public
# The public cases' small functions ({"f": name}) are served under their own names too.
PUBLIC_FUNCTIONS = {k: v for k, v in PUBLIC.FUNCTIONS.items() if k not in SCALAR_FUNCTIONS}

# What the grader may compute for a worker (only the ones a call names are ever served).
FUNCTIONS = {name: getattr(ref, name) for name in CONTRACT} | SCALAR_FUNCTIONS | PUBLIC_FUNCTIONS


def known_mistakes(fn, args, kwargs=None, own=None, error_hints=None):
    """``expect``'s ``mistakes`` and ``error_hints`` for a call of ``fn``: the check's ``own``
    first, then the library's entries for ``fn`` (``library.py``), all computed only when the
    check fails."""

    def live():
        return live_value(list(args), FUNCTIONS), live_value(dict(kwargs or {}), FUNCTIONS)

    def mistakes():
        found = dict((own() if callable(own) else own) or {})
        for key, predicate in library.candidates(fn, live).items():
            found[key] = either(found[key], predicate) if key in found else predicate
        return found

    return {"mistakes": mistakes, "error_hints": (error_hints or {}) | library.ERRORS.get(fn, {})}


def either(first, second):
    """A predicate true for what matches ``first`` or ``second`` (each a wrong value or a
    predicate)."""
    return lambda got: bool(match_mistake(got, {"a": first}) or match_mistake(got, {"b": second}))


def check(name, fn, args, expected, kwargs=None, proxies=(), warning_key="", **options):
    """The engine's ``value_check`` with the library's known mistakes of ``fn``; a warning
    during the call is the mistake ``warning_key``."""
    own, hints = options.pop("mistakes", None), options.pop("error_hints", None)
    options |= known_mistakes(fn, args, kwargs, own, hints)
    made = value_check(name, fn, args, expected, kwargs, proxies, **options)
    if warning_key:
        made.judge = warning_means(warning_key, made.judge)
    return made


def recording(judge, passed, key):
    """``judge`` that also notes in ``passed`` whether its check passed."""

    def judge_and_note(outcome):
        verdict = judge(outcome)
        passed[key] = verdict.passed
        return verdict

    return judge_and_note
