"""Fewer round trips, the same grades: a composite function whose helpers all passed their
own checks runs with the student's own helpers (the grader's only when that outcome fails),
and the assignment's public test functions run in the worker."""

import collections
import tempfile
from pathlib import Path

import pytest

from autograder.engine import config as config_module
from autograder.engine import grade as grade_module
from autograder.engine import runner
from autograder.engine.assignment import load
from autograder.engine.grade import grade_submission
from autograder.engine.sandbox import make
from autograder.engine.submissions import collect

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = (ROOT / "solutions" / "backprop" / "backprop.py").read_text()


@pytest.fixture(scope="module")
def grade():
    """grade(text) -> (result, Counter of helper requests by name, Counter of calls)."""
    config, assignment = config_module.load(), load("backprop")
    sandbox = make("process", config.limits)
    folder = Path(tempfile.mkdtemp(prefix="bp-trips-"))

    def run(text, name="student", library=True, fast=True):
        helpers, calls = collections.Counter(), collections.Counter()
        serve, run_calls = runner.WorkerSession._serve_helper, runner.WorkerSession._run

        def counting_serve(self, allowed, bounds, fields, buffers, deadline):
            helpers[fields["fn"]] += 1
            return serve(self, allowed, bounds, fields, buffers, deadline)

        def counting_run(self, made, timeouts, until=None):  # one call, or sent together
            outcomes = run_calls(self, made, timeouts, until)
            for one in made[: len(outcomes)]:
                calls[(one.fn, bool(one.own))] += 1
            return outcomes

        subs = Path(tempfile.mkdtemp(dir=folder))  # the id is the file's name: ``name``
        (subs / f"{name}.py").write_text(text)
        (submission,) = collect(subs, assignment.filename, folder / f"{subs.name}-files")
        used = assignment if library else _without_library(assignment)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(runner.WorkerSession, "_serve_helper", counting_serve)
            patch.setattr(runner.WorkerSession, "_run", counting_run)
            if not fast:
                patch.setattr(grade_module, "own_helpers", lambda call, trusted: ())
            result = grade_submission(submission, used, config, sandbox)
        return result, helpers, calls

    yield run
    sandbox.close()


def _without_library(assignment):
    import dataclasses

    return dataclasses.replace(assignment, worker_functions=())


def _points(result):
    return {q["id"]: q["score"] for q in result["questions"]}


def test_a_correct_file_needs_no_round_trip_to_the_grader(grade):
    result, helpers, calls = grade(REFERENCE)
    assert result["score"] == 50
    # the public cases' functions (cube, bowl) run in the worker like the battery's test
    # functions; the loss of a network, computed with the reference, is sent ahead for the
    # points a numerical gradient with the contract's h asks for
    assert not helpers, helpers
    assert calls[("backprop", True)] == 8 and calls[("backprop", False)] == 0
    assert calls[("sgd", True)] == 6 and calls[("sgd", False)] == 1  # the curve: its own sgd


def test_a_helper_bug_still_costs_only_the_helper(grade):
    text = REFERENCE.replace("theta - eta * grad", "theta - 2 * eta * grad")
    assert text != REFERENCE
    result, helpers, calls = grade(text, "wrong_update")
    assert _points(result)["update"] == 0
    sgd = next(q for q in result["questions"] if q["id"] == "sgd")
    scored = [c for c in sgd["checks"] if c["weight"]]
    assert all(c["passed"] for c in scored), [c["message"] for c in scored if not c["passed"]]
    # sgd ran with the student's backprop (trusted) and the grader's update (not trusted)
    assert calls[("sgd", True)] == 6 and calls[("sgd", False)] == 1  # the curve: its own
    assert helpers["update"] and not helpers["backprop"]


def test_a_composite_mistake_is_judged_with_the_graders_helpers(grade):
    text = REFERENCE.replace("order = rng.permutation(n)", "order = np.arange(n)")
    assert text != REFERENCE
    fast, _, calls = grade(text, "no_shuffle")
    assert calls[("sgd", True)] == 6 and calls[("sgd", False)] > 1  # the failing ones again
    slow, _, calls = grade(text, "no_shuffle", fast=False)
    assert calls[("sgd", True)] == 0
    assert _points(fast)["sgd"] < 5
    for first, second in zip(fast["questions"], slow["questions"]):
        assert first == second  # the same points, messages and hints


def test_a_numerical_gradient_that_asks_elsewhere_gets_the_graders_answers(grade):
    text = REFERENCE.replace(
        "def numerical_gradient(f, theta, h=1e-5):", "def numerical_gradient(f, theta, h=1e-6):"
    )
    assert text != REFERENCE
    result, helpers, _ = grade(text, "small_h")
    assert result["score"] == 50  # h = 1e-6 is as good here
    assert helpers["xor_network_loss"] == 18  # θ ± h e_k with another h: none was sent ahead


def test_without_the_library_the_grader_computes_the_test_functions(grade):
    with_library, helpers, _ = grade(REFERENCE, "student")
    without, more, _ = grade(REFERENCE, "student", library=False)
    assert {"sum_of_sines", "coupled", "cubic", "cube", "bowl"} <= set(more)
    assert not {"coupled", "cube"} & set(helpers)
    assert _points(with_library) == _points(without)


def test_values_are_close_exactly_when_numpy_says_they_are():
    import numpy as np

    from autograder.engine.checks import _close

    rng = np.random.default_rng(0)
    for _ in range(3000):
        expected = rng.normal(size=(3, 2)) * 10.0 ** rng.integers(-12, 12)
        noise = rng.normal(size=(3, 2)) * 10.0 ** rng.integers(-16, 2) * rng.integers(0, 2)
        got = expected + noise
        rtol, atol = 10.0 ** rng.integers(-9, -3), 10.0 ** rng.integers(-12, -6)
        assert _close(got, expected, rtol, atol) == np.allclose(got, expected, rtol=rtol, atol=atol)
        one, other = float(got[0, 0]), float(expected[0, 0])
        assert _close(one, other, rtol, atol) == np.isclose(one, other, rtol=rtol, atol=atol)
    inf = np.array([np.inf, 1.0])
    assert _close(np.array([1e308, 1.0]), inf, 1e-7, 1e-10) is False
    assert _close(1.0, float("inf"), 1e-7, 1e-10) is False


CALLS = """
import time


def double(x):
    return x * 2.0


def fails(x):
    raise ValueError("no")


def hangs(x):
    while True:
        time.sleep(0.01)


def helper(x):
    return x + 1.0


def uses_helper(x):
    return helper(helper(x)) * 2.0
"""


@pytest.fixture
def session(tmp_path):
    from autograder.engine.runner import WorkerSession

    (tmp_path / "calls.py").write_text(CALLS)
    sandbox = make("process", config_module.load().limits)
    made = WorkerSession(sandbox, tmp_path / "calls.py", {}, filename="calls.py")
    yield made
    made.close()
    sandbox.close()


def _summary(outcome):
    import numpy as np

    value = outcome.value.tolist() if isinstance(outcome.value, np.ndarray) else outcome.value
    return outcome.kind, value, (outcome.error or {}).get("type")


def test_calls_sent_together_get_the_outcomes_they_get_one_by_one(session):
    import numpy as np

    calls = [
        runner.Call("double", (np.arange(3.0),)),
        runner.Call("fails", (1.0,)),
        runner.Call("absent", (1.0,)),
        runner.Call("double", (np.ones((2, 2)),)),
    ]
    together = session.call_many(calls, [2.0] * len(calls))
    alone = [session.call(call, 2.0) for call in calls]
    assert [_summary(o) for o in together] == [_summary(o) for o in alone]
    assert [o.kind for o in together] == ["ok", "error", "missing", "ok"]
    assert session.starts == 1  # one worker for all of them


def test_a_call_that_hangs_among_others_costs_only_itself(session):
    import numpy as np

    calls = [runner.Call(fn, (np.ones(2),)) for fn in ("double", "hangs", "double")]
    outcomes = session.call_many(calls, [2.0, 0.5, 2.0])
    assert [o.kind for o in outcomes] == ["ok", "timeout"]  # the rest is run on its own
    assert session.call(calls[2], 2.0).kind == "ok" and session.starts == 2


def test_calls_larger_than_the_pipe_are_sent_while_their_answers_come_back(session):
    import numpy as np

    big = [np.full(20_000, float(k)) for k in range(12)]  # 160 KB each, the pipe holds 64 KB
    outcomes = session.call_many([runner.Call("double", (b,)) for b in big], [5.0] * 12)
    assert [o.kind for o in outcomes] == ["ok"] * 12
    assert all(np.array_equal(o.value, 2.0 * b) for o, b in zip(outcomes, big))


def test_calls_whose_helpers_the_grader_answers_can_be_sent_together(tmp_path):
    """Sent in one message, each call still has its helper requests answered as it runs."""
    import numpy as np

    from autograder.engine.runner import WorkerSession

    (tmp_path / "calls.py").write_text(CALLS)
    sandbox = make("process", config_module.load().limits)
    graders = {"helper": lambda x: x + 100.0}  # not the student's: we see who answered
    session = WorkerSession(sandbox, tmp_path / "calls.py", graders, filename="calls.py")
    try:
        a, b = np.arange(3.0), np.ones(2)
        calls = [
            runner.Call("uses_helper", (a,), proxies=("helper",)),
            runner.Call("double", (b,)),
            runner.Call("uses_helper", (b,), proxies=("helper",)),
            runner.Call("uses_helper", (a,)),  # the student's own helper
        ]
        together = session.call_many(calls, [2.0] * len(calls))
        alone = [session.call(call, 2.0) for call in calls]
        assert [_summary(o) for o in together] == [_summary(o) for o in alone]
        assert np.array_equal(together[0].value, (a + 200.0) * 2.0)
        assert np.array_equal(together[2].value, (b + 200.0) * 2.0)
        assert np.array_equal(together[3].value, (a + 2.0) * 2.0)
        assert session.starts == 1
    finally:
        session.close()
        sandbox.close()


def test_answers_sent_with_a_call_are_used_for_exactly_their_arguments(tmp_path):
    import numpy as np

    from autograder.engine.runner import WorkerSession

    (tmp_path / "calls.py").write_text(CALLS)
    sandbox = make("process", config_module.load().limits)
    asked = []

    def graders_helper(x):
        asked.append(x)
        return x + 100.0

    session = WorkerSession(
        sandbox, tmp_path / "calls.py", {"helper": graders_helper}, filename="calls.py"
    )
    try:
        a = np.arange(3.0)
        # helper(helper(a)): the first request is answered from the table (a value the grader
        # would not give, to see who answered), the second by the grader
        answered = runner.Call(
            "uses_helper", (a,), proxies=("helper",), answers=(("helper", (a,), a + 7.0),)
        )
        outcome = session.call(answered, 2.0)
        assert np.array_equal(outcome.value, (a + 107.0) * 2.0)
        assert len(asked) == 1 and np.array_equal(asked[0], a + 7.0)
        not_listed = runner.Call(
            "uses_helper", (a,), proxies=("helper",), answers=(("helper", (a + 1.0,), a),)
        )
        assert np.array_equal(session.call(not_listed, 2.0).value, (a + 200.0) * 2.0)
        assert len(asked) == 3
    finally:
        session.close()
        sandbox.close()


def test_answer_keys_tell_apart_what_a_helper_could_tell_apart():
    import numpy as np

    from autograder.engine.worker import answer_key

    a = np.arange(6.0)
    assert answer_key([a]) == answer_key([a.copy()])
    assert answer_key([a]) != answer_key([a.reshape(2, 3)])
    assert answer_key([a]) != answer_key([a.astype(np.int64)])
    assert answer_key([0.0]) != answer_key([-0.0])
    assert answer_key([1, True]) != answer_key([True, 1])
    assert answer_key([[1.0]]) is None and answer_key([object()]) is None


def test_calls_sent_together_keep_to_the_submissions_time_budget(session):
    import time

    import numpy as np

    calls = [runner.Call(fn, (np.ones(2),)) for fn in ("double", "hangs", "double")]
    assert session.call_many(calls, [2.0] * 3, until=time.monotonic() - 1.0) == []
    started = time.monotonic()
    outcomes = session.call_many(calls, [5.0] * 3, until=started + 0.5)
    assert [o.kind for o in outcomes] == ["ok", "timeout"]  # cut by the budget, not its 5 s
    assert time.monotonic() - started < 3.0
    assert session.call(calls[2], 2.0).kind == "ok"


def test_a_failing_call_is_described_with_the_lines_extract_tb_would_give(tmp_path):
    import importlib.util
    import traceback

    from autograder.engine import worker

    path = tmp_path / "m.py"
    path.write_text(
        "def f(x):\n    return (1 +\n            x['missing']\n            + 2)\n\n\n"
        "def h(x):\n    return f(\n        x)\n"
    )
    spec = importlib.util.spec_from_file_location("m", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    try:
        module.h({})
    except KeyError as error:
        described = worker.describe_error(error, str(path))
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == str(path)]
    assert (described["line"], described["function"]) == (frames[-1].lineno, frames[-1].name)
    assert (described["line"], described["function"]) == (3, "f")


def test_the_worker_sends_arguments_back_whenever_the_grader_would_see_them_changed():
    """worker.changed repeats checks.modified_inputs on the untrusted side (it cannot import
    it): the two must agree, or a modified input would go unreported."""
    import numpy as np

    from autograder.engine import worker
    from autograder.engine.checks import modified_inputs

    a, b = np.arange(6.0).reshape(2, 3), np.ones(3)
    cases = [
        ((a, [a, b], 1.0), (a, [a, b], 1.0)),
        ((a, [a, b]), (a + 1, [a, b])),
        ((a, [a, b]), (a, [a, b * 2])),
        ((a, [a, b]), (a.reshape(3, 2), [a, b])),
        ((a, [a, b]), (a, [a])),  # a shorter list: neither looks inside
        ((a, [a, b]), (a, (a, b))),  # a tuple for a list: the same arrays
        ((np.array([np.nan]),), (np.array([np.nan]),)),  # nan is never equal to itself
        ((a,), ([1.0],)),
    ]
    for sent, after in cases:
        before = worker.snapshot([list(sent), []])
        assert worker.changed(before, [list(after), []]) == bool(modified_inputs(sent, after))


def test_the_worker_names_returned_arrays_that_share_memory_by_their_paths():
    import numpy as np

    from autograder.engine import worker

    a, b, c = np.ones((2, 2)), np.zeros(3), np.arange(4.0)
    assert worker.aliases((np.ones(2), [b.copy()]), [a, [b]], {}) == []
    assert worker.aliases(3.0, [a], {}) == []
    assert worker.aliases((a, [b[1:]]), [[a, b]], {"c": c}) == [
        "result[0] is argument 0[0]",
        "result[1][0] is argument 0[1]",
    ]
    assert worker.aliases([c, c[:2]], [], {"x": a}) == ["result[0] is result[1]"]
    assert worker.aliases(c[::2], [], {"c": c}) == ["result is argument c"]
