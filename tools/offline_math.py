"""Executed notebooks as HTML pages that work offline: formulas as MathML, described images.

nbconvert's HTML page loads MathJax (and require.js, mermaid) from a CDN: without a network
every formula stays raw LaTeX. ``offline_html(nb)`` exports a page that needs nothing from the
network instead:

- the ``$...$`` and ``$$...$$`` formulas of the markdown cells are turned into MathML with
  ``latex2mathml`` before the export (browsers render MathML natively); ``$`` inside code spans,
  fenced or indented code blocks and an escaped ``\\$`` are left alone, code cells too. A formula
  latex2mathml cannot convert keeps its LaTeX text and is reported (``MathFailure``);
- the page loads no script from the network (no MathJax, require.js, mermaid, widgets);
- each image output of a code cell gets an alt text built from the plot's own words in that
  cell's source: the string literals of ``set_title``/``title``/``suptitle``, ``set_xlabel``/
  ``xlabel``, ``set_ylabel``/``ylabel``, ``ax.set(title=..., xlabel=..., ylabel=...)`` and the
  ``label=`` of the plotted lines (the legend), else "Figure drawn by the code cell above".

Deterministic: the same notebook gives the same page, byte for byte.
"""

import ast
import copy
import html
import re
import sys
import unicodedata
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

from jinja2 import DictLoader
from latex2mathml.converter import convert
from markdown_it import MarkdownIt

DEFAULT_ALT = "Figure drawn by the code cell above"
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")

# The lab template without anything loaded from the network, and with the alt text of an
# image output's metadata (``metadata[mime]["alt"]``, else ``metadata["alt"]``) on its <img>.
TEMPLATE_NAME = "offline_lab.html.j2"
TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- macro with_alt(img, output, mime) -%}
{%- set alt = output | get_metadata('alt', mime) -%}
{%- if alt -%}
{{ img | replace('<img ', '<img alt="' ~ (alt | escape_html) ~ '" ', 1) }}
{%- else -%}
{{ img }}
{%- endif -%}
{%- endmacro -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block extra_css -%}
<style type="text/css">
/* MathML: a font with a MATH table stretches braces, big operators and \Big delimiters */
math {
  font-family: "Latin Modern Math", "STIX Two Math", "Cambria Math", "DejaVu Math TeX Gyre", math;
}
</style>
{%- endblock extra_css -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block data_png scoped %}{{ with_alt(super(), output, 'image/png') }}{% endblock data_png %}
{% block data_jpg scoped %}{{ with_alt(super(), output, 'image/jpeg') }}{% endblock data_jpg %}
{% block data_svg scoped %}{{ with_alt(super(), output, 'image/svg+xml') }}{% endblock data_svg %}
"""


# --- formulas ---


@dataclass(frozen=True)
class MathFailure:
    """A formula left as LaTeX: the markdown cell's index, its LaTeX, why."""

    cell: int
    latex: str
    reason: str

    def __str__(self):
        return f"cell {self.cell}: {self.latex!r}: {self.reason}"


# Characters that Markdown would read in the text of the MathML (emphasis, code, links,
# escapes, tables, math delimiters): written as character references instead.
MARKDOWN_SPECIAL = {c: f"&#{ord(c)};" for c in "\\`*_[]|~$<>&"}
# mathvariant values, as named in Unicode's Mathematical Alphanumeric Symbols.
VARIANTS = {
    "bold": "BOLD",
    "italic": "ITALIC",
    "bold-italic": "BOLD ITALIC",
    "double-struck": "DOUBLE-STRUCK",
    "script": "SCRIPT",
    "bold-script": "BOLD SCRIPT",
    "fraktur": "FRAKTUR",
    "bold-fraktur": "BOLD FRAKTUR",
    "sans-serif": "SANS-SERIF",
    "bold-sans-serif": "SANS-SERIF BOLD",
    "sans-serif-italic": "SANS-SERIF ITALIC",
    "monospace": "MONOSPACE",
}
DIGITS = "ZERO ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE".split()


def _styled(char, variant):
    """``char`` in the Unicode mathematical alphabet ``variant`` (e.g. 1 in bold: 𝟏), or
    ``None``. Browsers (MathML Core) ignore mathvariant other than "normal"."""
    if "A" <= char <= "Z" or "a" <= char <= "z":
        case = "CAPITAL" if char.isupper() else "SMALL"
        name = f"{VARIANTS[variant]} {case} {char.upper()}"
    elif "0" <= char <= "9":
        name = f"{VARIANTS[variant]} DIGIT {DIGITS[int(char)]}"
    else:
        return None
    for full in (f"MATHEMATICAL {name}", name):  # a few live in Letterlike Symbols (ℝ, ℎ)
        try:
            return unicodedata.lookup(full)
        except KeyError:
            continue
    return None


def _restyle(element):
    """mathvariant="bold" etc. written as the mathematical alphanumeric characters."""
    for node in element.iter():
        variant = node.get("mathvariant")
        if variant in VARIANTS and node.text and not len(node):
            styled = [_styled(c, variant) for c in node.text]
            if all(styled):
                node.text = "".join(styled)
                del node.attrib["mathvariant"]


# Names of functions (\\log, \\tanh...): latex2mathml writes them as <mi>, without TeX's spacing.
FUNCTIONS = set(
    "arccos arcsin arctan arg cos cosh cot coth csc deg det dim exp gcd hom ker lg ln log sec "
    "sin sinh tan tanh".split()
)
PRIMES = set("′″‴⁗")
# Delimiters TeX never stretches unless \\left, \\right or \\big say so (\\lVert, |): browsers
# would stretch them to the height of the formula.
FENCES = set("|‖∣∥⟨⟩⌊⌋⌈⌉")
# How many children these elements must have (a \\frac{1} gives a broken <mfrac>).
ARITY = {
    "mfrac": 2,
    "msub": 2,
    "msup": 2,
    "msubsup": 3,
    "mover": 2,
    "munder": 2,
    "munderover": 3,
    "mroot": 2,
}


def _thin_space():
    return ElementTree.Element("mspace", width="0.167em")


def _is_function(node):
    """An <mi>log</mi>, or a script on one (\\tanh^2)."""
    if node.tag in ("msub", "msup", "msubsup") and len(node):
        node = node[0]
    return node.tag == "mi" and node.text in FUNCTIONS and not len(node)


def _polish(root):
    """Render as TeX would in a browser's MathML (MathML Core): no namespace, a thin space
    between a function name and an ordinary neighbour (x log y), primes at their own height
    (g′ rather than a tiny superscript prime), no stretching of | and ‖, and a \\big
    delimiter with a script at its full size."""
    for node in root.iter():
        node.tag = node.tag.rsplit("}", 1)[-1]
    for node in root.iter():
        if (
            node.tag == "mo"
            and node.text in FENCES
            and not {"stretchy", "minsize"} & set(node.attrib)
        ):
            node.set("stretchy", "false")
    for parent in list(root.iter()):
        children = list(parent)
        sized = {"minsize", "maxsize"} & set(parent[0].attrib) if len(parent) else set()
        if parent.tag in ("msub", "msup", "msubsup") and parent[0].tag == "mo" and sized:
            base = parent[0]  # \big)^2: Chromium draws a sized base small and low, not in a row
            parent.remove(base)
            parent.insert(0, ElementTree.Element("mrow"))
            parent[0].append(base)
        for child in children:
            if child.tag == "msup" and len(child) == 2 and child[1].tag in ("mi", "mo"):
                if child[1].text and set(child[1].text) <= PRIMES and not len(child[1]):
                    prime = ElementTree.Element("mo", lspace="0em", rspace="0em")
                    prime.text = child[1].text
                    child.tag, child.attrib = "mrow", {}
                    child.remove(child[1])
                    child.append(prime)
        if parent.tag in ("msub", "msup", "msubsup", "mfrac", "mover", "munder", "munderover"):
            continue  # the children are places (base, script), not a row
        row = []
        for index, child in enumerate(children):
            before = children[index - 1] if index else None
            after = children[index + 1] if index + 1 < len(children) else None
            if _is_function(child) and before is not None and before.tag not in ("mo", "mspace"):
                if not row or row[-1].tag != "mspace":
                    row.append(_thin_space())
            row.append(child)
            if _is_function(child) and after is not None and after.tag not in ("mo", "mspace"):
                row.append(_thin_space())
        if len(row) != len(children):
            for child in children:
                parent.remove(child)
            parent.extend(row)


def _serialise(node):
    """An element as HTML for Markdown: one line, no namespace, explicit end tags, and the
    text's Markdown characters as character references."""
    tag = node.tag.rsplit("}", 1)[-1]
    attributes = "".join(
        f' {name}="{html.escape(value)}"' for name, value in node.attrib.items() if name != "xmlns"
    )
    text = "".join(MARKDOWN_SPECIAL.get(c, c) for c in (node.text or "").replace("\n", " "))
    inner = text + "".join(_serialise(child) for child in node)
    tail = "".join(MARKDOWN_SPECIAL.get(c, c) for c in (node.tail or "").replace("\n", " "))
    return f"<{tag}{attributes}>{inner}</{tag}>{tail}"


def to_mathml(latex, display=False):
    """``latex`` as a ``<math>`` element on one line, ready to sit in Markdown. Raises
    ``ValueError`` when latex2mathml fails or leaves a command it does not know."""
    try:
        mathml = convert(latex, display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises many kinds of errors
        raise ValueError(f"latex2mathml: {type(error).__name__}: {error}") from None
    root = ElementTree.fromstring(mathml)
    left = [t for t in root.itertext() if "\\" in t]
    if left:
        raise ValueError(f"latex2mathml left LaTeX in its output: {left[0]!r}")
    for node in root.iter():
        tag = node.tag.rsplit("}", 1)[-1]
        if tag in ARITY and len(node) != ARITY[tag]:
            raise ValueError(
                f"latex2mathml made a <{tag}> with {len(node)} parts, not {ARITY[tag]}"
            )
    _polish(root)
    _restyle(root)
    return _serialise(root)


def _code_lines(source):
    """The lines of fenced and indented code blocks (CommonMark) of a markdown source."""
    lines = set()
    for token in MarkdownIt("commonmark").parse(source):
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(*token.map))
    return lines


def _prose_parts(source):
    """``source`` cut into ``(is_prose, text)`` parts, code blocks apart, in order."""
    code = _code_lines(source)
    parts = []
    for number, line in enumerate(source.splitlines(keepends=True)):
        prose = number not in code
        if parts and parts[-1][0] == prose:
            parts[-1][1].append(line)
        else:
            parts.append((prose, [line]))
    return [(prose, "".join(lines)) for prose, lines in parts]


DISPLAY_END = re.compile(r"(?<!\\)\$\$")
INLINE_END = re.compile(r"(?<![$\\])\$")
BLANK_LINE = re.compile(r"\n[ \t]*\n")
BACKTICKS = re.compile(r"`+")


def _convert_prose(text, cell, failures):
    """The formulas of a text without code blocks as MathML; ``$`` of code spans and ``\\$``
    kept. The delimiters follow nbconvert's (what Jupyter shows): ``$$...$$`` may span lines,
    ``$...$`` is not empty and stays within a paragraph."""
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):  # an escaped character, e.g. \$
            out.append(text[i : i + 2])
            i += 2
            continue
        if char == "`":  # a code span: up to the next run of as many backticks
            run = BACKTICKS.match(text, i).group()
            end = next(
                (m.end() for m in BACKTICKS.finditer(text, i + len(run)) if m.group() == run),
                None,
            )
            end = end if end is not None else i + len(run)
            out.append(text[i:end])
            i = end
            continue
        if char != "$":
            out.append(char)
            i += 1
            continue
        display = text.startswith("$$", i)
        start = i + (2 if display else 1)
        closing = (DISPLAY_END if display else INLINE_END).search(text, start + (not display))
        latex = text[start : closing.start()] if closing else ""
        if not closing or not display and BLANK_LINE.search(latex):
            out.append(text[i:start])  # no formula: a literal $ (or $$)
            i = start
            continue
        end = closing.end()
        try:
            out.append(to_mathml(latex, display))
        except ValueError as error:
            failures.append(MathFailure(cell, latex, str(error)))
            out.append(text[i:end])
        i = end
    return "".join(out)


def convert_markdown(source, cell=0):
    """A markdown cell's source with its formulas as MathML: ``(source, failures)``."""
    failures = []
    parts = [
        _convert_prose(text, cell, failures) if prose else text
        for prose, text in _prose_parts(source)
    ]
    return "".join(parts), failures


def prerender_math(nb):
    """Turn the formulas of ``nb``'s markdown cells into MathML, in place; returns the
    ``MathFailure`` list of those kept as LaTeX."""
    failures = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        cell.source, found = convert_markdown(source, index)
        failures += found
    return failures


# --- alt texts ---

TITLE, XLABEL, YLABEL, LEGEND = "title", "xlabel", "ylabel", "label"
CALLS = {
    "set_title": TITLE,
    "title": TITLE,
    "suptitle": TITLE,
    "set_xlabel": XLABEL,
    "xlabel": XLABEL,
    "set_ylabel": YLABEL,
    "ylabel": YLABEL,
}
KEYWORDS = {"title": TITLE, "xlabel": XLABEL, "ylabel": YLABEL, "label": LEGEND}
UNKNOWN = "…"


def _bind(target, value, env):
    """Add to ``env`` the names of a loop target bound to literal parts of ``value``."""
    if isinstance(target, ast.Name):
        try:
            env[target.id] = ast.literal_eval(value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            pass
    elif isinstance(target, ast.Tuple | ast.List) and isinstance(value, ast.Tuple | ast.List):
        if len(target.elts) == len(value.elts):
            for name, part in zip(target.elts, value.elts):
                _bind(name, part, env)


def _loop_values(tree):
    """{id(call): [{name: value}, one per iteration]} for the calls that a ``for`` loop over
    a literal list runs at every iteration (not under an ``if``): the loop's values of each
    label, e.g. ``for eta in [0.02, 0.2]: plot(..., label=f"η = {eta}")``."""
    found = {}
    for loop in ast.walk(tree):  # outer loops first: an inner loop's values win
        if not isinstance(loop, ast.For) or not isinstance(loop.iter, ast.List | ast.Tuple):
            continue
        iterations = []
        for value in loop.iter.elts:
            env = {}
            _bind(loop.target, value, env)
            iterations.append(env)
        stack = list(loop.body)
        while stack:
            node = stack.pop()
            if isinstance(node, ast.If | ast.IfExp | ast.While | ast.Try | ast.FunctionDef):
                continue
            if isinstance(node, ast.Call):
                found[id(node)] = iterations
            stack.extend(ast.iter_child_nodes(node))
    return found


def _text(node, env):
    """The text of a string expression with the loop values ``env``; other computed parts as
    "…"."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and node.id in env:
        return str(env[node.id])
    if isinstance(node, ast.JoinedStr):
        return "".join(_text(value, env) for value in node.values)
    if isinstance(node, ast.FormattedValue):
        if not isinstance(node.value, ast.Name) or node.value.id not in env:
            return UNKNOWN
        value = env[node.value.id]
        value = {115: str, 114: repr, 97: ascii}.get(node.conversion, lambda v: v)(value)
        spec = _text(node.format_spec, env) if node.format_spec else ""
        try:
            return format(value, spec) if UNKNOWN not in spec else UNKNOWN
        except (TypeError, ValueError):
            return UNKNOWN
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _text(node.left, env) + _text(node.right, env)
    return UNKNOWN


def _words(node, iterations):
    """The texts of a string expression: one per loop iteration when it uses the loop's
    values, else one; computed parts as "…". Texts with no literal word are left out."""
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    envs = iterations if iterations and any(names & set(env) for env in iterations) else [{}]
    texts = (" ".join(_text(node, env).split()) for env in envs)
    return [t for t in texts if any(c.isalnum() for c in t.replace(UNKNOWN, ""))]


def plot_words(source):
    """{TITLE, XLABEL, YLABEL, LEGEND: [texts]} of the plotting calls of a code cell, in
    source order, without repeats."""
    found = {TITLE: [], XLABEL: [], YLABEL: [], LEGEND: []}
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics (%matplotlib) are not Python
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError:
            return found
    loops = _loop_values(tree)
    calls = sorted(
        (node for node in ast.walk(tree) if isinstance(node, ast.Call)),
        key=lambda node: (node.lineno, node.col_offset),
    )
    for call in calls:
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        texts = []
        if name in CALLS and call.args:
            texts.append((CALLS[name], call.args[0]))
        for keyword in call.keywords:
            if keyword.arg in KEYWORDS and (keyword.arg == "label" or name == "set"):
                texts.append((KEYWORDS[keyword.arg], keyword.value))
            elif keyword.arg == "label" and name in CALLS:
                texts.append((CALLS[name], keyword.value))
        for kind, node in texts:
            for words in _words(node, loops.get(id(call))):
                if words not in found[kind]:
                    found[kind].append(words)
    return found


def alt_text(source):
    """What the figure of a code cell shows, from its source's titles, axis labels and
    legend; ``DEFAULT_ALT`` when it has none."""
    found = plot_words(source)
    parts = []
    if found[TITLE]:
        parts.append("Figure: " + " / ".join(found[TITLE]))
    if found[XLABEL]:
        parts.append("x axis: " + " / ".join(found[XLABEL]))
    if found[YLABEL]:
        parts.append("y axis: " + " / ".join(found[YLABEL]))
    if found[LEGEND]:
        parts.append("legend: " + " / ".join(found[LEGEND]))
    if not parts:
        return DEFAULT_ALT
    if not found[TITLE]:
        parts[0] = "Figure with " + parts[0]
    return "; ".join(parts)


def describe_images(nb):
    """Give each image output of ``nb``'s code cells an alt text (``metadata[mime]["alt"]``),
    in place, unless it has one; returns how many got one."""
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        alt = None
        for output in cell.get("outputs", []):
            for mime in IMAGE_TYPES:
                if mime not in output.get("data", {}):
                    continue
                metadata = output.setdefault("metadata", {})
                if metadata.get(mime, {}).get("alt") or metadata.get("alt"):
                    continue
                alt = alt or alt_text(source)
                metadata.setdefault(mime, {})["alt"] = alt
                count += 1
    return count


# --- the page ---

EXTERNAL = re.compile(
    r"<(script|link|img)\b[^>]*?\b(src|href)\s*=\s*[\"']?\s*(https?:)?//", re.IGNORECASE
)


def external_references(page):
    """The tags of ``page`` that load a script, stylesheet or image from the network."""
    return [m.group(0) for m in EXTERNAL.finditer(page)]


def offline_notebook(nb):
    """A copy of ``nb`` with its formulas as MathML and its images described:
    ``(notebook, failures)``."""
    nb = copy.deepcopy(nb)
    failures = prerender_math(nb)
    describe_images(nb)
    return nb, failures


def exporter():
    """nbconvert's HTMLExporter (lab template) without network scripts, with alt texts."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        extra_loaders=[DictLoader({TEMPLATE_NAME: TEMPLATE})], template_file=TEMPLATE_NAME
    )


def offline_html(nb, warn=True):
    """``nb`` as a self-contained HTML page that renders its formulas without a network.
    Formulas left as LaTeX and remaining network references are reported on stderr."""
    offline, failures = offline_notebook(nb)
    page, _ = exporter().from_notebook_node(offline)
    if warn:
        for failure in failures:
            print(f"warning: formula kept as LaTeX: {failure}", file=sys.stderr)
        for tag in external_references(page):
            print(f"warning: the page loads from the network: {tag}", file=sys.stderr)
    return page
