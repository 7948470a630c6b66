"""The workshop loader: the examples' dated agendas (weekdays across a month end, a one-day
subset), weekends skipped, and every kind of mistake reported at its file:line."""

from __future__ import annotations

import subprocess
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coursebook.build import Options, load_courses
from coursebook.cli import main
from coursebook.diagnostics import CourseError
from coursebook.workshop import Workshop, private_dir, working_days
from tests.conftest import LAUGHS, write
from tests.workshops.conftest import mini_with_workshops


def test_lima_two_days_across_the_month_end(examples: dict[str, Workshop]) -> None:
    lima = examples["lima-2027"]
    assert (lima.lang, lima.course.lang, lima.fallback) == ("en", "en", False)
    assert [d.date for d in lima.days] == [date(2027, 3, 31), date(2027, 4, 1)]
    assert [d.date.strftime("%A") for d in lima.days] == ["Wednesday", "Thursday"]
    assert lima.modules == ["I", "II", "III", "IV", "V", "VI", "VII"]
    first = lima.days[0].slots[0]
    assert first.start == datetime(2027, 3, 31, 8, 30, tzinfo=ZoneInfo("America/Lima"))
    assert first.start.utcoffset().total_seconds() == -5 * 3600
    assert (first.kind, first.module_id) == ("session", "I")
    day2 = lima.days[1].slots
    assert day2[0].start.date() == date(2027, 4, 1) and day2[0].module_id == "VII"
    assert all(s.start < s.end for d in lima.days for s in d.slots)
    assert "مريم العلي" in [p.name for p in lima.participants] and len(lima.participants) == 5


def test_quito_is_a_one_day_spanish_subset(examples: dict[str, Workshop]) -> None:
    quito = examples["quito-2027"]
    assert (quito.lang, quito.course.lang) == ("es", "es")
    assert quito.modules == ["I", "II", "III", "V", "VI"] and "IV" not in quito.modules
    assert [d.date for d in quito.days] == [date(2027, 5, 12)]
    slots = quito.days[0].slots
    assert {s.start.tzinfo.key for s in slots} == {"America/Guayaquil"}
    assert "Almuerzo" in [s.title for s in slots if s.kind == "break"]  # the workshop's own schedule
    assert slots[-1].end <= datetime(2027, 5, 12, 17, 30, tzinfo=ZoneInfo("America/Guayaquil"))
    assert quito.course.module("I").title != examples["lima-2027"].course.module("I").title  # Spanish text
    assert quito.expected_participants == 20


def test_weekends_are_skipped_after_the_first_day() -> None:
    friday = date(2027, 4, 30)
    assert working_days(friday, 3, True) == [friday, date(2027, 5, 3), date(2027, 5, 4)]
    assert working_days(friday, 2, False) == [friday, date(2027, 5, 1)]


def _load(root: Path) -> tuple[list[Workshop], list[str]]:
    """The workshops as `check` and the build load them (in load_courses), and their problems."""
    options = Options(root, verbosity=0)
    try:
        load_courses(options)
    except CourseError:
        pass
    return options.workshops, [d.format() for d in options.report.items if d.file.startswith("workshops/")]


BAD = """\
title: Broken
start_date: 2027-02-30
timezone: America/Lmia
vneue: Sala 1
city: Lima
modules: [B, X]
participants: ../../outside.csv
"""


def test_mistakes_at_their_file_and_line(tmp_path: Path) -> None:
    root = mini_with_workshops(tmp_path / "repo")
    write(root, "workshops/bad.yml", BAD)
    _, problems = _load(root)
    text = "\n".join(problems)
    assert "workshops/bad.yml:2: error: 'start_date': '2027-02-30' is not a real date" in text
    assert "workshops/bad.yml:3: error: 'timezone': unknown time zone; did you mean 'America/Lima'?" in text
    assert "workshops/bad.yml:4: error: unknown key 'vneue' — did you mean 'venue'?" in text
    assert "workshops/bad.yml:1: error: missing required key 'venue'" in text
    # a file with schema errors is validated again without them: its module list is still checked
    assert "workshops/bad.yml:6: error: no module 'X'" in text
    assert "workshops/bad.yml:7: error: the participant list '../../outside.csv' is outside the repository" in text


def test_yaml_aliases_and_bad_participant_lists(tmp_path: Path) -> None:
    root = mini_with_workshops(tmp_path / "repo")
    write(root, "workshops/laughs.yml", LAUGHS)
    write(root, "workshops/people.csv", "name,organisation,emial\nJosé Núñez,Org,\n,Org B,b@example.org\n")
    found, problems = _load(root)
    text = "\n".join(problems)
    assert "workshops/laughs.yml:1: error: anchors and aliases" in text
    assert "workshops/people.csv:1: error: unknown column 'emial' — did you mean 'email'?" in text
    assert "workshops/people.csv:3: error: a participant without a name" in text
    assert "José" not in text  # messages give lines, never a participant's name
    assert found == []  # a workshop whose list has errors is not built


def test_untranslated_language_falls_back_with_a_notice(tmp_path: Path) -> None:
    root = mini_with_workshops(tmp_path / "repo")
    path = root / "workshops" / "quito.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("language: es", "language: pt"), encoding="utf-8")
    found, problems = _load(root)
    assert any("quito.yml:8: warning: the course is not translated into 'pt'" in p for p in problems)
    assert [(w.lang, w.course.lang, w.fallback) for w in found] == [("pt", "en", True)]


def test_check_reports_workshops_and_scaffold_validates(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = mini_with_workshops(tmp_path / "repo")
    assert main(["new", "workshop", "Lima 2027", "--root", str(root)]) == 0
    made = root / "workshops" / "lima-2027.yml"
    assert made.is_file()
    assert main(["check", "--root", str(root), "--strict"]) == 0, capsys.readouterr().err
    assert main(["new", "workshop", "Lima 2027", "--root", str(root)]) == 1  # never overwritten
    made.write_text(made.read_text(encoding="utf-8").replace("timezone: UTC", "timezone: Mars/Olympus"),
                    encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--root", str(root)]) == 1
    assert "workshops/lima-2027.yml:5: error: 'timezone': unknown time zone" in capsys.readouterr().err


def test_private_folder_is_confined_and_git_ignored(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = mini_with_workshops(tmp_path / "repo")
    assert private_dir(root, "quito") == (root / "private" / "quito").resolve()
    for slug in ("../site", "a/b", ""):
        with pytest.raises(ValueError):
            private_dir(root, slug)
    assert main(["workshop", "quito", "--participants", "x.csv", "--root", str(root)]) == 2  # needs --private
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    assert main(["workshop", "quito", "--private", "--root", str(root)]) == 2  # private/ not git-ignored
    assert "not ignored by git" in capsys.readouterr().err
    assert not (root / "private").exists()
    assert main(["workshop", "nowhere", "--root", str(root)]) == 2
