"""Write one PDF with WeasyPrint: the job that `render/pdf.py` and `render/slides.py` hand to
the parallel, cached job runner. Resources may only come from the project (and the engine's
theme); the network and every other file are refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..write import build_time

# WeasyPrint is imported where a PDF is made, not with this module: `check` and `serve`'s
# quick path load the renderers' modules but lay nothing out (WeasyPrint takes a second to import).

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_identifier": b"coursebook",  # tagged PDF/UA
               "optimize_images": True, "presentational_hints": True}  # e.g. <ol start="5">


class RefusedResource(Exception):  # noqa: N818 - reads as what happened
    """A document asked for the network or a file outside the repository. An ordinary
    exception (WeasyPrint's own is a BaseException), so the build reports it and stops."""

    def __init__(self, message: str, resource: str = ""):
        super().__init__(message, resource)
        self.message, self.resource = message, resource

    def __str__(self) -> str:
        return self.message


def ConfinedFetcher(allowed: tuple[str, ...]):  # noqa: N802 - a class, made when WeasyPrint is loaded
    """A URL fetcher that serves files below the allowed folders, and nothing else."""
    return _fetcher_class()(allowed)


@lru_cache(maxsize=1)
def _fetcher_class() -> type:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class Confined(URLFetcher):
        def __init__(self, allowed: tuple[str, ...]):
            super().__init__(allowed_protocols=("file", "data"))
            self.allowed = tuple(Path(a).resolve() for a in allowed)
            self.refused: RefusedResource | None = None

        def fetch(self, url: str, headers: dict | None = None):  # type: ignore[override]
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            if parsed.scheme != "file":
                self._refuse(f"refused to fetch {url}: PDFs are built offline, from files in the "
                             "repository only", url)
            path = Path(unquote(parsed.path)).resolve()
            if not any(path.is_relative_to(a) for a in self.allowed):
                self._refuse(f"refused to read {path}: it is outside the repository", str(path))
            return super().fetch(url, headers)

        def _refuse(self, message: str, resource: str) -> None:
            self.refused = RefusedResource(message, resource)
            raise FatalURLFetchingError(message)  # stops WeasyPrint, which catches any Exception

    return Confined


def build_date() -> str:
    """The date written into PDFs, in their metadata's format: `write.build_time()`."""
    return build_time().strftime("%Y-%m-%dT%H:%M:%SZ")


@contextmanager
def confined(base_url: str, stylesheets: tuple[str, ...], allowed: tuple[str, ...],
             options: dict | None = None) -> Iterator[Callable[[str], object]]:
    """A function that lays HTML out with the stylesheets into a WeasyPrint document, reading
    files below the allowed folders only; a refused resource raises `RefusedResource`."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import FatalURLFetchingError

    fetcher = ConfinedFetcher(allowed)
    options = PDF_OPTIONS if options is None else options
    try:
        css = [CSS(filename=s, url_fetcher=fetcher) for s in stylesheets]
        yield lambda html: HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            stylesheets=css, **options)
    except FatalURLFetchingError as exc:
        raise fetcher.refused or RefusedResource(str(exc)) from None


def write_pdf(html: str, base_url: str, stylesheets: tuple[str, ...], allowed: tuple[str, ...],
              tagged: bool = True, *, out: Path) -> None:
    """Render `html` to the PDF `out` (tagged PDF/UA, fonts subset and embedded). Untagged:
    the page numbers stamped on an assembled workbook (`pdf_assemble`), marked as artifacts there."""
    options = PDF_OPTIONS if tagged else {k: v for k, v in PDF_OPTIONS.items() if k != "pdf_variant"}
    with confined(base_url, stylesheets, allowed, options) as render:
        render(html).write_pdf(out, **options)
