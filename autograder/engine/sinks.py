"""Student text made harmless for each place a person reads it.

Anything that came from a submission (an exception's message and type name, printed output,
warnings, a returned string, a file or folder name, an LMS full name) is student text. It is
passed through the function of its sink just before it is written there, never earlier, so
that each sink gets exactly the escaping it needs:

``terminal``    no control characters (no ``\\r``, no ESC sequences, no OSC 52 clipboard
                writes, no bidi overrides): what the instructor's terminal shows is what is there.
``md_code``     an inline code span (CommonMark): no markup, heading, link, HTML or line of its
                own can come out of it.
``md_cell``     the same, inside a table cell (pipes escaped).
``md_block``    a fenced block whose fence is longer than any backtick run inside.
``csv_cell``    OWASP's rule against formula injection: a cell that starts with ``=``, ``+``,
                ``-``, ``@``, a tab or a carriage return gets a leading ``'``.

HTML pages use ``html.escape`` (report.py) on the same ``text``-cleaned strings.
"""

import re

# C0 and C1 controls except tab and newline, DEL, the Unicode line and paragraph separators,
# and the format characters that reorder or hide text (bidi embeddings, overrides and
# isolates, zero-width joiners and spaces, word joiners, the byte-order mark), and
# lone surrogates (JSON can carry them; no file encoding can write them).
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def text(value, limit=None):
    """``value`` as a str without control characters (tab and newline kept), at most
    ``limit`` characters (an ellipsis marks a cut)."""
    out = _CONTROL.sub("\ufffd", str(value))
    if limit is not None and len(out) > limit:
        out = out[: max(0, limit - 1)] + "…"
    return out


def terminal(value, limit=None):
    """One line for a terminal: control characters replaced, newlines and tabs as spaces."""
    return text(value, limit).replace("\n", " ").replace("\t", " ")


def md_code(value, limit=None):
    """An inline code span holding ``value`` on one line, with no markup effect."""
    body = terminal(value, limit)
    if not body:
        return ""
    longest = max((len(run) for run in re.findall("`+", body)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if body.startswith("`") or body.endswith("`") or body.startswith(" ") else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def md_cell(value, limit=None):
    """A code span for a cell of a markdown (GFM) table: its pipes cannot end the cell."""
    return md_code(value, limit).replace("|", "\\|")


def md_block(value, limit=None):
    """A fenced code block holding ``value`` (several lines), with no markup effect."""
    body = text(value, limit)
    longest = max((len(run) for run in re.findall("`{3,}", body)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}text\n{body}\n{fence}"


def csv_cell(value):
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    cell = str(value)
    cell = "'" + cell if cell.startswith(_FORMULA) else cell
    return text(cell).replace("\n", " ")
