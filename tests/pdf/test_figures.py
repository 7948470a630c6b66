"""Figures in the PDFs of the fixture course extended with images everywhere
(tests/figures_course.py): every image is printed (raster ones counted by pdfimages, SVG
ones by their words), captions are numbered per module in the edition's words, the Spanish
edition prints its own images, links to other course files and data files read sensibly."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.build.readback import pdf_text


def raster_images(pdf: Path) -> list[tuple[int, int]]:
    """(width, height) of every raster image in the PDF, from `pdfimages -list`."""
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    return [(int(r[3]), int(r[4])) for r in rows if r[2] == "image"]


def colours(pdf: Path, tmp: Path) -> set[tuple[int, int, int]]:
    """The colour at the centre of every 160×90 raster image (the fixture's PNG and JPEG)."""
    from PIL import Image

    subprocess.run(["pdfimages", "-png", str(pdf), str(tmp / "img")], check=True)
    found = set()
    for path in tmp.glob("img-*.png"):
        with Image.open(path) as image:
            if image.size == (160, 90):
                found.add(image.convert("RGB").getpixel((80, 45)))
    return found


def test_handout_prints_every_figure_with_numbered_captions(figures_site: Path) -> None:
    pdf = figures_site / "en" / "handouts" / "01-basics.pdf"
    words = pdf_text(pdf)
    assert "INPUTS FLOW" in words and "WORKSHEET" in words  # the SVGs, as vector text
    for caption in ("Figure B.1 Inputs become outputs", "Figure B.2 Savings by resource",
                    "Figure B.3 The worksheet"):  # the activity's figure continues the module's count
        assert caption in " ".join(words.split()), caption
    assert sorted(raster_images(pdf)) == [(160, 90)] * 3 + [(300, 4)]  # chart, photo, linked badge, rule


def test_workbook_prints_module_and_reading_figures(figures_site: Path) -> None:
    pdf = figures_site / "en" / "handouts" / "workbook.pdf"
    words = " ".join(pdf_text(pdf).split())
    assert "Figure B.1 Inputs become outputs" in words and "Figure 1 The region" in words
    assert "Figure 2 Written as a figure block" in words  # <figure markdown> … <figcaption>
    assert (160, 90) in raster_images(pdf) and len(raster_images(pdf)) >= 5  # + the reading's map
    guide = " ".join(pdf_text(figures_site / "en" / "handouts" / "trainers-guide.pdf").split())
    assert "WORKSHEET" in guide  # the activity's image also in the trainer's guide


def test_spanish_pdfs_print_the_spanish_images(figures_site: Path, tmp_path: Path) -> None:
    es = figures_site / "es" / "handouts" / "01-basics.pdf"
    words = " ".join(pdf_text(es).split())
    assert "ENTRADAS FLUJO" in words and "INPUTS FLOW" not in words
    assert "Figura B.1" in words and "Figure B.1" not in words
    (tmp_path / "es").mkdir()
    (tmp_path / "en").mkdir()
    assert (200, 90, 30) in colours(es, tmp_path / "es")  # chart.es.png
    assert (40, 120, 80) not in colours(es, tmp_path / "es")
    assert (40, 120, 80) in colours(figures_site / "en" / "handouts" / "01-basics.pdf", tmp_path / "en")


def test_links_to_files_read_well_on_paper(figures_site: Path) -> None:
    from pypdf import PdfReader

    words = " ".join(pdf_text(figures_site / "en" / "handouts" / "01-basics.pdf").split())
    assert "Download the exercise data (data.zip), read the case and do the warm-up." in words
    assert "The data sheet (data.zip)" in words  # a link in the module's front matter
    reader = PdfReader(figures_site / "en" / "handouts" / "01-basics.pdf")
    uris = [a.get_object().get("/A", {}).get("/URI") for page in reader.pages
            for a in page.get("/Annots") or []]
    assert "https://example.org/cleaner-production" in uris  # an external link stays a link
    assert not [u for u in uris if u and ("data.zip" in u or ".md" in u or "@@" in u)]


@pytest.mark.parametrize("name", ["01-basics.pdf", "01-basics-handout.pdf"])
def test_printed_slides_show_the_editions_figure(figures_site: Path, name: str) -> None:
    en = " ".join(pdf_text(figures_site / "en" / "slides" / name).split())
    es = " ".join(pdf_text(figures_site / "es" / "slides" / name).split())
    assert "INPUTS FLOW" in en and "ENTRADAS FLUJO" in es
    assert "Read the case." in en and "@@" not in en
