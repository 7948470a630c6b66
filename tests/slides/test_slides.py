"""Slide decks: reveal.js in Chromium (count, order, ids, notes, opening by id), the PDFs read
back, and the PowerPoint file reopened with python-pptx."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from coursebook.build import Options, load_courses
from tests.conftest import ROOT, Served, foreign, wait_until, watch

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def course():
    return load_courses(Options(ROOT))[0]


def open_deck(browser, url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    seen = watch(page)
    page.goto(url)
    wait_until(page, "window.Reveal && Reveal.isReady()")
    return page, seen


def test_every_module_has_all_deck_formats(default_site: Path, course) -> None:
    slides = default_site / "en" / "slides"
    for m in course.modules:
        for suffix in (".html", ".pdf", "-handout.pdf", ".pptx"):
            assert (slides / f"{m.slug}{suffix}").is_file(), (m.slug, suffix)
        assert 6 <= len(m.deck.slides) <= 16, m.slug


@pytest.mark.parametrize("how", ["file", "http"])
def test_deck_matches_source(browser, default_site: Path, course, how: str) -> None:
    module = course.module("VI")
    server = Served(default_site) if how == "http" else None
    url = (f"{server.url}/en/slides/06-ncpc-roles.html" if server
           else (default_site / "en" / "slides" / "06-ncpc-roles.html").as_uri())
    page, seen = open_deck(browser, url)
    assert page.evaluate("Reveal.getTotalSlides()") == len(module.deck.slides)
    ids = page.evaluate("Reveal.getSlides().map(s => s.id)")
    assert ids == [s.id for s in module.deck.slides]
    for index in range(1, len(ids)):
        page.evaluate(f"Reveal.slide({index})")
        assert page.evaluate("Reveal.getSlideNotes()").strip(), ids[index]
    assert page.locator(".slide-number").inner_text().strip() == ids[-1]
    assert foreign(seen["requests"]) == [] and seen["errors"] == []
    page.close()
    if server:
        server.close()


def test_open_a_slide_by_id(browser, default_site: Path) -> None:
    url = (default_site / "en" / "slides" / "06-ncpc-roles.html").as_uri() + "#/VI-2"
    page, _ = open_deck(browser, url)
    assert page.evaluate("Reveal.getCurrentSlide().id") == "VI-2"
    assert "NCPC roles and opportunities activity" in page.locator("section.present h2").inner_text()
    assert page.locator("html").get_attribute("lang") == "en"
    page.close()


def test_title_slide_from_module_metadata(browser, default_site: Path) -> None:
    page, _ = open_deck(browser, (default_site / "en" / "slides" / "03-context-and-systems.html").as_uri())
    title = page.locator("section.present").inner_text()
    assert "Sustainable production and consumption in context" in title and "III" in title
    assert "Duration: 1 h 10 min" in title
    page.close()


def test_speaker_view_opens_offline(browser, default_site: Path) -> None:
    page, _ = open_deck(browser, (default_site / "en" / "slides" / "06-ncpc-roles.html").as_uri() + "#/VI-2")
    with page.expect_popup() as popup:
        page.keyboard.press("s")
    notes = popup.value
    notes.wait_for_selector(".speaker-controls-notes", timeout=15000)
    wait_until(notes, "document.querySelector('.speaker-controls-notes .value').innerText.length > 10",
                            timeout=15000)
    assert "two hours" in notes.locator(".speaker-controls-notes").inner_text()
    page.close()


def test_slide_pdf_and_handout(default_site: Path, course) -> None:
    for m in course.modules:
        n = len(m.deck.slides)
        deck = PdfReader(default_site / "en" / "slides" / f"{m.slug}.pdf")
        assert len(deck.pages) == n
        box = deck.pages[0].mediabox
        assert abs(float(box.width) / float(box.height) - 16 / 9) < 0.01
        handout = PdfReader(default_site / "en" / "slides" / f"{m.slug}-handout.pdf")
        assert len(handout.pages) == math.ceil(n / 3), m.slug
        assert round(float(handout.pages[0].mediabox.width)) == 595  # A4 from course.yml
    text = PdfReader(default_site / "en" / "slides" / "06-ncpc-roles-handout.pdf").pages[0].extract_text()
    assert "VI-2" in text and "Keep this slide on screen" not in text  # notes stay out of handouts


def test_pptx_titles_and_notes(default_site: Path, course) -> None:
    module = course.module("VI")
    prs = Presentation(str(default_site / "en" / "slides" / "06-ncpc-roles.pptx"))
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[0] == f"VI {module.title}"  # as the HTML title slide: module id, then title
    assert titles[1:] == [s.title for s in module.deck.slides[1:]]
    notes = [s.notes_slide.notes_text_frame.text for s in prs.slides]
    assert "Keep this slide on screen" in notes[1]
    body = [sh.text_frame.text for sh in prs.slides[1].placeholders if sh.placeholder_format.idx != 0]
    assert "Groups of 4–5; choose a spokesperson" in body[0]
    table_deck = Presentation(str(default_site / "en" / "slides" / "01-introduction.pptx"))
    tables = [sh for s in table_deck.slides for sh in s.shapes if sh.has_table]
    assert tables and tables[0].table.cell(1, 0).text == "II"


def test_pptx_uses_a_centre_template(tmp_path: Path) -> None:
    from coursebook.render.slides_pptx import write_pptx

    template = Presentation()
    template.slide_layouts[1].name = "Title and Content"
    template.save(str(tmp_path / "template.pptx"))
    slides = [{"id": "X-1", "title": "Title", "layout": "title", "html": "", "columns": [], "notes": ""},
              {"id": "X-2", "title": "Points", "layout": "default", "html": "<h2>Points</h2><ul><li>a</li></ul>",
               "columns": [], "notes": "n"}]
    deck = {"title": "X. Deck", "course_title": "Course", "module_id": "X", "meta": "1 h", "footer": "F",
            "lang": "en", "template": str(tmp_path / "template.pptx")}
    write_pptx(slides, deck, out=tmp_path / "out.pptx")
    prs = Presentation(str(tmp_path / "out.pptx"))
    assert prs.slide_width == template.slide_width  # the template's own size, not 16:9
    assert [s.slide_layout.name for s in prs.slides] == ["Title Slide", "Title and Content"]
    body = [sh for sh in prs.slides[1].placeholders if sh.placeholder_format.idx == 1]
    assert body and body[0].text_frame.text == "a"  # the template's own body placeholder
    assert "Footer" not in {sh.name for sh in prs.slides[1].shapes}  # the template's look, not ours


def test_overflowing_slide_warns_and_fits(browser, mini: Path) -> None:
    """A slide too full for its frame: a warning at its file:line; the slide PDF keeps one page
    per slide (type shrunk); the HTML deck scales it down rather than cut it off."""
    from coursebook.build import build

    deck = mini / "slides" / "01-basics.md"
    items = "\n".join(f"- Point {i} with enough words to wrap across the slide, again and again" for i in range(16))
    deck.write_text(deck.read_text(encoding="utf-8") + f"\n---\n## Far too much\n\n{items}\n\nNote:\nLong.\n",
                    encoding="utf-8")
    line = deck.read_text(encoding="utf-8").split("\n").index("## Far too much") + 1
    options = Options(mini, languages=["en"], verbosity=0)
    build(options)
    warnings = [d.format() for d in options.report.warnings if "does not fit" in d.message]
    assert len(warnings) == 1 and warnings[0].startswith(f"slides/01-basics.md:{line}: warning: slide B-4 "), warnings
    slides = mini / "site" / "en" / "slides"
    assert len(PdfReader(slides / "01-basics.pdf").pages) == 4  # no untitled overflow page
    assert len(PdfReader(slides / "01-basics-handout.pdf").pages) == 2
    text = PdfReader(slides / "01-basics.pdf").pages[3].extract_text()
    assert "Far too much" in text and "Point 15" in text  # shrunk, not cut
    page, _ = open_deck(browser, (slides / "01-basics.html").as_uri() + "#/B-4")
    wait_until(page, "document.getElementById('B-4').hasAttribute('data-fit')")
    fit = page.evaluate("(() => { const s = document.getElementById('B-4');"
                        " return [s.scrollHeight, s.clientHeight, +s.dataset.fit]; })()")
    assert fit[0] <= fit[1] + 1 and 55 <= fit[2] < 100, fit
    last = page.locator("#B-4 li").last.bounding_box()
    assert last["y"] + last["height"] <= 720  # the last point is on screen
    page.close()
    prs = Presentation(str(slides / "01-basics.pptx"))
    body = [sh for sh in prs.slides[3].shapes if sh.has_text_frame and sh.name == "Content Placeholder 2"][0]
    assert body.top + body.height <= prs.slide_height
