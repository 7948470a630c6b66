"""The authoring commands: translation status, scaffolds, new languages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coursebook.build import Options, load_courses
from coursebook.cli import main
from coursebook.diagnostics import CourseError
from tests.conftest import ROOT, write


def states(root: Path, capsys: pytest.CaptureFixture) -> str:
    assert main(["status", "--root", str(root), "--all"]) == 0
    return capsys.readouterr().out


def test_status_turns_stale_after_a_source_edit(mini: Path, capsys: pytest.CaptureFixture) -> None:
    out = states(mini, capsys)
    assert "es: 0% current (0/6 files)" in out
    assert "stale    modules/01-basics/module.md" in out  # translated, but never marked
    assert "missing  slides/01-basics.md" in out
    assert main(["translated", "--root", str(mini), str(mini / "modules/01-basics/module.es.md")]) == 0
    out = states(mini, capsys)
    assert "es: 17% current (1/6 files)" in out and "current  modules/01-basics/module.md" in out
    source = mini / "modules/01-basics/module.md"
    source.write_text(source.read_text() + "\nA new paragraph.\n")
    assert "stale    modules/01-basics/module.md" in states(mini, capsys)


def test_marked_translation_still_validates(mini: Path) -> None:
    main(["translated", "--root", str(mini), str(mini / "modules/01-basics/module.es.md")])
    es = {c.lang: c for c in load_courses(Options(mini))}["es"]
    assert es.modules[0].title == "Lo básico"


def test_new_module_and_activity_pass_check(mini: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["new", "module", "Water efficiency", "--root", str(mini)]) == 0
    assert main(["new", "activity", "02-water-efficiency", "Audit walk", "--root", str(mini)]) == 0
    out = capsys.readouterr().out
    assert "wrote modules/02-water-efficiency/module.md" in out
    assert "wrote modules/02-water-efficiency/activities/audit-walk.md" in out
    course = {c.lang: c for c in load_courses(Options(mini))}["en"]
    module = course.module("II")
    assert module is not None and module.title == "Water efficiency"
    assert [a.slug for a in module.activities] == ["audit-walk"]
    assert [s.id for s in module.deck.slides] == ["II-1", "II-2"]
    assert main(["new", "activity", "99-nothing", "X", "--root", str(mini)]) == 1


def test_new_language(mini: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["new-language", "pt", "--root", str(mini)]) == 0
    assert "languages: [es, pt]" in (mini / "course/course.yml").read_text()
    courses = load_courses(Options(mini))
    assert [c.lang for c in courses] == ["en", "es", "pt"]
    assert courses[2].modules[0].fallback
    with pytest.raises(CourseError) as exc:
        load_courses(Options(mini, strict=True))
    [d] = exc.value.diagnostics
    assert d.file == "theme/i18n/pt.yml" and "interface string(s) not translated into 'pt'" in d.message
    assert main(["new-language", "pt", "--root", str(mini)]) == 1


def test_translation_for_unknown_language_is_a_warning(mini: Path) -> None:
    write(mini, "course/readings/case.de.md", "---\ntitle: Fall\n---\n")
    with pytest.raises(CourseError) as exc:
        load_courses(Options(mini, strict=True))
    assert [d.message for d in exc.value.diagnostics] == ["'de' is not a language of this course"]


@pytest.mark.parametrize("command", [["check"], ["build"], ["status"], ["new", "module", "Water"],
                                     ["serve"], ["workshop", "w1"]])
def test_a_root_that_is_not_a_folder_is_named_and_nothing_is_created(
        tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture) -> None:
    """A typo in --root must not become a Python error, a "no language" answer, or a new folder
    with a module (or a check store) written into it."""
    missing, a_file = tmp_path / "no-such-course", tmp_path / "course.yml"
    a_file.write_text("title: x\n")
    for root, what in ((missing, "does not exist"), (a_file, "is not a folder")):
        assert main([*command, "--root", str(root)]) == 2
        err = capsys.readouterr().err
        assert f"--root {root} {what}" in err and "course/course.yml" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course.yml"]


def _processes_naming(text: str) -> list[str]:
    """Live processes whose command line contains `text` (forked workers keep their parent's)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = (Path("/proc") / pid / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = (Path("/proc") / pid / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue  # ended meanwhile
        if text in cmdline and state != "Z":
            found.append(f"{pid}: {cmdline}")
    return found


def test_a_failed_build_leaves_no_render_worker_behind(mini: Path) -> None:
    """A build starts its render workers before it loads the course (they import WeasyPrint
    meanwhile), and the command leaves without the interpreter's teardown (`cli.run`). When the
    course does not load, no job ever reaches them: they must be stopped, not left waiting."""
    write(mini, "modules/01-basics/module.md", "---\ntitle: [unclosed\n---\nText.\n")
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(mini), "--only", "pdf"],
                          capture_output=True, text=True, timeout=120)  # a worker left holding stderr: never ends
    assert done.returncode == 1, done.stderr
    assert "modules/01-basics/module.md:2: error" in done.stderr
    assert "the previous output was left as it was" in done.stderr
    assert _processes_naming(str(mini)) == []
