"""The PowerPoint decks: the same text as the HTML decks, in the same order, with the same
markup (bold, italic, code, links, lists, tables, code blocks, pictures), the course's look,
right to left in Arabic, and every deck opened by LibreOffice."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pypdf import PdfReader

from coursebook.markdown import Markdown
from coursebook.render.slides_pptx import write_pptx
from coursebook.render.slides_pptx_text import inline_maths, latex
from tests.conftest import ROOT

DECORATION = {"Footer", "Slide id", "Logo", "Decoration"}
BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "ul", "ol", "pre", "table", "tr", "th", "td",
          "div", "blockquote", "details", "summary", "figure", "figcaption", "dl", "dt", "dd", "label",
          "section", "hr"}
DELIMS = re.compile(r"\\\(|\\\)|\\\[|\\\]")


def norm(text: str) -> str:
    return " ".join(DELIMS.sub("", text).split())


def html_blocks(section) -> list[str]:
    """What a reader of the HTML slide sees, block by block: text between block boundaries
    (a list item's own text, a paragraph, a heading, a table cell, a whole code block)."""
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = norm("".join(current))
        if text:
            blocks.append(text)
        current.clear()

    def walk(el) -> None:
        if not isinstance(el.tag, str):
            return
        cls = el.get("class", "").split()
        if el.tag == "aside" or el.tag == "input":
            return
        if el.tag == "div" and "arithmatex" in cls:  # display maths: a picture in PowerPoint
            flush()
            return
        if "arithmatex" in cls:  # inline maths: its characters, as PowerPoint writes them (tested below)
            current.append("".join(r.text for r in inline_maths(latex(el))))
            return
        if el.tag == "pre":
            flush()
            current.append(el.text_content())
            flush()
            return
        block = el.tag in BLOCKS
        if block:
            flush()
        if el.tag == "br":
            current.append(" ")
        if el.text:
            current.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if block:
            flush()

    for child in section:
        walk(child)
        if child.tail:
            current.append(child.tail)
    flush()
    return blocks


def pptx_blocks(slide) -> list[str]:
    """The slide's paragraphs and table cells in reading (shape) order, decoration left out."""
    out: list[str] = []
    for shape in slide.shapes:
        if shape.name in DECORATION:
            continue
        if shape.has_text_frame:
            out += [norm(p.text) for p in shape.text_frame.paragraphs if norm(p.text)]
        elif shape.has_table:
            out += [norm(c.text) for row in shape.table.rows for c in row.cells if norm(c.text)]
    return out


def decks(site: Path) -> list[Path]:
    return sorted(site.glob("*/slides/*.pptx"))


SITES = ["default_site", "mini_site", "kitchen_site"]


@pytest.mark.parametrize("site_name", SITES)
def test_pptx_text_equals_html_deck(request, site_name: str) -> None:
    site = request.getfixturevalue(site_name)
    checked = 0
    for pptx in decks(site):
        html = lxml.html.parse(str(pptx.with_suffix(".html"))).getroot()
        sections = html.xpath("//div[@class='slides']/section")
        prs = Presentation(str(pptx))
        assert len(prs.slides) == len(sections), pptx
        for section, slide in zip(sections, prs.slides, strict=True):
            where = f"{pptx.relative_to(site)} {section.get('id')}"
            assert pptx_blocks(slide) == html_blocks(section), where
            checked += 1
    assert checked > 5


def test_inline_markup_keeps_its_place(default_site: Path) -> None:
    """VI-4 of the shipped course: the bold lead first, then the rest of the sentence."""
    prs = Presentation(str(default_site / "en" / "slides" / "06-ncpc-roles.pptx"))
    slide = next(s for s in prs.slides if s.shapes.title.text == "UNEP's calls of 2002")
    body = next(sh for sh in slide.shapes if sh.has_text_frame and sh != slide.shapes.title
                and sh.name not in DECORATION)
    first = body.text_frame.paragraphs[0]
    assert first.text == ("Cleaner Production Global Status Report 2002: an expanded vision that links "
                          "with sustainable consumption")
    assert [(r.text, bool(r.font.bold)) for r in first.runs] == [
        ("Cleaner Production Global Status Report 2002:", True),
        (" an expanded vision that links with sustainable consumption", False)]
    levels = [p.level for p in body.text_frame.paragraphs]
    assert levels == [0, 0, 1, 1, 1]


# ---- one deck written directly, with every kind of content ----

RICH = """\
## Rich *slide*

- **Bold lead:** then [a link](https://example.org) and `code` and *emphasis*
- Second
    1. nested one
    2. nested two

Closing paragraph with $w \\ge 0$ and $x^2$.

See [the code](#/X-3) and [another deck](02-data.html#/D-2).
"""

CODE = """\
## Code

```python
def f(x):
    return x + 1
```
"""

TABLE = """\
## Table

| Item | Value |
|------|-------|
| Water | **12** |
| Energy | 7 |
"""


@pytest.fixture(scope="module")
def rich_deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("rich")
    (tmp / "flow.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200">'
                                  '<rect x="10" y="10" width="380" height="180" fill="#1b6b4a"/>'
                                  '<text x="200" y="110" font-family="sans-serif" font-size="30" '
                                  'text-anchor="middle" fill="#fff">Flow</text></svg>', encoding="utf-8")
    Image.new("RGB", (300, 150), "#b3541e").save(tmp / "chart.png")
    md = Markdown(ROOT)
    images = (f'<p><img alt="A flow" src="{(tmp / "flow.svg").as_uri()}" /></p>'
              f'<p><img alt="A chart" src="{(tmp / "chart.png").as_uri()}" /></p>')
    slides = [
        {"id": "X-1", "title": "Deck", "layout": "title", "html": "", "columns": [], "notes": ""},
        {"id": "X-2", "title": "Rich", "layout": "default", "html": md.html(RICH), "columns": [], "notes": "n"},
        {"id": "X-3", "title": "Code", "layout": "default", "html": md.html(CODE), "columns": [], "notes": ""},
        {"id": "X-4", "title": "Table", "layout": "default", "html": md.html(TABLE), "columns": [], "notes": ""},
        {"id": "X-5", "title": "Pictures", "layout": "image", "html": "<h2>Pictures</h2>" + images,
         "columns": [], "notes": ""},
        {"id": "X-6", "title": "Two", "layout": "two-column", "html": "<h2>Two</h2>",
         "columns": [md.html("- left"), md.html("5. five\n6. six")], "notes": ""},
    ]
    deck = {"title": "X. Deck", "course_title": "Course", "module_id": "X", "meta": "Duration: 1 h · Centre",
            "fallback": "", "footer": "Course · CC BY 4.0", "logo": str(ROOT / "theme/assets/logo.svg"),
            "organisation": "Centre", "author": "Me", "lang": "en", "rtl": False, "template": ""}
    write_pptx(slides, deck, out=tmp / "rich.pptx")
    return tmp / "rich.pptx"


def test_runs_keep_bold_italic_code_and_links(rich_deck: Path) -> None:
    slide = Presentation(str(rich_deck)).slides[1]
    assert slide.shapes.title.text == "Rich slide"
    assert slide.shapes.title.text_frame.paragraphs[0].runs[1].font.italic
    body = [sh for sh in slide.shapes if sh.has_text_frame and sh.name not in DECORATION][1]
    paras = body.text_frame.paragraphs
    runs = {r.text: r for r in paras[0].runs}
    assert runs["Bold lead:"].font.bold and not runs[" then "].font.bold
    assert runs["a link"].hyperlink.address == "https://example.org"
    assert runs["code"].font.name == "DejaVu Sans Mono"
    assert runs["emphasis"].font.italic
    assert [p.text for p in paras] == ["Bold lead: then a link and code and emphasis", "Second",
                                       "nested one", "nested two", "Closing paragraph with w ≥ 0 and x2.",
                                       "See the code and another deck."]
    assert [p.level for p in paras] == [0, 0, 1, 1, 0, 0]
    bullets = [p._p.pPr.find(qn("a:buChar")) is not None for p in paras]
    numbers = [p._p.pPr.find(qn("a:buAutoNum")) is not None for p in paras]
    assert bullets == [True, True, False, False, False, False]
    assert numbers == [False, False, True, True, False, False]
    jump = next(r for r in paras[5].runs if r.text == "the code")._r.rPr.find(qn("a:hlinkClick"))
    assert jump.get("action") == "ppaction://hlinksldjump"  # a [[slide:…]] link jumps inside the deck
    assert slide.part.related_part(jump.get(qn("r:id"))).partname == "/ppt/slides/slide3.xml"
    maths = {r.text: r for r in paras[4].runs}  # inline maths: characters, not LaTeX
    assert maths["w"].font.italic and "\\ge" not in paras[4].text
    assert maths["2"]._r.rPr.get("baseline") == "30000"  # x², raised
    other = next(r for r in paras[5].runs if r.text == "another deck")
    assert other.hyperlink.address == "02-data.pptx"  # the other deck as PowerPoint, beside this one


def test_code_block_keeps_its_lines(rich_deck: Path) -> None:
    slide = Presentation(str(rich_deck)).slides[2]
    code = next(sh for sh in slide.shapes if sh.name == "Code")
    assert code.text_frame.text == "def f(x):\v    return x + 1"
    assert {r.font.name for r in code.text_frame.paragraphs[0].runs} == {"DejaVu Sans Mono"}
    assert code.fill.fore_color.rgb is not None  # shaded


def test_table_has_a_bold_header(rich_deck: Path) -> None:
    slide = Presentation(str(rich_deck)).slides[3]
    table = next(sh for sh in slide.shapes if sh.has_table).table
    assert [[c.text for c in row.cells] for row in table.rows] == [["Item", "Value"], ["Water", "12"],
                                                                    ["Energy", "7"]]
    assert all(r.font.bold for c in table.rows[0].cells for r in c.text_frame.paragraphs[0].runs)
    assert not table.cell(1, 0).text_frame.paragraphs[0].runs[0].font.bold


def test_svg_and_png_become_pictures_that_fit(rich_deck: Path) -> None:
    prs = Presentation(str(rich_deck))
    slide = prs.slides[4]
    pictures = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE and sh.name != "Logo"]
    assert len(pictures) == 2
    assert [p._element.nvPicPr.cNvPr.get("descr") for p in pictures] == ["A flow", "A chart"]
    flow, chart = pictures
    assert abs(flow.width / flow.height - 2.0) < 0.02 and abs(chart.width / chart.height - 2.0) < 0.02
    assert Image.open(io.BytesIO(flow.image.blob)).format == "PNG"
    for p in pictures:
        assert 0 <= p.left and p.left + p.width <= prs.slide_width
        assert p.top + p.height <= prs.slide_height - 457200  # above the footer
    assert flow.top + flow.height <= chart.top  # in source order, not overlapping


def test_two_columns_side_by_side_numbering_kept(rich_deck: Path) -> None:
    slide = Presentation(str(rich_deck)).slides[5]
    columns = [sh for sh in slide.shapes if sh.has_text_frame and sh.name not in DECORATION][1:]
    assert [c.text_frame.text for c in columns] == ["left", "five\nsix"]
    assert columns[0].left + columns[0].width <= columns[1].left
    starts = [p._p.pPr.find(qn("a:buAutoNum")).get("startAt") for p in columns[1].text_frame.paragraphs]
    assert starts == ["5", "6"]


def test_course_look_without_a_template(rich_deck: Path) -> None:
    prs = Presentation(str(rich_deck))
    title = prs.slides[1].shapes.title.text_frame.paragraphs[0].runs[0].font
    assert title.name == "Noto Serif" and str(title.color.rgb) == "0F4A33"  # slides.css headings
    names = {sh.name for sh in prs.slides[1].shapes}
    assert {"Footer", "Logo", "Slide id"} <= names
    footer = next(sh for sh in prs.slides[1].shapes if sh.name == "Footer")
    assert footer.text_frame.text == "Course · CC BY 4.0"
    theme = prs.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme").blob.decode()
    assert '<a:accent1><a:srgbClr val="1B6B4A"/>' in theme and 'typeface="Noto Sans"' in theme


def test_arabic_deck_runs_right_to_left(default_site: Path) -> None:
    prs = Presentation(str(default_site / "ar" / "slides" / "06-ncpc-roles.pptx"))
    paras = [p for s in prs.slides for sh in s.shapes if sh.has_text_frame and sh.name not in ("Code", "Slide id")
             for p in sh.text_frame.paragraphs if p.text.strip()]
    assert paras
    for p in paras:
        assert p._p.pPr.get("rtl") == "1" and p._p.pPr.get("algn") == "r", p.text
    theme = prs.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme").blob.decode()
    assert '<a:cs typeface="Noto Sans Arabic"/>' in theme
    slide = prs.slides[1]
    footer = next(sh for sh in slide.shapes if sh.name == "Footer")
    tag = next(sh for sh in slide.shapes if sh.name == "Slide id")
    assert tag.left < footer.left  # the slide id on the left, mirrored


# ---- LibreOffice opens every deck ----

def soffice_pdfs(pptx: list[Path], out: Path) -> list[Path]:
    """Convert with LibreOffice in one run, with a profile of its own (other runs may share
    the default profile and make a conversion fail silently)."""
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed (scripts/setup.sh --test)")
    out.mkdir(parents=True, exist_ok=True)
    profile = (out / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *map(str, pptx)], check=True, capture_output=True, timeout=900)
    return [out / (p.stem + ".pdf") for p in pptx]


@pytest.mark.parametrize("site_name", SITES)
def test_libreoffice_opens_every_deck(request, site_name: str, tmp_path: Path) -> None:
    site = request.getfixturevalue(site_name)
    for lang_dir in sorted(p for p in site.iterdir() if (p / "slides").is_dir()):
        pptx = sorted((lang_dir / "slides").glob("*.pptx"))
        for source, pdf in zip(pptx, soffice_pdfs(pptx, tmp_path / lang_dir.name), strict=True):
            assert pdf.is_file(), f"LibreOffice could not open {source}"
            assert len(PdfReader(pdf).pages) == len(Presentation(str(source)).slides), source
        first = tmp_path / lang_dir.name / (pptx[0].stem + ".pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "20", "-f", "2", "-l", "2", str(first),
                        str(tmp_path / lang_dir.name / "page")], check=True)
        png = next((tmp_path / lang_dir.name).glob("page*.png"))
        ink = sum(Image.open(png).convert("L").histogram()[:128])  # dark pixels
        assert ink > 200, f"slide 2 of {pptx[0]} looks blank in LibreOffice"  # text was drawn
