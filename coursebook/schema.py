"""The content contract as typed schemas: every key authors may write, with its type,
default and meaning. Unknown keys are rejected so a typo never passes silently."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from .memo import remember

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
# Upper bounds that catch a slipped digit (a 100,000-minute break) before the agenda uses it.
MAX_BREAK = 240  # minutes: a long lunch
MAX_PART = 1440  # minutes: a module, an activity, a step, a presentation — at most a whole day
MAX_PREPARATION = 7 * 1440  # minutes: a week
# A language code that translation file names can carry (`module.pt-BR.md`): BCP 47, at most
# a script or region after the language.
_LANG_FILE = re.compile(r"^[a-z]{2,3}(?:-(?:[A-Z]{2}|[A-Z][a-z]{3}))?$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, defer_build=True)


def _time(value: str) -> str:
    if not _TIME.match(value):
        raise ValueError(f"'{value}' is not a time; write it as \"HH:MM\" in quotes, e.g. \"08:30\"")
    return value


def _language(value: str) -> str:
    problem = remember("language", (value,), lambda: _language_problem(value))
    if problem:
        raise ValueError(problem)
    return value


def _language_problem(value: str) -> str:
    """What is wrong with a language code, checked against the IANA registry (langcodes,
    imported only here: its import takes a tenth of a second; the answer is kept per code)."""
    import langcodes

    if not (langcodes.tag_is_valid(value) and langcodes.Language.get(value).is_valid()):
        return "not a language code; write a BCP 47 code such as 'es', 'pt-BR' or 'zh-Hant'"
    if not _LANG_FILE.match(value):
        return ("write the language in lower case, then at most a region or a script, "
                f"as translation file names carry it, e.g. '{langcodes.standardize_tag(value).split('-')[0]}'"
                " or 'pt-BR'")
    return ""


Language = Annotated[str, AfterValidator(_language)]


class Organisation(Strict):
    name: str = Field(description="The organisation that publishes this edition.")
    url: str = Field("", description="Its web site, printed on covers and in the footer.")
    logo: str | None = Field(None, description="Path of a logo image in the repository.")


class Break(Strict):
    name: str = Field(description="Shown in the agenda, e.g. 'Lunch'.")
    time: str = Field(description="Start time, \"HH:MM\".")
    minutes: int = Field(gt=0, le=MAX_BREAK, description=f"Length of the break (at most {MAX_BREAK}); "
                         "the break must lie within its day and not overlap another.")

    _check_time = field_validator("time")(_time)


class Day(Strict):
    start: str = Field(description="When the day's sessions start, \"HH:MM\".")
    end: str = Field(description="When the day must end, \"HH:MM\", after its start.")
    breaks: list[Break] = Field(default_factory=list, description="Breaks at fixed times.")

    _check_times = field_validator("start", "end")(_time)


class Schedule(Strict):
    days: list[Day] = Field(min_length=1, description="The course days, in order.")


class Evaluation(Strict):
    """`evaluation:` in course.yml (and its translations): the workshops' evaluation form."""

    scale: list[str] = Field(default_factory=list, max_length=10, description="Rating labels, "
                             "worst first (default: five, Poor … Excellent, in the edition's language).")
    questions: list[str] = Field(default_factory=list, max_length=20, description="Open questions "
                                 "(default: the standard ones in the edition's language).")


class CourseConfig(Strict):
    """`course/course.yml`."""

    title: str = Field(description="Course title, on every page and cover.")
    subtitle: str = Field("", description="One line under the title.")
    organisation: Organisation
    authors: list[str] = Field(default_factory=list, description="Authors, for PDF metadata.")
    licence: str = Field(description="Licence printed in footers, e.g. 'CC BY 4.0'.")
    version: str = Field(description="Edition version printed in footers.")
    language: Language = Field("en", description="The source language (BCP 47 code, e.g. 'en').")
    languages: list[Language] = Field(default_factory=list, description="Other editions (BCP 47 "
                                      "codes, each once, e.g. [es, pt-BR]).")
    paper: Literal["A4", "Letter"] = Field("A4", description="Paper size of the PDFs.")
    audience: str = Field("", description="Who the course is for.")
    author_guide: bool = Field(True, description="Include the authoring guide in the site.")
    solutions: Literal["end", "omit", "inline"] = Field(
        "end", description="Where participant PDFs (handouts, workbook) print the `??? solution` "
        "blocks: 'end' in an Answers section at the end, 'omit' nowhere, 'inline' in place. "
        "The site keeps them collapsed; the trainer's guide always has them in place.")
    engine: Literal["mkdocs", "zensical"] = Field(
        "mkdocs", description="What builds the site: 'mkdocs' (MkDocs + Material for MkDocs) or "
        "'zensical' (Material's successor); `--engine` on the command line overrides it.")
    schedule: Schedule
    evaluation: Evaluation | None = Field(
        None, description="The workshops' evaluation form: its rating scale and open questions "
        "(each module of a workshop gets a rating row); absent fields take the standard form in "
        "the edition's language.")


class BreakText(Strict):
    name: str | None = None


class DayText(Strict):
    breaks: list[BreakText] = Field(default_factory=list)


class ScheduleText(Strict):
    days: list[DayText] = Field(default_factory=list)


class CourseTranslation(Strict):
    """`course/course.<lang>.yml`: only the translatable fields of course.yml."""

    title: str | None = None
    subtitle: str | None = None
    licence: str | None = None
    audience: str | None = None
    organisation: dict[str, str] | None = None
    schedule: ScheduleText | None = None
    evaluation: Evaluation | None = None
    translation_of: str | None = None


class PageMeta(Strict):
    """Front matter of `course/*.md` and `course/readings/*.md`."""

    title: str = Field(description="Page title (the page's only h1).")
    order: int | None = Field(None, description="Position in the navigation.")
    sources: list[str] = Field(default_factory=list, description="Source documents used.")
    region: str = Field("", description="Region of a case study.")
    summary: str = Field("", description="One sentence shown in lists of readings.")
    translation_of: str | None = Field(None, description="Hash of the translated source.")


class ModuleMeta(Strict):
    """Front matter of `modules/<NN-slug>/module.md`."""

    id: str = Field(pattern=r"^[A-Za-z0-9]+$", description="Unique id, e.g. 'VI'.")
    title: str
    order: int | None = Field(None, description="Defaults to the folder's NN.")
    presentation_minutes: int = Field(0, ge=0, le=MAX_PART,
                                      description=f"Talk before the activities (at most {MAX_PART}).")
    minutes: int | None = Field(None, gt=0, le=MAX_PART,
                                description=f"Total; computed if absent (at most {MAX_PART}).")
    objectives: list[str] = Field(default_factory=list)
    key_points: list[str] = Field(default_factory=list)
    readings: list[str] = Field(default_factory=list, description="Markdown; may hold refs.")
    sources: list[str] = Field(default_factory=list)
    translation_of: str | None = None


class ActivityMeta(Strict):
    """Front matter of `modules/<NN-slug>/activities/<slug>.md`."""

    title: str
    order: int | None = None
    minutes: int | None = Field(None, gt=0, le=MAX_PART,
                                description=f"Time the activity takes (at most {MAX_PART}).")
    grouping: str = Field("", description="E.g. 'Small groups of 4–5'.")
    materials: list[str] = Field(default_factory=list)
    output: str = Field("", description="What participants produce.")
    slide: str | None = Field(None, description="Id of the slide to show, e.g. 'VI-2'.")
    translation_of: str | None = None


class Step(Strict):
    minutes: int = Field(gt=0, le=MAX_PART, description=f"Length of the step (at most {MAX_PART}).")
    do: str = Field(description="What the trainer does; may hold references.")
    activity: str | None = Field(None, description="Slug of the activity this step runs.")


class NotesMeta(Strict):
    """Front matter of `instructor_notes/<NN-slug>.md`."""

    preparation_minutes: int = Field(0, ge=0, le=MAX_PREPARATION,
                                     description=f"Preparation time (at most {MAX_PREPARATION}, a week).")
    materials: list[str] = Field(default_factory=list)
    room_setup: str = ""
    copies: list[str] = Field(default_factory=list, description="Copies to print.")
    steps: list[Step] = Field(default_factory=list)
    translation_of: str | None = None


class DeckMeta(Strict):
    """Optional front matter of `slides/<NN-slug>.md`."""

    title: str | None = Field(None, description="Deck title; defaults to the module's.")
    translation_of: str | None = None


class StepText(Strict):
    do: str | None = None


def _optional(model: type[Strict], name: str, extra: dict | None = None) -> type[Strict]:
    """A translation schema: the translatable fields of `model`, all optional."""
    from pydantic import create_model

    fields = {k: (v.annotation | None, None) for k, v in model.model_fields.items()
              if k in TRANSLATABLE[model.__name__]}
    fields.update(extra or {})
    # the source version of each of the translation's blocks (status.py; AUTHORING.md, Translations)
    fields["translation_blocks"] = (str | None, Field(None, description="Hash of the source block "
                                                      "each block translates, in order ('-': untranslated)."))
    return create_model(name, __base__=Strict, **fields)


TRANSLATABLE = {
    "PageMeta": {"title", "summary", "region", "translation_of"},
    "ModuleMeta": {"title", "objectives", "key_points", "readings", "translation_of"},
    "ActivityMeta": {"title", "grouping", "materials", "output", "translation_of"},
    "NotesMeta": {"materials", "room_setup", "copies", "translation_of"},
    "DeckMeta": {"title", "translation_of"},
}

PageTranslation = _optional(PageMeta, "PageTranslation")
ModuleTranslation = _optional(ModuleMeta, "ModuleTranslation")
ActivityTranslation = _optional(ActivityMeta, "ActivityTranslation")
NotesTranslation = _optional(NotesMeta, "NotesTranslation",
                             {"steps": (list[StepText] | None, None)})
DeckTranslation = _optional(DeckMeta, "DeckTranslation")
