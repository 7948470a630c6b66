"""Reference resolution for the site: [[kind:key]] becomes a Markdown link relative to the
page that holds it (MkDocs then checks and rewrites links between pages)."""

from __future__ import annotations

import posixpath
from functools import lru_cache

from .. import layout
from ..i18n import Strings
from ..model import Course
from ..refs import Ref, replace_refs
from ..sanitize import esc


@lru_cache(maxsize=1 << 16)
def rel(from_page: str, target: str) -> str:
    """A relative URL from the page `from_page` (e.g. modules/x.md) to `target` (kept: every
    page links to every deck and module page it names, in each edition)."""
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")


def ref_target(course: Course, ref: Ref, t: Strings) -> tuple[str, str]:
    """(link text, target path in the site source) of a reference."""
    if ref.kind == "slide":
        module, slide = course.slide(ref.key)
        return t("slide_ref", id=slide.id), f"{layout.deck_html(module)}#/{slide.id}"
    if ref.kind == "module":
        m = course.module(ref.key)
        return f"{m.id}. {m.title}", layout.module_page(m)
    if ref.kind == "activity":
        a = course.activity(ref.key)
        m = course.module(a.module_id)
        return a.title, f"{layout.module_page(m)}#activity-{a.slug}"
    if ref.kind == "reading":
        p = course.reading(ref.key)
        return p.title, layout.reading_page(p)
    p = course.page(ref.key)
    return p.title, layout.course_page(p)


def resolve(text: str, course: Course, page: str, t: Strings) -> str:
    """Markdown with every reference replaced by a link relative to `page`."""
    def link(ref: Ref) -> str:
        label, target = ref_target(course, ref, t)
        return f"[{ref.label or esc(label)}]({rel(page, target)})"  # a title is text
    return replace_refs(text, link)


def plain(text: str, course: Course, t: Strings) -> str:
    """Text with references replaced by their names (for tables and metadata)."""
    return replace_refs(text, lambda ref: ref.label or ref_target(course, ref, t)[0])
