"""Write each assignment's points table into README.md, between its markers (``make readme``).

An assignment ``<name>`` has its table in README.md between the lines
``<!-- points-table:<name>:start -->`` and ``<!-- points-table:<name>:end -->``; the table is
the output of ``python -m autograder points --assignment <name>``. Assignments without markers
are skipped with a note (a new assignment shows no table until its markers are added).
"""

import re
import subprocess
import sys
from pathlib import Path

from autograder.engine.layout import names

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def markers(name):
    """The start and end lines of ``name``'s table (the start line with its newline)."""
    return f"<!-- points-table:{name}:start -->\n", f"<!-- points-table:{name}:end -->"


def pattern(name):
    start, end = markers(name)
    return re.compile(re.escape(start) + "(.*?)" + re.escape(end), re.S)


def points_table(name):
    command = [sys.executable, "-m", "autograder", "points", "--assignment", name]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout


def main():
    text = README.read_text(encoding="utf-8")
    written = []
    for name in names():
        start, end = markers(name)
        if not pattern(name).search(text):
            print(f"note: README.md has no table for {name} ({start.strip()} ... {end})")
            continue
        block = start + points_table(name) + end
        text = pattern(name).sub(lambda _, block=block: block, text)
        written.append(name)
    if not written:
        print("error: README.md has no points-table markers", file=sys.stderr)
        return 1
    README.write_text(text, encoding="utf-8")
    print("wrote the points tables of " + ", ".join(written) + " into README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
