"""What a relative path in course text means: an image, a linked data file, or another course
page. `check` and every renderer read links and images through this one module, so an image
that passes `check` is one that every output can show, and a link that passes leads somewhere.
"""

from __future__ import annotations

import glob
import re
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from pathlib import Path
from urllib.parse import unquote

from . import layout
from .diagnostics import Report, line_counter
from .memo import remember
from .memo_db import per_object
from .model import Course
from .validate_paths import committed_files, real_path

IMAGE_EXTS = (".svg", ".png", ".jpg", ".jpeg")
SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)
# ![alt](src "title"){attrs} and [text](href 'title'){: attrs }
INLINE = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\n]|\[[^\]\n]*\])*)\]"
    r"\(\s*(?P<href><[^>\n]*>|[^)\s]+)(?:\s+(?P<title>\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
    r"(?P<attrs>\{[^}\n]*\})?")
REFDEF = re.compile(r"(?m)^ {0,3}\[(?P<text>[^\]\n^][^\]\n]*)\]:[ \t]*(?P<href><[^>\n]*>|\S+)")
# <img src>, in any quoting: the one raw HTML tag that fetches a file (sanitize.py refuses the others)
RAW_IMG = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>"']+))""", re.I)
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
ALT = re.compile(r"""\balt=(?:"([^"]*)"|'([^']*)'|([^\s}]+))""")
DECORATIVE = re.compile(r"(?:^\{:?|\s)\.decorative(?=[\s}])")


@dataclass(frozen=True)
class Link:
    """A link or image in Markdown: where it is, and what it says."""

    start: int  # span in the text (the whole `![…](…){…}`, or only the URL of a raw <img>/definition)
    end: int
    image: bool
    text: str  # alt text or link text
    href: str  # as written, without <>
    title: str | None
    attrs: str  # the attr_list block after it, "{…}", or ""
    line: int  # 0-based line in the text
    form: str  # "inline", "raw" (<img src>) or "ref" (a [id]: url definition)


def blank_code(text: str) -> str:
    """The text with fenced code and inline code blanked out, every offset kept: what is
    shown as code is not a link."""
    out, fence = [], None
    for line in text.split("\n"):
        m = FENCE.match(line)
        if fence is None and m:
            fence = m[1]
            out.append(" " * len(line))
        elif fence is not None:
            if m and m[1][0] == fence[0] and len(m[1]) >= len(fence) and not line.strip().strip(fence[0]):
                fence = None
            out.append(" " * len(line))
        else:
            out.append(re.sub(r"(`+)[^`\n]*?\1", lambda c: " " * len(c[0]), line))
    return "\n".join(out)


def links(text: str) -> list[Link]:
    """Every link and image of a Markdown text (not those shown as code), in order; kept
    between runs per text (`memo`: `check` after an edit finds the links of the edited text only)."""
    return remember("links", (text,), partial(_links, text))


def _links(text: str) -> list[Link]:
    prose = blank_code(text)
    line_at = line_counter(prose)
    found = []
    for m in INLINE.finditer(prose):
        title = m["title"][1:-1] if m["title"] else None
        found.append(Link(m.start(), m.end(), bool(m["bang"]), text[m.start("text"):m.end("text")],
                          _bare(text[m.start("href"):m.end("href")]), title, m["attrs"] or "",
                          line_at(m.start()), "inline"))
        if not m["bang"] and "![" in m["text"]:  # an image shown as the link's text: [![alt](i.png)](x)
            at = m.start("text")
            found += [replace(inner, start=at + inner.start, end=at + inner.end, line=line_at(at + inner.start))
                      for inner in links(text[at:m.end("text")]) if inner.image]
    for m in RAW_IMG.finditer(prose):
        group = next(g for g in ("dq", "sq", "bare") if m[g] is not None)
        start, end = m.span(group)
        found.append(Link(start, end, True, "", text[start:end], None, "", line_at(start), "raw"))
    for m in REFDEF.finditer(prose):
        href = text[m.start("href"):m.end("href")]
        found.append(Link(m.start("href"), m.end("href"), Path(_bare(href)).suffix.lower() in IMAGE_EXTS,
                          m["text"], _bare(href), None, "", line_at(m.start()), "ref"))
    return sorted(found, key=lambda x: x.start)


def _bare(href: str) -> str:
    return href[1:-1] if href.startswith("<") and href.endswith(">") else href


def attr_alt(attrs: str) -> str | None:
    """The alt text given in an attr_list block (`{alt="…"}`, `{: alt='…' }`), if any."""
    m = ALT.search(attrs)
    return next(x for x in m.groups() if x is not None) if m else None


def is_decorative(attrs: str) -> bool:
    """Marked `{.decorative}` or `{: .decorative }`: shown with alt="" on purpose."""
    return bool(DECORATIVE.search(attrs.strip()))


def has_alt(alt: str, attrs: str) -> bool:
    """An image has alt text: written in the brackets or the attr_list, or is marked decorative."""
    return bool(alt.strip()) or bool((attr_alt(attrs) or "").strip()) or is_decorative(attrs)


@dataclass(frozen=True)
class Target:
    """What a link points to. kind: "external" (a URL, a mail address), "anchor" (in the same
    page), "outside" (leaves the repository), "missing", "folder", "page" (a course Markdown
    file), "file" (any other file in the repository)."""

    kind: str
    path: Path | None = None
    fragment: str = ""


def target(href: str, source: Path, root: Path) -> Target:
    """Where `href`, written in the file `source`, leads."""
    return _target(href, source.parent, root)


@lru_cache(maxsize=8192)
def _target(href: str, folder: Path, root: Path) -> Target:
    """`target()`, remembered within one run: a long file names the same few files thousands
    of times, and each would be resolved on disk again. `forget()` starts a new run."""
    if not href or href.startswith("#"):
        return Target("anchor", fragment=href[1:])
    if SCHEME.match(href):
        return Target("external")
    if href.startswith(("/", "\\")):
        return Target("outside")
    part, _, fragment = href.partition("#")
    part = unquote(part.split("?", 1)[0])
    path = (folder / part).resolve()
    if not path.is_relative_to(root.resolve()):
        return Target("outside", path, fragment)
    if path.is_dir():
        return Target("folder", path, fragment)
    if not path.is_file():
        return Target("missing", path, fragment)
    return Target("page" if path.suffix.lower() == ".md" else "file", path, fragment)


def forget() -> None:
    """Forget what paths led to: files may have changed since the last run (serve)."""
    _target.cache_clear()
    image_problem.cache_clear()
    _PAGES.clear()
    committed_files.cache_clear()


def localized(path: Path, lang: str) -> Path:
    """The edition's own version of a file, `flow.es.svg` beside `flow.svg`, if there is one."""
    own = path.with_name(f"{path.stem}.{lang}{path.suffix}")
    return own if lang and own.is_file() else path


def source_of(path: Path, course: Course) -> Path:
    """A translation's path mapped to its source file (`module.es.md` → `module.md`)."""
    langs = {course.config.language, *course.config.languages}
    stem, dot, lang = path.stem.rpartition(".")
    return path.with_name(stem + path.suffix) if dot and lang in langs else path


@dataclass(frozen=True)
class CoursePage:
    """A course Markdown file as published: its site page and its anchor in the PDFs."""

    site: str  # e.g. modules/01-basics.md#activity-warm-up (in the site source)
    anchor: str  # e.g. activity-warm-up ("" when no PDF holds it)


_PAGES: list[tuple[Course, dict[Path, CoursePage]]] = []  # the last courses asked about, newest first


def course_pages(course: Course) -> dict[Path, CoursePage]:
    """Every course Markdown file (by resolved source path) and where it is published (once
    per course: each page and printer asks)."""
    return per_object(_PAGES, course, _course_pages)


def _course_pages(course: Course) -> dict[Path, CoursePage]:
    def key(text) -> Path:
        return real_path(text.src.path if text.src else text.path)

    pages: dict[Path, CoursePage] = {}
    for m in course.modules:
        pages[key(m)] = CoursePage(layout.module_page(m), f"module-{m.id}")
        for a in m.activities:
            pages[key(a)] = CoursePage(f"{layout.module_page(m)}#activity-{a.slug}", f"activity-{a.slug}")
        if m.notes:
            pages[key(m.notes)] = CoursePage(layout.trainer_page(m), "")
        if m.deck:
            pages[key(m.deck)] = CoursePage(layout.deck_html(m), "")
    for p in course.pages:
        pages[key(p)] = CoursePage(layout.course_page(p), f"page-{p.slug}")
    for p in course.readings:
        pages[key(p)] = CoursePage(layout.reading_page(p), f"reading-{p.slug}")
    return pages


@lru_cache(maxsize=4096)
def image_problem(path: Path) -> str | None:
    """Why an image file cannot be shown in every output, or None when it can. Remembered
    within one run: a file shown a thousand times is read once; `forget()` starts a new run."""
    suffix = path.suffix.lower()
    if suffix not in IMAGE_EXTS:
        return f"unsupported format '{suffix or path.name}' (use SVG, PNG or JPEG)"
    try:
        data = path.read_bytes()
    except OSError as exc:
        return exc.strerror or str(exc)
    if suffix == ".svg":
        return _svg_problem(data)
    from io import BytesIO

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        return f"not a valid image ({type(exc).__name__})"
    expected = "PNG" if suffix == ".png" else "JPEG"
    if kind != expected:
        return f"it is a {kind} file named {suffix} (use SVG, PNG or JPEG)"
    return None


def _svg_problem(data: bytes) -> str | None:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return f"not a valid SVG file ({exc.msg}, line {exc.lineno})"
    if not isinstance(root.tag, str) or etree.QName(root).localname != "svg":
        return "not an SVG file (its root element is not <svg>)"
    return None


def check_links(course: Course, path: Path, first: int, text: str, report: Report,
                pages: dict[Path, CoursePage] | None = None) -> None:
    """Every link and image of one text, in one pass: images need alt text and a usable file
    in the repository (this edition's own version, `flow.es.svg`, too), nothing may lead
    outside the repository or be fetched from the network, and relative links lead to a
    course page or a file in the repository. `pages`: `course_pages(course)`, made once."""
    for link in links(text):
        line = first + link.line if first else 0
        where = target(link.href, path, course.root)
        if link.image:
            if link.form == "inline" and not has_alt(link.text, link.attrs):
                report.error(path, line, f"image '{link.href}' has no alt text",
                             "describe it: ![what it shows](path); a decorative image: ![](path){: .decorative }")
            problem = _image_problem(link, where, path)
            if problem:
                report.error(path, line, *problem)
            own = localized(where.path, course.lang) if where.kind == "file" else None
            if own is not None and own != where.path and (problem := image_problem(own)):
                rel = own.relative_to(path.parent.resolve()) if own.is_relative_to(path.parent.resolve()) \
                    else own.name
                report.error(path, line, f"image '{rel}' (the {course.lang} version of '{link.href}') "
                             f"cannot be used: {problem}", "export it again as PNG, JPEG or SVG, or delete it")
        elif where.kind == "outside":
            report.error(path, line, f"'{link.href}' is outside the repository", OUTSIDE)
        elif where.kind == "missing":
            report.error(path, line, f"link to '{link.href}': no such file",
                         "give a path relative to this file, or add the file to the repository")
        elif where.kind == "folder":
            report.error(path, line, f"link to '{link.href}' is a folder",
                         "link a file in it (a page's .md file, or a data file)")
        elif where.kind == "page":
            pages = course_pages(course) if pages is None else pages
            if source_of(where.path, course) not in pages:
                report.error(path, line, f"link to '{link.href}': not a page of the course",
                             "link a module, activity, notes, deck, course page or reading file")


OUTSIDE = "keep the file inside the course repository and give a path relative to this file"
OFFLINE = "outputs must work offline: save the image in the repository and link the file"
RELATIVE = "give a path relative to this file"


def _image_problem(link: Link, where: Target, path: Path) -> tuple[str, str] | None:
    """(message, hint) when the image of `link`, written in `path`, cannot be shown. Raw
    `<img src>` may hold a data: URL; `![…](…)` names a file."""
    src = link.href
    if link.form != "inline":
        if where.kind == "outside":
            return f"'{src}' is outside the repository", OUTSIDE
        if SCHEME.match(src) and not src.startswith("data:"):
            return f"remote image '{src}'", OFFLINE
        if where.kind == "missing":
            return f"image '{src}' not found", RELATIVE
    elif SCHEME.match(src):
        return f"remote image '{src}'", OFFLINE
    elif src.startswith("/"):
        return f"absolute image path '{src}'", RELATIVE
    elif where.kind == "outside":
        return f"image '{src}' is outside the repository", "keep images inside the course repository"
    elif where.kind not in ("file", "page"):  # missing, a folder, an anchor
        missing = (path.parent / src).resolve()
        own = [p.name for p in sorted(missing.parent.glob(f"{glob.escape(missing.stem)}.*{missing.suffix}"))]
        return f"image '{src}' not found", (f"there is only {', '.join(own)}, an edition's own version: "
                                            f"add {missing.name}, which the other editions show"
                                            if own else RELATIVE)
    if where.kind in (("file", "page") if link.form == "inline" else ("file",)) \
            and (problem := image_problem(where.path)):
        return f"image '{src}' cannot be read: {problem}", "export it again as PNG, JPEG or SVG"
    return None
