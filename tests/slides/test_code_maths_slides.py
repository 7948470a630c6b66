"""Code and maths in the decks: the HTML deck highlights code with the print themes' Pygments
colours and draws formulas with the edition's KaTeX in assets/katex (offline, file:// and http); the slide
PDF and the slide handout draw formulas as images with their LaTeX as alt text."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Served, foreign, wait_until, watch
from tests.pdf.test_code_maths import RAW_TEX, _alts

DECK = "slides/01-basics.html"


@pytest.mark.browser
@pytest.mark.parametrize("how", ["file", "http"])
def test_deck_draws_maths_and_colours_code_offline(browser, maths_site: Path, how: str) -> None:
    server = Served(maths_site) if how == "http" else None
    page = browser.new_page()
    seen = watch(page)
    page.goto(((maths_site / DECK).as_uri() if server is None else f"{server.url}/{DECK}") + "#/B-4")
    wait_until(page, "window.Reveal && Reveal.isReady()")
    wait_until(page, "document.querySelectorAll('#B-4 .arithmatex .katex').length == 2")
    keyword = page.evaluate("getComputedStyle(document.querySelector('#B-4 .highlight .k')).color")
    font = page.evaluate("getComputedStyle(document.querySelector('#B-4 .highlight pre')).fontFamily")
    shown = page.inner_text("#B-4")
    page.close()
    if server:
        server.close()
    assert keyword == "rgb(169, 13, 145)"  # the Pygments style's keyword colour, from reveal/pygments.css
    assert "Mono" in font
    assert "\\frac" not in shown and "$" not in shown
    assert foreign(seen["requests"]) == [] and seen["errors"] == []


@pytest.mark.parametrize("pdf", ["slides/01-basics.pdf", "slides/01-basics-handout.pdf"])
def test_slide_pdfs_draw_the_maths_and_print_the_code(maths_site: Path, pdf: str) -> None:
    text = subprocess.run(["pdftotext", str(maths_site / pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "def energy(mass):" in text
    assert not RAW_TEX.search(text), RAW_TEX.search(text)
    assert {"E = mc^2", "\\frac{a}{b}"} <= set(_alts(maths_site / pdf))
    fonts = subprocess.run(["pdffonts", str(maths_site / pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"DejaVu-Sans-Mono", fonts)
