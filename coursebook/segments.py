"""Translatable blocks of a course file, and the skeleton that rebuilds the file exactly.

A Markdown body is cut into *segments* (heading, paragraph, list item, table cell,
admonition or tab title; in a deck, slide text and speaker notes alike) and *skeleton* (list
markers, indentation, `!!! trainer`, fenced code, maths, HTML lines, `---`, `Note:` …).
`Doc.text()` joins them back byte for byte, so a translator's tool can change segment texts
and nothing else. Front matter gives one segment per translatable string (`meta_segments`).

Each segment has a *shape* (`h2`, `p`, `ul`, `adm:trainer` …), and every skeleton line that
shapes the document adds one too (`---`, `Note:`, a fence): two files with the same shapes
have blocks that correspond one to one, which is how a translation is paired with its source.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

LEAD = re.compile(r"^((?:[ \t]*>[ \t]?)*[ \t]*)(.*)$")
FENCE = re.compile(r"^(`{3,}|~{3,})")
HEADING = re.compile(r"^(#{1,6}[ \t]+)(.*?)((?:[ \t]+#+)?(?:[ \t]*\{[^}]*\})?[ \t]*)$")
ADMONITION = re.compile(r'^((?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*[ \t]*)(?:"(.*)")?([ \t]*)$')
TAB = re.compile(r'^(===\+?!?[ \t]+)"(.*)"([ \t]*)$')
LIST = re.compile(r"^([-*+]|\d{1,9}[.)])([ \t]+)(\S.*)$")
DEFINITION = re.compile(r"^(:)([ \t]+)(\S.*)$")  # a definition list's definition
FOOTNOTE = re.compile(r"^(\[\^[^\]\n]+\]:)([ \t]+)(\S.*)$")  # [^label]: the note
HTML_LINE = re.compile(r"^(?:<[/!]?[A-Za-z][^<>]*>[ \t]*)+$")
REFDEF = re.compile(r"^\[[^\]^\n]+\]:[ \t]*\S+")
RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,}|={3,}|Note:|\|\|\|)$")
TABLE_SEP = re.compile(r"^\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?$")
# Parts of a text that are not translated: references, code, maths, link targets, attributes,
# raw HTML tags, autolinks. A translation must keep every one of them (`placeables`).
PLACEABLE = re.compile(
    r"\[\[[^\]\n]*\]\]"                      # [[slide:VI-2]]
    r"|(`+)(?:.+?)(?<!`)\1(?!`)"             # `code`
    r"|(?<![\\$])\$\$?(?!\s)(?:\\.|[^$\\])+?(?<!\s)\$\$?(?!\d)"  # $maths$
    r"|\]\([^)\s]+(?=[\s)])"                 # ](target — the title after it is text
    r"|\]\[[^\]\n]*\]"                       # ][ref]
    r"|\{[:#.][^}\n]*\}"                     # {: .decorative } attributes
    r"|<[/!]?[A-Za-z][^<>\n]*>"              # <abbr>, <br>, <https://…>
    r"|\[\^[^\]\n]+\]",                      # [^1] footnote
    re.S)
LETTERS = re.compile(r"[^\W\d_]", re.U)


def norm(text: str) -> str:
    """A block's text as a translator sees it: its lines joined with spaces (the source's
    line wrapping is not part of the text); hard line breaks (two spaces or a backslash at the
    end of a line) are kept as a newline."""
    lines = [x.strip() for x in text.split("\n")]
    raw = text.split("\n")
    out = ""
    for i, line in enumerate(lines):
        if i:
            hard = raw[i - 1].endswith("  ") or raw[i - 1].endswith("\\")
            out += ("  \n" if raw[i - 1].endswith("  ") else "\n") if hard else " "
        out += line
    return out


def block_hash(text: str) -> str:
    """The version of a source block a translation records (8 hex digits of its text)."""
    return hashlib.sha256(norm(text).encode("utf-8")).hexdigest()[:8]


def placeables(text: str) -> list[str]:
    """The untranslatable parts of a text, in order."""
    return [m[0].replace("\n", " ") for m in PLACEABLE.finditer(text)]


def translatable(text: str) -> bool:
    """Whether anything but placeables and punctuation is left to translate."""
    return bool(LETTERS.search(PLACEABLE.sub("", text)))


def opens_block(rest: str) -> bool:
    """Whether a line (its indentation removed) starts a block of its own, so cannot go on
    a paragraph."""
    s = rest.strip()
    return bool(not s or FENCE.match(rest) or HEADING.match(rest) or ADMONITION.match(rest)
                or TAB.match(rest) or LIST.match(rest) or HTML_LINE.match(rest)
                or DEFINITION.match(rest) or FOOTNOTE.match(rest)
                or s.startswith("$$") or s.startswith("<!--") or RULE.match(s)
                or TABLE_SEP.match(s) and "-" in s and ("|" in s or s.startswith("-")))


def wrap(text: str, width: int) -> list[str]:
    """A new text's lines, about `width` long like the lines it replaces, broken at spaces
    outside references, code and maths, never before a word that would open a new block."""
    out: list[str] = []
    for hard in text.split("\n"):
        keep = [(m.start(), m.end()) for m in PLACEABLE.finditer(hard)]
        words, start = [], 0
        for k, c in enumerate(hard):
            if c == " " and not any(a < k < b for a, b in keep):
                words.append(hard[start:k])
                start = k + 1
        words.append(hard[start:])
        line = ""
        for w in words:
            if line and len(line) + 1 + len(w) > width and w and not w.startswith(">") and not opens_block(w + " x"):
                out.append(line)
                line = w
            else:
                line = f"{line} {w}" if line else w
        out.append(line)
    return out


@dataclass
class Segment:
    kind: str  # heading, paragraph, item, cell, title, tab, meta
    shape: str  # what must match in a translation: h2, p, ul, ol, cell, adm:trainer, meta:title …
    text: str  # the raw text, continuation prefixes removed
    line: int  # 1-based line in the text it was cut from (the body, or the file for meta)
    prefixes: list[str] = field(default_factory=list)  # of each continuation line
    where: str = ""  # a hint for translators: "slide 3, speaker notes"
    key: tuple = ()  # meta only: the key path, e.g. ("objectives", 2)

    @property
    def norm(self) -> str:
        return norm(self.text)

    @property
    def hash(self) -> str:
        return block_hash(self.text)

    def render(self, new: str | None = None) -> str:
        """The segment as written in the file; with `new` (a normalized text) in its place.
        An unchanged text keeps its line wrapping."""
        lines = self.text.split("\n")
        if new is not None and new != self.norm:
            lines = wrap(new, max(map(len, lines))) if len(lines) > 1 else new.split("\n")
        out = lines[0]
        for i, line in enumerate(lines[1:]):
            pre = self.prefixes[i] if i < len(self.prefixes) else (self.prefixes[-1] if self.prefixes else "")
            out += "\n" + pre + line
        return out


@dataclass
class Doc:
    """A body as alternating skeleton strings and segments."""

    parts: list[str | Segment]
    shapes: list[str]
    slots: list[int | None] = field(default_factory=list)  # per shape: its segment's index, if any

    @property
    def segments(self) -> list[Segment]:
        return [p for p in self.parts if isinstance(p, Segment)]

    def text(self, new: dict[int, str] | None = None) -> str:
        """The body again; `new` maps a segment's index to its replacement text."""
        new = new or {}
        out, n = [], 0
        for p in self.parts:
            if isinstance(p, Segment):
                out.append(p.render(new.get(n)))
                n += 1
            else:
                out.append(p)
        return "".join(out)


class _Cutter:
    def __init__(self, body: str, deck: bool) -> None:
        self.lines = body.split("\n")
        self.deck = deck
        self.parts: list[str | Segment] = []
        self.shapes: list[str] = []
        self.slots: list[int | None] = []  # the segment each shape is, if it is one
        self.count = 0  # segments so far
        self.slide, self.notes = 2, False

    def skel(self, text: str) -> None:
        if self.parts and isinstance(self.parts[-1], str):
            self.parts[-1] += text
        else:
            self.parts.append(text)

    def nl(self, i: int) -> str:
        return "\n" if i < len(self.lines) - 1 else ""

    def where(self) -> str:
        if not self.deck:
            return ""
        return f"slide {self.slide}" + (", speaker notes" if self.notes else "")

    def shape(self, shape: str, slot: int | None = None) -> None:
        self.shapes.append(shape)
        self.slots.append(slot)

    def seg(self, kind: str, shape: str, text: str, line: int, prefixes: list[str] | None = None) -> None:
        stripped = text.rstrip()
        if not stripped.strip() or not translatable(stripped):
            self.skel(text)
            self.shape("fixed")
            return
        self.parts.append(Segment(kind, shape, stripped, line + 1, prefixes or [], self.where()))
        self.shape(shape, self.count)
        self.count += 1
        if len(stripped) < len(text):
            self.skel(text[len(stripped):])

    def run(self) -> Doc:
        lines, i, n = self.lines, 0, len(self.lines)
        while i < n:
            pre, rest = LEAD.match(lines[i]).groups()  # type: ignore[union-attr]
            s = rest.strip()
            fence = FENCE.match(rest)
            if fence:
                self.shape("fence")
                j = i + 1
                while j < n and not LEAD.match(lines[j])[2].startswith(fence[1]):  # type: ignore[index]
                    j += 1
                i = self._skel_lines(i, min(j, n - 1))
            elif s.startswith("$$"):
                self.shape("$$")
                j = i
                if not (len(s) > 2 and s.endswith("$$")):
                    j = i + 1
                    while j < n and not lines[j].rstrip().endswith("$$"):
                        j += 1
                i = self._skel_lines(i, min(j, n - 1))
            elif s.startswith("<!--"):
                j = i
                while j < n - 1 and "-->" not in lines[j]:
                    j += 1
                self.shape("comment")
                i = self._skel_lines(i, j)
            elif not s or HTML_LINE.match(s) or REFDEF.match(s):
                i = self._skel_lines(i, i)
            elif RULE.match(s):
                self.shape(s)
                if self.deck and s == "---":
                    self.slide, self.notes = self.slide + 1, False
                elif self.deck and s == "Note:":
                    self.notes = True
                i = self._skel_lines(i, i)
            elif (m := ADMONITION.match(rest)) or (m := TAB.match(rest)):
                tab = rest.startswith("===")
                kind = m[1].split()[1] if not tab and len(m[1].split()) > 1 else ""
                self.skel(pre + m[1])
                if m[2] is not None:
                    self.skel('"')
                    self.seg("tab" if tab else "title", "tab" if tab else f"adm:{kind}", m[2], i)
                    self.skel('"')
                else:
                    self.shape(f"adm:{kind}")
                self.skel(m[3] + self.nl(i))
                i += 1
            elif m := HEADING.match(rest):
                self.skel(pre + m[1])
                self.seg("heading", f"h{m[1].count('#')}", m[2], i)
                self.skel(m[3] + self.nl(i))
                i += 1
            elif "|" in s and i + 1 < n and TABLE_SEP.match(LEAD.match(lines[i + 1])[2].strip()):  # type: ignore[index]
                i = self._table(i)
            elif m := LIST.match(rest):
                self.skel(pre + m[1] + m[2])
                i = self._paragraph(i, m[3], "item", "ol" if m[1][0].isdigit() else "ul")
            elif (m := DEFINITION.match(rest)) or (m := FOOTNOTE.match(rest)):
                self.skel(pre + m[1] + m[2])  # the marker, and a footnote's label, are not text
                i = self._paragraph(i, m[3], "paragraph", "dd" if m[1] == ":" else "fn")
            else:
                self.skel(pre)
                i = self._paragraph(i, rest, "paragraph", "p")
        return Doc(self.parts, self.shapes, self.slots)

    def _skel_lines(self, i: int, j: int) -> int:
        for k in range(i, j + 1):
            self.skel(self.lines[k] + self.nl(k))
        return j + 1

    def _paragraph(self, i: int, first: str, kind: str, shape: str) -> int:
        text, prefixes, j = [first], [], i + 1
        while j < len(self.lines):
            pre, rest = LEAD.match(self.lines[j]).groups()  # type: ignore[union-attr]
            if opens_block(rest) or "|" in rest and j + 1 < len(self.lines) and \
                    TABLE_SEP.match(LEAD.match(self.lines[j + 1])[2].strip()):  # type: ignore[index]
                break
            text.append(rest)
            prefixes.append(pre)
            j += 1
        self.seg(kind, shape, "\n".join(text), i, prefixes)
        self.skel(self.nl(j - 1))
        return j

    def _table(self, i: int) -> int:
        j = i
        while j < len(self.lines) and "|" in self.lines[j] and self.lines[j].strip():
            line = self.lines[j]
            if j == i + 1:  # the separator row
                self.skel(line + self.nl(j))
                j += 1
                continue
            for piece in _cells(line):
                if piece.startswith("|") or not piece.strip():
                    self.skel(piece)
                else:
                    lead = piece[: len(piece) - len(piece.lstrip())]
                    self.skel(lead)
                    self.seg("cell", "cell", piece.strip(), j)
                    self.skel(piece[len(piece.rstrip()):])
            self.skel(self.nl(j))
            j += 1
        self.shape("table")
        return j


def _cells(line: str) -> list[str]:
    """A table row cut at its `|` (not escaped, not in code): pieces that are a `|` or a cell."""
    out, cur, code, k = [], "", False, 0
    while k < len(line):
        c = line[k]
        if c == "\\" and k + 1 < len(line):
            cur += line[k:k + 2]
            k += 2
            continue
        if c == "`":
            code = not code
        if c == "|" and not code:
            out += [cur, "|"]
            cur = ""
        else:
            cur += c
        k += 1
    out.append(cur)
    return [x for x in out if x != ""]


def cut(body: str, deck: bool = False) -> Doc:
    """The body of a Markdown file (or a deck) as skeleton and translatable segments."""
    return _Cutter(body, deck).run()


# Translatable front-matter keys per kind of file (schema.TRANSLATABLE, less the records).
META_FIELDS = {
    "page": ("title", "summary", "region"),
    "module": ("title", "objectives", "key_points", "readings"),
    "activity": ("title", "grouping", "materials", "output"),
    "notes": ("materials", "room_setup", "copies", "steps"),
    "deck": ("title",),
}


def meta_segments(meta: dict[str, Any], lines: dict[tuple, int], fields: tuple[str, ...]) -> list[Segment]:
    """One segment per translatable string of a front matter, in the order of `fields`."""
    out = []

    def add(key: tuple, value: Any) -> None:
        if isinstance(value, str) and value.strip() and translatable(value):
            line = next((lines[key[:e]] for e in range(len(key), 0, -1) if key[:e] in lines), 1)
            out.append(Segment("meta", "meta:" + ".".join(str(k) for k in key if isinstance(k, str)),
                               value, line, key=key))

    for name in fields:
        value = meta.get(name)
        if name == "steps" and isinstance(value, list):
            for i, step in enumerate(value):
                if isinstance(step, dict):
                    add(("steps", i, "do"), step.get("do"))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                add((name, i), item)
        else:
            add((name,), value)
    return out


def key_text(key: tuple) -> str:
    """`("objectives", 2)` → `objectives[2]`, `("steps", 1, "do")` → `steps[1].do`."""
    out = ""
    for k in key:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else k)
    return out
