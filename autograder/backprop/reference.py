"""The reference solution, loaded by path for the grader's trusted process only.

``solutions/backprop.py`` is the only source of expected values. It is never copied into a
worker's folder or sandbox.
"""

import importlib.util
from pathlib import Path

PATH = Path(__file__).resolve().parents[2] / "solutions" / "backprop.py"


def _load():
    spec = importlib.util.spec_from_file_location("backprop_reference", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ref = _load()
