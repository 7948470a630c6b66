"""Fixtures of the workshop tests: the repository's two example workshops loaded (no build),
and the small fixture course with a workshop of its own, built once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coursebook.build import Options, load_courses
from coursebook.workshop import Workshop
from tests.conftest import MINI, ROOT, write

# the small course's workshops: Spanish (a day of the fixture course) and English
QUITO = """\
title: Taller <b>Quito</b> | 2027
start_date: 2027-05-12
timezone: America/Guayaquil
venue: Sala [3]
city: Quito, Ecuador
organiser: CEER
trainers: [María Loor]
language: es
participants: people.csv
"""
PEOPLE = "name,organisation,email\nJosé Núñez,Org A,jose.nunez@example.org\nمريم العلي,Org B,maryam@example.org\n"


@pytest.fixture(scope="session")
def examples() -> dict[str, Workshop]:
    """workshops/lima-2027.yml and quito-2027.yml of the repository, against its course."""
    options = Options(ROOT, verbosity=0, languages=["en", "es"])
    load_courses(options)  # validates and loads the workshops too (options.workshops)
    assert not [d for d in options.report.items if d.file.startswith("workshops/")], options.report.items
    return {w.slug: w for w in options.workshops}


def mini_with_workshops(dest: Path) -> Path:
    """A copy of the fixture course with a Spanish workshop and its (fictitious) participants."""
    shutil.copytree(MINI, dest, ignore=shutil.ignore_patterns(".build", "site"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    write(dest, "workshops/quito.yml", QUITO)
    write(dest, "workshops/people.csv", PEOPLE)
    return dest


@pytest.fixture(scope="session")
def workshop_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture course with its workshop, built (every output) into <root>/site."""
    from coursebook.build import build

    root = mini_with_workshops(tmp_path_factory.mktemp("workshop-site") / "course-repo")
    build(Options(root, verbosity=0))
    return root / "site"
