"""Drawing a slide's blocks into PowerPoint shapes: blocks stacked in the content area with
heights estimated from their text (fonts shrunk together when they would not fit), runs with
their bold/italic/code/links, bullets and numbers per level, right-to-left paragraphs."""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from ..files import SCHEME
from ..highlight import BACKGROUND, style
from .slides_pptx_text import Block, Code, Para, Picture, Run, Table, Text

GAP = int(Inches(0.15))
MIN_SCALE = 0.3  # the build has warned (the slide PDF measures it): fit rather than spill
WIDE = re.compile(r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60]")


def _tokens() -> dict[str, tuple[str | None, bool, bool]]:
    """Code colours by Pygments class (k, s2, c1, …): those of the print and HTML decks'
    style (`highlight.style()`), so the PowerPoint deck colours code as they do."""
    from pygments.token import STANDARD_TYPES

    course = style()
    looks = {name: course.style_for_token(token) for token, name in STANDARD_TYPES.items() if name}
    return {name: (d["color"] or None, bool(d["bold"]), bool(d["italic"]))
            for name, d in looks.items() if d["color"] or d["bold"] or d["italic"]}


TOKENS = _tokens()


@dataclass
class Look:
    """The deck's look as PowerPoint needs it (from theme/slides/slides.css)."""

    ink: str = "1D2521"
    green: str = "1B6B4A"
    dark: str = "0F4A33"
    accent: str = "B3541E"
    muted: str = "4A5A52"
    header: str = "E8F1EC"
    border: str = "B9CFC4"
    code_bg: str = BACKGROUND.lstrip("#").upper()  # as the print and HTML decks shade code
    body_font: str = "Noto Sans"
    heading_font: str = "Noto Serif"
    mono_font: str = "DejaVu Sans Mono"
    size: float = 24.0  # body text, in points
    lang: str = "en"
    rtl: bool = False
    styled: bool = True  # False with a centre's template: its own fonts and colours rule
    links: list = field(default_factory=list)  # (run, target slide id) for jumps inside the deck


def rgb(hex_: str) -> RGBColor:
    return RGBColor.from_string(hex_.lstrip("#").upper())


# ---- measuring ----

def _chars(text: str) -> float:
    return len(text) + len(WIDE.findall(text))  # CJK glyphs are about twice as wide


def para_size(p: Para, look: Look, scale: float) -> float:
    size = look.size * (0.85 ** min(p.level, 2))
    return size * (1.1 if p.kind == "heading" else 1.0) * scale


def text_height(paras: list[Para], width: int, look: Look, scale: float) -> int:
    total = 0.0
    for p in paras:
        size = para_size(p, look, scale)
        indent = Inches(0.4) * (p.level + (1 if p.kind != "plain" else 0))
        per_line = max(8.0, (width - indent - Inches(0.2)) / Pt(size * 0.52))
        lines = sum(max(1, math.ceil(_chars(seg) / per_line)) for seg in p.text.split("\n"))
        total += Pt(size) * (1.22 * lines + 0.3)
    return int(total + Inches(0.1))


def code_size(code: Code, width: int, look: Look, scale: float) -> float:
    lines = "".join(r.text for r in code.runs).split("\n")
    longest = max((_chars(x) for x in lines), default=1) or 1
    fit = (width - Inches(0.3)) / Pt(1) / (0.6 * longest)
    return max(9.0, min(look.size * 0.7 * scale, fit))


def code_height(code: Code, width: int, look: Look, scale: float) -> int:
    lines = "".join(r.text for r in code.runs).count("\n") + 1
    return int(Pt(code_size(code, width, look, scale)) * 1.2 * lines + Inches(0.25))


def table_size(look: Look, scale: float) -> float:
    return look.size * 0.66 * scale


def table_height(table: Table, width: int, look: Look, scale: float) -> int:
    size = table_size(look, scale)
    cols = max(len(r) for r in table.rows)
    per_line = max(4.0, (width / cols - Inches(0.2)) / Pt(size * 0.52))
    total = 0
    for row in table.rows:
        lines = max(max(1, math.ceil(_chars("".join(r.text for r in cell)) / per_line)) for cell in row)
        total += Pt(size) * 1.25 * lines + Inches(0.12)
    return int(total)


def fixed_height(block: Block, width: int, look: Look, scale: float) -> int:
    if isinstance(block, Text):
        return text_height(block.paras, width, look, scale)
    if isinstance(block, Code):
        return code_height(block, width, look, scale)
    if isinstance(block, Table):
        return table_height(block, width, look, scale)
    return 0


def plan(blocks: list[Block], box: tuple[int, int, int, int], look: Look,
         large: bool = False) -> tuple[float, list[int]]:
    """The font scale and each block's height so that everything fits the box: text at full
    size when it can, pictures sharing what is left (at least a third of the box)."""
    x, y, w, h = box
    pictures = [b for b in blocks if isinstance(b, Picture)]
    gaps = GAP * max(0, len(blocks) - 1)
    scale = 1.0
    while True:
        heights = [fixed_height(b, w, look, scale) for b in blocks]
        room = h - gaps - sum(heights)
        want = min(h // 3, Inches(1.5)) if pictures else 0
        if room >= want or scale <= MIN_SCALE:
            break
        scale = max(MIN_SCALE, scale - 0.05)
    room = max(room, int(Inches(0.8)) * len(pictures))
    if pictures:
        natural = [(w if large else min(w, p.natural)) * p.height / p.width for p in pictures]  # image
        # layout: "one large image", as wide or as high as the slide allows
        share = min(1.0, room / max(1, sum(natural)))
        for i, b in enumerate(blocks):
            if isinstance(b, Picture):
                heights[i] = int(natural[pictures.index(b)] * share)
    return scale, heights


# ---- writing ----

def _bullet(pPr, p: Para, look: Look, size: float) -> None:
    """marL/indent and the bullet element, children in the schema's order."""
    for tag in ("a:buClr", "a:buSzPct", "a:buFont", "a:buNone", "a:buAutoNum", "a:buChar"):
        for old in pPr.findall(qn(tag)):
            pPr.remove(old)
    step = int(Inches(0.42) * size / look.size) if look.size else int(Inches(0.42))
    listed = p.kind in ("bullet", "number", "cont")
    pPr.set("marL", str(step * (p.level + (1 if listed else 0))))
    pPr.set("indent", str(-step if p.kind in ("bullet", "number") else 0))
    anchor = pPr.find(qn("a:tabLst"))
    if anchor is None:
        anchor = pPr.find(qn("a:defRPr"))
    elements = []
    if p.kind in ("bullet", "number"):
        clr = etree.SubElement(pPr, qn("a:buClr"))
        etree.SubElement(clr, qn("a:srgbClr"), val=look.green)
        elements.append(clr)
        if p.kind == "bullet":
            font = etree.SubElement(pPr, qn("a:buFont"), typeface="Arial")
            elements += [font, etree.SubElement(pPr, qn("a:buChar"), char="•–◦▪"[min(p.level, 3)])]
        else:
            elements.append(etree.SubElement(pPr, qn("a:buAutoNum"), type="arabicPeriod",
                                             startAt=str(p.number)))
    else:
        elements.append(etree.SubElement(pPr, qn("a:buNone")))
    for el in elements:
        if anchor is not None:
            anchor.addprevious(el)


def direction(paragraph, look: Look, rtl: bool | None = None) -> None:
    """Right-to-left paragraphs (Arabic): direction and alignment on the paragraph."""
    rtl = look.rtl if rtl is None else rtl
    pPr = paragraph._p.get_or_add_pPr()
    pPr.set("rtl", "1" if rtl else "0")
    paragraph.alignment = PP_ALIGN.RIGHT if rtl else PP_ALIGN.LEFT


def add_runs(paragraph, runs: list[Run], look: Look, size: float, colour: str | None = None) -> None:
    for r in runs:
        if r.text == "\n":
            paragraph.add_line_break()
            continue
        run = paragraph.add_run()
        run.text = r.text
        st, font = r.style, run.font
        font.size = Pt(round(size * (0.92 if st.code and not st.token else 1.0), 1))
        font.bold = True if st.bold else None
        font.italic = True if st.italic else None
        rPr = run._r.get_or_add_rPr()
        rPr.set("lang", look.lang)
        if st.code:
            font.name = look.mono_font
        if st.strike:
            rPr.set("strike", "sngStrike")
        if st.sup or st.sub:
            rPr.set("baseline", "30000" if st.sup else "-25000")
        tok = TOKENS.get(st.token)
        if tok:
            if tok[0]:
                font.color.rgb = rgb(tok[0])
            font.bold = True if tok[1] else font.bold
            font.italic = True if tok[2] else font.italic
        elif st.href and look.styled:
            font.color.rgb = rgb(look.green)
            font.underline = True
        elif colour:
            font.color.rgb = rgb(colour)
        elif st.bold and look.styled:
            font.color.rgb = rgb(look.dark)
        _link(run, st.href, look)


def _link(run, href: str, look: Look) -> None:
    if not href:
        return
    if SCHEME.match(href) and not href.startswith("file:"):
        run.hyperlink.address = href
        return
    page, _, frag = href.partition("#")
    target = frag[1:] if frag.startswith("/") else ""
    if not page and target:
        look.links.append((run, target))
    elif page.endswith(".html") and "/" not in page:
        run.hyperlink.address = page[: -len(".html")] + ".pptx"  # the same deck as PowerPoint, beside it


def fill(frame, paras: list[Para], look: Look, scale: float, colour: str | None = None) -> None:
    """The paragraphs into a text frame, replacing what it held."""
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    first = True
    for p in paras:
        para = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        size = para_size(p, look, scale)
        para.level = min(p.level, 8)
        para.space_before = Pt(size * 0.3)
        add_runs(para, p.runs, look, size, colour)
        _bullet(para._p.get_or_add_pPr(), p, look, size)
        direction(para, look)


def code_box(slide, code: Code, rect: tuple[int, int, int, int], look: Look, scale: float):
    """A code block: monospace, shaded, its line breaks kept; always left to right."""
    x, y, w, h = rect
    shape = slide.shapes.add_textbox(Emu(x), Emu(y), Emu(w), Emu(h))
    shape.name = "Code"
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb(look.code_bg)
    shape.line.color.rgb = rgb(look.border)
    frame = shape.text_frame
    frame.word_wrap, frame.auto_size = False, MSO_AUTO_SIZE.NONE
    para = frame.paragraphs[0]
    size = code_size(code, w, look, scale)
    add_runs(para, code.runs, look, size)
    for r in para.runs:
        r.font.name = look.mono_font
    direction(para, look, rtl=False)
    return shape


def table_shape(slide, table: Table, rect: tuple[int, int, int, int], look: Look, scale: float):
    x, y, w, h = rect
    cols = max(len(r) for r in table.rows)
    shape = slide.shapes.add_table(len(table.rows), cols, Emu(x), Emu(y), Emu(w), Emu(h))
    shape.name = "Table"
    tbl = shape.table
    tbl.first_row = bool(table.header and table.header[0])
    tbl.horz_banding = False
    if look.rtl:
        tbl._tbl.tblPr.set("rtl", "1")
    size = table_size(look, scale)
    for i, row in enumerate(table.rows):
        tbl.rows[i].height = Emu(max(1, h // len(table.rows)))
        for j in range(cols):
            cell = tbl.cell(i, j)
            cell.margin_top = cell.margin_bottom = Inches(0.04)
            runs = row[j] if j < len(row) else []
            frame = cell.text_frame
            frame.clear()
            para = frame.paragraphs[0]
            add_runs(para, runs, look, size, colour=look.ink if look.styled else None)
            direction(para, look)
            if table.header[i]:
                for r in para.runs:
                    r.font.bold = True
            if look.styled:
                cell.fill.solid()
                cell.fill.fore_color.rgb = rgb(look.header if table.header[i] else "FFFFFF")
                _borders(cell, look.border)
                for r in para.runs:
                    r.font.name = r.font.name or look.body_font
    return shape


def _borders(cell, colour: str) -> None:
    """Thin borders on every side, as the HTML tables have (before the fill: schema order)."""
    tcPr = cell._tc.get_or_add_tcPr()
    for side in ("a:lnB", "a:lnT", "a:lnR", "a:lnL"):
        line = etree.Element(qn(side), w="9525")
        fill = etree.SubElement(line, qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr"), val=colour)
        tcPr.insert(0, line)


def picture_shape(slide, pic: Picture, rect: tuple[int, int, int, int], look: Look):
    """A picture scaled to its rectangle keeping its aspect ratio, centred; alt text kept."""
    x, y, w, h = rect
    ratio = pic.width / pic.height
    width, height = (w, int(w / ratio)) if w / ratio <= h else (int(h * ratio), h)
    shape = slide.shapes.add_picture(io.BytesIO(pic.png), Emu(x + (w - width) // 2), Emu(y),
                                     Emu(width), Emu(height))
    shape.name = "Picture"
    shape._element.nvPicPr.cNvPr.set("descr", pic.alt)
    return shape
