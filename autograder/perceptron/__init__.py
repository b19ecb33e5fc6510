"""The perceptron assignment's grading: the hidden battery, points, hints and figures."""

from ..engine.assignment import Assignment
from .battery import FUNCTIONS, build
from .figures import figures
from .questions import HINTS

ASSIGNMENT = Assignment(
    name="perceptron",
    filename="perceptron.py",
    build=build,
    functions=FUNCTIONS,
    hints=HINTS,
    figures=figures,
)
