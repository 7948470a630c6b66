"""Rendered results kept between builds in `.build/memo.sqlite` (`check` keeps its own, smaller
store: `memo.py`).

Every build converts each module's Markdown several times (handout, workbook, guide, slides)
and reads each slide PDF's overflow notes back. Most of those texts did not change since the
last build, so the results are looked up by a hash of the input and of everything else that
decides the result (the engine's code, the libraries' versions, the Markdown configuration):
a change to any of them is a miss, never a stale result. Values are JSON text; a missing,
locked or corrupt store only means recomputing.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from . import __version__

T = TypeVar("T")
KEEP_DAYS = 14  # a result unused this long is dropped when a build ends
MARKED_AGAIN = 86400  # seconds: a result used is marked as used again once this old
LIBRARIES = ("weasyprint", "python-pptx", "Markdown", "pymdown-extensions", "pydyf", "Pygments", "nh3")


@lru_cache(maxsize=1)
def engine_digest() -> str:
    """A hash of the engine's own code: a renderer that changes renders again (without --clean)."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=1)
def versions() -> str:
    """The versions of the libraries that shape the outputs, with coursebook's own."""
    return ",".join([__version__, *(_version(n) for n in LIBRARIES)])


def _version(name: str) -> str:
    from importlib import metadata  # here: 40 ms to import, and `check` never asks

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


class Memo:
    """A key → JSON value store for one build; `flush()` writes what it learnt."""

    def __init__(self, path: Path):
        self.path, self.salt = path, f"{engine_digest()}\0{versions()}"
        self._db: sqlite3.Connection | None = None
        self._opened = False
        self._new: dict[str, str] = {}
        self._used: set[str] = set()

    def __getstate__(self) -> dict:  # a context sent to another process goes without the store
        return {**self.__dict__, "_db": None, "_opened": True, "_new": {}, "_used": set()}

    def key(self, *parts: str) -> str:
        h = hashlib.sha256(self.salt.encode())
        for part in parts:
            h.update(b"\0" + part.encode())
        return h.hexdigest()[:40]

    def _conn(self) -> sqlite3.Connection | None:
        if not self._opened:
            self._opened = True
            folder = self.path.parent
            if folder.is_dir() and not folder.is_symlink():  # the build's own folder, never through a link
                try:
                    self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
                    self._db.execute("PRAGMA journal_mode=WAL")
                    # a cache: a crash may lose the last build's results, never corrupt the store,
                    # and a build's commit need not wait for the disk (fsync)
                    self._db.execute("PRAGMA synchronous=NORMAL")
                    self._db.execute("CREATE TABLE IF NOT EXISTS memo (key TEXT PRIMARY KEY, value TEXT, used REAL)")
                    # the long-unused are dropped at every flush: without an index, a scan of the
                    # whole store (160 MB at 100 modules, 0.1 s at each build)
                    self._db.execute("CREATE INDEX IF NOT EXISTS memo_used ON memo (used)")
                except sqlite3.Error:
                    self._db = None
        return self._db

    def get(self, key: str) -> Any | None:
        if key in self._new:
            return json.loads(self._new[key])
        db = self._conn()
        if db is None:
            return None
        try:
            row = db.execute("SELECT value, used FROM memo WHERE key = ?", (key,)).fetchone()
            value = None if row is None else json.loads(row[0])
        except (sqlite3.Error, ValueError):
            return None
        if value is not None and (row[1] is None or row[1] < time.time() - MARKED_AGAIN):  # none: marked now
            self._used.add(key)  # marked once a day, not at every build: each mark is a write
        return value

    def put(self, key: str, value: Any) -> None:
        self._new[key] = json.dumps(value)

    def flush(self) -> None:
        """Write the new results, mark the ones used, drop the long unused."""
        db = self._conn()
        if db is None or not (self._new or self._used):
            return
        now = time.time()
        try:
            with db:
                db.execute("BEGIN IMMEDIATE")
                db.executemany("INSERT OR REPLACE INTO memo VALUES (?, ?, ?)",
                               [(k, v, now) for k, v in self._new.items()])
                db.executemany("UPDATE memo SET used = ? WHERE key = ?", [(now, k) for k in self._used])
                db.execute("DELETE FROM memo WHERE used < ?", (now - KEEP_DAYS * 86400,))
        except sqlite3.Error:
            pass
        self._new, self._used = {}, set()

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
        self._db, self._opened = None, False


def per_key(kept: dict[Any, T], key: Any, make: Callable[[], T], limit: int = 4096) -> T:
    """`make()`, worked out once per key for the process (`kept`: emptied when it holds
    `limit` results) — for what is asked again at every build or edit of the same text."""
    if key not in kept:
        if len(kept) >= limit:
            kept.clear()
        kept[key] = make()
    return kept[key]


def per_object(kept: list[tuple[Any, T]], obj: Any, make: Callable[[Any], T]) -> T:
    """`make(obj)`, worked out once per object (`kept`: the last few, newest first) — for what
    every page of a build asks about the same course (its agenda, its files' pages): the model
    is not changed after it is made, and working it out for each page grew with the square of
    the course."""
    for known, value in kept:
        if known is obj:
            return value
    value = make(obj)
    kept[:] = [(obj, value), *kept[:15]]
    return value
