"""What the workshop PDFs show, as plain values for their templates: the dated agenda, the
cover's facts, the evaluation form, the sign-in rows and the copies to print. Dates are
written in the workshop's language by Babel (CLDR), never by the engine's own word lists."""

from __future__ import annotations

import math
import re
from datetime import date

from babel.dates import format_date

from ..i18n import Strings
from ..model import Course
from ..workshop import Participant, Workshop
from .site_pages import duration

BLANK_ROWS = 20  # a blank sign-in sheet without an expected number of participants
SPARE_ROWS = 3  # blank rows after the names, for whoever was not on the list
DEFAULT_SCALE = 5
DEFAULT_QUESTIONS = 4
# "— one per participant" / "— one per pair" in a trainer note's `copies`, in the course's languages
PER_PARTICIPANT = re.compile(r"per participant|por participante|par participant|لكل مشارك|每人", re.I)
PER_PAIR = re.compile(r"per pair|por pareja|par binôme|لكل زوج|每对|每两人", re.I)


def locale(lang: str) -> str:
    """A BCP 47 code as Babel's locale name (`pt-BR` → `pt_BR`)."""
    return lang.replace("-", "_")


def long_date(d: date, lang: str) -> str:
    """`Wednesday, March 31, 2027`, `miércoles, 31 de marzo de 2027`."""
    return format_date(d, "full", locale=locale(lang))


def date_range(w: Workshop) -> str:
    """The workshop's dates with their weekdays, as one phrase of its language."""
    first, last = w.days[0].date, w.days[-1].date
    if first == last:
        return long_date(first, w.course.lang)
    # both dates in full: CLDR's interval formats abbreviate the weekdays and months in English
    return f"{long_date(first, w.course.lang)} – {long_date(last, w.course.lang)}"


def headcount(w: Workshop) -> int:
    """How many people the copies are for: the list, or the number expected (0: unknown)."""
    return len(w.participants) or (w.expected_participants or 0)


def agenda_view(w: Workshop, t: Strings) -> list[dict]:
    """The dated agenda in the shape of `pdf._agenda_view` (the guide's and the pack's table)."""
    days = []
    for d in w.days:
        slots = []
        for s in d.slots:
            title = s.title
            if s.module_id and not s.activity_slug and not title.startswith(f"{s.module_id}."):
                title = f"{s.module_id}. {title}"
            minutes = int((s.end - s.start).total_seconds() // 60)
            slots.append({"time": f"{s.start:%H:%M}–{s.end:%H:%M}", "break": s.kind == "break",
                          "minutes": duration(minutes, t), "title": title, "activity": bool(s.activity_slug)})
        days.append({"title": t("workshop_day", n=d.number, date=long_date(d.date, w.course.lang)),
                     "date": long_date(d.date, w.course.lang), "number": d.number, "overrun": "", "slots": slots})
    return days


def facts(w: Workshop, t: Strings) -> dict:
    """The workshop's title, dates, place and people, for covers and certificates."""
    return {"title": w.title, "dates": date_range(w), "venue": w.venue, "city": w.city,
            "organiser": w.organiser, "trainers": list(w.trainers), "timezone": w.timezone,
            "place": ", ".join(x for x in (w.venue, w.city) if x),
            "modules": [f"{m.id}. {m.title}" for m in w.course.modules]}


def evaluation(course: Course, t: Strings) -> dict:
    """The evaluation form: course.yml's `evaluation:` (its translation's in other editions),
    else the standard scale and questions of the edition's language; a row per module."""
    custom = course.config.evaluation
    scale = list(custom.scale) if custom and custom.scale else \
        [t(f"evaluation_scale_{i}") for i in range(1, DEFAULT_SCALE + 1)]
    questions = list(custom.questions) if custom and custom.questions else \
        [t(f"evaluation_question_{i}") for i in range(1, DEFAULT_QUESTIONS + 1)]
    rows = [f"{m.id}. {m.title}" for m in course.modules] + [t("evaluation_overall")]
    return {"scale": scale, "questions": questions, "rows": rows}


def sign_in_days(w: Workshop, people: list[Participant] | None) -> list[dict]:
    """One sheet per day: the participants in the order given (then a few spare rows), or
    blank rows for as many as are expected. `people=None`: a blank sheet (the public one)."""
    if people:
        rows = [{"name": p.name, "organisation": p.organisation} for p in people]
        rows += [{"name": "", "organisation": ""}] * SPARE_ROWS
    else:
        rows = [{"name": "", "organisation": ""}] * (w.expected_participants or BLANK_ROWS)
    return [{"number": d.number, "date": long_date(d.date, w.course.lang), "rows": rows} for d in w.days]


def checklist(w: Workshop, t: Strings) -> dict:
    """The guide's preparation checklist for this workshop: materials, preparation time, and
    each copy to print counted from the number of participants (`headcount`)."""
    course, n = w.course, headcount(w)
    materials: dict[str, None] = {}
    copies: list[str] = []

    def count(item: str, k: int | None) -> None:
        copies.append(t("copies_count", item=item, n=k) if n and k is not None else item)

    for m in course.modules:
        if m.notes:
            materials.update(dict.fromkeys(m.notes.meta.materials))
            for c in m.notes.meta.copies:
                k = n if PER_PARTICIPANT.search(c) else math.ceil(n / 2) if PER_PAIR.search(c) else None
                count(f"{c} ({m.id})", k)
        for a in m.activities:
            materials.update(dict.fromkeys(a.meta.materials))
    for m in course.modules:
        count(t("copies_handout", module=f"{m.id}. {m.title}"), n)
    count(t("copies_sign_in"), len(w.days))
    if not any(t("evaluation_form").lower() in c.lower() for c in copies):  # a module's notes list it already
        count(t("copies_evaluation"), n)
    if w.participants:
        count(t("copies_certificates"), len(w.participants))
    total = sum(m.notes.meta.preparation_minutes for m in course.modules if m.notes)
    return {"materials": list(materials), "copies": copies, "total": duration(total, t),
            "headcount": t("copies_for", n=n) if n else ""}
