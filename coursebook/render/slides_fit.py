"""Slides that fit their 16:9 frame. The slide PDF job lays the deck out with WeasyPrint,
finds the slides whose content runs past the frame (a section spread over two pages, or
content below its bottom edge), shrinks their type until they fit, clips any that still do
not, and records their ids in the PDF (`/CoursebookOverflow`). After the jobs, the build reads
the ids back and warns `slides/06-x.md:LINE: warning: slide VI-4 does not fit …`, so a
cached PDF still warns: the ids travel with it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..diagnostics import Report
from ..memo_db import Memo
from ..model import Course
from .pdf_write import PDF_OPTIONS, confined

KEY = "CoursebookOverflow"
MIN_SCALE = 0.55  # type smaller than this is unreadable from the back of a room: clip instead
TOLERANCE = 1.0  # px


def _slides(document) -> dict[str, list]:
    """Every slide's boxes (one per page it is on), by slide id."""
    found: dict[str, list] = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            el = getattr(box, "element", None)
            if (getattr(box, "element_tag", "") == "section" and el is not None
                    and "slide" in (el.get("class") or "").split()):
                found.setdefault(el.get("id", ""), []).append(box)
    return found


def _bottom(box) -> float:
    """The lowest edge of the box's in-flow content: its lines and blocks (absolutely placed
    boxes, like the slide number, left out; a glyph's ascent above its line box, too)."""
    from weasyprint.formatting_structure.boxes import LineBox  # loaded once a deck is laid out

    low = 0.0
    for child in getattr(box, "children", []):
        if getattr(child, "style", None) is not None and child.style["position"] in ("absolute", "fixed"):
            continue
        if isinstance(child, LineBox):
            low = max(low, child.position_y + child.height)
        elif hasattr(child, "border_box_y"):
            low = max(low, child.border_box_y() + child.border_height(), _bottom(child))
    return low


def overflowing(document) -> dict[str, tuple[float, float]]:
    """Slides that do not fit: id → (how much of the content fits, 0–1; the font size in px)."""
    out = {}
    for ident, boxes in _slides(document).items():
        first = boxes[0]
        room = first.height
        needed = sum(_bottom(b) - b.content_box_y() for b in boxes)
        if len(boxes) > 1 or needed > room + TOLERANCE:
            out[ident] = (room / max(needed, 1.0), first.style["font_size"])
    return out


def _fitted(html: str, sizes: dict[str, float], clip: set[str]) -> str:
    rules = [f'section.slide[id="{ident}"] {{ font-size: {px:.2f}px !important; }}' for ident, px in sizes.items()]
    rules += [f'section.slide[id="{ident}"] {{ display: inline-block; vertical-align: top; overflow: hidden; }}'
              for ident in clip]  # an inline block is never split across pages: the rest is cut
    style = "<style>" + "\n".join(rules) + "</style>"
    return html.replace("</head>", style + "</head>", 1) if rules else html


def write_slides_pdf(html: str, base_url: str, stylesheets: tuple[str, ...], allowed: tuple[str, ...],
                     *, out: Path) -> None:
    """Render a deck's slides (one per page, or the handout's thumbnails) so that every slide
    fits its frame; the ids of those that did not are kept in the PDF's metadata."""
    with confined(base_url, stylesheets, allowed) as render:
        document = render(html)
        over = overflowing(document)
        found = sorted(over)
        base = {ident: px for ident, (_, px) in over.items()}
        lo, hi = dict.fromkeys(base, MIN_SCALE), dict.fromkeys(base, 1.0)
        fitted = set()
        guess = {k: max(MIN_SCALE, fits ** 0.5) for k, (fits, _) in over.items()}  # a paragraph's
        for _ in range(4 if base else 0):  # height falls faster than its type: search the scale
            over = overflowing(render(_fitted(html, {k: base[k] * v for k, v in guess.items()}, set())))
            for k, v in guess.items():
                if k in over:
                    hi[k] = v
                else:
                    lo[k] = v
                    fitted.add(k)
            guess = {k: (lo[k] + hi[k]) / 2 for k in base}
        if base:
            document = render(_fitted(html, {k: base[k] * v for k, v in lo.items()}, set(base) - fitted))
        if found:
            document.metadata.custom[KEY] = " ".join(found)
        document.write_pdf(out, custom_metadata=bool(found), **PDF_OPTIONS)


def overflow_ids(pdf: Path, memo: Memo | None = None) -> list[str]:
    """The slides a slide PDF had to shrink or clip (written by `write_slides_pdf`); read
    back once per PDF (`memo`: by its bytes' hash), not at every build."""
    import pikepdf

    if not pdf.is_file():
        return []
    key = memo.key("overflow", hashlib.sha256(pdf.read_bytes()).hexdigest()) if memo else ""
    found = memo.get(key) if memo else None
    if found is None:
        with pikepdf.open(pdf) as document:
            found = str(document.docinfo.get("/" + KEY, "")).split()
        if memo:
            memo.put(key, found)
    return found


def report_overflow(course: Course, docs: Path, deck_pdf, report: Report, memo: Memo | None = None) -> None:
    """Warn, at the slide's file and line, for every slide that does not fit its frame."""
    for module in course.modules:
        if not module.deck:
            continue
        by_id = {s.id: s for s in module.deck.slides}
        for ident in overflow_ids(docs / deck_pdf(module), memo):
            slide = by_id.get(ident)
            if slide is None:
                continue
            report.warning(slide.path or module.deck.path, slide.line,
                           f"slide {ident} does not fit on the slide: its text is shrunk (or cut) "
                           "in the slide PDF and scaled down in the HTML deck",
                           "shorten it, or split it into two slides with ---")
