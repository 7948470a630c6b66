"""The timetable, computed from the schedule in course.yml and the modules' durations.

Each module is laid out as its presentation, then its activities; when activities are
embedded in the text (`[[embed:slug]]`), the presentation is shared among the stretches of
text around them, in proportion to their words, and the activities run where they are
embedded (the others after). A part that crosses a
break is split around it, but is not started in the last few minutes before one. A part that
cannot end before the day's end moves to the next day. Whatever still does not fit makes the
last day overrun, which `check` reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .memo_db import per_object
from .model import Activity, Course, Module

MIN_RUN = 10  # a part is not started when fewer minutes than this remain before a break


def minutes_of(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass
class Slot:
    start: int
    end: int
    title: str
    kind: str  # "session" or "break"
    module: Module | None = None
    activity: Activity | None = None
    continued: bool = False  # second half of a part split by a break

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def time(self) -> str:
        return f"{hhmm(self.start)}–{hhmm(self.end)}"


@dataclass
class AgendaDay:
    number: int
    start: int
    end: int
    slots: list[Slot] = field(default_factory=list)

    @property
    def finish(self) -> int:
        return self.slots[-1].end if self.slots else self.start

    @property
    def overrun(self) -> int:
        """Minutes past the day's planned end (0 when it fits)."""
        return max(0, self.finish - self.end)


def _parts(module: Module) -> list[tuple[str, int, Activity | None, bool]]:
    """(title, minutes, activity or None, continues the presentation) in the order they run."""
    extra = module.minutes - module.parts_minutes
    embedded = module.embedded
    parts: list[tuple[str, int, Activity | None, bool]] = []
    talked = False
    for i, share in enumerate(module.presentation_split(module.meta.presentation_minutes + extra)):
        if share:
            parts.append((module.title, share, None, talked))
            talked = True
        if i < len(embedded) and embedded[i].minutes:
            parts.append((embedded[i].title, embedded[i].minutes, embedded[i], False))
    parts += [(a.title, a.minutes, a, False) for a in module.activities
              if a.minutes and a not in embedded]
    return parts


_LAID: list[tuple[Course, list[AgendaDay]]] = []  # the last courses laid out, newest first


def compute_agenda(course: Course) -> list[AgendaDay]:
    """Lay the modules out over the schedule's days (once per course: every module's page,
    handout and notes ask for their times)."""
    return per_object(_LAID, course, _lay_out)


def _lay_out(course: Course) -> list[AgendaDay]:
    specs = course.config.schedule.days
    days = [AgendaDay(i + 1, minutes_of(d.start), minutes_of(d.end)) for i, d in enumerate(specs)]
    breaks = [sorted((minutes_of(b.time), b.minutes, b.name) for b in d.breaks) for d in specs]
    di, t, bi = 0, days[0].start, 0

    def needed(t: int, length: int) -> int:
        """When a part of `length` minutes started at `t` ends, breaks included."""
        end = t + length
        for start, mins, _ in breaks[di][bi:]:
            if t <= start < end:
                end += mins
        return end

    for module in course.modules:
        for title, length, activity, resumed in _parts(module):
            day = days[di]
            if needed(t, length) > day.end and t > day.start and di + 1 < len(days):
                di, bi = di + 1, 0
                day, t = days[di], days[di].start
            nxt = breaks[di][bi] if bi < len(breaks[di]) else None
            if nxt and 0 < nxt[0] - t < MIN_RUN and length > nxt[0] - t:
                t = nxt[0]  # not worth starting a few minutes before a break: start after it
            remaining, continued = length, resumed
            while remaining > 0:
                nxt = breaks[di][bi] if bi < len(breaks[di]) else None
                if nxt and nxt[0] <= t:
                    day.slots.append(Slot(t, t + nxt[1], nxt[2], "break"))
                    t, bi = t + nxt[1], bi + 1
                    continue
                run = min(remaining, nxt[0] - t) if nxt else remaining
                day.slots.append(Slot(t, t + run, title, "session", module, activity, continued))
                t, remaining, continued = t + run, remaining - run, True
    return days
