"""Results `check` keeps between runs (`coursebook/memo.py`, `.build/check/memo.pickle`): keyed
by content and engine, so a check after an edit reports exactly what a check from scratch does."""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from pathlib import Path

from coursebook import memo
from coursebook.build import Options, load_courses
from coursebook.diagnostics import CourseError
from tests.conftest import ROOT, write

GLOSSARY = "- term: zebra\n  es: cebra\n"
WARM_UP = "modules/01-basics/activities/warm-up.es.md"


def _as_a_new_process() -> None:
    """Write the stores back and forget them: the next check reads `.build/check/` again."""
    memo.save()
    memo._STORES.clear()
    memo._CURRENT.clear()


def diagnostics(root: Path) -> list[str]:
    """`check`'s report, as a new process sees it: the store read back from `.build/check/`."""
    _as_a_new_process()
    options = Options(root, verbosity=0)
    try:
        load_courses(options)
    except CourseError:
        pass
    memo.save()
    return [d.format() for d in options.report.sorted()]


def _warm_up(root: Path, text: str) -> None:
    write(root, WARM_UP, f"""\
        ---
        title: Calentamiento
        ---
        1. {text}
        2. Escriba tres ideas.
        """)


def test_a_check_after_an_edit_reports_what_a_check_from_scratch_does(mini: Path) -> None:
    (mini / "course" / "glossary.yml").write_text(GLOSSARY, encoding="utf-8")
    _warm_up(mini, "Hable de una cebra.")
    before = diagnostics(mini)
    assert (mini / memo.FILE).is_file()
    assert not [x for x in before if "glossary" in x or "missing.csv" in x]

    _warm_up(mini, "Hable de un caballo. Vea [los datos](missing.csv).")  # the agreed term gone, a broken link
    edited = diagnostics(mini)  # everything else from the store
    shutil.rmtree(mini / ".build" / "check")
    assert diagnostics(mini) == edited  # from scratch: the same report
    assert f"{WARM_UP}:4: warning: glossary: the source says 'zebra' but the translation lacks 'cebra'" \
        in "\n".join(edited)
    assert [x for x in edited if x.startswith(f"{WARM_UP}:4: error: link to 'missing.csv'")]

    _warm_up(mini, "Hable de una cebra.")  # back as it was: the problems go
    assert diagnostics(mini) == before


def test_a_corrupt_or_foreign_store_is_recomputed(mini: Path) -> None:
    _warm_up(mini, "Vea [los datos](missing.csv).")
    expected = diagnostics(mini)
    assert [x for x in expected if "missing.csv" in x]
    store = mini / memo.FILE
    engine, entries = pickle.loads(store.read_bytes())
    assert engine == memo.digest() and entries

    store.write_bytes(store.read_bytes()[:100])  # cut short
    assert diagnostics(mini) == expected
    store.write_bytes(b"not a pickle")
    assert diagnostics(mini) == expected
    assert pickle.loads(store.read_bytes())[0] == memo.digest()  # written back whole

    wrong = pickle.dumps(([], {}, []))  # an empty file's parse, say: would hide every problem
    store.write_bytes(pickle.dumps(("another engine", {k: wrong for k in entries})))
    assert diagnostics(mini) == expected  # another engine's results are never used


def test_nothing_is_kept_through_a_linked_build_folder(mini: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (mini / ".build").symlink_to(elsewhere)
    _warm_up(mini, "Vea [los datos](missing.csv).")
    assert [x for x in diagnostics(mini) if "missing.csv" in x]
    assert list(elsewhere.iterdir()) == []


def _activity(root: Path, minutes: str, title: str = "Warm-up") -> None:
    write(root, "modules/01-basics/activities/warm-up.md", f"""\
        ---
        title: {title}
        minutes: {minutes}
        grouping: Pairs
        materials: [Paper]
        output: A list of three ideas
        slide: B-2
        ---
        1. Talk with your neighbour about a zebra.
        2. Write three ideas.
        """)


def _courses(root: Path) -> dict:
    """The editions `check` models, as a new process sees them."""
    _as_a_new_process()
    return {c.lang: c for c in load_courses(Options(root, verbosity=0))}


def test_typed_metadata_from_the_store_is_what_validation_gives(mini: Path) -> None:
    _activity(mini, "45")
    fresh = _courses(mini)["es"]
    again = _courses(mini)["es"]  # every file's metadata from the store
    assert again.modules[0].activities[0].meta == fresh.modules[0].activities[0].meta
    assert again.config == fresh.config and again.config.title != _courses(mini)["en"].config.title

    _activity(mini, "0")  # an error: reported at every run, not kept as a result
    for _ in range(2):
        found = diagnostics(mini)
        assert [x for x in found if x.startswith("modules/01-basics/activities/warm-up.md:3: error: 'minutes'")], found
    _activity(mini, "30", title="Warm-up, shorter")
    edited = _courses(mini)["en"].modules[0].activities[0].meta
    assert (edited.minutes, edited.title) == (30, "Warm-up, shorter")


def test_a_check_command_writes_its_store_and_report_before_leaving(mini: Path) -> None:
    """`python build.py check` ends without the interpreter's teardown (`cli.run`): what it printed
    and the results it kept must be written all the same, and its exit status kept."""
    _warm_up(mini, "Vea [los datos](missing.csv).")
    command = [sys.executable, str(ROOT / "build.py"), "check", "--root", str(mini)]
    first = subprocess.run(command, capture_output=True, text=True)
    assert first.returncode == 1, first.stderr
    assert f"{WARM_UP}:4: error: link to 'missing.csv'" in first.stderr
    engine, entries = pickle.loads((mini / memo.FILE).read_bytes())
    assert engine == memo.digest() and entries

    _warm_up(mini, "Hable de un caballo.")
    second = subprocess.run([sys.executable, "-m", "coursebook", *command[2:]], capture_output=True, text=True,
                            cwd=ROOT)
    assert second.returncode == 0, second.stderr
    assert "missing.csv" not in second.stderr and "checked in" in second.stderr
    assert len(pickle.loads((mini / memo.FILE).read_bytes())[1]) > len(entries)  # the edit's results added


def test_a_check_after_an_edit_loads_no_renderers_library(mini: Path) -> None:
    """A check is a new process at every save: what it imports is most of its time. After an
    edit it must import neither the Markdown library (mkdocs.yml's extensions are checked once
    per change of it, `sanitize.py` and `markdown.py` load theirs only to convert) nor MkDocs,
    WeasyPrint or Jinja."""
    command = [sys.executable, "-X", "importtime", str(ROOT / "build.py"), "check", "--root", str(mini)]
    assert subprocess.run(command, capture_output=True, text=True).returncode == 0  # the store, from scratch
    _warm_up(mini, "Hable de un caballo.")
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "coursebook.validate" in imported and "pydantic" in imported  # the check ran, and is read right
    assert not imported & {"markdown", "mkdocs", "weasyprint", "jinja2", "pymdownx"}, imported & {"markdown"}
