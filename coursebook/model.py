"""Stage 3, model: one typed `Course` per language, every renderer's only input.

A translation replaces the translatable fields and the text of its source; a file with
no translation keeps the source text and is marked `fallback` so outputs can say so.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from . import embed, schema
from .deck import Slide, parse_deck
from .diagnostics import Report
from .load import Localized, SourceFile, Sources


def source_hash(sf: SourceFile) -> str:
    """The version of a source file that a translation records in `translation_of`."""
    return hashlib.sha256(sf.path.read_bytes()).hexdigest()[:12]


@dataclass
class Text:
    """What every content file has: where it came from and in which language."""

    path: Path
    body: str
    body_line: int
    lang: str
    fallback: bool  # True when this language has no translation and shows the source
    src: SourceFile | None = None  # the source-language file: lines of structural keys
    sf: SourceFile | None = None  # the file this text was read from (a translation or src)


@dataclass
class Page(Text):
    slug: str = ""
    meta: schema.PageMeta = None  # type: ignore[assignment]
    kind: str = "page"  # "page" or "reading"

    @property
    def title(self) -> str:
        return self.meta.title


@dataclass
class Activity(Text):
    slug: str = ""
    module_id: str = ""
    meta: schema.ActivityMeta = None  # type: ignore[assignment]

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def minutes(self) -> int:
        return self.meta.minutes or 0


@dataclass
class Notes(Text):
    meta: schema.NotesMeta = None  # type: ignore[assignment]


@dataclass
class Deck(Text):
    title: str = ""
    slides: list[Slide] = field(default_factory=list)


@dataclass
class Module(Text):
    slug: str = ""
    meta: schema.ModuleMeta = None  # type: ignore[assignment]
    order: int = 0
    activities: list[Activity] = field(default_factory=list)
    notes: Notes | None = None
    deck: Deck | None = None

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def title(self) -> str:
        return self.meta.title

    @cached_property
    def _cut(self) -> tuple[list[str], list[str]]:
        """(texts, slugs): the source-language text cut at its embeds of its own activities
        (`embed.split`), made once; what the timetable of every edition follows."""
        body = self.src.body if self.src else self.body
        return embed.split(body, {a.slug for a in self.activities})

    @property
    def embedded(self) -> list[Activity]:
        """Its activities embedded in the text (`[[embed:slug]]`), in the order they occur
        in the source-language text, which every edition's timetable follows."""
        own = {a.slug: a for a in self.activities}
        return [own[s] for s in self._cut[1]]

    @property
    def activities_in_order(self) -> list[Activity]:
        """Activities in the order they run: those embedded, then the rest."""
        embedded = self.embedded
        return embedded + [a for a in self.activities if a not in embedded]

    def presentation_split(self, minutes: int) -> list[int]:
        """`minutes` of presentation shared among the stretches of text before, between and
        after the embedded activities, in proportion to their words (one share without embeds)."""
        return embed.split_minutes(minutes, [embed.words(x) for x in self._cut[0]])

    @property
    def parts_minutes(self) -> int:
        return self.meta.presentation_minutes + sum(a.minutes for a in self.activities)

    @property
    def minutes(self) -> int:
        """The given total, or the sum of the presentation and the activities."""
        return max(self.meta.minutes or 0, self.parts_minutes)


@dataclass
class Course:
    """One language edition of the course."""

    root: Path
    lang: str
    config: schema.CourseConfig
    pages: list[Page]
    readings: list[Page]
    modules: list[Module]
    coverage: dict[str, float] = field(default_factory=dict)  # language -> % of files current
    source_title: str = ""  # the source language's title, whatever this edition's (file names)

    @property
    def is_source(self) -> bool:
        return self.lang == self.config.language

    def module(self, id_: str) -> Module | None:
        return self._index()[0].get(id_)

    def activity(self, slug: str) -> Activity | None:
        return self._index()[1].get(slug)

    def slide(self, id_: str) -> tuple[Module, Slide] | None:
        return self._index()[2].get(id_)

    def _index(self) -> tuple[dict[str, Module], dict[str, Activity], dict[str, tuple[Module, Slide]]]:
        """Modules, activities and slides by id, the first of each id as a walk would find it:
        every page and check looks them up, and walking the course each time grew with its
        square. Made again when `modules` is another list (a workshop's selection)."""
        kept = self.__dict__.get("_lookup")
        if kept is None or kept[0] is not self.modules:
            modules: dict[str, Module] = {}
            activities: dict[str, Activity] = {}
            slides: dict[str, tuple[Module, Slide]] = {}
            for m in self.modules:
                modules.setdefault(m.id, m)
                for a in m.activities:
                    activities.setdefault(a.slug, a)
                for s in m.deck.slides if m.deck else []:
                    slides.setdefault(s.id, (m, s))
            kept = self.__dict__["_lookup"] = (self.modules, (modules, activities, slides))
        return kept[1]

    def reading(self, slug: str) -> Page | None:
        return next((p for p in self.readings if p.slug == slug), None)

    def page(self, slug: str) -> Page | None:
        return next((p for p in self.pages if p.slug == slug), None)

    @property
    def minutes(self) -> int:
        return sum(m.minutes for m in self.modules)


def _pick(loc: Localized, lang: str, source_lang: str):
    """(file to take text from, typed metadata merged with its translation, fallback?)"""
    src = loc.source
    if lang == source_lang:
        return src, src.data, False
    tr = loc.translations.get(lang)
    if tr is None or tr.data is None:
        return src, src.data, True
    # the translated fields are plain text or lists of it (no schema to dump them with: `check`
    # builds only the schemas of the files it validates)
    update = {k: list(v) if isinstance(v, list) else v for k, v in tr.data
              if v is not None and k in type(src.data).model_fields and k != "steps"}
    meta = src.data.model_copy(update=update)
    steps = getattr(tr.data, "steps", None)
    if steps:
        merged = [s.model_copy(update={"do": t.do}) if t.do else s
                  for s, t in zip(meta.steps, steps, strict=False)]
        meta = meta.model_copy(update={"steps": merged + meta.steps[len(merged):]})
    return tr, meta, False


def _text(sf: SourceFile, lang: str, fallback: bool, loc: Localized) -> tuple:
    return sf.path, sf.body, sf.body_line, lang, fallback, loc.source, sf


def _nn(slug: str) -> int:
    m = re.match(r"^(\d+)", slug)
    return int(m[1]) if m else 0


def _pages(group: dict[str, Localized], lang: str, source_lang: str, kind: str) -> list[Page]:
    pages = []
    for slug, loc in group.items():
        if loc.source.data is None:
            continue
        sf, meta, fb = _pick(loc, lang, source_lang)
        pages.append(Page(*_text(sf, lang, fb, loc), slug=slug, meta=meta, kind=kind))
    return sorted(pages, key=lambda p: (p.slug != "index", p.meta.order or 999, p.slug))


def make_course(sources: Sources, lang: str, report: Report) -> Course:
    """Assemble the `lang` edition from the loaded, validated files."""
    assert sources.course is not None and sources.course.data is not None
    config: schema.CourseConfig = sources.course.data
    src_lang = config.language
    tr = sources.course_translations.get(lang)
    if lang != src_lang and tr is not None and tr.data is not None:
        config = _translate_config(config, tr.data)

    modules = []
    for mf in sources.modules:
        if mf.module is None or mf.module.source.data is None:
            continue
        sf, meta, fb = _pick(mf.module, lang, src_lang)
        module = Module(*_text(sf, lang, fb, mf.module), slug=mf.slug, meta=meta,
                        order=meta.order if meta.order is not None else _nn(mf.slug))
        acts = []
        for slug, loc in mf.activities.items():
            if loc.source.data is None:
                continue
            asf, ameta, afb = _pick(loc, lang, src_lang)
            acts.append(Activity(*_text(asf, lang, afb, loc), slug=slug, module_id=meta.id,
                                 meta=ameta))
        module.activities = sorted(acts, key=lambda a: (a.meta.order or 999, a.slug))
        if mf.notes and mf.notes.source.data is not None:
            nsf, nmeta, nfb = _pick(mf.notes, lang, src_lang)
            module.notes = Notes(*_text(nsf, lang, nfb, mf.notes), meta=nmeta)
        if mf.deck and mf.deck.source.data is not None:
            dsf, dmeta, dfb = _pick(mf.deck, lang, src_lang)
            slides = parse_deck(dsf.body, dsf.body_line, meta.id, dsf.path, report)
            title = Slide(f"{meta.id}-1", meta.title, "", layout="title", line=dsf.body_line,
                          path=dsf.path)
            module.deck = Deck(*_text(dsf, lang, dfb, mf.deck), title=dmeta.title or meta.title,
                               slides=[title, *slides])
        modules.append(module)
    modules.sort(key=lambda m: (m.order, m.slug))
    return Course(sources.root, lang, config,
                  _pages(sources.pages, lang, src_lang, "page"),
                  _pages(sources.readings, lang, src_lang, "reading"), modules,
                  source_title=sources.course.data.title)


def _translate_config(config: schema.CourseConfig,
                      tr: schema.CourseTranslation) -> schema.CourseConfig:
    """course.yml with its translation's texts: a copy changed in place, every value already
    validated by its own schema (so `check` builds no schema for it)."""
    out = config.model_copy(deep=True)
    for key in ("title", "subtitle", "licence", "audience"):
        if getattr(tr, key):
            setattr(out, key, getattr(tr, key))
    if tr.organisation and tr.organisation.get("name"):
        out.organisation.name = tr.organisation["name"]
    if tr.schedule:
        for day, tday in zip(out.schedule.days, tr.schedule.days, strict=False):
            for brk, tbrk in zip(day.breaks, tday.breaks, strict=False):
                if tbrk.name:
                    brk.name = tbrk.name
    if tr.evaluation:  # the workshops' evaluation form, field by field
        given = {k: list(v) for k, v in tr.evaluation if v}  # a field left out keeps course.yml's
        out.evaluation = (out.evaluation or schema.Evaluation.model_construct()).model_copy(update=given)
    return out
