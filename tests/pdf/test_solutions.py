"""Solutions and embedded activities, read back from the built outputs: `solutions: end`
moves answers to an "Answers" section after the modules (each linked to its question),
`omit` leaves them out, `inline` keeps them in place, and the trainer's guide always has them
in place; `[[embed:slug]]` puts an activity where the text introduces it, in the page, the
handout and the agenda; `check` reports bad embeds at their line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from coursebook.agenda import compute_agenda
from coursebook.build import Options, build, load_courses
from coursebook.diagnostics import CourseError
from tests.build import readback
from tests.conftest import MINI, write

MODULE = """---
id: B
title: Basics
presentation_minutes: 30
objectives: [Understand the basics]
---
## Before the exercise

Words before the first activity, enough of them to count: one two three four five six seven
eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen.
Twenty twenty-one and more words, so that this stretch of text is the longer of the two and
takes the larger share of the presentation minutes in the agenda, as a longer talk would do.

[[embed:warm-up]]

## Exercise on sums

What is two and two? Think of QUESTIONTEXT.

??? solution "Solution"
    The answer is SOLUTIONMODULE.

Closing words after the exercise, ten of them to count here.
"""

WRAP_UP = """---
title: Wrap-up
minutes: 15
---
Say what you learnt.

??? solution
    A good summary names SOLUTIONACTIVITY.
"""


def pdf_text(path: Path) -> str:
    """The PDF's text (readback.pdf_text), its whitespace runs made single spaces."""
    return re.sub(r"\s+", " ", readback.pdf_text(path))


def course(tmp: Path, solutions: str | None) -> Path:
    root = tmp / f"course-{solutions}"
    shutil.copytree(MINI, root)
    (root / "modules" / "01-basics" / "module.md").write_text(MODULE)
    (root / "modules" / "01-basics" / "module.es.md").unlink()
    write(root, "modules/01-basics/activities/wrap-up.md", WRAP_UP)
    warm_up = root / "modules" / "01-basics" / "activities" / "warm-up.md"
    warm_up.write_text(warm_up.read_text() + "\n??? solution\n    Ideas such as SOLUTIONWARMUP.\n")
    notes = root / "instructor_notes" / "01-basics.md"
    notes.write_text(notes.read_text().replace("    do: Run the warm-up.\n", "    do: Run the warm-up.\n"
                                               "  - minutes: 15\n    activity: wrap-up\n    do: Sum up.\n"))
    if solutions:
        config = root / "course" / "course.yml"
        config.write_text(config.read_text() + f"solutions: {solutions}\n")
    return root


@pytest.fixture(scope="module")
def ends(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = course(tmp_path_factory.mktemp("sol"), None)  # the default: end
    build(Options(root, languages=["en"], outputs=("site", "pdf"), verbosity=0))
    return root / "site" / "en"


def test_end_moves_answers_after_the_modules_with_links_both_ways(ends: Path) -> None:
    for name in ("01-basics.pdf", "workbook.pdf"):
        text = pdf_text(ends / "handouts" / name)
        answers = text.rindex("Answers")
        assert text.index("QUESTIONTEXT") < answers < text.index("SOLUTIONMODULE"), name
        assert text.index("Say what you learnt") < answers < text.index("SOLUTIONACTIVITY"), name
        # numbered in reading order: the embedded warm-up comes before the module's exercise
        assert "Answer B.1 is at the end" in text and "Answer B.2 — Exercise on sums" in text
        assert "Answer B.1 — Warm-up" in text  # no heading before it: the activity's title
        assert "Answer B.3 — Wrap-up" in text
        assert text.index("Answer B.1 —") < text.index("Answer B.2 —") < text.index("Answer B.3 —")
        assert text.count("Back to the question") == 3
    workbook = pdf_text(ends / "handouts" / "workbook.pdf")
    assert workbook.index("A case study") < workbook.rindex("Answers")  # at the very end
    from pypdf import PdfReader

    reader = PdfReader(str(ends / "handouts" / "01-basics.pdf"))
    targets = {str(name) for name in reader.named_destinations}
    assert {f"{kind}-B-{n}" for kind in ("question", "answer") for n in (1, 2, 3)} <= targets


def test_the_guide_and_the_site_keep_solutions_in_place(ends: Path) -> None:
    guide = pdf_text(ends / "handouts" / "trainers-guide.pdf")
    assert guide.index("QUESTIONTEXT") < guide.index("SOLUTIONMODULE") < guide.index("Closing words")
    assert "Answers" not in guide
    page = (ends / "modules" / "01-basics.html").read_text()
    assert re.search(r'<details class="solution">\s*<summary>Solution</summary>\s*<p>The answer is SOLUTIONMODULE',
                     page)


def test_an_embedded_activity_is_where_the_text_puts_it(ends: Path) -> None:
    import lxml.html

    page = lxml.html.fromstring((ends / "modules" / "01-basics.html").read_bytes()).xpath("//article")[0]
    page = " ".join(page.itertext())
    order = [page.index(x) for x in ("Words before", "Talk with your neighbour", "Exercise on sums",
                                     "Activities", "Say what you learnt")]
    assert order == sorted(order)
    assert page.count("Talk with your neighbour") == 1
    assert 'id="activity-warm-up"' in (ends / "modules" / "01-basics.html").read_text()
    for name in ("01-basics.pdf", "trainers-guide.pdf"):
        text = pdf_text(ends / "handouts" / name)
        order = [text.index(x) for x in ("Words before", "Talk with your neighbour", "Exercise on sums",
                                         "Say what you learnt")]
        assert order == sorted(order), name


def test_agenda_follows_the_embeds(tmp_path: Path) -> None:
    root = course(tmp_path, None)
    (c,) = load_courses(Options(root, languages=["en"]))
    slots = [(s.title, s.minutes) for s in compute_agenda(c)[0].slots if s.kind == "session"]
    # 30 min of presentation shared by words: ~20 before the warm-up, ~10 after; wrap-up last
    assert [t for t, _ in slots] == ["Basics", "Warm-up", "Basics", "Wrap-up"]
    assert sum(m for t, m in slots if t == "Basics") == 30 and slots[0][1] > slots[2][1] > 0
    assert slots[1][1] == 45 and slots[3][1] == 15


@pytest.mark.parametrize("mode", ["omit", "inline"])
def test_omit_and_inline(tmp_path: Path, mode: str) -> None:
    root = course(tmp_path, mode)
    build(Options(root, languages=["en"], outputs=("pdf",), verbosity=0))
    handouts = root / "site" / "en" / "handouts"
    for name in ("01-basics.pdf", "workbook.pdf"):
        text = pdf_text(handouts / name)
        assert "Answers" not in text and "is at the end" not in text
        if mode == "omit":
            assert "SOLUTIONMODULE" not in text and "SOLUTIONACTIVITY" not in text
        else:
            assert text.index("QUESTIONTEXT") < text.index("SOLUTIONMODULE") < text.index("Closing words")
    assert "SOLUTIONMODULE" in pdf_text(handouts / "trainers-guide.pdf")


def test_bad_embeds_are_errors_at_their_line(tmp_path: Path) -> None:
    root = course(tmp_path, None)
    write(root, "modules/02-more/module.md", """
        ---
        id: M
        title: More
        presentation_minutes: 10
        ---
        Text.

        [[embed:warm-up]]

        [[embed:nothing-like-it]]

        [[embed:closing]]

        [[embed:closing]]

        In a sentence [[embed:closing]] is wrong.
        """)
    write(root, "modules/02-more/activities/closing.md", "---\ntitle: Closing\nminutes: 5\n---\nBye.\n")
    with pytest.raises(CourseError) as err:
        load_courses(Options(root, languages=["en"]))
    got = [(d.line, d.message) for d in err.value.diagnostics
           if d.level == "error" and str(d.file).endswith("02-more/module.md")]
    assert got == [(8, "[[embed:warm-up]] embeds an activity of module B"),
                   (10, "[[embed:nothing-like-it]]: module M has no activity 'nothing-like-it'"),
                   (14, "activity 'closing' is embedded twice (first at line 12)"),
                   (16, "[[embed:…]] must be a paragraph of its own")]


def test_a_translation_that_embeds_differently_is_a_warning(tmp_path: Path) -> None:
    root = course(tmp_path, None)
    write(root, "modules/01-basics/module.es.md", """
        ---
        title: Lo básico
        ---
        Texto sin actividades incrustadas.
        """)
    with pytest.raises(CourseError) as err:
        load_courses(Options(root, strict=True))
    got = [(d.level, d.line, d.message) for d in err.value.diagnostics if str(d.file).endswith("module.es.md")]
    assert got == [("warning", 4, "this translation embeds no activity, its source ['warm-up']")]


def test_steps_that_run_activities_out_of_the_agenda_order_are_a_warning(tmp_path: Path) -> None:
    root = course(tmp_path, None)
    notes = root / "instructor_notes" / "01-basics.md"
    text = notes.read_text()
    notes.write_text(text.replace("activity: warm-up", "activity: @").replace("activity: wrap-up", "activity: warm-up")
                     .replace("activity: @", "activity: wrap-up"))
    with pytest.raises(CourseError) as err:
        load_courses(Options(root, languages=["en"], strict=True))
    got = [(d.level, d.message) for d in err.value.diagnostics if str(d.file).endswith("01-basics.md")
           and "agenda" in d.message]
    assert got == [("warning", "step runs activity 'wrap-up' where the agenda has 'warm-up'")]
