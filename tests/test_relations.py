"""How a wrong answer relates to the right one (engine/relations.py): found when it is there,
never claimed when it is not."""

import numpy as np
import pytest

from autograder.engine import relations
from autograder.engine.checks import ENGINE_HINTS, Verdict, expect
from autograder.engine.runner import Outcome

E = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -3.0], [0.75, 1.25, -0.5]])


@pytest.mark.parametrize(
    ("got", "key", "said"),
    [
        (E.ravel(), "relation_reshaped", "shape (9,)"),
        (E.T.copy(), "relation_transposed", "transpose"),
        (-E, "relation_sign", "opposite sign"),
        (4.0 * E, "relation_factor", "4 times"),
        (E + 0.5, "relation_offset", "+0.5"),
        (np.vstack([E[:1] * 0.0, E[1:]]), "relation_one_row", "only row 0"),
        (
            np.column_stack([E[:, :2], E[:, 2] + 1.0 + np.arange(3)]),
            "relation_one_column",
            "column 2",
        ),
    ],
    ids=["reshaped", "transposed", "sign", "factor", "offset", "row", "column"],
)
def test_a_relation_is_found_and_has_an_engine_hint(got, key, said):
    found, what = relations.relation(E, got)
    assert found == key and said in what
    assert ENGINE_HINTS[key]


def test_in_a_list_the_first_differing_array_is_examined():
    assert relations.relation([E, E], [E, 2.0 * E])[0] == "relation_factor"


@pytest.mark.parametrize(
    "got",
    [
        np.random.default_rng(0).normal(size=(3, 3)),  # unrelated values
        E * np.array([1.0, 2.0, 3.0]),  # a different factor per column
        np.full((3, 3), np.nan),  # non-finite
        E.astype(np.float32).astype(np.float64)[:2],  # another shape, other values
    ],
)
def test_no_relation_is_claimed_without_evidence(got):
    assert relations.relation(E, got) is None


def test_one_number_is_never_called_a_multiple_of_another():
    assert relations.relation(2.0, 6.0) is None
    assert relations.relation(np.array([2.0]), np.array([6.0])) is None
    assert relations.relation(2.0, -2.0)[0] == "relation_sign"


def test_arrays_too_large_are_not_examined():
    big = np.ones(relations.MAX_SIZE + 1)
    assert relations.relation(big, 2.0 * big) is None


def test_a_known_mistake_wins_over_a_relation_and_a_relation_is_said_in_the_message():
    judge = expect(E, "f", mistakes={"half_factor": 0.5 * E})
    verdict = judge(Outcome("ok", value=0.5 * E, args_after=(), kwargs_after={}))
    assert isinstance(verdict, Verdict) and verdict.mistake == "half_factor"
    verdict = expect(E, "f")(Outcome("ok", value=3.0 * E, args_after=(), kwargs_after={}))
    assert verdict.mistake == "relation_factor" and "(every value is 3 times" in verdict.message


def test_booleans_or_integers_where_floats_are_expected_are_named():
    key, what = relations.structure(E, E > 0)
    assert key == "not_float64" and "bool values" in what
    assert relations.structure([E], [np.zeros((3, 3), dtype=np.int64)])[0] == "not_float64"
    assert relations.structure(E, (E > 0)[:2]) is None  # another shape: not only the type


def test_something_that_is_not_a_list_where_a_list_is_expected_is_named():
    assert relations.structure([E, E], object())[0] == "not_a_list"
    assert relations.structure([E, E], [E, E]) is None
