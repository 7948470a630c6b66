"""Trainer-only text at any depth: a `!!! trainer` block at every nesting level of a module, an
activity, a reading and a slide never reaches a participant output (site pages, search index,
handout, workbook, decks in HTML, PDF and PowerPoint, the offline zip), and is in the trainer
page and the trainer's guide."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from coursebook.build import Options, build
from coursebook.markdown import Markdown, trainer_blocks, trainer_view
from tests.build.readback import pdf_text, pptx_text
from tests.conftest import MINI, ROOT


def nested(tag: str) -> str:
    """Markdown with a trainer block at every depth; each marker is `<tag><LEVEL>`."""
    return f"""
Participant text {tag}VISIBLE.

!!! trainer "Top"
    {tag}TOPLEVEL

- A list item

    !!! trainer
        {tag}LISTITEM

!!! note "A note"
    Note text.

    !!! trainer
        {tag}INNOTE

### Exercise

What is two and two?

??? solution "Solution"
    Four.

    !!! trainer
        {tag}INSOLUTION

=== "A"

    Tab A text.

    !!! trainer
        {tag}INTAB

=== "B"

    Tab B text.

<div markdown>

!!! trainer
    {tag}INDIV

</div>

<div class="trainer" markdown>
{tag}TRAINERDIV
</div>

!!! note
    ??? info "Inner"
        !!! trainer
            {tag}TWODEEP

???+ trainer "Open"
    {tag}OPENDETAILS
"""


LEVELS = ["TOPLEVEL", "LISTITEM", "INNOTE", "INSOLUTION", "INTAB", "INDIV", "TRAINERDIV", "TWODEEP",
          "OPENDETAILS"]
TAGS = {"MODX": "module", "ACTX": "activity", "READX": "reading"}
MARKERS = [tag + level for tag in TAGS for level in LEVELS]
SLIDE_MARKERS = ["SLIDEXTOPLEVEL", "SLIDEXINNOTE"]


def test_the_markdown_pipeline_drops_every_level_and_trainer_view_keeps_it() -> None:
    md = Markdown(ROOT)
    html = md.html(nested("MODX"))
    assert "MODXVISIBLE" in html and "Four." in html
    assert not [m for m in MARKERS[:len(LEVELS)] if m in html]
    shown = md.html(trainer_view(nested("MODX"), "For trainers only"))
    assert all(m in shown for m in MARKERS[:len(LEVELS)])
    assert 'class="admonition trainer-note"' in shown
    blocks = "\n".join(trainer_blocks(nested("MODX")))
    assert all(m in blocks for m in MARKERS[:len(LEVELS)])
    assert all(not b.startswith(" ") for b in trainer_blocks(nested("MODX")))  # dedented


def test_a_footnote_defined_in_a_trainer_block_goes_with_it() -> None:
    text = "Public[^p].\n\n!!! trainer\n    Secret[^s].\n\n    [^s]: FOOTSECRET\n\n[^p]: Public note.\n"
    md = Markdown(ROOT)
    html = md.html(text)
    assert "Public note." in html and "FOOTSECRET" not in html
    assert '<li id="fn:p" value="2">' in html  # numbered as its reference says
    assert "FOOTSECRET" in md.html(trainer_view(text))


def test_a_course_mkdocs_yml_without_the_extension_still_drops_trainer_text(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nmarkdown_extensions:\n  - admonition\n")
    html = Markdown(tmp_path).html("!!! note\n    ok\n\n    !!! trainer\n        HIDDEN\n")
    assert "ok" in html and "HIDDEN" not in html


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("depth") / "course-repo"
    shutil.copytree(MINI, root)
    module = root / "modules" / "01-basics" / "module.md"
    module.write_text(module.read_text() + nested("MODX"))
    activity = root / "modules" / "01-basics" / "activities" / "warm-up.md"
    activity.write_text(activity.read_text() + nested("ACTX"))
    reading = root / "course" / "readings" / "case.md"
    reading.write_text(reading.read_text() + nested("READX"))
    deck = root / "slides" / "01-basics.md"
    deck.write_text(deck.read_text().replace("- A point\n", "- A point\n\n!!! trainer\n    SLIDEXTOPLEVEL\n\n"
                                             "!!! note\n    Seen\n\n    !!! trainer\n        SLIDEXINNOTE\n"))
    # a course whose own mkdocs.yml lacks the extension: the engine adds it
    config = (ROOT / "mkdocs.yml").read_text().replace("  - coursebook.mdx_trainer", "  - pymdownx.keys")
    assert "coursebook.mdx_trainer" not in config
    (root / "mkdocs.yml").write_text(config)
    build(Options(root, languages=["en"], verbosity=0))
    return root / "site" / "en"


def leaked(text: str, markers: list[str]) -> list[str]:
    return [m for m in markers if m in text]


def trainer_file(rel: str) -> bool:
    return rel.startswith("trainer/") or rel.endswith("trainers-guide.pdf")


def test_no_participant_page_has_trainer_text(built: Path) -> None:
    pages = [p for p in built.rglob("*.html") if not trainer_file(p.relative_to(built).as_posix())]
    assert len(pages) > 5
    module_page = (built / "modules" / "01-basics.html").read_text()
    assert "MODXVISIBLE" in module_page and "ACTXVISIBLE" in module_page  # the text is there
    assert "READXVISIBLE" in (built / "readings" / "case.html").read_text()
    for page in pages:
        assert leaked(page.read_text(encoding="utf-8"), MARKERS + SLIDE_MARKERS) == [], page


def test_search_index_has_no_trainer_text(built: Path) -> None:
    docs = json.loads((built / "search" / "search_index.json").read_text())["docs"]
    participant = [d for d in docs if not d["location"].startswith("trainer/")]
    text = json.dumps(participant)
    assert "MODXVISIBLE" in text and "READXVISIBLE" in text
    assert leaked(text, MARKERS) == []


def test_participant_pdfs_and_decks_have_no_trainer_text(built: Path) -> None:
    handout, workbook = built / "handouts" / "01-basics.pdf", built / "handouts" / "workbook.pdf"
    assert "MODXVISIBLE" in pdf_text(handout) and "READXVISIBLE" in pdf_text(workbook)
    for pdf in (handout, workbook, built / "slides" / "01-basics.pdf", built / "slides" / "01-basics-handout.pdf"):
        assert leaked(pdf_text(pdf), MARKERS + SLIDE_MARKERS) == [], pdf.name
    deck = (built / "slides" / "01-basics.html").read_text()
    assert "Seen" in deck and leaked(deck, SLIDE_MARKERS) == []
    pptx = pptx_text(built / "slides" / "01-basics.pptx")
    assert "Seen" in pptx and leaked(pptx, SLIDE_MARKERS) == []


def test_offline_zip_is_the_participant_site(built: Path, tmp_path: Path) -> None:
    """The zip handed out on USB sticks: no trainer page, no guide, no trainer text in any
    member, no link to a trainer page; the participant pages and files are all there."""
    zips = list(built.rglob("*.zip"))
    assert len(zips) == 1
    with zipfile.ZipFile(zips[0]) as zf:
        names = zf.namelist()
        assert {"modules/01-basics.html", "handouts/01-basics.pdf", "handouts/workbook.pdf",
                "slides/01-basics.pptx", "search/search_index.json"} <= set(names)
        assert [n for n in names if trainer_file(n)] == []
        for name in names:
            data = zf.read(name)
            if name.endswith(".pdf"):
                (tmp_path / "x.pdf").write_bytes(data)
                text = pdf_text(tmp_path / "x.pdf")
            elif name.endswith(".pptx"):
                (tmp_path / "x.pptx").write_bytes(data)
                text = pptx_text(tmp_path / "x.pptx")
            else:
                text = data.decode("utf-8", "replace")
            assert leaked(text, MARKERS + SLIDE_MARKERS + ["walnuts"]) == [], name
            assert "trainer/" not in text and "trainers-guide" not in text, name
        home = zf.read("index.html").decode()
    assert "Agenda</a> · " in home and " ·  · " not in home  # the link line closed up
    site_home = (built / "index.html").read_text()
    assert "trainer/index.html" in site_home  # the published site keeps the trainer view


def test_trainer_outputs_have_every_marker(built: Path) -> None:
    page = (built / "trainer" / "01-basics.html").read_text()
    guide = pdf_text(built / "handouts" / "trainers-guide.pdf")
    wanted = [m for m in MARKERS if not m.startswith("READX")]  # readings have no trainer output
    assert [m for m in wanted if m not in page] == []
    assert [m for m in wanted if m not in guide] == []
    assert "walnuts" in page and "walnuts" in guide  # the fixture's own trainer note
    assert 'class="admonition trainer-note"' in page
