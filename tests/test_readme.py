"""The README states what the code does: its points tables are the grader's own, and the
links of README.md and docs/ lead to files that exist."""

import re
import subprocess
import sys

import pytest
from conftest import ROOT

from autograder.engine.layout import names
from tools.update_readme import pattern

README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
# the target of a Markdown link [text](target)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def printed_points(name):
    return subprocess.run(
        [sys.executable, "-m", "autograder", "points", "--assignment", name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_course_assignments_have_their_points_tables():
    text = README.read_text(encoding="utf-8")
    for name in ("backprop", "perceptron"):
        assert pattern(name).search(text), f"README.md has no points table for {name}"


@pytest.mark.parametrize("name", names())
def test_readme_points_table_matches_the_grader(name):
    """Every table README.md shows is current; an assignment without markers (a freshly
    scaffolded one, say) has no table to check."""
    table = pattern(name).search(README.read_text(encoding="utf-8"))
    if table is None:
        pytest.skip(f"README.md shows no points table for {name}")
    assert table.group(1) == printed_points(name), "run `make readme` and commit README.md"


def test_readme_opens_with_the_two_set_up_commands():
    head = README.read_text(encoding="utf-8").splitlines()[:6]
    assert "make demo" in "\n".join(head) and "make test" in "\n".join(head)


def without_code_blocks(path):
    return re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)


def anchors(path):
    """The anchors of a page's headings, as GitHub makes them."""
    headings = re.findall(r"^#+ (.+)$", without_code_blocks(path), re.M)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("page", [README, *DOCS], ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_lead_to_existing_files_and_headings(page):
    for target in LINK.findall(without_code_blocks(page)):
        if re.match(r"^[a-z]+:", target):
            continue
        name, _, anchor = target.partition("#")
        path = (page.parent / name).resolve() if name else page
        assert path.exists(), f"{page.name}: link to {target}, which does not exist"
        if anchor:
            assert anchor in anchors(path), f"{page.name}: link to {target}: no such heading"
