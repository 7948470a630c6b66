"""The workbook and the trainer's guide are rendered chapter by chapter and assembled
(render/pdf_assemble.py): an edit re-renders its chapter only, and the assembled PDF reads
as one document — contents numbers, "Page n of N", links between chapters, bookmarks,
structure tree — read back with pypdf and pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from coursebook.build import Options, build
from coursebook.context import Context
from coursebook.jobs import Job, Runner
from coursebook.render.pdf_assemble import chapter_links
from tests.conftest import KITCHEN


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def kitchen(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The kitchen course's English PDFs built, then rebuilt after one sentence of module DA
    changed, then rebuilt again unchanged: what each build rendered."""
    root = tmp_path_factory.mktemp("chapters") / "course-repo"
    shutil.copytree(KITCHEN, root)
    out = root.parent / "site"

    def run() -> list[str]:
        options = Options(root, out=out, languages=["en"], outputs=("pdf",), verbosity=0)
        build(options)
        assert options.rendered is not None
        return options.rendered.documents
    first = run()
    module = root / "modules" / "02-data" / "module.md"
    module.write_text(module.read_text().replace("Meters drift,", "Meters drift slowly,", 1))
    edited = run()
    again = run()
    return {"first": first, "edited": edited, "again": again, "out": out / "en" / "handouts"}


def test_an_edit_renders_its_chapter_and_the_assembly_only(kitchen: dict) -> None:
    first, edited = set(kitchen["first"]), set(kitchen["edited"])
    chapters = {d for d in first if "/chapters/" in d}
    assert {"en/chapters/workbook-module-FL.pdf", "en/chapters/workbook-module-DA.pdf",
            "en/chapters/workbook-page-index.pdf", "en/chapters/workbook-answers.pdf",
            "en/chapters/trainers-guide-agenda.pdf", "en/chapters/trainers-guide-module-LG.pdf"} <= chapters
    assert edited & chapters == {"en/chapters/workbook-module-DA.pdf", "en/chapters/trainers-guide-module-DA.pdf"}
    assert {"en/handouts/workbook.pdf", "en/handouts/trainers-guide.pdf", "en/handouts/02-data.pdf"} <= edited
    assert "en/handouts/01-flows.pdf" not in edited
    assert kitchen["again"] == []  # nothing changed: nothing rendered, not even the assembly
    assert "Meters drift slowly," in " ".join(subprocess.run(
        ["pdftotext", str(kitchen["out"] / "workbook.pdf"), "-"], capture_output=True, text=True).stdout.split())


@pytest.mark.parametrize("name", ["workbook.pdf", "trainers-guide.pdf"])
def test_contents_and_bookmarks_point_where_chapters_start(kitchen: dict, name: str) -> None:
    pdf = kitchen["out"] / name
    reader = PdfReader(pdf)
    starts = {item.title: reader.get_destination_page_number(item) + 1
              for item in reader.outline if not isinstance(item, list)}
    contents = page_text(pdf, 2)
    entries = dict(re.findall(r"^\s*(\S.*?)\s?\.{3,}\s*(\d+)\s*$", contents, re.M))
    assert len(entries) >= 5, contents
    for module_id, title in (("FL", "Material flows"), ("DA", "Cleaning the data"), ("LG", "")):
        [entry] = [k for k in entries if k.startswith(f"{module_id}. {title}")]
        [bookmark] = [k for k in starts if k.startswith(f"{module_id} {title}")]
        assert int(entries[entry]) == starts[bookmark], (entry, entries[entry], bookmark, starts[bookmark])
        named = reader.named_destinations[f"module-{module_id}"]
        assert reader.get_destination_page_number(named) + 1 == starts[bookmark]
        assert f"{module_id}" in page_text(pdf, starts[bookmark])
    # chapters follow each other: the bookmarks' pages rise, and every chapter has a bookmark
    assert list(starts.values()) == sorted(starts.values())


@pytest.mark.parametrize("name", ["workbook.pdf", "trainers-guide.pdf"])
def test_page_numbers_run_on_across_chapters(kitchen: dict, name: str) -> None:
    pdf = kitchen["out"] / name
    total = len(PdfReader(pdf).pages)
    assert total >= 6
    assert "Page" not in page_text(pdf, 1)  # the cover
    for n in range(2, total + 1):
        text = page_text(pdf, n)
        assert f"Page {n} of {total}" in text, (n, text[-200:])
        assert len(re.findall(r"Page \d+ of \d+", text)) == 1


def test_links_between_chapters_lead_to_their_targets(kitchen: dict) -> None:
    pdf = kitchen["out"] / "workbook.pdf"
    reader = PdfReader(pdf)
    dests = reader.named_destinations
    links = [(i, str(a.get_object()["/Dest"])) for i, page in enumerate(reader.pages)
             for a in page.get("/Annots") or [] if "/Dest" in a.get_object()]
    assert not [a for page in reader.pages for a in page.get("/Annots") or []
                if "coursebook-anchor" in str(a.get_object().get("/A", {}).get("/URI", ""))]
    assert {name for _, name in links} <= set(dests)  # every link resolves
    # the welcome page (a chapter of its own) links to module DA, which starts later
    welcome = next(i for i in range(len(reader.pages)) if "Welcome to the kitchen sink" in page_text(pdf, i + 1)
                   and i > 1)
    to_da = [name for i, name in links if i == welcome and name == "module-DA"]
    assert to_da
    target = reader.get_destination_page_number(dests["module-DA"])
    assert target > welcome and "Cleaning the data" in page_text(pdf, target + 1)
    # an answer (answers chapter) links back to its question (a module's chapter) and back
    back = [(i, name) for i, name in links if name.startswith("question-")]
    assert back
    for i, name in back:
        page = reader.get_destination_page_number(dests[name])
        assert page < i
        assert any(j == page and other == name.replace("question-", "answer-") for j, other in links)


def test_one_structure_tree_for_the_whole(kitchen: dict) -> None:
    """PDF/UA: one Document element holding every chapter's content, and a parent tree in
    which each page's and each link's key is its own."""
    reader = PdfReader(kitchen["out"] / "workbook.pdf")
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert root["/Lang"] == "en" and "/Metadata" in root
    tree = root["/StructTreeRoot"]
    [document] = tree["/K"]
    assert document.get_object()["/S"] == "/Document"
    nums = tree["/ParentTree"]["/Nums"]
    keys = list(nums[::2])
    assert keys == sorted(set(keys))
    pages = [page["/StructParents"] for page in reader.pages]
    links = [a.get_object()["/StructParent"] for page in reader.pages for a in page.get("/Annots") or []]
    assert len(set(pages + links)) == len(pages) + len(links) and set(pages + links) <= set(keys)
    kids = document.get_object()["/K"]
    assert all(kid.get_object()["/P"].get_object() is document.get_object() or
               kid.get_object()["/P"].idnum == document.idnum for kid in kids)
    marked = dict(zip(keys, nums[1::2], strict=True))
    for n, page in enumerate(reader.pages):  # every page's content is tagged, on that page
        elements = marked[page["/StructParents"]]
        assert elements, n
        assert all(e.get_object()["/Pg"] == page for e in elements if "/Pg" in e.get_object()), n


def test_chapter_links() -> None:
    html = '<section id="module-A"><a href="#module-A">A</a> <a href="#module-B">B</a> <a href="#fn:1">1</a>' \
           '<li id="fn:1"></li><a data-href="#x" href="#answer-A-1">x</a></section>'
    assert chapter_links(html) == html.replace('href="#module-B"', 'href="coursebook-anchor:module-B"') \
        .replace('href="#answer-A-1"', 'href="coursebook-anchor:answer-A-1"')


def part(text: str, *, out: Path) -> None:
    """A stand-in chapter: its text, and a line in the log that it ran."""
    out.write_text(text)
    with open(out.parent.parent / "runs.log", "a") as log:
        log.write(f"{text}\n")


def join(sep: str, *, inputs: tuple[Path, ...], out: Path) -> None:
    """A stand-in assembly: reads the chapters' cached results, given as `inputs`."""
    part(sep.join(p.read_text() for p in inputs), out=out)


@pytest.mark.parametrize("serial", [True, False])
def test_a_job_waits_for_the_jobs_it_needs_and_reruns_when_one_changed(tmp_path: Path, serial: bool) -> None:
    ctx = Context(tmp_path, tmp_path / ".build", verbosity=0, serial=serial)
    (tmp_path / ".build" / "cache").mkdir(parents=True)
    log = tmp_path / ".build" / "runs.log"

    def run(second: str) -> list[str]:
        chapters = tuple(Job(part, (x,), tmp_path / "parts" / f"{i}.txt", cost=9) for i, x in enumerate(("a", second)))
        whole = Job(join, ("+",), tmp_path / "whole.txt", after=chapters)
        log.write_text("")
        with Runner(ctx, "test") as runner:
            runner.submit([whole, *chapters])  # in any order: the assembly waits
            runner.wait()
        return log.read_text().split()
    first = run("b")
    assert sorted(first) == ["a", "a+b", "b"] and first[-1] == "a+b"  # the assembly last
    assert (tmp_path / "whole.txt").read_text() == "a+b"
    assert run("b") == []  # nothing changed: not even the assembly runs
    assert run("c") == ["c", "a+c"]  # one chapter changed: it, then the assembly
    assert (tmp_path / "whole.txt").read_text() == "a+c"
