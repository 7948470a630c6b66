"""An editable PowerPoint deck with python-pptx: titles, bullets (nested levels), tables,
images and speaker notes; a centre's own template (`theme/slides/template.pptx`) supplies the
layouts when present. Deterministic: fixed dates and zip entry times."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import lxml.html
from pptx import Presentation
from pptx.util import Emu, Inches, Pt

FIXED = dt.datetime(2020, 1, 1)


def _layout(prs: Presentation, names: tuple[str, ...], index: int):
    for layout in prs.slide_layouts:
        if layout.name in names:
            return layout
    return prs.slide_layouts[min(index, len(prs.slide_layouts) - 1)]


def _text(el) -> str:
    return " ".join(el.text_content().split())


def _fill(frame, fragment: str, slide, box: tuple[int, int, int, int]) -> None:
    """Put an HTML fragment's lists and paragraphs into a text frame; tables and images
    become shapes of their own under it."""
    frame.clear()
    first = True
    root = lxml.html.fragment_fromstring(fragment or "<p></p>", create_parent="div")

    def para(text: str, level: int = 0) -> None:
        nonlocal first
        p = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        p.text = text
        p.level = min(level, 4)

    def walk_list(el, level: int) -> None:
        for li in el.findall("li"):
            own = "".join(li.xpath("text()") + [_text(x) for x in li if x.tag not in ("ul", "ol")]).strip()
            para(" ".join(own.split()), level)
            for sub in li:
                if sub.tag in ("ul", "ol"):
                    walk_list(sub, level + 1)

    top = box[1]
    for el in root:
        if el.tag in ("ul", "ol"):
            walk_list(el, 0)
        elif el.tag == "table":
            rows = el.findall(".//tr")
            cols = max(len(r.findall("th") + r.findall("td")) for r in rows) if rows else 0
            if rows and cols:
                shape = slide.shapes.add_table(len(rows), cols, Emu(box[0]), Emu(top + box[3] // 3),
                                               Emu(box[2]), Emu(Inches(0.4) * len(rows)))
                for i, r in enumerate(rows):
                    for j, cell in enumerate(r.findall("th") + r.findall("td")):
                        shape.table.cell(i, j).text = _text(cell)
        elif el.tag in ("img",) or el.find(".//img") is not None:
            img = el if el.tag == "img" else el.find(".//img")
            src = img.get("src", "")
            if src.startswith("file:"):
                slide.shapes.add_picture(unquote(urlparse(src).path), Emu(box[0]), Emu(top + box[3] // 4),
                                         height=Emu(box[3] // 2))
        elif el.tag.startswith("h"):
            continue
        else:
            text = _text(el)
            if text:
                para(text, 0)


def write_pptx(slides: list[tuple], deck_title: str, course_title: str, template: str, lang: str,
               author: str, *, out: Path) -> None:
    """slides: (id, title, layout, html, columns, notes) for each slide, in order."""
    prs = Presentation(template) if template else Presentation()
    if not template:
        prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    width, height = prs.slide_width, prs.slide_height
    box = (int(Inches(0.7)), int(Inches(1.6)), int(width - Inches(1.4)), int(height - Inches(2.2)))
    for ident, title, kind, html, columns, notes in slides:
        if kind == "title":
            s = prs.slides.add_slide(_layout(prs, ("Title Slide",), 0))
            s.shapes.title.text = title
            if len(s.placeholders) > 1:
                s.placeholders[1].text = f"{course_title}\n{deck_title.split('. ')[0]} · {ident}"
        elif kind == "section":
            s = prs.slides.add_slide(_layout(prs, ("Section Header",), 2))
            s.shapes.title.text = title
        elif kind == "two-column" and columns:
            s = prs.slides.add_slide(_layout(prs, ("Two Content",), 3))
            s.shapes.title.text = title
            bodies = [p for p in s.placeholders if p.placeholder_format.idx != 0]
            half = (box[0], box[1], box[2] // 2, box[3])
            for ph, col in zip(bodies, columns, strict=False):
                _fill(ph.text_frame, col, s, half)
        else:
            s = prs.slides.add_slide(_layout(prs, ("Title and Content",), 1))
            s.shapes.title.text = title
            bodies = [p for p in s.placeholders if p.placeholder_format.idx != 0]
            if bodies:
                _fill(bodies[0].text_frame, html, s, box)
                for p in bodies[0].text_frame.paragraphs:
                    for r in p.runs:
                        r.font.size = r.font.size or Pt(24)
        s.notes_slide.notes_text_frame.text = notes or ""
    props = prs.core_properties
    props.title, props.author, props.language = deck_title, author, lang
    props.created = props.modified = props.last_printed = FIXED
    props.revision = 1
    buffer = io.BytesIO()
    prs.save(buffer)
    _deterministic_zip(buffer.getvalue(), out)


def _deterministic_zip(data: bytes, out: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, (2020, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
