"""Student text cannot add markup, escape sequences or formulas where people read it."""

import mistune
import pytest

from autograder.engine import sinks

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "x\n# Score: 50 / 50\n- ✓ everything passed",
    "**Score: 50 / 50**",
    "```\n# heading after a fence\n```",
    "`` ` ``` a `",
    "a\x1b[2K\r50/50 graded\x1b]52;c;ZXZpbA==\x07",
    "\u202eevil\u2066",
]


def rendered(markdown):
    return mistune.html(markdown)


@pytest.mark.parametrize("text", HOSTILE)
def test_a_code_span_shows_the_text_and_adds_no_markup(text):
    html = rendered(f"- {sinks.md_code(text)}")
    body = html.replace("<ul>", "").replace("</ul>", "").replace("<li>", "").replace("</li>", "")
    assert body.strip().startswith("<code>") and body.strip().endswith("</code>")
    for tag in ("<script", "<img", "<a ", "<h1", "<strong", "<li>- ✓"):
        assert tag not in body


@pytest.mark.parametrize("text", HOSTILE)
def test_a_fenced_block_cannot_be_closed_from_inside(text):
    html = rendered(sinks.md_block(text + "\n" + text))
    assert html.count("<pre>") == 1 and html.strip().endswith("</code></pre>")
    assert "<script" not in html and "<h1" not in html


@pytest.mark.parametrize("text", HOSTILE)
def test_terminal_text_has_no_control_characters(text):
    out = sinks.terminal(text)
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in out)
    assert "\u202e" not in out and "\u2066" not in out


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_that_look_like_formulas_are_neutralised(cell):
    assert sinks.csv_cell(cell).startswith("'")


def test_plain_cells_are_unchanged():
    assert sinks.csv_cell("Ada Lovelace") == "Ada Lovelace"


def test_text_is_cut_with_a_mark():
    assert sinks.text("x" * 100, 10) == "x" * 9 + "…"
