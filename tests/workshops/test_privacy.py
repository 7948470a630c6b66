"""Participants' names and emails never reach the published site: every file of the built
default course (pages, search indexes, sitemap, PDFs, decks, calendars, and every member of
the offline zips) is read back and searched for each name and email of the example lists, in
every form a file may hold it (as written, HTML- or JSON-escaped, accents folded as the search
index folds them). Named documents are written only by `workshop SLUG --private`, into the
git-ignored `private/<slug>/`."""

from __future__ import annotations

import gzip
import html
import io
import json
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest

from coursebook.cli import main
from coursebook.diagnostics import Report
from coursebook.workshop import read_participants
from tests.build.readback import pdf_text
from tests.conftest import ROOT
from tests.workshops.conftest import mini_with_workshops


def _folded(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _forms(value: str) -> set[str]:
    forms = {value, html.escape(value), json.dumps(value)[1:-1], _folded(value)}
    return {f.lower() for f in forms if f}


def secrets() -> dict[str, set[str]]:
    """Every name and email of the repository's example participant lists, in every form."""
    found: dict[str, set[str]] = {}
    for csv in sorted((ROOT / "workshops" / "participants").glob("*.csv")):
        people = read_participants(csv, Report(ROOT))
        assert people, csv
        for p in people:
            for value in (p.name, p.email):
                if value:
                    found[value] = _forms(value)
    return found


def _texts(name: str, data: bytes):
    """(name, lower-cased readable text) of a file, and of every member of an archive."""
    if name.endswith(".pdf"):
        yield name, pdf_text(data).lower()
    elif name.endswith((".zip", ".pptx")):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for member in z.namelist():
                yield from _texts(f"{name}!{member}", z.read(member))
    elif name.endswith(".gz"):
        yield from _texts(name[:-3], gzip.decompress(data))
    else:
        yield name, data.decode("utf-8", "replace").lower()


def leaks(site: Path, needles: dict[str, set[str]]) -> list[str]:
    out = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        for name, text in _texts(path.relative_to(site).as_posix(), path.read_bytes()):
            out += [f"{name}: {value}" for value, forms in needles.items() if any(f in text for f in forms)]
    return out


def test_no_participant_name_or_email_under_site(default_site: Path) -> None:
    needles = secrets()
    assert "مريم العلي" in needles and "José Núñez" in needles and "Zhāng Wěi 张伟" in needles
    # the workshops are published (their pages, calendars), so the search below reads them
    assert (default_site / "en" / "workshops" / "lima-2027.html").is_file()
    assert (default_site / "es" / "workshops" / "quito-2027.ics").is_file()
    # a control: the public trainers' names are found by the same search, pages and zip alike
    found = leaks(default_site / "en", {"Ana Quispe": _forms("Ana Quispe")})
    assert any(x.startswith("workshops/lima-2027.html") for x in found)
    assert any(".zip!workshops/lima-2027.html" in x for x in found)
    assert leaks(default_site, needles) == []


def test_private_build_writes_names_only_into_private(tmp_path: Path) -> None:
    root = mini_with_workshops(tmp_path / "repo")
    (root / ".gitignore").write_text("/private/\n/site/\n.build/\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    assert main(["workshop", "quito", "--private", "--root", str(root), "-q"]) == 0
    folder = root / "private" / "quito"
    assert sorted(p.name for p in folder.iterdir()) == [
        "certificates.pdf", "evaluation.pdf", "pack.pdf", "quito.ics", "sign-in.pdf", "trainers-guide.pdf"]
    certificates = pdf_text(folder / "certificates.pdf")
    assert "José Núñez" in certificates and "مريم العلي" in certificates
    assert "José Núñez" in pdf_text(folder / "sign-in.pdf")
    for public in ("pack.pdf", "evaluation.pdf", "trainers-guide.pdf"):
        assert "José Núñez" not in pdf_text(folder / public)
    status = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--ignored", "private"],
                            capture_output=True, text=True, check=True).stdout
    assert status.strip() == "!! private/"  # ignored: never committed
    assert not (root / "site").exists()  # nothing published
    kept = [p for p in (root / ".build").rglob("*.pdf") if "José Núñez" in pdf_text(p)]
    assert kept == []  # the named PDFs were rendered apart: no copy stays in the render cache
    assert not list(folder.glob(".render-*"))  # nor beside them


@pytest.mark.parametrize("outside", ["../../people.csv", "/etc/passwd"])
def test_a_list_outside_needs_the_command_line(tmp_path: Path, outside: str, capsys) -> None:
    root = mini_with_workshops(tmp_path / "repo")
    (tmp_path / "people.csv").write_text("name\nOutside Person\n", encoding="utf-8")
    path = root / "workshops" / "quito.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("people.csv", outside), encoding="utf-8")
    assert main(["check", "--root", str(root)]) == 1
    assert "is outside the repository" in capsys.readouterr().err


def test_a_real_list_from_outside_for_one_private_run(tmp_path: Path) -> None:
    root = mini_with_workshops(tmp_path / "repo")
    (root / ".gitignore").write_text("/private/\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    outside = tmp_path / "lists" / "quito.csv"  # where a real list belongs: outside the repository
    outside.parent.mkdir()
    outside.write_text("name,organisation\nZhāng Wěi 张伟,Tsinghua\n", encoding="utf-8")
    assert main(["workshop", "quito", "--private", "--participants", str(outside), "--root", str(root), "-q"]) == 0
    certificates = pdf_text(root / "private" / "quito" / "certificates.pdf")
    assert "Zhāng Wěi 张伟" in certificates and "José Núñez" not in certificates  # that list only
    assert main(["check", "--root", str(root)]) == 0  # the file itself still names the example list
