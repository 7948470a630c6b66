"""Maths on the site: KaTeX, copied into each edition (no CDN), draws every formula of a page
from file:// and over http, with MathML for screen readers; the course's own extra CSS stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Served, foreign, wait_until, watch

pytestmark = pytest.mark.browser
PAGE = "modules/01-basics.html"


@pytest.fixture(scope="module")
def served(maths_site: Path):
    server = Served(maths_site)
    yield server.url
    server.close()


def test_katex_ships_with_the_edition(maths_site: Path) -> None:
    katex = maths_site / "assets" / "katex"
    assert (katex / "katex.min.js").is_file() and (katex / "katex.min.css").is_file()
    assert len(list((katex / "fonts").glob("KaTeX_Main-*.woff2"))) >= 3
    html = (maths_site / PAGE).read_text()
    for asset in ("assets/course.css", "assets/katex/katex.min.css", "assets/katex/katex.min.js",
                  "assets/katex/render-maths.js"):
        assert f'{asset}"' in html, asset  # the course's own CSS kept, KaTeX added
    assert "cdn" not in html.lower()


@pytest.mark.parametrize("how", ["file", "http"])
def test_formulas_are_drawn_offline_with_a_text_alternative(browser, maths_site: Path, served: str, how: str) -> None:
    page = browser.new_page()
    seen = watch(page)
    page.goto((maths_site / PAGE).as_uri() if how == "file" else f"{served}/{PAGE}")
    wait_until(page, "document.querySelectorAll('.arithmatex .katex').length >= 2")
    maths = page.evaluate("""() => Array.from(document.querySelectorAll('.arithmatex')).map(el => ({
        display: !!el.querySelector('.katex-display'),
        tex: (el.querySelector('annotation[encoding="application/x-tex"]') || {}).textContent,
        mathml: !!el.querySelector('math'), error: !!el.querySelector('.katex-error')}))""")
    fonts = page.evaluate("document.fonts.ready.then(() => document.fonts.check('16px KaTeX_Main'))")
    article = page.inner_text("article")
    page.close()
    assert [(m["display"], m["tex"].strip()) for m in maths] == [(False, "E = mc^2"), (True, "\\frac{a}{b}")]
    assert all(m["mathml"] and not m["error"] for m in maths)  # screen readers read the MathML
    assert fonts
    assert "\\frac" not in article and "\\(" not in article
    assert "costs $5 and $6" in article  # dollars that are not maths stay as written
    assert foreign(seen["requests"]) == [] and seen["errors"] == []


def test_code_keeps_the_sites_highlighting(maths_site: Path) -> None:
    import lxml.html

    tree = lxml.html.fromstring((maths_site / PAGE).read_bytes())
    keywords = [k.text for k in tree.xpath("//div[contains(@class, 'highlight')]//span[@class='k']")]
    assert "def" in keywords and "return" in keywords


@pytest.mark.parametrize("rel", [PAGE, "slides/01-basics.html"])
def test_maths_and_code_pass_axe(browser, maths_site: Path, rel: str) -> None:
    from tests.a11y.test_accessibility import AXE, TAGS

    page = browser.new_page()
    page.goto((maths_site / rel).as_uri())
    wait_until(page, "document.querySelectorAll('.arithmatex .katex').length >= 2")
    page.add_script_tag(url=AXE.as_uri())  # a file, not inline: the pages' CSP allows no inline script
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    page.close()
    assert [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]
            if v["impact"] in ("serious", "critical")] == []
