"""Scaffolds: new modules, activities and languages as valid files, every field shown."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .load import theme_file

MODULE = """---
# The module's metadata. Every key is described in AUTHORING.md.
id: {id}                       # unique; used in slide ids ({id}-2) and [[module:{id}]]
title: {title}
order: {order}                  # position in the course and the agenda
presentation_minutes: 20        # the talk before the activities
# minutes: 60                   # optional total; computed from the parts when absent
objectives:
  - What participants will be able to do
key_points:
  - The one thing to remember
readings: []                    # e.g. "[[reading:asia-pacific-seoul-2003]]"
sources: []                     # where the facts come from
---
## Background

Text for participants. Show [[slide:{id}-2]] while you present it.

!!! trainer "Note for the trainer"
    Only trainers see this: the trainer view and the trainer's guide.
"""

ACTIVITY = """---
title: {title}
minutes: 30                     # time the activity takes
grouping: Small groups of 4–5 participants
materials: [Flip chart, Markers]
output: What each group produces
slide: {slide}                  # the slide to show while it runs
---
1. First step for participants.
2. Second step.
"""

NOTES = """---
preparation_minutes: 15
materials: [Flip chart]
room_setup: How to arrange the room
copies: []                      # handouts to print, e.g. "Worksheet — one per participant"
steps:                          # facilitation steps; their minutes add up to the module's
  - minutes: 20
    do: Present the background with [[slide:{id}-2]].
---
Facilitation tips for this module.
"""

DECK = """## {title}

- A first point
- A second point

Note:
What the trainer says while this slide is shown.
"""


def slugify(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "untitled"


def roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


BOM = "\ufeff"


def in_repository(root: Path, path: Path) -> Path:
    """`path` if it (links followed) lies inside the repository `root`; else ValueError:
    commands that write sources never write anywhere else."""
    if not path.resolve().is_relative_to(root.resolve()):
        raise ValueError(f"{path} is outside the course repository {root}; "
                         "give a file of this course (or --root)")
    return path


def read_source(path: Path) -> tuple[str, str, str]:
    """(text with '\n' line ends, BOM or "", the file's line end): what `write_source` needs
    to write the file back the way its author's editor saved it."""
    raw = path.read_bytes().decode("utf-8")
    bom = BOM if raw.startswith(BOM) else ""
    newline = "\r\n" if "\r\n" in raw else "\n"
    return raw.removeprefix(bom).replace("\r\n", "\n"), bom, newline


def write_source(path: Path, text: str, bom: str = "", newline: str = "\n") -> None:
    """Write a source file back with its BOM (first) and its line ends kept."""
    path.write_bytes((bom + text.replace("\n", newline)).encode("utf-8"))


def _create(root: Path, path: Path, text: str) -> Path:
    in_repository(root, path)
    if path.exists() or path.is_symlink():
        raise FileExistsError(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    in_repository(root, path)  # a folder on the way may be a link
    path.write_text(text, encoding="utf-8")
    return path


def new_module(root: Path, title: str) -> list[Path]:
    """A module folder with its module.md, trainer notes and deck, numbered after the last."""
    existing = [int(m[1]) for p in (root / "modules").glob("*")
                if (m := re.match(r"^(\d+)-", p.name))]
    order = max(existing, default=0) + 1
    slug = f"{order:02d}-{slugify(title)}"
    ident = roman(order)
    values = {"id": ident, "title": title, "order": order}
    return [
        _create(root, root / "modules" / slug / "module.md", MODULE.format(**values)),
        _create(root, root / "instructor_notes" / f"{slug}.md", NOTES.format(**values)),
        _create(root, root / "slides" / f"{slug}.md", DECK.format(**values)),
    ]


def new_activity(root: Path, module: str, title: str) -> Path:
    """An activity in the module whose folder, slug or id is `module`."""
    folders = [p for p in sorted((root / "modules").glob("*")) if p.is_dir()]
    match = [p for p in folders if module in (p.name, p.name.split("-", 1)[-1])]
    if not match:
        for p in folders:
            head = (p / "module.md").read_text(encoding="utf-8") if (p / "module.md").exists() else ""
            if re.search(rf"(?m)^id:\s*{re.escape(module)}\s*(#.*)?$", head):
                match = [p]
    if not match:
        raise ValueError(f"no module '{module}'; give its folder name, e.g. "
                         + ", ".join(p.name for p in folders))
    folder = match[0]
    head = (folder / "module.md").read_text(encoding="utf-8")
    ident = re.search(r"(?m)^id:\s*(\S+)", head)
    slide = f"{ident[1]}-2" if ident else "null"
    return _create(root, folder / "activities" / f"{slugify(title)}.md", ACTIVITY.format(title=title, slide=slide))


def new_language(root: Path, lang: str) -> list[Path]:
    """Add a language: its entry in course.yml, a course.<lang>.yml and an interface catalogue."""
    if not re.match(r"^[a-z]{2,3}([-_][A-Za-z]{2,4})?$", lang):
        raise ValueError(f"'{lang}' is not a language code; use e.g. es, fr, ar, zh")
    course = in_repository(root, root / "course" / "course.yml")
    text, bom, newline = read_source(course)
    m = re.search(r"(?m)^languages:\s*\[(.*?)\]\s*$", text)
    if m is None:
        raise ValueError("course.yml has no 'languages: [...]' line to add the language to")
    langs = [x.strip() for x in m[1].split(",") if x.strip()]
    if lang in langs:
        raise ValueError(f"'{lang}' is already a language of this course")
    text = text[: m.start()] + f"languages: [{', '.join([*langs, lang])}]" + text[m.end():]
    source = re.search(r"(?m)^language:\s*(\S+)", text)
    src_lang = source[1] if source else "en"
    lines = theme_file(root, f"i18n/{src_lang}.yml").read_text(encoding="utf-8").splitlines()
    stub = [x if not x.strip() or x.startswith("#") else f"# {x}" for x in lines]
    made = [_create(root, root / "course" / f"course.{lang}.yml",
                    f"# The {lang} edition's translated course fields (see AUTHORING.md).\n"
                    "# title: \n# subtitle: \n")]
    catalogue = root / "theme" / "i18n" / f"{lang}.yml"
    if not catalogue.exists():
        made.append(_create(root, catalogue, f"# UNTRANSLATED: interface strings for '{lang}'. Uncomment each "
                            "line and\n# translate its value; until then the source language is shown.\n"
                            + "\n".join(stub) + "\n"))
    write_source(course, text, bom, newline)  # only the languages line changed
    made.append(course)
    return made
