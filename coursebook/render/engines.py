"""The two engines that turn an edition's site source into HTML: MkDocs + Material for MkDocs
(the default) and Zensical, Material's maintained successor (Material reaches end of life on
2027-05-05). Both read the same `.build/<lang>/mkdocs.yml`, whose paths are all relative to it,
so `.build/<lang>/` can also be built by hand: `mkdocs build -f .build/<lang>/mkdocs.yml`, or
`zensical build -f .build/<lang>/zensical.yml`, the same config with its INHERIT merged in.

What differs, and is handled here or after the build:
- Zensical's search index is `search.json` (+ `search.js` for `file://`) at the site root;
  Material's is `search/search_index.json` (+ `.js`, written by its offline plugin).
- Zensical writes only inside the config's folder: it builds into `.build/<lang>/<site_dir>`,
  and the result is moved where the caller wants it.
- Zensical ignores `validation:` and writes no `sitemap.xml.gz`.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from . import segments_zh

ENGINES = ("mkdocs", "zensical")
DEFAULT = "mkdocs"
# the search indexes of both engines, relative to the site root
ZENSICAL_CONFIG = "zensical.yml"  # the flattened config Zensical builds: `zensical build -f` it by hand
SEARCH_INDEXES = ("search/search_index.json", "search/search_index.js", "search.json", "search.js")


def check(engine: str) -> str:
    """The engine's name, or ValueError naming the engines there are."""
    if engine not in ENGINES:
        raise ValueError(f"unknown site engine {engine!r}; choose from {', '.join(ENGINES)}")
    return engine


def relative(path: Path, work: Path) -> str:
    """`path` relative to the folder of the generated config (POSIX separators)."""
    return Path(os.path.relpath(Path(path).resolve(), Path(work).resolve())).as_posix()


def version(engine: str) -> str:
    """The versions of what builds the site, for the cache key of an edition."""
    from importlib.metadata import version as v

    if engine == "zensical":
        return f"zensical {v('zensical')}"
    return f"mkdocs {v('mkdocs')} | material {v('mkdocs-material')}"


def _zensical(config: Path) -> None:
    """Run Zensical on `config` in its own process (its Rust core may panic, which must not
    take this process down); its output is shown only when it fails."""
    exe = Path(sys.executable).with_name("zensical")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "zensical"]
    done = subprocess.run([*command, "build", "--clean", "-f", str(config)], cwd=config.parent,
                          capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    if done.returncode != 0 or "Error" in done.stderr:
        raise RuntimeError(f"zensical build -f {config} failed:\n{done.stdout}{done.stderr}")


class _Dirty(logging.Filter):
    """MkDocs warns that a dirty build may leave navigation stale; ours are dirty only when the
    navigation and everything but the changed pages' text are unchanged (`incremental.py`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


def _compile_once(theme: object, folder: Path) -> None:
    """MkDocs makes a new Jinja environment for each build (and Material one more per page it
    translates), so Material's templates are compiled again every time: most of a small
    build. With a bytecode cache on disk (keyed by each template's source), they are compiled
    once per machine; and the installed themes' files (Material's: 14,000, its icons) are
    listed once per process, not at every build — a course's own `custom_dir` at every build.
    The theme's output is the same; `mkdocs build` by hand works as ever."""
    import jinja2

    folder.mkdir(parents=True, exist_ok=True)
    cache = jinja2.FileSystemBytecodeCache(str(folder))
    make_env = theme.get_env  # type: ignore[attr-defined]

    def get_env() -> jinja2.Environment:
        env = make_env()
        env.bytecode_cache = cache
        loader = env.loader
        if isinstance(loader, jinja2.FileSystemLoader):
            loader.list_templates = lambda: _list_templates(loader)  # type: ignore[method-assign]
        return env

    theme.get_env = get_env  # type: ignore[attr-defined]


_LISTED: dict[str, list[str]] = {}  # an installed theme folder's files


@functools.cache
def _installed() -> tuple[Path, ...]:
    """Where installed packages live (site-packages)."""
    import sysconfig

    return tuple({Path(sysconfig.get_paths()[k]).resolve() for k in ("purelib", "platlib")})


def _list_templates(loader: object) -> list[str]:
    """What `FileSystemLoader.list_templates` returns, less the hidden files and folders,
    each installed folder (below site-packages: it changes only when the package does)
    listed once per process. MkDocs, the only caller (to copy a theme's static files), drops
    hidden ones anyway (its patterns `.*` and `*/.*`); Material's 14,000 icons, all under
    `.icons/`, took 0.1–0.2 s per process to walk and drop. Templates are found by name
    (`get_template`), as ever."""
    found: set[str] = set()
    follow = loader.followlinks  # type: ignore[attr-defined]
    for path in loader.searchpath:  # type: ignore[attr-defined]
        if any(Path(path).resolve().is_relative_to(x) for x in _installed()):
            if path not in _LISTED:
                _LISTED[path] = _visible(path, follow)
            found.update(_LISTED[path])
        else:
            found.update(_visible(path, follow))
    return sorted(found)


def _visible(top: str, followlinks: bool) -> list[str]:
    """The files below `top` as template names, hidden folders not even walked."""
    found = []
    for folder, dirs, names in os.walk(top, followlinks=followlinks):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = os.path.relpath(folder, top).replace(os.sep, "/")
        found += [name if rel == "." else f"{rel}/{name}" for name in names if not name.startswith(".")]
    return found


def build(engine: str, work: Path, target: Path, overrides: dict | None = None, dirty: bool = False) -> None:
    """Build the site source `work/mkdocs.yml` into `target` with `engine`. `overrides` are
    top-level config keys to replace (the participant build's nav, extensions, exclusions);
    `dirty` (MkDocs only): render only the pages newer than their HTML in `target`."""
    overrides = overrides or {}
    if check(engine) == "mkdocs":
        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.config import load_config

        with _libyaml():
            config = load_config(str(work / "mkdocs.yml"), site_dir=str(target), **overrides)
        _compile_once(config.theme, work.parent / "jinja")
        segments_zh.install(config, work.parent)  # Chinese words for search, kept between builds
        log = logging.getLogger("mkdocs.commands.build")
        quiet = _Dirty()
        log.addFilter(quiet)
        try:
            mkdocs_build(config, dirty=dirty)
        finally:
            log.removeFilter(quiet)
            segments_zh.save()
        fold_search(target)
        return
    from ..markdown import ConfigDumper

    data = {**flat(work / "mkdocs.yml"), **overrides}
    # Zensical writes only below its config's folder; the participant build has its own
    out = f"{target.name}.zensical" if overrides else data.get("site_dir", "site")
    config = work / (f"{target.name}.zensical.yml" if overrides else ZENSICAL_CONFIG)
    config.write_text(yaml.dump({**data, "site_dir": out}, Dumper=ConfigDumper, allow_unicode=True,
                                sort_keys=False), encoding="utf-8")
    shutil.rmtree(work / out, ignore_errors=True)
    _zensical(config)
    if overrides:
        config.unlink()
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(work / out), str(target))
    fold_search(target)


@contextmanager
def _libyaml() -> Iterator[None]:
    """MkDocs reads its config with PyYAML's pure-Python parser: 0.15 s for the nav of 100
    modules, at each build of each edition. The same loader on libyaml's parser (the same
    constructors, `!ENV` and `!relative` included) reads it in a tenth of that."""
    from mkdocs.utils import yaml as mkdocs_yaml

    loader = mkdocs_yaml.get_yaml_loader
    defaults = loader.__defaults__
    if getattr(yaml, "CLoader", None) is None or defaults != (yaml.Loader, None):
        yield  # no libyaml here, or a MkDocs whose loader differs: as it is
        return
    loader.__defaults__ = (yaml.CLoader, None)
    try:
        yield
    finally:
        loader.__defaults__ = defaults


def _load(path: Path) -> dict:
    """A config as data (`!ENV` resolved, `!!python/name:` values kept, as MkDocs reads them)."""
    from mkdocs.utils.yaml import get_yaml_loader

    with path.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=get_yaml_loader()) or {}  # noqa: S506 - the course's own config


def _merge(parent: dict, child: dict) -> dict:
    """MkDocs' INHERIT: mappings merged key by key, anything else (lists too) replaced."""
    out = dict(parent)
    for key, value in child.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def flat(path: Path) -> dict:
    """A config with its INHERIT chain merged in, as MkDocs merges it. Zensical's INHERIT
    appends lists instead, which would list the course's CSS twice and bring back a theme
    feature (`content.tooltips`) that the generated config leaves out."""
    data = _load(path)
    parent = data.pop("INHERIT", None)
    return _merge(flat(path.parent / parent), data) if parent else data


# ---- search that forgives accents ----
# Neither engine folds accents: Material's lunr only lowercases a query, Zensical's search
# decomposes (NFKD) and lowercases but keeps the marks, so "produccion", as people type on
# phones, finds no page that says "producción", nor "energie" "énergie", nor an Arabic word
# typed without harakat. So each index entry gets the folded form of its accented words:
# Material in a field of its own (`folded`, indexed, never shown), Zensical, whose fields are
# fixed, in a hidden span at the end of the entry's text. Accented queries match as before.

WORD = re.compile(r"[\w\u0300-\u036f\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed]+")  # marks too
TAG = re.compile(r"<[^>]*>")
FOLDED_FIELD = "folded"


def fold(text: str) -> str:
    """`text` without accents and diacritics: combining marks (Latin accents, Arabic harakat,
    hamza written over alef) and the Arabic tatweel removed."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn" and c != "\u0640")
    return unicodedata.normalize("NFC", kept)


def folded_words(*texts: str) -> list[str]:
    """The words of `texts` that folding changes, folded, each once, in order."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in WORD.findall(TAG.sub(" ", text or "")):
            plain = fold(word).lower()
            if plain and plain != word.lower():
                seen.setdefault(plain, None)
    return list(seen)


def fold_search(site: Path) -> None:
    """Add the folded words of every entry to the built site's search index (either engine).
    An index and its `.js` twin (for `file://`) hold the same data: folded once, written to both."""
    done: list[tuple[dict, str]] = []  # (an index as read, as folded)
    for rel in SEARCH_INDEXES:
        path = site / rel
        if not path.is_file():
            continue
        raw = path.read_text(encoding="utf-8")
        start, end = raw.index("{"), raw.rindex("}") + 1  # the .js variant: `var __index = {…}`
        index = json.loads(raw[start:end])
        text = next((folded for read, folded in done if read == index), None)
        if text is None:
            text = _folded(json.loads(raw[start:end]))  # a copy: `index` stays as read
            done.append((index, text))
        path.write_text(raw[:start] + text + raw[end:], encoding="utf-8")


def _folded(index: dict) -> str:
    """One search index with the folded words of each entry added, as JSON."""
    if "docs" in index:  # Material: lunr indexes every field the config lists
        index["config"].setdefault("fields", {})[FOLDED_FIELD] = {"boost": 1.0}
        for doc in index["docs"]:
            if FOLDED_FIELD not in doc:  # else an entry kept from the last build (`incremental.py`)
                doc[FOLDED_FIELD] = " ".join(folded_words(doc.get("title", ""), doc.get("text", "")))
    for item in index.get("items", []):  # Zensical: title, text and path only
        words = folded_words(item.get("title", ""), item.get("text", ""))
        if words:
            item["text"] = f'{item.get("text", "")} <span hidden>{" ".join(words)}</span>'
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))
