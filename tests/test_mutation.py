"""Mutation testing of the hidden batteries (tools/mutation.py, `make mutants`): every mutant
of a reference that an input of the contract can tell apart is killed, and every survivor is
listed as equivalent with its reason."""

import pytest

from autograder.engine.layout import names
from tools import mutation

SOURCE = '''import numpy as np


def f(x, y):
    """Doc."""
    # BEGIN SOLUTION
    z = np.sum(x.T @ y, axis=0)
    if z[0] >= 1:
        z = -z
    return np.where(z > 0, z, 0.0).copy()
    # END SOLUTION


def given(x):
    return x + 1
'''


def test_every_operator_mutates_solution_code_only():
    found = mutation.mutants(SOURCE)
    operators = {m.operator for m in found}
    assert {"arith", "compare", "constant", "transpose", "index", "axis", "copy"} <= operators
    assert {"branch", "sign", "reduce", "statement"} <= operators
    assert all(m.function == "f" for m in found)  # `given` is outside the solution block
    assert all("def given(x):\n    return x + 1" in m.source for m in found)
    keys = [m.key for m in found]
    assert len(keys) == len(set(keys))
    assert "f: transpose: z = np.sum(x.T @ y, axis=0) -> z = np.sum(x @ y, axis=0)" in keys
    assert "f: reduce: z = np.sum(x.T @ y, axis=0) -> z = np.mean(x.T @ y, axis=0)" in keys
    assert "f: compare: if z[0] >= 1: z = -z -> if z[0] > 1: z = -z" in keys


def test_mutants_are_the_same_on_every_run_and_all_compile():
    first, second = mutation.mutants(SOURCE), mutation.mutants(SOURCE)
    assert [m.key for m in first] == [m.key for m in second]
    for mutant in first:
        compile(mutant.source, mutant.key, "exec")


def test_long_statements_are_shown_around_the_change():
    before = "x = " + " + ".join(f"a{i}" for i in range(40))
    after = before.replace("a20 + a21", "a20 - a21")
    shown = mutation._window(before, after)
    assert all(len(text) < 100 and "a20" in text for text in shown)
    assert "a20 - a21" in shown[1] and shown[0].startswith("...")


@pytest.mark.parametrize("name", names())
def test_every_non_equivalent_mutant_of_the_reference_is_killed(name):
    figures = mutation.run(name, jobs=2)
    assert figures["mutants"]  # every reference has code to mutate
    assert [m.key for m in figures["unexplained"]] == [], mutation.report(figures)
    assert figures["stale"] == [], mutation.report(figures)
