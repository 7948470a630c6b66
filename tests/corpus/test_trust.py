"""Trust: what the bad-input corpus cannot express. A build never deletes or overwrites what
it did not make (`--out .`, `--out modules`, `--out ..`, a folder without the marker, stray
leftovers); commands that write sources keep BOM and CRLF and never write outside the
repository; and a build from a read-only course, without network, writes only to its output,
`.build/` and the temporary folder, and reads nothing from outside its tree but the engine and
the system (traced with strace)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from coursebook.build import Options, load_courses
from coursebook.cli import main
from coursebook.write import MARKER
from tests.conftest import MINI, ROOT

TRANSLATION = "modules/01-basics/module.es.md"


def listing(folder: Path) -> dict[str, bytes | str]:
    """Every entry below `folder` (links not followed): its bytes, or where it links to."""
    out: dict[str, bytes | str] = {}
    for top, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(top) / name
            rel = path.relative_to(folder).as_posix()
            out[rel] = f"-> {os.readlink(path)}" if path.is_symlink() else \
                path.read_bytes() if path.is_file() else "dir"
    return out


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The fixture course as a git repository (so that `.git` is there to lose)."""
    root = tmp_path / "repo"
    shutil.copytree(MINI, root)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


@pytest.mark.parametrize("out", [".", "modules", "..", ".git", "course/site", "theme"])
def test_output_may_not_be_the_repository_or_its_sources(repo: Path, out: str, capsys, monkeypatch) -> None:
    monkeypatch.chdir(repo)
    before = listing(repo.parent)
    assert main(["--out", out, "-q"]) == 2
    err = capsys.readouterr().err
    assert "refusing to" in err and "choose another --out" in err, err
    assert listing(repo.parent) == before


def test_a_folder_without_the_marker_is_never_replaced(repo: Path, tmp_path: Path, capsys) -> None:
    mine = tmp_path / "my-files"
    mine.mkdir()
    (mine / "thesis.txt").write_text("years of work")
    before = listing(tmp_path)
    assert main(["--root", str(repo), "--out", str(mine), "-q"]) == 2
    err = capsys.readouterr().err
    assert "was not made by coursebook" in err and "delete it yourself" in err, err
    assert listing(tmp_path) == before
    file = tmp_path / "notes.txt"
    file.write_text("a file, not a folder")
    assert main(["--root", str(repo), "--out", str(file), "-q"]) == 2
    assert "is not a folder" in capsys.readouterr().err and file.read_text() == "a file, not a folder"


def test_leftovers_are_deleted_only_when_coursebook_made_them(repo: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out" / "site"
    stray = out.parent / ".site.old"
    stray.mkdir(parents=True)
    (stray / "keep.txt").write_text("not coursebook's")
    before = listing(tmp_path)
    assert main(["--root", str(repo), "--out", str(out), "--only", "site", "-q"]) == 2
    assert "refusing to delete" in capsys.readouterr().err
    assert listing(tmp_path) == before
    (stray / MARKER).write_text("made by coursebook")  # now it is an interrupted build's leftover
    (out.parent / ".site.new").mkdir()
    (out.parent / ".site.new" / MARKER).write_text("made by coursebook")
    assert main(["--root", str(repo), "--out", str(out), "--only", "site", "-q", "--lang", "en"]) == 0
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]
    assert (out / MARKER).is_file() and (out / "en" / "index.html").is_file()
    # its own output is replaced by the next build; an empty folder is fine for a first build
    assert main(["--root", str(repo), "--out", str(out), "--only", "site", "-q", "--lang", "en"]) == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["--root", str(repo), "--out", str(empty), "--only", "site", "-q", "--lang", "en"]) == 0


def test_what_lies_in_the_build_cache_is_coursebooks_own(repo: Path) -> None:
    preview = repo / ".build" / "preview"  # serve's output, e.g. from before the marker existed
    preview.mkdir(parents=True)
    (preview / "index.html").write_text("an older preview")
    assert main(["--root", str(repo), "--out", str(preview), "--only", "site", "--lang", "en", "-q"]) == 0
    assert (preview / MARKER).is_file() and "older" not in (preview / "index.html").read_text()


def test_build_cache_must_be_the_repositorys_own_folder(repo: Path, tmp_path: Path, capsys) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("keep me")
    (repo / ".build").symlink_to(elsewhere)
    before = listing(tmp_path)
    assert main(["--root", str(repo), "--out", str(tmp_path / "site"), "--clean", "-q"]) == 2
    assert "it is a link" in capsys.readouterr().err
    assert main(["serve", "--root", str(repo), "-q"]) == 2  # the preview is written into .build/
    assert "it is a link" in capsys.readouterr().err
    assert listing(tmp_path) == before


def test_translated_keeps_bom_and_crlf_and_changes_one_line(repo: Path, capsys) -> None:
    path = repo / TRANSLATION
    original = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(original)
    assert main(["translated", "--root", str(repo), str(path)]) == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n") and data.count(b"\xef\xbb\xbf") == 1
    assert b"\n" not in data.replace(b"\r\n", b"")  # every line still ends in CRLF
    added = [x for x in data.split(b"\r\n") if x not in original.split(b"\r\n")]
    assert len(added) == 1 and added[0].startswith(b'translation_of: "'), added
    assert data.replace(added[0] + b"\r\n", b"") == original
    es = {c.lang: c for c in load_courses(Options(repo))}["es"]
    assert es.modules[0].title == "Lo básico"  # the real front matter is still the front matter
    capsys.readouterr()
    assert main(["status", "--root", str(repo), "--all"]) == 0
    assert "current  modules/01-basics/module.md" in capsys.readouterr().out
    assert main(["translated", "--root", str(repo), str(path)]) == 0  # again: replaced, not added
    assert path.read_bytes() == data


def test_new_language_keeps_course_yml_as_it_was_saved(repo: Path) -> None:
    course = repo / "course" / "course.yml"
    course.write_bytes(b"\xef\xbb\xbf" + course.read_bytes().replace(b"\n", b"\r\n"))
    before = course.read_bytes()
    assert main(["new-language", "--root", str(repo), "pt"]) == 0
    after = course.read_bytes()
    assert after == before.replace(b"languages: [es]", b"languages: [es, pt]")


def test_commands_never_write_outside_the_repository(repo: Path, tmp_path: Path, capsys) -> None:
    stray = tmp_path / "x.es.md"
    stray.write_text("---\ntitle: X\n---\n")
    (tmp_path / "x.md").write_text("---\ntitle: X\n---\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    activities = repo / "modules" / "01-basics" / "activities"
    shutil.rmtree(activities)
    activities.symlink_to(elsewhere)
    before = listing(tmp_path)
    assert main(["translated", "--root", str(repo), str(stray)]) == 1
    assert "outside the course repository" in capsys.readouterr().err
    assert main(["new", "activity", "--root", str(repo), "../../x", "T"]) == 1
    assert main(["new", "activity", "--root", str(repo), "01-basics", "Audit walk"]) == 1
    assert "outside the course repository" in capsys.readouterr().err
    assert listing(tmp_path) == before


# ---- a read-only course, no network, traced -------------------------------------------------

WRITES = re.compile(r"O_WRONLY|O_RDWR|O_CREAT")
PATHS = re.compile(r'(?:(?:AT_FDCWD|-?\d+)(?:<([^>]*)>)?,\s*)?"([^"]*)"')
SYSCALLS = "openat,open,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,rmdir,link,linkat," \
           "symlink,symlinkat,truncate,chmod,fchmodat"


CALL = re.compile(r"(\w+)\((.*)\)\s+=\s+(\d+)")


def _traced(traces: Path, cwd: Path) -> tuple[set[str], set[str]]:
    """(files read, paths written) by every process and thread, from the `strace -ff -y` logs in
    `traces` (one `trace.<pid>` file each). A call interrupted by a signal is logged in two parts,
    `… <unfinished ...>` and `<... call resumed> …`; the parts are joined before parsing."""
    read: set[str] = set()
    written: set[str] = set()
    files = sorted(traces.glob("trace.*"))
    assert files, f"strace wrote no trace in {traces}"
    for file in files:
        pending = ""
        for line in file.read_text(errors="replace").splitlines():
            if line.endswith("<unfinished ...>"):
                pending = line[: -len("<unfinished ...>")].rstrip()
                continue
            resumed = re.match(r"<\.\.\. \w+ resumed>\s?(.*)", line)
            if resumed:
                line, pending = (f"{pending}{resumed[1]}" if pending else ""), ""
            m = CALL.match(line)
            if not m:
                continue  # failed calls (ENOENT …) touch nothing; signals, exits
            call, args = m[1], m[2]
            paths = [os.path.normpath(p if p.startswith("/") else f"{d or cwd}/{p}") for d, p in PATHS.findall(args)]
            if call in ("open", "openat") and not WRITES.search(args):
                read.update(paths[:1])
            else:
                written.update(paths)
    return read, written


def _course(base: Path) -> Path:
    """The fixture course with an image reached through a link inside the repository (fine),
    and a canary outside the tree that nothing may read."""
    repo = base / "repo"
    shutil.copytree(MINI, repo)
    (repo / "images").mkdir()
    (repo / "images" / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>\n')
    (repo / "modules/01-basics/chart.svg").symlink_to("../../images/chart.svg")
    module = repo / "modules/01-basics/module.md"
    module.write_text(module.read_text().replace("More participant text.", "![A black bar](chart.svg)"))
    (base / "outside").mkdir()
    (base / "outside" / "canary.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><!-- CANARY --></svg>')
    return repo


def _run_confined(base: Path, argv: list[str]) -> tuple[subprocess.CompletedProcess, set[str], set[str]]:
    """Run the command line as an ordinary user (the files' owner, without root's power to write
    to read-only files) in a namespace without network, traced."""
    traces = base / "traces"
    traces.mkdir()
    env = {"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "HOME": str(base / "home"), "TMPDIR": str(base / "tmp"),
           "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8"}
    command = ["strace", "-ff", "-y", "-qq", "-e", f"trace={SYSCALLS}", "-o", str(traces / "trace"),
               "unshare", "--user", "--map-user=1000", "--map-group=1000", "--net",
               sys.executable, str(ROOT / "build.py"), *argv]
    result = subprocess.run(command, cwd=base, env=env, capture_output=True, text=True, timeout=600)
    read, written = _traced(traces, base)
    return result, read, written


def _can_confine() -> bool:
    if shutil.which("strace") is None or shutil.which("unshare") is None:
        return False
    probe = ["strace", "-f", "-qq", "-o", "/dev/null", "unshare", "--user", "--map-user=1000",
             "--map-group=1000", "--net", "true"]
    return subprocess.run(probe, capture_output=True).returncode == 0


confined = pytest.mark.skipif(not _can_confine(), reason="needs strace and user + network namespaces")


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """A folder holding the course (`repo/`, from `_course`), the canary (`outside/`), and the
    confined run's HOME, TMPDIR and output parent (`home/`, `tmp/`, `out/`)."""
    base = tmp_path / "base"
    base.mkdir()
    _course(base)
    for folder in ("home", "tmp", "out"):
        (base / folder).mkdir()
    return base


@confined
def test_read_only_offline_build_writes_and_reads_only_its_own(base: Path) -> None:
    repo = base / "repo"
    (repo / ".build").mkdir()  # what must be writable: .build/, the output's folder, TMPDIR
    for path in [repo, *repo.rglob("*")]:
        if path.name != ".build" and ".build" not in path.parts and not path.is_symlink():
            path.chmod(path.stat().st_mode & ~0o222)
    sources = {k: v for k, v in listing(repo).items() if not k.startswith(".build")}
    try:
        result, read, written = _run_confined(base, ["--root", "repo", "--out", "out/site", "--clean", "-q"])
    finally:
        for path in [repo, *repo.rglob("*")]:
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o200)
    assert result.returncode == 0, result.stderr
    assert {k: v for k, v in listing(repo).items() if not k.startswith(".build")} == sources
    # the trace was really read: the module's source among the reads, the site among the writes
    assert str(repo / "modules/01-basics/module.md") in read, sorted(read)[:50]
    assert str(repo / "images/chart.svg") in read or str(repo / "modules/01-basics/chart.svg") in read
    assert [p for p in written if p.startswith(str(base / "out") + "/")], sorted(written)[:50]
    # writes: only the output (and its staging siblings), .build/, the temporary folder
    mine = (str(base / "out"), str(repo / ".build"), str(base / "tmp"), "/dev/", "/proc/")
    assert sorted(p for p in written if not p.startswith(mine)) == []
    # reads: the tree, the engine (its code, default theme, node_modules), the system; never the
    # canary beside the tree, nor the engine repository's own course
    engine = tuple(str(ROOT / x) for x in ("coursebook", "theme", "node_modules", "mkdocs.yml",
                                            "AUTHORING.md", "build.py"))
    system = ("/usr/", "/lib", "/etc/", "/proc/", "/sys/", "/dev/", "/var/cache/fontconfig",
              os.path.realpath(sys.base_prefix), sys.base_prefix, sys.prefix, str(ROOT / ".venv"))
    allowed = (str(base) + "/", *engine, *system)
    outside = sorted(p for p in read if not p.startswith(allowed) and p not in (str(base), str(ROOT)))
    assert outside == [], outside[:20]
    assert not [p for p in read if p.startswith(str(base / "outside"))]
    # the image reached through a link inside the repository is published, in the zip too
    site = base / "out" / "site"
    archive = next((site / "en" / "downloads").glob("*.zip"))
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        assert any(n.endswith("chart.svg") for n in names), names
        assert not any(b"CANARY" in zf.read(n) for n in names)
    assert not [p for p in site.rglob("*") if p.is_file() and b"CANARY" in p.read_bytes()]


@confined
def test_files_outside_the_tree_are_never_read(base: Path) -> None:
    repo = base / "repo"
    canary = base / "outside" / "canary.svg"
    course = repo / "course" / "course.yml"
    course.write_text(course.read_text().replace("{name: Test Centre}",
                                                 "{name: Test Centre, logo: ../outside/canary.svg}"))
    (repo / "modules/01-basics/activities/leak.md").symlink_to(canary)
    (repo / "theme").mkdir()
    (repo / "theme" / "assets").symlink_to(base / "outside")
    module = repo / "modules/01-basics/module.md"
    module.write_text(module.read_text() + "\n![Leak][c]\n\n[c]: ../../../outside/canary.svg\n\n"
                      f'<img src="{canary}" alt="Leak">\n')
    result, read, _ = _run_confined(base, ["--root", "repo", "--out", "out/site", "-q"])
    assert result.returncode == 1, result.stderr
    assert str(repo / "course/course.yml") in read, sorted(read)[:50]  # the trace was really read
    for expected in ("course/course.yml:2: error: logo '../outside/canary.svg' is outside the repository",
                     "modules/01-basics/activities/leak.md: error: symbolic link to",
                     "theme/assets: error: symbolic link to",
                     "'../../../outside/canary.svg' is outside the repository",
                     f"'{canary}' is outside the repository"):
        assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not [p for p in read if p.startswith(str(base / "outside"))], "a file outside the tree was read"
    assert not (base / "out" / "site").exists()


class _Touch:
    """A pickle that, once loaded, creates a file: what a contribution could commit under .build/."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_committed_build_workspace_is_refused_and_never_loaded(repo: Path, tmp_path: Path, capsys) -> None:
    import pickle

    from coursebook.memo import FILE, digest

    marker = tmp_path / "ran-code-from-a-contribution"
    store = repo / FILE
    store.parent.mkdir(parents=True)
    store.write_bytes(pickle.dumps((digest(), {"loading me runs": _Touch(marker)}), protocol=4))
    subprocess.run(["git", "-C", str(repo), "add", "-f", ".build"], check=True)
    assert main(["check", "--root", str(repo)]) == 1
    err = capsys.readouterr().err
    assert ".build/check/memo.pickle" in err and "committed" in err and "git rm -r --cached .build" in err
    assert main(["--root", str(repo), "--out", str(tmp_path / "site"), "-q"]) != 0
    assert not marker.exists() and not (tmp_path / "site").exists()
    subprocess.run(["git", "-C", str(repo), "rm", "-q", "-r", "--cached", ".build"], check=True)
    store.unlink()
    assert main(["check", "--root", str(repo), "-q"]) == 0  # untracked again: the workspace is used
