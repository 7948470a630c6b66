"""The one Markdown pipeline: Python-Markdown with the extensions from mkdocs.yml.

The site (through MkDocs), the PDFs and the slides all read `markdown_extensions` from the
same file, so a table, an admonition or a footnote renders the same way everywhere.
Trainer-only text lives in `!!! trainer` admonitions (at any depth); the extension
`coursebook.mdx_trainer`, always part of the list, removes them from the parsed document.
Trainer outputs rewrite the class first (`trainer_view`) so the same pipeline shows them.
"""

from __future__ import annotations

import importlib
import re
import types
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .memo_db import Memo

if TYPE_CHECKING:
    from .mdx_trainer import Solutions

EXTENSION = "coursebook.mdx_trainer"
TRAINER = "trainer"  # the class of trainer-only blocks (`mdx_trainer`)
SOLUTION = "solution"  # the class of solutions
# our extensions, in every output whatever the course's mkdocs.yml lists: trainer text removed
# for participants, raw HTML cleaned (`sanitize.py`)
REQUIRED = (EXTENSION, "coursebook.sanitize")
TRAINER_OPEN = re.compile(r"^(?:!!!|\?\?\?\+?)\s+trainer\b")
# an admonition opener at any indentation, in a list item or not: (prefix, marker, title)
NESTED_OPEN = re.compile(r"^(\s*(?:(?:[-*+]|\d+[.)])\s+)?)(!!!|\?\?\?\+?)\s+trainer(?=\s|$)(.*)$")
TRAINER_DIV = re.compile(r"""^(\s*)<div\b([^>]*)\bclass\s*=\s*(["'])trainer\3([^>]*)>\s*$""")
ATTR_TRAINER = re.compile(r"(\{:?[^}\n]*?\.)trainer(?=[\s}])")
FENCE = re.compile(r"^\s*(```|~~~)")
# extensions whose HTML depends on the text alone (no other file read, no clock): conversions
# with only these (and ours) are remembered between builds
PURE = frozenset({
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "sane_lists", "tables", "toc",
    "fenced_code", "codehilite", "legacy_attrs", "legacy_em", "nl2br", "smarty", "wikilinks",
    *(f"markdown.extensions.{x}" for x in ("abbr", "admonition", "attr_list", "def_list", "footnotes",
                                             "md_in_html", "sane_lists", "tables", "toc", "fenced_code")),
    *(f"pymdownx.{x}" for x in ("details", "highlight", "inlinehilite", "superfences", "tabbed", "arithmatex",
                                "tilde", "caret", "mark", "betterem", "critic", "emoji", "escapeall", "keys",
                                "magiclink", "progressbar", "saneheaders", "smartsymbols", "tasklist",
                                "blocks.admonition", "blocks.details", "blocks.tab", "blocks.html",
                                "blocks.definition", "fancylists", "striphtml")),
})


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
    """The course's mkdocs.yml as data, parsed once while the file is unchanged (the site,
    PDFs, slides and KaTeX all read it, for every edition). Shared: read it, never change it."""
    path = mkdocs_yml(root).resolve()
    stat = path.stat()
    return _parsed(path, stat.st_mtime_ns, stat.st_size)


@cache
def _parsed(path: Path, mtime: int, size: int) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_MkDocsLoader) or {}  # noqa: S506


def _missing(listed: list) -> list[str]:
    """Our extensions (`REQUIRED`) that a `markdown_extensions` list lacks."""
    names = {next(iter(x)) if isinstance(x, dict) else x for x in listed}
    return [x for x in REQUIRED if x not in names]


def extensions(root: Path) -> tuple[list[str], dict[str, dict]]:
    """The `markdown_extensions` of mkdocs.yml, as Python-Markdown arguments, ours added
    when the course's own mkdocs.yml lacks them (trainer text must still go, HTML be cleaned)."""
    listed = mkdocs_config(root).get("markdown_extensions") or []
    names: list[str] = []
    configs: dict[str, dict] = {}
    for item in listed:
        if isinstance(item, dict):
            for name, conf in item.items():
                names.append(name)
                configs[name] = conf or {}
        else:
            names.append(item)
    return names + _missing(listed), configs


def site_extensions(root: Path) -> list | None:
    """The `markdown_extensions` to give MkDocs when the course's mkdocs.yml lacks one of ours
    (its list plus those), or None when it has them all: trainer text must never reach a
    participant page, nor uncleaned HTML any page, whatever the course's own configuration."""
    listed = mkdocs_config(root).get("markdown_extensions") or []
    missing = _missing(listed)
    return [*listed, *missing] if missing else None


class ConfigDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Writes a generated mkdocs.yml, `!!python/name:` values (e.g. emoji functions) included;
    by libyaml where PyYAML has it (the same text, a fifth of the time: the nav grows with the course)."""


def _name_tag(dumper: yaml.SafeDumper, obj: Any) -> yaml.Node:
    return dumper.represent_scalar(f"tag:yaml.org,2002:python/name:{obj.__module__}.{obj.__qualname__}", "")


ConfigDumper.add_multi_representer(type, _name_tag)
ConfigDumper.add_representer(types.FunctionType, _name_tag)
ConfigDumper.add_representer(types.BuiltinFunctionType, _name_tag)


class Markdown:
    """Converts Markdown to HTML with the project's extensions (site, PDF and slides)."""

    def __init__(self, root: Path, memo: Memo | None = None):
        """`memo`: conversions kept between builds (`memo_db.py`), used when every extension is a
        pure function of the text (one that reads other files, e.g. snippets, is not)."""
        import markdown as md  # here, not at the top: `check` reads mkdocs.yml with this module, converts nothing

        names, configs = extensions(root)
        self._md = md.Markdown(extensions=names, extension_configs=configs)
        pure = self.pure = all(n in PURE or n.startswith("coursebook.") for n in names)  # reads no file
        self._memo, self._config = (memo if pure else None), repr((names, configs))

    def html(self, text: str, solutions: Solutions | None = None) -> str:
        """HTML without trainer-only text; `solutions` (when given) drops or collects the
        text's solutions (see `mdx_trainer.Solutions`): a text with none converts alike
        either way, so its HTML may come from the memo."""
        if self._memo is None or (solutions is not None and SOLUTION in text.lower()):
            return self._convert(text, solutions)
        key = self._memo.key("markdown", self._config, text)
        html = self._memo.get(key)
        if html is None:
            html = self._convert(text, None)
            self._memo.put(key, html)
        return html

    def _convert(self, text: str, solutions: Solutions | None) -> str:
        self._md.reset()
        self._md.coursebook_solutions = solutions
        try:
            return self._md.convert(text)
        finally:
            self._md.coursebook_solutions = None

    def inline(self, text: str) -> str:
        """Markdown of one line (a title, a list item) without the surrounding <p>."""
        html = self.html(text).strip()
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            return html[3:-4]
        return html


def _blocks(text: str):
    """Yield (is_trainer, lines) runs of the text, top-level trainer admonitions kept whole."""
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
    """The text without top-level trainer admonitions. Only a first pass: the Markdown
    extension `mdx_trainer` removes trainer text at any depth from every output."""
    return "\n".join(x for trainer, block in _blocks(text) if not trainer for x in block)


def _unfenced(lines: list[str]):
    """Yield (index, line) of the lines outside fenced code blocks."""
    fence = None
    for i, line in enumerate(lines):
        m = FENCE.match(line)
        if fence:
            if m and m[1] == fence:
                fence = None
            continue
        if m:
            fence = m[1]
            continue
        yield i, line


def trainer_view(text: str, title: str = "") -> str:
    """The text as trainers see it: trainer blocks, at any depth, get the class `trainer-note`
    (styled alike) so the Markdown extension keeps them. An untitled admonition gets `title`."""
    lines = text.split("\n")
    for i, line in _unfenced(lines):
        m = NESTED_OPEN.match(line)
        if m:
            rest = m[3] if m[3].strip() or not title else f' "{title}"'
            lines[i] = f"{m[1]}{m[2]} trainer-note{rest}"
            continue
        d = TRAINER_DIV.match(line)
        if d:
            lines[i] = f"{d[1]}<div{d[2]}class={d[3]}trainer-note{d[3]}{d[4]}>"
            continue
        lines[i] = ATTR_TRAINER.sub(r"\1trainer-note", line)  # `{: .trainer }` on a paragraph
    return "\n".join(lines)


def trainer_blocks(text: str) -> list[str]:
    """The trainer-only blocks of a text at any depth, each as Markdown dedented to the left
    margin (a block nested in another trainer block comes with its parent only)."""
    lines = text.split("\n")
    out, end = [], -1
    for i, line in _unfenced(lines):
        if i < end:
            continue
        m = NESTED_OPEN.match(line)
        d = None if m else TRAINER_DIV.match(line)
        if m:
            col = len(m[1].expandtabs(4))
            j = i + 1
            while j < len(lines) and (not lines[j].strip() or _width(lines[j]) >= col + 4):
                j += 1
            while j > i + 1 and not lines[j - 1].strip():
                j -= 1
            body = [x.expandtabs(4)[col:] for x in lines[i + 1:j]]
            out.append("\n".join([f"{m[2]} trainer{m[3]}", *body]))
            end = j
        elif d:
            depth, j = 0, i
            while j < len(lines):
                depth += len(re.findall(r"<div\b", lines[j])) - len(re.findall(r"</div>", lines[j]))
                j += 1
                if depth <= 0:
                    break
            col = len(d[1].expandtabs(4))
            out.append("\n".join(x.expandtabs(4)[col:] for x in lines[i:j]))
            end = j
    return out


def _width(line: str) -> int:
    """Indentation of a line, tabs counted as four spaces."""
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


__all__ = ["EXTENSION", "REQUIRED", "SOLUTION", "TRAINER", "ConfigDumper", "Markdown", "extensions",
           "mkdocs_config", "mkdocs_yml", "participant", "site_extensions", "trainer_blocks",
           "trainer_view"]
