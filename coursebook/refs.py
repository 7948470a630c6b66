"""Cross-references such as [[slide:VI-2]]: found and checked once, resolved per output."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

KINDS = ("slide", "activity", "module", "reading", "page")
PATTERN = re.compile(r"\[\[\s*([a-z]+)\s*:\s*([^\]|]+?)\s*(?:\|\s*([^\]]+?)\s*)?\]\]")


@dataclass(frozen=True)
class Ref:
    kind: str
    key: str
    label: str | None
    line: int  # 0-based line within the text it was found in


def find_refs(text: str) -> Iterator[Ref]:
    for m in PATTERN.finditer(text):
        yield Ref(m[1], m[2], m[3], text.count("\n", 0, m.start()))


def replace_refs(text: str, render: Callable[[Ref], str]) -> str:
    """Replace every reference by what `render` makes of it (Markdown for one output)."""
    return PATTERN.sub(lambda m: render(Ref(m[1], m[2], m[3], 0)), text)
