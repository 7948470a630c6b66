"""The site on both engines, MkDocs + Material and Zensical, from the same site source: the same
pages, a portable source, the participant zip, navigation and search over http and from
file://, no foreign request, no console error, no serious axe violation — and search that
forgives accents (Spanish, French) and Arabic harakat, on both."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from coursebook.render import engines
from tests.a11y.test_accessibility import violations
from tests.conftest import MINI, ROOT, Served, foreign, watch

ENGINES = engines.ENGINES
LANGS = ("en", "es", "fr", "ar")
# the same sentence in the module of every edition (es translated, fr and ar fall back to en)
ACCENTED = "\n\nLa producción limpia ahorra énergie et الطَّاقَةُ الْمُسْتَدَامَةُ.\n"


def _build(base: Path, engine: str) -> Path:
    from coursebook.build import Options, build

    root = base / f"course-{engine}"
    shutil.copytree(MINI, root)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")  # the site source then lies in the repository
    course = root / "course" / "course.yml"
    course.write_text(course.read_text().replace("languages: [es]", "languages: [es, fr, ar]"))
    for name in ("module.md", "module.es.md"):
        module = root / "modules" / "01-basics" / name
        module.write_text(module.read_text() + ACCENTED)
    build(Options(root, outputs=("site",), verbosity=0, engine=engine))
    return root


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixture course in four languages, its site built by each engine (course roots)."""
    base = tmp_path_factory.mktemp("engines")
    return {engine: _build(base, engine) for engine in ENGINES}


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")
            if "assets/" not in p.relative_to(site).as_posix()}


def test_both_engines_build_the_same_pages(built: dict[str, Path]) -> None:
    mkdocs, zensical = (_pages(built[e] / "site") for e in ENGINES)
    assert mkdocs == zensical
    assert {f"{lang}/modules/01-basics.html" for lang in LANGS} <= mkdocs
    assert "ar/trainer/01-basics.html" in zensical


@pytest.mark.parametrize("engine", ENGINES)
def test_zip_is_the_participant_site_and_its_size_is_filled_in(built: dict[str, Path], engine: str) -> None:
    site = built[engine] / "site" / "es"
    [zip_path] = (site / "downloads").glob("*offline.zip")
    names = zipfile.ZipFile(zip_path).namelist()
    assert "modules/01-basics.html" in names and not any(n.startswith("trainer/") for n in names)
    indexes = [site / x for x in engines.SEARCH_INDEXES if (site / x).is_file()]
    assert indexes and all("@@" not in p.read_text() for p in [*indexes, site / "downloads.html"])
    assert re.search(r"\d+ [KM]B", (site / "downloads.html").read_text())


@pytest.mark.parametrize("engine", ENGINES)
def test_site_source_is_portable_and_builds_by_hand(built: dict[str, Path], engine: str,
                                                      tmp_path: Path) -> None:
    work = built[engine] / ".build" / "ar"
    text = (work / "mkdocs.yml").read_text()
    assert str(built[engine]) not in text and not re.search(r"^\s*\w+: /", text, re.M)  # no absolute path
    moved = tmp_path / "repo"  # the whole repository moved elsewhere: the source still builds
    shutil.copytree(built[engine], moved, ignore=shutil.ignore_patterns("site", "site-out"))
    if engine == "mkdocs":
        command = [str(ROOT / ".venv/bin/mkdocs"), "build", "-q", "-f", "mkdocs.yml"]
    else:
        command = [str(ROOT / ".venv/bin/zensical"), "build", "-f", engines.ZENSICAL_CONFIG]
    subprocess.run(command, cwd=moved / ".build" / "ar", check=True, capture_output=True)
    page = (moved / ".build" / "ar" / "site" / "modules" / "01-basics.html").read_text()
    assert 'dir="rtl"' in page and "md-header" in page


@pytest.mark.parametrize("engine", ENGINES)
def test_same_look_on_both_engines(built: dict[str, Path], engine: str) -> None:
    """Course colours (Material's classic look), logo, RTL, KaTeX and code classes."""
    site = built[engine] / "site"
    page = (site / "ar" / "modules" / "01-basics.html").read_text()
    assert 'dir="rtl"' in page and page.count("assets/course.css") == 1 and "katex" in page
    assert 'data-md-color-primary="custom"' in page
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>',
                                  page, re.S).group(1))
    assert config["search"].endswith(".js")  # the search worker is the site's own file


def search(page, word: str, expect: str = "modules/01-basics.html") -> list[str]:
    """Type a word into either engine's search box; the result links, in order, once they hold
    `expect` (or after 15 s). Both engines show results as the word is typed: the first ones
    listed may be a prefix's, so reading them as soon as one shows is a race."""
    if page.locator(".md-search__input").count():  # Material
        page.locator(".md-search__input").first.click()
        results = ".md-search-result__item a"
    else:  # Zensical: a button opens its search dialog (in a shadow root, which locators pierce)
        page.locator(".md-search__button").first.click()
        results = "a[role=option]"
    page.keyboard.type(word)
    page.keyboard.press("End")  # a key up: Playwright types non-ASCII letters as text, Material waits for keyup
    page.locator(results).first.wait_for(timeout=15000)
    deadline = time.monotonic() + 15
    while True:
        hits = page.locator(results).evaluate_all("els => els.map(e => e.href)")
        if any(expect in h for h in hits) or time.monotonic() > deadline:
            return hits
        page.wait_for_timeout(200)


@pytest.mark.browser
@pytest.mark.parametrize("engine", ENGINES)
def test_navigation_and_search_over_http_and_file(browser, built: dict[str, Path], engine: str) -> None:
    site = built[engine] / "site"
    server = Served(site)
    try:
        for base in (server.url, site.as_uri()):
            page = browser.new_page()
            seen = watch(page)
            page.goto(f"{base}/en/index.html")
            page.locator("article a", has_text="Basics").first.click()
            page.wait_for_url("**/modules/01-basics.html")
            hits = search(page, "zebra")  # only in the warm-up activity's instructions
            assert any("modules/01-basics.html" in h for h in hits), (base, hits)
            assert foreign(seen["requests"]) == [] and seen["errors"] == [], (base, seen)
            page.close()
    finally:
        server.close()


QUERIES = [("es", "produccion"), ("es", "producción"), ("fr", "energie"), ("fr", "énergie"),
           ("ar", "المستدامة"), ("ar", "الْمُسْتَدَامَةُ")]


@pytest.mark.browser
@pytest.mark.parametrize("engine", ENGINES)
def test_search_forgives_accents_and_harakat(browser, built: dict[str, Path], engine: str) -> None:
    site = built[engine] / "site"
    page = browser.new_page()
    missed = []
    for lang, word in QUERIES:
        page.goto((site / lang / "index.html").as_uri())
        try:
            hits = search(page, word)
        except Exception:  # noqa: BLE001 - no result at all
            hits = []
        if not any("modules/01-basics.html" in h for h in hits):
            missed.append((lang, word, hits))
    page.close()
    assert missed == []


def test_folding() -> None:
    assert engines.fold("Producción ÉNERGIE") == "Produccion ENERGIE"
    assert engines.folded_words("<p>La producción, l'énergie</p>") == ["produccion", "energie"]
    assert engines.folded_words("الْمَاءُ أَكْثَر") == ["الماء", "اكثر"]
    assert engines.folded_words("plain words only") == []


@pytest.mark.browser
@pytest.mark.parametrize("engine", ENGINES)
def test_no_serious_accessibility_violations(browser, built: dict[str, Path], engine: str) -> None:
    site = built[engine] / "site"
    page = browser.new_page()
    found = {}
    for lang in ("en", "ar"):
        for rel in ("index.html", "agenda.html", "modules/01-basics.html", "trainer/01-basics.html",
                    "downloads.html"):
            problems = violations(page, (site / lang / rel).as_uri())
            if problems:
                found[f"{lang}/{rel}"] = problems
    page.close()
    assert found == {}


def test_engine_setting_is_checked_and_the_command_line_overrides_it(mini: Path) -> None:
    from coursebook.build import Options, load_courses
    from coursebook.cli import parser
    from coursebook.diagnostics import CourseError

    course = mini / "course" / "course.yml"
    text = course.read_text()
    course.write_text(text + "engine: zensical\n")
    assert load_courses(Options(mini))[0].config.engine == "zensical"
    course.write_text(text + "engine: hugo\n")
    with pytest.raises(CourseError) as failed:
        load_courses(Options(mini))
    [problem] = failed.value.diagnostics
    assert problem.file.endswith("course.yml") and problem.line == len(text.splitlines()) + 1, problem
    assert parser().parse_args(["--engine", "zensical"]).engine == "zensical"
    assert parser().parse_args(["build", "--engine", "mkdocs"]).engine == "mkdocs"
    with pytest.raises(SystemExit):
        parser().parse_args(["--engine", "hugo"])
