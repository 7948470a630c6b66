"""Embedded activities: a paragraph that is exactly `[[embed:SLUG]]` in a module's text places
that activity there (site page, handout, workbook, trainer's guide), and the agenda follows.

The order comes from the source-language text, so every edition has the same timetable; an
edition's own text decides only where its pages print the activity.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from .diagnostics import Report, did_you_mean
from .refs import EMBED as KIND
from .refs import PATTERN

if TYPE_CHECKING:
    from .model import Course


LINE = re.compile(r"^\[\[\s*embed\s*:\s*([^\]|\s]+)\s*\]\]\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


def _paragraphs(text: str):
    """Yield (line index, slug) of every embed paragraph: a line of its own, at the left
    margin, with a blank line (or the text's start or end) before and after, outside code."""
    lines = text.split("\n")
    fence = None
    for i, line in enumerate(lines):
        f = FENCE.match(line)
        if fence:
            fence = None if f and f[1] == fence else fence
            continue
        if f:
            fence = f[1]
            continue
        m = LINE.match(line)
        if m and (i == 0 or not lines[i - 1].strip()) and (i + 1 == len(lines) or not lines[i + 1].strip()):
            yield i, m[1]


def split(text: str, slugs: set[str] | None = None) -> tuple[list[str], list[str]]:
    """(texts, slugs): the text cut at its embed paragraphs, len(texts) == len(slugs) + 1.
    With `slugs`, only those activities are cut out (each once); other embed paragraphs are
    dropped (check reports them)."""
    lines = text.split("\n")
    texts, found, start, seen = [], [], 0, set()
    for i, slug in _paragraphs(text):
        if slugs is not None and (slug not in slugs or slug in seen):
            lines[i] = ""
            continue
        seen.add(slug)
        texts.append("\n".join(lines[start:i]))
        found.append(slug)
        start = i + 1
    texts.append("\n".join(lines[start:]))
    return texts, found


def split_minutes(total: int, weights: list[int], unit: int = 5) -> list[int]:
    """`total` minutes shared in proportion to `weights` (words), in steps of `unit` minutes
    where possible; the shares add up to `total` exactly."""
    if not weights:
        return []
    if sum(weights) == 0:
        return [total] + [0] * (len(weights) - 1)
    raw = [total * w / sum(weights) for w in weights]
    shares = [int(r // unit) * unit for r in raw]
    by_rest = sorted(range(len(raw)), key=lambda i: raw[i] - shares[i], reverse=True)
    for i in by_rest:
        if total - sum(shares) < unit:
            break
        shares[i] += unit
    shares[max(range(len(raw)), key=lambda i: raw[i])] += total - sum(shares)
    return shares


WORD = re.compile(r"\w+")


@lru_cache(maxsize=1 << 14)
def words(text: str) -> int:
    """The words of a stretch of source-language text, counted once per process: every
    edition's timetable, and the site's, share it out by the same texts."""
    return len(WORD.findall(text))


def check(course: Course, report: Report) -> None:
    """Errors for an embed of an unknown activity, of another module's activity, the same
    activity twice, or an embed anywhere but as a paragraph of a module's own text."""
    for m in course.modules:
        own = {a.slug for a in m.activities}
        seen: dict[str, int] = {}
        paragraphs = list(_paragraphs(m.body))
        placed = {i for i, _ in paragraphs}
        for i, slug in paragraphs:
            line = m.body_line + i
            other = course.activity(slug)
            if slug in seen:
                report.error(m.path, line, f"activity '{slug}' is embedded twice (first at line {seen[slug]})",
                             "embed an activity once; link to it elsewhere with [[activity:" + slug + "]]")
            elif slug not in own and other:
                report.error(m.path, line, f"[[embed:{slug}]] embeds an activity of module {other.module_id}",
                             f"embed only module {m.id}'s own activities; link to it with [[activity:{slug}]]")
            elif slug not in own:
                report.error(m.path, line, f"[[embed:{slug}]]: module {m.id} has no activity '{slug}'",
                             did_you_mean(slug, sorted(own)))
            seen.setdefault(slug, line)
        if m.src is not None and m.path != m.src.path:  # a translation: same activities, same order
            mine = split(m.body, own)[1]
            source = split(m.src.body, own)[1]
            if mine != source:
                report.warning(m.path, m.body_line, f"this translation embeds {mine or 'no activity'}, "
                               f"its source {source or 'none'}",
                               "embed the same activities in the same order as the source text "
                               "(the agenda follows the source)")
        for i, line_text in enumerate(m.body.split("\n")):
            if i not in placed and _has_embed(line_text):
                report.error(m.path, m.body_line + i, "[[embed:…]] must be a paragraph of its own",
                             "put it on its own line, at the left margin, with blank lines around it")
        _steps_follow(m, report)
    others = [(p.path, p.body_line, p.body) for p in course.pages + course.readings]
    others += [(a.path, a.body_line, a.body) for m in course.modules for a in m.activities]
    others += [(m.notes.path, m.notes.body_line, m.notes.body) for m in course.modules if m.notes]
    for path, first, body in others:
        for i, line_text in enumerate(body.split("\n")):
            if _has_embed(line_text):
                report.error(path, first + i, "[[embed:…]] can only be used in a module's text",
                             "embed the activity in its module's module.md, or link with [[activity:…]]")


def _has_embed(line: str) -> bool:
    return KIND in line and any(m[1] == KIND for m in PATTERN.finditer(line))  # most lines: no search


def _steps_follow(m, report: Report) -> None:
    """The facilitation steps must run the activities in the agenda's order (embeds first)."""
    if not m.notes or not m.notes.meta.steps:
        return
    steps = [(i, s.activity) for i, s in enumerate(m.notes.meta.steps) if s.activity]
    order = [a.slug for a in m.activities_in_order if a.slug in {x for _, x in steps}]
    for (i, slug), expected in zip(steps, order, strict=False):
        if slug != expected:
            report.warning(m.notes.src.path, m.notes.src.line_of("steps", i, "activity"),
                           f"step runs activity '{slug}' where the agenda has '{expected}'",
                           "order the steps as the activities run: embedded ones where the text "
                           "embeds them, the others after")
            return
