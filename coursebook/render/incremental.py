"""An edition's site rebuilt from the last one: only the pages whose source changed are
rendered again.

MkDocs can build "dirty" (only pages newer than their HTML), but it trusts file times and its
search index then holds only the pages it rendered. Here the decision is made from content
hashes: each build records a hash of every file of the site source and of everything else
MkDocs reads (configs, theme overrides, the list of files, the engine's and coursebook's code — the
*structure*). When the structure is unchanged, the last output is taken over (its files
that MkDocs may write again get copies of their own: the published site shares the others by
hard links), the HTML of the changed pages is removed, the unchanged sources are dated before
any output, and MkDocs builds dirty; the search index is then the last one with the changed pages' entries replaced,
in place. Anything else (a new page, a nav title, the theme, Zensical) is a full build.

Outputs live in `.build/<lang>/<name>-out` and are published by hard links; a build never
writes into a published file: it works in `<name>-next` and renames it into place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..memo_db import engine_digest, per_key
from ..write import files_below, link
from . import engines

MATERIAL_INDEX = "search/search_index.json"
MATERIAL_INDEX_JS = "search/search_index.js"  # written by Material's offline plugin, for file://
LATE = "late"  # the hash of a file taken by its name only (`fingerprint`)
OLD = (1, 1)  # a source's time when unchanged: older than any output, so MkDocs skips it


def _digest(path: Path, last: list | None = None) -> str:
    """A file's content hash. `last`: its hash and stat the last build recorded ([hash, inode,
    size, time]), taken over when the file was not written since (the job results are hard links
    to the cache, kept from build to build; the pages are written anew). A file with other hard
    links is a published output linked in (the preview links the last build's PDFs, decks and
    zip into each site source), never written in place: its hash is kept for the process."""
    def digest() -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:24]

    st = path.stat()
    if last and last[1:] == _stamp(st):
        return last[0]
    if st.st_nlink < 2:
        return digest()
    return per_key(_DIGESTS, (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns), digest, limit=100_000)


_DIGESTS: dict[tuple[int, int, int, int], str] = {}


def _stamp(st: os.stat_result) -> list[int]:
    """What changes when a file is written or replaced (its date: the kernel's clock moves on
    between two builds)."""
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def _known(docs: Path, files: dict[str, str]) -> dict[str, list]:
    """Each file's hash with its stat as it is now, for the next build's `fingerprint`."""
    return {rel: [h, *_stamp((docs / rel).stat())] for rel, h in files.items()}


def _older(source: Path, output: Path) -> bool:
    """Is `source` dated no later than its output (so a dirty MkDocs build skips it)?"""
    try:
        return source.stat().st_mtime_ns <= output.stat().st_mtime_ns
    except FileNotFoundError:
        return False


def fingerprint(work: Path, engine: str, extra: tuple[Path, ...] = (), options: object = None,
                known: dict[str, list] | None = None, late: frozenset[str] = frozenset()) -> dict:
    """What a build of `work/docs` depends on: `structure` (everything but the pages' own
    text) and `files` (a hash per file of the site source). `known`: the last build's hashes
    and stats (`_known`); `late`: files put into the built site after it (`site.place_results`),
    taken by their names only."""
    docs, known = work / "docs", known or {}
    files = {}
    for rel, full in files_below(docs):
        files[rel] = LATE if rel in late else _digest(Path(full), known.get(rel))
    h = hashlib.sha256(f"{engines.version(engine)}|{engine_digest()}|"  # coursebook's code: it post-processes
                       f"{json.dumps(options, sort_keys=True, default=str)}".encode())
    h.update("\n".join(rel for rel in files if _is_page(rel)).encode())  # the list of pages: a new one
    # changes the nav; a new or removed download or image changes no other page (it is copied or removed)
    for path in (work / "mkdocs.yml", *extra):
        paths = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for p in paths:
            h.update(str(p).encode() + b"\0" + (p.read_bytes() if p.is_file() else b"-"))
    return {"structure": h.hexdigest(), "files": files}


def _is_page(rel: str) -> bool:
    return rel.endswith(".md")


def _page_html(rel: str) -> str:
    """Where MkDocs writes a Markdown page (the site uses `use_directory_urls: false`)."""
    return rel[: -len(".md")] + ".html" if _is_page(rel) else rel


def _merge_index(old: dict, new: dict, rebuilt: set[str]) -> dict:
    """The last search index with the entries of the rebuilt pages replaced by their new ones,
    where they were (a new page's entries at the end)."""
    def page(entry: dict) -> str:
        return entry["location"].split("#", 1)[0]

    fresh: dict[str, list] = {}
    for entry in new.get("docs", []):
        fresh.setdefault(page(entry), []).append(entry)
    docs, placed = [], set()
    for entry in old.get("docs", []):
        where = page(entry)
        if where not in rebuilt:
            docs.append(entry)
        elif where not in placed:
            docs += fresh.get(where, [])
            placed.add(where)
    docs += [e for where, items in fresh.items() if where not in placed for e in items]
    return {**new, "docs": docs}


def _write_index(site: Path, index: dict) -> None:
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    (site / MATERIAL_INDEX).write_text(text, encoding="utf-8")
    js = site / MATERIAL_INDEX_JS
    if js.is_file():  # `var __index = {…}`: the same data
        raw = js.read_text(encoding="utf-8")
        js.write_text(raw[: raw.index("{")] + text + raw[raw.rindex("}") + 1:], encoding="utf-8")


@dataclass
class Built:
    path: Path  # the output folder
    mode: str  # "cached" (nothing changed), "dirty" (only `pages` rendered) or "full"
    pages: list[str] = field(default_factory=list)  # the HTML pages a dirty build rendered


def build(engine: str, work: Path, name: str, overrides: dict | None = None,
          post: Callable[[Path, set[str] | None], None] | None = None,
          extra: tuple[Path, ...] = (), always: tuple[str, ...] = (),
          start: Callable[[], None] | None = None, late: frozenset[str] = frozenset()) -> Built:
    """Build `work/docs` (config `work/mkdocs.yml` + `overrides`) into `work/<name>-out`.
    `post(site, rebuilt)` finishes a new output before it is kept (rebuilt: the changed pages,
    None after a full build); `always`: pages rendered again each time, because `post` writes
    into them what is known only after the build (a zip's size); `start()`: called once the
    output is known to need building, before the engine runs; `late`: files (relative to
    `docs`) that the caller puts into the output after, whatever their content (`fingerprint`)."""
    out, nxt, state = work / f"{name}-out", work / f"{name}-next", work / f"{name}-state.json"
    last = json.loads(state.read_text(encoding="utf-8")) if state.is_file() and out.is_dir() else None
    known = last.pop("known", None) if last else None
    now = fingerprint(work, engine, extra, overrides, known, late)
    docs = work / "docs"
    if last == now:
        _save(state, now, docs)
        return Built(out, "cached")
    if start:
        start()
    shutil.rmtree(nxt, ignore_errors=True)
    state.unlink(missing_ok=True)  # a build stopped half-way must not look finished
    if engine == "mkdocs" and last and last["structure"] == now["structure"] \
            and (out / MATERIAL_INDEX).is_file():
        changed = {rel for rel, h in now["files"].items() if last["files"].get(rel) != h}
        changed |= {rel for rel in always if rel in now["files"]}
        out.rename(nxt)
        for rel in set(last["files"]) - set(now["files"]):  # a file gone (never a page: that is structure)
            (nxt / rel).unlink(missing_ok=True)
        _own_copies(nxt, {_page_html(rel) for rel in now["files"] if rel not in changed})
        for rel in now["files"]:
            if rel in changed:
                (nxt / _page_html(rel)).unlink(missing_ok=True)
            elif not _older(docs / rel, nxt / _page_html(rel)):
                os.utime(docs / rel, OLD)  # (a file linked in, already older, keeps its date)
        old_index = json.loads((nxt / MATERIAL_INDEX).read_text(encoding="utf-8"))
        engines.build(engine, work, nxt, overrides, dirty=True)
        rebuilt = {_page_html(rel) for rel in changed if _is_page(rel)}
        new_index = json.loads((nxt / MATERIAL_INDEX).read_text(encoding="utf-8"))
        _write_index(nxt, _merge_index(old_index, new_index, rebuilt))
        engines.fold_search(nxt)
        mode = "dirty"
    else:
        engines.build(engine, work, nxt, overrides)
        rebuilt, mode = None, "full"
    if post:
        post(nxt, rebuilt)
    shutil.rmtree(out, ignore_errors=True)
    nxt.rename(out)
    _save(state, now, docs)
    return Built(out, mode, sorted(rebuilt) if rebuilt is not None else [])


def _save(state: Path, now: dict, docs: Path) -> None:
    """Record a finished build: its fingerprint and each file's stat (after the dates set above)."""
    tmp = state.with_name(state.name + ".tmp")
    tmp.write_text(json.dumps({**now, "known": _known(docs, now["files"])}), encoding="utf-8")
    tmp.replace(state)


def _own_copies(site: Path, kept: set[str]) -> None:
    """Give every file of `site` its own copy, except `kept`: the outputs of unchanged
    sources, which a dirty build does not write. The others (sitemap, 404 page, search
    index, theme files, what a plugin writes) may be written in place, and a published copy
    shares their data by hard links: writing into it would change the published site."""
    for rel, path in files_below(site):
        if rel not in kept and not os.path.islink(path) and os.stat(path).st_nlink > 1:
            shutil.copy2(path, path + ".own")
            os.replace(path + ".own", path)


def publish(src: Path, dst: Path) -> None:
    """Copy a built output by hard links (fast; its files are never rewritten in place),
    falling back to a copy across file systems."""
    shutil.copytree(src, dst, copy_function=link)
