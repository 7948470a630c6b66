"""The glossary: agreed terms checked in translations, with file:line, and exported for CAT tools."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

from ..conftest import write
from .conftest import run

GLOSSARY = """\
# agreed terms
- term: zebra
  es: cebra
- term: neighbour
  es: [vecino, vecina]
  note: the person beside you
"""


def _warm_up(mini: Path, text: str) -> None:
    write(mini, "modules/01-basics/activities/warm-up.es.md", f"""\
        ---
        title: Calentamiento
        ---
        1. {text}
        2. Escriba tres ideas.
        """)


def test_a_missing_term_is_a_warning_at_its_line(mini: Path, capsys) -> None:
    (mini / "course" / "glossary.yml").write_text(GLOSSARY, encoding="utf-8")
    _warm_up(mini, "Hable con su vecina sobre un caballo.")
    capsys.readouterr()
    assert run(mini, "check") == 0
    err = capsys.readouterr().err
    assert ("modules/01-basics/activities/warm-up.es.md:4: warning: glossary: the source says 'zebra' "
            "but the translation lacks 'cebra'") in err
    assert "course/glossary.yml:2" in err
    assert "neighbour" not in err  # "vecina" is an accepted alternative
    _warm_up(mini, "Hable con sus vecinos sobre unas cebras.")  # plurals match
    assert run(mini, "check") == 0
    assert "glossary" not in capsys.readouterr().err


def test_a_malformed_glossary_is_an_error_at_its_line(mini: Path, capsys) -> None:
    (mini / "course" / "glossary.yml").write_text(GLOSSARY + "- es: sin término\n- term: walnut\n  de: Walnuss\n",
                                                  encoding="utf-8")
    capsys.readouterr()
    assert run(mini, "check") == 1
    err = capsys.readouterr().err
    assert "course/glossary.yml:7: error: a glossary entry needs 'term:'" in err
    assert "course/glossary.yml:9: error: 'de' is not a language of this course" in err


def test_the_glossary_is_exported_as_csv_and_tbx(mini: Path) -> None:
    (mini / "course" / "glossary.yml").write_text(GLOSSARY, encoding="utf-8")
    assert run(mini, "export-po", "es") == 0
    rows = list(csv.reader(io.StringIO((mini / "translations/es/glossary.csv").read_text(encoding="utf-8"))))
    assert rows == [["source", "target", "description"], ["zebra", "cebra", ""],
                    ["neighbour", "vecino", "the person beside you"]]
    tbx = ET.parse(mini / "translations/es/glossary.tbx")
    terms = [t.text for t in tbx.iter("term")]
    assert terms == ["zebra", "cebra", "neighbour", "vecino", "vecina"]


def test_the_default_course_has_no_glossary_warning(capsys) -> None:
    from .conftest import ROOT

    capsys.readouterr()
    assert run(ROOT, "check", "--lang", "es", "--lang", "fr") == 0
    assert "glossary" not in capsys.readouterr().err
