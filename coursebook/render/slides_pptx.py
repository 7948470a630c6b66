"""An editable PowerPoint deck with python-pptx, faithful to the HTML deck: the slide HTML is
read into blocks (`slides_pptx_text.py`) and drawn (`slides_pptx_draw.py`): runs in source
order with their bold/italic/code/links, nested and numbered lists, code keeping its lines,
tables, pictures (SVG rasterised), two columns, speaker notes. Without a centre's own
`theme/slides/template.pptx` the deck takes the course's look (colours and fonts of
`theme/slides/slides.css`, logo, footer); an Arabic deck runs right to left.
Deterministic: fixed dates and zip entry times."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu, Inches, Pt

from ..write import build_time, deterministic_zip
from .slides_pptx_draw import GAP, Look, code_box, direction, fill, picture_shape, plan, rgb, table_shape
from .slides_pptx_text import Code, Para, Picture, Reader, Run, Style, Table, Text, picture

FONTS = {"ar": ("Noto Sans Arabic", "Noto Naskh Arabic"), "zh": ("Noto Sans CJK SC", "Noto Sans CJK SC")}


def _layout(prs, names: tuple[str, ...], index: int):
    for layout in prs.slide_layouts:
        if layout.name in names:
            return layout
    return prs.slide_layouts[min(index, len(prs.slide_layouts) - 1)]


def _maths():
    """LaTeX → SVG (coursebook/maths.py, ziamath) when present; else display maths stays text."""
    try:
        from ..maths import latex_svg
    except ImportError:
        return None
    return latex_svg


def _theme(prs, look: Look) -> None:
    """The course's colours and fonts into the theme, so text a trainer adds matches."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    xml = part.blob.decode("utf-8")
    for slot, value in (("dk2", look.dark), ("accent1", look.green), ("accent2", look.accent),
                        ("hlink", look.green)):
        xml = re.sub(rf"(<a:{slot}>)<a:(?:srgbClr|sysClr)[^>]*/>", rf'\1<a:srgbClr val="{value}"/>', xml)
    lang = look.lang.split("-")[0]
    body, heading = FONTS.get(lang, (look.body_font, look.heading_font))
    for kind, latin, own in (("majorFont", look.heading_font, heading), ("minorFont", look.body_font, body)):
        def fonts(m, latin=latin, own=own) -> str:
            block = re.sub(r'<a:latin typeface="[^"]*"', f'<a:latin typeface="{latin}"', m[0])
            block = re.sub(r'<a:ea typeface="[^"]*"', f'<a:ea typeface="{own if lang == "zh" else ""}"', block)
            block = re.sub(r'<a:cs typeface="[^"]*"', f'<a:cs typeface="{own if lang == "ar" else ""}"', block)
            block = re.sub(r'(<a:font script="Arab" typeface=")[^"]*"', rf'\g<1>{FONTS["ar"][0]}"', block)
            return re.sub(r'(<a:font script="Hans" typeface=")[^"]*"', rf'\g<1>{FONTS["zh"][0]}"', block)
        xml = re.sub(rf"<a:{kind}>.*?</a:{kind}>", fonts, xml, flags=re.S)
    part._blob = xml.encode("utf-8")


def _box(shape) -> tuple[int, int, int, int]:
    return int(shape.left), int(shape.top), int(shape.width), int(shape.height)


def _drop(shape) -> None:
    shape._element.getparent().remove(shape._element)


def _title(slide, runs: list[Run], look: Look, rect=None, size: float = 36.0, colour: str | None = None):
    shape = slide.shapes.title
    if shape is None:
        return None
    if not runs:
        _drop(shape)
        return None
    if rect and look.styled:
        shape.left, shape.top, shape.width, shape.height = (Emu(v) for v in rect)
    frame = shape.text_frame
    frame.word_wrap = True
    fill(frame, [Para(runs, kind="heading")], look, 1.0, colour)
    para = frame.paragraphs[0]
    for r in para.runs:
        if look.styled:
            r.font.size = Pt(size)
            r.font.name = look.mono_font if r.font.name == look.mono_font else look.heading_font
            if colour is None:
                r.font.color.rgb = rgb(look.dark)
    if look.styled:
        frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    return shape


def _decorate(slide, ident: str, deck: dict, look: Look, width: int, height: int) -> None:
    """Footer (course title · licence), logo and slide id, as on the HTML deck."""
    if not look.styled:
        return
    y, h = height - int(Inches(0.5)), int(Inches(0.34))
    pic = deck.get("logo_picture")
    left = int(Inches(0.5))
    if pic:
        w = int(h * pic.width / pic.height)
        shape = picture_shape(slide, pic, (width - left - w if look.rtl else left, y, w, h), look)
        shape.name = "Logo"
        left += w + int(Inches(0.15))
    box = slide.shapes.add_textbox(Emu(int(Inches(1.6)) if look.rtl else left), Emu(y),
                                   Emu(width - left - int(Inches(1.6))), Emu(h))
    box.name = "Footer"
    _small(box, deck.get("footer", ""), look, look.muted)
    tag = slide.shapes.add_textbox(Emu(int(Inches(0.4)) if look.rtl else width - int(Inches(1.4))), Emu(y),
                                   Emu(int(Inches(1.0))), Emu(h))
    tag.name = "Slide id"
    tag.fill.solid()
    tag.fill.fore_color.rgb = rgb(look.dark)
    _small(tag, ident, look, "FFFFFF", centre=True)


def _small(shape, text: str, look: Look, colour: str, centre: bool = False) -> None:
    frame = shape.text_frame
    frame.word_wrap = True  # else LibreOffice centres an unwrapped box's text
    frame.margin_top = frame.margin_bottom = Inches(0.03)
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    para = frame.paragraphs[0]
    run = para.add_run()
    run.text = text
    run.font.size, run.font.color.rgb = Pt(11), rgb(colour)
    direction(para, look)
    if centre:
        from pptx.enum.text import PP_ALIGN

        para.alignment = PP_ALIGN.CENTER


def _bar(slide, rect: tuple[int, int, int, int], colour: str, name: str = "Decoration") -> None:
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *(Emu(v) for v in rect))
    shape.name = name
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb(colour)
    shape.line.fill.background()


def _to_front(slide, shape) -> None:
    """Move a shape first in reading order (the spTree's order)."""
    tree = slide.shapes._spTree
    tree.remove(shape._element)
    tree.insert(2, shape._element)


def _content(slide, blocks, box, look: Look, body=None, large: bool = False) -> None:
    """Stack the blocks in the box; the first text block goes into the body placeholder."""
    scale, heights = plan(blocks, box, look, large)
    x, y, w, _ = box
    for block, h in zip(blocks, heights, strict=True):
        rect = (x, y, w, h)
        if isinstance(block, Text):
            if body is not None:
                shape, body = body, None
                tree = slide.shapes._spTree
                tree.remove(shape._element)
                tree.append(shape._element)  # reading order: after the blocks above it
                shape.left, shape.top, shape.width, shape.height = (Emu(v) for v in rect)
            else:
                shape = slide.shapes.add_textbox(*(Emu(v) for v in rect))
                shape.name = "Text"
            fill(shape.text_frame, block.paras, look, scale, look.ink if look.styled else None)
            frame = shape.text_frame
            frame.margin_left = frame.margin_right = Inches(0.05)
        elif isinstance(block, Code):
            code_box(slide, block, rect, look, scale)
        elif isinstance(block, Table):
            table_shape(slide, block, rect, look, scale)
        elif isinstance(block, Picture):
            picture_shape(slide, block, rect, look)
        y += h + GAP
    if body is not None:
        _drop(body)


def _split_title(blocks) -> tuple[list[Run], list]:
    """The first heading is the slide's title; the rest is content."""
    if blocks and isinstance(blocks[0], Text) and blocks[0].paras and blocks[0].paras[0].kind == "heading":
        head, rest = blocks[0].paras[0], blocks[0].paras[1:]
        runs = [Run(r.text, Style(**{**r.style.__dict__, "bold": False})) for r in head.runs]
        return runs, ([Text(rest)] if rest else []) + blocks[1:]
    return [], blocks


def _title_slide(prs, s: dict, deck: dict, look: Look, width: int, height: int) -> None:
    slide = prs.slides.add_slide(_layout(prs, ("Title Slide",), 0))
    margin = int(Inches(1.2))
    runs = [Run(deck["module_id"], Style()), Run(" " + s["title"], Style())]
    title = _title(slide, runs, look, (margin, int(height * 0.28), width - 2 * margin, int(Inches(2.0))), 44.0)
    if look.styled and title is not None:
        title.text_frame.paragraphs[0].runs[0].font.color.rgb = rgb(look.accent)
    kicker = slide.shapes.add_textbox(Emu(margin), Emu(int(height * 0.18)), Emu(width - 2 * margin),
                                      Emu(int(Inches(0.6))))
    kicker.name = "Kicker"
    fill(kicker.text_frame, [Para([Run(deck["course_title"])])], look, 0.75, look.muted if look.styled else None)
    for r in kicker.text_frame.paragraphs[0].runs:
        r._r.get_or_add_rPr().set("cap", "all")
    _to_front(slide, kicker)
    paras = [Para([Run(deck["meta"])])] + ([Para([Run(deck["fallback"])])] if deck.get("fallback") else [])
    sub = next((p for p in slide.placeholders if p.placeholder_format.idx == 1), None)
    rect = (margin, int(height * 0.28) + int(Inches(2.1)), width - 2 * margin, int(Inches(1.2)))
    if sub is None:
        sub = slide.shapes.add_textbox(*(Emu(v) for v in rect))
    elif look.styled:
        sub.left, sub.top, sub.width, sub.height = (Emu(v) for v in rect)
    sub.text_frame.vertical_anchor = MSO_ANCHOR.TOP
    fill(sub.text_frame, paras, look, 0.75, look.muted if look.styled else None)
    if look.styled:
        _bar(slide, (width - int(Inches(0.33)) if look.rtl else 0, 0, int(Inches(0.33)), height), look.green)
        _decorate(slide, s["id"], deck, look, width, height)


def _slide(prs, s: dict, deck: dict, look: Look, reader: Reader, width: int, height: int) -> None:
    blocks = reader.read(s["html"]) if s["html"] else []
    runs, blocks = _split_title(blocks)
    margin = int(Inches(0.6))
    title_rect = (margin, int(Inches(0.3)), width - 2 * margin, int(Inches(1.0)))
    box = (margin, int(Inches(1.55)), width - 2 * margin, height - int(Inches(2.25)))
    if s["layout"] == "section":
        slide = prs.slides.add_slide(_layout(prs, ("Section Header",), 2))
        if look.styled:
            slide.background.fill.solid()
            slide.background.fill.fore_color.rgb = rgb(look.green)
        _title(slide, runs, look, (margin, int(height * 0.35), width - 2 * margin, int(Inches(1.4))), 48.0,
               "FFFFFF" if look.styled else None)
        body = next((p for p in slide.placeholders if p.placeholder_format.idx != 0), None)
        section_box = (margin, int(height * 0.35) + int(Inches(1.6)), width - 2 * margin, int(Inches(2.2)))
        _content(slide, blocks, _box(body) if body is not None and not look.styled else section_box, look, body)
    elif s["columns"]:
        slide = prs.slides.add_slide(_layout(prs, ("Two Content",), 3))
        _title(slide, runs, look, title_rect, 36.0)
        bodies = [p for p in slide.placeholders if p.placeholder_format.idx != 0]
        half = (box[2] - int(Inches(0.4))) // 2
        for i, column in enumerate(s["columns"][:2]):
            cblocks = reader.read(column)
            side = (1 - i) if look.rtl else i
            rect = (box[0] + side * (half + int(Inches(0.4))), box[1], half, box[3])
            ph = bodies[i] if i < len(bodies) else None
            _content(slide, cblocks, _box(ph) if ph is not None and not look.styled else rect, look, ph)
        for extra in bodies[len(s["columns"][:2]):]:
            _drop(extra)
    else:
        slide = prs.slides.add_slide(_layout(prs, ("Title and Content",), 1))
        _title(slide, runs, look, title_rect, 36.0)
        body = next((p for p in slide.placeholders if p.placeholder_format.idx != 0), None)
        _content(slide, blocks, _box(body) if body is not None and not look.styled else box, look, body,
                 large=s["layout"] == "image")
    if look.styled and s["layout"] != "section":
        rule = (margin, title_rect[1] + title_rect[3] + int(Inches(0.05)), width - 2 * margin, int(Pt(3)))
        _bar(slide, rule, look.green)
    if s["layout"] != "section":
        _decorate(slide, s["id"], deck, look, width, height)
    slide.notes_slide.notes_text_frame.text = s.get("notes") or ""
    slide._element.cSld.set("name", s["id"])


def write_pptx(slides: list[dict], deck: dict, *, out: Path) -> None:
    """slides: {id, title, layout, html, columns, notes} in order; deck: {title, course_title,
    module_id, meta, fallback, footer, logo, organisation, author, lang, rtl, template, look}."""
    template = deck.get("template") or ""
    prs = Presentation(template) if template else Presentation()
    look = Look(**deck.get("look", {}), lang=deck.get("lang", "en"), rtl=bool(deck.get("rtl")),
                styled=not template)
    if not template:
        prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
        _theme(prs, look)
    width, height = int(prs.slide_width), int(prs.slide_height)
    reader = Reader(_maths())
    if deck.get("logo") and look.styled:
        deck = {**deck, "logo_picture": picture(Path(deck["logo"]), deck.get("organisation", ""))}
    for s in slides:
        if s["layout"] == "title":
            _title_slide(prs, s, deck, look, width, height)
            prs.slides[-1].notes_slide.notes_text_frame.text = s.get("notes") or ""
        else:
            _slide(prs, s, deck, look, reader, width, height)
    by_id = {s["id"]: prs.slides[i] for i, s in enumerate(slides)}
    for run, target in look.links:  # jumps to a slide of this deck ([[slide:VI-2]])
        if target in by_id:
            rid = run.part.relate_to(by_id[target].part, RT.SLIDE)
            link = run._r.get_or_add_rPr().add_hlinkClick(rid)
            link.set("action", "ppaction://hlinksldjump")
    props = prs.core_properties
    props.title, props.author, props.language = deck.get("title", ""), deck.get("author", ""), look.lang
    props.created = props.modified = props.last_printed = build_time()  # SOURCE_DATE_EPOCH
    props.revision = 1
    buffer = io.BytesIO()
    prs.save(buffer)
    with zipfile.ZipFile(buffer) as saved:  # python-pptx stamps the time of day: rewritten
        deterministic_zip(((x.filename, saved.read(x)) for x in saved.infolist()), out)
