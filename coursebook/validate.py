"""Stage 2, validate: typed metadata for every file, then checks across the whole course.

Every problem becomes a diagnostic with `file:line`, what is wrong and how to fix it;
nothing stops at the first one.
"""

from __future__ import annotations

import re
import types
import typing
from functools import partial
from itertools import chain
from pathlib import Path

from pydantic import BaseModel, ValidationError

from . import embed, glossary, sanitize, schema
from .agenda import compute_agenda, hhmm
from .diagnostics import Problem, Recorder, Report, did_you_mean, replay
from .files import blank_code, check_links, course_pages
from .i18n import Strings
from .load import Localized, SourceFile, Sources
from .maths import check_maths
from .memo import remember
from .model import Course
from .refs import KINDS, find_refs
from .validate_config import check_config, unmodelled_texts

HINTS = {
    "int_parsing": "write a whole number, e.g. 30",
    "int_type": "write a whole number, e.g. 30",
    "string_type": "write text (quote it if it starts with a special character)",
    "list_type": "write a list: one '- item' per line",
    "model_type": "write a mapping: 'key: value' lines indented under it",
    "literal_error": "",
    "greater_than": "",
    "less_than_equal": "a slipped digit? the limits are in AUTHORING.md, 'Limits'",
    "string_pattern_mismatch": "use letters and digits only, e.g. VI",
}
HEADING_LINE = re.compile(r"^(#{1,6})\s+\S")
LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(")
VAGUE_LINKS = {"click here", "here", "link", "read more", "more", "this link", "click", "this"}


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The schema that holds the key at `loc`, to suggest its valid keys."""
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        found = None
        for t in _flatten(field.annotation):
            if isinstance(t, type) and issubclass(t, BaseModel):
                found = t
        if found is None:
            return None
        model = found
    return model


def _flatten(tp) -> list:
    args = typing.get_args(tp)
    if not args:
        return [tp]
    out = []
    for a in args:
        out += _flatten(a)
    if typing.get_origin(tp) not in (typing.Union, types.UnionType, list, dict):
        out.append(tp)
    return out


def typed(sf: SourceFile, model: type[BaseModel], report: Report) -> BaseModel | None:
    """Validate a file's metadata against its schema; report every error with its line.

    After errors, the file is validated again without its faulty top-level keys, so the
    checks across files (duplicate ids, references) still see it and report in the same run.
    """
    if sf.broken:
        return None
    # kept between runs per schema and metadata (repr: YAML's plain types, each shown with its
    # type), so `check` builds only the schemas of edited files; a file with errors is validated
    # again below to report them
    name = f"{model.__module__}.{model.__qualname__}"
    sf.data = remember("typed", (name, repr(sf.meta)), partial(_valid, model, sf.meta))
    if sf.data is not None:
        return sf.data
    try:
        sf.data = model.model_validate(sf.meta)
    except ValidationError as exc:
        _report(sf, model, exc, report)
        bad = {err["loc"][0] for err in exc.errors() if err["type"] != "missing"}
        try:
            sf.data = model.model_validate({k: v for k, v in sf.meta.items() if k not in bad})
        except ValidationError:
            sf.data = None
    return sf.data


def _valid(model: type[BaseModel], meta: dict) -> BaseModel | None:
    try:
        return model.model_validate(meta)
    except ValidationError:
        return None


def _report(sf: SourceFile, model: type[BaseModel], exc: ValidationError, report: Report) -> None:
        for err in exc.errors():
            loc = tuple(err["loc"])
            key = ".".join(str(x) for x in loc)
            if err["type"] == "extra_forbidden":
                parent = _model_at(model, loc[:-1])
                hint = did_you_mean(str(loc[-1]), parent.model_fields if parent else [])
                report.error(sf.path, sf.line_of(*loc), f"unknown key '{key}'", hint)
            elif err["type"] == "missing":
                report.error(sf.path, sf.line_of(*loc[:-1]), f"missing required key '{key}'",
                             f"add '{loc[-1]}: …' (see AUTHORING.md)")
            else:
                msg = err["msg"].removeprefix("Value error, ")
                value = err.get("input")
                shown = f" (got {value!r})" if not isinstance(value, dict | list) else ""
                report.error(sf.path, sf.line_of(*loc), f"'{key}': {msg}{shown}",
                             HINTS.get(err["type"], ""))


def _typed_localized(loc: Localized | None, model, translation, report: Report) -> None:
    if loc is None:
        return
    typed(loc.source, model, report)
    for tr in loc.translations.values():
        typed(tr, translation, report)


def validate_files(sources: Sources, report: Report) -> None:
    """Give every loaded file its typed metadata (`SourceFile.data`)."""
    if sources.course:
        typed(sources.course, schema.CourseConfig, report)
    for tr in sources.course_translations.values():
        typed(tr, schema.CourseTranslation, report)
    for group in (sources.pages, sources.readings):
        for loc in group.values():
            _typed_localized(loc, schema.PageMeta, schema.PageTranslation, report)
    for mf in sources.modules:
        _typed_localized(mf.module, schema.ModuleMeta, schema.ModuleTranslation, report)
        for loc in mf.activities.values():
            _typed_localized(loc, schema.ActivityMeta, schema.ActivityTranslation, report)
        _typed_localized(mf.notes, schema.NotesMeta, schema.NotesTranslation, report)
        _typed_localized(mf.deck, schema.DeckMeta, schema.DeckTranslation, report)
    for kind, group in (("page", sources.pages), ("reading", sources.readings)):
        sources.failed |= {(kind, k) for k, loc in group.items() if loc.source.data is None}
    for mf in sources.modules:
        sources.failed |= {("activity", k) for k, loc in mf.activities.items() if loc.source.data is None}
        if mf.module is None or mf.module.source.data is None:
            ident = mf.module.source.meta.get("id") if mf.module else None
            sources.failed.add(("module", str(ident) if ident else "*"))
            sources.failed |= {("activity", k) for k in mf.activities}
        elif mf.deck is not None and mf.deck.source.data is None:
            sources.failed.add(("deck", mf.module.source.data.id))
    check_config(sources, report)  # mkdocs.yml, theme/i18n, schedule, language codes
    if "index" not in sources.pages:
        report.warning(sources.root / "course" / "index.md", 0, "the course has no home page",
                       "create course/index.md")


def _texts(course: Course):
    """(path, first line, text) of every piece of Markdown that may hold references."""
    for page in course.pages + course.readings:
        yield page.path, page.body_line, page.body
    for m in course.modules:
        yield m.path, m.body_line, m.body
        for i, reading in enumerate(m.meta.readings):
            yield m.path, m.sf.line_of("readings", i), sanitize.esc_markdown(reading)  # as shown: HTML as text
        for a in m.activities:
            yield a.path, a.body_line, a.body
        if m.notes:
            yield m.notes.path, m.notes.body_line, m.notes.body
            for i, step in enumerate(m.notes.meta.steps):
                yield m.notes.path, m.notes.sf.line_of("steps", i, "do"), sanitize.esc_markdown(step.do)
        for s in m.deck.slides[1:] if m.deck else []:
            yield s.path, s.line, s.body + "\n" + s.notes


def _accessibility(text: str, first: int) -> list[Problem]:
    """`_check_accessibility` of a text but what it shows as code: kept between runs (`memo`)."""
    recorder = Recorder()
    _check_accessibility(blank_code(text), Path(), first, recorder)  # type: ignore[arg-type]
    return recorder.problems


def _check_accessibility(prose: str, path: Path, first: int, report: Report) -> None:
    """Headings that skip a level, an h1 in the body, and link text that says nothing."""
    level = 1  # the page title is the h1
    for i, line in enumerate(prose.split("\n")):
        where = first + i if first else 0
        heading = HEADING_LINE.match(line)
        if heading:
            new = len(heading[1])
            if new == 1:
                report.warning(path, where, "a '#' heading in the text",
                               "the title is the page's only h1; start sections at '##'")
            elif new > level + 1:
                report.warning(path, where, f"heading level skips from h{level} to h{new}",
                               f"use {'#' * (level + 1)} here")
            level = new
        for link in LINK.finditer(line):
            words = re.sub(r"[^\w\s]", "", link[1]).strip().lower()
            if words in VAGUE_LINKS:
                report.warning(path, where, f"link text '{link[1]}' does not say where it goes",
                               "name the destination, e.g. [the activity sheet](…)")


def _unloaded(sources: Sources, kind: str, key: str) -> bool:
    if kind == "slide":
        kind, key = "module", key.rsplit("-", 1)[0]
        if ("deck", key) in sources.failed:
            return True  # the deck's front matter has errors: its slides are not known
    if kind == "module" and ("module", "*") in sources.failed:
        return True  # a module whose id could not be read may be the one meant
    return (kind, key) in sources.failed


def _exists(course: Course, kind: str, key: str) -> bool:
    return getattr(course, kind)(key) is not None


def _choices(course: Course, kind: str) -> list[str]:
    return {
        "slide": [s.id for m in course.modules for s in (m.deck.slides if m.deck else [])],
        "activity": [a.slug for m in course.modules for a in m.activities],
        "module": [m.id for m in course.modules],
        "reading": [p.slug for p in course.readings],
        "page": [p.slug for p in course.pages],
    }[kind]


def _refused_time(m) -> bool:
    """A duration of the module or its activities was refused (and reported): sums made
    without it would only mislead."""
    files = [(m.src, ("minutes", "presentation_minutes"))] + [(a.src, ("minutes",)) for a in m.activities]
    return any(k in sf.meta and sf.meta[k] != getattr(sf.data, k) for sf, keys in files for k in keys)


def _duplicates(items, report: Report, what: str) -> None:
    seen: dict[str, tuple[Path, int]] = {}
    for key, path, line in items:
        if key in seen:
            first = seen[key]
            report.error(path, line, f"duplicate {what} '{key}'",
                         f"already used at {report._rel(first[0])}:{first[1]}; give each a unique {what}")
        else:
            seen[key] = (path, line)


def check_course(course: Course, sources: Sources, report: Report, checked: set | None = None) -> None:
    """Checks across files: unique ids, references, slides, timings, images. `checked` is
    shared by the editions of one run: checks that depend only on a text (maths, headings,
    raw HTML) run once for a text that several editions show unchanged (a fallback, a file
    the model leaves out); those that depend on the edition (references, its own images)
    run for each."""
    checked = set() if checked is None else checked
    _duplicates(((m.id, m.src.path, m.src.line_of("id")) for m in course.modules),
                report, "module id")
    _duplicates(((a.slug, a.path, 1) for m in course.modules for a in m.activities),
                report, "activity slug")
    _duplicates(((s.id, s.path, s.line) for m in course.modules
                 for s in (m.deck.slides[1:] if m.deck else [])), report, "slide id")
    embed.check(course, report)  # [[embed:slug]]: known, own module's, once, a paragraph

    pages = course_pages(course)  # where each course file is published, for links to them
    for path, first, text in chain(_texts(course), unmodelled_texts(sources, report)):
        for ref in find_refs(text):
            if report.full(path):
                break  # a runaway file: the rest would not be shown
            line = first + ref.line if first else 0
            if ref.kind not in KINDS:
                report.error(path, line, f"unknown reference kind '{ref.kind}'",
                             did_you_mean(ref.kind, KINDS))
            elif _unloaded(sources, ref.kind, ref.key):
                continue  # its file has errors of its own, already reported
            elif not _exists(course, ref.kind, ref.key):
                report.error(path, line, f"broken reference [[{ref.kind}:{ref.key}]]: "
                             f"no {ref.kind} '{ref.key}'", did_you_mean(ref.key, _choices(course, ref.kind)))
        check_links(course, path, first, text, report, pages)  # images, links, raw <img>, [ref]: path
        if (path, first, text) in checked:
            continue  # shown unchanged by an edition already checked
        checked.add((path, first, text))
        replay(report, path, remember("accessibility", (str(first), text),
                                      partial(_accessibility, text, first)))
        check_maths(text, path, first, report, course.root)  # formulas the PDFs can draw
    sanitize.check_course(course, report, checked)  # raw HTML, attributes and links outside the allowlist

    for m in course.modules:
        for a in m.activities:
            if a.meta.minutes is None and "minutes" not in a.src.meta:  # else: refused, reported
                report.warning(a.src.path, 1, f"activity '{a.slug}' has no minutes",
                               "add 'minutes: N' so the agenda can count it")
            if a.meta.slide and not course.slide(a.meta.slide) \
                    and not _unloaded(sources, "slide", a.meta.slide):
                report.error(a.src.path, a.src.line_of("slide"),
                             f"activity slide '{a.meta.slide}' does not exist",
                             did_you_mean(a.meta.slide, _choices(course, "slide")))
        if m.meta.minutes and m.meta.minutes < m.parts_minutes:
            report.warning(m.src.path, m.src.line_of("minutes"),
                           f"module {m.id} is given {m.meta.minutes} minutes but its parts take "
                           f"{m.parts_minutes}", "raise 'minutes' or remove it")
        if m.notes:
            slugs = [a.slug for a in m.activities]
            for i, step in enumerate(m.notes.meta.steps):
                if step.activity and step.activity not in slugs \
                        and ("activity", step.activity) not in sources.failed:
                    report.error(m.notes.src.path, m.notes.src.line_of("steps", i, "activity"),
                                 f"step runs activity '{step.activity}', which module {m.id} does not have",
                                 did_you_mean(step.activity, slugs))
            total = sum(s.minutes for s in m.notes.meta.steps)
            incomplete = any(("activity", s.activity) in sources.failed for s in m.notes.meta.steps)
            if m.notes.meta.steps and total != m.minutes and not incomplete and not _refused_time(m):
                report.warning(m.notes.src.path, m.notes.src.line_of("steps"),
                               f"facilitation steps take {total} minutes, module {m.id} takes {m.minutes}",
                               "make the steps' minutes add up to the module's")
    if not course.is_source:
        glossary.check(sources, course.lang, report)  # agreed terms, course/glossary.yml (issue #18)
        missing = Strings(course.root, course.lang, course.config.language).missing()
        if missing:
            report.warning(course.root / "theme" / "i18n" / f"{course.lang}.yml", 0,
                           f"{len(missing)} interface string(s) not translated into '{course.lang}': "
                           + ", ".join(missing), "add them; meanwhile the source language shows")
    for day in compute_agenda(course) if ("schedule", "*") not in sources.failed else ():
        if day.overrun:
            report.warning(sources.course.path if sources.course else "course/course.yml",
                           sources.course.line_of("schedule", "days", day.number - 1, "end")
                           if sources.course else 0,
                           f"day {day.number} runs until {hhmm(day.finish)}, {day.overrun} minutes "
                           f"past its end {hhmm(day.end)}",
                           "shorten modules, or add time or a day to the schedule")

