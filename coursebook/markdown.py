"""The one Markdown pipeline: Python-Markdown with the extensions from mkdocs.yml.

The site (through MkDocs), the PDFs and the slides all read `markdown_extensions` from the
same file, so a table, an admonition or a footnote renders the same way everywhere.
Trainer-only text lives in `!!! trainer` admonitions; `participant()` removes them.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import markdown as md
import yaml

TRAINER_OPEN = re.compile(r"^(?:!!!|\?\?\?\+?)\s+trainer\b")


class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, including its `!!python/name:` and `!ENV` tags."""


def _python_name(loader: yaml.Loader, suffix: str, node: yaml.Node) -> Any:
    module, _, attr = suffix.rpartition(".")
    return getattr(importlib.import_module(module), attr)


_MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)
_MkDocsLoader.add_constructor("!ENV", lambda loader, node: None)
_MkDocsLoader.add_constructor("!relative", lambda loader, node: None)


def mkdocs_yml(root: Path) -> Path:
    """The course's mkdocs.yml, or the engine's own for a course without one (test courses)."""
    own = root / "mkdocs.yml"
    return own if own.exists() else Path(__file__).resolve().parent.parent / "mkdocs.yml"


def mkdocs_config(root: Path) -> dict[str, Any]:
    path = mkdocs_yml(root)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_MkDocsLoader) or {}  # noqa: S506


def extensions(root: Path) -> tuple[list[str], dict[str, dict]]:
    """The `markdown_extensions` of mkdocs.yml, as Python-Markdown arguments."""
    names: list[str] = []
    configs: dict[str, dict] = {}
    for item in mkdocs_config(root).get("markdown_extensions") or []:
        if isinstance(item, dict):
            for name, conf in item.items():
                names.append(name)
                configs[name] = conf or {}
        else:
            names.append(item)
    return names, configs


class Markdown:
    """Converts Markdown to HTML with the project's extensions (site, PDF and slides)."""

    def __init__(self, root: Path):
        names, configs = extensions(root)
        self._md = md.Markdown(extensions=names, extension_configs=configs)

    def html(self, text: str) -> str:
        self._md.reset()
        return self._md.convert(text)

    def inline(self, text: str) -> str:
        """Markdown of one line (a title, a list item) without the surrounding <p>."""
        html = self.html(text).strip()
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            return html[3:-4]
        return html


def _blocks(text: str):
    """Yield (is_trainer, lines) runs of the text, trainer admonitions kept whole."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if TRAINER_OPEN.match(lines[i]):
            j = i + 1
            while j < len(lines) and (not lines[j].strip() or lines[j].startswith(("    ", "\t"))):
                j += 1
            while j > i + 1 and not lines[j - 1].strip():
                j -= 1
            yield True, lines[i:j]
            i = j
        else:
            yield False, [lines[i]]
            i += 1


def participant(text: str) -> str:
    """The text without trainer-only admonitions: what participants may see."""
    return "\n".join(x for trainer, block in _blocks(text) if not trainer for x in block)


def trainer_blocks(text: str) -> list[str]:
    """The trainer-only admonitions of a text, each as Markdown."""
    return ["\n".join(block) for trainer, block in _blocks(text) if trainer]
