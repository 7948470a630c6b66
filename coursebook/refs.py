"""Cross-references such as [[slide:VI-2]]: found and checked once, resolved per output."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .diagnostics import line_counter

KINDS = ("slide", "activity", "module", "reading", "page")
EMBED = "embed"  # `[[embed:slug]]` places an activity (embed.py), it is not a link
PATTERN = re.compile(r"\[\[\s*([a-z]+)\s*:\s*([^\]|]+?)\s*(?:\|\s*([^\]]+?)\s*)?\]\]")


@dataclass(frozen=True)
class Ref:
    kind: str
    key: str
    label: str | None
    line: int  # 0-based line within the text it was found in


def find_refs(text: str) -> Iterator[Ref]:
    line_at = None  # made at the first reference: most texts have none
    for m in PATTERN.finditer(text):
        if m[1] == EMBED:
            continue
        line_at = line_at or line_counter(text)
        yield Ref(m[1], m[2], m[3], line_at(m.start()))


def replace_refs(text: str, render: Callable[[Ref], str]) -> str:
    """Replace every reference by what `render` makes of it (Markdown for one output)."""
    return PATTERN.sub(lambda m: m[0] if m[1] == EMBED else render(Ref(m[1], m[2], m[3], 0)), text)
