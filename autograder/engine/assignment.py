"""What the engine needs to know about an assignment, and nothing about its subject.

An assignment package (``autograder/backprop`` is one) exposes ``ASSIGNMENT``, an
``Assignment``. The engine loads it by module name from the config, so a second assignment
is a second package, with no change to the engine.
"""

import functools
import importlib
import inspect
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Assignment:
    """
    name : shown in reports and used for file names; also its folder in every top-level
        folder (``solutions/<name>/``, ``assignment/<name>/``, ..., see ``layout.py``)
    filename : the one file a submission must contain, e.g. ``backprop.py``
    title : the assignment's title, for the student bundle's README
    questions : the question ids in handout order (public checks, tables)
    build : ``build(seed) -> list[Question]``, the checks for one submission
    functions : name -> trusted callable that a worker may ask for (helpers, named functions)
    hints : mistake key -> hint text shown in feedback
    figures : ``figures(data) -> list[dict]`` with ``data`` = {question id: [check data]}
    public_mistakes : ``public_mistakes(case) -> {key: value}``, optional: what known mistakes
        return on a public case's inputs (public too), for the hints of the public checks
    worker_functions : optional, paths of Python files and functions (NumPy only, nothing
        secret: the student's code can read them) defining some of ``functions`` by the same
        names; workers run those themselves instead of asking the grader for each call (test
        functions that a check passes by name and the student's code calls many times).
        ``worker_source()`` is the text sent to each worker.
    """

    name: str
    filename: str
    title: str
    questions: tuple
    build: Callable
    functions: dict
    hints: dict
    figures: Callable = field(default=lambda data: [])
    public_mistakes: Callable = field(default=lambda case: {})
    worker_functions: tuple = ()

    def worker_source(self):
        """The text of ``worker_functions`` (files whole, functions by their source, in
        order), built once per grading process: what each worker runs."""
        return _source(tuple(self.worker_functions))


@functools.cache
def _source(parts):
    texts = []
    for part in parts:
        if callable(part):
            texts.append(textwrap.dedent(inspect.getsource(part)))
        else:
            texts.append(Path(part).read_text(encoding="utf-8"))
    return "\n\n".join(texts)


class UnknownAssignment(ValueError):
    """No assignment package of that name."""


def module_name(name):
    """``perceptron`` -> ``autograder.perceptron``; a dotted name is taken as it is."""
    if "." in name:
        return name
    if not name.isidentifier():
        raise UnknownAssignment(f"{name!r} is not an assignment name (letters, digits, _)")
    return f"autograder.{name}"


def load(name):
    """The ``ASSIGNMENT`` of the package ``name`` (``autograder.backprop`` or ``backprop``)."""
    try:
        module = importlib.import_module(module_name(name))
    except ModuleNotFoundError as error:
        short = name.removeprefix("autograder.")
        raise UnknownAssignment(
            f"no assignment {short!r}: expected a package autograder/{short}/ with an ASSIGNMENT"
        ) from error
    if not isinstance(getattr(module, "ASSIGNMENT", None), Assignment):
        raise UnknownAssignment(f"{module.__name__} has no ASSIGNMENT")
    return module.ASSIGNMENT
