"""Split a deck's Markdown into slides: `---` between slides, `Note:` before speaker notes,
an optional `<!-- slide: id=… layout=… -->` comment first."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Report

LAYOUTS = ("default", "two-column", "section", "image", "title")
OPTIONS = re.compile(r"^\s*<!--\s*slide:(.*?)-->\s*$")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
OPTION_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")  # lands in HTML ids and classes
MAX_SLIDES = 500  # per deck (AUTHORING.md, "Limits")


@dataclass
class Slide:
    id: str
    title: str
    body: str
    notes: str = ""
    layout: str = "default"
    line: int = 1  # file line where the slide starts
    path: Path | None = None
    options: dict[str, str] = field(default_factory=dict)

    @property
    def number(self) -> str:
        return self.id


def _chunks(body: str, first_line: int) -> list[tuple[int, list[str]]]:
    chunks: list[tuple[int, list[str]]] = [(first_line, [])]
    in_fence = False
    for i, line in enumerate(body.split("\n")):
        if FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and line.strip() == "---":
            chunks.append((first_line + i + 1, []))
        else:
            chunks[-1][1].append(line)
    while chunks and not any(x.strip() for x in chunks[-1][1]):
        chunks.pop()  # a '---' at the end of the file is no slide
    if chunks and not any(x.strip() for x in chunks[0][1]):
        chunks.pop(0)  # nor a '---' at its start
    return chunks


def _empty(path: Path, line: int, n: int, text: list[str], notes: list[str], report: Report) -> bool:
    """Report a slide with nothing to show. It is left out, so that the ids of the slides
    after it stay the ones the author counted (`[[slide:VI-3]]`, translated decks)."""
    if any(x.strip() for x in text):
        return False
    if n == 2 and notes:
        report.error(path, line, "speaker notes before the first slide",
                     "put 'Note:' and the notes after the slide's content")
    elif notes:
        report.error(path, line, "a slide with speaker notes only",
                     "give the slide content, or move the notes to the slide before it")
    else:
        report.error(path, line, "an empty slide", "give the slide content, or remove one of its '---' lines")
    return True


def parse_deck(body: str, first_line: int, module_id: str, path: Path,
               report: Report) -> list[Slide]:
    """The written slides of a deck, numbered from 2 (the title slide is number 1)."""
    slides: list[Slide] = []
    chunks = _chunks(body, first_line)
    if len(chunks) > MAX_SLIDES:
        report.error(path, chunks[MAX_SLIDES][0], f"the deck has {len(chunks)} slides; the limit is "
                     f"{MAX_SLIDES}", "split the module, or its deck, into smaller ones")
        chunks = chunks[:MAX_SLIDES]
    for line, lines in chunks:
        n = len(slides) + 2
        while lines and not lines[0].strip():
            lines.pop(0)
            line += 1
        options: dict[str, str] = {}
        m = OPTIONS.match(lines[0]) if lines else None
        if m:
            for item in m[1].split():
                key, sep, value = item.partition("=")
                if not sep or key not in ("id", "layout", "class"):
                    report.error(path, line, f"unknown slide option '{item}'",
                                 "write <!-- slide: id=VI-roles layout=two-column -->")
                    continue
                value = value.strip("\"'")
                if not OPTION_VALUE.match(value):
                    report.error(path, line, f"slide option {key}={value!r} is not allowed",
                                 "use letters, digits, '-' and '_' only, e.g. id=VI-roles")
                    continue
                options[key] = value
            lines = lines[1:]
        layout = options.get("layout", "default")
        if layout not in LAYOUTS:
            report.error(path, line, f"unknown slide layout '{layout}'",
                         "use one of: " + ", ".join(LAYOUTS[:-1]))
            layout = "default"
        text, notes = [], []
        target = text
        for x in lines:
            if target is text and x.strip() == "Note:":
                target = notes
                continue
            target.append(x)
        if _empty(path, line, n, text, notes, report):
            continue
        title = next((HEADING.match(x)[1] for x in text if HEADING.match(x)), "")
        slides.append(Slide(
            id=options.get("id") or f"{module_id}-{n}", title=title,
            body="\n".join(text).strip("\n"), notes="\n".join(notes).strip(),
            layout=layout, line=line, path=path, options=options))
    return slides
