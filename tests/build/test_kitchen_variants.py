"""The kitchen-sink course built with other settings, each in its own temporary copy: where the
solutions go in participant PDFs, and what WeasyPrint says about its images (PDF/UA)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coursebook.build import Options, build
from tests.build.readback import pdf_image_count, pdf_text
from tests.conftest import KITCHEN, ROOT


def between(text: str, first: str, middle: str, last: str) -> bool:
    return first in text and middle in text and last in text and \
        text.index(first) < text.index(middle) < text.index(last)


@pytest.mark.parametrize("where", ["omit", "inline"])
def test_solutions_omitted_or_inline_in_participant_pdfs(tmp_path: Path, where: str) -> None:
    root = tmp_path / "kitchen"
    shutil.copytree(KITCHEN, root)
    config = root / "course" / "course.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("solutions: end", f"solutions: {where}"),
                      encoding="utf-8")
    build(Options(root, languages=["en"], outputs=("pdf",), verbosity=0))
    handouts = root / "site" / "en" / "handouts"
    text = re.sub(r"\s+", " ", pdf_text(handouts / "01-flows.pdf"))
    workbook = re.sub(r"\s+", " ", pdf_text(handouts / "workbook.pdf"))
    if where == "omit":
        assert "30 t, or 15 %" not in text and "Line A balances" not in workbook
    else:
        assert between(text, "How much is lost?", "30 t, or 15 %", "Exercise 2")
    assert "30 t, or 15 %" in re.sub(r"\s+", " ", pdf_text(handouts / "trainers-guide.pdf"))


def test_decorative_images_are_pdf_ua_artifacts(tmp_path: Path) -> None:
    """A decorative image (alt="") in a PDF/UA handout must be an artifact, not an untagged figure:
    WeasyPrint logs every image it had to tag without a description (seen from the command line)."""
    root = tmp_path / "kitchen"
    shutil.copytree(KITCHEN, root)
    command = [sys.executable, str(ROOT / "build.py"), "--root", str(root), "--lang", "en", "--only", "pdf", "-q"]
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert pdf_image_count(root / "site" / "en" / "handouts" / "01-flows.pdf") >= 2
    untagged = sorted({x for x in run.stderr.splitlines() if "has no required alt description" in x})
    assert untagged == []
