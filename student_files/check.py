"""Run the public checks of ``tests/`` on your file and print a PASS/FAIL line per question.

Usage: ``python check.py [path/to/your/file.py] [--tests DIR] [-v] [--timeout SECONDS]``.
Needs only NumPy: the check files are otter test files, and this script reads them the way
``otter check`` does. Each question's line is printed as soon as it is known; ``-v`` prints
every failure, not only the first. A check that runs longer than ``--timeout`` seconds (an
endless loop?) fails, and the next question goes on in a fresh Python. Exit status 0 when
every check passes, 1 otherwise, 2 on a usage error.
"""

import argparse
import importlib.util
import inspect
import multiprocessing
import sys
import textwrap
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The file you hand in, and the questions in the order of the handout (set when the handout
# is packed).
FILENAME = "assignment.py"
QUESTIONS = []
TIMEOUT = 10.0  # seconds per check
IMPORT_SECONDS = 60.0
WIDTH = 160  # characters of a failure shown on a question's line (-v: all of it)


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


def import_student(student):
    """The student's module, or raises what importing it raised."""
    sys.path.insert(0, str(student.resolve().parent))
    spec = importlib.util.spec_from_file_location(Path(FILENAME).stem, student)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def import_error_line(error):
    """What went wrong at import, with the line for a syntax error."""
    if isinstance(error, SyntaxError):
        return f"SyntaxError at line {error.lineno}: {error.msg}"
    frames = [f for f in __import__("traceback").extract_tb(error.__traceback__)]
    own = [f for f in frames if Path(f.filename).name == FILENAME]
    where = f" (line {own[-1].lineno})" if own else ""
    return f"{type(error).__name__}: {one_line(error)}{where}"


def serve(student, paths, start, connection):
    """In a separate Python: import the file, then run the questions from ``start`` on,
    sending ("check", index, reason or None) after each check and ("done", index)."""
    try:
        env = vars(import_student(Path(student)))
    except BaseException as error:  # SyntaxError, SystemExit, ... all end up here
        connection.send(("import", import_error_line(error)))
        return
    connection.send(("ready",))
    for index in range(start, len(paths)):
        _, checks = load_checks(Path(paths[index]))
        for check in checks:
            connection.send(("check", index, run_check(check, env)))
        connection.send(("done", index))


def shorten(text, width):
    """``text`` on one line, cut at a word boundary when longer than ``width``."""
    return textwrap.shorten(" ".join(str(text).split()), width, placeholder=" ...")


def run_all(student, files, loaded, timeout, report):
    """Run every question (``loaded``: ``load_checks`` of each file), calling
    ``report(question, passed, total, failures)`` as soon as each is known. Returns None, or
    the import error's line."""
    paths = [str(path) for path in files]
    context = multiprocessing.get_context("spawn")
    index = 0
    while index < len(files):
        parent, child = context.Pipe(duplex=False)
        worker = context.Process(target=serve, args=(str(student), paths, index, child))
        worker.start()
        child.close()
        failures, done, first, stopped = [], 0, True, None
        while index < len(files):
            name, total = loaded[index][0], len(loaded[index][1])
            # a fresh Python first imports NumPy and the file (IMPORT_SECONDS at most)
            if not parent.poll(IMPORT_SECONDS if first else timeout):
                if first:
                    worker.terminate()
                    worker.join()
                    return f"importing it took more than {IMPORT_SECONDS:g} s (an endless loop?)"
                stopped = f"a check took more than {timeout:g} s (an endless loop?)"
            else:
                try:
                    message = parent.recv()
                except EOFError:
                    if first:
                        worker.join()
                        return "Python stopped while importing it (os._exit() or a crash?)"
                    stopped = "Python stopped while running this check (sys.exit()?)"
            if stopped:
                failures.append(stopped)
                report(name, done - len(failures) + 1, total, failures)
                index += 1
                break
            if message[0] == "import":
                worker.join()
                return message[1]
            if first:
                first = False
                continue
            if message[0] == "check":
                done += 1
                if message[2] is not None:
                    failures.append(message[2])
            else:
                report(name, total - len(failures), total, failures)
                failures, done, index = [], 0, index + 1
        if stopped:
            worker.terminate()
        worker.join()
        parent.close()
    return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("student", nargs="?", default=str(HERE / FILENAME))
    parser.add_argument("--tests", default=str(HERE / "tests"))
    parser.add_argument("-v", "--verbose", action="store_true", help="print every failure")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per check")
    args = parser.parse_args(argv)
    student = Path(args.student)
    if not student.is_file():
        print(f"error: {student} does not exist", file=sys.stderr)
        return 2
    files = test_files(args.tests)
    if not files:
        print(f"error: no check files in {args.tests}", file=sys.stderr)
        return 2
    loaded = [load_checks(path) for path in files]
    width = max(len("question"), *(len(name) for name, _ in loaded))
    print(f"public checks of {student}", flush=True)
    results = []

    def report(question, passed, total, failures):
        if not results:
            print(f"{'question':<{width}}  result  cases", flush=True)
        results.append(not failures)
        line = f"{question:<{width}}  {'FAIL' if failures else 'PASS':<6}  {passed}/{total}"
        if failures:
            line += "  " + (failures[0] if args.verbose else shorten(failures[0], WIDTH))
        print(line, flush=True)
        if args.verbose:
            for failure in failures[1:]:
                print(f"{'':<{width}}                 {failure}", flush=True)

    problem = run_all(student, files, loaded, args.timeout, report)
    if problem is not None:
        print(f"{student} could not be imported: {problem}")
        return 1
    ok = sum(results)
    print(f"{ok}/{len(results)} questions pass")
    return 0 if ok == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
