"""A slide's HTML (the one Markdown pipeline's output) read into blocks for PowerPoint:
paragraphs made of styled runs in source order, code, tables, pictures. The PPTX writer lays
the blocks out; reading the HTML here keeps the deck's text equal to the HTML deck's."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urlparse

import lxml.html
from lxml import etree

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCKS = HEADINGS | {"p", "ul", "ol", "li", "pre", "table", "div", "blockquote", "details", "summary",
                     "figure", "figcaption", "dl", "dt", "dd", "hr", "section", "aside", "label", "input"}
FONTS = {"font_family": "Noto Sans", "sans_serif_family": "Noto Sans", "serif_family": "Noto Serif",
         "monospace_family": "DejaVu Sans Mono",  # resvg's defaults (Arial, Times) are not installed
         "dpi": 96}  # CSS pixels per inch: without it an SVG sized in mm or cm has no size
MATH_PX = 34 / 24  # the HTML deck's font size over maths.FONT_PX
MATH_DELIMS = re.compile(r"^\s*(?:\\\(|\\\[|\$\$?)\s*|\s*(?:\\\)|\\\]|\$\$?)\s*$")


@dataclass(frozen=True)
class Style:
    """How a run of text looks: what the HTML said, nothing more."""

    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str = ""
    sup: bool = False
    sub: bool = False
    strike: bool = False
    token: str = ""  # a Pygments class in code blocks (k, s, c1, …)


@dataclass
class Run:
    text: str  # "\n" alone is a line break
    style: Style = Style()


@dataclass
class Para:
    runs: list[Run]
    level: int = 0
    kind: str = "plain"  # plain | bullet | number | cont (a list item's later paragraph) | heading
    number: int = 1  # for kind "number"

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Text:
    paras: list[Para] = field(default_factory=list)


@dataclass
class Code:
    runs: list[Run]


@dataclass
class Table:
    rows: list[list[list[Run]]]
    header: list[bool]  # per row: a header row (bold)


@dataclass
class Picture:
    png: bytes
    width: int
    height: int
    alt: str
    natural: int = 0  # the width it has in the HTML deck, in EMU (1 CSS px = 9525 EMU on a 1280 px slide)

    def __post_init__(self) -> None:
        self.natural = self.natural or self.width * 9525


Block = Text | Code | Table | Picture
Maths = Callable[[str, bool], str]  # LaTeX, display → SVG


def picture(path: Path, alt: str) -> Picture:
    """An image file as a picture PowerPoint can show: PNG and JPEG as they are, SVG
    rasterised (resvg), anything else converted to PNG. Unreadable images name the file."""
    from PIL import Image

    try:
        if path.suffix.lower() in (".svg", ".svgz"):
            return svg_picture(path.read_text(encoding="utf-8"), alt, resources=path.parent)
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as im:
            size = im.size
            if im.format not in ("PNG", "JPEG"):
                out = io.BytesIO()
                im.save(out, "PNG")
                data = out.getvalue()
        return Picture(data, size[0], size[1], alt)
    except Exception as exc:  # noqa: BLE001 — any decoder error: say which file
        raise ValueError(f"cannot put image {path} on a PowerPoint slide: {exc}") from exc


def svg_picture(svg: str, alt: str, resources: Path | None = None, target: int = 1600,
                px: float = 1.0) -> Picture:
    """An SVG rasterised sharp enough for a projector (about `target` pixels wide); `px` is
    how many slide pixels one SVG unit takes (maths drawn for a 24 px font, shown at 34 px)."""
    import resvg_py
    from PIL import Image

    extra: dict = {"resources_dir": str(resources)} if resources else {}
    extra.update(FONTS)
    png = bytes(resvg_py.svg_to_bytes(svg_string=svg, **extra))
    with Image.open(io.BytesIO(png)) as im:
        width = im.size[0]
    if 0 < width < target:
        png = bytes(resvg_py.svg_to_bytes(svg_string=svg, zoom=min(target / width, 8.0), **extra))
    with Image.open(io.BytesIO(png)) as im:
        return Picture(png, im.size[0], im.size[1], alt, int(width * 9525 * px))


def latex(el) -> str:
    """The LaTeX of an arithmatex element, without its delimiters."""
    return MATH_DELIMS.sub("", el.text_content()).strip()


def inline_maths(tex: str, style: Style = Style()) -> list[Run]:
    """Inline maths as a line of text can show it: the formula's characters (MathML from
    latex2mathml, as ziamath reads LaTeX), letters in italic, sub- and superscripts lowered
    and raised, a fraction as a/b, a root as √(x). LaTeX it cannot read stays as typed."""
    from latex2mathml.converter import convert

    try:
        root = etree.fromstring(convert(tex).encode("utf-8"))
    except Exception:  # noqa: BLE001 — check reports bad maths; never lose the text here
        return [Run(tex, replace(style, italic=True))]
    runs: list[Run] = []

    def walk(el, st: Style) -> None:
        tag = etree.QName(el).localname
        kids = list(el)
        if tag in ("msub", "munder", "msup", "mover", "msubsup", "munderover") and len(kids) >= 2:
            walk(kids[0], st)
            low, high = replace(st, sub=True), replace(st, sup=True)
            scripts = {"msub": [low], "munder": [low], "msup": [high], "mover": [high]}.get(tag, [low, high])
            for kid, script in zip(kids[1:], scripts, strict=False):
                walk(kid, script)
        elif tag == "mfrac" and len(kids) == 2:
            walk(kids[0], st)
            runs.append(Run("/", st))
            walk(kids[1], st)
        elif tag in ("msqrt", "mroot") and kids:
            runs.append(Run("√(", st))
            walk(kids[0], st)
            runs.append(Run(")", st))
        elif tag in ("annotation", "annotation-xml"):
            return
        elif tag in ("mi", "mn", "mo", "mtext", "ms"):
            text = "".join(el.itertext())
            if tag == "mo" and not (st.sub or st.sup) and text not in "()[]{}|,.;:!′∑∏∫":
                text = f" {text} "  # w ≥ 0, as KaTeX spaces relations and operators
            runs.append(Run(text, replace(st, italic=tag == "mi" and len(text) == 1)))
        elif tag == "mspace":
            runs.append(Run(" ", st))
        else:
            for kid in kids:
                walk(kid, st)

    walk(root, style)
    return runs or [Run(tex, replace(style, italic=True))]


def _squash(runs: list[Run]) -> list[Run]:
    """Whitespace as a browser shows it: runs of spaces and newlines become one space, none
    at the ends of the paragraph; line breaks kept."""
    out: list[Run] = []
    prev_space = True
    for r in runs:
        if r.text == "\n":
            while out and out[-1].text.endswith(" "):
                out[-1].text = out[-1].text.rstrip(" ")
                if not out[-1].text:
                    out.pop()
            out.append(r)
            prev_space = True
            continue
        text = re.sub(r"\s+", " ", r.text)
        if prev_space:
            text = text.lstrip(" ")
        if text:
            out.append(Run(text, r.style))
            prev_space = text.endswith(" ")
    while out and (out[-1].text == "\n" or out[-1].text.endswith(" ")):
        out[-1].text = "" if out[-1].text == "\n" else out[-1].text.rstrip(" ")
        if not out[-1].text:
            out.pop()
    return out


class Reader:
    """Walks a fragment of slide HTML in document order, emitting blocks."""

    def __init__(self, maths: Maths | None = None):
        self.maths = maths
        self.blocks: list[Block] = []
        self.pictures: list[Picture] = []  # images met inside a paragraph, placed after it

    def read(self, fragment: str) -> list[Block]:
        """The fragment's blocks (a fresh list each call: a reader serves a whole deck)."""
        self.blocks, self.pictures = [], []
        root = lxml.html.fragment_fromstring(fragment or "<p></p>", create_parent="div")
        self.container(root, 0, "plain", 1)
        return self.blocks

    # -- paragraphs --
    def para(self, runs: list[Run], level: int, kind: str, number: int = 1) -> bool:
        runs = _squash(runs)
        if runs:
            if not self.blocks or not isinstance(self.blocks[-1], Text):
                self.blocks.append(Text())
            self.blocks[-1].paras.append(Para(runs, level, kind, number))
        self.blocks += self.pictures
        self.pictures = []
        return bool(runs)

    def inline(self, el, style: Style, runs: list[Run]) -> None:
        """The runs of an inline element's content, children in order with their tails."""
        if el.text:
            runs.append(Run(el.text, style))
        for child in el:
            if isinstance(child.tag, str):
                self.inline_child(child, style, runs)
            if child.tail:
                runs.append(Run(child.tail, style))

    def inline_child(self, el, style: Style, runs: list[Run]) -> None:
        tag, cls = el.tag, el.get("class", "")
        if tag == "br":
            runs.append(Run("\n", style))
        elif tag == "img":
            self.image(el)
        elif "arithmatex" in cls.split():
            runs += inline_maths(latex(el), style)
        elif tag in ("strong", "b"):
            self.inline(el, replace(style, bold=True), runs)
        elif tag in ("em", "i", "cite", "dfn", "var"):
            self.inline(el, replace(style, italic=True), runs)
        elif tag in ("code", "kbd", "samp", "tt"):
            self.inline(el, replace(style, code=True), runs)
        elif tag == "a":
            self.inline(el, replace(style, href=el.get("href", "") or style.href), runs)
        elif tag == "sup":
            self.inline(el, replace(style, sup=True), runs)
        elif tag == "sub":
            self.inline(el, replace(style, sub=True), runs)
        elif tag in ("del", "s", "strike"):
            self.inline(el, replace(style, strike=True), runs)
        elif tag in ("script", "style", "input") or "katex-mathml" in cls:
            return
        else:
            self.inline(el, style, runs)

    # -- blocks --
    def container(self, el, level: int, kind: str, number: int) -> None:
        """Mixed content: inline runs gather into a paragraph until a block child ends it.
        The first paragraph is the list item's (bullet/number), later ones continue it."""
        runs: list[Run] = []
        state = {"kind": kind}
        item = kind in ("bullet", "number")

        def flush() -> None:
            nonlocal runs
            if self.para(runs, level, state["kind"], number):
                state["kind"] = "cont" if state["kind"] in ("bullet", "number", "cont") else "plain"
            runs = []

        if el.text:
            runs.append(Run(el.text))
        for child in el:
            if not isinstance(child.tag, str):
                pass
            elif child.tag in BLOCKS and not (child.tag == "label" and el.tag != "div"):
                flush()
                if child.tag == "p" and state["kind"] in ("bullet", "number"):
                    self.container(child, level, state["kind"], number)
                    state["kind"] = "cont"
                elif child.tag in ("ul", "ol"):
                    self.list(child, level + 1 if item else level)
                else:
                    self.block(child, level, "cont" if state["kind"] == "cont" else "plain")
            else:
                self.inline_child(child, Style(), runs)
            if child.tail:
                runs.append(Run(child.tail))
        flush()

    def block(self, el, level: int, kind: str) -> None:
        tag, cls = el.tag, el.get("class", "").split()
        if tag in HEADINGS:
            runs: list[Run] = []
            self.inline(el, Style(bold=True), runs)
            self.para(runs, level, "heading")
        elif tag in ("ul", "ol"):
            self.list(el, level)
        elif tag == "pre" or (tag == "div" and "highlight" in cls):
            pre = el if tag == "pre" else el.find(".//pre")
            if pre is not None:
                self.code(pre)
        elif "arithmatex" in cls:
            self.display_maths(el, level)
        elif tag == "table":
            self.table(el)
        elif tag in ("summary", "label", "dt") or "admonition-title" in cls:
            runs = []
            self.inline(el, Style(bold=True), runs)
            self.para(runs, level, "plain")
        elif tag in ("hr", "input", "aside"):
            return
        else:
            self.container(el, level, kind, 1)

    def list(self, el, level: int) -> None:
        number = int(el.get("start", "1") or 1) if el.tag == "ol" else 1
        for li in el:
            if li.tag != "li":
                continue
            self.container(li, level, "number" if el.tag == "ol" else "bullet", number)
            number += 1

    def code(self, pre) -> None:
        runs: list[Run] = []

        def walk(node, token: str) -> None:
            if node.text:
                runs.append(Run(node.text, Style(code=True, token=token)))
            for child in node:
                if isinstance(child.tag, str):
                    walk(child, child.get("class", "").split()[0] if child.get("class") else token)
                if child.tail:
                    runs.append(Run(child.tail, Style(code=True, token=token)))

        walk(pre, "")
        text_runs: list[Run] = []
        for r in runs:  # line breaks as runs of their own
            for i, part in enumerate(r.text.split("\n")):
                if i:
                    text_runs.append(Run("\n", r.style))
                if part:
                    text_runs.append(Run(part, r.style))
        while text_runs and text_runs[-1].text == "\n":
            text_runs.pop()
        if text_runs:
            self.blocks.append(Code(text_runs))

    def display_maths(self, el, level: int) -> None:
        source = latex(el)
        if self.maths and source:
            try:
                self.blocks.append(svg_picture(self.maths(source, True), source, target=900, px=MATH_PX))
                return
            except Exception:  # noqa: BLE001 — maths the converter cannot draw stays as text
                pass
        self.para([Run(source, Style(italic=True))], level, "plain")

    def table(self, el) -> None:
        rows, header = [], []
        for tr in el.iter("tr"):
            cells = []
            for cell in tr:
                if cell.tag in ("th", "td"):
                    runs: list[Run] = []
                    self.inline(cell, Style(bold=cell.tag == "th"), runs)
                    cells.append(_squash(runs))
            if cells:
                rows.append(cells)
                header.append(all(c.tag == "th" for c in tr if c.tag in ("th", "td")))
        if rows:
            self.blocks.append(Table(rows, header))

    def image(self, el) -> None:
        src = el.get("src", "")
        if src.startswith("file:"):
            self.pictures.append(picture(Path(unquote(urlparse(src).path)), el.get("alt", "")))
