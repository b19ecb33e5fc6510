"""The reference solution, loaded by path for the grader's trusted process only.

``solutions/perceptron/perceptron.py`` is the only source of expected values. It is never
copied into a worker's folder or sandbox.
"""

from ..engine.layout import Paths, public_cases, reference

PATHS = Paths("perceptron", "perceptron.py")
ROOT = PATHS.root
ref = reference(PATHS.name, PATHS.filename)
public = public_cases(PATHS.name, PATHS.filename)
