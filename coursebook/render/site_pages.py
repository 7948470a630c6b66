"""The Markdown pages of one language's site: home, agenda, modules, trainer view,
readings, downloads. Each function returns the page's Markdown; `site.py` writes them."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path
from urllib.parse import quote

from .. import embed, layout
from ..agenda import AgendaDay, compute_agenda, hhmm
from ..deck import Slide
from ..i18n import Strings, direction
from ..markdown import trainer_blocks, trainer_view
from ..model import Activity, Course, Module, Page, Text
from ..sanitize import esc, esc_markdown
from ..write import written
from .assets import data_files
from .links import rel, resolve

# A link to a trainer page or the trainer's guide: the offline zip, made for participants,
# leaves these out (site_offline.py), as it leaves out the trainer pages themselves
TRAINER_LINK = "{: .trainer-link }"
SITE_ONLY = "{: .site-only }"  # a link the zip leaves out: the one to the zip itself


def duration(minutes: int, t: Strings) -> str:
    h, m = divmod(minutes, 60)
    if h and not m:
        return t("hours", h=h)
    return t("hours_minutes", h=h, m=m) if h else t("minutes", n=m)


def fallback(text: Text, course: Course, t: Strings, body: str) -> str:
    """Untranslated text: a visible notice, and the text marked with its real language."""
    if not text.fallback:
        return body
    src = course.config.language
    notice = t("fallback_notice", language=t("language_name"), source=Strings(
        course.root, src, src)("language_name"))
    return f'!!! info ""\n    {notice}\n\n' + _in_source_language(text, course, body)


def bullets(items: list[str], course: Course, page: str, t: Strings) -> str:
    return "\n".join(f"- {resolve(esc_markdown(x), course, page, t)}" for x in items) + "\n"


def home(course: Course, page: Page | None, t: Strings) -> str:
    c = course.config
    out = [f"# {esc(page.title if page else c.title)}\n"]
    if c.subtitle:
        out.append(f"*{esc(c.subtitle)}*\n")
    facts = [f"**{t('audience')}:** {esc(c.audience)}"] if c.audience else []
    facts.append(f"**{t('duration')}:** {duration(course.minutes, t)} ([{t('agenda')}](agenda.md))")
    out.append(" · ".join(facts) + "\n")
    if page:
        out.append(fallback(page, course, t, resolve(page.body, course, "index.md", t)))
    out.append(f"\n## {t('modules')}\n")
    out += [f"- [{m.id}. {esc(m.title)}]({layout.module_page(m)}) — {duration(m.minutes, t)}"
            for m in course.modules]
    links = [f"[{t('agenda')}](agenda.md)"]
    if course.readings:
        links.append(f"[{t('readings_and_cases')}](readings/index.md)")
    links += [f"[{t('trainer_view')}](trainer/index.md){TRAINER_LINK}", f"[{t('downloads')}](downloads.md)"]
    out.append("\n" + " · ".join(links) + "\n")
    return "\n".join(out)


def course_page(course: Course, page: Page, t: Strings) -> str:
    path = layout.course_page(page) if page.kind == "page" else layout.reading_page(page)
    head = f"# {esc(page.title)}\n\n"
    if page.meta.summary:
        head += f"*{esc(page.meta.summary)}*\n\n"
    return head + fallback(page, course, t, resolve(page.body, course, path, t))


# Tables of times are wrapped so that the CSS keeps their time columns on one line
TIMETABLE = '<div class="timetable" markdown="1">\n\n'
END_TIMETABLE = "\n</div>\n"


def agenda(course: Course, t: Strings) -> str:
    out = [f"# {t('agenda')}\n"]
    for day in compute_agenda(course):
        out += _agenda_day(course, day, t, "agenda.md")
    return "\n".join(out)


def _agenda_day(course: Course, day: AgendaDay, t: Strings, page: str) -> list[str]:
    out = [f"## {t('day', n=day.number)}\n"]
    if day.overrun:
        out.append(f'!!! warning ""\n    {t("overrun", end=hhmm(day.end), n=day.overrun)}\n')
    out.append(f"{TIMETABLE}| {t('time')} | {t('session')} | {t('duration')} |\n|---|---|---|")
    for slot in day.slots:
        if slot.kind == "break":
            out.append(f"| {slot.time} | *{esc(slot.title)}* | {duration(slot.minutes, t)} |")
            continue
        m = slot.module
        target = layout.module_page(m)
        if slot.activity:
            target += f"#activity-{slot.activity.slug}"
            title = f"{t('activity')}: [{esc(slot.title)}]({rel(page, target)})"
        else:
            title = f"**[{m.id}. {esc(m.title)}]({rel(page, target)})**"
        cont = " (…)" if slot.continued else ""
        out.append(f"| {slot.time} | {title}{cont} | {duration(slot.minutes, t)} |")
    out.append(END_TIMETABLE)
    teaching = sum(s.minutes for s in day.slots if s.kind == "session")
    out.append(f"\n{t('total')}: {duration(teaching, t)} ({hhmm(day.start)}–{hhmm(day.finish)})\n")
    return out


def _activity_facts(a: Activity, t: Strings) -> list[str]:
    """The activity's facts as an admonition, kept apart from its instructions."""
    facts = [(t("grouping"), a.meta.grouping), (t("materials"), ", ".join(a.meta.materials)),
             (t("output"), a.meta.output)]
    minutes = duration(a.minutes, t) if a.meta.minutes else "—"
    lines = [f"    - **{k}:** {esc(v)}" for k, v in facts if v]
    return [f'!!! abstract "{t("activity")} · {minutes}"', *lines, ""]


def _activity(course: Course, a: Activity, t: Strings, page: str) -> str:
    """An activity as the module page shows it: titled heading (its anchor), facts, text."""
    return "\n".join([f"### {esc(a.title)} {{#activity-{a.slug}}}\n", "\n".join(_activity_facts(a, t)) + "\n",
                      fallback(a, course, t, resolve(a.body, course, page, t))])


def _in_source_language(text: Text, course: Course, body: str) -> str:
    """A further stretch of an untranslated text: marked with its language, no second notice."""
    if not text.fallback:
        return body
    src = course.config.language
    return f'<div lang="{src}" dir="{direction(src)}" markdown="1">\n\n{body}\n\n</div>\n'


def module(course: Course, m: Module, t: Strings, shown: list[str]) -> str:
    """The participant page, with links to the module's files in `shown`. Trainer-only blocks
    stay in this Markdown: the extension `mdx_trainer` (in mkdocs.yml's list) removes them,
    at any depth, as MkDocs renders it."""
    page = layout.module_page(m)
    out = [f"# {m.id}. {esc(m.title)}\n"]
    links = [f"**{t('duration')}:** {duration(m.minutes, t)}"]
    for label, target in downloads_of(m, t):
        if target in shown:
            links.append(f"[{label}]({rel(page, target)})")
    out.append(" · ".join(links) + "\n")
    if m.meta.objectives:
        out.append(f"## {t('objectives')}\n\n" + bullets(m.meta.objectives, course, page, t))
    own = {a.slug: a for a in m.activities}
    texts, embedded = embed.split(m.body, set(own))
    out.append(fallback(m, course, t, resolve(texts[0], course, page, t)))
    for slug, text in zip(embedded, texts[1:], strict=True):
        out.append(_activity(course, own[slug], t, page))
        out.append(_in_source_language(m, course, resolve(text, course, page, t)))
    rest = [a for a in m.activities_in_order if a.slug not in embedded]
    if rest:
        out.append(f"\n## {t('activities')}\n")
    out += [_activity(course, a, t, page) for a in rest]
    if m.meta.key_points:
        out.append(f"\n## {t('key_points')}\n\n" + bullets(m.meta.key_points, course, page, t))
    if m.meta.readings:
        out.append(f"\n## {t('readings')}\n\n" + bullets(m.meta.readings, course, page, t))
    out.append(f"\n---\n\n[{t('trainer_notes')} →]({rel(page, layout.trainer_page(m))}){TRAINER_LINK}\n")
    return "\n".join(out)


def _step_clock(course: Course, m: Module) -> list[str]:
    """Clock time at which each facilitation step starts, following the agenda's slots."""
    slots = [s for d in compute_agenda(course) for s in d.slots if s.module is m]
    times, si, used = [], 0, 0
    for step in m.notes.meta.steps if m.notes else []:
        if si >= len(slots):
            times.append("")
            continue
        times.append(hhmm(slots[si].start + used))
        left = step.minutes
        while si < len(slots) and left > 0:
            room = slots[si].minutes - used
            take = min(room, left)
            left, used = left - take, used + take
            if used >= slots[si].minutes:
                si, used = si + 1, 0
    return times


def slide_cue(course: Course, slide_id: str, page: str, t: Strings) -> str:
    found = course.slide(slide_id)
    return _cue(*found, page, t) if found else slide_id


def _cue(m: Module, slide: Slide, page: str, t: Strings) -> str:
    return f"[▶ {t('show_slide', id=slide.id)}]({rel(page, layout.deck_html(m))}#/{slide.id})"


# Trainer pages stay out of the site's search index: a participant searching the site must not
# find (or see a snippet of) trainer-only text. Trainers reach them from the navigation.
NO_SEARCH = "---\nsearch:\n  exclude: true\n---\n\n"


def trainer(course: Course, m: Module, t: Strings) -> str:
    page = layout.trainer_page(m)
    out = [f"{NO_SEARCH}# {m.id}. {esc(m.title)} — {t('trainer_notes')}\n",
           f"[{t('participant_view')}]({rel(page, layout.module_page(m))}) · "
           f"[{t('open_deck')}]({rel(page, layout.deck_html(m))}) · "
           f"**{t('duration')}:** {duration(m.minutes, t)}\n"]
    notes = m.notes
    if notes:
        prep = [(t("preparation"), duration(notes.meta.preparation_minutes, t)),
                (t("materials"), ", ".join(notes.meta.materials)),
                (t("room_setup"), notes.meta.room_setup),
                (t("copies"), "; ".join(notes.meta.copies))]
        out.append(f"## {t('preparation')}\n\n" + "\n".join(f"- **{k}:** {esc(v)}" for k, v in prep if v) + "\n")
        if notes.meta.steps:
            out.append(f"## {t('facilitation_steps')}\n")
            out.append(f"{TIMETABLE}| {t('time')} | {t('step')} | {t('duration')} |\n|---|---|---|")
            for clock, step in zip(_step_clock(course, m), notes.meta.steps, strict=True):
                text = resolve(esc_markdown(step.do), course, page, t)  # one line, its | escaped
                if step.activity and course.activity(step.activity):
                    a = course.activity(step.activity)
                    text = f"**{t('activity')}: {esc(a.title)}** — {text}"
                out.append(f"| {clock} | {text} | {duration(step.minutes, t)} |")
            out.append(END_TIMETABLE)
        body = trainer_view(resolve(notes.body, course, page, t), t("trainer_only"))
        out.append(fallback(notes, course, t, body))
    # the trainer blocks of the module and its activities, at any depth, in reading order;
    # their class is rewritten (trainer_view) so that the Markdown extension keeps them here
    inline = [b for text in (m, *m.activities_in_order) for b in trainer_blocks(text.body)]
    if inline:
        out.append(f"\n## {t('trainer_only')}\n")
        out += [trainer_view(resolve(b, course, page, t), t("trainer_only")) + "\n" for b in inline]
    if m.activities:
        out.append(f"\n## {t('activities')}\n")
    for a in m.activities_in_order:
        out.append(f"### {esc(a.title)}\n")
        instructions = rel(page, layout.module_page(m)) + f"#activity-{a.slug}"
        out.append(f"[{t('participant_view')}]({instructions})\n")
        facts = _activity_facts(a, t)
        if a.meta.slide:
            facts.insert(-1, f"    - {slide_cue(course, a.meta.slide, page, t)}")
        out.append("\n".join(facts))
    if m.deck:
        out.append(f"\n## {t('slides')}\n")
        for s in m.deck.slides:  # the title slide's title is metadata
            out.append(f"- {_cue(m, s, page, t)} — {esc(s.title) if s.layout == 'title' else s.title}")  # no lookup
            out += [textwrap.indent("\n" + trainer_view(resolve(b, course, page, t), t("trainer_only")) + "\n", "    ")
                    for b in trainer_blocks(s.body)]  # the slide's trainer-only blocks
    return "\n".join(out) + "\n"


def checklist(course: Course, t: Strings) -> str:
    page = "trainer/index.md"
    out = [f"{NO_SEARCH}# {t('preparation_checklist')}\n",
           f"[{t('agenda')}]({rel(page, 'agenda.md')}) · "
           f"[{t('trainers_guide')}]({rel(page, layout.trainers_guide(course))})\n"]
    materials: dict[str, list[str]] = {}  # item -> the modules that need it
    copies: list[str] = []
    total = 0
    out.append(f"| {t('module')} | {t('preparation')} | {t('room_setup')} | {t('copies')} |")
    out.append("|---|---|---|---|")
    for m in course.modules:
        n = m.notes.meta if m.notes else None
        link = f"[{m.id}. {esc(m.title)}]({rel(page, layout.trainer_page(m))})"
        if n is None:
            out.append(f"| {link} | — | — | — |")
            continue
        total += n.preparation_minutes
        for item in [*n.materials, *(x for a in m.activities for x in a.meta.materials)]:
            if m.id not in materials.setdefault(item, []):
                materials[item].append(m.id)
        copies += [f"{esc(c)} ({m.id})" for c in n.copies]
        out.append(f"| {link} | {duration(n.preparation_minutes, t)} | {esc(n.room_setup) or '—'} | "
                   f"{esc('; '.join(n.copies)) or '—'} |")
    out.append(f"\n**{t('total')}:** {duration(total, t)}\n")
    needed = [f"{esc(item)} ({', '.join(ids)})" for item, ids in materials.items()]
    for title, items in ((t("materials"), needed), (t("copies"), copies)):
        boxes = "\n".join(f"- {x}" for x in items)  # drawn as boxes to tick (course.css)
        out.append(f'## {title}\n\n<div class="checklist" markdown="1">\n\n{boxes}\n\n</div>\n')
    return "\n".join(out)


def readings_index(course: Course, t: Strings) -> str:
    out = [f"# {t('readings_and_cases')}\n"]
    for p in course.readings:
        region = f" ({esc(p.meta.region)})" if p.meta.region else ""
        summary = f" — {esc(p.meta.summary)}" if p.meta.summary else ""
        out.append(f"- **[{esc(p.title)}]({p.slug}.md)**{region}{summary}")
    return "\n".join(out) + "\n"


def downloads_of(m: Module, t: Strings) -> list[tuple[str, str]]:
    """A module's files to download: its handout and its deck in every format."""
    return [(t("handout"), layout.handout(m)), (t("deck_html"), layout.deck_html(m)),
            (t("deck_pdf"), layout.deck_pdf(m)), (t("deck_handout"), layout.deck_handout(m)),
            (t("deck_pptx"), layout.deck_pptx(m))]


def coming(m: Module, outputs: tuple[str, ...], t: Strings) -> list[str]:
    """The files of `downloads_of` that a complete build making `outputs` writes (the handout;
    the deck in every format, if the module has one): what `serve`'s first preview links before
    they exist, so its pages stay the same when the complete build puts them in."""
    return [target for _, target in downloads_of(m, t)
            if ("pdf" in outputs if target == layout.handout(m) else "slides" in outputs and m.deck is not None)]


def size(path: Path, n: int | None = None) -> str:
    """A file's size as the downloads page shows it (`n`: its bytes, when already known)."""
    n = path.stat().st_size if n is None else n
    return f"{max(1, round(n / 1024))} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"  # never "0 KB"


ZIP_SIZE = "@@offline-zip-size@@"


def size_token(target: str) -> str:
    """A file's size on the downloads page, as written before the file is made: the site is
    built while the render jobs still run, and the sizes are written into the built page after
    (`site_offline.sized`), as the zip's is."""
    return f"@@{hashlib.sha256(target.encode()).hexdigest()[:16]}-size@@"


def made_later(course: Course, t: Strings) -> list[str]:
    """The files of the downloads page that the render jobs make: the books and each module's
    handout and deck (`size_token`)."""
    return [layout.workbook(course), layout.trainers_guide(course),
            *(target for m in course.modules for _, target in downloads_of(m, t))]


def downloads(course: Course, t: Strings, docs: Path) -> str:
    """Every file of this edition that exists, with its size; a list per module (reads well
    on a phone). The zip is made after MkDocs, and the handouts, decks and books while it runs,
    so their sizes are written in then (`ZIP_SIZE`, `size_token`)."""
    later = set(made_later(course, t))

    def item(label: str, target: str) -> str:
        kind = target.rsplit(".", 1)[1].upper() if "." in target.rsplit("/", 1)[-1] else "—"
        mark = TRAINER_LINK if target == layout.trainers_guide(course) else ""
        shown = size_token(target) if target in later else size(docs / target)
        return f"- [{esc(label)}]({quote(target)}){mark} — {kind}, {shown}"

    out = [f"# {t('downloads')}\n"]
    out += [item(label, target) for label, target in ((t("workbook"), layout.workbook(course)),
                                                      (t("trainers_guide"), layout.trainers_guide(course)))
            if written(docs / target)]
    out.append(f"- [{t('offline_zip')}]({layout.offline_zip(course)}){SITE_ONLY} — ZIP, {ZIP_SIZE}")
    out += [item(label, target) for label, target in data_files([*course.pages, *course.readings])]
    out.append("")
    for m in course.modules:
        files = [item(label, target) for label, target in downloads_of(m, t) if written(docs / target)]
        files += [item(label, target) for label, target in data_files([m, *m.activities])]  # linked files
        if files:
            out += [f"## {m.id}. {esc(m.title)}\n", *files, ""]
    if course.coverage:
        out.append(f"## {t('translation_coverage')}\n")
        out.append(f"| {t('language')} | {t('translated')} |\n|---|---|")
        out += [f"| {lang} | {share:.0f}% |" for lang, share in course.coverage.items()]
    return "\n".join(out) + "\n"
