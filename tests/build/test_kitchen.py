"""The kitchen-sink course built into every output and read back (acceptance tests of issue #14).

`tests/fixtures/kitchen` uses every feature of the content contract in English and Spanish:
figures (SVG, PNG, a localized SVG, attr_list alt, decorative), code, maths, tables, footnotes,
tabs, solutions, an embedded activity, data files, links between pages, decks, and trainer
text at every depth, each marked with its own word (`TRAINERMARK-in-tab` …). These tests
open what a participant and a trainer get, not the engine's internals.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from coursebook.build import Options, load_courses
from coursebook.markdown import participant
from coursebook.model import Course
from tests.build.readback import (
    MARK,
    broken,
    images,
    leaving,
    participant_files,
    pdf_image_count,
    pdf_text,
    pdf_text_colours,
    pptx_slides,
    pptx_text,
    trainer_text_in,
    unzip,
    words,
)
from tests.conftest import KITCHEN, wait_until

LANGS = ["en", "es"]
MODULES = ["01-flows", "02-data", "03-long"]
IMG = (("img", "src"),)
# every trainer-only marker of the fixture, by where it sits in the source
MARKERS = ["toplevel", "collapsed", "expanded", "in-list", "in-note", "in-solution", "in-tab", "in-div",
           "in-activity", "notes-file", "step"]
ELSEWHERE = ["in-reading", "in-slide"]  # not part of a module page: the trainer's guide or a trainer page


def marker(lang: str, where: str) -> str:
    return f"TRAINERMARK-{where}" if lang == "en" else f"TRAINERMARK-es-{where}"


@pytest.fixture(scope="module")
def courses(kitchen_site: Path) -> dict[str, Course]:
    return {c.lang: c for c in load_courses(Options(kitchen_site.parent))}


def article(page: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(page.read_bytes()).xpath("//article")[0]


def page_text(page: Path) -> str:
    return re.sub(r"\s+", " ", article(page).text_content())


def between(text: str, first: str, middle: str, last: str) -> bool:
    return first in text and middle in text and last in text and \
        text.index(first) < text.index(middle) < text.index(last)


# ---- every output exists and the course checks clean ----

def test_the_kitchen_course_checks_clean(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    from coursebook.cli import main

    root = tmp_path / "kitchen"  # a copy: check keeps what it derived in the course's .build/
    shutil.copytree(KITCHEN, root, ignore=shutil.ignore_patterns(".build"))
    assert main(["check", "--root", str(root)]) == 0, capsys.readouterr()


@pytest.mark.parametrize("lang", LANGS)
def test_every_output_exists(kitchen_site: Path, lang: str) -> None:
    site = kitchen_site / lang
    for slug in MODULES:
        for rel in (f"modules/{slug}.html", f"trainer/{slug}.html", f"handouts/{slug}.pdf",
                    f"slides/{slug}.html", f"slides/{slug}.pdf", f"slides/{slug}-handout.pdf",
                    f"slides/{slug}.pptx"):
            assert (site / rel).is_file(), rel
    assert (site / "handouts" / "workbook.pdf").is_file()
    assert (site / "handouts" / "trainers-guide.pdf").is_file()
    assert len(list((site / "downloads").glob("*-offline.zip"))) == 1


# ---- images and links resolve, in the site and in the offline zip ----

@pytest.mark.parametrize("lang", LANGS)
def test_every_image_of_every_page_resolves(kitchen_site: Path, lang: str) -> None:
    site = kitchen_site / lang
    assert broken(site, IMG) == []
    module = site / "modules" / "01-flows.html"
    assert len(images(module)) >= 4  # flow, savings, rule, the embedded activity's flow


@pytest.mark.parametrize("lang", LANGS)
def test_every_relative_link_of_every_page_resolves(kitchen_site: Path, lang: str) -> None:
    assert broken(kitchen_site / lang) == []


@pytest.mark.parametrize("lang", LANGS)
def test_offline_zip_images_and_links_resolve_inside_it(kitchen_site: Path, lang: str) -> None:
    unpacked = unzip(next((kitchen_site / lang / "downloads").glob("*-offline.zip")))
    assert broken(unpacked, IMG, inside=unpacked) == []
    assert broken(unpacked, inside=unpacked) == []
    assert len(images(unpacked / "modules" / "01-flows.html")) >= 4
    # the only links a zip cannot follow are the language switcher's, to the other edition
    outside = leaving(unpacked)
    assert all(re.search(r"\(?\.\./(en|es)/", x) or "/en/" in x or "/es/" in x for x in outside), outside


def test_links_to_other_course_files_become_their_pages(kitchen_site: Path) -> None:
    for lang, data, guide in (("en", "data module", "field guide"), ("es", "módulo de datos", "guía de campo")):
        page = kitchen_site / lang / "modules" / "01-flows.html"
        links = {a.text_content().strip(): a.get("href") for a in article(page).iter("a")}
        assert (page.parent / links[data]).resolve() == (kitchen_site / lang / "modules" / "02-data.html")
        assert (page.parent / links[guide]).resolve() == (kitchen_site / lang / "readings" / "field-guide.html")
    back = kitchen_site / "en" / "modules" / "02-data.html"
    links = {a.text_content().strip(): a.get("href") for a in article(back).iter("a")}
    assert (back.parent / links["material flows"]).resolve() == back.parent / "01-flows.html"


@pytest.mark.parametrize("lang", LANGS)
def test_data_files_ship_with_the_edition(kitchen_site: Path, lang: str) -> None:
    site = kitchen_site / lang
    source = KITCHEN / "modules" / "01-flows" / "files"
    for page in (site / "modules" / "01-flows.html", site / "readings" / "field-guide.html"):
        hrefs = [a.get("href") for a in article(page).iter("a") if "exercise-data" in (a.get("href") or "")]
        assert hrefs, page
        for href in hrefs:
            target = (page.parent / href).resolve()
            assert target.is_file(), (page.name, href)
            assert target.read_bytes() == (source / Path(href).name).read_bytes()
    names = {Path(p).name for p in unzip(next((site / "downloads").glob("*.zip"))).rglob("*")}
    assert {"exercise-data.csv", "exercise-data.xlsx"} <= names


@pytest.mark.parametrize("lang", LANGS)
def test_no_pdf_or_deck_links_to_markdown_sources(kitchen_site: Path, lang: str) -> None:
    site = kitchen_site / lang
    bad = []
    for pdf in sorted(site.rglob("*.pdf")):
        for page in PdfReader(pdf).pages:
            for annot in page.get("/Annots") or []:
                uri = (annot.get_object().get("/A") or {}).get("/URI", "")
                if re.search(r"\.md(#|$)", str(uri)):
                    bad.append(f"{pdf.name}: {uri}")
    for deck in (site / "slides").glob("*.html"):
        bad += [f"{deck.name}: {h}" for h in re.findall(r'href="([^"]*\.md)"', deck.read_text("utf-8"))]
    assert bad == []


# ---- figures ----

@pytest.mark.parametrize(("lang", "svg", "caption"), [
    ("en", "flow.svg", "Inputs, process, outputs and waste"),
    ("es", "flow.es.svg", "Entradas, proceso, productos y residuos"),
])
def test_site_figures_captions_alt_text_and_localized_image(kitchen_site: Path, lang: str, svg: str,
                                                            caption: str) -> None:
    page = kitchen_site / lang / "modules" / "01-flows.html"
    imgs = images(page)
    flow = next(i for i in imgs if "flow" in i.get("src"))
    assert (page.parent / flow.get("src")).resolve().read_bytes() == \
        (KITCHEN / "modules" / "01-flows" / "images" / svg).read_bytes()
    assert caption in page_text(page)  # the title is a visible caption, not only a tooltip
    savings = next(i for i in imgs if "savings" in i.get("src"))
    assert savings.get("alt", "").startswith(("Bar chart", "Gráfico de barras"))  # attr_list alt
    rule = next(i for i in imgs if "rule" in i.get("src"))
    assert rule.get("alt") == ""  # decorative: empty alt, skipped by screen readers


@pytest.mark.parametrize(("lang", "drawn", "other"), [
    ("en", r"Inputs\s+Process\s+Outputs", r"Entradas\s+Proceso"),
    ("es", r"Entradas\s+Proceso\s+Productos", r"Inputs\s+Process"),
])
def test_handout_and_workbook_figures(kitchen_site: Path, lang: str, drawn: str, other: str) -> None:
    handouts = kitchen_site / lang / "handouts"
    text = pdf_text(handouts / "01-flows.pdf")
    assert re.search(drawn, text) and not re.search(other, text)  # the edition's own SVG, drawn
    assert pdf_image_count(handouts / "01-flows.pdf") >= 2  # savings.png, rule.png (SVG is vector)
    assert pdf_image_count(handouts / "workbook.pdf") >= 3  # and module DA's rule
    assert re.search(drawn, pdf_text(handouts / "workbook.pdf"))


def test_pdf_figures_are_numbered_per_module(kitchen_site: Path) -> None:
    text = re.sub(r"\s+", " ", pdf_text(kitchen_site / "en" / "handouts" / "01-flows.pdf"))
    assert re.search(r"Figure FL\.1\W+Inputs, process, outputs and waste", text)
    assert re.search(r"Figure FL\.2\W+Savings by resource", text)


# ---- trainer-only text: nowhere for participants, everywhere for trainers ----

@pytest.mark.parametrize("lang", LANGS)
def test_no_trainer_text_in_any_participant_file(kitchen_site: Path, lang: str) -> None:
    files = participant_files(kitchen_site / lang)
    assert any(n.endswith(".pptx") for n in files) and any("!" in n for n in files)
    assert trainer_text_in(files) == []


@pytest.mark.parametrize("lang", LANGS)
def test_trainer_outputs_have_every_marker(kitchen_site: Path, lang: str) -> None:
    site = kitchen_site / lang
    pages = " ".join((site / "trainer" / f"{m}.html").read_text("utf-8") for m in MODULES)
    guide = pdf_text(site / "handouts" / "trainers-guide.pdf")
    missing = [w for w in MARKERS if marker(lang, w) not in pages]
    missing += [f"guide:{w}" for w in MARKERS + ELSEWHERE if marker(lang, w) not in guide]
    assert missing == []


@pytest.mark.parametrize("lang", LANGS)
def test_participant_page_keeps_its_text_around_trainer_blocks(kitchen_site: Path, lang: str) -> None:
    """Removing nested trainer blocks must not take the participant text around them."""
    text = page_text(kitchen_site / lang / "modules" / "01-flows.html")
    for words_ in (["Open the file.", "Add the inputs and the outputs.", "Compare the two sums."],
                   ["Abra el archivo.", "Sume las entradas y las salidas.", "Compare las dos sumas."]):
        if lang == ("en" if words_[0].startswith("Open") else "es"):
            assert all(w in text for w in words_)
    assert not MARK.search(text)


# ---- solutions and the embedded activity ----

def test_solutions_collapsed_in_site_and_at_the_end_of_handouts(kitchen_site: Path) -> None:
    page = kitchen_site / "en" / "modules" / "01-flows.html"
    details = article(page).xpath(".//details[contains(@class, 'solution')]")
    assert len(details) >= 3 and not any(d.get("open") is not None for d in details)
    text = re.sub(r"\s+", " ", pdf_text(kitchen_site / "en" / "handouts" / "01-flows.pdf"))
    assert "Answers" in text
    assert text.index("30 t, or 15 %") > text.index("The opening slide is")  # after the module text
    assert text.index("30 t, or 15 %") > text.index("Answers")
    guide = re.sub(r"\s+", " ", pdf_text(kitchen_site / "en" / "handouts" / "trainers-guide.pdf"))
    assert "30 t, or 15 %" in guide and "Line A balances" in guide


@pytest.mark.parametrize("lang", LANGS)
def test_embedded_activity_is_in_place(kitchen_site: Path, lang: str) -> None:
    before, after = ("measure it.", "Ways to compute it") if lang == "en" else ("mídalo.", "Formas de calcularlo")
    instructions = "Choose one process you know well" if lang == "en" else "Elija un proceso que conozca bien"
    text = page_text(kitchen_site / lang / "modules" / "01-flows.html")
    assert "[[embed:" not in text
    assert between(text, before, instructions, after)
    assert text.count(instructions) == 1  # not repeated in the Activities section
    pdf = re.sub(r"\s+", " ", pdf_text(kitchen_site / lang / "handouts" / "01-flows.pdf"))
    assert between(pdf, before, instructions, after)


def test_agenda_follows_the_embedded_activity(kitchen_site: Path) -> None:
    """The talk is split around the embedded activity; the other activity still comes last."""
    text = page_text(kitchen_site / "en" / "agenda.html")
    first = text.index("FL. Material flows")
    embedded = text.index("Map the flow")
    assert first < embedded < text.index("FL. Material flows", embedded) < text.index("Wrap-up round")


# ---- code and maths ----

@pytest.mark.parametrize("lang", LANGS)
def test_code_is_highlighted_in_site_and_deck_html(kitchen_site: Path, lang: str) -> None:
    for page in (kitchen_site / lang / "modules" / "01-flows.html", kitchen_site / lang / "slides" / "01-flows.html"):
        tree = lxml.html.fromstring(page.read_bytes())
        keywords = tree.xpath("//*[contains(@class, 'highlight')]//span[@class='k']")
        assert any(k.text == "def" for k in keywords), page.name


def _distinct(colours: dict, a: str, b: str) -> bool:
    return bool(colours.get(a)) and bool(colours.get(b)) and not (colours[a] & colours[b])


@pytest.mark.parametrize("pdf", ["handouts/01-flows.pdf", "handouts/workbook.pdf", "slides/01-flows.pdf"])
def test_code_is_highlighted_in_pdfs(kitchen_site: Path, pdf: str) -> None:
    """Keywords, names and strings of the code are printed in different colours."""
    colours = pdf_text_colours(kitchen_site / "en" / pdf)
    assert _distinct(colours, "def", "inputs"), {k: colours.get(k) for k in ("def", "inputs")}
    if pdf.startswith("handouts/"):
        doc = '"""Return the unaccounted mass: positive means a hidden loss."""'
        assert _distinct(colours, doc, "def") and _distinct(colours, doc, "inputs")


def test_long_code_lines_are_not_cut_off(kitchen_site: Path) -> None:
    text = re.sub(r"\s+", " ", pdf_text(kitchen_site / "en" / "handouts" / "01-flows.pdf"))
    assert "to test wrapping" in text
    assert "--no-cache" in text


RAW_TEX = re.compile(r"\\[a-zA-Z]{2,}|\\\(|\\\[|\$\$")  # \sum, \ge, \(, $$: TeX shown as typed


@pytest.mark.parametrize("lang", LANGS)
def test_no_raw_latex_in_pdfs_and_pptx(kitchen_site: Path, lang: str) -> None:
    site = kitchen_site / lang
    found = [p.name for p in (site / "handouts" / "01-flows.pdf", site / "handouts" / "workbook.pdf",
                              site / "handouts" / "trainers-guide.pdf", site / "slides" / "01-flows.pdf")
             if RAW_TEX.search(pdf_text(p))]
    if RAW_TEX.search(pptx_text(site / "slides" / "01-flows.pptx")):
        found.append("01-flows.pptx")
    assert found == []


@pytest.mark.browser
@pytest.mark.parametrize("page", ["modules/01-flows.html", "slides/01-flows.html"])
def test_maths_is_rendered_in_the_browser(browser, kitchen_site: Path, page: str) -> None:
    source = lxml.html.fromstring((kitchen_site / "en" / page).read_bytes())
    formulas = len(source.find_class("arithmatex"))  # the formulas of the page as built
    assert formulas >= 2
    tab = browser.new_page()
    tab.goto((kitchen_site / "en" / page).as_uri())
    # every formula drawn by KaTeX (counted once each: `.katex` holds its own MathML `math`)
    wait_until(tab, f"document.querySelectorAll('.arithmatex .katex').length >= {formulas}")
    if "slides/" in page:
        wait_until(tab, "window.Reveal && Reveal.isReady()")
        shown = tab.evaluate(  # every slide's text, without MathML's TeX annotation (not shown)
            "Array.from(document.querySelectorAll('.slides section')).map(s => {"
            " const c = s.cloneNode(true); c.querySelectorAll('annotation').forEach(a => a.remove());"
            " return c.textContent; }).join(' ')")
    else:
        shown = tab.inner_text("article")
    rendered = tab.evaluate("document.querySelectorAll('.arithmatex .katex').length")
    tab.close()
    assert rendered == formulas
    assert not re.search(r"\\sum|\\\(|\$\$", shown)


# ---- decks ----

@pytest.mark.parametrize("lang", LANGS)
def test_pptx_has_pictures_and_text_where_the_deck_has_them(kitchen_site: Path, courses: dict, lang: str) -> None:
    problems = []
    for module in courses[lang].modules:
        if module.slug == "03-long":
            continue
        slides = pptx_slides(kitchen_site / lang / "slides" / f"{module.slug}.pptx")
        assert len(slides) == len(module.deck.slides), module.slug
        for source, built in zip(module.deck.slides[1:], slides[1:], strict=True):
            body = participant(source.body)
            if "![" in body and built["pictures"] == 0:
                problems.append(f"{source.id}: no picture")
            missing = [w for w in words(body) if w not in built["text"]]
            if missing:
                problems.append(f"{source.id}: text missing {missing}")
            if "```" in body and "mass_balance" not in built["text"]:
                problems.append(f"{source.id}: code missing")
            if "$$" in body and built["pictures"] == 0 and "∑" not in built["text"]:
                problems.append(f"{source.id}: maths neither drawn nor written")
    assert problems == []


@pytest.mark.parametrize("lang", LANGS)
def test_html_deck_images_and_localized_figure(kitchen_site: Path, lang: str) -> None:
    deck = kitchen_site / lang / "slides" / "01-flows.html"
    srcs = [i.get("src") for i in images(deck)]
    assert len(srcs) >= 2
    flow = next(s for s in srcs if "flow" in s)
    expected = "flow.svg" if lang == "en" else "flow.es.svg"
    assert (deck.parent / flow).resolve().read_bytes() == \
        (KITCHEN / "modules" / "01-flows" / "images" / expected).read_bytes()


@pytest.mark.parametrize("lang", LANGS)
def test_only_the_long_slide_overflows_and_pptx_keeps_its_text(kitchen_site: Path, lang: str) -> None:
    """The long deck is there to overflow: the slide PDF shrinks (or cuts) it and records it for the
    build's warning; every other slide fits; the PowerPoint file keeps every item."""
    from coursebook.render.slides_fit import overflow_ids

    slides = kitchen_site / lang / "slides"
    assert {m: overflow_ids(slides / f"{m}.pdf") for m in MODULES} == \
        {"01-flows": [], "02-data": [], "03-long": ["LG-2"]}
    pptx = pptx_text(slides / "03-long.pptx")
    assert [i for i in range(1, 37) if f"Item {i}:" not in pptx] == []


# ---- the rest of the Markdown features, once in the site and once in print ----

def test_tables_definition_lists_footnotes_tabs_admonitions(kitchen_site: Path) -> None:
    page = article(kitchen_site / "en" / "modules" / "01-flows.html")
    assert page.xpath(".//table") and page.xpath(".//dl/dt") and page.xpath(".//*[contains(@class, 'footnote')]")
    assert page.xpath(".//*[contains(@class, 'tabbed-set')]")
    assert page.xpath(".//*[contains(@class, 'admonition') and contains(@class, 'note')]")
    text = re.sub(r"\s+", " ", pdf_text(kitchen_site / "en" / "handouts" / "01-flows.pdf"))
    for expected in ("An account of everything that enters", "most cleaner production manuals",
                     "balance = mass_balance", "add a row for each stream", "Never estimate a waste stream"):
        assert expected in text, expected  # every tab is printed, not only the first
    assert "PythonSpreadsheet" not in text  # each tab under its own label, not a row of run-together labels


@pytest.mark.parametrize("lang", LANGS)
def test_image_layout_slide_shows_one_large_image(kitchen_site: Path, lang: str) -> None:
    """`layout=image` is "one large image" (AUTHORING.md): at least 60 % of the slide's width or height."""
    from pptx import Presentation

    deck = Presentation(kitchen_site / lang / "slides" / "01-flows.pptx")
    slide = deck.slides[3]  # FL-4, the image slide
    pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1
    assert pictures[0].width >= 0.6 * deck.slide_width or pictures[0].height >= 0.6 * deck.slide_height
