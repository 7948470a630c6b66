"""The offline zip of one edition: its participant site, for USB sticks handed to participants.

The published site keeps the trainer pages (a trainer has them open beside the participant
page), but a zip handed out on a stick must carry no trainer-only text. So the zip is made
from a second MkDocs run over the same site source, with the trainer pages, the trainer's
guide and the authors' pages (`guide/`: the translators' page quotes trainer notes) left out
(`exclude_docs`), none of them in the navigation, and the Markdown
extension told to drop the links to them (class `trainer-link`, see `site_pages.TRAINER_LINK`)
and the link to the zip itself (`site-only`), which a zip cannot hold.
Deterministic: members sorted, the build's time (SOURCE_DATE_EPOCH) on each.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from .. import layout
from ..markdown import EXTENSION
from ..model import Course
from ..write import deterministic_zip
from . import csp, engines, incremental
from . import site_pages as pages

TRAINER_PAGES = "trainer/"
AUTHOR_PAGES = "guide/"  # the authoring guide and the translators' page (it quotes trainer notes)
WORKSHOP_GUIDES = "/workshops/*/trainers-guide.pdf"  # a workshop's trainer's guide (workshop_pdf.py)
DOWNLOADS = "downloads.md"  # shows the zip's size, known only after the build: rendered each time
SEARCHED = ("downloads.html", *engines.SEARCH_INDEXES)  # where that size is written (either engine)
DROP = "trainer-link site-only"  # classes the participant site also removes (mdx_trainer's `drop`)


def _participant_nav(nav: list) -> list:
    """The navigation without its trainer pages (a section left empty goes too)."""
    out = []
    for item in nav or []:
        if isinstance(item, dict):
            title, target = next(iter(item.items()))
            if isinstance(target, list):
                kept = _participant_nav(target)
                if kept:
                    out.append({title: kept})
            elif not str(target).startswith((TRAINER_PAGES, AUTHOR_PAGES)):
                out.append(item)
        elif not str(item).startswith((TRAINER_PAGES, AUTHOR_PAGES)):
            out.append(item)
    return out


def _participant_extensions(listed: list | dict) -> list:
    """The site's `markdown_extensions` with the trainer extension told to drop the links a
    participant zip cannot follow (site._config always lists that extension)."""
    items = [{k: v} for k, v in listed.items()] if isinstance(listed, dict) else listed
    out = []
    for item in items:
        if isinstance(item, dict):
            out += [{name: {**(conf or {}), "drop": DROP} if name == EXTENSION else conf}
                    for name, conf in item.items()]
        else:
            out.append({item: {"drop": DROP}} if item == EXTENSION else item)
    return out


@contextmanager
def meanwhile(course: Course, work: Path, engine: str = engines.DEFAULT,
              extra: tuple[Path, ...] = ()) -> Iterator[Future[Path]]:
    """The participant site (`participant_site`), built in a second process while this one
    builds the published site from the same source: on two cores, the edition's two engine
    runs take the time of one. Leaving waits for it."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as other:
        yield other.submit(participant_site, layout.trainers_guide(course), work, engine, extra)


def participant_site(guide: str, work: Path, engine: str = engines.DEFAULT,
                     extra: tuple[Path, ...] = ()) -> Path:
    """Build the participant edition of the site from `work/mkdocs.yml` (into
    `work/offline-out`, again only where its source changed) and return its folder. `guide`:
    the trainer's guide (`layout.trainers_guide`); `extra`: what else the engine reads (the
    course's mkdocs.yml, theme overrides)."""
    full = engines.flat(work / "mkdocs.yml")  # the generated config, its INHERIT merged in
    extensions = _participant_extensions(full.get("markdown_extensions") or [])
    overrides = {"nav": _participant_nav(full.get("nav")), "markdown_extensions": extensions,
                 "exclude_docs": f"/{TRAINER_PAGES}\n/{AUTHOR_PAGES}\n/{guide}\n{WORKSHOP_GUIDES}\n"}

    def finish(site: Path, rebuilt: set[str] | None) -> None:
        csp.add_policy(site)  # as in the published site
        for path in (site / x for x in SEARCHED):  # the zip's size is not known inside it
            if path.is_file():
                path.write_text(path.read_text(encoding="utf-8").replace(pages.ZIP_SIZE, "—"), encoding="utf-8")

    return incremental.build(engine, work, "offline", overrides, finish, extra=extra, always=(DOWNLOADS,)).path


def offline_zip(course: Course, source: Path, site: Path) -> None:
    """Write the edition's zip into the built `site`: its participant site (`source`), every
    file; then the zip's size into the site's downloads page and search index."""
    zip_path = site / layout.offline_zip(course)
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    inner = source / layout.offline_zip(course)  # the empty placeholder the site source holds
    files = sorted(p for p in source.rglob("*") if p.is_file() and p != inner)
    zip_path.unlink(missing_ok=True)  # a new file: the last one may be published (a hard link)
    deterministic_zip(((p.relative_to(source).as_posix(), p.read_bytes()) for p in files), zip_path)
    for path in (site / x for x in SEARCHED):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            path.unlink()
            path.write_text(text.replace(pages.ZIP_SIZE, pages.size(zip_path)), encoding="utf-8")
