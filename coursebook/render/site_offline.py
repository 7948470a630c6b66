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
import re
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from .. import layout
from ..markdown import EXTENSION
from ..model import Course
from ..write import deterministic_zip, files_below, replace_text
from . import csp, engines, incremental
from . import site_pages as pages

TRAINER_PAGES = "trainer/"
AUTHOR_PAGES = "guide/"  # the authoring guide and the translators' page (it quotes trainer notes)
WORKSHOP_GUIDES = "/workshops/*/trainers-guide.pdf"  # a workshop's trainer's guide (workshop_pdf.py)
DOWNLOADS = "downloads.md"  # shows the sizes of the zip and the jobs' files, known only after the build
DOWNLOADS_HTML = "downloads.html"
SIZE = re.compile(r"@@[0-9a-z-]+-size@@")  # a size's placeholder (`site_pages.ZIP_SIZE`, `size_token`)
TEMPLATE = "downloads-page.html"  # in the edition's work folder: that page as rendered, the sizes still to write
OFFLINE_TEMPLATE = "offline-downloads-page.html"  # the same for the participant site
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
              extra: tuple[Path, ...] = (), late: frozenset[str] = frozenset()) -> Iterator[Future[Path]]:
    """The participant site (`participant_site`), built in a second process while this one
    builds the published site from the same source: on two cores, the edition's two engine
    runs take the time of one. Leaving waits for it."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as other:
        yield other.submit(participant_site, layout.trainers_guide(course), work, engine, extra, late)


def participant_site(guide: str, work: Path, engine: str = engines.DEFAULT,
                     extra: tuple[Path, ...] = (), late: frozenset[str] = frozenset()) -> Path:
    """Build the participant edition of the site from `work/mkdocs.yml` (into
    `work/offline-out`, again only where its source changed) and return its folder. `guide`:
    the trainer's guide (`layout.trainers_guide`); `extra`: what else the engine reads (the
    course's mkdocs.yml, theme overrides); `late`: the files put in after (`incremental.build`)."""
    full = engines.flat(work / "mkdocs.yml")  # the generated config, its INHERIT merged in
    extensions = _participant_extensions(full.get("markdown_extensions") or [])
    overrides = {"nav": _participant_nav(full.get("nav")), "markdown_extensions": extensions,
                 "exclude_docs": f"/{TRAINER_PAGES}\n/{AUTHOR_PAGES}\n/{guide}\n{WORKSHOP_GUIDES}\n"}

    def finish(site: Path, rebuilt: set[str] | None) -> None:
        csp.add_policy(site)  # as in the published site
        unsized(*(site / x for x in engines.SEARCH_INDEXES))

    return incremental.build(engine, work, "offline", overrides, finish, extra=extra,
                             always=rendered_again(work, OFFLINE_TEMPLATE), late=late).path


def unsized(*paths: Path) -> None:
    """No sizes where their placeholders are (`SIZE`) in a search index just written: a size
    found by searching is of no use, and written there it would make the downloads page's
    entries change at every build, so the page would be rendered at every build."""
    for path in paths:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if SIZE.search(text):
                replace_text(path, SIZE.sub("—", text))


def sized(page: Path, template: Path, sizes: dict[str, str]) -> None:
    """Write `sizes` (placeholder → size) into a built downloads `page`, from the page as last
    rendered (`template`), so that the page is rendered again only when its text changes, not
    for a size; a placeholder without a size becomes "—"."""
    if not page.is_file():
        return
    text = shown = page.read_text(encoding="utf-8")
    if SIZE.search(text):  # rendered this time
        template.write_text(text, encoding="utf-8")
    elif template.is_file():
        text = template.read_text(encoding="utf-8")
    else:
        return
    done = SIZE.sub(lambda m: sizes.get(m.group(), "—"), text)
    if done != shown:
        replace_text(page, done)


def offline_zip(course: Course, source: Path, site: Path, work: Path, sizes: dict[str, str]) -> None:
    """Write the edition's zip into the built `site`: its participant site (`source`), every
    file, that site's downloads page given `sizes` first (the zip's own is not known inside
    it); then the sizes, the zip's too, into the site's downloads page."""
    sized(source / DOWNLOADS_HTML, work / OFFLINE_TEMPLATE, sizes)
    zip_path = site / layout.offline_zip(course)
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    inner = Path(layout.offline_zip(course)).as_posix()  # the empty placeholder the site source holds
    files = [(rel, full) for rel, full in files_below(source) if rel != inner]
    zip_path.unlink(missing_ok=True)  # a new file: the last one may be published (a hard link)
    deterministic_zip(((rel, Path(full).read_bytes()) for rel, full in files), zip_path)
    unsized(*(site / x for x in engines.SEARCH_INDEXES))
    sized(site / DOWNLOADS_HTML, work / TEMPLATE, {**sizes, pages.ZIP_SIZE: pages.size(zip_path)})


def rendered_again(work: Path, template: str = TEMPLATE) -> tuple[str, ...]:
    """The pages the site build renders each time: the downloads page, when the page as last
    rendered is not kept (a build made before it was)."""
    return () if (work / template).is_file() else (DOWNLOADS,)
