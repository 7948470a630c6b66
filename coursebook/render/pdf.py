"""Render stage: printable PDFs. Jinja2 templates in `theme/pdf/` turn the model into HTML
(the same Markdown pipeline as the site), then WeasyPrint jobs write, per language:
a handout per module, the participant workbook and the trainer's guide. The workbook and the
guide are rendered chapter by chapter (cached apart) and assembled (`pdf_assemble.py`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from .. import embed, layout
from ..agenda import compute_agenda, hhmm
from ..context import Context
from ..files import CoursePage, course_pages, localized
from ..highlight import for_print, write_css
from ..i18n import Strings, direction
from ..jobs import Job
from ..markdown import trainer_blocks, trainer_view
from ..mdx_trainer import Answer, Solutions
from ..model import Activity, Course, Module, Text
from ..refs import Ref, replace_refs
from ..sanitize import esc, esc_markdown
from . import module_memo
from .assets import decorative_backgrounds, figure_label, figure_modules, label_figures, pdf_markdown
from .pdf_assemble import STAMP_PAGES, assemble, chapter_links
from .pdf_write import build_date, write_pdf
from .print_tabs import print_tabs
from .site_pages import _step_clock, duration

if TYPE_CHECKING:
    from jinja2 import Environment

SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]+)(")')
BACKGROUND = re.compile(r"url\(&quot;(file:[^&]+)&quot;\)")


class Printer:
    """Turns the course's Markdown into print HTML: references become text (or internal links
    when the target is in the same document) and image paths become absolute file URLs."""

    def __init__(self, course: Course, ctx: Context, anchors: set[str], solutions: str = "inline",
                 trainer: bool = False, pages: dict[Path, CoursePage] | None = None,
                 figures: dict[Path, str] | None = None):
        """`pages` (`course_pages`) and `figures` (`figure_modules`): made once per render and
        shared by its printers, or made here."""
        self.course, self.ctx, self.anchors = course, ctx, anchors
        self.t = ctx.strings(course)
        # participant documents: solutions left in place, left out or moved to `answers` ("end");
        # the trainer's guide: trainer blocks shown (trainer_view) and solutions in place
        self.trainer, self.solutions = trainer, None if trainer else solutions
        self.answers: list[Answer] = []
        self._group: Solutions | None = None
        self.pages = course_pages(course) if pages is None else pages  # links to course files
        self.figures = figure_modules(course) if figures is None else figures  # figures' modules

    def _ref(self, ref: Ref) -> str:
        c, t = self.course, self.t
        if ref.kind == "slide":
            return ref.label or t("slide_ref", id=ref.key)
        target = {"module": c.module, "activity": c.activity, "reading": c.reading, "page": c.page}[ref.kind]
        item = target(ref.key)
        label = ref.label or esc(f"{item.id}. {item.title}" if ref.kind == "module" else item.title)
        anchor = f"{ref.kind}-{ref.key}"
        return f"[{label}](#{anchor})" if anchor in self.anchors else label

    def group(self, prefix: str) -> None:
        """Start numbering solutions anew (per module, page or reading): keys `<prefix>-n`."""
        self._group = None if self.solutions in (None, "inline") else \
            Solutions(self.solutions, prefix, "", lambda key: self.t("answer_ref", n=f"@@answer:{key}@@"))

    def html(self, text: str, source: Path, context: str = "") -> str:
        """`context`: what a solution answers when no heading precedes it (e.g. the activity)."""
        if self.trainer:
            text = trainer_view(text, self.t("trainer_only"))
        if self._group:
            self._group.context = context
        text = pdf_markdown(text, source, self.course, self.anchors, self.pages)  # links, figures
        html = print_tabs(self.ctx.markdown.html(replace_refs(text, self._ref), self._group))
        if self._group:
            self.answers += self._group.found
            self._group.found = []
        html = label_figures(html, figure_label(source, self.course, self.t, self.figures))  # "Figure VI." + counter
        html = SRC.sub(lambda m: m[1] + _file_url(source.parent, m[2], self.course.lang) + m[3], html)
        return decorative_backgrounds(html)  # alt="": an artifact in PDF/UA, not an untagged figure

    def inline(self, text: str, source: Path | None = None) -> str:
        """One line (an objective, a step); links to course files, written in `source`, as in `html`."""
        if source is not None:
            text = pdf_markdown(text, source, self.course, self.anchors, self.pages)
        return self.ctx.markdown.inline(replace_refs(esc_markdown(text), self._ref))  # HTML as text


def _file_url(folder: Path, src: str, lang: str = "") -> str:
    """An image's absolute file URL: the edition's own version (`flow.es.svg`) if there is one."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
        return src
    return localized((folder / unquote(src)).resolve(), lang).as_uri()


def _text(p: Printer, text: Text, body: str, context: str = "") -> dict:
    return {"html": p.html(body, text.path, context), "fallback": text.fallback}


EMBED_MARK = "CBEMBED{}CBEMBED"  # stands for an embedded activity while the text is converted
EMBED_HTML = re.compile(r"<p>CBEMBED(\d+)CBEMBED</p>")
ANSWER_MARK = re.compile(r"@@answer:([\w-]+)@@")
CUT = "\n<!--coursebook:chapter-->\n"  # between the chapters of a workbook while answers are numbered


def _activity_view(p: Printer, a: Activity) -> dict:
    t = p.t
    return {"slug": a.slug, "title": a.title, "text": _text(p, a, a.body, a.title),
            "duration": duration(a.minutes, t) if a.meta.minutes else "",
            "grouping": a.meta.grouping, "materials": a.meta.materials, "output": a.meta.output,
            "slide": t("slide_ref", id=a.meta.slide) if a.meta.slide else ""}


def _flow(p: Printer, m: Module) -> list[dict]:
    """The module's text in reading order: stretches of text and the activities embedded
    between them (`[[embed:slug]]`). The text is converted in one piece (footnotes and link
    definitions work across the embeds), then cut where the activities go."""
    own = {a.slug: a for a in m.activities}
    texts, slugs = embed.split(m.body, set(own))
    body = texts[0] + "".join(f"\n\n{EMBED_MARK.format(i)}\n\n{x}" for i, x in enumerate(texts[1:]))
    html = _text(p, m, body, m.title)
    parts = EMBED_HTML.split(html["html"])
    flow = [{"kind": "text", "text": {**html, "html": parts[0]}}]
    for i in range(1, len(parts), 2):
        flow.append({"kind": "activity", "activity": _activity_view(p, own[slugs[int(parts[i])]])})
        flow.append({"kind": "text", "text": {**html, "html": parts[i + 1], "continued": True}})
    return flow


def module_view(p: Printer, m: Module, trainer: bool) -> dict:
    """Everything the templates need about one module: `flow` is its text with the embedded
    activities in place, `activities` the others (printed after it)."""
    t, course = p.t, p.course
    p.group(m.id)
    first = len(p.answers)
    flow = _flow(p, m)
    embedded = {x["activity"]["slug"] for x in flow if x["kind"] == "activity"}
    rest = [_activity_view(p, a) for a in m.activities_in_order if a.slug not in embedded]
    # the module's answers in the order their questions are read (embedded activities mid-text)
    read = "".join(x["text"]["html"] if x["kind"] == "text" else x["activity"]["text"]["html"] for x in flow)
    read += "".join(a["text"]["html"] for a in rest)
    order = {key: i for i, key in enumerate(ANSWER_MARK.findall(read))}
    p.answers[first:] = sorted(p.answers[first:], key=lambda a: order.get(a.key, len(order)))
    view = {
        "id": m.id, "slug": m.slug, "title": m.title, "duration": duration(m.minutes, t),
        "objectives": [p.inline(x, m.path) for x in m.meta.objectives],
        "key_points": [p.inline(x, m.path) for x in m.meta.key_points],
        "readings": [p.inline(x, m.path) for x in m.meta.readings],
        "flow": flow,
        "activities": rest,
    }
    if trainer:
        n = m.notes
        view["notes"] = None if n is None else {
            "preparation": duration(n.meta.preparation_minutes, t), "materials": n.meta.materials,
            "room_setup": n.meta.room_setup, "copies": n.meta.copies,
            "steps": [{"clock": clock, "minutes": duration(s.minutes, t), "text": p.inline(s.do, n.path),
                       "activity": course.activity(s.activity).title if s.activity else ""}
                      for clock, s in zip(_step_clock(course, m), n.meta.steps, strict=True)],
            "text": _text(p, n, n.body),
        }
        view["slides"] = [{"id": s.id, "title": s.title, "trainer": [p.html(b, s.path or m.path)
                                                                       for b in trainer_blocks(s.body)]}
                          for s in (m.deck.slides if m.deck else [])]
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
    env = ctx.templates("pdf")
    c = course.config
    base = {"course": c, "lang": course.lang, "dir": direction(course.lang),
            "t": t, "date": build_date(), "paper": c.paper, "page_of": _page_of(t), "chapter": None,
            "source_name": Strings(ctx.root, c.language, c.language)("language_name"),
            "source_dir": direction(c.language),
            "footer": " · ".join([t("licence", licence=c.licence), t("version", version=c.version)])}
    css = (str(ctx.theme_file("pdf/print.css")), str(write_css(ctx.build_dir)))  # + code colours
    allowed = tuple(str(x) for x in (ctx.root, *ctx.theme_dirs, ctx.build_dir))
    jobs = []
    shared = {"pages": course_pages(course), "figures": figure_modules(course)}  # once per edition
    ids = {m.id for m in course.modules}

    memo = module_memo.of(course, ctx, docs)  # each module's share, kept between builds

    bound = Binding(env, base, css, allowed, docs.as_uri() + "/", ctx.build_dir / "cache", ids)

    def job(html: str, target: str) -> None:
        jobs.append(bound.job(_number_answers(html, ids), docs / target))

    def viewed(p: Printer, m: Module, what: str) -> dict:
        """`module_view`, kept: its answers (a participant document's) given back to `p`."""
        def make() -> dict:
            first = len(p.answers)
            view = module_view(p, m, trainer=p.trainer)
            return {"view": view, "answers": [a.__dict__ for a in p.answers[first:]]}
        before = len(p.answers)
        kept = memo.kept(m, what, make)
        p.answers[before:] = [Answer(**a) for a in kept["answers"]]
        return kept["view"]

    def book(template: str, target: str, title: str, chapters: list[str], **values: object) -> None:
        """The workbook or the guide: a job per chapter and one that assembles them; a module's
        chapter kept with what else its page is given (all the answers, readings …)."""
        shared = module_memo.digest({k: v for k, v in values.items() if k not in ("modules", "pages")})
        modules = {f"module-{m.id}": m for m in course.modules}

        def keep(chapter: str, make: Callable[[], str]) -> str:
            if chapter not in modules:
                return make()
            return memo.kept(modules[chapter], f"{target}:{chapter == chapters[-1]}:{shared}", make)
        jobs.extend(book_jobs(bound, template, docs / target, docs.parent / "chapters" / Path(target).stem, title,
                              chapters, values, keep))

    def handout(m: Module) -> str:
        hp = Printer(course, ctx, {f"activity-{a.slug}" for a in m.activities}, c.solutions, **shared)
        view = module_view(hp, m, trainer=False)
        return for_print(env.get_template("handout.html").render(  # maths, code
            **base, title=f"{m.id}. {m.title}", the_module=view, answers=_answers(hp)))

    for m in course.modules:
        job(memo.kept(m, "handout", partial(handout, m)), layout.handout(m))
    all_anchors = ({f"module-{m.id}" for m in course.modules}
                   | {f"activity-{a.slug}" for m in course.modules for a in m.activities}
                   | {f"reading-{r.slug}" for r in course.readings}
                   | {f"page-{p.slug}" for p in course.pages})
    wp = Printer(course, ctx, all_anchors, c.solutions, **shared)
    pages = []
    for p in course.pages:
        wp.group(f"page-{p.slug}")
        pages.append({"slug": p.slug, "title": p.title, "text": _text(wp, p, p.body, p.title)})
    modules = [viewed(wp, m, "workbook") for m in course.modules]
    readings = []
    for r in course.readings:
        wp.group(f"reading-{r.slug}")
        readings.append({"slug": r.slug, "title": r.title, "region": r.meta.region,
                         "text": _text(wp, r, r.body, r.title)})
    answers = _answers(wp)
    book("workbook.html", layout.workbook(course), t("workbook"),
         [*(f"page-{p['slug']}" for p in pages), *(f"module-{m['id']}" for m in modules),
          *(["readings"] if readings else []), *(["answers"] if answers else [])],
         pages=pages, readings=readings, modules=modules, answers=answers)
    gp = Printer(course, ctx, all_anchors - {f"reading-{r.slug}" for r in course.readings}
                 - {f"page-{p.slug}" for p in course.pages}, trainer=True, **shared)
    others = [{"title": x.title, "blocks": [gp.html(b, x.path) for b in trainer_blocks(x.body)]}
              for x in (*course.pages, *course.readings)]  # their trainer blocks: only here
    others = [x for x in others if x["blocks"]]
    book("guide.html", layout.trainers_guide(course), t("trainers_guide"),
         ["agenda", *(f"module-{m.id}" for m in course.modules), *(["others"] if others else []), "checklist"],
         agenda=_agenda_view(course, t), modules=[viewed(gp, m, "guide") for m in course.modules],
         checklist=_checklist(course, t), others=others)
    return jobs


@dataclass(frozen=True)
class Binding:
    """What every chapter of an assembled document is rendered with."""

    env: Environment  # the PDF templates
    base: dict  # the values every page of the document is given
    css: tuple[str, ...]
    allowed: tuple[str, ...]  # the folders its files may come from
    base_url: str
    cache: Path  # the jobs' results (the assembly renders its front and stamp there)
    ids: set[str]  # the modules' ids (answers are numbered per module)

    def job(self, html: str, out: Path, extra: tuple[Path, ...] = ()) -> Job:
        """A job writing the PDF of `html` to `out`; what it reads besides: the stylesheets, the
        images it embeds, `extra`."""
        return Job(write_pdf, (html, self.base_url, self.css, self.allowed), out,
                   deps=(*map(Path, self.css), *_images(html), *extra), cost=len(html))


def book_jobs(b: Binding, template: str, out: Path, chapters_at: Path, title: str, chapters: list[str],
              values: dict, keep: Callable[[str, Callable[[], str]], str] | None = None) -> list[Job]:
    """A document assembled from chapters (`template` renders one when given `chapter`: "front"
    for the cover and contents, then each of `chapters`): a job per chapter, written to
    `chapters_at-CHAPTER.pdf`, and one that assembles them into `out`. Editing a module
    re-renders its chapter, then the (cheap) assembly. `keep(chapter, make)`: a chapter's HTML,
    kept between builds."""
    def page(chapter: str) -> str:
        # a chapter's page gets its own module (or page) only; the front's contents lists them all
        own = values if chapter == "front" else {
            **values, "modules": [m for m in values.get("modules", []) if f"module-{m['id']}" == chapter],
            "pages": [p for p in values.get("pages", []) if f"page-{p['slug']}" == chapter]}
        return for_print(b.env.get_template(template).render(**{**b.base, "chapter": chapter}, title=title,
                                                             part="chapter", last_chapter=chapter == chapters[-1],
                                                             **own))

    def kept(chapter: str) -> str:
        """A chapter's page, its links to the other chapters marked (the answers' numbers are
        text: marking first gives the same page); the front's once its page numbers are in."""
        if chapter == "front":
            return page(chapter)
        def make() -> str:
            return chapter_links(page(chapter))
        return keep(chapter, make) if keep else make()
    # answers numbered across the whole (VI.1 … in reading order), then cut into chapters
    front, *parts = _number_answers(CUT.join(map(kept, ["front", *chapters])), b.ids).split(CUT)
    after = tuple(b.job(html, chapters_at.with_name(f"{chapters_at.name}-{name}.pdf"))
                  for name, html in zip(chapters, parts, strict=True))
    stamp = b.env.get_template("stamp.html").render(**b.base, title=title, part="stamp")
    assert STAMP_PAGES in stamp
    return [*after, Job(assemble, (chapter_links(front), stamp, b.base_url, b.css, b.allowed, str(b.cache)), out,
                        deps=(*map(Path, b.css), *_images(front)), after=after,
                        cost=sum(j.cost for j in after))]  # ready last, and the whole book waits for it: first


def _answers(p: Printer) -> list[dict]:
    """The solutions a participant document moved to its end (`solutions: end`)."""
    return [{"key": a.key, "html": a.html,
             "label": p.t("answer_to", n=f"@@answer:{a.key}@@", heading=a.heading)} for a in p.answers]


def _number_answers(html: str, module_ids: set[str]) -> str:
    """Number the answers in reading order — VI.1, VI.2 … per module, 1, 2 … per page or
    reading — now that the document is assembled (embedded activities come mid-text)."""
    counters: dict[str, int] = {}
    numbers: dict[str, str] = {}

    def number(m: re.Match) -> str:
        key = m[1]
        if key not in numbers:
            group = key.rsplit("-", 1)[0]
            counters[group] = counters.get(group, 0) + 1
            numbers[key] = f"{group}.{counters[group]}" if group in module_ids else str(counters[group])
        return numbers[key]
    return ANSWER_MARK.sub(number, html)


def _images(html: str) -> list[Path]:
    """Image files an HTML document embeds, so that changing one re-renders the PDF."""
    from urllib.parse import unquote, urlparse

    urls = [m[2] for m in SRC.finditer(html)] + BACKGROUND.findall(html)  # decorative_backgrounds
    return [Path(unquote(urlparse(u).path)) for u in urls if u.startswith("file:")]
