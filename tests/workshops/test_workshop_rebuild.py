"""A workshop's pack and trainer's guide are assembled from chapters, as the workbook is: an edit
to one module renders that module's chapters of them again, then the assemblies, and nothing else
of the workshop (at the default course's size, a whole pack and guide took 5 s each)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from coursebook.build import Options, build
from tests.workshops.conftest import mini_with_workshops


def _build(root: Path) -> Options:
    options = Options(root, verbosity=0)
    build(options)
    assert options.rendered is not None
    return options


def test_a_module_edit_renders_that_modules_chapters_of_the_pack_and_guide(tmp_path: Path) -> None:
    root = mini_with_workshops(tmp_path / "repo")
    slug = _build(root).workshops[0].slug
    translation = root / "modules" / "01-basics" / "module.es.md"  # the workshop is in Spanish
    translation.write_text(translation.read_text(encoding="utf-8") + "\nUna frase sobre el compost.\n",
                           encoding="utf-8")
    done = _build(root).rendered.documents
    assert {d for d in done if "workshop" in d} == {
        f"es/workshops/{slug}/pack.pdf", f"es/workshops/{slug}/trainers-guide.pdf",
        f"es/chapters/workshop-{slug}-pack-module-B.pdf", f"es/chapters/workshop-{slug}-guide-module-B.pdf"}
    pack = root / "site" / "es" / "workshops" / slug / "pack.pdf"
    text = subprocess.run(["pdftotext", str(pack), "-"], capture_output=True, text=True, check=True).stdout
    assert "sobre el compost" in text.replace("\n", " ")
    assert "Hoja de asistencia" in text and "Página 2 de" in text  # the other chapters, numbered as one
