"""Render stage: pdf (not written yet)."""

from __future__ import annotations

from pathlib import Path

from ..context import Context
from ..model import Course


def render(course: Course, ctx: Context, docs: Path) -> None:
    """Write this course's pdf outputs into the language's site source folder `docs`."""
