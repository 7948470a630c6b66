"""Export a language's translations as gettext PO files (one per source file), for CAT tools
(OmegaT, memoQ, Trados) and platforms (Weblate, Crowdin); or as XLIFF 1.2 (`xliff.py`).

Every translatable block is one entry: `msgctxt` says where it is (`12 p`, `meta title`) so
identical strings in different places can be translated differently, `#:` gives the file and
line, `#.` the slide or speaker note. A block whose source changed since it was translated is
`fuzzy` with the source it was translated from as `#| msgid`, so the tool shows the change.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import yaml

from .load import Localized, Sources
from .model import source_hash
from .segments import META_FIELDS, Segment, block_hash, cut, key_text, meta_segments
from .status import Pairing, kinds, pair
from .xliff import from_xliff, to_xliff

KIND_NOTE = {"heading": "heading", "paragraph": "paragraph", "item": "list item", "cell": "table cell",
             "title": "title of a box (admonition)", "tab": "title of a content tab", "meta": "front matter"}


def po_path(folder: Path, lang: str, rel: str, fmt: str = "po") -> Path:
    """`translations/es/modules/06-ncpc-roles/module.md.po`."""
    return folder / lang / f"{rel}.{'xlf' if fmt == 'xliff' else 'po'}"


def context(seg: Segment, index: int) -> str:
    """An entry's msgctxt: `meta objectives[2]`, or the block's number and shape (`12 p`)."""
    return f"meta {key_text(seg.key)}" if seg.kind == "meta" else f"{index} {seg.shape}"


def _split_front(text: str) -> tuple[dict, str]:
    if text.startswith("---\n"):
        lines = text.split("\n")
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                try:
                    meta = yaml.safe_load("\n".join(lines[1:i])) or {}
                except yaml.YAMLError:
                    meta = {}
                return (meta if isinstance(meta, dict) else {}), "\n".join(lines[i + 1:])
    return {}, text


def history(root: Path, rel: str, kind: str, limit: int = 50) -> dict[str, str]:
    """Block hash → text, over the source file's versions in git (the last `limit`
    commits that changed it): where the text a translation was made from is found."""
    out: dict[str, str] = {}
    try:
        shas = subprocess.run(["git", "-C", str(root), "log", f"-n{limit}", "--format=%H", "--", rel],
                              capture_output=True, text=True, timeout=30, check=True).stdout.split()
        for sha in shas:
            blob = subprocess.run(["git", "-C", str(root), "show", f"{sha}:{rel}"], capture_output=True,
                                  timeout=30, check=True).stdout.decode("utf-8", "replace")
            meta, body = _split_front(blob.replace("\r\n", "\n").removeprefix("\ufeff"))
            for s in [*meta_segments(meta, {}, META_FIELDS[kind]), *cut(body, kind == "deck").segments]:
                out.setdefault(s.hash, s.norm)
    except (OSError, subprocess.SubprocessError):
        pass  # not a git repository, or no git: the old text is not shown
    return out


def known(path: Path) -> dict[str, str]:
    """Block hash → text from a PO file exported earlier (its msgids and previous msgids)."""
    out: dict[str, str] = {}
    if path.is_file() and path.suffix == ".po":
        try:
            for e in polib.pofile(str(path)):
                for text in (e.msgid, e.previous_msgid):
                    if text:
                        out.setdefault(block_hash(text), text)
        except (OSError, ValueError):
            pass
    return out


def entries(p: Pairing, rel: str, old: dict[str, str]) -> list[polib.POEntry]:
    """One entry per source block; its translation, and `fuzzy` with the text it was made
    from when the source changed since."""
    out, n = [], 0
    for i, s in enumerate(p.src):
        if s.kind != "meta":
            n += 1
        where = ", ".join(x for x in (KIND_NOTE[s.kind], s.where) if x)
        e = polib.POEntry(msgctxt=context(s, n), msgid=s.norm, msgstr="", occurrences=[(rel, str(s.line))],
                          comment=where)
        j = p.pairs[i]
        if p.mode == "blocks" and j is not None and p.record[j] != "-":
            e.msgstr = p.tr[j].norm
            if p.record[j] != s.hash:
                e.flags.append("fuzzy")
                previous = old.get(p.record[j])
                if previous is not None and previous != s.norm:
                    e.previous_msgid = previous
        out.append(e)
    return out


def _header(po: polib.POFile, sources: Sources, lang: str, loc: Localized, p: Pairing) -> None:
    title = str(sources.course.meta.get("title", "")) if sources.course else ""
    po.metadata = {"Project-Id-Version": title, "Language": lang, "MIME-Version": "1.0",
                   "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit",
                   "X-Source-Hash": source_hash(loc.source)}
    po.header = ("Translation of " + loc.source.path.relative_to(sources.root).as_posix() + " into " + lang
                 + " (python build.py export-po). Import with: python build.py import-po " + lang)
    if p.mode == "file":
        po.header += ("\nThe translation's blocks differ from the source's (it was adapted): "
                      "translate this file in its Markdown file, not here.")


def export(sources: Sources, lang: str, folder: Path, fmt: str = "po") -> list[Path]:
    """Write one PO (or XLIFF) file per source file into `folder/lang/`; return them."""
    written = []
    for kind, loc in kinds(sources):
        rel = loc.source.path.relative_to(sources.root).as_posix()
        p = pair(loc.source, loc.translations.get(lang), kind)
        target = po_path(folder, lang, rel, fmt)
        stale = p.mode == "blocks" and any(p.state(i) == "stale" for i in range(len(p.src)))
        old = {**history(sources.root, rel, kind), **known(po_path(folder, lang, rel))} if stale else {}
        po = polib.POFile(wrapwidth=78)
        _header(po, sources, lang, loc, p)
        po.extend(entries(p, rel, old))
        if fmt == "xliff":
            data = to_xliff(po, rel, str(sources.course.meta.get("language", "en")) if sources.course else "en", lang)
        else:
            data = (po.__unicode__() + "\n").encode("utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
        written.append(target)
    return written


def read_catalogue(path: Path) -> polib.POFile:
    """A PO file, or an XLIFF file converted to PO; ValueError when it cannot be read."""
    if path.suffix == ".xlf":
        return from_xliff(path)
    return polib.pofile(str(path))
