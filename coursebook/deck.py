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
    return [(ln, lines) for ln, lines in chunks if any(x.strip() for x in lines)]


def parse_deck(body: str, first_line: int, module_id: str, path: Path,
               report: Report) -> list[Slide]:
    """The written slides of a deck, numbered from 2 (the title slide is number 1)."""
    slides = []
    for n, (line, lines) in enumerate(_chunks(body, first_line), start=2):
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
                options[key] = value.strip("\"'")
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
        title = next((HEADING.match(x)[1] for x in text if HEADING.match(x)), "")
        slides.append(Slide(
            id=options.get("id") or f"{module_id}-{n}", title=title,
            body="\n".join(text).strip("\n"), notes="\n".join(notes).strip(),
            layout=layout, line=line, path=path, options=options))
    return slides
