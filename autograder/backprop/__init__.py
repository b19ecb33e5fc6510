"""The backprop assignment's grading: the hidden battery, points, hints and figures."""

from pathlib import Path

from ..engine.assignment import Assignment
from .battery import FUNCTIONS, build
from .common import PUBLIC_FUNCTIONS
from .figures import figures
from .public import public_mistakes
from .questions import HINTS, TABLE

ASSIGNMENT = Assignment(
    name="backprop",
    filename="backprop.py",
    title="Backprop: train a multilayer perceptron with NumPy",
    questions=tuple(row[0] for row in TABLE),
    build=build,
    functions=FUNCTIONS,
    hints=HINTS,
    figures=figures,
    public_mistakes=public_mistakes,
    # the battery's test functions and the public cases' own (cube, bowl): public both
    worker_functions=(
        str(Path(__file__).with_name("scalar_functions.py")),
        *PUBLIC_FUNCTIONS.values(),
    ),
)
