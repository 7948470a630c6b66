"""Results of pure functions kept between runs in `.build/check/memo.pickle`, so `check` after
an edit recomputes only what derives from the edited text (as mypy and ruff do).

Every entry is keyed by a digest of its function's name and the exact input text (never a
file's date); the whole store is keyed by the engine: the digest of coursebook's own code and
of the installed libraries' versions, so a changed engine starts afresh. A missing, corrupt or
foreign store is simply recomputed. Nothing is kept when `.build` is a link or cannot be made.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .memo_db import engine_digest, per_key
from .validate_paths import committed_files

T = TypeVar("T")
FILE = Path(".build") / "check" / "memo.pickle"
MAX_ENTRIES = 50_000  # beyond it (or twice what the last run used), only what it used is kept


def _engine_digest() -> str:
    """coursebook's code (hashed once per process, `memo_db.engine_digest`), Python's version and
    every installed distribution's name-version."""
    h = hashlib.blake2b(f"{sys.version}\0{engine_digest()}".encode(), digest_size=16)
    for folder in sorted({p for p in sys.path if p.endswith("site-packages")}):
        try:
            h.update("\0".join(sorted(x for x in os.listdir(folder) if x.endswith(".dist-info"))).encode())
        except OSError:
            pass
    return h.hexdigest()


class Store:
    """One course's remembered results: read once, written back when something was added."""

    def __init__(self, root: Path) -> None:
        self.path: Path | None = None
        self.entries: dict[bytes, bytes] = {}  # key → the pickled result
        self.used: set[bytes] = set()
        self.dirty = False
        folder = root / ".build"
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            return  # never write through a link (write.build_dir refuses it too)
        if committed_files(root):
            return  # put there by a commit, not by coursebook: never loaded (`check` reports it)
        self.path = root / FILE
        try:
            with self.path.open("rb") as f:
                engine, entries = pickle.load(f)
            if engine == digest() and isinstance(entries, dict):
                self.entries = entries
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError,
                ImportError, IndexError):
            pass  # no store yet, or an unreadable one: recomputed

    def save(self) -> None:
        if not self.dirty or self.path is None:
            return
        self.dirty = False
        entries, used = dict(self.entries), set(self.used)  # copies: `serve` may check meanwhile
        if len(entries) > 2 * len(used) + 1000 or len(entries) > MAX_ENTRIES:
            # results of texts no longer there (edited since): dropped once they outnumber the live ones
            entries = self.entries = {k: v for k, v in entries.items() if k in used}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            with tmp.open("wb") as f:
                pickle.dump((digest(), entries), f, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(self.path)
        except OSError:
            self.path = None  # a read-only repository: keep results in memory only


_DIGEST: list[str] = []
_KEYS: dict[tuple[str, tuple[str, ...]], bytes] = {}
_STORES: dict[Path, Store] = {}
_CURRENT: list[Store] = []


def digest() -> str:
    if not _DIGEST:
        _DIGEST.append(_engine_digest())
    return _DIGEST[0]


def use(root: Path) -> Store:
    """Make `root`'s store the one `remember` uses (opened once per process)."""
    root = root.resolve()
    store = _STORES.get(root)
    if store is None:
        store = _STORES[root] = Store(root)
    _CURRENT[:] = [store]
    return store


def remember(name: str, parts: tuple[str, ...], compute: Callable[[], T]) -> T:
    """`compute()`, or what it returned for the same `name` and `parts` in an earlier run.
    `compute` must depend on nothing but `parts` (and the engine's code)."""
    if not _CURRENT:
        return compute()
    store = _CURRENT[0]
    def hashed() -> bytes:
        h = hashlib.blake2b(name.encode(), digest_size=20)
        for part in parts:
            data = part.encode("utf-8", "surrogatepass")
            h.update(len(data).to_bytes(8, "little"))
            h.update(data)
        return h.digest()

    key = per_key(_KEYS, (name, parts), hashed, limit=MAX_ENTRIES)  # a text checked by every edition: hashed once
    store.used.add(key)
    kept = store.entries.get(key)
    if kept is not None:
        return pickle.loads(kept)  # a fresh copy: callers may change what they get
    value = compute()
    store.entries[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    store.dirty = True
    return value


def save() -> None:
    """Write back every store that gained results (also done at exit)."""
    for store in _STORES.values():
        store.save()


atexit.register(save)
