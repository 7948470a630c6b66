"""Validation: every kind of error names its file and line, and all are reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursebook.build import Options, load_courses
from coursebook.diagnostics import CourseError, Diagnostic
from tests.conftest import LAUGHS, write


def problems(root: Path, strict: bool = False) -> list[Diagnostic]:
    try:
        load_courses(Options(root, strict=strict))
    except CourseError as exc:
        return exc.diagnostics
    return []


def only(items: list[Diagnostic], file: str) -> list[tuple[int, str, str]]:
    return [(d.line, d.level, d.message) for d in items if d.file == file]


def test_fixture_course_is_valid(mini: Path) -> None:
    assert problems(mini) == []


def test_four_errors_in_one_run(mini: Path) -> None:
    write(mini, "modules/02-more/module.md", """
        ---
        id: B
        title: More
        presentation_minutes: thirty
        objectivs: [x]
        ---
        Text first.
        See [[slide:B-9]].
        """)
    found = only(problems(mini), "modules/02-more/module.md")
    assert [(line, level) for line, level, _ in found] == [
        (2, "error"), (4, "error"), (5, "error"), (8, "error")]
    messages = " | ".join(m for _, _, m in found)
    assert "duplicate module id 'B'" in messages
    assert "'presentation_minutes'" in messages and "valid integer" in messages
    assert "unknown key 'objectivs'" in messages
    assert "broken reference [[slide:B-9]]" in messages


def test_unknown_key_suggests_the_right_one(mini: Path) -> None:
    write(mini, "modules/01-basics/activities/warm-up.md", """
        ---
        title: Warm-up
        minuts: 45
        ---
        Text
        """)
    [d] = [d for d in problems(mini) if "unknown key" in d.message]
    assert (d.file, d.line) == ("modules/01-basics/activities/warm-up.md", 3)
    assert d.hint == "did you mean 'minutes'?"


def test_missing_required_key(mini: Path) -> None:
    write(mini, "course/readings/case.md", "---\nregion: X\n---\nText\n")
    [d] = problems(mini)
    assert (d.file, d.line, d.message) == ("course/readings/case.md", 1, "missing required key 'title'")


def test_yaml_syntax_error_points_at_the_line(mini: Path) -> None:
    write(mini, "course/index.md", "---\ntitle: Home\nsubtitle: [unclosed\n---\nBody\n")
    found = problems(mini)
    assert [(d.file, d.line) for d in found] == [("course/index.md", 3)]
    assert found[0].message.startswith("invalid YAML")


def test_duplicate_yaml_key(mini: Path) -> None:
    write(mini, "course/index.md", "---\ntitle: Home\ntitle: Again\n---\nBody\n")
    [d] = problems(mini)
    assert (d.line, d.message) == (3, "duplicate key 'title'")


def test_nested_error_in_course_yml(mini: Path) -> None:
    path = mini / "course/course.yml"
    path.write_text(path.read_text().replace('time: "10:30"', "time: 10:30"))
    [d] = problems(mini)
    assert d.file == "course/course.yml" and d.line == 13
    assert "schedule.days.0.breaks.0.time" in d.message and "HH:MM" in d.message


def test_literal_choice(mini: Path) -> None:
    path = mini / "course/course.yml"
    path.write_text(path.read_text().replace("paper: Letter", "paper: A5"))
    [d] = problems(mini)
    assert (d.line, d.message.split(":")[0]) == (7, "'paper'")
    assert "'A4' or 'Letter'" in d.message


@pytest.mark.parametrize("ref", ["[[module:Z]]", "[[activity:nope]]", "[[reading:nope]]",
                                 "[[page:nope]]", "[[slide:B-99]]"])
def test_each_broken_reference_kind(mini: Path, ref: str) -> None:
    write(mini, "course/index.md", f"---\ntitle: Home\n---\nLine one\n\nSee {ref} here.\n")
    [d] = problems(mini)
    assert (d.file, d.line) == ("course/index.md", 6)
    assert d.message.startswith(f"broken reference {ref}")


def test_unknown_reference_kind(mini: Path) -> None:
    write(mini, "course/index.md", "---\ntitle: Home\n---\nSee [[slid:B-2]].\n")
    [d] = problems(mini)
    assert d.message == "unknown reference kind 'slid'" and d.hint == "did you mean 'slide'?"


def test_reference_in_front_matter_is_checked(mini: Path) -> None:
    path = mini / "instructor_notes/01-basics.md"
    path.write_text(path.read_text().replace("[[slide:B-2]]", "[[slide:B-7]]"))
    [d] = problems(mini)
    assert d.file == "instructor_notes/01-basics.md" and "[[slide:B-7]]" in d.message


def test_activity_slide_must_exist(mini: Path) -> None:
    path = mini / "modules/01-basics/activities/warm-up.md"
    path.write_text(path.read_text().replace("slide: B-2", "slide: B-20"))
    [d] = problems(mini)
    assert (d.file, d.line) == ("modules/01-basics/activities/warm-up.md", 7)
    assert "B-20" in d.message


def test_duplicate_activity_slug(mini: Path) -> None:
    write(mini, "modules/02-more/module.md", "---\nid: M\ntitle: More\n---\nText\n")
    write(mini, "modules/02-more/activities/warm-up.md", "---\ntitle: Again\nminutes: 5\n---\nX\n")
    found = [d for d in problems(mini) if d.level == "error"]
    assert [(d.file, d.message) for d in found] == [
        ("modules/02-more/activities/warm-up.md", "duplicate activity slug 'warm-up'")]


def test_duplicate_explicit_slide_id(mini: Path) -> None:
    write(mini, "slides/01-basics.md", "## One\n\n---\n<!-- slide: id=B-2 -->\n## Two\n")
    [d] = problems(mini)
    assert (d.file, d.line, d.message) == ("slides/01-basics.md", 4, "duplicate slide id 'B-2'")


def test_unknown_slide_layout(mini: Path) -> None:
    write(mini, "slides/01-basics.md", "## One\n\n---\n<!-- slide: layout=three-column -->\n## Two\n")
    [d] = problems(mini)
    assert (d.line, d.message) == (4, "unknown slide layout 'three-column'")


def test_step_runs_unknown_activity(mini: Path) -> None:
    path = mini / "instructor_notes/01-basics.md"
    path.write_text(path.read_text().replace("activity: warm-up", "activity: warmup"))
    found = [d for d in problems(mini) if d.level == "error"]
    assert [(d.line, d.hint) for d in found] == [(10, "did you mean 'warm-up'?")]


def test_not_utf8(mini: Path) -> None:
    (mini / "course/readings/case.md").write_bytes(b"---\ntitle: Caf\xe9\n---\n")
    [d] = problems(mini)
    assert (d.file, d.line) == ("course/readings/case.md", 2) and "not UTF-8" in d.message


def test_front_matter_not_closed(mini: Path) -> None:
    write(mini, "course/readings/case.md", "---\ntitle: Case\n\nBody\n")
    [d] = problems(mini)
    assert (d.line, d.message) == (1, "front matter is not closed")


def test_bom_and_crlf_are_accepted(mini: Path) -> None:
    path = mini / "modules/01-basics/module.md"
    text = path.read_text().replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert problems(mini) == []


def test_notes_without_module_folder(mini: Path) -> None:
    write(mini, "instructor_notes/09-ghost.md", "---\nmaterials: []\n---\n")
    [d] = problems(mini)
    assert d.file == "instructor_notes/09-ghost.md"
    assert "no module folder modules/09-ghost/" in d.message


def test_translation_without_source(mini: Path) -> None:
    write(mini, "course/readings/ghost.es.md", "---\ntitle: Fantasma\n---\n")
    [d] = problems(mini)
    assert d.file == "course/readings/ghost.es.md" and "without a source" in d.message


def test_translation_rejects_structural_keys(mini: Path) -> None:
    write(mini, "modules/01-basics/module.es.md", "---\ntitle: Lo básico\nminutes: 20\n---\nTexto\n")
    [d] = problems(mini)
    assert (d.line, d.message) == (3, "unknown key 'minutes'")


def test_warnings_pass_unless_strict(mini: Path) -> None:
    write(mini, "modules/01-basics/activities/extra.md", "---\ntitle: Extra\n---\nDo it.\n")
    load_courses(Options(mini))  # warnings alone do not fail a build
    found = problems(mini, strict=True)
    assert {(d.line, d.message) for d in found} == {(1, "activity 'extra' has no minutes")}


def test_image_without_alt_text_is_an_error_unless_decorative(mini: Path) -> None:
    from PIL import Image

    Image.new("RGB", (4, 4), "white").save(mini / "modules/01-basics/activities/pic.png")
    write(mini, "modules/01-basics/activities/extra.md",
          "---\ntitle: Extra\nminutes: 5\n---\n![](pic.png)\n\n![](pic.png){: .decorative }\n")
    [d] = [x for x in problems(mini) if "alt text" in x.message]  # the decorative image is fine
    assert (d.file, d.line, d.level, d.message) == (
        "modules/01-basics/activities/extra.md", 5, "error", "image 'pic.png' has no alt text")
    assert ".decorative" in d.hint


def test_missing_image_is_an_error(mini: Path) -> None:
    write(mini, "course/index.md", "---\ntitle: Home\n---\n\n![A chart](chart.png)\n")
    [d] = problems(mini)
    assert (d.file, d.line, d.message) == ("course/index.md", 5, "image 'chart.png' not found")


def test_day_overrun_is_a_warning(mini: Path) -> None:
    path = mini / "modules/01-basics/module.md"
    path.write_text(path.read_text().replace("presentation_minutes: 30", "presentation_minutes: 200"))
    found = problems(mini, strict=True)
    overrun = [d for d in found if "runs until" in d.message]
    assert [(d.file, d.line) for d in overrun] == [("course/course.yml", 11)]
    assert "day 1 runs until 13:20, 80 minutes past its end 12:00" in overrun[0].message


def test_steps_must_add_up(mini: Path) -> None:
    path = mini / "instructor_notes/01-basics.md"
    path.write_text(path.read_text().replace("minutes: 30", "minutes: 20"))
    [d] = problems(mini, strict=True)
    assert d.message == "facilitation steps take 65 minutes, module B takes 75"


def test_accessibility_warnings(mini: Path) -> None:
    write(mini, "course/index.md", """
        ---
        title: Home
        ---
        # Another title

        ## Part

        #### Too deep

        Read the case [here](readings/case.md) or [click here](readings/case.md).
        An informative [case study](readings/case.md) is fine.
        """)
    found = [(d.line, d.message) for d in problems(mini, strict=True) if d.file == "course/index.md"]
    assert found == [
        (4, "a '#' heading in the text"),
        (8, "heading level skips from h2 to h4"),
        (10, "link text 'click here' does not say where it goes"),
        (10, "link text 'here' does not say where it goes"),
    ]


# ---- bounded parsing, and check knowing what the build reads ----

@pytest.mark.parametrize("where", ["modules/01-basics/module.md", "course/course.yml", "theme/i18n/es.yml"])
def test_billion_laughs_is_refused_quickly(mini: Path, where: str) -> None:
    import time

    path = mini / where
    text = path.read_text(encoding="utf-8") if path.exists() else "language_name: Español\n"
    if where.endswith(".md"):
        text = text.replace("---\n", "---\n" + LAUGHS, 1)
    else:
        text = LAUGHS + text
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    found = [d for d in problems(mini) if d.level == "error"]
    assert time.perf_counter() - started < 10  # a guard, not a benchmark: expanded, this ran for minutes
    assert [(d.file, d.message) for d in found] == [(where, "anchors and aliases (&name, *name) are not allowed")]
    assert found[0].line == (2 if where.endswith(".md") else 1)


def test_interface_strings_never_raise(mini: Path) -> None:
    """A catalogue the check refuses is not read at render time either (no ScannerError, no
    expansion); its placeholders are those of the engine's English string."""
    from coursebook.i18n import Strings, placeholders

    write(mini, "theme/i18n/es.yml", "language_name: &n Español\nday: *n\n")
    assert Strings(mini, "es")("day", n=2) == "Día 2"  # the broken one counts as empty: the engine's
    assert placeholders("Página {page} de {pages} {{literal}}") == {"page", "pages"}
    for wrong in ("Día {}", "Día {0}", "Día {n.__class__}", "Día {n[0]}", "Día {n"):
        with pytest.raises(ValueError):
            placeholders(wrong)


def test_deck_ids_do_not_shift(mini: Path) -> None:
    """An empty slide or early notes are errors, and are left out: the ids after them stay
    the ones the author counted."""
    from coursebook.deck import parse_deck
    from coursebook.diagnostics import Report

    report = Report(mini)
    slides = parse_deck("Note:\nEarly.\n---\n## One\n---\n---\n## Two\n---\n", 1, "B", mini / "d.md", report)
    assert [(s.id, s.title) for s in slides] == [("B-2", "One"), ("B-3", "Two")]
    assert [(d.line, d.message) for d in report.items] == [
        (1, "speaker notes before the first slide"), (6, "an empty slide")]


def test_a_runaway_file_is_cut_short(mini: Path) -> None:
    """Thousands of broken references: the first 200 are shown, then a count, and quickly."""
    import time

    from coursebook.diagnostics import MAX_PER_FILE

    write(mini, "course/readings/refs.md", "---\ntitle: Refs\n---\n" + "[[module:Z]]\n" * 15_000)
    started = time.perf_counter()
    found = [d for d in problems(mini) if d.file == "course/readings/refs.md"]
    assert time.perf_counter() - started < 10
    assert len(found) == MAX_PER_FILE + 1
    assert found[0].message == f"more than {MAX_PER_FILE} errors in this file; the rest are not shown"


def test_unknown_mkdocs_key_is_a_warning_with_its_line(mini: Path) -> None:
    path = mini / "mkdocs.yml"
    path.write_text(path.read_text(encoding="utf-8") + "colour_scheme: green\n", encoding="utf-8")
    found = problems(mini, strict=True)
    line = path.read_text(encoding="utf-8").count("\n")
    assert [(d.file, d.line, d.level) for d in found] == [("mkdocs.yml", line, "warning")]
    assert "colour_scheme" in found[0].message


@pytest.mark.parametrize("old,new", [("title: Mini course", "title: [Mini"), ("languages: [es]", "languages: 5")])
def test_unreadable_languages_give_no_follow_on_warnings(mini: Path, old: str, new: str) -> None:
    """When course.yml's languages cannot be read, its translations are not each warned about."""
    path = mini / "course/course.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    found = problems(mini, strict=True)
    assert [(d.file, d.level) for d in found] == [("course/course.yml", "error")]


def test_engine_catalogues_pass_their_own_check() -> None:
    """Courses do not re-check the engine's theme/i18n (it is outside them): this test does."""
    from coursebook.diagnostics import Report
    from coursebook.i18n import check_catalogues
    from tests.conftest import ROOT

    report = Report(ROOT)
    check_catalogues(ROOT, report)
    assert report.items == []


def test_a_broken_formula_in_a_trainer_block_is_a_check_error_at_its_line(mini: Path) -> None:
    """Trainer blocks are left out of participants' texts but the trainer's guide renders them:
    their maths is checked too."""
    path = mini / "modules/01-basics/module.md"
    text = path.read_text(encoding="utf-8").replace(
        "    Only trainers see this sentence about walnuts.\n",
        "    Only trainers see this sentence about walnuts.\n\n    Growth is $x^{2$ a year.\n")
    path.write_text(text, encoding="utf-8")
    line = text.split("\n").index("    Growth is $x^{2$ a year.") + 1
    found = [d for d in problems(mini) if "cannot be drawn" in d.message]
    assert [(d.file, d.line, d.level) for d in found] == [("modules/01-basics/module.md", line, "error")]


def test_a_code_block_in_a_list_item_is_not_checked_as_prose(mini: Path) -> None:
    """An indented fence (in a list item) is code: its link text is not judged."""
    write(mini, "course/index.md", """
        ---
        title: Home
        ---
        1. Run this:

            ```bash
            # install it, then read [click here](readings/case.md)
            pip install coursebook
            ```
        """)
    assert [d for d in problems(mini, strict=True) if d.file == "course/index.md"] == []
