"""What the engine needs to know about an assignment, and nothing about its subject.

An assignment package (``autograder/backprop`` is one) exposes ``ASSIGNMENT``, an
``Assignment``. The engine loads it by module name from the config, so a second assignment
is a second package, with no change to the engine.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Assignment:
    """
    name : shown in reports and used for file names
    filename : the one file a submission must contain, e.g. ``backprop.py``
    build : ``build(seed) -> list[Question]``, the checks for one submission
    functions : name -> trusted callable that a worker may ask for (helpers, named functions)
    hints : mistake key -> hint text shown in feedback
    figures : ``figures(data) -> list[dict]`` with ``data`` = {question id: [check data]}
    """

    name: str
    filename: str
    build: Callable
    functions: dict
    hints: dict
    figures: Callable = field(default=lambda data: [])


def load(module_name):
    """The ``ASSIGNMENT`` of the package ``module_name`` (e.g. ``autograder.backprop``)."""
    return importlib.import_module(module_name).ASSIGNMENT
