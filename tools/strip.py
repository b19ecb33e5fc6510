"""Make the student template from the reference solution.

Each block between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` becomes one
``raise NotImplementedError("<function>: see slide '<title>'")`` at the block's indentation,
where ``<function>`` is the enclosing ``def`` and ``<title>`` the first ``slide "..."`` quoted in
its docstring. Everything else (signatures, docstrings, constants, given helpers) is kept.

Usage: ``python -m tools.strip SOURCE DEST``, or ``python -m tools.strip --assignment NAME`` for
``solutions/<name>/<file>`` -> ``student_template/<name>/<file>`` (what ``make student`` runs).
"""

import re
import sys
from pathlib import Path

BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"

_DEF = re.compile(r"^\s*def\s+(\w+)\s*\(")
_SLIDE = re.compile(r'[Ss]lides?\s+"([^"]+)"')


class StripError(ValueError):
    """A marker problem, reported as ``path:line: message``."""

    def __init__(self, path, line, message):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line = path, line


def _stub(function, slide, indent, width=100):
    where = f": see slide '{slide}'" if slide else ""
    line = f'{indent}raise NotImplementedError("{function}{where}")\n'
    if len(line) <= width + 1:
        return line
    return (  # as ruff formats a call too long for one line
        f'{indent}raise NotImplementedError(\n{indent}    "{function}{where}"\n{indent})\n'
    )


def strip_solutions(lines, path="<source>"):
    """Return ``lines`` with every solution block replaced by a stub.

    Parameters
    ----------
    lines : list of str
        The reference source, one string per line, line endings kept.
    path : str
        Shown in errors.

    Raises
    ------
    StripError
        On an ``END`` without ``BEGIN``, a ``BEGIN`` inside a block, a block outside any
        function, or a block left open at the end of the file.
    """
    out = []
    function, slide = None, None
    block_start = None  # line number of the open BEGIN marker, if any
    for number, line in enumerate(lines, start=1):
        marker = line.strip()
        if block_start is None:
            match = _DEF.match(line)
            if match:
                function, slide = match.group(1), None
            found = _SLIDE.search(line)
            if found and function and slide is None:
                slide = found.group(1)
        if marker == BEGIN:
            if block_start is not None:
                raise StripError(
                    path, number, f"nested '{BEGIN}' (block opened at line {block_start})"
                )
            if function is None:
                raise StripError(path, number, f"'{BEGIN}' outside a function")
            block_start = number
            out.append(_stub(function, slide, line[: len(line) - len(line.lstrip())]))
        elif marker == END:
            if block_start is None:
                raise StripError(path, number, f"'{END}' without a matching '{BEGIN}'")
            block_start = None
        elif block_start is None:
            out.append(line)
    if block_start is not None:
        raise StripError(path, block_start, f"'{BEGIN}' is never closed by '{END}'")
    return out


def build(source, dest):
    """Strip ``source`` into ``dest``; ``dest`` is only written when stripping succeeds."""
    source, dest = Path(source), Path(dest)
    text = source.read_text(encoding="utf-8")
    stripped = "".join(strip_solutions(text.splitlines(keepends=True), str(source)))
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(stripped, encoding="utf-8")


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--assignment"] and len(args) <= 2:
        from tools import assignments

        _, paths = assignments.chosen_or_exit(args[1] if len(args) == 2 else None)
        paths.template.parent.mkdir(parents=True, exist_ok=True)
        args = [paths.solution, paths.template]
    if len(args) != 2:
        print("usage: python -m tools.strip SOURCE DEST | --assignment [NAME]", file=sys.stderr)
        return 2
    try:
        build(*args)
    except StripError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
