"""PDF handouts, read back: pages, bookmarks, header and footer, text, trainer content kept
out of participant files, fonts, paper size, links, worksheets, safety and reproducibility."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from coursebook.build import Options, build
from tests.conftest import MINI, ROOT

A4 = (595, 842)
LETTER = (612, 792)


def text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def outline_titles(reader: PdfReader) -> list[str]:
    out: list[str] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                out.append(item.title)
    walk(reader.outline)
    return out


def size(reader: PdfReader) -> tuple[int, int]:
    box = reader.pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_every_handout_exists(default_site: Path) -> None:
    handouts = default_site / "en" / "handouts"
    names = sorted(p.name for p in handouts.glob("*.pdf"))
    modules = sorted(p.name + ".pdf" for p in (ROOT / "modules").iterdir() if p.is_dir())
    assert names == sorted(modules + ["trainers-guide.pdf", "workbook.pdf"])


def test_module_handout(default_site: Path) -> None:
    pdf = default_site / "en" / "handouts" / "06-ncpc-roles.pdf"
    reader = PdfReader(pdf)
    body = text(pdf)
    assert size(reader) == A4
    assert "Roles and opportunities for NCPCs" in body and "spokesperson" in body
    assert "Sustainable Production and Consumption" in body  # running header
    assert f"Page 1 of {len(reader.pages)}" in body and "Licence: CC BY 4.0 · Version 1.0" in body
    assert "YOUR NOTES" in body  # the worksheet has writing space (label set in capitals)
    assert pdf.stat().st_size <= 250_000
    meta = reader.metadata
    assert meta.title.startswith("VI. Roles and opportunities for NCPCs")
    assert meta.author == "UNEP Division of Technology, Industry and Economics"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_participant_files_have_no_trainer_text(default_site: Path, mini_site: Path) -> None:
    pdfs = [*(default_site / "en" / "handouts").glob("*.pdf"), *(mini_site / "en" / "handouts").glob("*.pdf")]
    for pdf in pdfs:
        body = text(pdf)
        guide = pdf.name == "trainers-guide.pdf"
        for secret in ("walnuts", "Keep the pace brisk", "Facilitation", "Protect the time"):
            assert (secret in body) is False or guide, (pdf, secret)
    guide = text(mini_site / "en" / "handouts" / "trainers-guide.pdf")
    assert "walnuts" in guide and "Keep the pace brisk" in guide


def test_workbook_has_toc_bookmarks_and_new_pages_per_module(default_site: Path) -> None:
    pdf = default_site / "en" / "handouts" / "workbook.pdf"
    reader = PdfReader(pdf)
    titles = outline_titles(reader)
    for title in ("VI Roles and opportunities for NCPCs", "Objectives", "Readings and case studies",
                  "Asia and the Pacific: the Seoul expert meeting (2003)"):
        assert any(title in t for t in titles), (title, titles[:20])
    body = text(pdf)
    assert "Contents" in body and "Participant workbook" in body
    # each module starts on a new page: its bookmark points at a page of its own
    ids = ("I", "II", "III", "IV", "V", "VI", "VII")
    starts = [reader.get_destination_page_number(item) for item in reader.outline
              if not isinstance(item, list) and item.title.split(" ")[0] in ids]
    assert len(starts) == 7 and starts == sorted(set(starts))
    for page in starts:
        assert "Duration:" in reader.pages[page].extract_text()
    links = [a for page in reader.pages for a in (page.get("/Annots") or [])
             if a.get_object().get("/Subtype") == "/Link"]
    assert len(links) >= 10  # the table of contents links to its entries


def test_table_captions_stay_with_their_tables(default_site: Path) -> None:
    reader = PdfReader(default_site / "en" / "handouts" / "workbook.pdf")
    pages = [page.extract_text() for page in reader.pages]
    for caption, header in (("Table 1. Past successes", "Successes"), ("Table 2. Areas of priority", "Focal point")):
        [page] = [p for p in pages if caption in p]
        assert header in page.split(caption, 1)[1], f"{caption!r} is left at the foot of a page without its table"


def test_external_links_are_printed(default_site: Path) -> None:
    html = "<p>See <a href='https://example.org/x'>the site</a>.</p>"
    from coursebook.render.pdf_write import write_pdf
    out = default_site.parent / "link.pdf"
    css = (str(ROOT / "theme" / "pdf" / "print.css"),)
    write_pdf(html, ROOT.as_uri() + "/", css, (str(ROOT),), out=out)
    assert "the site (https://example.org/x)" in text(out)


def test_trainers_guide(default_site: Path) -> None:
    pdf = default_site / "en" / "handouts" / "trainers-guide.pdf"
    body = " ".join(text(pdf).split())
    assert "Trainer's guide" in body and "Agenda" in body and "Day 1" in body and "Lunch" in body
    assert "slide VI-2" in body  # slide cues printed as text
    assert "Facilitation steps" in body and "Preparation checklist" in body
    assert "15:30–17:30" in body  # clock times from the agenda


def test_fonts_embedded_and_subset(default_site: Path) -> None:
    for name in ("workbook.pdf", "trainers-guide.pdf", "01-introduction.pdf"):
        out = subprocess.run(["pdffonts", str(default_site / "en" / "handouts" / name)],
                             capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        assert out, name
        for line in out:
            emb, sub = line.split()[-5], line.split()[-4]
            assert (emb, sub) == ("yes", "yes"), (name, line)


def test_letter_paper_from_course_yml(mini_site: Path) -> None:
    reader = PdfReader(mini_site / "en" / "handouts" / "01-basics.pdf")
    assert size(reader) == LETTER


def test_spanish_edition_uses_its_words(mini_site: Path) -> None:
    body = text(mini_site / "es" / "handouts" / "01-basics.pdf")
    assert "Página 1 de" in body and "Licencia: CC BY 4.0" in body and "Lo básico" in body
    # the untranslated activity falls back to English, with a notice
    assert "no está traducida" in body and "Talk with your neighbour" in body


def test_reproducible(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(MINI, root)
    first = tmp_path / "one"
    build(Options(root, out=first, verbosity=0, outputs=("pdf",)))
    shutil.rmtree(root / ".build")
    second = tmp_path / "two"
    build(Options(root, out=second, verbosity=0, outputs=("pdf",)))
    for pdf in (first / "en" / "handouts").glob("*.pdf"):
        assert pdf.read_bytes() == (second / "en" / "handouts" / pdf.name).read_bytes(), pdf.name


def test_fetcher_refuses_network_and_outside_files(tmp_path: Path) -> None:
    from weasyprint.urls import FatalURLFetchingError

    from coursebook.render.pdf_write import ConfinedFetcher
    fetcher = ConfinedFetcher((str(ROOT),))
    with pytest.raises(FatalURLFetchingError, match="offline"):
        fetcher.fetch("https://example.org/logo.png")
    with pytest.raises(FatalURLFetchingError, match="outside the repository"):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.fetch((ROOT / "theme" / "assets" / "logo.svg").as_uri())


def test_pages_look_right(default_site: Path, tmp_path: Path) -> None:
    """Pages render to images (cover, contents, a module, a worksheet) without blank pages."""
    pdf = default_site / "en" / "handouts" / "workbook.pdf"
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "6", str(pdf), str(tmp_path / "p")],
                   check=True)
    from PIL import Image

    for png in sorted(tmp_path.glob("p-*.png")):
        extrema = Image.open(png).convert("L").getextrema()
        assert extrema[0] < 128, f"{png.name} is blank"


def test_numbered_lists_keep_their_numbers(default_site: Path) -> None:
    """The nine roles of Section VI are numbered 1–9 across four lists (<ol start="5"> …)."""
    body = " ".join(text(default_site / "en" / "handouts" / "06-ncpc-roles.pdf").split())
    assert "5. advocating laws and programmes" in body
    assert "9. helping set targets and benchmarks" in body
