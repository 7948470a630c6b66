"""A long course's navigation: its modules grouped by the agenda day each starts on, and each
page holding its own day's modules and one link per other day (`navigation.prune`), so a
page's size does not grow with the whole course. A short course keeps its flat list."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
import yaml

from bench.make_course import make_course
from coursebook.build import Options, build
from coursebook.render.site import NAV_GROUPED
from tests.conftest import Served, foreign, watch

pytestmark = pytest.mark.browser
MODULES = NAV_GROUPED + 3  # 40 minutes each, ten and a half a day: two days


@pytest.fixture(scope="module")
def long_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_course(tmp_path_factory.mktemp("long") / "course-repo", MODULES, ["en", "es"])
    build(Options(root, languages=["en", "es"], outputs=("site",), verbosity=0))
    return root


def _config(root: Path, lang: str) -> dict:
    """The site config the build generated for `lang`."""
    return yaml.safe_load((root / ".build" / lang / "mkdocs.yml").read_text(encoding="utf-8"))


def _nav(root: Path, lang: str) -> list:
    return _config(root, lang)["nav"]


def _section(nav: list, title: str) -> list:
    return next(item[title] for item in nav if isinstance(item, dict) and title in item)


def test_modules_and_trainer_pages_are_listed_by_day(long_course: Path) -> None:
    nav = _nav(long_course, "en")
    days = _section(nav, "Modules")
    assert [next(iter(d)) for d in days] == ["Day 1 · M1–M11", f"Day 2 · M12–M{MODULES}"]
    listed = [page for day in days for item in next(iter(day.values())) for page in item.values()]
    assert listed == [f"modules/{n:03d}-topic-{n}.md" for n in range(1, MODULES + 1)]  # each once, in order
    trainer = _section(nav, "Trainer view")
    assert trainer[0] == {"Preparation checklist": "trainer/index.md"}
    assert [next(iter(d)) for d in trainer[1:]] == [next(iter(d)) for d in days]
    assert [next(iter(d)) for d in _section(_nav(long_course, "es"), "Módulos")][0] == "Día 1 · M1–M11"
    assert "navigation.prune" in _config(long_course, "en")["theme"]["features"]


def test_a_page_holds_its_own_day_and_one_link_per_other_day(long_course: Path) -> None:
    page = (long_course / "site" / "en" / "modules" / "015-topic-15.html").read_text(encoding="utf-8")
    nav = page[page.index('<nav class="md-nav md-nav--primary"'):page.index('<div class="md-content"')]
    linked = {posixpath.normpath(posixpath.join("modules", x)) for x in re.findall(r'href="([^"#:]+\.html)"', nav)}
    assert {f"modules/{n:03d}-topic-{n}.html" for n in range(12, MODULES + 1)} <= linked  # its own day
    assert "modules/002-topic-2.html" not in linked  # another day: pruned
    assert "modules/001-topic-1.html" in linked  # that day's link leads to its first module
    assert "trainer/012-topic-12.html" in linked and "trainer/013-topic-13.html" not in linked


def test_a_short_course_keeps_its_flat_list(mini_site: Path) -> None:
    config = _config(mini_site.parent, "en")
    assert _section(config["nav"], "Modules") == [{"B. Basics": "modules/01-basics.md"}]
    assert "navigation.prune" not in (config["theme"].get("features") or [])


def test_another_day_opens_from_its_link_in_chromium(browser, long_course: Path) -> None:
    server = Served(long_course / "site")
    page = browser.new_page()
    seen = watch(page)
    try:
        page.goto(f"{server.url}/en/modules/015-topic-15.html")
        sidebar = page.locator(".md-sidebar--primary")
        assert sidebar.get_by_role("link", name="M13. Topic 13").first.is_visible()
        assert sidebar.get_by_role("link", name="M3. Topic 3").count() == 0
        sidebar.get_by_role("link", name="Day 1 · M1–M11").first.click()
        page.wait_for_url("**/modules/001-topic-1.html")
        assert page.locator("h1").inner_text() == "M1. Topic 1"
        assert page.locator(".md-sidebar--primary").get_by_role("link", name="M3. Topic 3").first.is_visible()
    finally:
        page.close()
        server.close()
    assert not foreign(seen["requests"]) and not seen["errors"]
