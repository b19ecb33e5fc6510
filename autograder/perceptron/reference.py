"""The reference solution, loaded by path for the grader's trusted process only.

``solutions/perceptron/perceptron.py`` is the only source of expected values. It is never
copied into a worker's folder or sandbox.
"""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PATH = ROOT / "solutions" / "perceptron" / "perceptron.py"


def load(path, name):
    """Import the project file at ``path`` as a module called ``name``."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ref = load(PATH, "perceptron_reference")
