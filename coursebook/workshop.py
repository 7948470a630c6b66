"""Workshop editions: the course delivered on given dates, at a venue, with a chosen set of
modules (`workshops/<slug>.yml`).

The dataclasses below are the contract between the workshop loader (this module) and the
workshop renderers (site page, calendar, PDFs). Participants' names and emails live only in
`Workshop.participants` and are written only to the trainer's private folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .model import Course


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
