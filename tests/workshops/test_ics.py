"""The workshop calendars read back with icalendar: dates, times and their TZID, a VTIMEZONE,
the day after the month end, the one-day subset, stable UIDs and reproducible bytes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from coursebook.i18n import Strings
from coursebook.render.workshop_ics import calendar
from coursebook.workshop import Workshop


def _read(w: Workshop) -> Calendar:
    return Calendar.from_ical(calendar(w, Strings(w.course.root, w.course.lang, "en")))


def _events(cal: Calendar) -> list:
    return list(cal.walk("VEVENT"))


def test_lima_sessions_in_lima_time(examples: dict[str, Workshop]) -> None:
    lima = examples["lima-2027"]
    cal = _read(lima)
    zones = [str(z["TZID"]) for z in cal.walk("VTIMEZONE")]
    assert zones == ["America/Lima"]
    events = _events(cal)
    sessions = [s for d in lima.days for s in d.slots if s.kind == "session"]
    assert len(events) == len(sessions)  # one event per session, no breaks
    assert not any("break" in str(e["SUMMARY"]).lower() or str(e["SUMMARY"]) == "Lunch" for e in events)
    first = events[0]
    assert first["DTSTART"].params["TZID"] == "America/Lima"
    start = first.decoded("DTSTART")
    assert start == datetime(2027, 3, 31, 8, 30, tzinfo=ZoneInfo("America/Lima"))
    assert start.astimezone(UTC) == datetime(2027, 3, 31, 13, 30, tzinfo=UTC)
    assert str(first["SUMMARY"]).startswith("I. ")
    assert "Hotel Los Andes" in str(first["LOCATION"]) and "Lima, Peru" in str(first["LOCATION"])
    after = [e.decoded("DTSTART") for e in events if e.decoded("DTSTART").date() == date(2027, 4, 1)]
    assert after and after[0].strftime("%A %H:%M") == "Thursday 08:30"
    assert max(e.decoded("DTEND") for e in events) == datetime(2027, 4, 1, 12, 20, tzinfo=ZoneInfo("America/Lima"))
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids) and uids[0] == "lima-2027-day1-1@coursebook"


def test_quito_one_day_subset(examples: dict[str, Workshop]) -> None:
    quito = examples["quito-2027"]
    events = _events(_read(quito))
    assert {e.decoded("DTSTART").date() for e in events} == {date(2027, 5, 12)}
    assert {e["DTSTART"].params["TZID"] for e in events} == {"America/Guayaquil"}
    summaries = [str(e["SUMMARY"]) for e in events]
    assert not any(s.startswith("IV.") for s in summaries)
    assert summaries[0].startswith("I. Introducción")  # the Spanish edition's titles


def test_reproducible_with_source_date_epoch(examples: dict[str, Workshop], monkeypatch: pytest.MonkeyPatch) -> None:
    lima = examples["lima-2027"]
    t = Strings(lima.course.root, "en", "en")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    one, two = calendar(lima, t), calendar(lima, t)
    assert one == two
    stamp = _events(Calendar.from_ical(one))[0].decoded("DTSTAMP")
    assert stamp == datetime.fromtimestamp(1700000000, UTC)


def test_built_site_has_the_calendar(workshop_site: Path) -> None:
    cal = Calendar.from_ical((workshop_site / "es" / "workshops" / "quito.ics").read_bytes())
    events = _events(cal)
    assert events and {e.decoded("DTSTART").date() for e in events} == {date(2027, 5, 12)}
    assert str(cal["X-WR-CALNAME"]) == "Taller <b>Quito</b> | 2027"  # text, as written
    assert not (workshop_site / "en" / "workshops").exists()  # a Spanish workshop: the Spanish edition only
