"""Render stage: the website (not written yet)."""

from __future__ import annotations

from pathlib import Path

from ..context import Context
from ..model import Course


def write_source(course: Course, ctx: Context, docs: Path) -> None:
    """Write the Markdown pages of one language's site into `docs`."""


def build(courses: list[Course], ctx: Context, out: Path) -> None:
    """Run MkDocs on every language's site source, into `out/<lang>/`."""
