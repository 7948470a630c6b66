"""The workshop pages: dates with weekdays in the page's language, venue, trainers, the dated
agenda, links to the modules and the calendar; escaped values; the index in the navigation;
and the page as a browser shows it."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from coursebook.i18n import Strings
from coursebook.render.workshop_site import page
from coursebook.workshop import Workshop


def _page(w: Workshop, tmp_path: Path) -> str:
    return page(w, w.course, Strings(w.course.root, w.course.lang, "en"), tmp_path)


def test_lima_page_dates_agenda_and_links(examples: dict[str, Workshop], tmp_path: Path) -> None:
    text = _page(examples["lima-2027"], tmp_path)
    assert "Wednesday, March 31, 2027 – Thursday, April 1, 2027" in text
    assert "## Day 1 — Wednesday, March 31, 2027" in text and "## Day 2 — Thursday, April 1, 2027" in text
    assert "Hotel Los Andes, Sala Pachacámac, Lima, Peru" in text
    assert "Ana Quispe, Daniel Ortiz" in text
    assert "| 08:30–08:45 | **[I. Introduction to the course](../modules/01-introduction.md)** |" in text
    assert "(lima-2027.ics)" in text and "America/Lima" in text
    assert "[VII. Country action plans and next steps](../modules/07-action-plans.md)" in text


def test_quito_page_in_spanish_without_module_iv(examples: dict[str, Workshop], tmp_path: Path) -> None:
    text = _page(examples["quito-2027"], tmp_path)
    assert "miércoles, 12 de mayo de 2027" in text and "Día 1" in text
    assert "Wednesday" not in text and "Día 2" not in text
    assert "04-sharing-experiences" not in text  # module IV is not part of this workshop
    assert "*Almuerzo*" in text


def test_no_participant_data_in_a_page(examples: dict[str, Workshop], tmp_path: Path) -> None:
    for w in examples.values():
        text = _page(w, tmp_path)
        assert w.participants
        for p in w.participants:
            assert p.name not in text and (not p.email or p.email not in text)


def test_built_page_escaped_and_in_the_navigation(workshop_site: Path) -> None:
    html = (workshop_site / "es" / "workshops" / "quito.html").read_text(encoding="utf-8")
    tree = lxml.html.fromstring(html)
    h1 = tree.xpath("//article//h1")[0]
    assert h1.text_content().strip() == "Taller <b>Quito</b> | 2027"  # text, not markup
    assert not tree.xpath("//article//h1//b")
    assert "miércoles, 12 de mayo de 2027" in tree.text_content()
    assert tree.xpath("//article//a[@href='quito.ics']")
    assert tree.xpath("//article//table//a[@href='../modules/01-basics.html']")
    index = (workshop_site / "es" / "workshops" / "index.html").read_text(encoding="utf-8")
    assert 'href="quito.html"' in index
    home = lxml.html.fromstring((workshop_site / "es" / "index.html").read_text(encoding="utf-8"))
    assert "Talleres" in [a.text_content().strip() for a in home.xpath("//nav//a")]


@pytest.mark.browser
def test_workshop_page_in_a_browser(workshop_site: Path, browser, tmp_path: Path) -> None:
    page_ = browser.new_page(viewport={"width": 1100, "height": 900})
    try:
        page_.goto((workshop_site / "es" / "workshops" / "quito.html").as_uri())
        assert page_.locator("article h1").inner_text() == "Taller <b>Quito</b> | 2027"
        rows = page_.locator("article table tbody tr")
        assert rows.count() == 2 and rows.first.locator("td").first.inner_text() == "09:00–09:30"
        shot = Path(__file__).parent.parent.parent / ".build" / "screenshots" / "workshop-quito.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        page_.screenshot(path=str(shot), full_page=True)  # looked at by hand
    finally:
        page_.close()


def test_public_pdfs_linked_and_the_guide_kept_out_of_the_zip(workshop_site: Path) -> None:
    import zipfile

    es = workshop_site / "es"
    tree = lxml.html.fromstring((es / "workshops" / "quito.html").read_text(encoding="utf-8"))
    links = set(tree.xpath("//article//a/@href"))
    for name in ("pack.pdf", "sign-in.pdf", "evaluation.pdf", "trainers-guide.pdf"):
        assert f"quito/{name}" in links and (es / "workshops" / "quito" / name).is_file()
    assert "../handouts/01-basics.pdf" in links  # the included modules' handouts and decks
    (zip_path,) = (es / "downloads").glob("*.zip")
    members = zipfile.ZipFile(zip_path).namelist()
    assert "workshops/quito.html" in members and "workshops/quito/pack.pdf" in members
    assert "workshops/quito/trainers-guide.pdf" not in members  # participants' zip: no trainer's guide
    page = zipfile.ZipFile(zip_path).read("workshops/quito.html").decode("utf-8")
    assert "trainers-guide.pdf" not in page


def test_untranslated_workshop_page_has_the_usual_notice(tmp_path: Path) -> None:
    from coursebook.build import Options, load_courses
    from tests.workshops.conftest import mini_with_workshops

    root = mini_with_workshops(tmp_path / "repo")
    path = root / "workshops" / "quito.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("language: es", "language: pt"), encoding="utf-8")
    options = Options(root, verbosity=0)
    load_courses(options)
    (w,) = options.workshops
    text = _page(w, tmp_path)
    assert '!!! info ""' in text and "Portuguese" in text and "English" in text
    assert "Wednesday, May 12, 2027" in text  # the page's language: the edition shown
