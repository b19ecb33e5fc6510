"""Run the public checks of ``tests/`` on your file and print a PASS/FAIL table.

Usage: ``python check.py [path/to/your/file.py] [--tests DIR]``. Needs only NumPy: the check
files are otter test files, and this script reads them the way ``otter check`` does. Exit
status 0 when every check passes, 1 otherwise, 2 on a usage error.
"""

import argparse
import importlib.util
import inspect
import sys
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The file you hand in, and the questions in the order of the handout (set when the handout
# is packed).
FILENAME = "assignment.py"
QUESTIONS = []


def _otter_stand_in():
    """A module ``otter.test_files`` whose ``test_case`` only marks the check functions."""

    def test_case(name=None, points=None, hidden=False, **_):
        def mark(fn):
            fn.public_check = name or fn.__name__
            return fn

        return mark

    package, module = types.ModuleType("otter"), types.ModuleType("otter.test_files")
    module.test_case = test_case
    package.test_files = module
    return {"otter": package, "otter.test_files": module}


def load_checks(path):
    """(question name, [check functions in file order]) of one test file."""
    saved = {name: sys.modules.get(name) for name in ("otter", "otter.test_files")}
    sys.modules.update(_otter_stand_in())
    try:
        namespace = {"__name__": f"public_check_{path.stem}", "__file__": str(path)}
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    checks = [v for v in namespace.values() if callable(v) and hasattr(v, "public_check")]
    return namespace.get("name", path.stem), checks


def one_line(error):
    text = str(error).strip().splitlines()
    return text[-1] if text else type(error).__name__


def run_check(check, env):
    """None when the check passes, else a one-line reason."""
    names = list(inspect.signature(check).parameters)
    missing = [n for n in names if n not in env]
    if missing:
        return f"{FILENAME} defines no {missing[0]}"
    try:
        check(**{n: env[n] for n in names})
    except AssertionError as error:
        return one_line(error)
    except Exception as error:
        return f"{type(error).__name__}: {one_line(error)}"
    return None


def test_files(tests_dir):
    order = {question: index for index, question in enumerate(QUESTIONS)}
    return sorted(Path(tests_dir).glob("*.py"), key=lambda p: (order.get(p.stem, len(order)), p))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("student", nargs="?", default=str(HERE / FILENAME))
    parser.add_argument("--tests", default=str(HERE / "tests"))
    args = parser.parse_args(argv)
    student = Path(args.student)
    if not student.is_file():
        print(f"error: {student} does not exist", file=sys.stderr)
        return 2
    files = test_files(args.tests)
    if not files:
        print(f"error: no check files in {args.tests}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(student.resolve().parent))
    try:
        spec = importlib.util.spec_from_file_location(Path(FILENAME).stem, student)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except Exception as error:
        print(f"{student} could not be imported: {type(error).__name__}: {error}")
        return 1
    env = vars(module)
    rows = []
    for path in files:
        question, checks = load_checks(path)
        failures = [f for f in (run_check(c, env) for c in checks) if f is not None]
        rows.append((question, len(checks) - len(failures), len(checks), failures))
    width = max(len("question"), *(len(q) for q, *_ in rows))
    print(f"public checks of {student}")
    print(f"{'question':<{width}}  result  cases")
    for question, passed, total, failures in rows:
        line = f"{question:<{width}}  {'FAIL' if failures else 'PASS':<6}  {passed}/{total}"
        print(line + (f"  {failures[0][:120]}" if failures else ""))
    ok = sum(not failures for *_, failures in rows)
    print(f"{ok}/{len(rows)} questions pass")
    return 0 if ok == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
