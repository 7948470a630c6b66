"""Courses for the translators' workflow tests: copies, never the repository in place."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from coursebook.cli import main

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ("course", "modules", "slides", "instructor_notes", "theme", "mkdocs.yml")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


def commit(root: Path, message: str = "course") -> None:
    git(root, "add", "-A")
    git(root, "-c", "user.email=t@example.org", "-c", "user.name=Test", "commit", "-qm", message)


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """The default course (every language) in a git repository of its own."""
    dest = tmp_path / "repo"
    dest.mkdir()
    for name in CONTENT:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / name)
    git(dest, "init", "-q")
    commit(dest)
    return dest


def run(root: Path, *args: str) -> int:
    """A coursebook command on `root` (--root added after the command)."""
    return main([args[0], "--root", str(root), *args[1:]])
