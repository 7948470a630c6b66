"""Python-Markdown extension: the raw-HTML allowlist of `sanitize.py` applied to every
converted text. Its last postprocessor cleans the HTML, so MkDocs (pages and search index),
the PDFs and the decks all get it. Listed in mkdocs.yml as `coursebook.sanitize`, whose
`makeExtension` loads it: `check` imports `sanitize` and never needs the Markdown library."""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

from .sanitize import clean


class _Clean(Postprocessor):
    def run(self, text: str) -> str:
        return clean(text)


class SanitizeExtension(Extension):
    """The allowlist, as the last postprocessor (after raw HTML is put back)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.postprocessors.register(_Clean(md), "coursebook_sanitize", 0)
