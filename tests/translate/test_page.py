"""The translators' page: coverage, stale blocks and the glossary, every value escaped."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import markdown

from coursebook.build import Options, load_courses
from coursebook.i18n import Strings
from coursebook.render.site_translators import translators_page

from ..conftest import write


def test_page_lists_files_stale_blocks_and_glossary(mini: Path) -> None:
    write(mini, "modules/01-basics/activities/warm-up.es.md", """\
        ---
        title: Calentamiento
        translation_blocks: >-
          00000000 11111111 22222222
        ---
        1. Hable con su vecino sobre una cebra.
        2. Escriba tres ideas.
        """)
    (mini / "course" / "glossary.yml").write_text('- term: "a|b <script>x</script>"\n  es: "[x](javascript:y)"\n',
                                                  encoding="utf-8")
    course = load_courses(Options(mini, languages=["es"], verbosity=0))[0]
    page = translators_page(course, Strings(mini, "es", "en"))
    html = markdown.markdown(page, extensions=["tables"])
    rows = _rows(html)
    # title and two list items translated from other versions; grouping, materials, output missing
    assert ["modules/01-basics/activities/warm-up.md", "desactualizado", "0", "3", "3"] in rows
    assert ["instructor_notes/01-basics.md", "sin traducir", "0", "0", "7"] in rows
    assert "- **modules/01-basics/activities/warm-up.es.md:6** — Talk with your neighbour" in page
    assert "<script>" not in page and "<script>" not in html and "<a " not in html  # text, not a link
    assert ["a|b <script>x</script>", "[x](javascript:y)", ""] in rows  # one cell each: the bar split none
    assert '<td style="text-align: right;">7</td>' in html  # counts aligned as numbers


def _rows(html: str) -> list[list[str]]:
    """Each table row's cells, as text."""
    return [[unescape(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr)]
            for tr in re.findall(r"<tr>(.*?)</tr>", html, re.S)]


def test_page_lists_the_first_stale_blocks_and_counts_all(mini: Path) -> None:
    """More stale blocks than the page lists: the first ones in file order, then how many
    more — as from every file's stale blocks, though the page reads only the first files'."""
    from coursebook.status import block_status

    for name, n in (("a-extra", 30), ("b-extra", 30), ("c-extra", 4)):
        paragraphs = "\n\n".join(f"Paragraph {i} of {name}." for i in range(n))
        translated = "\n\n".join(f"Párrafo {i} de {name}." for i in range(n))
        write(mini, f"course/{name}.md", f"---\ntitle: {name}\norder: 5\n---\n{paragraphs}\n")
        write(mini, f"course/{name}.es.md", f"---\ntitle: {name} es\n---\n{translated}\n")  # no record: stale
    options = Options(mini, languages=["es"], verbosity=0)
    course = load_courses(options)[0]
    page = translators_page(course, Strings(mini, "es", "en"), options.sources)
    every = [f"- **{f.translation}:{tr.line}** — " for f in block_status(options.sources, ["es"])
             for _, tr, _ in f.stale]
    assert len(every) > 60
    listed = [line for line in page.split("\n") if line.startswith("- **")]
    assert [line.split(" — ")[0] + " — " for line in listed] == every[:50]
    assert f"- … {len(every) - 50}" in page
