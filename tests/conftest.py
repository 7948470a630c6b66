"""Shared test helpers: small courses written into temporary folders."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of the small valid fixture course, safe to modify."""
    dest = tmp_path / "course-repo"
    shutil.copytree(MINI, dest)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def write(root: Path, rel: str, text: str) -> Path:
    """Write a file of a test course, dedenting the text."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path
