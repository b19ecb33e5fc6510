"""Which assignment a build tool works on: ``--assignment NAME`` (``make ... ASSIGNMENT=NAME``),
by default the course's default assignment (``assignment`` in ``autograder/config.toml``).

Every tool starts from ``chosen(args)``: the assignment's ``ASSIGNMENT`` and its ``Paths``.
"""

import sys
from pathlib import Path

from autograder.engine import config as config_module
from autograder.engine.assignment import UnknownAssignment, load
from autograder.engine.layout import Paths

ROOT = Path(__file__).resolve().parents[1]


def default_name():
    """The course's default assignment (the config's ``assignment``), e.g. ``backprop``."""
    return config_module.load().assignment.removeprefix("autograder.")


def add_argument(parser):
    parser.add_argument(
        "--assignment",
        default=None,
        help="the assignment, e.g. backprop or perceptron (default: autograder/config.toml's)",
    )


def chosen(name=None):
    """``(ASSIGNMENT, Paths)`` of ``name`` (default: the course's default assignment)."""
    assignment = load(name or default_name())
    return assignment, Paths(assignment.name, assignment.filename)


def chosen_or_exit(name=None):
    """``chosen(name)``, or a one-line error and exit status 2 for an unknown assignment."""
    try:
        return chosen(name)
    except UnknownAssignment as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
