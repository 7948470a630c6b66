"""The schema of a workshop file, `workshops/<slug>.yml`: every key an organiser may write.

Like `schema.py`: unknown keys are rejected (with a did-you-mean), so a typo in a date or a
module list never passes silently.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import Field, field_validator

from .diagnostics import did_you_mean
from .schema import Language, Schedule, Strict

MAX_PARTICIPANTS = 10_000  # a slipped digit in `expected_participants`, not a workshop


def _zone(value: str) -> str:
    """An IANA time zone name that zoneinfo knows ("America/Lima"), never a path."""
    if not value or value.startswith(("/", ".")) or ".." in value.split("/"):
        raise ValueError("not a time zone name; write an IANA name such as 'America/Lima'")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        hint = did_you_mean(value, available_timezones())
        hint = hint if hint.startswith("did you") else "e.g. 'America/Lima' or 'Europe/Madrid'"
        raise ValueError(f"unknown time zone; {hint}") from None
    return value


class WorkshopConfig(Strict):
    """`workshops/<slug>.yml`."""

    title: str = Field(description="The workshop's title, e.g. 'SCP training, Lima 2027'.")
    start_date: dt.date = Field(description="The first day, YYYY-MM-DD (e.g. 2027-03-31).")
    timezone: str = Field(description="IANA time zone of the venue, e.g. 'America/Lima'.")
    venue: str = Field(description="Where it takes place, e.g. 'Hotel Bolívar, Sala 2'.")
    city: str = Field(description="The city (and country), e.g. 'Lima, Peru'.")
    organiser: str = Field("", description="Who organises it, e.g. the national centre.")
    trainers: list[str] = Field(default_factory=list, description="The trainers' names.")
    language: Language | None = Field(None, description="The language it is delivered in (BCP 47); "
                                      "default: the course's source language. A language the "
                                      "course is not translated into uses the source edition.")
    modules: list[str] | None = Field(None, description="Module ids in delivery order, e.g. "
                                      "[I, II, V]; default: every module, in the course's order.")
    schedule: Schedule | None = Field(None, description="The workshop's days, as in course.yml "
                                      "(start, end, breaks); default: course.yml's schedule.")
    skip_weekends: bool = Field(True, description="Day 2 and later skip Saturdays and Sundays "
                                "(day 1 is always the start date).")
    participants: str | None = Field(None, description="A CSV file (name, organisation, email), "
                                     "relative to this file and inside the repository. Real lists "
                                     "belong outside it: `workshop SLUG --private --participants FILE`.")
    expected_participants: int | None = Field(None, gt=0, le=MAX_PARTICIPANTS,
                                              description="How many to print for when there is "
                                              "no participant list.")

    @field_validator("timezone")
    @classmethod
    def _check_zone(cls, value: str) -> str:
        return _zone(value)

    @field_validator("start_date", mode="before")
    @classmethod
    def _check_date(cls, value: object) -> object:
        """Dates come as text (the loader does not make dates): a real, ISO-written day."""
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                raise ValueError(f"'{value}' is not a real date; write it as YYYY-MM-DD, "
                                 "e.g. 2027-03-31") from None
        if isinstance(value, dt.datetime | int | float):
            raise ValueError("write the date as YYYY-MM-DD, e.g. 2027-03-31")
        return value

    @field_validator("modules")
    @classmethod
    def _no_repeats(cls, value: list[str] | None) -> list[str] | None:
        if value is not None:
            seen = [x for i, x in enumerate(value) if x in value[:i]]
            if seen:
                raise ValueError(f"module '{seen[0]}' is listed twice; list each module once")
            if not value:
                raise ValueError("no module listed; list at least one, or leave the key out for all")
        return value
