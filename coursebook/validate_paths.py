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
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Report, line_counter

if TYPE_CHECKING:
    from .load import Sources
    from .model import Course

# top-level folders that hold the engine, its tools or generated files, not course content
NOT_CONTENT = {"coursebook", "tests", "bench", "scripts", "node_modules", "site", "__pycache__"}
ROOT_FILES = ("mkdocs.yml", "AUTHORING.md")
CONTENT_DIRS = ("course", "modules", "slides", "instructor_notes", "theme")


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


def _walk(folder: Path) -> Iterable[Path]:
    """Every entry below `folder`, without following links."""
    for top, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if d not in ("__pycache__", ".git")]
        for name in [*dirs, *files]:
            yield Path(top) / name


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
            confined((p for p in _walk(entry) if p.is_symlink()), root, report)


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


# raw HTML that makes a renderer fetch a file (WeasyPrint for PDFs), in any quoting: <img src>,
# the one such tag and attribute that course text may use (sanitize.py refuses the others)
MEDIA_TAG = re.compile(r"<img\b[^>]*>", re.I)
FETCHED = re.compile(r"""\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.I)


def _sources(text: str) -> list[tuple[int, str, bool]]:
    """(0-based line, path, is an image) of everything in a text that names a file: links,
    images, reference definitions, and what raw HTML tags fetch."""
    from .files import blank_code, links

    found = [(link.line, link.href, link.image) for link in links(text)
             if link.form != "raw" and not (link.form == "inline" and link.image)]  # those: _check_image
    prose = blank_code(text)
    line_at = line_counter(prose)
    for tag in MEDIA_TAG.finditer(prose):
        for attr in FETCHED.finditer(tag[0]):
            value = next(x for x in attr.groups() if x is not None)
            found.append((line_at(tag.start() + attr.start()), value, True))
    return found


def check_paths(course: Course, path: Path, first: int, text: str, report: Report) -> None:
    """Paths in one text that `validate._check_image` does not see must stay in the repository:
    raw `<img src>` (quoted or not), reference definitions (`[ref]: path`, also behind
    `![alt][ref]`) and links to data files. What they name would otherwise be read and
    published, or fetched."""
    from .files import SCHEME, target

    for offset, href, image in _sources(text):
        line = first + offset if first else 0
        where = target(href, path, course.root)
        if where.kind == "outside":
            report.error(path, line, f"'{href}' is outside the repository",
                         "keep the file inside the course repository and give a path relative to this file")
        elif image and SCHEME.match(href) and not href.startswith("data:"):
            report.error(path, line, f"remote image '{href}'",
                         "outputs must work offline: save the image in the repository and link the file")
        elif image and where.kind == "missing":
            report.error(path, line, f"image '{href}' not found", "give a path relative to this file")
