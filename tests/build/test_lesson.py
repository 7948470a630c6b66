"""A real published lesson, built into every output and read back.

`tests/fixtures/lesson` is Software Carpentry's *The Unix Shell* (CC BY 4.0, first four
episodes), converted once by `scripts/import_carpentries.py`. Its text was written by other
people for another tool, so it finds what a hand-made fixture does not: long alt texts,
SVGs sized in millimetres, challenges with solutions, instructor notes inside them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import lxml.html
import pytest

from coursebook.build import Options, build, load_courses
from coursebook.cli import main
from tests.build.readback import (
    broken,
    images,
    leaving,
    participant_files,
    pdf_image_count,
    pdf_text,
    pptx_slides,
    readable,
    unzip,
)
from tests.conftest import LESSON, MINI

MODULES = ["01-intro", "02-filedir", "03-create", "04-pipefilter"]
IMG = (("img", "src"),)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def trainer_phrases() -> list[str]:
    """The opening words of every trainer-only text of the lesson: its `!!! trainer` blocks (at
    any depth) and the instructor notes files."""
    phrases = []
    for md in sorted((LESSON / "modules").glob("*/module.md")):
        lines = md.read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(lines):
            if re.match(r"^\s*(?:!!!|\?\?\?\+?)\s+trainer\b", line):
                body = next(x for x in lines[i + 1:] if x.strip())
                phrases.append(" ".join(re.sub(r"[`*\[\]]|\(.*?\)", "", body).split()[:6]))
    notes = (LESSON / "instructor_notes" / "01-intro.md").read_text(encoding="utf-8")
    phrases.append("Many people have questioned whether we should still teach the shell.")
    assert phrases[-1] in squash(notes)
    return phrases


@pytest.fixture(scope="module")
def course(lesson_site: Path):
    return load_courses(Options(lesson_site.parent))[0]


def test_the_lesson_checks_without_errors(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    root = tmp_path / "lesson"  # a copy: check keeps what it derived in the course's .build/
    shutil.copytree(LESSON, root, ignore=shutil.ignore_patterns(".build"))
    assert main(["check", "--root", str(root)]) == 0, capsys.readouterr().out


def test_licence_and_attribution_kept() -> None:
    assert "CC BY 4.0" in (LESSON / "course" / "course.yml").read_text(encoding="utf-8")
    assert "Creative Commons" in (LESSON / "LICENSE.md").read_text(encoding="utf-8")
    home = (LESSON / "course" / "index.md").read_text(encoding="utf-8")
    assert "The Carpentries" in home and "github.com/swcarpentry/shell-novice" in home and "Changes:" in home
    assert sum(p.stat().st_size for p in LESSON.rglob("*") if p.is_file()) < 2_000_000


# ---- every output, read back ----

def test_every_output_exists_and_every_pdf_has_text(lesson_site: Path) -> None:
    site = lesson_site / "en"
    for slug in MODULES:
        for rel in (f"modules/{slug}.html", f"trainer/{slug}.html", f"handouts/{slug}.pdf",
                    f"slides/{slug}.html", f"slides/{slug}.pdf", f"slides/{slug}.pptx"):
            assert (site / rel).is_file(), rel
    empty = [p.name for p in site.rglob("*.pdf") if len(pdf_text(p).split()) < 20]
    assert empty == []


def test_every_image_and_relative_link_resolves(lesson_site: Path) -> None:
    site = lesson_site / "en"
    assert broken(site, IMG) == []
    assert broken(site) == []
    assert len(images(site / "modules" / "02-filedir.html")) >= 5


def test_offline_zip_images_and_links_resolve(lesson_site: Path) -> None:
    unpacked = unzip(next((lesson_site / "en" / "downloads").glob("*-offline.zip")))
    assert broken(unpacked, IMG, inside=unpacked) == []
    assert broken(unpacked, inside=unpacked) == []
    assert leaving(unpacked) == []  # one language: nothing outside the zip to link to


def test_the_lesson_data_ships(lesson_site: Path) -> None:
    setup = lesson_site / "en" / "setup.html"
    hrefs = [a.get("href") for a in lxml.html.fromstring(setup.read_bytes()).iter("a")
             if (a.get("href") or "").endswith("shell-lesson-data.zip")]
    assert hrefs
    target = (setup.parent / hrefs[0]).resolve()
    assert target.read_bytes() == (LESSON / "course" / "files" / "shell-lesson-data.zip").read_bytes()


def test_figures_in_handouts(lesson_site: Path) -> None:
    handouts = lesson_site / "en" / "handouts"
    assert pdf_image_count(handouts / "03-create.pdf") >= 1  # the nano screenshot (PNG)
    # the SVG figures are drawn as vectors: their labels are text in the PDF
    assert re.search(r"bin\s+data\s+Users\s+tmp", pdf_text(handouts / "02-filedir.pdf"))  # filesystem.svg
    assert "Output in Shell" in pdf_text(handouts / "04-pipefilter.pdf")  # redirects-and-pipes.svg
    assert pdf_image_count(handouts / "workbook.pdf") >= 1


def test_no_instructor_text_in_participant_outputs(lesson_site: Path) -> None:
    phrases = trainer_phrases()
    assert len(phrases) >= 4
    files = participant_files(lesson_site / "en")
    leaks = [(name, p) for name, data in files.items() for p in phrases if p in squash(readable(name, data))]
    assert leaks == []


def test_instructor_text_reaches_trainers(lesson_site: Path) -> None:
    site = lesson_site / "en"
    pages = squash(" ".join(lxml.html.fromstring((site / "trainer" / f"{m}.html").read_bytes()).text_content()
                            for m in MODULES))
    guide = squash(pdf_text(site / "handouts" / "trainers-guide.pdf"))
    assert [p for p in trainer_phrases() if p not in pages] == []
    assert [p for p in trainer_phrases() if p not in guide] == []


def test_every_challenge_keeps_its_solution(lesson_site: Path) -> None:
    for slug in MODULES:
        source = (LESSON / "modules" / slug / "module.md").read_text(encoding="utf-8")
        page = lxml.html.fromstring((lesson_site / "en" / "modules" / f"{slug}.html").read_bytes())
        solutions = page.xpath("//article//details[contains(@class, 'solution')]")
        assert len(solutions) == source.count("??? solution"), slug
        assert all(d.get("open") is None for d in solutions)


def test_decks_have_their_pictures_and_text(lesson_site: Path, course) -> None:
    problems = []
    for module in course.modules:
        slides = pptx_slides(lesson_site / "en" / "slides" / f"{module.slug}.pptx")
        if len(slides) != len(module.deck.slides):
            problems.append(f"{module.slug}: {len(slides)} slides for {len(module.deck.slides)}")
            continue
        for source, built in zip(module.deck.slides[1:], slides[1:], strict=True):
            if "![" in source.body and built["pictures"] == 0:
                problems.append(f"{source.id}: no picture")
            heading = re.search(r"^## (.*)$", source.body, re.M)
            if heading and heading[1] not in built["text"]:
                problems.append(f"{source.id}: no heading")
        deck = pdf_text(lesson_site / "en" / "slides" / f"{module.slug}.pdf")
        if "Key points" not in deck:
            problems.append(f"{module.slug}.pdf: no key points")
    assert problems == []


# ---- what the lesson found that did not fit: each a bug, each its own test ----

def _mini_with(tmp_path: Path, index_text: str) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(MINI, root)
    (root / "course" / "index.md").write_text(index_text, encoding="utf-8")
    return root


def test_a_long_attr_list_alt_text_counts(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """shell-novice writes its alt texts as attr_lists; one is 460 characters long."""
    alt = "A pipeline. " * 40
    root = _mini_with(tmp_path, f"---\ntitle: Welcome\n---\nText.\n\n![](pipes.svg){{alt='{alt}'}}\n")
    svg = LESSON / "modules" / "04-pipefilter" / "images" / "redirects-and-pipes.svg"
    shutil.copy(svg, root / "course" / "pipes.svg")
    assert main(["check", "--root", str(root)]) == 0, capsys.readouterr().out


def test_an_autolink_is_not_raw_html(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """`<https://…>` is a Markdown autolink (the lesson's attribution had one), not an HTML tag."""
    root = _mini_with(tmp_path, "---\ntitle: Welcome\n---\nSource: <https://github.com/swcarpentry/shell-novice>.\n")
    assert main(["check", "--root", str(root)]) == 0, capsys.readouterr().out


def test_an_svg_sized_in_millimetres_goes_on_a_pptx_slide(tmp_path: Path) -> None:
    """shell-novice's filesystem.svg says width="54.999542mm"; PowerPoint needs a size in EMU."""
    root = _mini_with(tmp_path, "---\ntitle: Welcome\n---\nText.\n")
    shutil.copy(LESSON / "modules" / "02-filedir" / "images" / "filesystem.svg", root / "slides" / "fs.svg")
    deck = root / "slides" / "01-basics.md"
    deck.write_text(deck.read_text(encoding="utf-8") + "\n---\n## A file system\n\n![A file system tree](fs.svg)\n",
                    encoding="utf-8")
    build(Options(root, verbosity=0, outputs=("slides",)))
    slides = pptx_slides(root / "site" / "en" / "slides" / "01-basics.pptx")
    assert slides[-1]["pictures"] == 1
