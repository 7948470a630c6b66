"""The translators' page: coverage, stale blocks and the glossary, every value escaped."""

from __future__ import annotations

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
    # title and two list items translated from other versions; grouping, materials, output missing
    assert "| modules/01-basics/activities/warm-up.md | desactualizado | 0 | 3 | 3 |" in page
    assert "| instructor&#95;notes/01-basics.md | sin traducir | 0 | 0 | 7 |" in page
    assert "- **modules/01-basics/activities/warm-up.es.md:6** — Talk with your neighbour" in page
    assert "<script>" not in page and "](javascript" not in page and "a|b" not in page
    html = markdown.markdown(page, extensions=["tables"])
    assert "<script>" not in html and "<a " not in html  # shown as text, not a link
    assert "<td>a&#124;b &lt;script&gt;x&lt;/script&gt;</td>" in html  # one cell: the bar did not split it
