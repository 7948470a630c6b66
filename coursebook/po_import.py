"""Import a language's PO (or XLIFF) files back into its `*.LANG.md` translations.

Each entry goes back into its block; the Markdown around it (markers, indentation, code,
maths, `!!! trainer`) comes from the translation file itself when its blocks match the
source's, else from the source. An entry that drops or changes an untranslatable part
(`[[slide:VI-2]]`, code, a link target, an attribute) or the block structure is refused
at its PO file:line, and then nothing is written. An unchanged entry leaves its block's bytes
as they were, so a round trip with no edits changes no file.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import polib
import yaml

from .diagnostics import Report
from .load import Localized, Sources
from .model import source_hash
from .po import po_path, read_catalogue
from .scaffold import read_source
from .segments import META_FIELDS, Segment, block_hash, cut, key_text, meta_segments, norm, placeables
from .status import Pairing, kinds, pair, record_lines, set_front

SINGLE_LINE = {"heading", "cell", "title", "tab"}
CONTEXT = re.compile(r"^(?:meta (?P<key>\S+)|(?P<n>\d+) (?P<shape>\S+))$")


@dataclass
class Change:
    path: Path
    text: str
    bom: str = ""
    newline: str = "\n"


def _match(p: Pairing, cat: polib.POFile) -> tuple[dict[int, polib.POEntry], list[polib.POEntry]]:
    """Entries placed on source blocks: by their text (closest position), else, for a text
    the source no longer has, by their context (same place and shape)."""
    items = [e for e in cat if not e.obsolete and e.msgid]
    body = [i for i, s in enumerate(p.src) if s.kind != "meta"]
    place = {}
    for e in items:
        m = CONTEXT.match(e.msgctxt or "")
        if m and m["key"]:
            place[id(e)] = next((i for i, s in enumerate(p.src)
                                 if s.kind == "meta" and key_text(s.key) == m["key"]), None)
        elif m and 0 < int(m["n"]) <= len(body):
            place[id(e)] = body[int(m["n"]) - 1]
    found: dict[int, polib.POEntry] = {}
    left = []
    for e in items:
        want = place.get(id(e))
        same = [i for i, s in enumerate(p.src) if s.norm == e.msgid and i not in found]
        if want is not None and p.src[want].norm == e.msgid and want not in found:
            found[want] = e
        elif same:
            found[min(same, key=lambda i: abs(i - (want if want is not None else i)))] = e
        else:
            left.append(e)
    unplaced = []
    for e in left:
        want = place.get(id(e))
        m = CONTEXT.match(e.msgctxt or "")
        shape_ok = want is not None and (p.src[want].kind == "meta" or m and m["shape"] == p.src[want].shape)
        if shape_ok and want not in found:
            found[want] = e  # translated from an older version of the block: it stays stale
        elif e.msgstr:
            unplaced.append(e)
    return found, unplaced


def _problems(seg: Segment, e: polib.POEntry) -> list[tuple[str, str]]:
    """(what is wrong, how to fix it) for one translated entry."""
    out = []
    want, got = Counter(placeables(e.msgid)), Counter(placeables(e.msgstr))
    lost, extra = want - got, got - want
    if lost or extra:
        what = "; ".join(x for x in (
            "drops " + ", ".join(f"'{x}'" for x in lost) if lost else "",
            "adds " + ", ".join(f"'{x}'" for x in extra) if extra else "") if x)
        out.append((f"the translation {what}", "keep references, code, link targets, attributes and "
                    "HTML tags exactly as in msgid; translate only the words around them"))
    if seg.kind != "meta" and "\n\n" in e.msgstr.strip():
        out.append(("the translation has a blank line, which would start a new block",
                    "keep one block per entry; join the lines"))
    if seg.kind in SINGLE_LINE and "\n" in e.msgstr.strip():
        out.append((f"a {seg.kind} must be one line", "remove the line break"))
    if seg.kind in ("title", "tab") and '"' in e.msgstr:
        out.append(('a title cannot hold a straight double quote (")', "use “ ” or ' instead"))
    if seg.kind == "cell" and re.search(r"(?<!\\)\|", re.sub(r"`[^`]*`", "", e.msgstr)):
        out.append(("a table cell cannot hold '|'", r"write \| for a literal bar"))
    return out


def _put(meta: dict, source: dict, key: tuple, value: str) -> None:
    name = key[0]
    if len(key) == 1:
        meta[name] = value
        return
    have, src = meta.get(name), source.get(name) or []
    base = list(have) if isinstance(have, list) and len(have) == len(src) else \
        [{"do": x.get("do")} if isinstance(x, dict) else x for x in src]
    if len(key) == 3:
        base[key[1]] = {**(base[key[1]] if isinstance(base[key[1]], dict) else {}), key[2]: value}
    else:
        base[key[1]] = value
    meta[name] = base


def _front(meta: dict, order: list[str]) -> list[str]:
    keys = [k for k in order if k in meta] + [k for k in meta if k not in order]
    dumped = yaml.safe_dump({k: meta[k] for k in keys}, allow_unicode=True, sort_keys=False,
                            width=10**6, default_flow_style=False)
    return ["---", *dumped.rstrip("\n").split("\n"), "---"] if keys else ["---", "---"]


def import_file(root: Path, kind: str, loc: Localized, lang: str, cat: polib.POFile, po: Path,
                report: Report) -> Change | None:
    """The new text of one translation from its catalogue, or None when nothing changes."""
    source, tr = loc.source, loc.translations.get(lang)
    target = source.path.with_name(f"{source.path.stem}.{lang}{source.path.suffix}")
    for sf in (source, tr):
        if sf is not None and sf.broken:
            report.error(po, 0, f"{sf.path.name}'s front matter cannot be read (reported by check)",
                         "fix it first: python build.py check")
            return None
    p = pair(source, tr, kind)
    found, unplaced = _match(p, cat)
    for e in unplaced:
        report.warning(po, e.linenum, f"entry '{e.msgctxt}' matches no block of {source.path.name} any more; "
                       "it was not imported", "translate the new source text (export-po again)")
    bad = False
    for i, e in found.items():
        j = p.pairs[i]
        if not e.msgstr or j is not None and p.record[j] != "-" and norm(e.msgstr.strip()) == p.tr[j].norm:
            continue  # what the translation already says: `check`'s to judge, not a change
        for message, hint in _problems(p.src[i], e):
            report.error(po, e.linenum, f"{message} (msgctxt '{e.msgctxt}')", hint)
            bad = True
    given = {i: e for i, e in found.items() if e.msgstr.strip()}
    for i, e in given.items():  # a tool's line breaks and edge spaces are not the block's
        e.msgstr = e.msgstr.strip() if p.src[i].kind == "meta" else norm(e.msgstr.strip())
    if bad or not given and tr is None:
        return None
    if p.mode == "file":
        if any(e.msgstr != p.src[i].norm for i, e in given.items()):
            report.error(po, next(iter(given.values())).linenum,
                         f"{target.name} was adapted: its blocks differ from {source.path.name}'s, so "
                         "PO entries cannot be placed", "edit the Markdown translation directly, or "
                         "give it the source's headings, paragraphs and list items")
        return None
    tok: list[str] = []
    for i in range(len(p.src)):
        j, e = p.pairs[i], given.get(i)
        old = p.record[j] if j is not None else "-" if e is None else "?"  # "?": fuzzy, stays stale
        tok.append(old if e is None or "fuzzy" in e.flags else block_hash(e.msgid))
    # the body: the translation's own skeleton when it matches, else the source's
    deck = kind == "deck"
    nmt = sum(1 for s in p.tr if s.kind == "meta")
    back = {j: i for i, j in enumerate(p.pairs) if j is not None}
    order: list[int | None]  # the source block of each block of the body written
    if tr is not None and p.one_to_one:
        doc = cut(tr.body, deck)
        order = [back.get(nmt + k) for k in range(len(doc.segments))]
    else:
        doc = cut(source.body, deck)
        order = [i for i, s in enumerate(p.src) if s.kind != "meta"]
    new: dict[int, str] = {}
    for k, i in enumerate(order):
        j = p.pairs[i] if i is not None else None
        if i in given:
            new[k] = given[i].msgstr
        elif j is not None and not p.one_to_one:
            new[k] = p.tr[j].norm
    body = doc.text(new)
    again = cut(body, deck)
    if again.shapes != doc.shapes or [s.norm for s in again.segments] != \
            [new.get(k, s.norm) for k, s in enumerate(doc.segments)]:
        k = next((k for k, (a, b) in enumerate(zip(again.segments, doc.segments, strict=False))
                  if a.norm != new.get(k, b.norm) or a.shape != b.shape),
                 min(len(doc.segments) - 1, len(again.segments)))
        e = given.get(order[k]) if 0 <= k < len(order) and order[k] is not None else None  # type: ignore[arg-type]
        report.error(po, e.linenum if e else 0, "the translation changes the Markdown structure"
                     + (f" (msgctxt '{e.msgctxt}')" if e else ""),
                     "a line starting with '-', '#', '1.', '>' or '|' starts a new block; reword it")
        return None
    # the front matter
    meta = {k: v for k, v in (tr.meta if tr else {}).items() if k not in ("translation_of", "translation_blocks")}
    changed_meta = False
    for i, e in given.items():
        s = p.src[i]
        j = p.pairs[i]
        if s.kind == "meta" and (j is None or p.tr[j].norm != e.msgstr):
            _put(meta, source.meta, s.key, e.msgstr)
            changed_meta = True
    new_segs = meta_segments(meta, {}, META_FIELDS[kind]) + again.segments
    src_of = {key_text(s.key): i for i, s in enumerate(p.src) if s.kind == "meta"}
    record = [tok[src_of[key_text(s.key)]] if s.kind == "meta" and key_text(s.key) in src_of else "?"
              for s in new_segs if s.kind == "meta"] + \
        [tok[i] if (i := order[k]) is not None else p.record[nmt + k] for k in range(len(again.segments))]
    old_text, bom, newline = read_source(target) if tr is not None else ("", "", "\n")
    if tr is not None and not changed_meta:
        head = "\n".join(old_text.split("\n")[: tr.body_line - 1])
        text = head + ("\n" if head else "") + body
    else:
        text = "\n".join(_front(meta, list(source.meta))) + "\n" + body
    values = {}
    if tr is None or record != p.record or changed_meta:
        values["translation_blocks"] = record_lines(record)
        if all(t == s.hash for t, s in zip(tok, p.src, strict=True)):
            values["translation_of"] = [f'translation_of: "{source_hash(source)}"']
        elif tr is not None and tr.meta.get("translation_of") and changed_meta:
            values["translation_of"] = [f'translation_of: "{tr.meta["translation_of"]}"']
    if values:
        text = set_front(text, values)
    if text == old_text:
        return None
    return Change(target, text, bom, newline)


def import_all(sources: Sources, lang: str, folder: Path, report: Report) -> list[Change]:
    """Every translation that the catalogues in `folder/lang/` change (nothing on error)."""
    changes = []
    for kind, loc in kinds(sources):
        rel = loc.source.path.relative_to(sources.root).as_posix()
        po = next((x for x in (po_path(folder, lang, rel), po_path(folder, lang, rel, "xliff")) if x.is_file()), None)
        if po is None:
            continue
        try:
            cat = read_catalogue(po)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            report.error(po, 0, f"cannot read the catalogue: {exc}", "check that it is a PO or XLIFF file")
            continue
        change = import_file(sources.root, kind, loc, lang, cat, po, report)
        if change:
            changes.append(change)
    return changes
