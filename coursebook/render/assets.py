"""Figures and linked files wherever course text is placed.

A path in course text is relative to the file it is written in, but the text lands elsewhere:
an activity inside its module's page, notes on a trainer page, a module in the workbook.
Each output rewrites the paths here, from the file the text came from:

- site: every image and linked data file is copied once into the edition's site source
  (`assets/course/<path in the repository>`, so also into the offline zip), the edition's own
  version first (`flow.es.svg` beside `flow.svg`); links to course Markdown files become links
  to their pages. Paths are written relative to the site root with the `ROOT` marker, which
  `site.py` turns into a path relative to the page the text lands on;
- PDFs: a link to a course file is an internal link when its target is in the same document,
  else its text; a data file is named; images are absolute file URLs (`pdf.py`);
- decks: links lead to the site pages, relative to the deck.

`![alt](src "Caption")` alone in a paragraph becomes a figure with that caption, in every output.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

from ..files import CoursePage, Link, blank_code, course_pages, links, localized, source_of, target
from ..i18n import Strings
from ..model import Course, Module, Page, Text
from ..validate_paths import real_path
from ..write import put_copy, written

ROOT = "@@site-root@@/"  # the site root, made relative to each page when it is written
PUBLISHED = "assets/course/"
TRAINER_PUBLISHED = "trainer/assets/course/"  # files only trainer text links: not in the participant zip
FIGURE = re.compile(r"^!\[(?P<alt>[^\]\n]*)\]\((?P<src>[^)\s]+)\s+(?P<q>[\"'])(?P<cap>[^\n]*?)(?P=q)\s*\)"
                    r"(?P<attrs>\{[^}\n]*\})?[ \t]*$")
ANY_FIGURE = re.compile(FIGURE.pattern, re.M)  # such a line anywhere, code included
FIGCAPTION = re.compile(r"<figcaption\b")
MARKED_LINK = re.compile(r'<a\b[^>]*\bhref="' + re.escape(ROOT) + r'[^"]*"[^>]*>(.*?)</a>', re.S)
FILE_LINK = re.compile(r"(?<!!)\[([^\]\n]*)\]\(" + re.escape(ROOT) + r"(" + PUBLISHED + r"[^)\s]+)\)")


def publish(path: Path, root: Path, docs: Path, folder: str = PUBLISHED) -> str:
    """Copy a repository file into the site source (once); its path there."""
    rel = path.resolve().relative_to(root.resolve()).as_posix()
    dest = docs / folder / rel
    if not written(dest):
        put_copy(path, dest)
    return folder + rel


def rewrite(text: str, change: Callable[[Link], str | None], whole: bool = False) -> str:
    """Replace each link's URL (or, with `whole`, each inline link) by what `change` returns.
    Edits apply in the order of what they replace, so an image shown as a link's text
    (`[![alt](i.png)](page.md)`) has its URL rewritten before the link's own."""
    edits = []
    for link in links(text):
        new = change(link)
        if new is not None:
            edits.append((_span(text, link, whole), new))
    out, last = [], 0
    for (start, end), new in sorted(edits):
        if start < last:
            continue  # inside a link already rewritten whole
        out += [text[last:start], new]
        last = end
    return "".join(out) + text[last:]


def _span(text: str, link: Link, whole: bool) -> tuple[int, int]:
    """What `rewrite` replaces of a link: all of it, or only its URL."""
    if whole or link.form != "inline":
        return link.start, link.end
    head = text.index("(", link.start + len(link.text) + 1 + link.image)  # ![…](URL "title"){…}
    start = text.index(link.href, head)
    end = start + len(link.href)
    if text[start - 1] == "<" and text[end:end + 1] == ">":
        start, end = start - 1, end + 1
    return start, end


def figures(text: str) -> str:
    """An image alone in a top-level paragraph with a title becomes a figure with that caption."""
    if not ANY_FIGURE.search(text):
        return text  # most texts: no line to look at (every build asks for every text)
    lines, prose = text.split("\n"), blank_code(text).split("\n")
    out = []
    for i, line in enumerate(lines):
        m = FIGURE.match(line) if prose[i] == line else None
        before = i == 0 or not lines[i - 1].strip() or lines[i - 1].startswith("#")
        after = i + 1 == len(lines) or not lines[i + 1].strip()
        if m and before and after:
            cap = html.escape(m["cap"], quote=False)
            out += ([""] if i and lines[i - 1].strip() else []) + [
                '<figure markdown="span">', f"![{m['alt']}]({m['src']}){m['attrs'] or ''}",
                f'<figcaption markdown="span">{cap}</figcaption>', "</figure>"]
        else:
            out.append(line)
    return "\n".join(out)


# ---- site ----

def site_markdown(text: str, source: Path, course: Course, docs: Path,
                  pages: dict[Path, CoursePage], participant: set[Path] | None = None) -> str:
    """Course Markdown for the site: files published, paths from the site root (`ROOT`).
    A file that no participant text shows (see `participant_files`) goes under `trainer/`."""
    def change(link: Link) -> str | None:
        where = target(link.href, source, course.root)
        if where.kind == "file":
            folder = PUBLISHED if participant is None or where.path in participant else TRAINER_PUBLISHED
            return ROOT + quote(publish(localized(where.path, course.lang), course.root, docs, folder))
        if where.kind == "page" and not link.image:
            page = pages.get(source_of(where.path, course))
            if page:
                return ROOT + (page.site.split("#")[0] + "#" + where.fragment if where.fragment else page.site)
        return None
    return figures(rewrite(text, change))


def participant_files(course: Course) -> set[Path]:
    """The files (images, data) that participant text shows: linked outside trainer blocks in
    a module, activity, page or reading, or in a module's front matter. The others are the
    trainers' (linked from notes or trainer blocks only) and stay out of the participant zip."""
    from collections import Counter

    from ..markdown import trainer_blocks

    def found(text: str, source: Path) -> Counter:
        return Counter(w.path for w in (target(x.href, source, course.root) for x in links(text))
                       if w.kind == "file")

    shown: Counter = Counter()
    texts = [*course.pages, *course.readings, *course.modules, *(a for m in course.modules for a in m.activities)]
    for text in texts:
        hidden = sum((found(b, text.path) for b in trainer_blocks(text.body)), Counter())
        shown += found(text.body, text.path) - hidden
    for m in course.modules:
        for line in (*m.meta.objectives, *m.meta.key_points, *m.meta.readings):
            shown += found(line, m.path)
    return set(shown)


def site_course(course: Course, docs: Path) -> Course:
    """The edition with every text's paths made ready for the site (files copied into `docs`)."""
    pages, participant = course_pages(course), participant_files(course)

    def fix(s: str, text: Text) -> str:
        return site_markdown(s, text.path, course, docs, pages, participant)

    def body(text: Text) -> Text:
        return replace(text, body=fix(text.body, text))

    def module(m: Module) -> Module:
        meta = m.meta.model_copy(update={k: [fix(x, m) for x in getattr(m.meta, k)]
                                         for k in ("objectives", "key_points", "readings")})
        notes = m.notes
        if notes is not None:
            steps = [s.model_copy(update={"do": fix(s.do, notes)}) for s in notes.meta.steps]
            notes = replace(notes, body=fix(notes.body, notes),
                            meta=notes.meta.model_copy(update={"steps": steps}))
        return replace(m, body=fix(m.body, m), meta=meta, notes=notes,
                       activities=[body(a) for a in m.activities])

    page_list: list[Page] = [body(p) for p in course.pages]
    return replace(course, pages=page_list, readings=[body(p) for p in course.readings],
                   modules=[module(m) for m in course.modules])


def from_root(page: str) -> str:
    """The relative path from a page of the site source to the site root ("" or "../…")."""
    depth = page.count("/")
    return "../" * depth


def place(text: str, page: str) -> str:
    """Markdown written to `page`: site-root paths made relative to it."""
    return text.replace(ROOT, from_root(page))


def files(text: str) -> list[tuple[str, str]]:
    """(link text, path in the site source) of the data files a site text links to."""
    return [(m[1], m[2]) for m in FILE_LINK.finditer(text)]


# ---- PDFs and decks ----

def pdf_markdown(text: str, source: Path, course: Course, anchors: set[str],
                 pages: dict[Path, CoursePage]) -> str:
    """Course Markdown for a PDF: links to course files become internal links (when their
    target is in the document) or their text; a linked data file is named."""
    def change(link: Link) -> str | None:
        if link.image or link.form != "inline":
            return None
        where = target(link.href, source, course.root)
        if where.kind == "file":
            name = where.path.name
            return link.text if name in link.text else f"{link.text} ({name})"
        if where.kind == "page":
            page = pages.get(source_of(where.path, course))
            if page is None:
                return None
            return f"[{link.text}](#{page.anchor})" if page.anchor in anchors else link.text
        return None
    return figures(rewrite(text, change, whole=True))


def figure_modules(course: Course) -> dict[Path, str]:
    """The module of each module's own texts (itself, its activities, its notes), by resolved
    source path (each folder resolved once: `real_path`): what `figure_label` numbers figures by.
    Made once per render."""
    modules: dict[Path, str] = {}
    for m in course.modules:
        for x in (m, *m.activities, *([m.notes] if m.notes else [])):
            modules.setdefault(real_path(x.src.path if x.src else x.path), m.id)
    return modules


def figure_label(source: Path, course: Course, t: Strings, modules: dict[Path, str]) -> str:
    """The start of a figure's number in print: "Figure VI." in a module, "Figure " elsewhere.
    `modules`: `figure_modules(course)`."""
    module_id = modules.get(source_of(real_path(source), course))
    return f"{t('figure')} {module_id}." if module_id else f"{t('figure')} "


def label_figures(html_text: str, label: str) -> str:
    """Give every caption its number's label (the number itself is a CSS counter)."""
    return FIGCAPTION.sub(f'<figcaption data-label="{html.escape(label)}"', html_text)


def deck_markdown(text: str, source: Path, course: Course, docs: Path,
                  pages: dict[Path, CoursePage]) -> str:
    """Slide Markdown: links to course files lead to their site pages, data files are published
    (paths from the site root, `ROOT`: see `deck_web` and `deck_print`)."""
    def change(link: Link) -> str | None:
        if link.image:
            return None
        where = target(link.href, source, course.root)
        if where.kind == "file":
            return ROOT + quote(publish(localized(where.path, course.lang), course.root, docs))
        if where.kind == "page":
            page = pages.get(source_of(where.path, course))
            if page:
                site = re.sub(r"\.md(?=#|$)", ".html", page.site)
                return ROOT + (site.split("#")[0] + "#" + where.fragment if where.fragment else site)
        return None
    return rewrite(text, change)


def deck_web(html_text: str) -> str:
    """The HTML deck (in `slides/`): site-root paths made relative to it."""
    return html_text.replace(ROOT, "../")


def deck_print(html_text: str) -> str:
    """Printed slides and PPTX: links into the site are kept as their text."""
    return MARKED_LINK.sub(lambda m: m[1], html_text)


def data_files(texts: list[Text]) -> list[tuple[str, str]]:
    """(label, path in the site source) of the data files that participant texts link to, once
    each: what the downloads page lists. The texts are those of `site_course`."""
    from urllib.parse import unquote

    from ..markdown import participant

    found: dict[str, str] = {}
    for text in texts:
        for label, path in files(participant(text.body)):
            name = Path(unquote(path)).name
            found.setdefault(unquote(path), label if name in label else f"{label} ({name})")
    return [(label, path) for path, label in found.items()]


# ---- decorative images in print ----

DECORATIVE_IMG = re.compile(r'<img\b(?=[^>]*\balt="")[^>]*\bsrc="(file:[^"]+)"[^>]*>')


def decorative_backgrounds(html_text: str) -> str:
    """A decorative image (alt="") printed as a background: PDF/UA tags every <img> as a
    Figure that needs a description, but draws backgrounds as artifacts, which is what a
    decorative image is. Its size is the image's own, shrunk to the column keeping its shape."""
    def background(m: re.Match) -> str:
        size = _pixel_size(m[1])
        if size is None:
            return m[0]
        w, h = size
        return (f'<span class="decorative" style="display: block; max-width: {w:g}px">'
                f'<span style="display: block; padding-top: {100 * h / w:.4f}%; '
                f'background: url(&quot;{m[1]}&quot;) 0 0 / 100% 100% no-repeat"></span></span>')
    return DECORATIVE_IMG.sub(background, html_text)


def _pixel_size(url: str) -> tuple[float, float] | None:
    """An image file's size in CSS pixels (as WeasyPrint would lay it out), None if unknown."""
    from urllib.parse import unquote, urlparse

    path = Path(unquote(urlparse(url).path))
    try:
        if path.suffix.lower() == ".svg":
            from lxml import etree

            root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
            w, h = (re.match(r"^\s*([\d.]+)(px)?\s*$", root.get(k) or "") for k in ("width", "height"))
            if w and h:
                size = float(w[1]), float(h[1])
            else:
                box = [float(x) for x in re.split(r"[\s,]+", (root.get("viewBox") or "").strip()) if x]
                size = (box[2], box[3]) if len(box) == 4 else (300.0, 150.0)
        else:
            from PIL import Image

            with Image.open(path) as image:
                size = float(image.width), float(image.height)
    except (OSError, ValueError, SyntaxError):
        return None
    return size if size[0] > 0 and size[1] > 0 else None
