"""Write the grader's points table into README.md, between its markers (``make readme``)."""

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- points-table:start -->\n", "<!-- points-table:end -->"


def points_table():
    command = [sys.executable, "-m", "autograder", "points"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def main():
    text = README.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        print(f"error: README.md has no {START.strip()} ... {END} markers", file=sys.stderr)
        return 1
    README.write_text(pattern.sub(lambda _: START + points_table() + END, text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
