"""Translation status: for each language and file, missing / stale / current.

A translation records in `translation_of` the hash of the source it translates
(`python build.py translated FILE` sets it). When the source changes, its hash changes and
the translation shows as stale until a translator updates it and marks it again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .load import Localized, SourceFile, Sources, split_lang
from .model import source_hash
from .scaffold import in_repository, read_source, write_source


@dataclass(frozen=True)
class Entry:
    lang: str
    source: str  # path of the source file, relative to the root
    state: str  # "missing", "stale" or "current"


def _localized(sources: Sources) -> list[Localized]:
    items = [*sources.pages.values(), *sources.readings.values()]
    for mf in sources.modules:
        items += [x for x in (mf.module, *mf.activities.values(), mf.notes, mf.deck) if x]
    return items


def translation_status(sources: Sources) -> list[Entry]:
    """The state of every translatable file in every other language of the course."""
    config = sources.course.data if sources.course else None
    languages = list(config.languages) if config else []
    out = []
    for loc in _localized(sources):
        current = source_hash(loc.source)
        rel = loc.source.path.relative_to(sources.root).as_posix()
        for lang in languages:
            tr = loc.translations.get(lang)
            if tr is None:
                state = "missing"
            else:
                state = "current" if str(tr.meta.get("translation_of")) == current else "stale"
            out.append(Entry(lang, rel, state))
    return out


def coverage(entries: list[Entry], lang: str) -> float:
    """Share of files whose translation into `lang` is current, in percent."""
    mine = [e for e in entries if e.lang == lang]
    return 100.0 * sum(e.state == "current" for e in mine) / len(mine) if mine else 100.0


KEY = re.compile(r"(?m)^translation_of:.*$")


def mark_translated(path: Path, root: Path) -> str:
    """Record in a translation's front matter the hash of its current source. Only that one
    line is written or replaced; the file's BOM and line ends are kept as they were."""
    stem, lang = split_lang(path)
    if lang is None:
        raise ValueError(f"{path.name} has no language suffix (e.g. module.es.md)")
    in_repository(root, path)
    source = in_repository(root, path.with_name(f"{stem}{path.suffix}"))
    if not source.is_file():
        raise ValueError(f"{path.name} has no source file {source.name}")
    digest = source_hash(SourceFile(source, {}, {}))
    text, bom, newline = read_source(path)
    line = f'translation_of: "{digest}"'
    if path.suffix == ".yml":
        if KEY.search(text):
            text = KEY.sub(line, text, count=1)
        else:
            text = (text if not text or text.endswith("\n") else text + "\n") + line + "\n"
    else:
        lines = text.split("\n")
        close = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None) \
            if text.startswith("---\n") else None
        if close is None:  # no front matter yet: add one
            lines[:0] = ["---", line, "---"]
        else:
            at = next((i for i in range(1, close) if KEY.match(lines[i])), None)
            if at is None:
                lines.insert(close, line)
            else:
                lines[at] = line
        text = "\n".join(lines)
    write_source(path, text, bom, newline)
    return digest
