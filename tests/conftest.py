"""Shared fixtures: the reference solution and the generated template, imported by path."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "solutions" / "backprop.py"
TEMPLATE = ROOT / "student_template" / "backprop.py"


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
