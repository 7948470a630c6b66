"""Language editions: a site, PDFs and decks per language; fallback with a notice;
Arabic right to left; Chinese and Arabic glyphs present in every output; coverage shown."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from coursebook.build import Options, build
from tests.conftest import MINI, wait_until, write

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scripts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture course in en, es, ar and zh; ar and zh translate the module and ar the deck."""
    root = tmp_path_factory.mktemp("scripts") / "repo"
    shutil.copytree(MINI, root)
    course = root / "course" / "course.yml"
    course.write_text(course.read_text().replace("languages: [es]", "languages: [es, ar, zh]"))
    write(root, "course/course.ar.yml", "title: دورة مصغّرة\n")
    write(root, "course/course.zh.yml", "title: 迷你课程\n")
    write(root, "modules/01-basics/module.ar.md", """
        ---
        title: الأساسيات
        objectives: [فهم الأساسيات]
        ---
        ## مقدمة

        يقرأ المشاركون هذا النص عن الإنتاج الأنظف. انظر [[activity:warm-up]].

        | السنة | الحدث |
        |---|---|
        | 1994 | ندوة أوسلو |
        """)
    write(root, "modules/01-basics/module.zh.md", """
        ---
        title: 基础知识
        objectives: [理解基础知识]
        ---
        ## 引言

        学员阅读关于清洁生产的这段文字。参见 [[activity:warm-up]]。
        """)
    write(root, "slides/01-basics.ar.md", "## الشريحة الأولى\n\n- نقطة باللغة العربية\n\nNote:\nقل شيئاً.\n\n---\n"
                                          "## الشريحة الثانية\n\n- نقطة أخرى\n\nNote:\nملاحظات.\n")
    build(Options(root, verbosity=0))
    return root / "site"


def pdftext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def fonts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0] for line in out.splitlines()[2:]]


def test_a_site_per_language_with_a_switcher(scripts: Path) -> None:
    assert sorted(p.name for p in scripts.iterdir() if p.is_dir()) == ["ar", "en", "es", "zh"]
    home = (scripts / "es" / "index.html").read_text()
    assert '<html lang="es"' in home and "Minicurso" in home
    for lang in ("en", "ar", "zh"):
        assert f'href="../../{lang}/index.html"' in home or f'href="../{lang}/index.html"' in home
    assert "Buscar" in home or "Búsqueda" in home or 'placeholder="Buscar"' in home  # Material in Spanish


def test_arabic_site_is_right_to_left(scripts: Path) -> None:
    page = (scripts / "ar" / "modules" / "01-basics.html").read_text()
    assert '<html lang="ar"' in page and '<body dir="rtl"' in page
    assert "الأساسيات" in page


def test_untranslated_text_falls_back_with_a_notice(browser, scripts: Path) -> None:
    page = browser.new_page()
    page.goto((scripts / "es" / "modules" / "01-basics.html").as_uri())
    activity = page.locator("#activity-warm-up ~ div[lang='en']").first
    assert "Talk with your neighbour" in activity.inner_text()
    assert "aún no está traducida al Español" in page.content()
    page.close()
    deck = (scripts / "es" / "slides" / "01-basics.html").read_text()
    assert "aún no está traducida" in deck  # the es deck is the English one, with a notice
    assert "aún no está traducida" in pdftext(scripts / "es" / "handouts" / "01-basics.pdf")


def test_interface_strings_come_from_the_catalogue(scripts: Path) -> None:
    zh = pdftext(scripts / "zh" / "handouts" / "01-basics.pdf")
    assert "第 1 页，共" in zh and "学习目标" in zh and "基础知识" in zh
    ar = pdftext(scripts / "ar" / "handouts" / "01-basics.pdf")
    assert "الأهداف" in ar and "الأساسيات" in ar


def test_an_edited_catalogue_is_read_again_by_a_running_process(mini: Path) -> None:
    """`serve` keeps one process: a course's own catalogue, created, edited or deleted while
    it runs, is what the next preview says."""
    from coursebook.i18n import Strings

    assert Strings(mini, "en")("workbook") == "Participant workbook"  # the engine's
    write(mini, "theme/i18n/en.yml", "workbook: The course's workbook\n")
    assert Strings(mini, "en")("workbook") == "The course's workbook"
    write(mini, "theme/i18n/en.yml", "workbook: Our workbook, longer\n")
    assert Strings(mini, "en")("workbook") == "Our workbook, longer"
    (mini / "theme/i18n/en.yml").unlink()
    assert Strings(mini, "en")("workbook") == "Participant workbook"


@pytest.mark.parametrize("lang,family", [("zh", "Noto-Sans-CJK-SC"), ("ar", "Noto-Naskh-Arabic")])
def test_glyphs_come_from_fonts_that_have_them(scripts: Path, lang: str, family: str) -> None:
    for pdf in (scripts / lang / "handouts" / "01-basics.pdf", scripts / lang / "handouts" / "workbook.pdf"):
        names = fonts(pdf)
        assert any(family in name for name in names), (pdf.name, names)
        assert "\ufffd" not in pdftext(pdf)  # no replacement character: no missing glyph


def test_arabic_pdf_pages_run_right_to_left(scripts: Path) -> None:
    pdf = scripts / "ar" / "handouts" / "01-basics.pdf"
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', bbox)[1])
    words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)<', bbox)
    arabic = [(float(x0), float(y0), float(x1)) for x0, y0, x1, w in words if re.search("[\u0600-\u06ff]", w)]
    assert len(arabic) > 20
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', bbox)[1])
    ends: dict[int, float] = {}
    starts: dict[int, float] = {}
    for x0, y0, x1 in arabic:
        if 60 < y0 < height - 60 and x1 - x0 > 3:  # body text, not header, footer or lone marks
            ends[round(y0)] = max(ends.get(round(y0), 0), x1)
            starts[round(y0)] = min(starts.get(round(y0), width), x0)
    at_right = [y for y, x1 in ends.items() if x1 > width - 60]  # lines begin at the right margin
    at_left = [y for y, x0 in starts.items() if x0 < 60]
    assert len(at_right) >= len(ends) / 2 and len(at_left) <= len(starts) / 4, (at_right, at_left, ends)
    # the running header changes sides: course title on the right, module title on the left
    # (pdftotext gives Arabic words in visual order: "دورة" reads "ةرود")
    header = {w: float(x0) for x0, y0, x1, w in words if float(y0) < 60}
    assert header["ةرود"] > width / 2 and header["تايساسألا"] < width / 2, header


def test_arabic_deck_is_right_to_left(browser, scripts: Path) -> None:
    page = browser.new_page()
    page.goto((scripts / "ar" / "slides" / "01-basics.html").as_uri() + "#/B-2")
    wait_until(page, "window.Reveal && Reveal.isReady()")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("Reveal.getConfig().rtl") is True
    assert "نقطة باللغة العربية" in page.locator("section.present").inner_text()
    page.close()
    names = fonts(scripts / "ar" / "slides" / "01-basics.pdf")
    assert any("Arabic" in n for n in names), names


def test_coverage_is_shown(scripts: Path) -> None:
    downloads = (scripts / "en" / "downloads.html").read_text()
    assert "Translation coverage" in downloads and re.search(r"<td>ar</td>\s*<td>\d+%</td>", downloads)
    home = (scripts / "en" / "index.html").read_text()
    # not in the language switcher: there, a changed status would re-render every page of every edition
    assert "العربية" in home and not re.search(r"العربية \(\d+%\)", home)


def test_chinese_search_finds_chinese_words(browser, scripts: Path) -> None:
    """Chinese has no spaces: jieba segments it at build time so that search finds words."""
    page = browser.new_page()
    page.goto((scripts / "zh" / "index.html").as_uri())
    page.locator(".md-search__input").first.click()
    page.keyboard.type("清洁生产")
    page.keyboard.press("End")  # typed text arrives without key events; Material searches on keyup
    wait_until(page, "document.querySelectorAll('.md-search-result__item a').length > 0", timeout=15000)
    hits = page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")
    assert any("modules/01-basics.html" in h for h in hits), hits
    page.close()
