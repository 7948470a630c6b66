"""Each module's share of the layout kept between builds (`render/module_memo.py`): after an
edit of any kind, the documents laid out from the memo are the documents laid out afresh, and
an edit to one module's text lays out that module only."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from coursebook.build import Options, load_courses
from coursebook.context import Context
from coursebook.jobs import Runner
from coursebook.load import ENGINE_THEME
from coursebook.markdown import Markdown
from coursebook.memo_db import Memo
from coursebook.render import module_memo, pdf, site, slides

from ..conftest import KITCHEN, edit


def _lay_out(root: Path, memo: Path) -> dict[str, str]:
    """Every document of every edition as the layout hands it to the jobs (HTML, files read),
    and every page of its site source, with the memo at `memo`."""
    options = Options(root, verbosity=0)
    courses = load_courses(options)
    ctx = Context(root, root / ".build", 0, sources=options.sources)
    ctx.memo = Memo(memo)
    ctx.markdown = Markdown(root, ctx.memo)
    Runner(ctx, "layout")  # a build's runner: the files jobs read are hashed afresh
    documents = {}
    for course in courses:
        docs = ctx.docs(course)
        shutil.rmtree(docs, ignore_errors=True)
        docs.mkdir(parents=True)
        for job in pdf.render(course, ctx, docs) + slides.render(course, ctx, docs):
            documents[job.out.relative_to(root).as_posix()] = repr(
                (job.func.__qualname__, job.args, sorted(map(str, job.deps)), [j.key() for j in job.after]))
        site.write_source(course, ctx, docs)
        documents |= {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in docs.rglob("*.md")}
    ctx.memo.close()
    return documents


def _theme(rel: str, old: str, new: str) -> Callable[[Path], None]:
    """The course's own copy of an engine theme file, edited (a fork's override)."""
    def apply(root: Path) -> None:
        (root / "theme" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ENGINE_THEME / rel, root / "theme" / rel)
        edit(f"theme/{rel}", old, new)(root)
    return apply


def _image(root: Path) -> None:
    """A figure of module FL that module DA shows too, replaced by another picture."""
    shutil.copyfile(root / "modules/01-flows/images/savings.png", root / "modules/01-flows/images/rule.png")


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("a sentence in module DA", edit("modules/02-data/module.md", "Meters drift,", "Meters age and drift,")),
    ("a sentence in module FL, before its embedded activity",
     edit("modules/01-flows/module.md", "\n\n[[embed:map-the-flow]]", " Quite so.\n\n[[embed:map-the-flow]]")),
    ("a sentence in LG, the module without a translation",
     edit("modules/03-long/module.md", "Its text is ordinary", "Its text is plain, ordinary")),
    ("the title of FL's activity, which DA's activity names", edit(
        "modules/01-flows/activities/map-the-flow.md", "title:", "title: Renamed —")),
    ("FL's title (DA links to it)", edit("modules/01-flows/module.md", "title:", "title: Now —")),
    ("a slide title in DA's deck", edit("slides/02-data.md", "## Three common errors", "## Three errors")),
    ("a bullet of a slide in DA's deck", edit("slides/02-data.md", "- Copying mistakes", "- Copying errors")),
    ("a slide's speaker notes", edit("slides/02-data.md", "One example of each", "One example of every kind")),
    ("a line of DA's activity", edit("modules/02-data/activities/clean-data.md", "mark every", "mark each")),
    ("the text of DA's trainer notes", edit("instructor_notes/02-data.md", "Groups that finish", "Groups done")),
    ("the Spanish text of DA", edit("modules/02-data/module.es.md", "\n## ", "\nUna frase más.\n\n## ")),
    ("a step of FL's trainer notes", edit("instructor_notes/01-flows.md", "TRAINERMARK-step", "TRAINERMARK-step2")),
    ("the picture FL and DA both show", _image),
    ("the schedule (every clock time)", edit("course/course.yml", 'start: "09:00"', 'start: "08:30"')),
    ("the course's title", edit("course/course.yml", "title: Kitchen sink course", "title: Kitchen course")),
    ("solutions in place", edit("course/course.yml", "solutions: end", "solutions: inline")),
    ("an interface string", _theme("i18n/en.yml", "workbook: Participant workbook", "workbook: The workbook")),
    ("the handout's template", _theme("pdf/handout.html", "</", "<!-- a fork's change --></")),
    ("a reading (the workbook prints it)", edit("course/readings/field-guide.md", "\n\n", "\n\nOne more line.\n\n")),
]


@pytest.fixture
def kitchen(tmp_path: Path) -> Path:
    """The kitchen course, its Spanish DA marked current: an edit to the English DA then
    changes every edition's translation coverage, as in a translated course."""
    root = tmp_path / "course-repo"
    shutil.copytree(KITCHEN, root)
    digest = hashlib.sha256((root / "modules/02-data/module.md").read_bytes()).hexdigest()[:12]
    edit("modules/02-data/module.es.md", "---\n", f"---\ntranslation_of: {digest}\n")(root)
    return root


def test_documents_from_the_memo_are_the_documents_laid_out_afresh(kitchen: Path, tmp_path: Path) -> None:
    kept = tmp_path / "kept.sqlite"
    _lay_out(kitchen, kept)
    for i, (what, change) in enumerate(EDITS):
        before = _lay_out(kitchen, kept)
        change(kitchen)
        module_memo.LAID_OUT.clear()
        from_memo = _lay_out(kitchen, kept)
        assert module_memo.LAID_OUT, f"after {what}: nothing laid out again"
        fresh = _lay_out(kitchen, tmp_path / f"fresh-{i}.sqlite")
        assert from_memo.keys() == fresh.keys(), what
        stale = [doc for doc in fresh if from_memo[doc] != fresh[doc]]
        assert not stale, f"after {what}, laid out from a stale memo: {stale}"
        assert from_memo != before, f"{what} changed no document: not an edit the test can judge"


def test_an_edit_to_one_modules_text_lays_out_that_module_only(kitchen: Path, tmp_path: Path) -> None:
    kept = tmp_path / "kept.sqlite"
    _lay_out(kitchen, kept)
    module_memo.LAID_OUT.clear()
    _lay_out(kitchen, kept)
    assert not module_memo.LAID_OUT, "nothing changed, yet modules were laid out again"
    coverage = [c.coverage for c in load_courses(Options(kitchen, verbosity=0))]
    EDITS[0][1](kitchen)  # a sentence in module DA (no embedded activity: the timetable stays)
    assert coverage != [c.coverage for c in load_courses(Options(kitchen, verbosity=0))]  # es: DA stale
    _lay_out(kitchen, kept)
    laid = {(Path(path).relative_to(kitchen).as_posix(), what) for path, what in module_memo.LAID_OUT}
    # DA, in English and in its Spanish edition (which follows the English text); LG and FL kept
    assert {path for path, _ in laid} == {"modules/02-data/module.md", "modules/02-data/module.es.md"}
    assert {what for _, what in laid} == {"handout", "workbook", "guide",  # views and chapters
                                          "handouts/workbook.pdf", "handouts/trainers-guide.pdf",
                                          "slides", "deck", "slides-print.html", "slides-handout.html",
                                          "page", "trainer-page"}  # the site's pages


def test_every_field_of_the_typed_metadata_is_in_its_repr() -> None:
    """Typed metadata is keyed by its `repr`: a field left out of it would be left out of the key."""
    from pydantic import BaseModel

    from coursebook import schema, schema_workshop

    models = [x for mod in (schema, schema_workshop) for x in vars(mod).values()
              if isinstance(x, type) and issubclass(x, BaseModel) and x is not BaseModel]
    assert len(models) > 5
    hidden = [f"{m.__name__}.{name}" for m in models for name, f in m.model_fields.items() if not f.repr]
    assert not hidden, f"fields left out of repr (and so of module_memo's keys): {hidden}"


def test_a_file_rewritten_in_place_is_hashed_again(tmp_path: Path) -> None:
    """`serve` scans the repository at every edit and takes over the hashes of files whose
    stat is unchanged: a figure rewritten with the same size, its date put back (as some
    editors and `git checkout` do), still gets its new hash — its change time moved."""
    import os
    import time

    figure = tmp_path / "figure.svg"
    figure.write_bytes(b"<svg>1</svg>")
    time.sleep(2.1)  # hashed more than two seconds after its last change: kept for the process
    first = module_memo._file_digest(str(figure))
    assert module_memo._HASHED[str(figure)][1] == first == hashlib.sha256(b"<svg>1</svg>").hexdigest()
    stat = figure.stat()
    figure.write_bytes(b"<svg>2</svg>")
    os.utime(figure, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert module_memo._file_digest(str(figure)) == hashlib.sha256(b"<svg>2</svg>").hexdigest()
    assert module_memo._HASHED[str(figure)][1] == first  # changed within two seconds: that hash not kept


def test_a_new_process_takes_the_hashes_over_from_the_last_builds_record(tmp_path: Path) -> None:
    """A build records each file's hash with its stat, and the next process (`build.py` after
    an edit) takes it over for the files whose stat is unchanged instead of reading them all
    again; a file changed since is read again, one changed within two seconds is not recorded."""
    import time

    root = tmp_path / "repo"
    (root / ".build").mkdir(parents=True)
    old, new = root / "figure-old.svg", root / "figure-new.svg"
    old.write_bytes(b"<svg>1</svg>")
    time.sleep(2.1)
    new.write_bytes(b"<svg>2</svg>")

    def scan() -> dict[str, str]:
        module_memo._HASHED.clear()  # as in a new process
        ctx = Context(root, root / ".build", 0)
        try:
            return module_memo._scan(ctx)
        finally:
            ctx.memo.close()

    first = scan()
    assert first[str(old)] == hashlib.sha256(b"<svg>1</svg>").hexdigest()
    assert first[str(new)] == hashlib.sha256(b"<svg>2</svg>").hexdigest()
    memo = Memo(root / ".build" / "memo.sqlite")
    at = memo.key("scanned", str(root.resolve()))
    record = memo.get(at)
    assert str(old) in record and str(new) not in record  # just written: not trusted yet
    record[str(old)][-1] = "recorded"  # what the last build hashed: taken over, the file not read
    memo.put(at, record)
    memo.close()
    assert scan()[str(old)] == "recorded"
    old.write_bytes(b"<svg>3</svg>")  # the same size: its dates and stat tell it changed
    assert scan()[str(old)] == hashlib.sha256(b"<svg>3</svg>").hexdigest()
