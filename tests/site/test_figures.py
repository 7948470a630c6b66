"""Figures and linked files in the site, on the fixture course extended with images everywhere
(tests/figures_course.py): every image of every page is a file of the site and of the offline
zip, the Spanish edition shows its own images, data files ship and are listed, links to other
course files lead to their pages, captions sit under their images."""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

import pytest

from tests.build.readback import broken, relative
from tests.build.readback import pages as readback_pages

IMG = re.compile(r'<img\b[^>]*?\bsrc="([^"]+)"')
HREF = re.compile(r'<a\b[^>]*?\bhref="([^"]+)"')


IMAGES = (("img", "src"),)
LINKS = (("a", "href"),)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_image_and_link_of_every_page_resolves(figures_site: Path, lang: str) -> None:
    pages = readback_pages(figures_site / lang)
    assert len(pages) > 8
    assert broken(figures_site / lang, IMAGES) == []
    assert broken(figures_site / lang, LINKS) == []
    shown = {Path(u).name for p in pages for u in IMG.findall(p.read_text(encoding="utf-8"))}
    own = {"flow.es.svg", "chart.es.png"} if lang == "es" else {"flow.svg", "chart.png"}
    assert own | {"plant.jpg", "rule.png", "sheet.svg", "map.png", "badge.png"} <= shown


def test_images_are_inside_the_offline_zip(figures_site: Path) -> None:
    for lang in ("en", "es"):
        with zipfile.ZipFile(next((figures_site / lang / "downloads").glob("*.zip"))) as zf:
            names = set(zf.namelist())
            pages = {n: zf.read(n).decode("utf-8") for n in names if n.endswith(".html") and n != "404.html"}
        shown = set()
        for name, html in pages.items():
            for url in IMG.findall(html):
                if relative(url):
                    inside = posixpath.normpath(posixpath.join(posixpath.dirname(name), relative(url)))
                    assert inside in names, (lang, name, url)
                    shown.add(posixpath.basename(inside))
        assert {"flow.svg" if lang == "en" else "flow.es.svg", "sheet.svg", "map.png"} <= shown
        assert "assets/course/modules/01-basics/files/data.zip" in names


def test_trainer_only_files_stay_out_of_the_participant_zip(figures_site: Path) -> None:
    site = figures_site / "en"
    trainer = (site / "trainer" / "01-basics.html").read_text(encoding="utf-8")
    shown = {(site / "trainer" / relative(u)).resolve() for u in IMG.findall(trainer) + HREF.findall(trainer)
             if relative(u)}
    published = site.resolve() / "trainer/assets/course/modules/01-basics"
    for name in ("images/room.png", "images/solution.png", "files/answers.csv"):  # notes; trainer block
        assert published / name in shown and (published / name).is_file(), name
    assert (site / "trainer/assets/course/modules/01-basics/files/answers.csv").is_file()
    assert "answers.csv" not in (site / "downloads.html").read_text(encoding="utf-8")
    with zipfile.ZipFile(next((site / "downloads").glob("*.zip"))) as zf:
        names = zf.namelist()
    assert not [n for n in names if n.rsplit("/", 1)[-1] in ("room.png", "solution.png", "answers.csv")]


def test_spanish_edition_uses_its_own_images_and_falls_back(figures_site: Path) -> None:
    es = (figures_site / "es" / "modules" / "01-basics.html").read_text(encoding="utf-8")
    en = (figures_site / "en" / "modules" / "01-basics.html").read_text(encoding="utf-8")
    assert "images/flow.es.svg" in es and "images/chart.es.png" in es
    assert "images/flow.svg" not in es and "images/chart.png" not in es
    assert "images/plant.jpg" in es  # no Spanish version: the source image
    assert "images/flow.svg" in en and ".es." not in en


def test_activity_and_reading_images_are_rebased(figures_site: Path) -> None:
    module = (figures_site / "en" / "modules" / "01-basics.html").read_text(encoding="utf-8")
    assert 'src="../assets/course/modules/01-basics/images/sheet.svg"' in module  # ../images/ of the activity
    reading = (figures_site / "en" / "readings" / "case.html").read_text(encoding="utf-8")
    assert 'src="../assets/course/course/readings/images/map.png"' in reading
    home = (figures_site / "en" / "index.html").read_text(encoding="utf-8")
    assert 'src="assets/course/course/readings/images/map.png"' in home


def test_captions_are_figures_and_alt_text_comes_from_attr_list(figures_site: Path) -> None:
    page = (figures_site / "en" / "modules" / "01-basics.html").read_text(encoding="utf-8")
    figures = re.findall(r"<figure>(.*?)</figure>", page, re.S)
    assert any("flow.svg" in f and "<figcaption>Inputs become outputs</figcaption>" in f for f in figures)
    assert any('alt="Bar chart of savings by resource"' in f and "Savings by resource</figcaption>" in f
               for f in figures)
    assert re.search(r'<img alt="" class="decorative" src="[^"]*rule\.png"', page)
    assert 'title="Inputs become outputs"' not in page  # the caption is not repeated as a tooltip
    reading = (figures_site / "en" / "readings" / "case.html").read_text(encoding="utf-8")
    assert re.search(r'<figure>\s*(<p>)?<img alt="The map again" src="../assets/course/course/readings/images/'
                     r'map.png" ?/?>(</p>)?\s*<figcaption>Written as a figure block</figcaption>', reading)


def test_links_to_course_files_lead_to_their_pages(figures_site: Path) -> None:
    module = (figures_site / "en" / "modules" / "01-basics.html").read_text(encoding="utf-8")
    assert '<a href="../readings/case.html">the case</a>' in module
    assert '<a href="../assets/course/modules/01-basics/files/data.zip">The data sheet</a>' in module  # front matter
    assert '<a href="#activity-warm-up">the warm-up</a>' in module or \
        '<a href="01-basics.html#activity-warm-up">the warm-up</a>' in module
    reading = (figures_site / "en" / "readings" / "case.html").read_text(encoding="utf-8")
    assert '<a href="../modules/01-basics.html">basics module</a>' in reading
    deck = (figures_site / "en" / "slides" / "01-basics.html").read_text(encoding="utf-8")
    assert 'href="../readings/case.html"' in deck
    notes = re.findall(r'<aside class="notes">(.*?)</aside>', deck, re.S)
    assert any('<a href="../readings/case.html">the case</a> again' in x for x in notes)  # speaker notes
    assert 'src="../assets/course/modules/01-basics/images/flow.svg"' in deck
    es_deck = (figures_site / "es" / "slides" / "01-basics.html").read_text(encoding="utf-8")
    assert 'src="../assets/course/modules/01-basics/images/flow.es.svg"' in es_deck
    for lang in ("en", "es"):
        assert broken(figures_site / lang, IMAGES + LINKS) == []


def test_data_files_ship_and_are_listed_per_module(figures_site: Path) -> None:
    for lang in ("en", "es"):
        site = figures_site / lang
        assert (site / "assets/course/modules/01-basics/files/data.zip").is_file()
        downloads = (site / "downloads.html").read_text(encoding="utf-8")
        module = downloads[downloads.index("B. "):]
        assert 'href="assets/course/modules/01-basics/files/data.zip"' in module
        assert "(data.zip)" in module and "ZIP, 1 KB" in module  # 22 bytes: not "0 KB"


def test_offline_zip_names_are_readable_in_every_language(figures_site: Path) -> None:
    names = sorted(p.name for p in figures_site.rglob("*-offline.zip"))
    assert names == ["mini-course-en-offline.zip", "mini-course-es-offline.zip"]


def test_course_slug_ignores_a_title_in_another_script(tmp_path: Path) -> None:
    from coursebook import layout
    from coursebook.model import Course

    course = Course.__new__(Course)
    course.root, course.lang, course.source_title = tmp_path / "repo", "zh", "清洁生产培训"
    assert layout.offline_zip(course) == "downloads/repo-zh-offline.zip"
    course.source_title, course.lang = "Cleaner production", "ar"
    assert layout.offline_zip(course) == "downloads/cleaner-production-ar-offline.zip"


@pytest.mark.browser
def test_figures_show_in_chromium_from_file(figures_site: Path, browser) -> None:
    page = browser.new_page()
    for lang in ("en", "es"):
        page.goto((figures_site / lang / "modules" / "01-basics.html").as_uri())
        broken = page.evaluate("""() => [...document.querySelectorAll('article img')]
            .filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)""")
        count = page.evaluate("() => document.querySelectorAll('article img').length")
        assert count >= 5 and broken == [], (lang, broken)
        caption = page.locator("article figure figcaption").first
        assert caption.is_visible()
        box, img = caption.bounding_box(), page.locator("article figure img").first.bounding_box()
        assert box["y"] > img["y"] + img["height"] - 1  # under its image
    page.close()
