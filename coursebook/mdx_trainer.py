"""Python-Markdown extension: trainer-only text removed from the parsed document, at any depth.

Listed in mkdocs.yml's `markdown_extensions`, so MkDocs (pages and search index), the PDFs and
the decks (which build their Markdown from the same list) all drop every element whose class
is `trainer` — `!!! trainer` / `??? trainer` admonitions and `<div class="trainer" markdown>`
blocks — wherever it sits: in a list item, another admonition, a solution, a content tab.
Working on the parsed tree rather than on text patterns means no nesting can slip through.
It is a plain Markdown extension (not an MkDocs plugin), so Zensical can use it too.

Trainer outputs show the same blocks by rewriting their class first
(`coursebook.markdown.trainer_view`: `trainer` becomes `trainer-note`).

The same tree pass can take solutions (`??? solution`, `!!! solution`) out of a document
for printed participant material: a `Solutions` object set on the Markdown instance
(`md.coursebook_solutions`) either drops them or replaces each with a link to its answer and
keeps its HTML, to be printed in an "Answers" section at the end.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from .markdown import SOLUTION, TRAINER

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
TITLES = {"summary"}  # the title element of a `details`; admonitions use p.admonition-title
RAW_TRAINER = re.compile(r"""class\s*=\s*["'][^"']*\btrainer\b""")


def _has(el: etree.Element, cls: str) -> bool:
    return cls in (el.get("class") or "").split()


def _remove(parent: etree.Element, child: etree.Element) -> None:
    """Remove `child`, keeping the text that follows it (its tail)."""
    if child.tail and child.tail.strip():
        i = list(parent).index(child)
        if i:
            prev = parent[i - 1]
            prev.tail = (prev.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


SEPARATOR = " · "  # between links in a line (the home page's): one goes with a removed link


def prune(root: etree.Element, classes: tuple[str, ...] = (TRAINER,)) -> None:
    """Remove every element with one of `classes`, at any depth. A removed link takes its
    list item with it when it starts one, or else the separator before it."""
    parents = {child: parent for parent in root.iter() for child in parent}
    for parent in list(root.iter()):
        for child in list(parent):
            if not any(_has(child, c) for c in classes) or child not in parents:
                continue
            if child.tag == "a" and parent.tag == "li" and list(parent)[0] is child \
                    and not (parent.text or "").strip() and parent in parents:
                _remove(parents[parent], parent)
                continue
            if child.tag == "a":
                _trim_separator(parent, child)
            _remove(parent, child)


def _trim_separator(parent: etree.Element, link: etree.Element) -> None:
    i = list(parent).index(link)
    before = parent[i - 1] if i else None
    text = (before.tail if before is not None else parent.text) or ""
    if text.endswith(SEPARATOR):
        text = text[:-len(SEPARATOR)]
        if before is not None:
            before.tail = text
        else:
            parent.text = text
    elif link.tail and link.tail.startswith(SEPARATOR):
        link.tail = link.tail[len(SEPARATOR):]


def _orphan_footnotes(root: etree.Element) -> None:
    """Drop the footnotes whose only references were in removed blocks: a footnote defined
    inside a trainer block is collected by Python-Markdown into the document's footnote list."""
    refs = {(a.get("href") or "").lstrip("#") for a in root.iter("a") if _has(a, "footnote-ref")}
    parents = {child: parent for parent in root.iter() for child in parent}
    for div in [d for d in root.iter("div") if _has(d, "footnote")]:
        for ol in div.iter("ol"):
            gone = [x for x in ol if x.get("id") not in refs]
            if gone:  # the others keep the numbers their references show
                for number, li in enumerate(ol, 1):
                    li.set("value", str(number))
            for li in gone:
                ol.remove(li)
        if not any(True for _ in div.iter("li")) and div in parents:
            parents[div].remove(div)


def _prune_raw(md: Markdown) -> None:
    """Raw HTML blocks (`<div class="trainer">` without `markdown`) are kept aside by
    Python-Markdown as strings; remove trainer elements from those too."""
    stash = md.htmlStash.rawHtmlBlocks
    for i, block in enumerate(stash):
        if isinstance(block, str) and RAW_TRAINER.search(block):
            import lxml.html

            frags = lxml.html.fragments_fromstring(block)
            out = []
            for frag in frags:
                if isinstance(frag, str):
                    out.append(frag)
                    continue
                if _has(frag, TRAINER):
                    continue
                for el in frag.xpath(".//*[contains(concat(' ', normalize-space(@class), ' '), ' trainer ')]"):
                    el.drop_tree()
                out.append(lxml.html.tostring(frag, encoding="unicode"))
            stash[i] = "".join(out) or "<!-- -->"  # a comment: no empty paragraph is left


@dataclass
class Answer:
    """A solution taken out of the text, to print at the end of the document. It is at
    `#answer-<key>` there; the link left in its place is `#question-<key>`."""

    key: str  # unique in the document, e.g. "VI-2"
    heading: str  # the nearest heading before it in the text (or the context given)
    title: str  # the solution's own title ("Solution")
    html: str


@dataclass
class Solutions:
    """How one conversion treats solutions: "omit" drops them, "end" moves them to `found`."""

    mode: str
    prefix: str  # "VI": keys are "VI-1", "VI-2" … (unique in the document)
    context: str  # heading to give a solution before any heading of the text (a title)
    link: Callable[[str], str]  # the text of the link left in place, for a key
    start: int = 0
    found: list[Answer] = field(default_factory=list)

    def take(self, root: etree.Element, md: Markdown) -> None:
        heading = [self.context]

        def walk(parent: etree.Element) -> None:
            for child in list(parent):
                if child.tag in HEADINGS:
                    heading[0] = "".join(child.itertext()).strip() or heading[0]
                elif _has(child, SOLUTION) and child.tag in ("div", "details", "section"):
                    self._take(parent, child, heading[0], md)
                else:
                    walk(child)
        walk(root)

    def _take(self, parent: etree.Element, el: etree.Element, heading: str, md: Markdown) -> None:
        if self.mode != "end":
            _remove(parent, el)
            return
        self.start += 1
        key = re.sub(r"[^\w-]+", "-", f"{self.prefix}-{self.start}")
        title, body = "", []
        for child in el:
            if child.tag in TITLES or _has(child, "admonition-title"):
                title = "".join(child.itertext()).strip()
            else:
                body.append(child)
        html = "".join(md.serializer(child) for child in body)
        for pp in md.postprocessors:
            html = pp.run(html)
        self.found.append(Answer(key, heading, title, html))
        ref = etree.Element("p", {"class": "answer-ref", "id": f"question-{key}"})
        a = etree.SubElement(ref, "a", {"href": f"#answer-{key}"})
        a.text = self.link(key)
        i = list(parent).index(el)
        ref.tail = el.tail
        parent.remove(el)
        parent.insert(i, ref)


class TrainerTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, classes: tuple[str, ...]):
        super().__init__(md)
        self.classes = classes

    def run(self, root: etree.Element) -> None:
        prune(root, self.classes)
        _orphan_footnotes(root)
        _prune_raw(self.md)
        solutions = getattr(self.md, "coursebook_solutions", None)
        if solutions is not None:
            solutions.take(root, self.md)


class TrainerExtension(Extension):
    """Drops `.trainer` elements. Runs after attr_list (so `{: .trainer }` counts) and
    before the table of contents (so a trainer heading never reaches it). The option `drop`
    names more classes: the offline zip's participant edition also drops `trainer-link`
    (the links to trainer pages)."""

    def __init__(self, **kwargs):
        self.config = {"drop": ["", "more classes to remove, separated by spaces"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        classes = (TRAINER, *str(self.getConfig("drop")).split())
        md.treeprocessors.register(TrainerTreeprocessor(md, classes), "coursebook_trainer", 7.5)


def makeExtension(**kwargs) -> TrainerExtension:  # noqa: N802 (Python-Markdown's entry point)
    return TrainerExtension(**kwargs)
