"""An assignment's public cases as checks of its hidden battery, worth nothing on their own.

The grader runs every public case too (they are a strict subset of what is checked) and
shows the result, but gives them no weight: their inputs and answers are public, so only the
checks on each student's own inputs earn points.

``assignment/<name>/public_cases.py`` is plain data (see the backprop one for the format):
``QUESTIONS``, ``CASES`` {question id: [case]}, ``RTOL``, ``ATOL`` and optionally
``FUNCTIONS`` (small functions a case passes as ``{"f": name}``). A case's arguments are
numbers, strings, lists, ``{"array": rows}``, ``{"fn": contract name}``, ``{"rng": seed}``
or ``{"f": name}``; its ``check`` is ``"values"``, ``"shape"`` or a kind the assignment
judges itself (``judges``).
"""

import inspect
from dataclasses import dataclass, field

import numpy as np

from .checks import Check, Verdict, aliasing, expect, failure_of, mismatch, modified_inputs
from .runner import Call
from .wire import FnRef, RngRef


def public_value(value):
    """A case argument as it is sent to the worker."""
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
        return aliasing(outcome, fn) or Verdict(True)

    return judge


def warning_means(key, judge):
    """A warning during the call is the mistake ``key`` (e.g. exp overflowing in σ)."""

    def judge_with_key(outcome):
        verdict = judge(outcome)
        if verdict.mistake == "warning":
            verdict.mistake = key
        return verdict

    return judge_with_key


def live_value(value, functions):
    """A sent argument as the trusted side's functions receive it: a function by name is the
    trusted one (``functions``), an rng by seed a new generator, arrays a copy."""
    if isinstance(value, FnRef):
        return functions[value.name]
    if isinstance(value, RngRef):
        return np.random.default_rng(value.seed)
    if isinstance(value, list):
        return [live_value(v, functions) for v in value]
    if isinstance(value, tuple):
        return tuple(live_value(v, functions) for v in value)
    if isinstance(value, dict):
        return {k: live_value(v, functions) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return value.copy()
    return value


@dataclass
class PublicCases:
    """How one assignment turns its public cases into checks.

    module : the ``public_cases`` module (None: the assignment has no public cases)
    ref : the reference solution, which computes the expected values
    functions : the trusted functions a worker may ask for by name (``FnRef``)
    proxies : contract function -> the contract helpers it may call, served by the grader
    warnings : contract function -> mistake key of a warning under ``no_warnings``
    judges : check kind -> ``judge(case, fn) -> judge`` for the assignment's own kinds
    wrappers : contract function -> ``wrap(judge) -> judge`` (e.g. convert what came back)
    library : ``library(fn, args) -> dict`` of ``mistakes`` and ``error_hints`` for ``expect``
        (the assignment's known mistakes, also on its public cases)
    """

    module: object
    ref: object
    functions: dict
    proxies: dict = field(default_factory=dict)
    warnings: dict = field(default_factory=dict)
    judges: dict = field(default_factory=dict)
    wrappers: dict = field(default_factory=dict)

    library: object = None  # (fn, args) -> mistakes of ``expect`` for a "values" case
    # the built checks of each question: the cases are fixed, so they are built once per
    # process (their judges keep no state, and each grading keeps its outcomes apart)
    built: dict = field(default_factory=dict, repr=False, compare=False)

    def live(self, value):
        """A sent argument as the reference receives it."""
        return live_value(value, self.functions)

    def args(self, case):
        """The case's arguments, with omitted defaults that are contract functions passed by
        name, so that the trusted side serves the reference's (a bug in the student's own
        activation then does not cost a composite question's public checks)."""
        args = [public_value(v) for v in case["args"].values()]
        signature = inspect.signature(getattr(self.ref, case["function"]))
        for parameter in list(signature.parameters.values())[len(args) :]:
            default = parameter.default
            if not callable(default) or self.functions.get(default.__name__) is not default:
                break
            args.append(FnRef(default.__name__))
        return tuple(args)

    def check(self, case):
        """One case as a check named "public: <description>", weight 0.

        ``returns_new`` cannot be checked here (values cross as copies); the rest can.
        """
        fn, kind = case["function"], case["check"]
        args = self.args(case)
        timeout = min(float(case.get("max_seconds", 2.0)), 10.0)
        if kind in self.judges:
            judge = self.judges[kind](case, fn)
        else:
            expected = getattr(self.ref, fn)(*[self.live(a) for a in args])
            if kind == "shape":
                judge = shape_judge(expected, fn, args)
            elif kind == "values":
                judge = expect(
                    expected,
                    fn,
                    sent=args,
                    rtol=case.get("rtol", self.module.RTOL),
                    atol=case.get("atol", self.module.ATOL),
                    no_warnings=bool(case.get("no_warnings")),
                    **(self.library(fn, args) if self.library else {}),
                )
                if fn in self.warnings:
                    judge = warning_means(self.warnings[fn], judge)
            else:
                raise ValueError(f"public case {case['description']!r}: unknown check {kind!r}")
        if fn in self.wrappers:
            judge = self.wrappers[fn](judge)
        call = Call(fn, args, {}, tuple(self.proxies.get(fn, ())))
        return Check(f"public: {case['description']}", call, judge, timeout, weight=0.0)

    def checks(self, qid):
        """The public checks of one question (none when the assignment has no cases)."""
        if self.module is None:
            return []
        if qid not in self.built:
            self.built[qid] = [self.check(case) for case in self.module.CASES.get(qid, [])]
        return list(self.built[qid])
