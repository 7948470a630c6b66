"""Whole builds: atomic output, reproducible bytes, the render cache, and no network."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coursebook.build import Options, build
from coursebook.cli import main
from tests.conftest import MINI, ROOT, write


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(MINI, root)
    return root


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_failing_build_leaves_the_previous_site(repo: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["--root", str(repo), "-q"]) == 0
    before = tree(repo / "site")
    # a broken theme template fails the PDF stage half-way through the build
    broken = "{% extends 'layout.html' %}{% block body %}{{ nope() }}{% endblock %}"
    write(repo, "theme/pdf/handout.html", broken)
    assert main(["--root", str(repo), "-q"]) == 1
    err = capsys.readouterr().err
    assert "build failed: UndefinedError" in err and "previous output was left" in err
    assert tree(repo / "site") == before
    assert sorted(p.name for p in repo.iterdir() if p.name.startswith(".site")) == []


def test_two_clean_builds_are_byte_identical(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    build(Options(ROOT, out=one, verbosity=0, clean=True))
    build(Options(ROOT, out=two, verbosity=0, clean=True))
    comparison = filecmp.dircmp(one, two)
    assert tree(one).keys() == tree(two).keys()
    different = [name for name, data in tree(one).items() if tree(two)[name] != data]
    assert different == [], different
    assert comparison.left_only == comparison.right_only == []


def test_rebuild_after_one_edit_renders_only_what_depends_on_it(repo: Path) -> None:
    write(repo, "modules/02-more/module.md", "---\nid: M\ntitle: More\npresentation_minutes: 5\n---\nText.\n")
    write(repo, "slides/02-more.md", "## One\n\nNote:\nn\n")
    build(Options(repo, verbosity=0))
    cache = repo / ".build" / "cache"
    before = set(cache.iterdir())
    outputs = {p: p.read_bytes() for p in (repo / "site").rglob("*") if p.suffix in (".pdf", ".pptx")}
    source = repo / "modules/02-more/module.md"
    source.write_text(source.read_text() + "\nOne more sentence.\n")
    options = Options(repo, verbosity=0)
    build(options)
    assert options.rendered is not None
    new = {p.name for p in set(cache.iterdir()) - before}
    changed = sorted(p.relative_to(repo / "site").as_posix() for p, data in outputs.items()
                     if p.read_bytes() != data)
    # the participant text changed: module M's handout, the workbook and the trainer's guide
    # (which prints each module's text with its trainer notes), in en and in es (which falls
    # back to the same text); no deck shows that text, so none is rendered again
    assert changed == [f"{lang}/handouts/{name}" for lang in ("en", "es")
                       for name in ("02-more.pdf", "trainers-guide.pdf", "workbook.pdf")], changed
    # rendered: those, and module M's chapter of the workbook and of the guide (assembled from chapters)
    chapters = [f"{lang}/chapters/{book}-module-M.pdf" for lang in ("en", "es")
                for book in ("workbook", "trainers-guide")]
    assert sorted(options.rendered.documents) == sorted([*changed, *chapters]), options.rendered.documents
    assert len(new) == len(changed) + len(chapters) and all(name.endswith(".pdf") for name in new), sorted(new)


@pytest.mark.skipif(subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode != 0,
                    reason="this machine does not allow network namespaces")
def test_build_without_network(repo: Path) -> None:
    command = ["unshare", "-n", sys.executable, str(ROOT / "build.py"), "--root", str(repo), "-q", "--clean"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (repo / "site" / "en" / "handouts" / "workbook.pdf").is_file()
    assert (repo / "site" / "es" / "slides" / "01-basics.pptx").is_file()


def test_author_guide_can_be_switched_off(repo: Path) -> None:
    build(Options(repo, verbosity=0, outputs=("site",)))
    assert "Forking the course for your centre" in (repo / "site/en/guide/authoring.html").read_text()
    course = repo / "course" / "course.yml"
    course.write_text(course.read_text() + "author_guide: false\n")
    build(Options(repo, verbosity=0, outputs=("site",)))
    assert not (repo / "site/en/guide").exists()
    assert "Guide for authors" not in (repo / "site/en/index.html").read_text()


def test_unchanged_edition_reuses_its_built_site(repo: Path) -> None:
    build(Options(repo, verbosity=0, outputs=("site",)))
    marker = repo / ".build" / "es" / "site-out" / "reused.txt"
    marker.write_text("from the cache")
    build(Options(repo, verbosity=0, outputs=("site",)))
    assert (repo / "site" / "es" / "reused.txt").read_text() == "from the cache"  # MkDocs did not run
    translation = repo / "modules" / "01-basics" / "module.es.md"
    translation.write_text(translation.read_text() + "\nUna frase más.\n")
    build(Options(repo, verbosity=0, outputs=("site",)))
    assert "Una frase más." in (repo / "site" / "es" / "modules" / "01-basics.html").read_text()  # rebuilt
    (repo / ".build" / "es" / "site-state.json").unlink()
    build(Options(repo, verbosity=0, outputs=("site",)))
    assert not (repo / "site" / "es" / "reused.txt").exists()  # no record of the last build: a full one


def test_verbose_build_says_how_long_each_stage_took(repo: Path, capsys: pytest.CaptureFixture) -> None:
    """`-v` is how an author finds where a rebuild's time goes: every stage, every edition."""
    assert main(["--root", str(repo), "-v", "--only", "site,pdf"]) == 0
    err = capsys.readouterr().err
    stages = ("load, validate, model", "handouts and decks laid out as jobs", "the jobs waited for",
              "site sources written", "en: site", "es: site", "en: participant site and zip", "sites built")
    for stage in stages:
        assert any(line.strip().startswith(f"{stage}") and line.rstrip().endswith(" s") for line in err.splitlines()), \
            (stage, err)
    options = Options(repo, verbosity=1, outputs=("site", "pdf"))
    started = time.perf_counter()
    build(options)  # without -v: no stage times said, but kept for the benchmark's table
    took = time.perf_counter() - started
    assert "sites built" not in capsys.readouterr().err
    assert options.rendered is not None
    kept = options.rendered.stages
    missing = [stage for stage in stages if not any(name.strip().startswith(stage) for name in kept)]
    assert missing == ["en: participant site and zip"], (missing, list(kept))  # nothing changed: no zip
    top = [seconds for name, seconds in kept.items() if not name.startswith(" ")]
    assert 0 < sum(top) <= took  # the stages follow one another: none counted twice
    assert options.rendered.jobs_cpu == {"documents": 0.0, "assemblies": 0.0}  # nothing rendered
    module = repo / "modules" / "01-basics" / "module.md"
    module.write_text(module.read_text(encoding="utf-8").replace("More participant text.", "More text."),
                      encoding="utf-8")
    build(options)  # the handout, the module's chapters, and the books assembled from them
    cpu = options.rendered.jobs_cpu
    assert "en/handouts/workbook.pdf" in options.rendered.documents
    assert cpu["documents"] > 0 and cpu["assemblies"] > 0, cpu


def test_after_a_failed_render_the_next_build_publishes_every_file_whole(repo: Path, tmp_path: Path) -> None:
    """The site is built while the PDFs render, standing in empty files for them. When the
    renders fail after a full site build (a new nav title, and a print stylesheet that asks for
    a file outside the repository), the build fails and `site/` stays as it was; once mended,
    the next build publishes what a clean build of the same course publishes, byte for byte —
    no empty PDF kept from the failed attempt, in the site or in its zip."""
    assert main(["--root", str(repo), "-q"]) == 0
    before = tree(repo / "site")
    module = repo / "modules" / "01-basics" / "module.md"
    module.write_text(module.read_text(encoding="utf-8").replace("title: Basics", "title: The basics", 1),
                      encoding="utf-8")
    css = repo / "theme" / "pdf" / "print.css"  # the course's own: the engine's default until now
    assert not css.exists()
    write(repo, "theme/pdf/print.css", (ROOT / "theme/pdf/print.css").read_text(encoding="utf-8")
          + "\nbody { background: url(/etc/hostname) }\n")
    assert main(["--root", str(repo), "-q"]) == 1
    assert tree(repo / "site") == before
    built = repo / ".build" / "en" / "site-out"  # built in full (a nav title) before the renders failed:
    assert "The basics" in (built / "modules" / "01-basics.html").read_text(encoding="utf-8")
    assert (built / "handouts" / "01-basics.pdf").stat().st_size == 0  # the file that stood for the handout
    css.unlink()
    assert main(["--root", str(repo), "-q"]) == 0
    clean = tmp_path / "clean"
    shutil.copytree(repo, clean, ignore=shutil.ignore_patterns(".build", "site"))
    build(Options(clean, verbosity=0, clean=True))
    assert tree(repo / "site") == tree(clean / "site")
    assert not [p for p in (repo / "site").rglob("*") if p.suffix in (".pdf", ".pptx") and p.stat().st_size == 0]
