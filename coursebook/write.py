"""Stage 5, write: outputs are built in a staging folder and swapped in only on success,
so a failed build never leaves a half-written or missing `site/`.

The swap replaces a folder, so it must never be able to replace the wrong one: the output may
not be the repository, hold it, or hold or lie inside its sources; and coursebook replaces
only folders it made itself, which carry a marker file (`.coursebook-output`). A folder
without the marker, or a leftover `.site.new`/`.site.old` without it, is never deleted.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

MARKER = ".coursebook-output"
MARKER_TEXT = ("This folder was written by coursebook and is replaced by every build;\n"
               "do not keep your own files here.\n")
# folders of a repository that hold sources (or the tools): an output may neither be one of
# them, nor lie inside one, nor hold one
SOURCE_DIRS = ("course", "modules", "slides", "instructor_notes", "theme", "tests", "coursebook",
               "scripts", "bench", "node_modules", ".git", ".github", ".venv")


def build_time() -> dt.datetime:
    """The time written into outputs (zip members, PPTX properties): SOURCE_DATE_EPOCH if set,
    else 2020-01-01, so a rebuild gives the same bytes. UTC, without a time zone."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return dt.datetime(2020, 1, 1)
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)


ZIP_LEVEL = 3  # half the time of zlib's default (6), for a zip 1 % larger: the offline zip of 200
# modules, made at every rebuild of its edition's site, 0.45 s → 0.22 s
PACKED = (".pdf", ".pptx", ".png", ".jpg", ".jpeg", ".woff", ".woff2", ".zip", ".gz")


def deterministic_zip(entries: Iterable[tuple[str, bytes]], out: Path) -> None:
    """Write `entries` (name, data) into the zip `out` in their order, every member with the
    build time and the same permissions: the same entries give the same bytes."""
    stamp = max(build_time(), dt.datetime(1980, 1, 1)).timetuple()[:6]  # a zip's dates start in 1980
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, stamp)
            # compressed already (PDF streams, PPTX, images, fonts): stored, not deflated again
            packed = name.lower().endswith(PACKED)
            info.compress_type = zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, compresslevel=ZIP_LEVEL)


def files_below(folder: Path) -> list[tuple[str, str]]:
    """Every file below `folder` as (its path from `folder`, with "/"; its full path), in the
    order of `sorted(folder.rglob("*"))`, not into linked folders: with `os` calls, as every
    build walks each site (thousands of files at 200 modules) and `pathlib` took most of it."""
    found = []
    for top, _, names in os.walk(folder):
        rel = os.path.relpath(top, folder)
        for name in names:
            full = os.path.join(top, name)
            if os.path.isfile(full):
                found.append((name if rel == "." else f"{rel.replace(os.sep, '/')}/{name}", full))
    return sorted(found, key=lambda x: x[0].split("/"))


def replace_text(path: Path, text: str) -> None:
    """Write `path` anew (a temporary file renamed over it), never into it: a built file may
    be published by a hard link, and a reader must not see it change."""
    tmp = path.with_name(path.name + ".new")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def link(a: str | Path, b: str | Path) -> None:
    """A hard link at `b` to `a` (its date kept), or a copy across file systems. Whoever
    writes at `b` later must replace the file, never write into it: `a` would change too."""
    try:
        os.link(a, b)
    except OSError:
        shutil.copy2(a, b)


class OutputError(Exception):
    """The output folder cannot be written without destroying something coursebook did not make."""


def _made_by_us(folder: Path) -> bool:
    return folder.is_dir() and not folder.is_symlink() and (folder / MARKER).is_file()


def _is_empty_dir(folder: Path) -> bool:
    return folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir())


def check_output(root: Path, out: Path) -> Path:
    """The resolved output folder, or OutputError saying why it may not be written."""
    root, target = root.resolve(), out.resolve()
    shown = str(out)
    if target == root or root.is_relative_to(target):
        raise OutputError(f"refusing to write the output into {shown}: it is the course repository "
                          "or a folder that holds it, and the build replaces the whole folder — "
                          "choose another --out, e.g. site")
    if target.is_relative_to(root):
        rel = target.relative_to(root)
        for name in SOURCE_DIRS:
            source = root / name
            if rel.parts[0] == name:
                where = "is" if len(rel.parts) == 1 else "is inside"
                raise OutputError(f"refusing to write the output into {shown}: it {where} the "
                                  f"repository's {name}/ folder — choose another --out, e.g. site")
            if source.exists() and source.resolve().is_relative_to(target):
                raise OutputError(f"refusing to write the output into {shown}: it holds the "
                                  f"repository's {name}/ folder — choose another --out, e.g. site")
        if rel.parts[0] == ".build" and len(rel.parts) == 1:
            raise OutputError(f"refusing to write the output into {shown}: it is the render cache "
                              "— choose another --out, e.g. site")
    cache = root / ".build"  # coursebook's own (`--clean` empties it): what lies in it is ours
    in_cache = target.is_relative_to(cache) and target != cache and not cache.is_symlink()
    if target.exists() and not (_made_by_us(target) or _is_empty_dir(target) or in_cache and target.is_dir()):
        what = "is not a folder" if not target.is_dir() else "was not made by coursebook"
        raise OutputError(f"refusing to replace {shown}: it {what} (no {MARKER} file in it) and "
                          "the build replaces the whole folder — choose another --out, or delete "
                          "it yourself if you no longer need it")
    for leftover in _leftovers(target):
        if leftover.exists() and not (_made_by_us(leftover) or in_cache):
            raise OutputError(f"refusing to delete {leftover}: it is in the way of the build but was "
                              f"not made by coursebook (no {MARKER} file in it) — move or delete it "
                              "yourself")
    return target


def _leftovers(target: Path) -> tuple[Path, Path]:
    return target.with_name(f".{target.name}.new"), target.with_name(f".{target.name}.old")


@contextmanager
def staging(root: Path, target: Path) -> Iterator[Path]:
    """Yield an empty folder beside `target`; replace `target` with it if no exception.
    Everything deleted here carries the marker (or is an empty folder): see `check_output`."""
    target = check_output(root, target)
    stage, old = _leftovers(target)
    for leftover in (stage, old):
        if leftover.exists():
            shutil.rmtree(leftover)  # marked (or in .build/): a build interrupted before its swap
    stage.mkdir(parents=True)
    (stage / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    target = check_output(root, target)  # still ours after the (long) build
    if target.exists():
        target.rename(old)
    stage.rename(target)
    if old.exists():
        if _made_by_us(old) or old.resolve().is_relative_to(root.resolve() / ".build"):
            shutil.rmtree(old, ignore_errors=True)
        else:
            try:
                old.rmdir()  # the empty folder that was there before the first build
            except OSError:
                pass  # something was put in it meanwhile: left there, and reported next time


def build_dir(root: Path) -> Path:
    """The render cache `.build/` of the repository: a real folder inside it, never a link to
    somewhere else (it is written to, and `--clean` deletes it)."""
    root = root.resolve()
    folder = root / ".build"
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise OutputError(f"refusing to use {folder}: it is a link or a file, and the build writes "
                          "and deletes the render cache there — delete it yourself; coursebook "
                          "makes the folder")
    return folder


def empty(folder: Path) -> None:
    """Delete what a folder holds, not the folder itself (`--clean` on `.build/`: the repository
    around it may be read-only)."""
    for entry in folder.iterdir() if folder.is_dir() else ():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def inside(folder: Path, path: Path) -> Path:
    """`path` resolved, if it lies inside `folder` (links followed); else OutputError. For the
    folders the build deletes and rewrites, e.g. `.build/<lang>/docs`."""
    resolved = path.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        raise OutputError(f"refusing to write {path}: it leads outside {folder}")
    return resolved


# A site source (`.build/<lang>/docs`) is written anew by each build, but in place: a file
# written again with the same bytes is left as it is, its inode and date too, so the site's
# fingerprint takes its hash over (`incremental`) and MkDocs sees it unchanged; creating a file
# costs this file system twenty times what reading one does. What a build did not write again
# is removed at the end (`prune`), so nothing stale is published, and whether a file is part of
# this build is asked of `written`, never of the disk.
_WRITTEN: set[str] = set()  # files written since their folder's `rewrite()` (absolute paths)
_REWRITTEN: set[str] = set()  # those folders: the only ones where `put` removes what is in its way


def rewrite(folder: Path) -> None:
    """Start writing `folder` anew, keeping its files until `prune(folder)`."""
    prefix = os.path.join(os.path.abspath(folder), "")
    _WRITTEN.difference_update([p for p in _WRITTEN if p.startswith(prefix)])
    _REWRITTEN.add(prefix)
    folder.mkdir(parents=True, exist_ok=True)


def written(path: Path) -> bool:
    """Was `path` written (`put`, `put_copy`, `put_link`) since its folder's `rewrite()`?"""
    return os.path.abspath(path) in _WRITTEN


def put(path: Path, data: str | bytes) -> None:
    """Write `data` (text as UTF-8) at `path`, unless it holds exactly that already. Never into
    the file: a new one replaces it (the old one may be a hard link to a published output)."""
    data = data.encode("utf-8") if isinstance(data, str) else data
    key = _note(path)
    try:
        if os.path.getsize(key) == len(data) and not os.path.islink(key):
            with open(key, "rb") as f:
                if f.read() == data:
                    return
    except OSError:
        pass
    tmp = _make_way(key)
    with open(tmp, "wb") as f:
        f.write(data)
    _settle(tmp, key)


def put_copy(source: Path, path: Path) -> None:
    """`put` a copy of the file `source` at `path`."""
    put(path, Path(source).read_bytes())


def put_tree(source: Path, folder: Path) -> None:
    """`put_copy` every file below `source` into `folder`, at the same relative path."""
    for p in sorted(source.rglob("*")):
        if p.is_file():
            put_copy(p, folder / p.relative_to(source))


def put_link(source: Path, path: Path) -> None:
    """A hard link at `path` to `source` (`link`), unless `path` is that file already."""
    key = _note(path)
    try:
        if os.path.samefile(source, key) and not os.path.islink(key):
            return
    except OSError:
        pass
    tmp = _make_way(key)
    link(source, tmp)
    _settle(tmp, key)


def _note(path: Path) -> str:
    key = os.path.abspath(path)
    _WRITTEN.add(key)
    return key


def _make_way(key: str) -> str:
    """A temporary name beside `key`, its folder made. Inside a folder being rewritten, a
    folder (or a file where a folder must be) that an earlier build left in the way is
    removed; anywhere else (a workshop's private PDFs) nothing is, and the write fails."""
    def ours() -> str | None:  # asked only when something is in the way: every write comes here
        return next((top for top in _REWRITTEN if key.startswith(top)), None)

    if os.path.isdir(key) and not os.path.islink(key) and ours():
        shutil.rmtree(key)
    parent = Path(key).parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        top = ours()
        if not top:
            raise
        blocking = next(p for p in (parent, *parent.parents) if p.is_file() or p.is_symlink())
        if not str(blocking).startswith(top):
            raise
        blocking.unlink()
        parent.mkdir(parents=True, exist_ok=True)
    tmp = f"{key}.{os.getpid()}.new"
    if os.path.lexists(tmp):
        os.unlink(tmp)
    return tmp


def _settle(tmp: str, key: str) -> None:
    """Rename the new file `tmp` into place; if that fails, no temporary file is left."""
    try:
        os.replace(tmp, key)
    except OSError:
        os.unlink(tmp)
        raise


def prune(folder: Path) -> None:
    """Remove from `folder` every file not written since `rewrite(folder)`, and the folders
    left empty (links are removed, never followed)."""
    top = os.path.abspath(folder)
    for here, dirs, names in os.walk(top, topdown=False):
        for name in names:
            path = os.path.join(here, name)
            if path not in _WRITTEN:
                os.unlink(path)
        for name in dirs:
            path = os.path.join(here, name)
            if os.path.islink(path):
                if path not in _WRITTEN:
                    os.unlink(path)
            elif not os.listdir(path):
                os.rmdir(path)
