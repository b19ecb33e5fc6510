"""What a student reads about a failure: a hint naming the misconception when the evidence
supports it, the engine's general hints after it, a plain "no known mistake" otherwise, and the
step to fix first when a question that runs their own steps fails."""

from autograder.engine.checks import Question
from autograder.engine.grade import root_causes
from autograder.engine.report import NO_KNOWN_MISTAKE, question_view, root_cause_hint


def check(passed, mistake="", hint="", weight=1.0):
    return {
        "name": "a check",
        "weight": weight,
        "gate": False,
        "passed": passed,
        "message": "" if passed else "wrong values: at [0] expected 1.0, got 2.0",
        "mistake": mistake,
        "hint": hint,
    }


def question(*checks, **extra):
    return {"id": "q", "title": "t", "slide": "s", "points": 2.0, "score": 0.0,
            "checks": list(checks)} | extra  # fmt: skip


def test_a_hint_naming_a_misconception_comes_before_a_general_one():
    q = question(check(False, "exception", "general"), check(False, "sum_not_mean", "named"))
    assert question_view(q)[1] == ["named", "general"]


def test_a_failure_no_known_mistake_matches_says_so_plainly():
    assert question_view(question(check(True), check(False)))[1] == [NO_KNOWN_MISTAKE]


def test_a_failing_check_worth_nothing_gets_no_such_line():
    assert question_view(question(check(True), check(False, weight=0.0)))[1] == []


def test_the_step_to_fix_first_replaces_the_questions_own_guesses():
    q = question(
        check(False, "xor_not_learned", "tune η"), root_cause=["forward"], uses=["forward"]
    )
    (text,) = question_view(q)[1]
    assert text == root_cause_hint(q) and text.startswith("Fix `forward` first")
    assert "tune" not in text


def summary(qid, score, points=2.0):
    return {"id": qid, "score": score, "points": points, "checks": []}


def test_root_causes_are_the_failing_steps_a_failing_question_uses_in_its_order():
    questions = [
        Question("forward", "", 2, "", []),
        Question("backprop", "", 2, "", []),
        Question("train", "", 2, "", [], uses=("backprop", "forward")),
    ]
    summaries = [summary("forward", 0.0), summary("backprop", 1.0), summary("train", 0.0)]
    root_causes(questions, summaries)
    assert summaries[2]["root_cause"] == ["backprop", "forward"]
    assert "root_cause" not in summaries[0] and "root_cause" not in summaries[1]


def test_no_root_cause_when_the_composite_passes_or_its_steps_do():
    questions = [
        Question("forward", "", 2, "", []),
        Question("train", "", 2, "", [], uses=("forward",)),
    ]
    passing = [summary("forward", 0.0), summary("train", 2.0)]
    root_causes(questions, passing)
    steps_fine = [summary("forward", 2.0), summary("train", 0.0)]
    root_causes(questions, steps_fine)
    assert "root_cause" not in passing[1] and "root_cause" not in steps_fine[1]


def test_a_failing_check_that_runs_failing_steps_names_the_step_to_fix_first():
    curve = check(False, "curve_differs", "one of your helpers", weight=0.0) | {
        "uses": ["forward", "backprop"]
    }
    questions = [
        Question("forward", "", 2, "", []),
        Question("backprop", "", 2, "", []),
        Question("sgd", "", 2, "", []),
    ]
    sgd = summary("sgd", 2.0) | {"checks": [check(True), curve]}
    summaries = [summary("forward", 2.0), summary("backprop", 0.0), sgd]
    root_causes(questions, summaries)
    assert curve["root_cause"] == ["backprop"]
    (text,) = question_view(sgd | {"title": "t", "slide": "s"})[1]
    assert text.startswith("Fix `backprop` first") and "helpers" not in text


def test_a_failing_check_whose_steps_pass_keeps_its_own_hint():
    curve = check(False, "curve_differs", "one of your helpers", weight=0.0) | {"uses": ["forward"]}
    questions = [Question("forward", "", 2, "", []), Question("sgd", "", 2, "", [])]
    sgd = summary("sgd", 2.0) | {"checks": [curve]}
    root_causes(questions, [summary("forward", 2.0), sgd])
    assert "root_cause" not in curve
    assert question_view(sgd | {"title": "t", "slide": "s"})[1] == ["one of your helpers"]
