"""A copy of the fixture course with hostile strings in every metadata field (legal text that
every output must show as text) and, optionally, hostile raw HTML in the course text (which
`check` must refuse, with file:line)."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tests.conftest import MINI, ROOT

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
QUOTES = "\"quotes' & ampersands &amp;"
MARKS = "a | b [c] \\e {#f} #g"  # Markdown-significant: a table cell, a link label, attr_list
HOSTILE = f"{SCRIPT} {IMG} {QUOTES} {MARKS}"

MOD = "modules/01-basics/module.md"
ACT = "modules/01-basics/activities/warm-up.md"
NOTES = "instructor_notes/01-basics.md"
DECK = "slides/01-basics.md"
READING = "course/readings/case.md"


def h(field: str) -> str:
    """The hostile string, named after its field so that each one can be found in the output."""
    return f"{field} {HOSTILE}"


def _front(path: Path, meta: dict, body: str) -> None:
    path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body,
                    encoding="utf-8")


def hostile_metadata(root: Path) -> None:
    """Every metadata value of the course made hostile (still a valid course)."""
    course = yaml.safe_load((root / "course/course.yml").read_text(encoding="utf-8"))
    course.update(title=h("Title"), subtitle=h("Subtitle"), audience=h("Audience"),
                  authors=[h("Author")], licence=h("Licence"), version=h("Version"))
    course["organisation"]["name"] = h("Organisation")
    course["schedule"]["days"][0]["breaks"][0].update(name=h("Break"), time="09:45")  # in the agenda
    (root / "course/course.yml").write_text(yaml.safe_dump(course, allow_unicode=True), encoding="utf-8")
    es = yaml.safe_load((root / "course/course.es.yml").read_text(encoding="utf-8"))
    es["title"] = h("Titulo")
    es["schedule"]["days"][0]["breaks"][0]["name"] = h("Pausa")
    (root / "course/course.es.yml").write_text(yaml.safe_dump(es, allow_unicode=True), encoding="utf-8")
    _front(root / MOD, {"id": "B", "title": h("Module"), "presentation_minutes": 30,
                        "objectives": [h("Objective")], "key_points": [h("Keypoint")],
                        "readings": ["[[reading:case]]", h("Reading")]},
           "## Introduction\n\nSee [[activity:warm-up]], [[module:B]] and [[slide:B-2]].\n\n"
           "!!! trainer \"Secret tip\"\n    Only trainers see this sentence about walnuts.\n")
    _front(root / "modules/01-basics/module.es.md", {"title": h("Modulo"), "objectives": [h("Objetivo")]},
           "## Introducción\n\nVer [[activity:warm-up]].\n")
    _front(root / ACT, {"title": h("Activity"), "minutes": 45, "grouping": h("Grouping"),
                        "materials": [h("Material")], "output": h("Output"), "slide": "B-2"},
           "1. Talk with your neighbour about a zebra.\n")
    _front(root / NOTES, {"preparation_minutes": 10, "materials": [h("Flipchart")],
                          "room_setup": h("Room"), "copies": [h("Copies")],
                          "steps": [{"minutes": 30, "do": h("Step") + " [[slide:B-2]]"},
                                    {"minutes": 45, "activity": "warm-up", "do": h("Run")}]},
           "Keep the pace brisk.\n")
    _front(root / READING, {"title": h("Reading title"), "region": h("Region"), "summary": h("Summary")},
           "## The case\n\nSee [[reading:case]].\n")
    _front(root / "course/index.md", {"title": h("Welcome")}, "This course has one module: [[module:B]].\n")


# (file, text appended to its body, the lines it adds, the errors check must report there)
HOSTILE_TEXT = [
    (MOD, "\n<script>alert(1)</script>\n", ["<script>"]),
    (MOD, "\n<img src=\"x.png\" alt=\"x\" onerror=\"alert(1)\">\n", ["onerror"]),
    (MOD, "\n[click me](javascript:alert(1))\n", ["javascript:"]),
    (MOD, "\n<iframe src=\"https://example.org\"></iframe>\n", ["<iframe>"]),
    (ACT, "\n<a href=\"JavaScript:alert(1)\">x</a>\n", ["javascript:"]),
    (ACT, "\n<object data=\"x.swf\"></object><embed src=\"y\">\n", ["<object>", "<embed>"]),
    (NOTES, "\n<style>body{display:none}</style>\n", ["<style>"]),
    (READING, "\n<form action=\"x\"><input name=\"q\"></form>\n", ["<form>", "<input>"]),
    (READING, "\n[data](data:text/html;base64,PHNjcmlwdD4=)\n", ["data:"]),
    (DECK, "\n<div onclick=\"alert(1)\">x</div>\n", ["onclick"]),
    (DECK, "\n<a href=\"vbscript:msgbox(1)\">y</a>\n", ["vbscript:"]),
]


def hostile_text(root: Path) -> list[tuple[str, int, str]]:
    """Hostile raw HTML appended to course texts; returns the (file, line, message part)
    check must report."""
    expected = []
    for rel, text, parts in HOSTILE_TEXT:
        path = root / rel
        before = path.read_text(encoding="utf-8")
        path.write_text(before + text, encoding="utf-8")
        line = before.count("\n") + 2
        expected += [(rel, line, part) for part in parts]
    return expected


def course(dest: Path, text: bool = False) -> Path:
    """A hostile copy of the fixture course in `dest`."""
    shutil.copytree(MINI, dest)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    hostile_metadata(dest)
    if text:
        hostile_text(dest)
    return dest
