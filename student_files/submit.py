"""Check your file and pack it into ``submission.zip`` for upload.

Usage: ``python submit.py`` (or ``make submit``). Checks that the file exists, that it
compiles (a syntax error is shown with its line), that it imports in a separate Python within
a time limit, and that every function of the assignment is defined; says which functions
still raise ``NotImplementedError`` and which questions' public checks fail (``check.py``);
then writes ``submission.zip`` holding only that file. Exit status 0 when ``submission.zip``
was written, 1 otherwise.
"""

import ast
import json
import subprocess
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The file you hand in, and its functions (set when the handout is packed).
FILENAME = "assignment.py"
IMPORT_SECONDS = 60
CONTRACT = []

PROBE = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("submission", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
names = json.loads(sys.argv[2])
print("\\nMISSING " + json.dumps([n for n in names if not callable(getattr(module, n, None))]))
"""


def problems(path):
    """What stops ``path`` from being submitted (an empty list when nothing does)."""
    if not path.is_file():
        return [f"{path.name} is not in {path.parent}: keep submit.py beside your {path.name}"]
    try:
        compile(path.read_bytes(), str(path), "exec")
    except SyntaxError as error:
        return [f"{path.name} cannot be imported: SyntaxError at line {error.lineno}: {error.msg}"]
    command = [sys.executable, "-c", PROBE, str(path), json.dumps(CONTRACT)]
    try:
        run = subprocess.run(
            command, cwd=path.parent, capture_output=True, text=True, timeout=IMPORT_SECONDS
        )
    except subprocess.TimeoutExpired:
        return [
            f"importing {path.name} took more than {IMPORT_SECONDS} s: does it run something "
            "long (training, an endless loop) outside a function?"
        ]
    if run.returncode != 0:
        last = (run.stderr.strip().splitlines() or ["(no message)"])[-1]
        return [f"{path.name} cannot be imported: {last}"]
    marker = [line for line in run.stdout.splitlines() if line.startswith("MISSING ")]
    if not marker:
        return [f"{path.name} stopped Python while being imported (sys.exit()?)"]
    missing = json.loads(marker[-1][len("MISSING ") :])
    return [f"{path.name} does not define {name}()" for name in missing]


def unimplemented(path):
    """The contract's functions whose body still raises NotImplementedError."""
    tree = ast.parse(path.read_bytes())
    found = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in CONTRACT:
            for inner in ast.walk(node):
                if isinstance(inner, ast.Raise) and "NotImplementedError" in ast.unparse(inner):
                    found.append(node.name)
                    break
    return found


def failing_checks(path):
    """The questions whose public checks fail (``check.py`` beside this script), or None."""
    checker = HERE / "check.py"
    if not checker.is_file():
        return None
    command = [sys.executable, str(checker), str(path)]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return None
    return [line.split()[0] for line in run.stdout.splitlines() if "  FAIL  " in line]


def pack(path, target):
    """``target`` with ``path`` as its one member, named ``FILENAME``."""
    info = zipfile.ZipInfo(FILENAME, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(info, path.read_bytes())


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else HERE
    path = folder / FILENAME
    found = problems(path)
    if found:
        print("Not packed:")
        for problem in found:
            print(f"  - {problem}")
        return 1
    todo = unimplemented(path)
    if todo:
        print(
            f"Still raising NotImplementedError ({len(todo)} of {len(CONTRACT)}): {', '.join(todo)}"
        )
    failing = failing_checks(path)
    if failing:
        print(f"Public checks failing ({len(failing)} questions): {', '.join(failing)}")
        print("  (run `make check` or `python check.py -v` for what differs)")
    elif failing == []:
        print("Every public check passes.")
    target = folder / "submission.zip"
    pack(path, target)
    print(f"Wrote {target} ({FILENAME}, {path.stat().st_size} bytes).")
    print(f"Upload it (or {FILENAME} itself) where your course collects the assignment.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
