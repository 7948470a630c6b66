"""Render stage: printable PDFs. Jinja2 templates in `theme/pdf/` turn the model into HTML
(the same Markdown pipeline as the site), then WeasyPrint jobs write, per language:
a handout per module, the participant workbook and the trainer's guide."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .. import layout
from ..agenda import compute_agenda, hhmm
from ..context import Context
from ..i18n import Strings
from ..jobs import Job
from ..markdown import participant, trainer_blocks
from ..model import Course, Module, Text
from ..refs import Ref, replace_refs
from .pdf_write import build_date, write_pdf
from .site_pages import _step_clock, duration

SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]+)(")')
RTL = {"ar", "fa", "he", "ur"}


class Printer:
    """Turns the course's Markdown into print HTML: references become text (or internal links
    when the target is in the same document) and image paths become absolute file URLs."""

    def __init__(self, course: Course, ctx: Context, anchors: set[str]):
        self.course, self.ctx, self.anchors = course, ctx, anchors
        self.t = ctx.strings(course)

    def _ref(self, ref: Ref) -> str:
        c, t = self.course, self.t
        if ref.kind == "slide":
            return ref.label or t("slide_ref", id=ref.key)
        target = {"module": c.module, "activity": c.activity, "reading": c.reading, "page": c.page}[ref.kind]
        item = target(ref.key)
        label = ref.label or (f"{item.id}. {item.title}" if ref.kind == "module" else item.title)
        anchor = f"{ref.kind}-{ref.key}"
        return f"[{label}](#{anchor})" if anchor in self.anchors else label

    def html(self, text: str, source: Path) -> str:
        html = self.ctx.markdown.html(replace_refs(text, self._ref))
        return SRC.sub(lambda m: m[1] + _file_url(source.parent, m[2]) + m[3], html)

    def inline(self, text: str) -> str:
        return self.ctx.markdown.inline(replace_refs(text, self._ref))


def _file_url(folder: Path, src: str) -> str:
    if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
        return src
    return (folder / src).resolve().as_uri()


def _text(p: Printer, text: Text, body: str) -> dict:
    return {"html": p.html(body, text.path), "fallback": text.fallback}


def module_view(p: Printer, m: Module, trainer: bool) -> dict:
    """Everything the templates need about one module."""
    t, course = p.t, p.course
    view = {
        "id": m.id, "slug": m.slug, "title": m.title, "duration": duration(m.minutes, t),
        "objectives": [p.inline(x) for x in m.meta.objectives],
        "key_points": [p.inline(x) for x in m.meta.key_points],
        "readings": [p.inline(x) for x in m.meta.readings],
        "text": _text(p, m, participant(m.body)),
        "activities": [{
            "slug": a.slug, "title": a.title, "text": _text(p, a, participant(a.body)),
            "duration": duration(a.minutes, t) if a.meta.minutes else "",
            "grouping": a.meta.grouping, "materials": a.meta.materials, "output": a.meta.output,
            "slide": t("slide_ref", id=a.meta.slide) if a.meta.slide else "",
        } for a in m.activities],
    }
    if trainer:
        n = m.notes
        view["notes"] = None if n is None else {
            "preparation": duration(n.meta.preparation_minutes, t), "materials": n.meta.materials,
            "room_setup": n.meta.room_setup, "copies": n.meta.copies,
            "steps": [{"clock": clock, "minutes": duration(s.minutes, t), "text": p.inline(s.do),
                       "activity": course.activity(s.activity).title if s.activity else ""}
                      for clock, s in zip(_step_clock(course, m), n.meta.steps, strict=True)],
            "text": _text(p, n, n.body),
        }
        view["trainer_blocks"] = [p.html(b, x.path) for x in (m, *m.activities)
                                  for b in trainer_blocks(x.body)]
        view["slides"] = [{"id": s.id, "title": s.title} for s in (m.deck.slides if m.deck else [])]
    return view


def _agenda_view(course: Course, t: Strings) -> list[dict]:
    return [{"title": t("day", n=d.number), "overrun": t("overrun", end=hhmm(d.end), n=d.overrun)
             if d.overrun else "",
             "slots": [{"time": s.time, "break": s.kind == "break", "minutes": duration(s.minutes, t),
                        "title": (f"{s.module.id}. {s.title}" if s.module and not s.activity else s.title),
                        "activity": bool(s.activity)} for s in d.slots]}
            for d in compute_agenda(course)]


def _checklist(course: Course, t: Strings) -> dict:
    materials: dict[str, None] = {}
    copies = []
    for m in course.modules:
        if m.notes:
            materials.update(dict.fromkeys(m.notes.meta.materials))
            copies += [f"{c} ({m.id})" for c in m.notes.meta.copies]
        for a in m.activities:
            materials.update(dict.fromkeys(a.meta.materials))
    total = sum(m.notes.meta.preparation_minutes for m in course.modules if m.notes)
    return {"materials": list(materials), "copies": copies, "total": duration(total, t)}


def _page_of(t: Strings) -> str:
    """The footer's 'Page n of N' in the edition's words, as a CSS content value."""
    parts = re.split(r"(\{page\}|\{pages\})", t("page_of", page="{page}", pages="{pages}"))
    css = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
    return " ".join(css.get(x, '"' + x.replace('"', '\\"') + '"') for x in parts if x)


def render(course: Course, ctx: Context, docs: Path) -> list[Job]:
    """The jobs that write this course's handouts, workbook and trainer's guide into `docs/handouts/`."""
    t = ctx.strings(course)
    env = Environment(loader=FileSystemLoader([str(d / "pdf") for d in ctx.theme_dirs]),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    c = course.config
    base = {"course": c, "lang": course.lang, "dir": "rtl" if course.lang.split("-")[0] in RTL else "ltr",
            "t": t, "date": build_date(), "paper": c.paper, "page_of": _page_of(t),
            "source_name": Strings(ctx.root, c.language, c.language)("language_name"),
            "source_dir": "rtl" if c.language.split("-")[0] in RTL else "ltr",
            "footer": " · ".join([t("licence", licence=c.licence), t("version", version=c.version)])}
    css = (str(ctx.theme_file("pdf/print.css")),)
    allowed = tuple(str(x) for x in (ctx.root, *ctx.theme_dirs, ctx.build_dir))
    jobs = []

    def job(template: str, target: str, title: str, **values: object) -> None:
        html = env.get_template(template).render(**base, title=title, **values)
        jobs.append(Job(write_pdf, (html, docs.as_uri() + "/", css, allowed), docs / target,
                        deps=(Path(css[0]), *_images(html)), cost=len(html)))

    for m in course.modules:
        anchors = {f"activity-{a.slug}" for a in m.activities}
        job("handout.html", layout.handout(m), f"{m.id}. {m.title}",
            the_module=module_view(Printer(course, ctx, anchors), m, trainer=False))
    all_anchors = ({f"module-{m.id}" for m in course.modules}
                   | {f"activity-{a.slug}" for m in course.modules for a in m.activities}
                   | {f"reading-{r.slug}" for r in course.readings}
                   | {f"page-{p.slug}" for p in course.pages})
    wp = Printer(course, ctx, all_anchors)
    pages = [{"slug": p.slug, "title": p.title, "text": _text(wp, p, participant(p.body))}
             for p in course.pages]
    readings = [{"slug": r.slug, "title": r.title, "region": r.meta.region,
                 "text": _text(wp, r, participant(r.body))} for r in course.readings]
    job("workbook.html", layout.workbook(course), t("workbook"), pages=pages, readings=readings,
        modules=[module_view(wp, m, trainer=False) for m in course.modules])
    gp = Printer(course, ctx, all_anchors - {f"reading-{r.slug}" for r in course.readings}
                 - {f"page-{p.slug}" for p in course.pages})
    job("guide.html", layout.trainers_guide(course), t("trainers_guide"), agenda=_agenda_view(course, t),
        modules=[module_view(gp, m, trainer=True) for m in course.modules], checklist=_checklist(course, t))
    return jobs


def _images(html: str) -> list[Path]:
    """Image files an HTML document embeds, so that changing one re-renders the PDF."""
    from urllib.parse import unquote, urlparse

    return [Path(unquote(urlparse(m[2]).path)) for m in SRC.finditer(html) if m[2].startswith("file:")]
