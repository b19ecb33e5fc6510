"""The executed handouts (``solutions.zip``'s ``<name>.html``, ``make notebook``, ``make demo``)
work offline: formulas are MathML made at build time, nothing is loaded from the network, and
every image says what it shows (``tools/offline_math.py``).

Where chromium is installed, the page is also opened headless with the network off and must
render (a screenshot that is not blank) with its MathML elements in the DOM.
"""

import functools
import re
import shutil
import subprocess
from html.parser import HTMLParser

import nbformat
import pytest

from autograder.engine.assignment import load
from autograder.engine.layout import Paths, names
from tools import dist, offline_math, run_notebook
from tools.make_notebook import notebook

HANDOUTS = ("backprop", "perceptron")
NBCONVERT_DEFAULT_ALT = "No description has been provided for this image"
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)  # fenced blocks and code spans
FORMULA = re.compile(r"(?<!\\)\$\$.+?(?<!\\)\$\$|(?<![\\$])\$[^$]+?(?<![\\$])\$", re.S)


def paths_of(name):
    assignment = load(name)
    return Paths(assignment.name, assignment.filename)


@functools.cache
def executed_page(name):
    """The handout executed with the reference, as solutions.zip holds it."""
    return dist.executed_html(paths_of(name))


class Tags(HTMLParser):
    """The start tags of a page: [(tag, {attribute: value})]."""

    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def loaded_from_network(page):
    """Scripts, stylesheets and images of ``page`` that come from http(s) or //host."""
    found = []
    for tag, attrs in Tags(page).tags:
        if tag in ("script", "img", "link"):
            for key in ("src", "href"):
                value = (attrs.get(key) or "").strip().lower()
                if value.startswith(("http:", "https:", "//")):
                    found.append((tag, key, value))
    return found


def tiny_notebook():
    """A notebook with a formula, a code span with a dollar and a plot output."""
    source = "plt.plot(x)\nplt.title('the loss')\nplt.xlabel('epoch')\nplt.ylabel('L')"
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})]
    markdown = nbformat.v4.new_markdown_cell(r"Loss $L = \frac{1}{N}\sum_i \ell_i$, `echo $HOME`.")
    return nbformat.v4.new_notebook(cells=[markdown, cell])


# --- formulas ---


def test_the_handouts_are_those_checked():
    assert set(HANDOUTS) <= set(names())


@pytest.mark.parametrize("name", HANDOUTS)
def test_every_formula_of_the_handout_converts_to_mathml(name):
    nb = notebook(paths_of(name))
    originals = [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
    expected = sum(len(FORMULA.findall(CODE.sub("", text))) for text in originals)

    failures = offline_math.prerender_math(nb)

    assert failures == []
    converted = [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
    assert expected > 10 and sum(text.count("<math") for text in converted) == expected
    assert not [text for text in converted if "$" in CODE.sub("", text).replace(r"\$", "")]


@pytest.mark.parametrize("name", HANDOUTS)
def test_code_cells_of_the_handout_are_left_alone(name):
    nb = notebook(paths_of(name))
    before = [cell.source for cell in nb.cells if cell.cell_type == "code"]
    offline_math.prerender_math(nb)
    assert [cell.source for cell in nb.cells if cell.cell_type == "code"] == before


def test_dollars_in_code_spans_code_blocks_and_escapes_stay_text():
    source = (
        "Set `$HOME` or ``a `$x$` b``, pay \\$5, then $x_1$.\n\n"
        "    indented $y$ code\n\n"
        "```sh\necho $PATH $z$\n```\n"
    )
    converted, failures = offline_math.convert_markdown(source)
    assert failures == []
    assert converted.count("<math") == 1
    for kept in ("`$HOME`", "``a `$x$` b``", "\\$5", "    indented $y$ code", "echo $PATH $z$"):
        assert kept in converted


def test_display_formulas_become_block_math_on_one_line():
    converted, _ = offline_math.convert_markdown("Then\n\n$$a = b\n+ c$$\n\nand $d$.")
    block = re.search(r"<math display=\"block\">.*?</math>", converted).group()
    assert "\n" not in block and "<mo>+</mo>" in block
    assert '<math display="inline">' in converted


def test_markdown_characters_in_formulas_do_not_break_tables_or_emphasis():
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("| a | b |\n|---|---|\n| $|x|$ | $a * b_1 * c$ |\n")]
    )
    page = offline_math.offline_html(nb, warn=False)
    assert page.count("<td>") == 2 and page.count("<math") == 2
    assert "<em>" not in page


def test_a_formula_latex2mathml_cannot_convert_keeps_its_latex_and_is_reported():
    converted, failures = offline_math.convert_markdown(r"Fine $x$, broken $\frac{1}$, $\nosuch$.")
    assert [failure.latex for failure in failures] == [r"\frac{1}", r"\nosuch"]
    assert r"$\frac{1}$" in converted and r"$\nosuch$" in converted
    assert converted.count("<math") == 1


def test_bold_one_and_primes_render_without_mathvariant():
    assert "𝟏" in offline_math.to_mathml(r"[\mathbf 1, X]")
    prime = offline_math.to_mathml("g'(z)")
    assert "<msup>" not in prime and "′" in prime


# --- alt texts ---


def test_alt_text_comes_from_titles_and_axis_labels():
    source = (
        "fig, ax = plt.subplots()\n"
        "ax.plot(x, y)\n"
        "ax.set_title('loss per step')\n"
        "ax.set(xlabel='step', ylabel='L(w)')\n"
    )
    assert offline_math.alt_text(source) == "Figure: loss per step; x axis: step; y axis: L(w)"


def test_alt_text_names_the_legend_entries_of_a_loop():
    source = "for eta in [0.1, 0.5]:\n    plt.plot(x, label=f'η = {eta}')\nplt.title('descent')\n"
    assert offline_math.alt_text(source) == "Figure: descent; legend: η = 0.1 / η = 0.5"


def test_alt_text_falls_back_to_a_default_for_unlabelled_plots():
    assert offline_math.alt_text("plt.plot(x)\nplt.show()") == offline_math.DEFAULT_ALT
    assert offline_math.alt_text("%matplotlib inline\nplt.plot(x)") == offline_math.DEFAULT_ALT


def test_write_html_writes_the_offline_page(tmp_path):
    out = tmp_path / "page.html"
    run_notebook.write_html(tiny_notebook(), out)
    page = out.read_text(encoding="utf-8")
    assert "<math" in page and "<code>echo $HOME</code>" in page
    assert 'alt="Figure: the loss; x axis: epoch; y axis: L"' in page
    assert "mathjax" not in page.lower() and loaded_from_network(page) == []


def test_the_page_is_the_same_every_time():
    nb = tiny_notebook()
    assert offline_math.offline_html(nb) == offline_math.offline_html(nb)
    assert "$" in nb.cells[0].source  # the notebook itself is left as it was


# --- the executed handouts, as solutions.zip holds them ---


@pytest.mark.parametrize("name", HANDOUTS)
def test_executed_handout_page_has_mathml_and_loads_nothing_from_the_network(name):
    page = executed_page(name)
    assert page.count("<math") > 10
    assert "mathjax" not in page.lower() and "require.js" not in page
    assert loaded_from_network(page) == []
    assert offline_math.external_references(page) == []
    for tag in ("script", "link", "img"):
        assert not re.search(rf"<{tag}\b[^>]*\b(src|href)=\"(https?:)?//", page), tag


@pytest.mark.parametrize("name", HANDOUTS)
def test_executed_handout_images_say_what_they_show(name):
    images = [attrs for tag, attrs in Tags(executed_page(name)).tags if tag == "img"]
    assert images, "the handout draws pictures"
    alts = [attrs.get("alt") for attrs in images]
    assert NBCONVERT_DEFAULT_ALT not in alts and offline_math.DEFAULT_ALT not in alts
    assert all(alt and alt.startswith("Figure") and " axis: " in alt for alt in alts), alts


# --- in a browser, offline ---

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
OFFLINE = ["--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]


def browser():
    found = next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)
    if not found:
        pytest.skip("chromium is not installed: the offline rendering is not checked here")
    return found


def headless(page_path, profile, *arguments):
    command = [
        browser(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        f"--user-data-dir={profile}",
        *OFFLINE,
        *arguments,
        page_path.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


@pytest.mark.parametrize("name", HANDOUTS)
def test_executed_handout_renders_offline_in_chromium(name, tmp_path):
    from PIL import Image

    page_path = tmp_path / f"{name}.html"
    page_path.write_text(executed_page(name), encoding="utf-8")
    shot = tmp_path / "shot.png"
    profile = tmp_path / "profile"
    size = "--window-size=1000,1500"
    run = headless(page_path, profile, size, f"--screenshot={shot}")
    assert shot.is_file(), run.stderr[-2000:]
    with Image.open(shot) as image:
        grey = image.convert("L")
        assert grey.size == (1000, 1500)
        dark = sum(count for value, count in enumerate(grey.histogram()) if value < 160)
    assert dark > 0.005 * 1000 * 1500, "the screenshot is (nearly) blank"

    dom = headless(page_path, profile, "--dump-dom").stdout
    assert dom.count("<math") == executed_page(name).count("<math") > 10
    assert "<msub>" in dom and "<mrow>" in dom
