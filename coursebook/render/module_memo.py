"""Each module's share of an edition's layout — its views and chapters in the handouts, the
workbook and the trainer's guide, its slides — kept between builds, so that after an edit to
one module the build lays out that module again and takes the others' from the memo
(`.build/memo.sqlite`). Laying out every module of every edition was most of a one-module
rebuild, and grew with the course.

A module's share is keyed by everything it may read:
- its own files as read, whole: module, activities, notes, deck, and for a translation the
  source-language files it follows;
- the rest of its edition with every module's texts left out — ids, titles, metadata,
  slides' titles, the configuration (not the translation coverage, which no document shows)
  — and what is worked out from all the texts together: the timetable, the course's pages
  (which module a figure belongs to follows from the texts' paths, already there);
- every other file of the repository by content (images, the theme, the interface
  strings, mkdocs.yml, the node packages' lock), the engine's theme, the build's settings, and, by
  the memo's own salt, the engine's code and the libraries' versions.

The one thing left out is the text of the other modules; a module that read it would be laid
out from a stale memo. `tests/engine/test_module_memo.py` lays the kitchen course out after
edits of every kind, with and without the memo, and compares every document. With a Markdown
extension that reads other files (snippets), nothing is kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from ..agenda import compute_agenda
from ..context import Context
from ..files import course_pages
from ..load import ENGINE_THEME, SourceFile
from ..memo_db import per_object
from ..model import Course, Module, Text

T = TypeVar("T")
SKIPPED = {"node_modules", "site", "private"}  # at the top: outputs, and node's packages (by their lock file)
LAID_OUT: list[tuple[str, str]] = []  # (module file, share) laid out afresh: for the tests


def _plain(x: Any, blank: bool = False, named: bool = False) -> Any:
    """`x` as JSON, the same for the same value in any process (sets sorted); `blank`: every
    text's body left out; `named`: a text met inside `x` (a slot of the timetable) named by
    its file, not copied. Typed metadata is taken by its `repr` (it holds no set), a file as
    read by its path, body and front matter."""
    kind = type(x)
    if x is None or kind in (str, int, float, bool):
        return x
    if kind in (list, tuple):
        return [_plain(v, blank, named) for v in x]
    if kind is dict:
        return [[_plain(k, blank, named), _plain(v, blank, named)] for k, v in x.items()]
    if kind is SourceFile:  # its typed `data` is the text's own `meta`
        kept = _AS_READ.get((id(x), blank))  # a file as read is in every edition's model
        if kept is None or kept[0] is not x:
            if len(_AS_READ) > 20_000:  # a few builds of a large course (`serve`): not kept for ever
                _AS_READ.clear()
            kept = _AS_READ[id(x), blank] = (x, [str(x.path), "" if blank else x.body, x.body_line,
                                                 repr(x.meta), repr(x.lines)])
        return kept[1]
    if named and isinstance(x, Text):
        return ["text", str(x.path)]
    if isinstance(x, BaseModel):
        return repr(x)
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        if kind not in _FIELDS:
            _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(x))
        return [kind.__name__, [("" if blank and name == "body" else _plain(getattr(x, name), blank, named))
                                for name in _FIELDS[kind]]]
    if isinstance(x, (set, frozenset)):
        return sorted((_plain(v, blank, named) for v in x), key=json.dumps)
    if isinstance(x, enum.Enum):
        return _plain(x.value)
    if isinstance(x, Path):
        return str(x)
    if isinstance(x, (dt.date, dt.time, dt.datetime, dt.timedelta)):
        return str(x)
    raise TypeError(f"module_memo cannot key a {kind.__name__}: add it to _plain")


_FIELDS: dict[type, tuple[str, ...]] = {}
_AS_READ: dict[tuple[int, bool], tuple[SourceFile, list]] = {}  # a file as read: its value (kept: the same id)


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode()).hexdigest()


def digest(value: Any) -> str:
    """A hash of any value the layout is given (dicts, lists, dataclasses, models)."""
    return _digest(_plain(value))


def _own(module: Module) -> str:
    """A hash of the module's own files as read (a translation's with the source files it
    follows): with the edition's key they make its model, and hashing them is much quicker
    than walking the model (its parsed slides, each text's body two or three times over)."""
    texts = [module, *module.activities, *(x for x in (module.notes, module.deck) if x is not None)]
    return _digest([_plain(t) if t.sf is None else [_plain(t.sf), None if t.src is t.sf else _plain(t.src)]
                    for t in texts])  # a source-language text is its own source: hashed once


def _texts(course: Course) -> set[str]:
    """The files whose whole content is in the edition's model (and so in its keys); a path
    written otherwise than the walk of `_files` finds it is keyed twice, never missed."""
    found: set[str] = set()
    for t in (*course.pages, *course.readings, *course.modules,
              *(a for m in course.modules for a in m.activities),
              *(x for m in course.modules for x in (m.notes, m.deck) if x is not None)):
        found.update(str(s.path) for s in (t.sf, t.src) if s is not None)
    return found


def _files(texts: set[str], scanned: dict[str, str]) -> list:
    """Every other file the layout could read, by content (`scanned`)."""
    return [(path, digest) for path, digest in scanned.items() if path not in texts]


def _scan(ctx: Context) -> dict[str, str]:
    """A hash of each file of the repository (but its hidden folders, outputs and node
    packages, whose lock file stands for them) and of the engine's theme: once per build.
    The hashes are kept between builds with each file's stat (`_file_digest`), so that a new
    process reads only the files changed since: hashing every figure at every build grew with
    the course (a tenth of a second at 200 modules, more with large images)."""
    kept_at = ctx.memo.key("scanned", str(ctx.root.resolve()))
    last = ctx.memo.get(kept_at) or {}
    for path, (*seen, digest) in last.items():
        _HASHED.setdefault(path, (tuple(seen), digest))
    found = {}
    root, theme = ctx.root.resolve(), ENGINE_THEME.resolve()
    for folder in [root] + ([] if theme.is_relative_to(root) else [theme]):
        for top, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__"
                             and not (top == str(root) and d in SKIPPED))
            for name in sorted(names):
                found[os.path.join(top, name)] = _file_digest(os.path.join(top, name))
    lock = str(root / "node_modules" / ".package-lock.json")
    found[lock] = _file_digest(lock)
    record = {path: [*_HASHED[path][0], _HASHED[path][1]] for path in found if path in _HASHED}
    if record != last:
        ctx.memo.put(kept_at, record)
    return found


def _file_digest(path: str) -> str:
    """A file's hash, taken over while the file's inode, size and dates stay the same (in a
    long-running process like `serve`, which scans at every edit, and from the last build's
    record) — but not for a file hashed within two seconds of its last change, which a file
    system dating by the second could hide."""
    try:
        st = os.stat(path)
        seen = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        known = _HASHED.get(path)
        if known is not None and known[0] == seen:
            return known[1]
        with open(path, "rb") as f:
            digest = hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return "-"
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > 2_000_000_000:
        _HASHED[path] = (seen, digest)
    return digest


_HASHED: dict[str, tuple[tuple[int, ...], str]] = {}  # path → (its stat when hashed, its hash)


_SCANNED: list[tuple[Context, dict[str, str]]] = []  # the last builds' files, newest first


def of(course: Course, ctx: Context, docs: Path) -> Memo:
    """The edition's `Memo`, made once per build (the handouts and the decks both ask)."""
    for c, d, memo in _EDITIONS:
        if c is course and d == docs and memo.ctx is ctx:
            return memo
    memo = Memo(course, ctx, docs)
    _EDITIONS[:] = [(course, docs, memo), *_EDITIONS[:7]]
    return memo


class Memo:
    """The modules of one edition: `kept(module, what, make)` is `make()`'s JSON value, from
    the memo when the module and what it reads are unchanged."""

    def __init__(self, course: Course, ctx: Context, docs: Path):
        self.ctx = ctx
        self.key = None
        if ctx.markdown.pure:
            # not its translation coverage: the site's downloads page shows it, no document
            # does, and an edit to a translated source file changes it in every edition
            edition = {f.name: _plain(getattr(course, f.name), blank=f.name == "modules")
                       for f in dataclasses.fields(course) if f.name != "coverage"}
            self.key = _digest([course.lang, str(docs), ctx.engine, ctx.all_outputs,
                                os.environ.get("SOURCE_DATE_EPOCH", ""), edition,
                                _plain(compute_agenda(course), named=True), _plain(course_pages(course)),
                                _files(_texts(course), per_object(_SCANNED, ctx, _scan))])
        self._modules: dict[Path, str] = {}

    def kept(self, module: Module, what: str, make: Callable[[], T]) -> T:
        """`make()` for `module` (`what`: which share of it, with anything else its result
        depends on), made afresh only when its key is new; the value as JSON gives it back,
        so a fresh result and a kept one are alike (lists, not tuples)."""
        def fresh() -> T:
            LAID_OUT.append((str(module.path), what.split(":")[0]))
            return json.loads(json.dumps(make()))
        if self.key is None:
            return fresh()
        if module.path not in self._modules:
            self._modules[module.path] = _own(module)
        key = self.ctx.memo.key("layout", self.key, self._modules[module.path], what)
        value = self.ctx.memo.get(key)
        if value is None:
            value = fresh()
            self.ctx.memo.put(key, value)
        return value


_EDITIONS: list[tuple[Course, Path, Memo]] = []  # the last editions laid out, newest first
