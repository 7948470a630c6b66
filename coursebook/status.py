"""Translation status: for each language and file, missing / stale / current — and, block by
block, which paragraphs, list items, headings and front-matter strings are.

A translation records in `translation_of` the hash of the source file it translates
(`python build.py translated FILE` sets it), and in `translation_blocks` the hash of the
source block each of its own blocks translates, in order (`-` for a block still in the
source language, `?` for one whose version is unknown). When one source paragraph changes,
that one block is stale. A translation whose blocks do not match its source's (a centre
adapted it) and has no record falls back to the file-level state.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from .load import Localized, SourceFile, Sources, split_lang
from .memo import remember
from .memo_db import per_key
from .model import source_hash
from .scaffold import in_repository, read_source, write_source
from .segments import META_FIELDS, Doc, Segment, cut, meta_segments


@dataclass(frozen=True)
class Entry:
    lang: str
    source: str  # path of the source file, relative to the root
    state: str  # "missing", "stale" or "current"


def _localized(sources: Sources) -> list[Localized]:
    return [loc for _, loc in kinds(sources)]


def kinds(sources: Sources) -> list[tuple[str, Localized]]:
    """Every translatable Markdown file with its kind (page, module, activity, notes, deck)."""
    items = [("page", x) for x in (*sources.pages.values(), *sources.readings.values())]
    for mf in sources.modules:
        items += [(k, x) for k, x in (("module", mf.module), *(("activity", a) for a in mf.activities.values()),
                                       ("notes", mf.notes), ("deck", mf.deck)) if x]
    return items


def languages(sources: Sources) -> list[str]:
    """The course's other languages, from course.yml as read (typed data when validated)."""
    if sources.course is None:
        return []
    if sources.course.data is not None:
        return list(sources.course.data.languages)
    listed = sources.course.meta.get("languages", [])
    return [str(x) for x in listed] if isinstance(listed, list) else []


def translation_status(sources: Sources) -> list[Entry]:
    """The state of every translatable file in every other language of the course."""
    out = []
    for loc in _localized(sources):
        current = source_hash(loc.source)
        rel = loc.source.path.relative_to(sources.root).as_posix()
        for lang in languages(sources):
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


# ---- blocks ----

@dataclass
class Pairing:
    """A source file's blocks and a translation's, paired. `pairs[i]` is the index of the
    translation block that translates source block `i` (None: not translated);
    `record[j]` the source version translation block `j` translates."""

    src: list[Segment]
    tr: list[Segment]
    pairs: list[int | None]
    record: list[str]
    mode: str  # "blocks"; "file" (structure adapted, no record); "none" (no translation)
    one_to_one: bool = False  # same structure: the translation's own skeleton can be kept

    def state(self, i: int) -> str:
        j = self.pairs[i]
        if j is None or self.record[j] == "-":
            return "missing"
        return "current" if self.record[j] == self.src[i].hash else "stale"


def _text_key(sf: SourceFile, kind: str) -> tuple:
    """Everything of a file as loaded that its segments are cut from."""
    return sf.path, sf.body, str(sf.body_line), kind, repr(sf.meta), repr(sorted(sf.lines.items()))


def _parts(sf: SourceFile, kind: str) -> tuple[list[Segment], Doc]:
    """A file's segments, cut once per text: `check` (glossary), status and the translators'
    page all ask, and `serve` at every edit. Callers only read them."""
    key = _text_key(sf, kind)

    def parts() -> tuple[list[Segment], Doc]:
        meta = meta_segments(sf.meta, sf.lines, META_FIELDS[kind])
        doc = cut(sf.body, deck=kind == "deck")
        for s in doc.segments:
            s.line += sf.body_line - 1
        return meta, doc

    return per_key(_CUT, key, lambda: remember("segments", key[1:], parts))  # and between runs, per text


_CUT: dict[tuple, tuple[list[Segment], Doc]] = {}


def file_segments(sf: SourceFile, kind: str) -> list[Segment]:
    """Front-matter strings (lines of the file), then body blocks (lines of the file)."""
    meta, doc = _parts(sf, kind)
    return meta + doc.segments


def read_record(sf: SourceFile) -> list[str] | None:
    value = sf.meta.get("translation_blocks")
    return str(value).split() if value is not None else None


def pair(source: SourceFile, tr: SourceFile | None, kind: str) -> Pairing:
    """Pair a translation's blocks with its source's: front matter by key, the body one to
    one when both have the same structure, else by the hashes the translation recorded."""
    ms, ds = _parts(source, kind)
    src = ms + ds.segments
    if tr is None:
        return Pairing(src, [], [None] * len(src), [], "none")
    mt, dt = _parts(tr, kind)
    trs = mt + dt.segments
    pairs: list[int | None] = [None] * len(src)
    by_key = {s.key: j for j, s in enumerate(trs) if s.kind == "meta"}
    for i, s in enumerate(src):
        if s.kind == "meta":
            pairs[i] = by_key.get(s.key)
    sb = [i for i, s in enumerate(src) if s.kind != "meta"]
    tb = [j for j, s in enumerate(trs) if s.kind != "meta"]
    record = read_record(tr)
    if record is not None and len(record) != len(trs):
        record = None  # edited by hand: not to be trusted
    one = ds.shapes == dt.shapes  # the same structure (a title given to an untitled box too)
    mode = "blocks"
    if one:
        for a, b in zip(ds.slots, dt.slots, strict=True):
            if a is not None and b is not None:
                pairs[len(ms) + a] = len(mt) + b
    elif record is not None:
        ops = difflib.SequenceMatcher(None, [record[j] for j in tb], [src[i].hash for i in sb], autojunk=False)
        for op, a1, a2, b1, b2 in ops.get_opcodes():
            both = list(zip(range(a1, a2), range(b1, b2), strict=False))
            if op == "equal" or op == "replace" and a2 - a1 == b2 - b1 and \
                    all(trs[tb[a]].shape == src[sb[b]].shape for a, b in both):
                for a, b in both:
                    pairs[sb[b]] = tb[a]
    else:
        mode = "file"
    if record is None:  # no record: every block is as current as the file
        current = str(tr.meta.get("translation_of")) == source_hash(source)
        back = {j: i for i, j in enumerate(pairs) if j is not None}
        record = [src[back[j]].hash if current and j in back else "?" for j in range(len(trs))]
    return Pairing(src, trs, pairs, record, mode, one)


@dataclass
class FileStatus:
    lang: str
    source: str  # relative path of the source file
    state: str  # the file-level state, as `translation_status`
    mode: str  # "blocks", "file" or "none"
    counts: dict[str, int] = field(default_factory=dict)  # current / stale / missing blocks
    stale: list[tuple[Segment, Segment, str]] = field(default_factory=list)  # (source, translation, old hash)
    translation: str = ""  # relative path of the translation file


def block_status(sources: Sources, only: list[str] | None = None, stale: bool = True,
                 files: set[str] | None = None) -> list[FileStatus]:
    """Per language and file: the file-level state and the count of blocks in each state,
    and (`stale`) the stale blocks themselves; `files`: these source files only (paths from
    the root). Callers only read the results: each is kept for its two texts (`serve` asks at
    every edit, for every file of the course, and one file changed); the counts alone are
    kept apart, as the translators' page lists a few stale blocks but counts them all."""
    out = []
    for kind, loc in kinds(sources):
        rel = loc.source.path.relative_to(sources.root).as_posix()
        if files is not None and rel not in files:
            continue
        file_hash = source_hash(loc.source)
        src_key = _text_key(loc.source, kind)
        for lang in languages(sources):
            if only and lang not in only:
                continue
            tr = loc.translations.get(lang)
            tr_key = _text_key(tr, kind) if tr else ()
            make = partial(_file_status, sources.root, kind, loc.source, tr, lang, rel, file_hash)
            key = (lang, rel, file_hash, *src_key[1:], *(tr_key and (str(tr_key[0]), *tr_key[1:])))  # texts
            full = partial(per_key, _STATUS, key, partial(remember, "file_status", key, make), limit=16384)
            out.append(full() if stale else per_key(
                _COUNTS, key, partial(remember, "file_counts", key, lambda f=full: replace(f(), stale=[])),
                limit=16384))
    return out


_STATUS: dict[tuple, FileStatus] = {}
_COUNTS: dict[tuple, FileStatus] = {}  # the same without their stale blocks


def _file_status(root: Path, kind: str, source: SourceFile, tr: SourceFile | None, lang: str, rel: str,
                 file_hash: str) -> FileStatus:
    state = "missing" if tr is None else "current" if str(tr.meta.get("translation_of")) == file_hash else "stale"
    p = pair(source, tr, kind)
    fs = FileStatus(lang, rel, state, p.mode, {"current": 0, "stale": 0, "missing": 0},
                    translation=tr.path.relative_to(root).as_posix() if tr else "")
    for i, s in enumerate(p.src):
        st = p.state(i) if p.mode == "blocks" else state
        fs.counts[st] += 1
        if st == "stale" and p.mode == "blocks":
            j = p.pairs[i]
            assert j is not None
            fs.stale.append((s, p.tr[j], p.record[j]))
    return fs


# ---- writing the record ----

RECORD_KEY = re.compile(r"^translation_blocks:")
PER_LINE = 10


def record_lines(record: list[str]) -> list[str]:
    """`translation_blocks` as YAML lines: a folded string, ten hashes a line."""
    rows = [" ".join(record[k:k + PER_LINE]) for k in range(0, len(record), PER_LINE)] or ["-"]
    return ["translation_blocks: >-", *(f"  {r}" for r in rows)]


def set_front(text: str, values: dict[str, list[str]]) -> str:
    """Replace (or add, before the closing `---`) the front-matter keys in `values`, each
    with its lines; every other line of the file stays as it is."""
    lines = text.split("\n")
    close = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None) \
        if text.startswith("---\n") else None
    if close is None:  # no front matter yet: add one
        lines[:0] = ["---", "---"]
        close = 1
    for key, new in values.items():
        at = next((i for i in range(1, close) if re.match(rf"^{key}:", lines[i])), None)
        if at is None:
            lines[close:close] = new
        else:
            end = at + 1
            while end < close and lines[end][:1] in (" ", "\t"):
                end += 1
            lines[at:end] = new
        close = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    return "\n".join(lines)


def mark_translated(path: Path, root: Path, block: int | None = None) -> str:
    """Record in a translation's front matter the hash of its current source, and that each
    of its blocks translates the current source block (with `block`, a line of the
    translation: only the block there). Only those lines are written or replaced; the
    file's BOM and line ends are kept as they were."""
    from .diagnostics import Report
    from .load import read_markdown

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
        if block is not None:
            raise ValueError("--block applies to Markdown translations only")
        key = re.compile(r"(?m)^translation_of:.*$")
        if key.search(text):
            text = key.sub(line, text, count=1)
        else:
            text = (text if not text or text.endswith("\n") else text + "\n") + line + "\n"
        write_source(path, text, bom, newline)
        return digest
    report = Report(root)
    src_sf, tr_sf = read_markdown(source, report), read_markdown(path, report)
    if src_sf is None or tr_sf is None or report.errors:
        raise ValueError(f"{report.errors[0].format()}" if report.errors else f"cannot read {path}")
    p = pair(src_sf, tr_sf, kind_of(source, root))
    if p.mode == "file":
        if block is not None:
            raise ValueError(f"{path.name}'s blocks do not match its source's (headings, paragraphs, "
                             "list items): only the whole file can be marked")
        write_source(path, set_front(text, {"translation_of": [line]}), bom, newline)
        return digest
    back = {j: i for i, j in enumerate(p.pairs) if j is not None}
    record = list(p.record)
    if block is None:
        record = [p.src[back[j]].hash if j in back else "?" for j in range(len(p.tr))]
    else:
        at = [j for j, s in enumerate(p.tr) if s.line <= block]
        j = at[-1] if at else None
        if j is None or j not in back or block > p.tr[j].line + p.tr[j].text.count("\n"):
            raise ValueError(f"{path}:{block} is not in a translated block; give the line "
                             "`status --diff` shows")
        record[j] = p.src[back[j]].hash
    values = {"translation_blocks": record_lines(record)}
    if all(j is not None and record[j] == p.src[i].hash for i, j in enumerate(p.pairs)):
        values = {"translation_of": [line], **values}
    write_source(path, set_front(text, values), bom, newline)
    return digest


def kind_of(source: Path, root: Path) -> str:
    rel = source.resolve().relative_to(root.resolve()).parts
    if rel[0] == "slides":
        return "deck"
    if rel[0] == "instructor_notes":
        return "notes"
    if rel[0] == "modules":
        return "activity" if "activities" in rel else "module"
    return "page"
