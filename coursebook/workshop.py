"""Workshop editions: the course delivered on given dates, at a venue, with a chosen set of
modules (`workshops/<slug>.yml`).

The dataclasses below are the contract between the workshop loader (this module) and the
workshop renderers (site page, calendar, PDFs). Participants' names and emails live only in
`Workshop.participants` and are written only to the trainer's private folder.
"""

from __future__ import annotations

import copy
import csv
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from .agenda import AgendaDay, compute_agenda, hhmm
from .diagnostics import Report, did_you_mean
from .load import SourceFile, parse_yaml, read_text
from .model import Course
from .schema import Schedule
from .schema_workshop import WorkshopConfig
from .validate import typed
from .validate_config import check_schedule
from .validate_paths import confined, link_problem


@dataclass(frozen=True)
class Participant:
    name: str
    organisation: str = ""
    email: str = ""


@dataclass
class WorkshopSlot:
    start: datetime  # timezone-aware, in the workshop's timezone
    end: datetime
    title: str
    kind: str  # "session" or "break"
    module_id: str | None = None  # e.g. "VI"
    activity_slug: str | None = None
    continued: bool = False  # the second part of a session split by a break


@dataclass
class WorkshopDay:
    number: int  # 1, 2, ...
    date: date
    slots: list[WorkshopSlot] = field(default_factory=list)


@dataclass
class Workshop:
    slug: str  # from the file name: workshops/lima-2027.yml -> "lima-2027"
    path: Path  # the workshop file
    title: str
    lang: str  # the edition it is delivered in
    timezone: str  # IANA name, e.g. "America/Lima"
    start_date: date
    venue: str
    city: str
    organiser: str
    trainers: list[str]
    modules: list[str]  # module ids, in delivery order
    course: Course  # the edition in `lang`, restricted to `modules` in that order, with the workshop's schedule
    days: list[WorkshopDay]  # the dated agenda
    participants: list[Participant] = field(default_factory=list)  # never published
    expected_participants: int | None = None  # for copies to print when there is no participant list
    fallback: bool = False  # the course is not translated into `lang`: the source edition is used
    skip_weekends: bool = True  # day 2 and later fall on Monday to Friday


# ---- the loader: workshops/<slug>.yml → Workshop ----

FOLDER = "workshops"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")  # becomes a page, a .ics and private/<slug>/
MAX_PARTICIPANT_ROWS = 10_000
MAX_CSV_BYTES = 2 * 1024 * 1024
COLUMNS = {"name": "name", "organisation": "organisation", "organization": "organisation",
           "email": "email", "e-mail": "email"}
TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _TextDates(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader without YAML's implicit dates: `2027-02-30` stays text for the schema
    to refuse at its line (PyYAML would raise a bare ValueError while building it)."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != TIMESTAMP]
    for first, resolvers in getattr(yaml, "CSafeLoader", yaml.SafeLoader).yaml_implicit_resolvers.items()}


def workshop_files(root: Path, report: Report) -> list[Path]:
    """`workshops/*.yml` (a link leading outside the repository is reported, not read)."""
    folder = root / FOLDER
    if not confined([folder], root, report) or not folder.is_dir():
        return []
    return confined(sorted(folder.glob("*.yml")), root, report)


def read_workshop(path: Path, report: Report) -> SourceFile | None:
    """The workshop file with every key's line, typed by `WorkshopConfig` (`sf.data`)."""
    text = read_text(path, report)
    if text is None:
        return None
    count = len(report.errors)
    meta, lines = parse_yaml(text, path, 0, report, loader=_TextDates)
    sf = SourceFile(path, meta, lines, broken=len(report.errors) > count)
    typed(sf, WorkshopConfig, report)
    return sf


def _csv_text(path: Path, report: Report) -> str | None:
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            report.error(path, 0, f"the participant list is over {MAX_CSV_BYTES // 2**20} MB",
                         "a list of names and emails is a few KB; check the file")
            return None
        raw = path.read_bytes()
    except OSError as exc:
        report.error(path, 0, f"cannot read the participant list: {exc.strerror}",
                     "check the path and its permissions")
        return None
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        report.error(path, raw[: exc.start].count(b"\n") + 1, "the participant list is not UTF-8",
                     "save it as 'CSV UTF-8' in your spreadsheet")
        return None


def read_participants(path: Path, report: Report) -> list[Participant] | None:
    """Participants from a CSV with a header row `name,organisation,email` (only `name` is
    required). Messages give line numbers, never a participant's name or email."""
    text = _csv_text(path, report)
    if text is None:
        return None
    reader = csv.reader(text.split("\n"))
    header: list[str | None] | None = None
    people: list[Participant] = []
    count = len(report.errors)
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = []
                for cell in row:
                    key = cell.strip().lower()
                    if key not in COLUMNS:
                        report.error(path, line, f"unknown column '{cell.strip()}'",
                                     did_you_mean(key, ["name", "organisation", "email"]))
                    header.append(COLUMNS.get(key))
                if "name" not in header:
                    report.error(path, line, "the participant list has no 'name' column",
                                 "start the file with the header line: name,organisation,email")
                    return None
                continue
            if len(people) >= MAX_PARTICIPANT_ROWS:
                report.error(path, line, f"more than {MAX_PARTICIPANT_ROWS:,} participants",
                             "split the list per workshop")
                break
            if len(row) > len(header):
                report.error(path, line, f"{len(row)} cells, but the header names {len(header)}",
                             "quote a value that holds a comma: \"Lima, Peru\"")
                continue
            values = {k: " ".join(v.split()) for k, v in zip(header, row, strict=False) if k}
            if not values.get("name"):
                report.error(path, line, "a participant without a name", "fill in the name, or "
                             "delete the line")
                continue
            email = values.get("email", "")
            if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
                report.warning(path, line, "the email address does not look like one",
                               "write it as name@example.org, or leave the cell empty")
            people.append(Participant(values["name"], values.get("organisation", ""), email))
    except csv.Error as exc:
        report.error(path, reader.line_num, f"the CSV cannot be read: {exc}",
                     "check the quotes on this line")
    if header is None:
        report.warning(path, 1, "the participant list is empty", "add a header line and one "
                       "line per participant, or remove 'participants:'")
    return people if len(report.errors) == count else None


def _check_modules(sf: SourceFile, listed: list, ids: list[str], report: Report) -> None:
    for i, ident in enumerate(listed):
        if str(ident) not in ids:
            report.error(sf.path, sf.line_of("modules", i), f"no module '{ident}'", did_you_mean(str(ident), ids))


def _participants(sf: SourceFile, given: str | None, root: Path, report: Report) -> list[Participant]:
    """The list named in the file: relative to it, and inside the repository."""
    if not given:
        return []
    line = sf.line_of("participants")
    path = (sf.path.parent / given)
    if Path(given).is_absolute() or link_problem(path, root):
        report.error(sf.path, line, f"the participant list '{given}' is outside the "
                     "repository", "give a path inside it (relative to this file), or keep real "
                     "lists outside and pass them with --private --participants FILE")
        return []
    if not path.is_file():
        report.error(sf.path, line, f"no participant list '{given}'",
                     "give a CSV file's path relative to this file, e.g. participants/lima-2027.csv")
        return []
    return read_participants(path, report) or []


def restricted(course: Course, modules: list[str], schedule: Schedule | None) -> Course:
    """A copy of the edition with only `modules`, in that order, and the workshop's schedule
    (default: the edition's own, whose break names are translated); the original is unchanged."""
    out = copy.copy(course)
    out.modules = [m for m in (course.module(i) for i in modules) if m is not None]
    if schedule is not None:
        out.config = course.config.model_copy(update={"schedule": schedule})
    return out


def working_days(start: date, count: int, skip_weekends: bool) -> list[date]:
    """`count` dates from `start`: consecutive, or Monday to Friday after the first day."""
    days = [start]
    while len(days) < count:
        nxt = days[-1] + timedelta(days=1)
        while skip_weekends and nxt.weekday() >= 5:
            nxt += timedelta(days=1)
        days.append(nxt)
    return days


def at(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """`minutes` after midnight of `day`, as wall-clock time in `zone` (timezone-aware)."""
    return datetime.combine(day, time(0), zone) + timedelta(minutes=minutes)


def dated(agenda: list[AgendaDay], start: date, timezone: str, skip_weekends: bool) -> list[WorkshopDay]:
    """The agenda's days that have sessions, each with its date and tz-aware slot times."""
    used = [d for d in agenda if any(s.kind == "session" for s in d.slots)]
    zone = ZoneInfo(timezone)
    out = []
    for day, when in zip(used, working_days(start, len(used), skip_weekends), strict=True):
        slots = [WorkshopSlot(at(when, s.start, zone), at(when, s.end, zone), s.title, s.kind,
                              s.module.id if s.module else None,
                              s.activity.slug if s.activity else None, s.continued)
                 for s in day.slots]
        out.append(WorkshopDay(day.number, when, slots))
    return out


def _edition(cfg: WorkshopConfig, sf: SourceFile, courses: dict[str, Course],
             report: Report) -> tuple[str, str, bool]:
    """(language asked for, edition to use, fallback?)."""
    any_course = next(iter(courses.values()))
    source = any_course.config.language
    lang = cfg.language or source
    editions = [source, *any_course.config.languages]
    if lang in editions:
        return lang, lang, False
    report.warning(sf.path, sf.line_of("language"), f"the course is not translated into '{lang}'; "
                   f"this workshop uses the '{source}' edition, with a notice",
                   f"translate the course (python build.py new-language {lang}), or use one of: "
                   + ", ".join(editions))
    return lang, source, True


def load_workshop(sf: SourceFile, root: Path, courses: dict[str, Course], report: Report) -> Workshop | None:
    """One workshop from its typed file; None when its edition is not built this run or it
    has errors (all reported)."""
    cfg: WorkshopConfig | None = sf.data
    slug = sf.path.stem
    if not SLUG.match(slug):
        report.error(sf.path, 0, f"'{slug}' cannot name a workshop's pages and files",
                     "name the file in lower-case letters, digits and hyphens, e.g. lima-2027.yml")
        return None
    if not courses:
        return None
    known = next(iter(courses.values()))
    ids = [m.id for m in known.modules]
    if cfg is None:  # errors reported: still check what can be, so that one run shows all
        listed = sf.meta.get("modules")
        _check_modules(sf, listed if isinstance(listed, list) else [], ids, report)
        given = sf.meta.get("participants")
        if isinstance(given, str):
            _participants(sf, given, root, report)
        return None
    count = len(report.errors)
    lang, edition, fallback = _edition(cfg, sf, courses, report)
    _check_modules(sf, cfg.modules or [], ids, report)
    if cfg.schedule is not None:
        check_schedule(sf, report)
    people = _participants(sf, cfg.participants, root, report)
    if len(report.errors) > count or edition not in courses:
        return None
    course = restricted(courses[edition], cfg.modules or ids, cfg.schedule)
    agenda = compute_agenda(course)
    for day in agenda:
        if day.overrun:
            where = ("schedule", "days", day.number - 1, "end") if cfg.schedule else ("modules",)
            report.warning(sf.path, sf.line_of(*where), f"day {day.number} runs until {hhmm(day.finish)}, "
                           f"{day.overrun} minutes past its end {hhmm(day.end)}",
                           "leave out a module, or add time or a day ('schedule:')")
    return Workshop(slug, sf.path, cfg.title, lang, cfg.timezone, cfg.start_date, cfg.venue, cfg.city,
                    cfg.organiser, list(cfg.trainers), [m.id for m in course.modules], course,
                    dated(agenda, cfg.start_date, cfg.timezone, cfg.skip_weekends), people,
                    cfg.expected_participants, fallback, cfg.skip_weekends)


def load_workshops(root: Path, courses_by_lang: dict[str, Course], report: Report) -> list[Workshop]:
    """Every `workshops/*.yml`, validated (each problem at its file:line in `report`); the
    workshops whose edition is in `courses_by_lang` (a `--lang` build leaves the others out)."""
    out = []
    for path in workshop_files(root, report):
        sf = read_workshop(path, report)
        workshop = load_workshop(sf, root, courses_by_lang, report) if sf else None
        if workshop:
            out.append(workshop)
    return out


def copies(workshop: Workshop) -> int | None:
    """How many copies to print: one per listed participant, else the expected number."""
    return len(workshop.participants) or workshop.expected_participants


def private_dir(root: Path, slug: str) -> Path:
    """`private/<slug>/` of the repository: where named sign-in sheets and certificates go
    (git-ignored). ValueError for anything that would lead elsewhere."""
    base = (root / "private").resolve()
    if not SLUG.match(slug) or not base.is_relative_to(root.resolve()):
        raise ValueError(f"private/{slug} is not a folder of this repository's private/")
    target = (base / slug).resolve()
    if target.parent != base:
        raise ValueError(f"private/{slug} leads outside the repository's private/ folder")
    return target
