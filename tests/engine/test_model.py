"""The model: translations and fallback, the agenda, decks, trainer text, Markdown config."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from coursebook.agenda import compute_agenda
from coursebook.build import Options, load_courses
from coursebook.markdown import Markdown, participant, trainer_blocks
from coursebook.write import MARKER, staging
from tests.conftest import ROOT, write


def editions(root: Path) -> dict:
    return {c.lang: c for c in load_courses(Options(root))}


def test_translation_replaces_text_and_keeps_structure(mini: Path) -> None:
    en, es = editions(mini)["en"], editions(mini)["es"]
    assert es.config.title == "Minicurso" and en.config.title == "Mini course"
    assert es.config.schedule.days[0].breaks[0].name == "Café"
    m_es, m_en = es.modules[0], en.modules[0]
    assert (m_es.title, m_es.meta.objectives) == ("Lo básico", ["Entender lo básico"])
    assert m_es.meta.key_points == m_en.meta.key_points  # untranslated field falls back
    assert (m_es.id, m_es.minutes) == (m_en.id, m_en.minutes)
    assert "Los participantes" in m_es.body and not m_es.fallback
    activity = m_es.activities[0]
    assert activity.fallback and activity.title == "Warm-up"


def test_deck_ids_and_notes(mini: Path) -> None:
    deck = editions(mini)["en"].modules[0].deck
    assert [(s.id, s.layout, s.title) for s in deck.slides] == [
        ("B-1", "title", "Basics"), ("B-2", "default", "First slide"),
        ("B-3", "two-column", "Second slide")]
    assert deck.slides[1].notes == "Say something." and "|||" in deck.slides[2].body
    assert deck.slides[2].line == 9


def test_lookups_find_what_a_walk_finds_and_follow_a_new_module_list(mini: Path) -> None:
    import copy

    en = editions(mini)["en"]
    module = en.modules[0]
    slide = module.deck.slides[1]
    assert en.module(module.id) is module and en.slide(slide.id) == (module, slide)
    assert en.activity(module.activities[0].slug) is module.activities[0]
    assert en.module("nowhere") is None and en.slide("X-9") is None and en.activity("nothing") is None
    part = copy.copy(en)  # as a workshop's edition is made: the same course, fewer modules
    part.modules = []
    assert part.module(module.id) is None and part.slide(slide.id) is None
    assert en.module(module.id) is module  # the original keeps its own


def test_explicit_slide_id(mini: Path) -> None:
    write(mini, "slides/01-basics.md", "## A\n---\n<!-- slide: id=B-intro -->\n## B\n---\n## C\n")
    path = mini / "instructor_notes/01-basics.md"
    path.write_text(path.read_text().replace("[[slide:B-2]]", "[[slide:B-intro]]"))
    path = mini / "modules/01-basics/module.md"
    path.write_text(path.read_text().replace("[[slide:B-2]]", "[[slide:B-4]]"))
    deck = editions(mini)["en"].modules[0].deck
    assert [s.id for s in deck.slides] == ["B-1", "B-2", "B-intro", "B-4"]


def test_agenda_splits_around_breaks_and_moves_to_next_day(mini: Path) -> None:
    course = mini / "course/course.yml"
    course.write_text(course.read_text().replace(
        'breaks:\n        - {name: Coffee, time: "10:30", minutes: 15}',
        'breaks:\n        - {name: Coffee, time: "09:45", minutes: 15}\n'
        '    - start: "09:00"\n      end: "10:00"'))
    write(mini, "modules/02-more/module.md", "---\nid: M\ntitle: More\npresentation_minutes: 120\n---\n")
    days = compute_agenda(editions(mini)["en"])
    assert [(s.time, s.kind, s.title, s.continued) for s in days[0].slots] == [
        ("09:00–09:30", "session", "Basics", False),
        ("09:30–09:45", "session", "Warm-up", False),
        ("09:45–10:00", "break", "Coffee", False),
        ("10:00–10:30", "session", "Warm-up", True)]
    assert [(s.time, s.title) for s in days[1].slots] == [("09:00–11:00", "More")]
    assert days[1].overrun == 60 and days[0].overrun == 0


def test_module_minutes_given_or_computed(mini: Path) -> None:
    module = editions(mini)["en"].modules[0]
    assert module.minutes == 30 + 45
    path = mini / "modules/01-basics/module.md"
    text = path.read_text().replace("presentation_minutes: 30", "presentation_minutes: 30\nminutes: 90")
    path.write_text(text)
    module = editions(mini)["en"].modules[0]
    assert module.minutes == 90
    assert compute_agenda(editions(mini)["en"])[0].slots[0].minutes == 45  # presentation + slack


def test_trainer_admonitions_are_kept_apart() -> None:
    text = "Intro\n\n!!! trainer \"Tip\"\n    Secret one.\n\n    Secret two.\n\nAfter\n\n??? trainer\n    X\n"
    assert participant(text) == "Intro\n\n\nAfter\n\n"
    assert trainer_blocks(text) == ['!!! trainer "Tip"\n    Secret one.\n\n    Secret two.',
                                    "??? trainer\n    X\n"[:-1]]


def test_markdown_uses_mkdocs_extensions() -> None:
    html = Markdown(ROOT).html("!!! note\n    Hi\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nX[^1]\n\n[^1]: F")
    assert 'class="admonition note"' in html and "<table>" in html and "footnote" in html


def test_staging_keeps_previous_output_on_failure(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("old")
    (out / MARKER).write_text("made by coursebook")  # the previous build: coursebook may replace it
    repo = tmp_path / "repo"
    try:
        with staging(repo, out) as stage:
            (stage / "index.html").write_text("half")
            raise RuntimeError("render failed")
    except RuntimeError:
        pass
    assert (out / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    with staging(repo, out) as stage:
        (stage / "index.html").write_text("new")
    assert (out / "index.html").read_text() == "new"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args],
                          capture_output=True, text=True, timeout=120)


def test_cli_check_exit_codes(mini: Path) -> None:
    ok = run_cli("check", "--root", str(mini))
    assert ok.returncode == 0, ok.stderr
    assert "Mini course: 1 modules, languages en, es; checked" in ok.stderr
    write(mini, "course/index.md", "---\ntitle: Home\ncolour: red\n---\n")
    bad = run_cli("check", "--root", str(mini))
    assert bad.returncode == 1
    assert "course/index.md:3: error: unknown key 'colour'" in bad.stderr
    assert "1 error(s), 0 warning(s)" in bad.stderr


def test_cli_help_lists_commands() -> None:
    out = run_cli("--help")
    assert out.returncode == 0 and "check" in out.stdout and "examples:" in out.stdout
