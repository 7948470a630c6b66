"""Code and maths in the PDFs: highlighted code in a monospace font on a shaded background,
long lines wrapped (not cut off), formulas drawn as vector images with their LaTeX as text
alternative; the Pygments colours pass WCAG AA; a formula that cannot be drawn is a check error."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from coursebook.highlight import BACKGROUND, code_lines, pygments_css, write_css
from coursebook.maths import MathsError, latex_svg, problem, render_maths, size_em
from tests.build.readback import pdf_text, pdf_text_colours
from tests.conftest import ROOT, write
from tests.maths_course import LONG_TAIL, maths_course

RAW_TEX = re.compile(r"\$E|\$\$|\\frac|\\\(|\\\[|mc\^2")


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    h = "".join(c * 2 for c in h) if len(h) == 3 else h
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# ---- the parts, without a build ----

def test_every_code_colour_meets_wcag_aa_on_the_code_background() -> None:
    colours = re.findall(r"color: (#[0-9A-Fa-f]{3,6})", pygments_css())
    assert len(colours) > 20
    low = {c: round(contrast(c, BACKGROUND), 2) for c in colours if contrast(c, BACKGROUND) < 4.5}
    assert low == {}
    for css in ("theme/pdf/print.css", "theme/slides/print.css", "theme/slides/slides.css"):
        assert f"background: {BACKGROUND}" in (ROOT / css).read_text(), css  # the background tested


def test_pygments_css_is_made_from_pygments(tmp_path: Path) -> None:
    from pygments.formatters import HtmlFormatter

    from coursebook.highlight import BUILTIN, STYLE

    written = write_css(tmp_path).read_text()
    xcode = HtmlFormatter(style=STYLE).get_token_style_defs(".highlight")
    assert sum(rule in written for rule in xcode) == len(xcode) - 1  # all but the built-ins' colour
    assert ".highlight .k { color: #A90D91 }" in written and f".highlight .nb {{ color: {BUILTIN} }}" in written


def test_code_lines_keep_the_text_and_every_line() -> None:
    from coursebook.markdown import Markdown

    html = Markdown(ROOT).html('```python\ndef f():\n\n    return "a\\nb"  # note\n```\n')
    lined = code_lines(html)
    assert lined.count('<span class="code-line') == 3  # the blank line too
    assert lined.count('<span class="code-line long">') == 1  # only the line that may wrap draws a marker
    def text(x: str) -> str:
        return re.sub(r"<[^>]+>", "", x)
    assert text(lined) == text(html)
    assert code_lines(lined.replace("highlight", "x")) == lined.replace("highlight", "x")


@pytest.mark.parametrize(("latex", "why"), [
    (r"\frac{a}{", "not closed"), ("a}", "closes no"), (r"x^", "super"), (r"\foo{x}", r"\foo"),
    (r"\begin{matrix} a", "end")])
def test_a_formula_that_cannot_be_drawn_says_why(latex: str, why: str) -> None:
    with pytest.raises(MathsError, match=re.escape(why)):
        latex_svg(latex, False)
    assert why in problem(latex)


def test_formulas_are_sized_in_em_and_sit_on_the_baseline() -> None:
    inline = size_em(latex_svg(r"\frac{a}{b}", False))
    display = size_em(latex_svg(r"\frac{a}{b}", True))
    assert 0.5 < inline[1] < display[1] < 3  # heights: display style is taller
    assert display[2] > 0.2  # the denominator hangs below the baseline
    assert problem(r"\text{CO}_2 \approx 420\,\mathrm{ppm}") is None


def test_render_maths_gives_images_with_the_latex_as_alt() -> None:
    html = ('<p>So <span class="arithmatex">\\(a &lt; b\\)</span> and '
            '<span class="arithmatex">\\(\\frac{a}{\\)</span>.</p>'
            '<div class="arithmatex">\\[\n\\sqrt{x}\n\\]</div>')
    out = render_maths(html)
    assert 'alt="a &lt; b"' in out and 'alt="\\sqrt{x}"' in out
    assert out.count('src="data:image/svg+xml;base64,') == 2
    assert '<code class="maths-error">\\frac{a}{</code>' in out  # a visible fallback, never a blank
    assert "\\(" not in out and "\\[" not in out
    assert re.search(r'style="width:[\d.]+em;height:[\d.]+em;vertical-align:-[\d.]+em"', out)


# ---- a built course ----

def _alts(pdf: Path) -> list[str]:
    """The alt text of every figure in the PDF's structure tree (tagged PDF)."""
    found: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, dict):
            if node.get("/S") == "/Figure" and node.get("/Alt"):
                found.append(str(node["/Alt"]))
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, list) else [kids] if kids is not None else []):
                walk(kid)
    walk(PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.mark.parametrize("pdf", ["handouts/01-basics.pdf", "handouts/workbook.pdf", "handouts/trainers-guide.pdf"])
def test_pdfs_print_the_code_whole_and_draw_the_maths(maths_site: Path, pdf: str) -> None:
    text = pdf_text(maths_site / pdf)
    flat = re.sub(r"\s+", " ", text)
    assert "def energy(mass: float) -> float:" in flat
    assert f"page: {LONG_TAIL}" in flat  # the long line wrapped, not cut off at the margin
    assert "costs $5 and $6" in flat  # dollars that are not maths stay as written
    assert not RAW_TEX.search(text), RAW_TEX.search(text)
    alts = _alts(maths_site / pdf)
    assert "E = mc^2" in alts and "\\frac{a}{b}" in alts


def test_code_is_monospace_and_coloured(maths_site: Path, tmp_path: Path) -> None:
    pdf = maths_site / "handouts" / "01-basics.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "DejaVu-Sans-Mono" in fonts
    colours = pdf_text_colours(pdf)
    assert colours.get("def") and colours.get("energy") and not colours["def"] & colours["energy"]
    # and on the page: the keyword purple of the Pygments style is there to see
    from PIL import Image

    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    counts = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB").getcolors(1 << 24)
    purple = sum(n for n, (r, g, b) in counts if r > 130 and g < 70 and b > 110)
    shaded = sum(n for n, colour in counts if colour == (0xF3, 0xF6, 0xF4))
    assert purple > 30 and shaded > 5000


def test_an_undrawable_formula_is_a_check_error_at_its_line(tmp_path: Path) -> None:
    from coursebook.build import Options, load_courses
    from coursebook.diagnostics import CourseError

    root = maths_course(tmp_path / "course")
    module = root / "modules" / "01-basics" / "module.md"
    text = module.read_text() + "\nBad: $\\frac{a}{$ here.\n\nPrice: `$x^$` in code, $5 and $6.\n"
    module.write_text(text)
    line = text.split("\n").index("Bad: $\\frac{a}{$ here.") + 1
    write(root, "slides/01-basics.md", (root / "slides/01-basics.md").read_text() + "\n$$\n\\foo{x}\n$$\n")
    with pytest.raises(CourseError) as raised:
        load_courses(Options(root, languages=["en"], verbosity=0))
    found = [d for d in raised.value.diagnostics if "cannot be drawn" in d.message]
    assert [(d.file, d.line) for d in found if d.file.endswith("module.md")] == \
        [("modules/01-basics/module.md", line)]
    assert any(d.file == "slides/01-basics.md" and "\\foo" in d.message for d in found)
    assert len(found) == 2  # code and plain dollars are not formulas



@pytest.mark.skipif(shutil.which("node") is None, reason="KaTeX checks need Node.js")
def test_a_formula_only_the_sites_katex_rejects_is_a_check_error(tmp_path: Path) -> None:
    from coursebook.build import Options, load_courses
    from coursebook.diagnostics import CourseError

    root = maths_course(tmp_path / "course")
    module = root / "modules" / "01-basics" / "module.md"
    module.write_text(module.read_text() + "\nMass in $\\mbox{kg}$.\n")
    assert problem("\\mbox{kg}") is None  # ziamath would draw it; KaTeX would show an error
    with pytest.raises(CourseError) as raised:
        load_courses(Options(root, languages=["en"], verbosity=0))
    found = [d for d in raised.value.diagnostics if "cannot be drawn" in d.message]
    assert [(d.file, d.line, "\\mbox" in d.message) for d in found] == \
        [("modules/01-basics/module.md", len(module.read_text().split("\n")) - 1, True)]

def test_a_code_block_split_over_pages_keeps_three_lines_on_each(tmp_path: Path) -> None:
    """Sections whose space before a code block grows by 3 mm: wherever a block breaks, at
    least three of its lines stay on each side (no orphans, no widows), and none is lost."""
    from weasyprint import CSS, HTML

    from coursebook.highlight import for_print
    from coursebook.markdown import Markdown

    md = Markdown(ROOT)
    sections = [(mm, 50) for mm in range(10, 52, 3)] + [(mm, 10) for mm in range(200, 254, 3)]
    html = "".join(
        f'<section style="break-before: page"><div style="height: {mm}mm"></div>' + md.html(
            "```python\n" + "\n".join(f"x = {i}  # s{k}l{i}" for i in range(lines)) + "\n```\n") + "</section>"
        for k, (mm, lines) in enumerate(sections))
    pdf = tmp_path / "split.pdf"
    HTML(string=f'<html lang="en"><body>{for_print(html)}</body></html>').write_pdf(
        pdf, stylesheets=[CSS(filename=str(ROOT / "theme/pdf/print.css")), CSS(filename=str(write_css(tmp_path)))])
    per_page = [re.findall(r"# s(\d+)l\d+", page) for page in pdf_text(pdf).split("\f")]
    splits = {}
    for k in range(len(sections)):
        counts = [page.count(str(k)) for page in per_page if str(k) in page]
        assert sum(counts) == sections[k][1]  # every line printed
        if len(counts) > 1:
            splits[k] = counts
    assert len(splits) > 8, "few blocks split: the test no longer reaches a page end"
    assert {k: c for k, c in splits.items() if min(c) < 3} == {}
