"""Run an assignment's public checks against a student file and print a PASS/FAIL table.

Usage: ``python -m tools.check [STUDENT_FILE] [--assignment NAME] [--tests DIR]`` (what ``make
check`` runs; defaults: the reference ``solutions/<name>/<file>`` and ``assignment/<name>/tests``).
Uses otter's own loader for the exception-based test files, the same code as ``otter check``
and ``grader.check``.
Exit status 0 when every check passes, 1 otherwise, 2 on a usage error.
"""

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from otter.test_files.exception_test import ExceptionTestFile

from autograder.engine.layout import load_file
from tools import assignments


@dataclass
class QuestionResult:
    question: str
    passed: int
    total: int
    first_failure: str  # one line, empty when every case passed

    @property
    def ok(self):
        return self.passed == self.total


def failure_line(message):
    """The explanation in an otter failure message: its last line, without the error type."""
    last = (message or "").strip().splitlines()[-1] if message and message.strip() else ""
    for prefix in ("CheckFailed: ", "AssertionError: "):
        if last.startswith(prefix):
            return last[len(prefix) :]
    return last


def test_files(tests_dir, questions=()):
    """The test files of ``tests_dir`` (otter takes every ``*.py``), in the order of
    ``questions`` (the handout's), then by name."""
    order = {question: index for index, question in enumerate(questions)}
    return sorted(Path(tests_dir).glob("*.py"), key=lambda p: (order.get(p.stem, len(order)), p))


def run_checks(module_or_env, tests_dir, questions=()):
    """Run every test file against a module (or a dict of globals); one result per question."""
    env = module_or_env if isinstance(module_or_env, dict) else vars(module_or_env)
    results = []
    for path in test_files(tests_dir, questions):
        test_file = ExceptionTestFile.from_file(str(path))
        test_file.run(env)
        outcomes = test_file.test_case_results
        failures = [failure_line(r.message) for r in outcomes if not r.passed]
        results.append(
            QuestionResult(
                question=test_file.name,
                passed=sum(r.passed for r in outcomes),
                total=len(outcomes),
                first_failure=failures[0] if failures else "",
            )
        )
    return results


def table(results, width=100):
    """The compact per-question table."""
    name_width = max([len("question")] + [len(r.question) for r in results])
    lines = [f"{'question':<{name_width}}  result  cases"]
    for r in results:
        line = f"{r.question:<{name_width}}  {'PASS' if r.ok else 'FAIL':<6}  {r.passed}/{r.total}"
        if not r.ok:
            line += "  " + r.first_failure
        lines.append(line if len(line) <= width else line[: width - 3] + "...")
    passed = sum(r.ok for r in results)
    lines.append(f"{passed}/{len(results)} questions pass")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("student", nargs="?", help="default: the assignment's reference")
    assignments.add_argument(parser)
    parser.add_argument("--tests", help="default: assignment/<name>/tests")
    parser.add_argument("--width", type=int, default=160, help="cut table lines at this width")
    args = parser.parse_args(argv)
    assignment, paths = assignments.chosen_or_exit(args.assignment)
    student = Path(args.student or paths.solution)
    tests = Path(args.tests or paths.tests)
    if not student.is_file():
        print(f"error: {student} does not exist", file=sys.stderr)
        return 2
    if not test_files(tests):
        print(f"error: no test files in {tests}", file=sys.stderr)
        return 2
    try:
        module = load_file(student, f"{paths.stem}_under_check")
    except Exception as error:  # a syntax error or a crash at import: one line, not a traceback
        print(f"{student} could not be imported: {type(error).__name__}: {error}")
        return 1
    results = run_checks(module, tests, assignment.questions)
    print(f"public checks of {student}")
    print(table(results, args.width))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
