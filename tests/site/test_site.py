"""The trainer's website, tested in Debian's Chromium: navigation, search over http and from
file://, trainer content kept off participant pages, and no request leaving the machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import foreign, wait_until, watch

pytestmark = pytest.mark.browser


def test_pages_exist_for_the_default_course(default_site: Path) -> None:
    en = default_site / "en"
    for page in ("index.html", "agenda.html", "downloads.html", "trainer/index.html",
                 "modules/06-ncpc-roles.html", "trainer/06-ncpc-roles.html",
                 "readings/asia-pacific-seoul-2003.html", "how-to-use.html"):
        assert (en / page).is_file(), page
    assert 'url=en/index.html' in (default_site / "index.html").read_text()


def test_home_to_module_to_activity(browser, default_site: Path) -> None:
    page = browser.new_page()
    seen = watch(page)
    page.goto((default_site / "en" / "index.html").as_uri())
    page.get_by_role("link", name="VI. Roles and opportunities for NCPCs").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("modules/06-ncpc-roles.html")
    assert page.locator("h1").inner_text() == "VI. Roles and opportunities for NCPCs"
    page.get_by_role("link", name="NCPC roles and opportunities", exact=True).first.click()
    assert page.url.endswith("#activity-ncpc-roles")
    heading = page.locator("#activity-ncpc-roles")
    assert heading.is_visible() and "NCPC roles and opportunities" in heading.inner_text()
    assert "Small groups of 4–5 participants" in page.content()
    assert foreign(seen["requests"]) == [] and seen["errors"] == []
    page.close()


def test_agenda_adds_up(browser, default_site: Path) -> None:
    page = browser.new_page()
    page.goto((default_site / "en" / "agenda.html").as_uri())
    text = page.locator("article").inner_text()
    assert "Day 1" in text and "Day 2" in text and "Lunch" in text
    assert "Total: 7 h 20 min (08:30–17:30)" in text
    assert "overruns" not in text
    page.close()


def search(page, word: str) -> list[str]:
    """Type a word into Material's search; return the links of the first result, in order."""
    page.locator(".md-search__input").first.click()
    page.keyboard.type(word)
    wait_until(page,
        "w => [...document.querySelectorAll('.md-search-result__item a')].some(a => a.href.includes('h=' + w))",
        arg=word.lower(), timeout=15000)
    first = page.locator(".md-search-result__list > .md-search-result__item").first
    return first.locator("a").evaluate_all("els => els.map(e => e.href)")


# "uniform" appears only in the product-cycle activity of Section III (test_word_is_unique checks):
# a word that appears in one activity only must bring that activity first.
ONLY_IN_ONE_ACTIVITY = "uniform"


def test_search_over_http(browser, served_default: str) -> None:
    page = browser.new_page()
    seen = watch(page)
    page.goto(f"{served_default}/en/index.html")
    hits = search(page, ONLY_IN_ONE_ACTIVITY)
    assert any("modules/03-context-and-systems.html" in h and "#activity-product-cycle-map" in h
               for h in hits), hits
    assert foreign(seen["requests"]) == [] and seen["errors"] == []
    page.close()


def test_search_from_file(browser, default_site: Path) -> None:
    page = browser.new_page()
    seen = watch(page)
    page.goto((default_site / "en" / "index.html").as_uri())
    hits = search(page, ONLY_IN_ONE_ACTIVITY)
    assert any("modules/03-context-and-systems.html" in h and "#activity-product-cycle-map" in h
               for h in hits), hits
    assert foreign(seen["requests"]) == [] and seen["errors"] == []
    page.close()


def test_no_trainer_content_on_participant_pages(browser, mini_site: Path, default_site: Path) -> None:
    page = browser.new_page()
    page.goto((mini_site / "en" / "modules" / "01-basics.html").as_uri())
    assert "walnuts" not in page.content() and "Keep the pace brisk" not in page.content()
    page.goto((mini_site / "en" / "trainer" / "01-basics.html").as_uri())
    assert "walnuts" in page.content() and "Keep the pace brisk" in page.content()
    for html in (default_site / "en" / "modules").glob("*.html"):
        text = html.read_text()
        assert 'class="admonition trainer' not in text, html.name
        assert "Facilitation" not in text, html.name
    page.close()


def test_trainer_view_cues_open_the_deck_at_the_slide(browser, default_site: Path) -> None:
    page = browser.new_page()
    page.goto((default_site / "en" / "trainer" / "06-ncpc-roles.html").as_uri())
    assert "Facilitation steps" in page.content()
    page.get_by_role("link", name="▶ Show slide VI-2").first.click()
    wait_until(page, "window.Reveal && Reveal.isReady()")
    assert page.evaluate("Reveal.getCurrentSlide().id") == "VI-2"
    page.close()


def test_checklist_aggregates_the_course(default_site: Path) -> None:
    text = (default_site / "en" / "trainer" / "index.html").read_text()
    for expected in ("Preparation checklist", "Tool cards", "Action plan worksheet",
                     "List of potential expanded roles and opportunities for NCPCs"):
        assert expected in text


def test_downloads_list_every_file_with_its_size(default_site: Path) -> None:
    en = default_site / "en"
    text = (en / "downloads.html").read_text()
    for target in ("handouts/workbook.pdf", "handouts/trainers-guide.pdf", "handouts/06-ncpc-roles.pdf",
                   "slides/06-ncpc-roles.pdf", "slides/06-ncpc-roles-handout.pdf",
                   "slides/06-ncpc-roles.pptx", "slides/06-ncpc-roles.html"):
        assert f'href="{target}"' in text and (en / target).is_file(), target
    zips = list((en / "downloads").glob("*.zip"))
    assert len(zips) == 1 and zips[0].stat().st_size > 100_000
    assert "@@" not in text and " KB" in text


def test_no_external_urls_in_built_assets(default_site: Path) -> None:
    for path in (default_site / "en").rglob("*.html"):
        text = path.read_text()
        for host in ("unpkg.com", "fonts.googleapis", "fonts.gstatic", "cdn.jsdelivr"):
            assert host not in text, (path, host)


@pytest.mark.parametrize("width", [1280, 390])
def test_pages_render_at_desktop_and_phone_width(browser, default_site: Path, width: int,
                                                 tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    for name in ("index.html", "modules/06-ncpc-roles.html", "agenda.html", "trainer/06-ncpc-roles.html"):
        page.goto((default_site / "en" / name).as_uri())
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (name, width, overflow)
        page.screenshot(path=str(tmp_path / f"{name.replace('/', '_')}-{width}.png"))
    page.close()


def test_search_word_is_unique_to_one_activity() -> None:
    from tests.conftest import ROOT

    files = [p for folder in ("course", "modules", "slides", "instructor_notes")
             for p in (ROOT / folder).rglob("*.md")
             if p.name.count(".") == 1 and ONLY_IN_ONE_ACTIVITY in p.read_text().lower()]  # sources
    assert [p.name for p in files] == ["product-cycle-map.md"]


def test_module_page_links_every_format(default_site: Path) -> None:
    page = (default_site / "en" / "modules" / "06-ncpc-roles.html").read_text()
    for target in ("../handouts/06-ncpc-roles.pdf", "../slides/06-ncpc-roles.html", "../slides/06-ncpc-roles.pdf",
                   "../slides/06-ncpc-roles-handout.pdf", "../slides/06-ncpc-roles.pptx"):
        assert f'href="{target}"' in page, target
