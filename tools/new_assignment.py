"""Scaffold a new assignment that works at once: ``make new-assignment NAME=<name>``.

Writes, for an assignment ``<name>`` whose students hand in ``<name>.py``:

- ``solutions/<name>/<name>.py``: the reference, one example function between solution markers;
- ``assignment/<name>/public_cases.py`` (one public case) and ``assignment/<name>/<name>.md``
  (a short handout notebook in jupytext Markdown form);
- ``autograder/<name>/``: ``__init__.py`` (the manifest ``ASSIGNMENT``), ``questions.py``
  (points and hints), ``battery.py`` (hidden checks, one with a known mistake),
  ``reference.py``;
- ``examples/<name>/submissions/added.py``: a submission with that mistake;

then generates ``student_template/<name>/<name>.py`` and ``assignment/<name>/tests/``. Straight
after, ``make student public-checks notebook dist ASSIGNMENT=<name>`` succeed, the reference
grades full marks and the template 0. The templates are in ``tools/scaffold/``.

Nothing is overwritten: an existing file of the new assignment stops the scaffold before it
writes anything.
"""

import argparse
import importlib.util
import keyword
import re
import string
import sys
from pathlib import Path

from autograder.engine.layout import NOT_ASSIGNMENTS, ROOT, Paths

SCAFFOLD = Path(__file__).resolve().parent / "scaffold"
NAME = re.compile(r"^[a-z][a-z0-9_]{0,29}$")
TITLE = re.compile(r"^[^\"'\\`$\n]{1,60}$")


class ScaffoldError(ValueError):
    """A name that cannot be an assignment, or files already there."""


def check_name(name, root=ROOT):
    """Why ``name`` cannot be a new assignment, or None."""
    if not NAME.match(name):
        return f"{name!r}: use lower-case letters, digits and _, starting with a letter (≤ 30)"
    if keyword.iskeyword(name) or name in NOT_ASSIGNMENTS:
        return f"{name!r} is a reserved name"
    taken = name in sys.stdlib_module_names or name in {"autograder", "tools", "tests"}
    if taken or (importlib.util.find_spec(name) is not None and not (Path(root) / name).exists()):
        return (
            f"{name!r} is the name of a Python module: the handout's `import {name}` would load "
            "that module instead of the student's file"
        )
    return None


def files(name, title, root=ROOT):
    """{path: text} of the new assignment's hand-written files."""
    paths = Paths(name, f"{name}.py", Path(root))
    words = {"name": name, "filename": paths.filename, "title": title}

    def render(template):
        return string.Template((SCAFFOLD / template).read_text(encoding="utf-8")).substitute(words)

    return {
        paths.solution: render("solution.py.tmpl"),
        paths.public_cases: render("public_cases.py.tmpl"),
        paths.handout: render("handout.md.tmpl"),
        paths.package / "__init__.py": render("package_init.py.tmpl"),
        paths.package / "questions.py": render("questions.py.tmpl"),
        paths.package / "battery.py": render("battery.py.tmpl"),
        paths.package / "reference.py": render("reference.py.tmpl"),
        paths.examples / "added.py": render("example_mistake.py.tmpl"),
    }


def scaffold(name, title=None, root=ROOT):
    """Write the new assignment's files and generate its template and public checks.

    Returns the paths written. Raises ``ScaffoldError`` before writing anything when the name
    is not usable or one of its folders exists.
    """
    problem = check_name(name, root)
    if problem:
        raise ScaffoldError(problem)
    paths = Paths(name, f"{name}.py", Path(root))
    existing = [p for p in paths.own_files() if p.exists()]
    if existing:
        raise ScaffoldError(f"{existing[0].relative_to(root)} exists already: pick another name")
    title = title or name.replace("_", " ").capitalize()
    if not TITLE.match(title):
        raise ScaffoldError("a title is one line of at most 60 characters, without quotes, ` or $")
    written = files(name, title, root)
    for path, text in written.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    from autograder.engine.assignment import load
    from tools import make_public_checks, strip

    importlib.invalidate_caches()
    paths.template.parent.mkdir(parents=True, exist_ok=True)
    strip.build(paths.solution, paths.template)
    make_public_checks.write(make_public_checks.generate(load(name), paths), paths.tests)
    return sorted(written) + [paths.template, *sorted(paths.tests.glob("*.py"))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="the assignment's name, also its student file <name>.py")
    parser.add_argument("--title", help="the handout's title (default: from the name)")
    args = parser.parse_args(argv)
    try:
        written = scaffold(args.name, args.title)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    name = args.name
    print(
        f"\nNext: edit solutions/{name}/{name}.py, assignment/{name}/, autograder/{name}/; then\n"
        f"  make student public-checks notebook check ASSIGNMENT={name}\n"
        f"  make grade ASSIGNMENT={name} SUBMISSIONS=examples/{name}/submissions\n"
        f"  make dist ASSIGNMENT={name}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
