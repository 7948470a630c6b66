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


def mark_translated(path: Path, root: Path) -> str:
    """Record in a translation's front matter the hash of its current source."""
    stem, lang = split_lang(path)
    if lang is None:
        raise ValueError(f"{path.name} has no language suffix (e.g. module.es.md)")
    source = path.with_name(f"{stem}{path.suffix}")
    if not source.is_file():
        raise ValueError(f"{path.name} has no source file {source.name}")
    digest = source_hash(SourceFile(source, {}, {}))
    text = path.read_text(encoding="utf-8")
    line = f'translation_of: "{digest}"'
    if path.suffix == ".yml":
        if re.search(r"(?m)^translation_of:.*$", text):
            text = re.sub(r"(?m)^translation_of:.*$", line, text)
        else:
            text = text.rstrip("\n") + f"\n{line}\n"
    elif text.startswith("---\n"):
        head, sep, body = text[4:].partition("\n---\n")
        if re.search(r"(?m)^translation_of:.*$", head):
            head = re.sub(r"(?m)^translation_of:.*$", line, head)
        else:
            head = head.rstrip("\n") + f"\n{line}" if head.strip() else line
        text = f"---\n{head}\n---\n{body}"
    else:
        text = f"---\n{line}\n---\n{text}"
    path.write_text(text, encoding="utf-8")
    return digest
