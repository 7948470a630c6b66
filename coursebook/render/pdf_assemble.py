"""Assemble the workbook (or the trainer's guide) from chapters rendered apart, so that a
rebuild after editing one module lays out that module's chapter only (`render/pdf.py` makes
each chapter a cached job, and this assembly a job that needs them: `jobs.Job.after`).

Each chapter is a whole WeasyPrint PDF (tagged PDF/UA) whose page number box is left blank
and whose links to other chapters are written as `coursebook-anchor:ID` (WeasyPrint would
drop a link to an anchor it cannot see). Once the chapters' page counts are known, the
front matter (cover and contents, with literal page numbers) is rendered, then a "stamp"
document of the page numbers ("Page n of N") alone; both are cached by content, so an edit
that moves no page re-renders neither. The merge (qpdf, through pikepdf) keeps what WeasyPrint wrote:
pages, one structure tree (renumbered parent tree), the named destinations of every id
(the first one wins, as in one document), the outline, the front matter's metadata
(title, language, XMP, PDF/UA flags) and the file identifier; the cross-chapter links
become named destinations, and each page number is laid over its page as an artifact.
"""

from __future__ import annotations

import re
from contextlib import ExitStack
from html import unescape
from pathlib import Path
from urllib.parse import unquote

from ..jobs import Job, cached
from .pdf_write import write_pdf

ANCHOR = "coursebook-anchor:"  # a link to an id of another chapter, until the assembly
PAGE_MARK = re.compile(r"@@page:([^@\"]+)@@")  # a contents entry's page number, filled in here
STAMP_PAGES = "<!--stamp-pages-->"  # where stamp.html gets one empty page per page of the whole
_ID = re.compile(r'(?<![\w-])id="([^"]*)"')
_HREF = re.compile(r'(?<![\w-])href="#([^"]+)"')


def chapter_links(html: str) -> str:
    """Links to an id that is not in this chapter's HTML point to `coursebook-anchor:ID`,
    which the assembly turns back into a link to that id's named destination."""
    ids = {unescape(x) for x in _ID.findall(html)}

    def link(m: re.Match) -> str:
        return m[0] if unquote(unescape(m[1])) in ids else f'href="{ANCHOR}{m[1]}"'
    return _HREF.sub(link, html)


def stamp_body(pages: int) -> str:
    """One empty page per page of the whole; the first is the cover, which has no number."""
    return '<div class="stamp-cover"></div>' + '<div class="stamp-page"></div>' * (pages - 1)


def assemble(front_html: str, stamp_html: str, base_url: str, stylesheets: tuple[str, ...],
             allowed: tuple[str, ...], cache: str, *, inputs: tuple[Path, ...] = (), out: Path) -> None:
    """The job that writes the whole document `out` from its chapters' PDFs (`inputs`)."""
    from pikepdf import Pdf  # here: `check` and `serve` import this module, and need no PDF library

    from .pdf_merge import merge, named_pages, save, stamp_pages
    deps = tuple(map(Path, stylesheets))
    with ExitStack() as opened:  # every PDF stays open until the whole is written: qpdf copies streams then
        def rendered(html: str, name: str, *args: bool) -> Pdf:
            job = Job(write_pdf, (html, base_url, stylesheets, allowed, *args), Path(name), deps)
            return opened.enter_context(Pdf.open(cached(job, Path(cache))))
        chapters = [opened.enter_context(Pdf.open(p)) for p in inputs]
        where = [named_pages(r) for r in chapters]
        sizes = [len(r.pages) for r in chapters]
        front_pages = 2  # the cover and one page of contents; corrected if the contents run longer
        for _ in range(5):
            numbers: dict[str, int] = {}
            start = front_pages
            for size, names in zip(sizes, where, strict=True):
                for name, index in names.items():
                    numbers.setdefault(name, start + index + 1)
                start += size
            front = rendered(PAGE_MARK.sub(lambda m, n=numbers: str(n.get(unescape(m[1]), "")), front_html),
                             "front.pdf")
            if len(front.pages) == front_pages:
                break
            front_pages = len(front.pages)
        total = front_pages + sum(sizes)
        stamp = rendered(stamp_html.replace(STAMP_PAGES, stamp_body(total)), "stamp.pdf", False)
        if len(stamp.pages) != total:  # e.g. a course's own layout.html without the stamp's rules
            raise ValueError(f"the page numbers ({len(stamp.pages)} pages) do not fit the {total} pages: "
                             "is theme/pdf/layout.html older than the engine's?")
        whole = merge([front, *chapters])
        stamp_pages(whole, stamp)
        save(whole, out)
