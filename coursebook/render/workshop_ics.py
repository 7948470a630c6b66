"""Render stage: a workshop's calendar (`workshops/<slug>.ics`, iCalendar, RFC 5545).

One event per session (a part split by a break is two events; breaks are left out, since a
calendar full of coffee breaks hides the sessions). Times carry the workshop's TZID with its
VTIMEZONE (from zoneinfo), so a calendar in another zone shows them right. UIDs are made
from the workshop's slug, the day and the session's place in it, so re-importing an updated
file updates the events instead of doubling them; DTSTAMP is the build time
(SOURCE_DATE_EPOCH), so two builds give the same bytes. No participant data is in it.
"""

from __future__ import annotations

from datetime import UTC

from ..i18n import Strings
from ..workshop import Workshop, WorkshopSlot
from ..write import build_time

PRODID = "-//coursebook//workshop calendar//EN"


def _summary(w: Workshop, slot: WorkshopSlot, t: Strings) -> str:
    module = w.course.module(slot.module_id) if slot.module_id else None
    if slot.activity_slug:
        text = f"{t('activity')}: {slot.title}"
    elif module:
        text = f"{module.id}. {module.title}"
    else:
        text = slot.title
    return f"{text} (…)" if slot.continued else text


def calendar(w: Workshop, t: Strings) -> bytes:
    """The workshop's sessions as an iCalendar file."""
    from icalendar import Calendar, Event  # loaded when a calendar is written, not to check

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", w.title)
    cal.add("x-wr-timezone", w.timezone)
    stamp = build_time().replace(tzinfo=UTC)
    where = ", ".join(x for x in (w.venue, w.city) if x)
    for day in w.days:
        sessions = [s for s in day.slots if s.kind == "session"]
        for i, slot in enumerate(sessions, 1):
            event = Event()
            event.add("uid", f"{w.slug}-day{day.number}-{i}@coursebook")
            event.add("dtstamp", stamp)
            event.add("dtstart", slot.start)
            event.add("dtend", slot.end)
            event.add("summary", _summary(w, slot, t))
            event.add("location", where)
            event.add("description", f"{w.title} — {t('day', n=day.number)}")
            if w.organiser:
                event.add("x-coursebook-organiser", w.organiser)
            cal.add_component(event)
    cal.add_missing_timezones()  # a VTIMEZONE for the TZID of every time above
    return cal.to_ical()
