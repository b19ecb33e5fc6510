"""Check your file and pack it into ``submission.zip`` for upload.

Usage: ``python submit.py`` (or ``make submit``). Checks that the file exists, that it imports
in a separate Python within a time limit, and that every function of the assignment is
defined; then writes ``submission.zip`` holding only that file. Exit status 0 when
``submission.zip`` was written, 1 otherwise.
"""

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
    target = folder / "submission.zip"
    pack(path, target)
    print(f"Wrote {target} ({FILENAME}, {path.stat().st_size} bytes).")
    print(f"Upload it (or {FILENAME} itself) where your course collects the assignment.")
    print("Tip: run `make check` (python check.py) first to see the public checks.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
