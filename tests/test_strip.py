"""The stripping tool that makes student_template/ from solutions/."""

import pytest
from conftest import REFERENCE, TEMPLATE

from tools.strip import BEGIN, END, StripError, build, strip_solutions


def lines(text):
    return text.splitlines(keepends=True)


FUNCTION = '''def f(x):
    """Doubles (slide "Derivative")."""
    # BEGIN SOLUTION
    y = 2 * x
    return y
    # END SOLUTION
'''


def test_block_becomes_a_stub_naming_function_and_slide():
    out = "".join(strip_solutions(lines(FUNCTION)))
    assert "2 * x" not in out
    assert "    raise NotImplementedError(\"f: see slide 'Derivative'\")\n" in out
    assert out.startswith('def f(x):\n    """Doubles (slide "Derivative")."""\n')


def test_a_function_without_a_slide_still_gets_its_name():
    out = "".join(strip_solutions(lines(FUNCTION.replace(' (slide "Derivative")', ""))))
    assert 'raise NotImplementedError("f")' in out


@pytest.mark.parametrize(
    "text, line, words",
    [
        (f"def f():\n    {BEGIN}\n    {BEGIN}\n    {END}\n", 3, "nested"),
        (f"def f():\n    return 1\n    {END}\n", 3, "without a matching"),
        (f"def f():\n    {BEGIN}\n    return 1\n", 2, "never closed"),
        (f"{BEGIN}\nx = 1\n{END}\n", 1, "outside a function"),
    ],
)
def test_unbalanced_or_nested_markers_stop_with_file_and_line(text, line, words):
    with pytest.raises(StripError, match=words) as info:
        strip_solutions(lines(text), "src.py")
    assert str(info.value).startswith(f"src.py:{line}:")


def test_failed_build_writes_nothing(tmp_path):
    source, dest = tmp_path / "s.py", tmp_path / "out" / "t.py"
    source.write_text(f"def f():\n    {BEGIN}\n")
    with pytest.raises(StripError):
        build(source, dest)
    assert not dest.exists()


def test_committed_template_equals_a_fresh_build(tmp_path):
    fresh = tmp_path / "backprop.py"
    build(REFERENCE, fresh)
    assert TEMPLATE.read_text() == fresh.read_text(), "run `make student` and commit the result"


def solution_lines(text):
    """Non-trivial lines inside the solution blocks of ``text``."""
    inside, found = False, []
    for line in text.splitlines():
        if line.strip() == BEGIN:
            inside = True
        elif line.strip() == END:
            inside = False
        elif inside and len(line.strip()) > 3:
            found.append(line.strip())
    return found


def test_no_solution_line_reaches_the_template():
    template_lines = {line.strip() for line in TEMPLATE.read_text().splitlines()}
    leaked = [s for s in solution_lines(REFERENCE.read_text()) if s in template_lines]
    assert not leaked


def test_every_contract_function_is_stubbed_in_the_template(template):
    for name in ["step", "sigmoid", "backprop", "sgd", "train_xor"]:
        with pytest.raises(NotImplementedError, match=name):
            getattr(template, name)(*([None] * getattr(template, name).__code__.co_argcount))
