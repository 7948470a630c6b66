"""The site of the small fixture course: what each page must hold, that the site source is a
plain MkDocs project, the offline zip, and search and navigation in Chromium over http and
from file:// — on a course whose every word is known, so the assertions are exact."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.conftest import foreign, watch

from .test_site import search

pytestmark = pytest.mark.browser


def html(site: Path, rel: str, lang: str = "en") -> str:
    return (site / lang / rel).read_text(encoding="utf-8")


def test_module_page_has_everything_a_participant_needs(mini_site: Path) -> None:
    page = html(mini_site, "modules/01-basics.html")
    for text in ("B. Basics", "1 h 15 min", "Understand the basics", "Participants read this",
                 "Basics matter", "Pairs", "Paper", "A list of three ideas", "Talk with your neighbour"):
        assert text in page, text
    for target in ("../handouts/01-basics.pdf", "../slides/01-basics.html", "../slides/01-basics.pdf",
                   "../slides/01-basics.pptx", "../readings/case.html", "01-basics.html#activity-warm-up",
                   "../trainer/01-basics.html"):
        assert f'href="{target}"' in page, target
    assert '<a href="../slides/01-basics.html#/B-2">slide B-2</a>' in page
    assert 'id="activity-warm-up"' in page


def test_participant_pages_hold_no_trainer_text(mini_site: Path) -> None:
    for lang in ("en", "es"):
        for path in (mini_site / lang).rglob("*.html"):
            if "trainer" in path.relative_to(mini_site / lang).parts:
                continue
            text = path.read_text(encoding="utf-8")
            assert "walnuts" not in text and "Keep the pace brisk" not in text, path
    assert "walnuts" in html(mini_site, "trainer/01-basics.html")


def test_trainer_page_times_every_step_from_the_agenda(mini_site: Path) -> None:
    page = html(mini_site, "trainer/01-basics.html")
    assert page.index("<td>09:00</td>") < page.index("<td>09:30</td>")
    assert '<a href="../slides/01-basics.html#/B-2">' in page  # the step's slide cue
    for text in ("Keep the pace brisk", "walnuts", "Pairs of chairs", "Worksheet", "Run the warm-up"):
        assert text in page, text
    assert 'href="../modules/01-basics.html#activity-warm-up"' in page  # the activity's instructions


def test_checklist_combines_every_module(mini_site: Path) -> None:
    page = html(mini_site, "trainer/index.html")
    for text in ("Preparation checklist", "10 min", "Pairs of chairs", "Worksheet (B)",
                 "Flip chart (B)", "Paper (B)"):  # materials of the notes and of the activities
        assert text in page, text
    assert page.count('class="checklist"') == 2


def test_home_links_the_course_together(mini_site: Path) -> None:
    page = html(mini_site, "index.html")
    assert "This mini course has one module" in page and "1 h 15 min" in page
    for target in ("modules/01-basics.html", "agenda.html", "readings/index.html", "trainer/index.html",
                   "downloads.html"):
        assert f'href="{target}"' in page, target


def test_agenda_links_every_part_and_adds_up(mini_site: Path) -> None:
    page = html(mini_site, "agenda.html")
    assert 'class="timetable"' in page
    assert "09:00–09:30" in page and "09:30–10:15" in page and "Total: 1 h 15 min (09:00–10:15)" in page
    assert 'href="modules/01-basics.html#activity-warm-up"' in page
    assert "admonition warning" not in page


def test_a_day_that_overruns_shows_a_warning(overrun_site: Path) -> None:
    page = html(overrun_site, "agenda.html")
    assert "admonition warning" in page
    assert "This day overruns its planned end (12:00) by 35 minutes." in page
    assert "Coffee" in page


def test_site_source_builds_with_plain_mkdocs(mini_site: Path, tmp_path: Path) -> None:
    config_path = mini_site.parent / ".build" / "en" / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text())
    assert Path(config["INHERIT"]).name == "mkdocs.yml" and config["theme"]["language"] == "en"
    assert "plugins" not in config  # only the inherited ones: Material's search and offline
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_path),
                    "-d", str(tmp_path)], check=True)
    assert "Talk with your neighbour" in (tmp_path / "modules" / "01-basics.html").read_text()


def test_root_page_sends_visitors_to_the_source_language(browser, mini_site: Path) -> None:
    page = browser.new_page()
    page.goto((mini_site / "index.html").as_uri())
    page.wait_for_url("**/en/index.html")
    assert page.locator("h1").inner_text() == "Welcome"
    page.close()


def test_offline_zip_holds_the_whole_site_and_is_deterministic(mini_site: Path) -> None:
    zips = list((mini_site / "en" / "downloads").glob("*.zip"))
    assert [z.name for z in zips] == ["mini-course-en-offline.zip"]
    with zipfile.ZipFile(zips[0]) as zf:
        infos = zf.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names) and {i.date_time for i in infos} == {(2020, 1, 1, 0, 0, 0)}
    for expected in ("index.html", "modules/01-basics.html", "handouts/01-basics.pdf",
                     "slides/01-basics.html", "assets/javascripts/iframe-worker.js"):
        assert expected in names, expected
    assert not any(n.endswith(".zip") for n in names)
    page = html(mini_site, "downloads.html")
    assert 'href="downloads/mini-course-en-offline.zip"' in page and "@@" not in page
    assert "@@" not in html(mini_site, "search/search_index.json")


def test_navigation_home_module_activity_over_http(browser, served_mini: str) -> None:
    page = browser.new_page()
    seen = watch(page)
    page.goto(f"{served_mini}/en/index.html")
    page.locator("article").get_by_role("link", name="B. Basics").first.click()
    page.wait_for_url("**/en/modules/01-basics.html")
    page.locator("article").get_by_role("link", name="Warm-up").first.click()
    assert page.url.endswith("#activity-warm-up")
    assert page.locator("#activity-warm-up").is_visible()
    page.go_back()
    page.goto(f"{served_mini}/en/trainer/01-basics.html")
    assert "walnuts" in page.content()
    assert foreign(seen["requests"]) == [] and seen["errors"] == []
    assert any(u.startswith(served_mini) for u in seen["requests"])  # the tracking does see requests
    page.close()


@pytest.mark.parametrize("over", ["http", "file"])
def test_search_finds_the_one_activity_with_a_word(browser, mini_site: Path, served_mini: str,
                                                    over: str) -> None:
    page = browser.new_page()
    seen = watch(page)
    start = f"{served_mini}/en/index.html" if over == "http" else (mini_site / "en" / "index.html").as_uri()
    page.goto(start)
    hits = search(page, "zebra")  # only in the warm-up activity's instructions
    assert any(h.split("?")[0].endswith("modules/01-basics.html") and "#activity-warm-up" in h
               for h in hits), hits
    assert not any("trainer/" in h for h in hits)
    assert foreign(seen["requests"]) == [] and seen["errors"] == []
    page.close()


def test_language_switcher_opens_the_other_edition(browser, mini_site: Path) -> None:
    page = browser.new_page()
    seen = watch(page)
    page.goto((mini_site / "en" / "modules" / "01-basics.html").as_uri())
    href = page.locator('a.md-select__link[hreflang="es"]').get_attribute("href")
    page.goto(page.url.rsplit("/", 1)[0] + "/" + href)
    assert page.url.endswith("/es/index.html") and page.locator("html").get_attribute("lang") == "es"
    assert seen["errors"] == []
    page.close()
