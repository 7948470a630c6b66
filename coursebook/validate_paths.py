"""Confinement of inputs: everything a build reads and publishes comes from inside the
repository. A symbolic link that leads outside it (or nowhere) is an error reported under the
link's own path, and a path in course.yml (the logo) must name a file in the repository, so
that no file from elsewhere on the machine can end up in the site, a PDF or the offline zip.
Links inside the repository that point inside it are fine.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Report

if TYPE_CHECKING:
    from .load import Sources

# top-level folders that hold the engine, its tools or generated files, not course content
NOT_CONTENT = {"coursebook", "tests", "bench", "scripts", "node_modules", "site", "__pycache__"}
ROOT_FILES = ("mkdocs.yml", "AUTHORING.md")
CONTENT_DIRS = ("course", "modules", "slides", "instructor_notes", "theme")


@cache
def real_folder(folder: Path) -> Path:
    """`folder.resolve()`, once per load (`load_project` forgets them: a folder may have become
    a link since): resolving stats each part of a path, and every text of every edition asks."""
    return folder.resolve()


def real_path(path: Path) -> Path:
    """`path.resolve()`, through its folder's `real_folder` (a link itself resolved in full)."""
    if path.is_symlink() or path.name in ("", ".", ".."):
        return path.resolve()
    return real_folder(path.parent) / path.name


def link_problem(path: Path, root: Path) -> str | None:
    """Why `path` may not be read: it (or a folder above it) is a link leading outside the
    repository, or a link to nothing; None when it may."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        shown = os.readlink(path) if path.is_symlink() else str(resolved)
        return f"symbolic link to '{shown}', outside the repository"
    if path.is_symlink() and not resolved.exists():
        return f"symbolic link to '{os.readlink(path)}', which does not exist"
    return None


HINT = "copy the file into the repository instead, or remove the link"


def confined(paths: Iterable[Path], root: Path, report: Report) -> list[Path]:
    """The paths that may be read; each that may not is reported (under its own path)."""
    keep = []
    for path in paths:
        problem = link_problem(path, root)
        if problem:
            report.error(path, 0, problem, HINT)
        else:
            keep.append(path)
    return keep


def _links(folder: Path) -> Iterable[Path]:
    """Every symbolic link below `folder`, without following links: told by each entry's
    type as the folder's listing gives it (no `stat` per file, which grew with the course)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_symlink():
            yield Path(entry.path)
        elif entry.is_dir(follow_symlinks=False) and entry.name not in ("__pycache__", ".git"):
            yield from _links(Path(entry.path))


def check_symlinks(root: Path, report: Report, out: Path | None = None) -> None:
    """Report every symbolic link in the course's folders that leads outside the repository or
    nowhere: course text, images, data files, the theme (its assets are copied as they are)."""
    root = root.resolve()
    skip = {out.resolve()} if out else set()
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(".") or entry.name in NOT_CONTENT or entry in skip:
            continue
        if entry.is_symlink():
            if entry.is_dir() or entry.name in (*ROOT_FILES, *CONTENT_DIRS):
                confined([entry], root, report)
        elif entry.is_dir():
            confined(_links(entry), root, report)


def check_logo(sources: Sources, report: Report) -> None:
    """`organisation.logo` must be an image file in the repository (it is published)."""
    course = sources.course
    logo = getattr(getattr(course.data, "organisation", None), "logo", None) if course else None
    if not course or not logo:
        return
    line = course.line_of("organisation", "logo")
    path = sources.root / logo
    if Path(logo).is_absolute() or not path.resolve().is_relative_to(sources.root.resolve()):
        report.error(course.path, line, f"logo '{logo}' is outside the repository",
                     "give a path relative to the repository, e.g. theme/assets/logo.svg")
    elif not path.resolve().is_file():
        report.error(course.path, line, f"logo '{logo}' not found",
                     "give a path relative to the repository, e.g. theme/assets/logo.svg")


def where_used(root: Path, resource: str) -> tuple[Path, int] | None:
    """The first course or theme file (and line) that names `resource`, a file a renderer was
    refused: so that its error can point at the Markdown that asked for it."""
    name = Path(resource).name
    if not name:
        return None
    root = root.resolve()
    for folder in CONTENT_DIRS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix not in (".md", ".yml", ".css", ".html") or not path.is_file() \
                    or link_problem(path, root):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for number, line in enumerate(text.splitlines(), 1):
                for token in re.findall(r"""[^\s"'()<>\[\]=]*""" + re.escape(name), line):
                    if resource in (token, str((path.parent / token).resolve()),
                                    str((root / token).resolve())):
                        return path, number
    return None


@lru_cache(maxsize=8)
def committed_files(root: Path) -> list[str]:
    """The files under `.build/` that the repository commits (asked of git, when the folder is
    a git checkout). `.build/` is coursebook's own workspace: it keeps compiled templates and
    remembered results that are loaded as they are, so files a contribution put there would be
    code run by every build and `check`: none of them is ever read (`memo.Store`). Asked once
    per load (`files.forget` clears it)."""
    import shutil
    import subprocess

    if not (root / ".git").exists() or not (root / ".build").is_dir() or shutil.which("git") is None:
        return []
    try:
        done = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--", ".build"],
                              capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    return [x for x in done.stdout.decode("utf-8", "replace").split("\0") if x] if done.returncode == 0 else []


def committed_workspace(root: Path, report: Report) -> bool:
    """Whether the repository commits files under `.build/`, reported as an error (the build
    stops before anything there is used)."""
    names = committed_files(root)
    if not names:
        return False
    report.error(root / names[0], 1, f"{len(names)} file(s) under .build/ are committed to the repository "
                 f"(e.g. {names[0]}); coursebook's workspace is never taken from a contribution, and nothing "
                 "there is read while it is", "remove them from the repository: git rm -r --cached .build "
                 "(.build/ is in .gitignore), then commit")
    return True
