"""Render stage: slide decks. For each module with a deck, per language:
offline reveal.js HTML with speaker notes, a 16:9 PDF, a three-per-page handout PDF, and an
editable PowerPoint file. The slide ids (VI-2) are the reveal.js section ids, so
`06-ncpc-roles.html#/VI-2` opens that slide."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .. import layout
from ..context import Context
from ..deck import Slide
from ..files import course_pages
from ..highlight import for_print, write_css
from ..i18n import Strings, direction
from ..jobs import Job
from ..markdown import participant
from ..model import Course, Module
from ..refs import Ref, replace_refs
from ..sanitize import esc
from ..write import put, put_copy
from . import module_memo
from .assets import deck_markdown, deck_print, deck_web, decorative_backgrounds, publish
from .pdf import _file_url, _images
from .pdf_write import build_date
from .site_pages import duration
from .slides_fit import report_overflow, write_slides_pdf

REVEAL = "node_modules/reveal.js/dist"
REVEAL_FILES = ("reset.css", "reveal.css", "reveal.js", "plugin/notes.js")
HEADING = re.compile(r"^\s*#{1,6}\s+.*$")
SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]+)(")')


@dataclass
class SlideView:
    """A slide ready for the templates: its id, title, body and notes as HTML."""

    id: str
    title: str
    layout: str
    html: str
    notes: str
    columns: list[str]
    notes_text: str
    body_md: str


def _ref(course: Course, module: Module, t):
    def render(ref: Ref) -> str:
        if ref.kind == "slide":
            found = course.slide(ref.key)
            target = f"#/{ref.key}" if found and found[0] is module else \
                f"{Path(layout.deck_html(found[0])).name}#/{ref.key}" if found else ""
            return f"[{ref.label or t('slide_ref', id=ref.key)}]({target})"
        item = {"module": course.module, "activity": course.activity, "reading": course.reading,
                "page": course.page}[ref.kind](ref.key)
        return ref.label or esc(item.title if item else ref.key)
    return render


def slide_views(course: Course, module: Module, ctx: Context) -> list[SlideView]:
    """The deck's slides as HTML, the title slide made from the module's metadata."""
    t = ctx.strings(course)
    md = ctx.markdown
    resolve = _ref(course, module, t)
    pages, docs, lang = course_pages(course), ctx.docs(course), course.lang
    views = []
    for slide in module.deck.slides:
        if slide.layout == "title":
            views.append(_title_view(course, module, slide, t))
            continue
        body = participant(replace_refs(slide.body, resolve))
        if slide.path is not None:  # links to course pages and data files (see deck_web, deck_print)
            body = deck_markdown(body, slide.path, course, docs, pages)
        columns: list[str] = []
        if slide.layout == "two-column" and "|||" in body:
            lines = body.split("\n")
            head = [x for x in lines[:1] if HEADING.match(x)]
            rest = "\n".join(lines[len(head):])
            columns = [_abs(md.html(part), slide.path, lang) for part in re.split(r"(?m)^\s*\|\|\|\s*$", rest)]
            html = md.html("\n".join(head))
        else:
            html = _abs(md.html(body), slide.path, lang)
        notes_md = replace_refs(slide.notes, resolve)
        notes = md.html(deck_markdown(notes_md, slide.path, course, docs, pages) if slide.path else notes_md)
        views.append(SlideView(slide.id, slide.title, slide.layout, html, notes, columns,
                               notes_md, body))
    return views


def _views(course: Course, module: Module, ctx: Context) -> list[dict]:
    return [v.__dict__ for v in slide_views(course, module, ctx)]


def _title_view(course: Course, module: Module, slide: Slide, t) -> SlideView:
    return SlideView(slide.id, module.title, "title", "", "", [],
                     f"{course.config.title} — {module.id}. {module.title}", "")


def _abs(html: str, source: Path | None, lang: str = "") -> str:
    """Image paths made absolute file URLs (for PDFs and PPTX), the edition's own image first."""
    if source is None:
        return html
    return SRC.sub(lambda m: m[1] + _file_url(source.parent, m[2], lang) + m[3], html)


def _web(html: str, out_dir: Path, root: Path | None = None) -> str:
    """For the HTML deck: images copied into the site source (course images where the site has
    them, `assets/course/…`), linked relatively (works from file://); links into the site too."""
    def copy(m: re.Match) -> str:
        src = m[2]
        if not src.startswith("file:"):
            return m[0]
        from urllib.parse import quote, unquote, urlparse

        path = Path(unquote(urlparse(src).path))
        if root is not None and path.is_relative_to(root.resolve()):
            return f"{m[1]}../{quote(publish(path, root, out_dir.parent))}{m[3]}"
        put_copy(path, out_dir / "images" / path.name)
        return f"{m[1]}images/{path.name}{m[3]}"
    return deck_web(SRC.sub(copy, html))


def render(course: Course, ctx: Context, docs: Path) -> list[Job]:
    """Write every HTML deck of this course into `docs/slides/`; return the jobs for its PDFs and PPTX."""
    modules = [m for m in course.modules if m.deck]
    if not modules:
        return []
    t = ctx.strings(course)
    out_dir = docs / "slides"
    _copy_reveal(ctx, out_dir / "reveal")
    put_copy(ctx.theme_file("slides/slides.css"), out_dir / "reveal" / "course-slides.css")
    logo = _logo(ctx, course)
    if logo:  # the footer's logo, as in the PowerPoint deck
        put_copy(logo, out_dir / "reveal" / logo.name)
    write_css(out_dir / "reveal")  # code colours; maths from the site's KaTeX (../assets/katex)
    env = ctx.templates("slides")
    c = course.config
    base = {"course": c, "lang": course.lang, "t": t, "date": build_date(), "paper": c.paper,
            "dir": direction(course.lang)}
    css = (str(ctx.theme_file("slides/print.css")), str(write_css(ctx.build_dir)))  # + code colours
    allowed = tuple(str(x) for x in (ctx.root, *ctx.theme_dirs, ctx.build_dir))
    pptx = _pptx_look(ctx, logo)
    jobs = []
    memo = module_memo.of(course, ctx, docs)  # each module's share, kept between builds
    for m in ctx.progress(modules, f"slides ({course.lang})"):
        views = [SlideView(**v) for v in memo.kept(m, "slides", partial(_views, course, m, ctx))]
        values = {**base, "module": m, "slides": views, "duration": duration(m.minutes, t),
                  "title": m.deck.title, "fallback": _fallback_notice(course, ctx) if m.deck.fallback else ""}
        # images copied into the site source whether the deck is laid out again or kept
        web = [SlideView(**{**v.__dict__, "html": _web(v.html, out_dir, ctx.root), "notes": deck_web(v.notes),
                            "columns": [_web(x, out_dir, ctx.root) for x in v.columns]}) for v in views]
        html = memo.kept(m, "deck", lambda values=values, web=web: env.get_template("deck.html").render(
            **{**values, "slides": web, "logo": f"reveal/{logo.name}" if logo else ""}))
        put(out_dir / Path(layout.deck_html(m)).name, html)
        for template, target in (("print.html", layout.deck_pdf(m)),
                                 ("handout.html", layout.deck_handout(m))):
            page = memo.kept(m, f"slides-{template}", lambda template=template, values=values: for_print(
                decorative_backgrounds(deck_print(env.get_template(template).render(**values)))))  # maths as images
            jobs.append(Job(write_slides_pdf, (page, docs.as_uri() + "/", css, allowed), docs / target,
                            deps=(*map(Path, css), *_images(page)), cost=len(page)))
        jobs.append(_pptx_job(course, m, views, docs, values, pptx))
    return jobs


def warn_overflow(course: Course, ctx: Context, report) -> None:
    """After the jobs: a warning at file:line for each slide too full for its frame."""
    report_overflow(course, ctx.docs(course), layout.deck_pdf, report, ctx.memo)


def _logo(ctx: Context, course: Course) -> Path | None:
    """The organisation's logo (course.yml), when the file is there."""
    rel = course.config.organisation.logo
    path = ctx.root / rel if rel else None
    return path if path and path.is_file() else None


@dataclass
class PptxLook:
    """What every PowerPoint deck of an edition shares: the centre's template (if any), the
    look read from slides.css, the logo; found once per edition, not per module."""

    template: Path
    css: Path
    look: dict
    logo: Path | None


def look_from_css(css: str) -> dict:
    """The colours and fonts the HTML deck uses, read from its stylesheet's custom properties
    and font-family rules (so a centre's slides.css restyles the PowerPoint deck too)."""
    def var(name: str, default: str) -> str:
        m = re.search(rf"--course-{name}\s*:\s*#([0-9a-fA-F]{{6}})", css)
        return m[1].upper() if m else default

    def family(selector: str, default: str) -> str:
        m = re.search(rf"{re.escape(selector)}[^{{]*\{{[^}}]*?font-family:\s*\"?([^\",;]+)", css)
        return m[1].strip() if m else default

    return {"ink": var("ink", "1D2521"), "green": var("green", "1B6B4A"), "dark": var("green-dark", "0F4A33"),
            "accent": var("accent", "B3541E"), "body_font": family(".reveal ", "Noto Sans"),
            "heading_font": family(".reveal h1, .reveal h2", "Noto Serif")}


def write_pptx(slides: list[dict], deck: dict, *, out: Path) -> None:
    """The editable deck, as a job: python-pptx (0.14 s to import) is loaded by the worker that
    makes one, not by every build's own process, whose work is a rebuild's critical path."""
    from .slides_pptx import write_pptx as write

    write(slides, deck, out=out)


def _pptx_look(ctx: Context, logo: Path | None) -> PptxLook:
    css = ctx.theme_file("slides/slides.css")
    return PptxLook(ctx.theme_file("slides/template.pptx"), css,
                    look_from_css(css.read_text(encoding="utf-8")), logo)


def _pptx_job(course: Course, m: Module, views: list[SlideView], docs: Path, values: dict,
              shared: PptxLook) -> Job:
    """The PowerPoint deck: the same slide HTML as the other decks, the course's look."""
    c, t = course.config, values["t"]
    template, css, logo = shared.template, shared.css, shared.logo
    slides = [{"id": v.id, "title": v.title, "layout": v.layout, "html": deck_print(v.html),
               "columns": [deck_print(x) for x in v.columns],
               "notes": v.notes_text} for v in views]
    deck = {"title": f"{m.id}. {m.title}", "course_title": c.title, "module_id": m.id,
            "meta": f"{t('duration')}: {values['duration']} · {c.organisation.name}",
            "fallback": values["fallback"], "footer": f"{c.title} · {c.licence}",
            "logo": str(logo or ""), "organisation": c.organisation.name, "author": ", ".join(c.authors),
            "lang": course.lang, "rtl": values["dir"] == "rtl",
            "template": str(template) if template.exists() else "",
            "look": shared.look}
    images = _images("".join(v.html + "".join(v.columns) for v in views))
    return Job(write_pptx, (slides, deck), docs / layout.deck_pptx(m),
               deps=(template, css, *([logo] if logo else []), *images), cost=len(str(slides)) // 4)


def _fallback_notice(course: Course, ctx: Context) -> str:
    src = course.config.language
    return ctx.strings(course)("fallback_notice", language=ctx.strings(course)("language_name"),
                               source=Strings(ctx.root, src, src)("language_name"))


def _copy_reveal(ctx: Context, target: Path) -> None:
    source = ctx.root / REVEAL if (ctx.root / REVEAL).exists() else Path(__file__).parents[2] / REVEAL
    for rel in REVEAL_FILES:
        put_copy(source / rel, target / Path(rel).name)
    for extra in ("LICENSE",):
        lic = source.parent / extra
        if lic.exists():
            put_copy(lic, target / "LICENSE.txt")
