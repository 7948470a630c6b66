"""Render stage: the workshops in the site. Per edition, a page per workshop delivered in it
(`workshops/<slug>.md`: dates with weekdays, venue, organiser, trainers, the dated agenda,
links to its modules' pages, handouts and decks, its calendar and its public PDFs), the
calendar itself (`workshops/<slug>.ics`) and an index (`workshops/index.md`).

Participants never reach the site: nothing here reads `Workshop.participants` (a test builds
the examples and looks for every name and email in every file of the site, zip included).
Every value is escaped (`sanitize.esc`), as on every other page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from .. import layout
from ..context import Context
from ..i18n import Strings
from ..model import Course
from ..sanitize import esc
from ..workshop import Workshop, WorkshopDay
from ..write import put, written
from . import workshop_ics
from .links import rel
from .site_pages import END_TIMETABLE, TIMETABLE, TRAINER_LINK, duration

INDEX = "workshops/index.md"
# the public PDFs the workshop renderer writes into docs/workshops/<slug>/ (workshop_pdf.public_jobs)
PDFS = (("workshop_pack", "pack.pdf"), ("sign_in_sheet", "sign-in.pdf"),
        ("evaluation_form", "evaluation.pdf"))
GUIDE = "trainers-guide.pdf"


def page_path(w: Workshop) -> str:
    return f"workshops/{w.slug}.md"


def ics_path(w: Workshop) -> str:
    return f"workshops/{w.slug}.ics"


def _locale(lang: str) -> str:
    """Babel's name for a language code (`pt-BR` → `pt_BR`); English when CLDR lacks it."""
    try:
        return str(Locale.parse(lang.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        return "en"


def long_date(d: date, lang: str) -> str:
    """`Wednesday, March 31, 2027` / `miércoles, 31 de marzo de 2027`: weekday and date in
    the page's language, written by Babel (CLDR)."""
    return format_date(d, "full", locale=_locale(lang))


def dates(w: Workshop, lang: str) -> str:
    first, last = w.days[0].date, w.days[-1].date
    if first == last:
        return long_date(first, lang)
    return " – ".join(long_date(d, lang) for d in (first, last))


def _language_name(code: str, in_lang: str) -> str:
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(_locale(in_lang)) or code
    except (UnknownLocaleError, ValueError):
        return code


def _day(w: Workshop, day: WorkshopDay, course: Course, t: Strings, page: str) -> list[str]:
    out = [f"## {esc(t('workshop_day', n=day.number, date=long_date(day.date, course.lang)))}\n",
           f"{TIMETABLE}| {t('time')} | {t('session')} | {t('duration')} |\n|---|---|---|"]
    for slot in day.slots:
        span = f"{slot.start:%H:%M}–{slot.end:%H:%M}"
        minutes = duration(int((slot.end - slot.start).total_seconds() // 60), t)
        module = course.module(slot.module_id) if slot.module_id else None
        if slot.kind == "break" or module is None:
            out.append(f"| {span} | *{esc(slot.title)}* | {minutes} |")
            continue
        target = rel(page, layout.module_page(module))
        if slot.activity_slug:
            title = f"{t('activity')}: [{esc(slot.title)}]({target}#activity-{slot.activity_slug})"
        else:
            title = f"**[{module.id}. {esc(module.title)}]({target})**"
        out.append(f"| {span} | {title}{' (…)' if slot.continued else ''} | {minutes} |")
    out.append(END_TIMETABLE)
    return out


def page(w: Workshop, course: Course, t: Strings, docs: Path, made: Callable[[Path], bool] = Path.exists) -> str:
    """The workshop's page in the edition `course` (its own language, or the source edition
    with the usual notice when the course is not translated into it)."""
    path = page_path(w)
    out = [f"# {esc(w.title)}\n"]
    if w.fallback:
        notice = t("fallback_notice", language=_language_name(w.lang, course.lang),
                   source=t("language_name"))
        out.append(f'!!! info ""\n    {esc(notice)}\n')
    facts = [(t("workshop_dates"), esc(dates(w, course.lang))),
             (t("workshop_venue"), esc(", ".join(x for x in (w.venue, w.city) if x))),
             (t("workshop_organiser"), esc(w.organiser)),
             (t("workshop_trainers"), esc(", ".join(w.trainers)))]
    out.append("\n".join(f"- **{k}:** {v}" for k, v in facts if v) + "\n")
    links = [f"[{t('workshop_calendar')}]({rel(path, ics_path(w))})"]
    folder = f"workshops/{w.slug}"
    links += [f"[{t(key)}]({rel(path, f'{folder}/{name}')})" for key, name in PDFS
              if made(docs / folder / name)]
    if made(docs / folder / GUIDE):
        links.append(f"[{t('trainers_guide')}]({rel(path, f'{folder}/{GUIDE}')}){TRAINER_LINK}")
    out.append(" · ".join(links) + "\n")
    out.append(esc(t("workshop_times", timezone=w.timezone)) + "\n")
    for day in w.days:
        out += _day(w, day, course, t, path)
    out.append(f"## {t('modules')}\n")
    for m in course.modules:
        items = [f"[{m.id}. {esc(m.title)}]({rel(path, layout.module_page(m))})"]
        items += [f"[{t(key)}]({rel(path, target)})" for key, target in
                  (("handout", layout.handout(m)), ("deck_html", layout.deck_html(m)),
                   ("deck_pdf", layout.deck_pdf(m)), ("deck_pptx", layout.deck_pptx(m)))
                  if made(docs / target)]
        out.append(f"- {items[0]} — {duration(m.minutes, t)}"
                   + (" · " + " · ".join(items[1:]) if items[1:] else ""))
    return "\n".join(out) + "\n"


def index(workshops: list[Workshop], course: Course, t: Strings) -> str:
    out = [f"# {t('workshops')}\n"]
    for w in sorted(workshops, key=lambda w: (w.start_date, w.slug)):
        where = esc(w.city or w.venue)
        out.append(f"- **[{esc(w.title)}]({w.slug}.md)** — {esc(dates(w, course.lang))}"
                   + (f" · {where}" if where else ""))
    return "\n".join(out) + "\n"


def write_source(workshops: list[Workshop], course: Course, ctx: Context, docs: Path) -> None:
    """The pages and calendars of the workshops delivered in this edition, into its site
    source `docs`. Call it before `site.write_source`, whose navigation lists the index
    when it exists (`nav`)."""
    mine = [w for w in workshops if w.course.lang == course.lang]
    if not mine:
        return
    t = ctx.strings(course)
    for w in mine:
        put(docs / page_path(w), page(w, w.course, t, docs, ctx.made))
        put(docs / ics_path(w), workshop_ics.calendar(w, t))
    put(docs / INDEX, index(mine, course, t))


def nav(docs: Path, t: Strings) -> list:
    """The navigation entry of the workshops' index, when this edition has workshops."""
    return [{t("workshops"): INDEX}] if written(docs / INDEX) else []

