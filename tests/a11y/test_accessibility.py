"""Accessibility (WCAG 2.1 AA): axe-core in Chromium on every page and deck of the default
course in every language, a keyboard-only walk, and the PDFs' structure and language."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import ROOT, wait_until

pytestmark = pytest.mark.browser
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pages(site: Path) -> list[Path]:
    found = [p for p in site.glob("*/**/*.html") if "/reveal/" not in p.as_posix() and p.name != "404.html"]
    return sorted(found)


def violations(page, url: str) -> list[str]:
    page.goto(url)
    if "/slides/" in url:
        wait_until(page, "window.Reveal && Reveal.isReady()")
    page.add_script_tag(url=AXE.as_uri())  # a file, not inline: the pages' CSP allows no inline script
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {n['target']}"
            for v in result["violations"] if v["impact"] in ("serious", "critical") for n in v["nodes"][:3]]


def test_no_serious_violations_on_any_page_or_deck(browser, default_site: Path) -> None:
    page = browser.new_page()
    found: dict[str, list[str]] = {}
    checked = pages(default_site)
    assert len(checked) > 20
    for path in checked:
        problems = violations(page, path.as_uri())
        if problems:
            found[path.relative_to(default_site).as_posix()] = problems
    page.close()
    assert found == {}


def test_every_page_declares_its_language(default_site: Path) -> None:
    for path in pages(default_site):
        lang = path.relative_to(default_site).parts[0]
        assert f'<html lang="{lang}"' in path.read_text()[:400], path


def test_keyboard_only_walk(browser, default_site: Path) -> None:
    page = browser.new_page()
    page.goto((default_site / "en" / "index.html").as_uri())

    def tab_to(text: str, limit: int = 250) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            active = page.evaluate("document.activeElement.tagName === 'A' ? document.activeElement.innerText : ''")
            if active.strip() == text:
                return
        raise AssertionError(f"could not reach {text!r} with the Tab key")

    page.keyboard.press("Tab")
    assert "Skip to content" in page.evaluate("document.activeElement.innerText")
    tab_to("VI. Roles and opportunities for NCPCs")  # the first one is in the navigation
    page.keyboard.press("Enter")
    page.wait_for_url("**/modules/06-ncpc-roles.html")
    tab_to("NCPC roles and opportunities")
    page.keyboard.press("Enter")
    assert page.url.endswith("#activity-ncpc-roles")
    tab_to("Slides (web)")
    page.keyboard.press("Enter")
    page.wait_for_url("**/slides/06-ncpc-roles.html*")
    wait_until(page, "window.Reveal && Reveal.isReady()")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("Reveal.getCurrentSlide().id") == "VI-2"
    page.close()


def test_pdfs_are_tagged_with_language_and_title(default_site: Path) -> None:
    for pdf in [*(default_site / "en" / "handouts").glob("*.pdf"), *(default_site / "en" / "slides").glob("*.pdf")]:
        reader = PdfReader(pdf)
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root, pdf.name
        assert bool(root["/MarkInfo"]["/Marked"]), pdf.name
        assert root["/Lang"] == "en", pdf.name
        assert reader.metadata.title, pdf.name


def test_dark_palette_contrast(browser, default_site: Path) -> None:
    page = browser.new_page(color_scheme="dark")
    found = {}
    for name in ("index.html", "modules/06-ncpc-roles.html", "agenda.html", "trainer/06-ncpc-roles.html",
                 "downloads.html", "readings/asia-pacific-seoul-2003.html"):
        page.goto((default_site / "en" / name).as_uri())
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        page.add_script_tag(url=AXE.as_uri())  # a file: the page's CSP refuses inline scripts
        result = page.evaluate("() => axe.run(document, {runOnly: {type: 'rule', values: ['color-contrast']}})")
        bad = [n["target"] for v in result["violations"] for n in v["nodes"]]
        if bad:
            found[name] = bad[:5]
    page.close()
    assert found == {}
