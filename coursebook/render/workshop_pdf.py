"""Render stage: a workshop's PDFs (`workshops/<slug>.yml`). Public, into the edition's site
source (`docs/workshops/<slug>/`): the workshop pack (cover, dated agenda, the included
modules' handouts, blank sign-in sheets, the evaluation form), the blank sign-in sheets, the
evaluation form and the trainer's guide for this workshop. Private, into the trainer's own
folder (`private/<slug>/`, never published): sign-in sheets with the participants' names and
their certificates of attendance.

The handouts and the guide come from `pdf.py`'s printer, views and templates; the jobs are
written as `pdf.render` writes them (`pdf_write.write_pdf`, confined, cached by content)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from markupsafe import Markup

from ..context import Context
from ..files import course_pages
from ..highlight import for_print, write_css
from ..i18n import Strings, direction
from ..jobs import Job
from ..markdown import trainer_blocks
from ..refs import Ref
from ..sanitize import esc
from ..workshop import Workshop
from . import workshop_views as views
from .assets import figure_modules
from .pdf import Binding, Printer, _answers, _number_answers, _page_of, book_jobs, module_view
from .pdf_write import build_date

Add = Callable[..., None]  # add(template, file name, title, **values): one job


class WorkshopPrinter(Printer):
    """`pdf.Printer` for a workshop's course, which holds only the workshop's modules: a
    reference to a module or activity the workshop leaves out prints as text (its label, else
    "Module DA"), not as a link nor an error."""

    def _ref(self, ref: Ref) -> str:
        c = self.course
        find = {"module": c.module, "activity": c.activity, "reading": c.reading, "page": c.page}.get(ref.kind)
        if find is not None and find(ref.key) is None:
            return ref.label or esc(f"{self.t('module')} {ref.key}" if ref.kind == "module" else ref.key)
        return super()._ref(ref)


def public_jobs(workshop: Workshop, ctx: Context, docs: Path) -> list[Job]:
    """The jobs that write the workshop's public PDFs into `docs/workshops/<slug>/`. No
    participant's name or email is in them: the sign-in sheets are blank."""
    jobs: list[Job] = []
    folder = docs / "workshops" / workshop.slug
    add, t, bound = _writer(workshop, ctx, folder, jobs)
    w, course = workshop, workshop.course
    c = course.config
    sheets = views.sign_in_days(w, None)
    form = views.evaluation(course, t)
    anchors = ({f"module-{m.id}" for m in course.modules}
               | {f"activity-{a.slug}" for m in course.modules for a in m.activities})
    shared = {"pages": course_pages(course), "figures": figure_modules(course)}
    pp = WorkshopPrinter(course, ctx, anchors, c.solutions, **shared)
    modules = [module_view(pp, m, trainer=False) for m in course.modules]
    answers = _answers(pp)
    agenda = views.agenda_view(w, t)
    chapters = docs.parent / "chapters"  # beside the workbook's
    jobs += book_jobs(bound, "workshop-pack.html", folder / "pack.pdf", chapters / f"workshop-{w.slug}-pack",
                      t("workshop_pack"), ["agenda", *(f"module-{m.id}" for m in course.modules),
                                           *(["answers"] if answers else []), *(["sign-in"] if sheets else []),
                                           "evaluation"],
                      {"agenda": agenda, "modules": modules, "answers": answers, "sheets": sheets,
                       "form": form})
    add("workshop-sign-in.html", "sign-in.pdf", t("sign_in_sheet"), sheets=sheets)
    add("workshop-evaluation.html", "evaluation.pdf", t("evaluation_form"), form=form)
    gp = WorkshopPrinter(course, ctx, anchors, trainer=True, **shared)
    others = [{"title": x.title, "blocks": [gp.html(b, x.path) for b in trainer_blocks(x.body)]}
              for x in (*course.pages, *course.readings)]  # their trainer blocks, as in the guide
    others = [x for x in others if x["blocks"]]
    guide = chapters / f"workshop-{w.slug}-guide"
    jobs += book_jobs(bound, "workshop-guide.html", folder / "trainers-guide.pdf", guide,
                      t("trainers_guide"), ["agenda", *(f"module-{m.id}" for m in course.modules),
                                            *(["others"] if others else []), "checklist"],
                      {"agenda": agenda, "modules": [module_view(gp, m, trainer=True)
                                                                     for m in course.modules],
                       "checklist": views.checklist(w, t), "others": others})
    return jobs


def private_jobs(workshop: Workshop, ctx: Context, out_dir: Path) -> list[Job]:
    """The jobs that write the trainer's private PDFs into `out_dir` (`private/<slug>/`, which
    git ignores): sign-in sheets with the participants' names, in the order given, and one
    certificate of attendance per participant. Nothing when there is no participant list."""
    jobs: list[Job] = []
    if not workshop.participants:
        return jobs
    add, t, _ = _writer(workshop, ctx, out_dir, jobs)
    add("workshop-sign-in.html", "sign-in.pdf", t("sign_in_sheet"),
        sheets=views.sign_in_days(workshop, workshop.participants))
    add("workshop-certificate.html", "certificates.pdf", t("certificate"),
        people=[p.name for p in workshop.participants])
    return jobs


def _writer(w: Workshop, ctx: Context, folder: Path, jobs: list[Job]) -> tuple[Add, Strings, Binding]:
    """`add(template, name, title, **values)`: a job writing `folder/name` from a template of
    `theme/pdf/`, with what every workshop PDF shows (the workshop's facts, the logo); and
    the same for a document assembled from chapters (`pdf.book_jobs`)."""
    course = w.course
    t = ctx.strings(course)
    env = ctx.templates("pdf")
    c = course.config
    logo = _logo(ctx, c.organisation.logo)
    base = {"course": c, "lang": course.lang, "dir": direction(course.lang), "t": t,
            "date": build_date(), "paper": c.paper, "page_of": _page_of(t),
            "source_name": Strings(ctx.root, c.language, c.language)("language_name"),
            "source_dir": direction(c.language),
            "footer": " · ".join([w.title, t("licence", licence=c.licence), t("version", version=c.version)]),
            "workshop": views.facts(w, t), "logo": logo.as_uri() if logo else ""}
    base["running"] = {"course": css_string(c.title), "footer": css_string(base["footer"])}
    css = tuple(str(x) for x in (ctx.theme_file("pdf/print.css"), ctx.theme_file("pdf/workshop.css"),
                                 write_css(ctx.build_dir)))
    allowed = tuple(str(x) for x in (ctx.root, *ctx.theme_dirs, ctx.build_dir))
    ids = {m.id for m in course.modules}
    bound = Binding(env, base, css, allowed, folder.as_uri() + "/", ctx.build_dir / "cache", ids)

    def add(template: str, name: str, title: str, **values: object) -> None:
        html = for_print(env.get_template(template).render(**base, title=title, **values))  # maths, code
        jobs.append(bound.job(_number_answers(html, ids), folder / name, (logo,) if logo else ()))
    return add, t, bound


def css_string(text: str) -> Markup:
    """A CSS string literal holding `text` as it reads: every character that could end the
    string, the rule or the `<style>` element is a hex escape, ended by a space that CSS
    consumes (so that a space after it stays). (layout.html writes the running
    header and footer autoescaped for HTML, which CSS does not decode: "R&D" printed "R&amp;D".)"""
    return Markup('"' + "".join(ch if ch.isalnum() or ch in " .,:;!?()[]{}+-_/·—–'" else f"\\{ord(ch):x} "
                                for ch in text) + '"')


def _logo(ctx: Context, rel: str | None) -> Path | None:
    """The organisation's logo (course.yml), when it is a file in the repository."""
    if not rel:
        return None
    path = (ctx.root / rel).resolve()
    return path if path.is_file() and path.is_relative_to(ctx.root.resolve()) else None
