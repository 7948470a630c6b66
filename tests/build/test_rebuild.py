"""Rebuilds cost what the edit touched: after an edit to a module, a translation, the print
theme, the site theme or course.yml, exactly the documents and pages that show it are rendered
again (what, not how long: timings live in bench/). And a site rebuilt page by page is the
site a full build makes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from coursebook.build import Options, Rendered, build
from tests.conftest import MINI, ROOT

HANDOUTS = {"handouts/01-basics.pdf", "handouts/workbook.pdf", "handouts/trainers-guide.pdf"}
DECKS = {"slides/01-basics.pdf", "slides/01-basics-handout.pdf", "slides/01-basics.pptx"}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rebuild") / "repo"
    shutil.copytree(MINI, root)
    rebuild(root)
    return root


def rebuild(root: Path) -> Rendered:
    options = Options(root, verbosity=0)
    build(options)
    assert options.rendered is not None
    return options.rendered


def published(rendered: Rendered, lang: str) -> set[str]:
    """The published documents of one edition that were rendered (chapters left out)."""
    return {d.split("/", 1)[1] for d in rendered.documents if d.startswith(f"{lang}/") and "/chapters/" not in d}


def text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def edit(path: Path, old: str, new: str) -> str:
    before = path.read_text(encoding="utf-8")
    assert old in before
    path.write_text(before.replace(old, new, 1), encoding="utf-8")
    return before


def test_module_edit_renders_that_module_only(repo: Path) -> None:
    module = repo / "modules" / "01-basics" / "module.md"
    before = edit(module, "More participant text.", "More participant text about compost.")
    try:
        done = rebuild(repo)
        assert published(done, "en") == HANDOUTS  # the handout, workbook and guide show the module; not its deck
        assert published(done, "es") == set()  # the Spanish edition has its own text
        assert {d for d in done.documents if "/chapters/" in d} == {
            "en/chapters/workbook-module-B.pdf", "en/chapters/trainers-guide-module-B.pdf"}  # not the others
        assert done.sites["en"].mode == "dirty" and done.sites["es"].mode == "cached"
        # and the downloads page, if a handout's size as shown (KB) changed
        assert set(done.sites["en"].pages) - {"downloads.html"} == {"modules/01-basics.html"}
        site = repo / "site" / "en"
        assert "about compost" in (site / "modules" / "01-basics.html").read_text()
        assert "about compost" in text(site / "handouts" / "workbook.pdf").replace("\n", " ")
        index = json.loads((site / "search" / "search_index.json").read_text())
        assert any("about compost" in d["text"] for d in index["docs"])  # the merged index has it
        assert any(d["location"].startswith("agenda.html") for d in index["docs"])  # and the others
    finally:
        module.write_text(before, encoding="utf-8")
        rebuild(repo)


def test_translation_edit_renders_that_edition_only(repo: Path) -> None:
    translation = repo / "modules" / "01-basics" / "module.es.md"
    before = translation.read_text(encoding="utf-8")
    translation.write_text(before + "\nUna frase sobre el compost.\n", encoding="utf-8")
    try:
        done = rebuild(repo)
        assert published(done, "es") == HANDOUTS and published(done, "en") == set()
        assert done.sites["en"].mode == "cached" and done.sites["es"].mode == "dirty"
        assert "modules/01-basics.html" in done.sites["es"].pages
        assert "sobre el compost" in (repo / "site" / "es" / "modules" / "01-basics.html").read_text()
    finally:
        translation.write_text(before, encoding="utf-8")
        rebuild(repo)


def test_print_theme_edit_renders_every_pdf_and_no_page(repo: Path) -> None:
    css = repo / "theme" / "pdf" / "print.css"
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text((ROOT / "theme" / "pdf" / "print.css").read_text() + "\nh1 { letter-spacing: 0.02em; }\n")
    try:
        done = rebuild(repo)
        for lang in ("en", "es"):
            assert published(done, lang) == HANDOUTS  # every handout; the decks have their own CSS
            assert set(done.sites[lang].pages) <= {"downloads.html"}  # where a handout's size (KB) changed
    finally:
        css.unlink()
        rebuild(repo)


def test_site_theme_edit_rebuilds_the_sites_and_no_pdf(repo: Path) -> None:
    override = repo / "theme" / "overrides" / "main.html"
    override.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "theme" / "overrides" / "main.html", override)
    override.write_text(override.read_text() + "\n{# a centre's own footer note #}\n")
    try:
        done = rebuild(repo)
        assert done.documents == []
        assert {lang: b.mode for lang, b in done.sites.items()} == {"en": "full", "es": "full"}
    finally:
        override.unlink()
        rebuild(repo)


def test_course_yml_edit_renders_what_shows_it(repo: Path) -> None:
    config = repo / "course" / "course.yml"
    before = edit(config, 'version: "0.1"', 'version: "0.2"')
    try:
        done = rebuild(repo)
        for lang in ("en", "es"):
            assert published(done, lang) == HANDOUTS  # footers print the version
            assert done.sites[lang].mode == "full"  # the copyright line of every page
        assert "0.2" in text(repo / "site" / "es" / "handouts" / "01-basics.pdf")
    finally:
        config.write_text(before, encoding="utf-8")
        rebuild(repo)


def test_an_edit_that_keeps_the_size_of_every_file_is_seen(repo: Path) -> None:
    """The site sources' hashes are taken over from the last build for files not written since
    (same inode, size and date): a one-letter change must still reach the page and the handout."""
    module = repo / "modules" / "01-basics" / "module.md"
    before = edit(module, "More participant text.", "More participant taxt.")
    try:
        done = rebuild(repo)
        assert published(done, "en") == HANDOUTS
        assert "participant taxt" in (repo / "site" / "en" / "modules" / "01-basics.html").read_text()
        assert "participant taxt" in text(repo / "site" / "en" / "handouts" / "01-basics.pdf")
    finally:
        module.write_text(before, encoding="utf-8")
        rebuild(repo)


def test_nothing_changed_renders_nothing(repo: Path) -> None:
    done = rebuild(repo)
    assert done.documents == [] and {b.mode for b in done.sites.values()} == {"cached"}


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_site_rebuilt_page_by_page_is_the_full_build(repo: Path, tmp_path: Path) -> None:
    module = repo / "modules" / "01-basics" / "module.md"
    before = edit(module, "## After", "## After the break")  # a heading: the page's TOC and search entries
    try:
        assert rebuild(repo).sites["en"].mode == "dirty"
        dirty = tree(repo / "site" / "en")
        for state in (repo / ".build" / "en").glob("*-state.json"):
            state.unlink()  # forget the last build: everything from scratch
        assert rebuild(repo).sites["en"].mode == "full"
        full = tree(repo / "site" / "en")
        assert sorted(dirty) == sorted(full)
        assert [k for k in full if dirty[k] != full[k]] == []  # byte for byte, search index included
    finally:
        module.write_text(before, encoding="utf-8")
        rebuild(repo)


def test_a_rebuild_never_writes_into_the_published_files(repo: Path, tmp_path: Path) -> None:
    """The published site shares its files with `.build` by hard links: a rebuild (dirty site,
    search index, sitemap, CSP, the zip's size) must replace files, never write into them, or
    a reader of the site would see it change half-way (and a failed build would leave it so).
    Nor into the cached PDFs and decks, which the site sources share by hard links."""
    site = repo / "site"
    held = tmp_path / "held"
    kept = {}
    for path in [*sorted(site.rglob("*")), *sorted((repo / ".build" / "cache").rglob("*"))]:
        if path.is_file():
            rel = path.relative_to(repo).as_posix()
            (held / rel).parent.mkdir(parents=True, exist_ok=True)
            os.link(path, held / rel)  # a reader holding the published file open
            kept[rel] = path.read_bytes()
    module = repo / "modules" / "01-basics" / "module.md"
    before = edit(module, "More participant text.", "More participant text about biogas.")
    try:
        done = rebuild(repo)
        assert done.sites["en"].mode == "dirty"
        assert "about biogas" in (site / "en" / "modules" / "01-basics.html").read_text()
        assert [rel for rel, data in kept.items() if (held / rel).read_bytes() != data] == []
    finally:
        module.write_text(before, encoding="utf-8")
        rebuild(repo)


def test_a_rebuild_rewrites_only_the_changed_site_sources(repo: Path) -> None:
    """The site sources are written in place: a file with the same bytes is left as it was (so
    its hash is taken over and MkDocs skips it); the edited module's page is a new file."""
    docs = repo / ".build" / "en" / "docs"
    kept = ["agenda.md", "index.md", "slides/01-basics.pdf", "slides/01-basics.html",
            "assets/course.css"]
    inodes = {rel: (docs / rel).stat().st_ino for rel in [*kept, "modules/01-basics.md"]}
    module = repo / "modules" / "01-basics" / "module.md"
    before = edit(module, "More participant text.", "More participant text about sludge.")
    try:
        rebuild(repo)
        assert "about sludge" in (docs / "modules" / "01-basics.md").read_text(encoding="utf-8")
        assert (docs / "modules" / "01-basics.md").stat().st_ino != inodes["modules/01-basics.md"]
        assert {rel: (docs / rel).stat().st_ino for rel in kept} == {rel: inodes[rel] for rel in kept}
    finally:
        module.write_text(before, encoding="utf-8")
        rebuild(repo)


def test_what_a_build_no_longer_makes_is_gone(repo: Path) -> None:
    """A page and the data file it links, then deleted: neither stays in the site source nor
    in the published site, and the downloads page no longer lists the file."""
    page, data = repo / "course" / "extra.md", repo / "course" / "extra-data.csv"
    page.write_text("---\ntitle: Extra page\n---\nThe [figures](extra-data.csv) of the extra page.\n",
                    encoding="utf-8")
    data.write_text("a,b\n1,2\n", encoding="utf-8")
    site, docs = repo / "site" / "en", repo / ".build" / "en" / "docs"
    try:
        rebuild(repo)
        assert (site / "extra.html").is_file() and list(site.rglob("extra-data.csv"))
        assert "extra-data.csv" in (site / "downloads.html").read_text(encoding="utf-8")
    finally:
        page.unlink()
        data.unlink()
    rebuild(repo)
    assert not (site / "extra.html").exists() and not (docs / "extra.md").exists()
    assert list(site.rglob("extra-data.csv")) == [] and list(docs.rglob("extra-data.csv")) == []
    assert "extra-data.csv" not in (site / "downloads.html").read_text(encoding="utf-8")


def test_a_new_or_removed_download_renders_no_page_again(repo: Path) -> None:
    """A file that is not a page (a handout the preview's background build has just made, a
    figure) changes no other page: it is copied into the last output, or removed from it, and
    no page is rendered again — the same site a full build makes."""
    from coursebook.render import incremental

    work = repo / ".build" / "en"
    extra = work / "docs" / "handouts" / "made-meanwhile.pdf"
    try:
        assert incremental.build("mkdocs", work, "probe").mode == "full"
        extra.write_bytes(b"%PDF-1.7 a handout made meanwhile\n")
        added = incremental.build("mkdocs", work, "probe")
        assert (added.mode, added.pages) == ("dirty", [])
        assert (added.path / "handouts" / "made-meanwhile.pdf").read_bytes() == extra.read_bytes()
        with_it = tree(added.path)
        (work / "probe-state.json").unlink()  # forget the last build: everything from scratch
        assert tree(incremental.build("mkdocs", work, "probe").path) == with_it
        extra.unlink()
        removed = incremental.build("mkdocs", work, "probe")
        assert (removed.mode, removed.pages) == ("dirty", [])
        assert not (removed.path / "handouts" / "made-meanwhile.pdf").exists()
    finally:
        extra.unlink(missing_ok=True)
        for name in ("probe-out", "probe-next", "probe-state.json"):
            shutil.rmtree(work / name, ignore_errors=True)
            (work / name).unlink(missing_ok=True)


def test_the_zips_size_is_written_without_rendering_the_downloads_page_again(repo: Path) -> None:
    """The offline zip is made after MkDocs; its size is written into the downloads page as
    last rendered (kept in the edition's work folder), so an edit that changes no file listed
    there renders the edited page only — and the page still shows the zip's size."""
    from coursebook.render.site_pages import ZIP_SIZE, size

    page = repo / "course" / "index.md"
    before = page.read_text(encoding="utf-8")
    page.write_text(before + "\n<!-- a note for the authors -->\n", encoding="utf-8")  # in no PDF
    try:
        done = rebuild(repo)
        assert done.sites["en"].pages == ["index.html"]
        site = repo / "site" / "en"
        shown = (site / "downloads.html").read_text(encoding="utf-8")
        (zipped,) = (site / "downloads").glob("*-offline.zip")
        assert f"ZIP, {size(zipped)}" in shown and ZIP_SIZE not in shown
        assert ZIP_SIZE not in (site / "search" / "search_index.json").read_text(encoding="utf-8")
    finally:
        page.write_text(before, encoding="utf-8")
        rebuild(repo)



def test_the_site_is_built_while_the_jobs_run_and_gets_their_files_after(repo: Path, monkeypatch) -> None:
    """The engine builds the edited page before the build waits for the PDFs it changed (the
    site stood them in by empty files); then the new PDFs are put into the published site and
    the participant zip, and their sizes into the downloads pages — no placeholder left."""
    import zipfile

    from coursebook.jobs import Runner
    from coursebook.render.site_offline import SIZE
    from coursebook.render.site_pages import size

    seen: list[bool] = []
    wait = Runner.wait

    def watched(self: Runner) -> int:
        page = repo / ".build" / "en" / "site-out" / "modules" / "01-basics.html"
        seen.append(page.is_file() and "about mulch" in page.read_text(encoding="utf-8"))
        return wait(self)

    monkeypatch.setattr(Runner, "wait", watched)
    module = repo / "modules" / "01-basics" / "module.md"
    before = edit(module, "More participant text.", "More participant text about mulch.")
    try:
        done = rebuild(repo)
        assert seen == [True]  # the page was built before the jobs were waited for
        assert published(done, "en") == HANDOUTS
        site = repo / "site" / "en"
        for rel in HANDOUTS:
            assert "about mulch" in text(site / rel).replace("\n", " "), rel
        shown = (site / "downloads.html").read_text(encoding="utf-8")
        (zipped,) = (site / "downloads").glob("*-offline.zip")
        with zipfile.ZipFile(zipped) as z:
            assert z.read("handouts/workbook.pdf") == (site / "handouts" / "workbook.pdf").read_bytes()
            assert z.read("handouts/01-basics.pdf") == (site / "handouts" / "01-basics.pdf").read_bytes()
            assert "handouts/trainers-guide.pdf" not in z.namelist()
            inner = z.read("downloads.html").decode("utf-8")
        for rel in ("handouts/workbook.pdf", "handouts/01-basics.pdf", "slides/01-basics.pptx"):
            assert f"PDF, {size(site / rel)}" in shown or f"PPTX, {size(site / rel)}" in shown, rel
        assert f"PDF, {size(site / 'handouts' / 'workbook.pdf')}" in inner
        for text_ in (shown, inner, (site / "search" / "search_index.json").read_text(encoding="utf-8")):
            assert not SIZE.search(text_)
        assert not [p for p in (repo / "site").rglob("*") if p.is_file() and p.suffix in (".pdf", ".pptx")
                    and p.stat().st_size == 0]
    finally:
        module.write_text(before, encoding="utf-8")
        monkeypatch.undo()
        rebuild(repo)
