"""The handout notebook of an assignment, from its text form, validated and executed.

The handout is written as ``assignment/<name>/<stem>.md``, a notebook in jupytext's Markdown
form: prose as Markdown, code cells as fenced ``python`` blocks (open it in Jupyter with
jupytext, or in any editor). ``notebook(paths)`` reads it into a notebook with fixed cell ids,
no outputs and a Python 3 kernelspec, and validates it with nbformat; ``dist`` packs that
notebook. ``make notebook`` also executes it beside the reference, the way a student has it,
and writes ``build/<name>/<stem>.ipynb`` and the executed ``<stem>-reference.html``.

Usage: ``python -m tools.make_notebook [--assignment NAME] [--out DIR]``.
"""

import argparse
import sys
import tempfile
from pathlib import Path

import jupytext
import nbformat

from autograder.engine.layout import ROOT
from tools import assignments

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


class HandoutError(ValueError):
    """The handout's text form is missing or not a valid notebook."""


def notebook(paths):
    """The handout as a notebook: deterministic (cell ids from positions, no outputs)."""
    if not paths.handout.is_file():
        raise HandoutError(f"{paths.handout.relative_to(paths.root)} is missing")
    text = paths.handout.read_text(encoding="utf-8")
    nb = jupytext.reads(text, fmt="md")
    nb.metadata = nbformat.from_dict({"kernelspec": KERNELSPEC})
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index:03d}"
        cell.metadata = nbformat.from_dict({})
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.nbformat, nb.nbformat_minor = 4, 5
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as error:
        raise HandoutError(f"{paths.handout}: not a valid notebook: {error.message}") from None
    if not any(cell.cell_type == "code" for cell in nb.cells):
        raise HandoutError(f"{paths.handout}: no code cell (code cells are ```python blocks)")
    return nb


def notebook_bytes(paths):
    """The handout notebook as the student bundle holds it."""
    return nbformat.writes(notebook(paths)).encode() + b"\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    assignments.add_argument(parser)
    parser.add_argument("--out", help="default: build/<name>/")
    parser.add_argument("--no-run", action="store_true", help="build and validate only")
    args = parser.parse_args(argv)
    _, paths = assignments.chosen_or_exit(args.assignment)
    out = Path(args.out or ROOT / "build" / paths.name)
    try:
        data = notebook_bytes(paths)
    except HandoutError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{paths.stem}.ipynb"
    target.write_bytes(data)
    print(f"wrote {target} from {paths.handout.relative_to(ROOT)}")
    if args.no_run:
        return 0
    from tools import run_notebook

    html = out / f"{paths.stem}-reference.html"
    with tempfile.TemporaryDirectory(prefix="handout-") as workdir:
        try:
            nb = run_notebook.execute(paths, paths.solution, workdir)
        except run_notebook.CellError as error:
            print(f"error: the handout fails with the reference: {error}", file=sys.stderr)
            return 1
    run_notebook.write_html(nb, html)
    print(f"executed it with the reference: {html}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
