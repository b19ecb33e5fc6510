"""Shared fixtures: the reference solution and the generated template, imported by path;
which isolation level and which Python run student code here (``isolation``)."""

import functools
import importlib.util
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "solutions" / "backprop" / "backprop.py"
TEMPLATE = ROOT / "student_template" / "backprop" / "backprop.py"


@functools.cache
def info(name):
    """``(ASSIGNMENT, Paths)`` of the assignment ``name``."""
    from autograder.engine.assignment import load
    from autograder.engine.layout import Paths

    assignment = load(name)
    return assignment, Paths(assignment.name, assignment.filename)


def load_module(path, name):
    """Import the file at ``path`` as a fresh module called ``name``."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def ref():
    return load_module(REFERENCE, "reference_backprop")


@pytest.fixture(scope="session")
def template():
    return load_module(TEMPLATE, "template_backprop")


# --- isolation: the strongest level that runs student code on this machine ---

LEVELS = ("bwrap", "user", "process")  # strongest first


class Isolation(NamedTuple):
    level: str  # the strongest level that works here
    python: str  # a Python that level's workers can run (for the user level: not under /root)
    missing: dict  # {stronger level: why it is not available}
    exposed: tuple  # what a worker can read of the project at this level (see engine/sandbox/)


@functools.cache
def isolation():
    """The strongest isolation level that can run student code here, and its Python (see
    tools/security_report.levels_here: bwrap, else the user level, else process)."""
    from autograder.engine import sandbox
    from tools.security_report import levels_here

    found = levels_here()
    missing = {}
    for level in LEVELS:
        python, why = found[level]
        if python is None:
            missing[level] = why
            continue
        exposed = sandbox.make(level, python=python).exposed if level == "user" else ()
        return Isolation(level, python, missing, tuple(exposed))
    raise AssertionError("the process level always works")


def need_isolation(minimum):
    """``isolation()`` when its level is at least ``minimum``; else skip, saying why."""
    here = isolation()
    if LEVELS.index(here.level) <= LEVELS.index(minimum):
        return here
    stronger = LEVELS[: LEVELS.index(minimum)]
    why = "".join(f"; nor {level}: {here.missing[level]}" for level in stronger)
    pytest.skip(f"{minimum} isolation is not available here: {here.missing[minimum]}{why}")


def grade_command(*args):
    """``python -m autograder grade *args`` at the strongest level here. The command line
    refuses less than the user level, and a user level whose grading uid can read the
    project (a world-readable checkout), unless --unsafe: these tests grade only the test
    data, so they pass it then, and ``check_isolation`` makes sure the level was not lower."""
    here = isolation()
    unsafe = here.level == "process" or here.exposed
    return [here.python, "-m", "autograder", "grade", *map(str, args)] + (
        ["--unsafe"] if unsafe else []
    )


def check_isolation(stderr):
    """The grader said it used the strongest level here."""
    assert f"isolation: {isolation().level}\n" in stderr, stderr
