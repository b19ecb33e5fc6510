"""Backprop's public checks (otter test files in assignment/backprop/tests/): right and
readable on known bugs. What every assignment's public checks share: test_assignments.py."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REFERENCE, TEMPLATE, load_module
from otter.test_files.exception_test import ExceptionTestFile

from autograder.backprop.questions import TABLE
from autograder.backprop.reference import PATHS
from autograder.backprop.reference import public as public_cases
from tools import check

PUBLIC_TESTS = PATHS.tests
# The grader's own table of questions is the oracle the public checks must match.
QUESTION_IDS = [row[0] for row in TABLE]


def case_failures(module):
    """``{question: [one-line failure message, ...]}`` of every failed case, via otter."""
    failures = {}
    for path in check.test_files(PUBLIC_TESTS, QUESTION_IDS):
        test_file = ExceptionTestFile.from_file(str(path))
        test_file.run(vars(module))
        for result in test_file.test_case_results:
            if not result.passed:
                failures.setdefault(test_file.name, []).append(result.message)
    return failures


def buggy_copy(tmp_path, old, new):
    """The reference with one piece of code replaced, imported as a module."""
    source = REFERENCE.read_text(encoding="utf-8")
    assert source.count(old) == 1, old
    path = tmp_path / "backprop.py"
    path.write_text(source.replace(old, new), encoding="utf-8")
    return load_module(path, f"buggy_{abs(hash(old))}")


def test_public_check_ids_are_the_question_ids():
    assert public_cases.QUESTIONS == QUESTION_IDS
    assert sorted(public_cases.CASES) == sorted(QUESTION_IDS)
    names = [
        ExceptionTestFile.from_file(str(p)).name
        for p in check.test_files(PUBLIC_TESTS, QUESTION_IDS)
    ]
    assert names == QUESTION_IDS
    assert [p.stem for p in check.test_files(PUBLIC_TESTS, QUESTION_IDS)] == QUESTION_IDS


def test_every_question_has_named_public_cases_sharing_the_points_of_the_table():
    points = {qid: p for qid, _, p, _ in TABLE}
    for path in check.test_files(PUBLIC_TESTS, QUESTION_IDS):
        test_file = ExceptionTestFile.from_file(str(path))
        cases = public_cases.CASES[test_file.name]
        assert len(test_file.test_cases) == len(cases) >= 1
        assert sum(tc.points for tc in test_file.test_cases) == pytest.approx(
            points[test_file.name]
        )
        assert not any(tc.hidden for tc in test_file.test_cases)
        for tc, case in zip(test_file.test_cases, cases):
            assert case["description"].startswith(tc.name.removesuffix(" ..."))


def test_a_public_check_names_a_known_mistake_with_the_graders_hint(tmp_path):
    from autograder.backprop.questions import HINTS

    module = buggy_copy(
        tmp_path,
        "return (delta_next @ theta_next[1:].T) * g_prime(z)",
        "return delta_next @ theta_next[1:].T",
    )
    (message, *_) = case_failures(module)["delta_hidden"]
    assert check.failure_line(message).endswith(f"Hint: {HINTS['hidden_missing_g_prime']}")


def test_a_failure_no_known_mistake_matches_gets_no_hint(tmp_path):
    module = buggy_copy(
        tmp_path,
        "return (delta_next @ theta_next[1:].T) * g_prime(z)",
        "return (delta_next @ theta_next[1:].T) * g_prime(z) + 0.125",
    )
    (message, *_) = case_failures(module)["delta_hidden"]
    assert "Hint:" not in check.failure_line(message)


def test_public_cases_is_plain_data_importing_only_numpy():
    tree = ast.parse(PATHS.public_cases.read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert imported == {"numpy"}


def test_the_reference_passes_every_public_check(ref):
    assert case_failures(ref) == {}
    assert all(result.ok for result in check.run_checks(ref, PUBLIC_TESTS))


def test_the_template_fails_every_public_check_with_one_readable_line(template):
    failures = case_failures(template)
    assert sorted(failures) == sorted(QUESTION_IDS)
    for question, messages in failures.items():
        assert len(messages) == len(public_cases.CASES[question])
        for message in messages:
            line = check.failure_line(message)
            assert "Traceback" not in message
            assert line.endswith(")") and len(line) < 200, line
            assert "is not implemented yet (NotImplementedError: " in line, line
            functions = {case["function"] for case in public_cases.CASES[question]}
            assert line.split(" ", 1)[0] in functions, line


@pytest.mark.parametrize(
    ("old", "new", "failing", "shown"),
    [
        (
            "np.asarray(z, dtype=np.float64) >= 0.0",
            "np.asarray(z, dtype=np.float64) > 0.0",
            {"step"},
            "step(np.array([[0.0]])), φ(0) = 1: expected [[1.]], got [[0.]]",
        ),
        (
            "return float((f(x + h) - f(x - h)) / (2.0 * h))",
            "return float((f(x + h) - f(x)) / h)",
            {"numerical_derivative"},
            "expected 1.080604611, got 1.08059",
        ),
        (
            "return [theta - eta * grad for theta, grad in zip(thetas, grads, strict=True)]",
            "for theta, grad in zip(thetas, grads):\n        theta -= eta * grad\n"
            "    return thetas",
            {"update", "sgd"},
            "modified its argument thetas[0]; work on a copy",
        ),
        (
            "return (delta_next @ theta_next[1:].T) * g_prime(z)",
            "return (delta_next @ theta_next[:-1].T) * g_prime(z)",
            {"delta_hidden", "backprop", "sgd"},
            "delta_hidden(delta_next, theta_next, z) into 3 hidden units (bias row 0 skipped):"
            " expected [[",
        ),
        (
            "return np.where(z >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))",
            "return 1.0 / (1.0 + np.exp(-z))",
            {"sigmoid"},
            "raised RuntimeWarning: overflow encountered in exp",
        ),
    ],
    ids=["step-strict", "forward-difference", "update-in-place", "bias-row", "overflow"],
)
def test_a_bug_fails_exactly_its_questions_saying_what_was_expected(
    tmp_path, old, new, failing, shown
):
    failures = case_failures(buggy_copy(tmp_path, old, new))
    assert set(failures) == failing
    lines = [check.failure_line(m) for messages in failures.values() for m in messages]
    assert any(shown in line for line in lines), lines


def test_a_wrong_shape_is_reported_with_both_shapes(tmp_path):
    module = buggy_copy(
        tmp_path,
        "return np.tanh(np.asarray(z, dtype=np.float64))",
        "return np.tanh(np.asarray(z, dtype=np.float64)).ravel()",
    )
    messages = case_failures(module)["tanh"]
    assert check.failure_line(messages[0]) == (
        "tanh(np.array([[0.0, 1.0, -2.0]])): expected shape (1, 3), got (3,)"
    )


def test_check_command_prints_a_table_and_fails_on_the_template(capsys):
    assert check.main([str(REFERENCE)]) == 0
    out = capsys.readouterr().out
    assert "20/20 questions pass" in out and "FAIL" not in out
    assert check.main([str(TEMPLATE)]) == 1
    out = capsys.readouterr().out.splitlines()
    rows = [line for line in out if line.split(" ", 1)[0] in QUESTION_IDS]
    assert len(rows) == 20 and all(" FAIL " in row for row in rows)
    assert out[-1] == "0/20 questions pass"


def test_otter_check_runs_the_public_checks_on_a_script(tmp_path):
    shutil.copytree(PUBLIC_TESTS, tmp_path / "tests")
    shutil.copy(REFERENCE, tmp_path / "backprop.py")
    otter = Path(sys.executable).with_name("otter")
    done = subprocess.run(
        [str(otter), "check", "backprop.py", "-t", "tests"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "All tests passed!" in done.stdout


def test_a_public_case_stops_an_endless_loop_within_its_time_limit(monkeypatch):
    """In the notebook (grader.check) and under otter the case runs in the main thread: an
    alarm stops it, and the student's own `except Exception` cannot swallow that."""
    import time

    from tools import public_check_runtime as runtime

    monkeypatch.setattr(runtime, "TIME_LIMIT", 0.3)

    def sigmoid(z):
        while True:
            try:
                time.sleep(0.01)
            except Exception:  # noqa: BLE001, S112 - what a student might write
                continue

    case = public_cases.CASES["sigmoid"][0]
    embedded = {**case, "rtol": 1e-6, "atol": 1e-9, "expected": 0.5}
    start = time.perf_counter()
    with pytest.raises(runtime.CheckFailed, match=r"did not finish in 0\.3 s"):
        runtime.check_case(embedded, {case["function"]: sigmoid}, {}, "backprop.py")
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize(
    "old, new, question, shown",
    [
        (
            "return float(np.sum(diff * diff) / diff.shape[0])",
            "return np.array(np.sum(diff * diff) / diff.shape[0])",
            "mse",
            "expected a single number 0.125, got a float64 ndarray of shape (): use float(",
        ),
        (
            "return np.where(np.asarray(z, dtype=np.float64) >= 0.0, 1.0, 0.0)",
            "return np.where(np.asarray(z, dtype=np.float64) >= 0.0, 1.0, 0.0).tolist()",
            "step",
            "expected a float64 NumPy array of shape (1, 1), got a list of length 1",
        ),
        (
            "    return [hidden, output]",
            "    return [hidden.tolist(), output.tolist()]",
            "xor_step_network",
            "thetas[0] expected a 2-D float64 array, got a list of length 3",
        ),
    ],
    ids=["0-d array for a number", "list for an array", "lists for weight matrices"],
)
def test_public_checks_refuse_what_the_grader_refuses(tmp_path, old, new, question, shown):
    failures = case_failures(buggy_copy(tmp_path, old, new))
    lines = [check.failure_line(m) for m in failures[question]]
    assert any(shown in line for line in lines), lines


def test_a_swallowed_alarm_comes_again_and_predict_runs_under_the_limit_too(monkeypatch):
    import time

    import numpy as np

    from tools import public_check_runtime as runtime

    monkeypatch.setattr(runtime, "TIME_LIMIT", 0.3)

    def stubborn(*args):
        try:
            while True:
                time.sleep(0.01)
        except:  # noqa: E722 - swallows the first alarm, as a student's code might
            pass
        while True:  # where the next one lands
            sum(range(10**5))

    sigmoid = {**public_cases.CASES["sigmoid"][0], "rtol": 1e-6, "atol": 1e-9, "expected": 0.5}
    xor = next(c for c in public_cases.CASES["xor_step_network"] if "activation" in c)
    xor = {**xor, "rtol": 1e-6, "atol": 1e-9, "xor_x": [[0.0, 0.0]], "xor_y": [[0.0]]}
    weights = [np.zeros((3, 2)), np.zeros((3, 1))]
    xor_env = {xor["function"]: lambda: weights, "predict": stubborn, xor["activation"]: abs}
    for case, env in [(sigmoid, {sigmoid["function"]: stubborn}), (xor, xor_env)]:
        start = time.perf_counter()
        with pytest.raises(runtime.CheckFailed, match="did not finish"):
            runtime.check_case(case, env, {}, "backprop.py")
        assert time.perf_counter() - start < 5
