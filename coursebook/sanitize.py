"""No markup injection: which raw HTML course text may hold, and metadata as text.

One allowlist serves two lines of defence. `check` reports every element, attribute and link
that the allowlist refuses, at its file:line (`check_course`), so a hostile or careless page
never builds; and the renderers pass the HTML of course text through the same allowlist
(`clean`, with nh3), so whatever slipped past is removed from the PDFs and decks anyway.
Metadata (titles, objectives, names) is text: `esc` / `esc_markdown` escape it for the
Markdown pages of the site, `esc_html` for HTML the engine writes itself.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import nh3

from .diagnostics import line_counter
from .memo import remember

if TYPE_CHECKING:
    from markdown.extensions import Extension

    from .diagnostics import Report
    from .model import Course

# What authors may write as raw HTML in course text (AUTHORING.md, "Images, HTML and safety")
BLOCKS = {"div", "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
          "blockquote", "pre", "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr",
          "th", "td", "details", "summary", "figure", "figcaption"}
INLINE = {"span", "a", "img", "em", "strong", "b", "i", "u", "s", "q", "cite", "small", "code", "kbd",
          "samp", "var", "mark", "abbr", "sup", "sub", "del", "ins", "time", "wbr"}
TAGS = BLOCKS | INLINE | {"h1"}
GLOBAL = {"class", "id", "lang", "dir", "title", "markdown"}  # markdown: md_in_html's switch
ATTRIBUTES = {
    "*": GLOBAL,
    "a": {"href", "name"}, "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align", "style"}, "th": {"colspan", "rowspan", "align", "scope", "style"},
    "col": {"span"}, "colgroup": {"span"}, "ol": {"start", "type", "reversed"}, "li": {"value"},
    "details": {"open"}, "abbr": {"title"}, "time": {"datetime"}, "q": {"cite"},
}
URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "data", "poster", "background",
                  "xlink:href", "srcset", "codebase", "lowsrc", "dynsrc", "ping"}
SCHEMES = {"http", "https", "mailto", "tel"}
# What the Markdown extensions themselves write (content tabs, tables' alignment), which the
# renderers' pass must keep but authors need not write by hand
RENDERED_TAGS = TAGS | {"input", "label"}
RENDERED_ATTRIBUTES = {**ATTRIBUTES, "input": {"name", "checked"}, "label": {"for"},
                       "div": {"data-tabs"}}
REMOVED_WITH_CONTENT = {"script", "style", "template", "noscript", "iframe", "object", "embed",
                        "textarea", "select", "svg", "math"}


# Python-Markdown's autolinks: <https://…>, <ftp://…> and <someone@example.org> are links
AUTOLINK = re.compile(r"<(?:(?:[Ff]|[Hh][Tt])[Tt][Pp][Ss]?://[^<>\s]*|[^<> !:/]+@[^@<> ]+)>")

def clean(fragment: str) -> str:
    """HTML of course text with everything outside the allowlist removed (second line of
    defence: `check` has already refused it at its file:line)."""
    return nh3.clean(fragment, tags=RENDERED_TAGS, clean_content_tags=REMOVED_WITH_CONTENT,
                     attributes=RENDERED_ATTRIBUTES, url_schemes=SCHEMES, link_rel=None,
                     strip_comments=True, filter_style_properties={"text-align"},
                     set_tag_attribute_values={"input": {"type": "radio"}})  # tabs' switches only


def makeExtension(**kwargs: object) -> Extension:  # noqa: N802 (Python-Markdown's name)
    """The allowlist as a Python-Markdown extension (`mdx_sanitize.py`): this module is
    `coursebook.sanitize` in mkdocs.yml, and `check` uses it without the Markdown library."""
    from .mdx_sanitize import SanitizeExtension

    return SanitizeExtension(**kwargs)


def __getattr__(name: str) -> object:
    if name == "SanitizeExtension":  # `coursebook.sanitize:SanitizeExtension` in a config
        from .mdx_sanitize import SanitizeExtension

        return SanitizeExtension
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def esc_html(text: str) -> str:
    """Text for HTML the engine writes itself (MkDocs config values, the root page)."""
    return html.escape(text, quote=True)


CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)
DISPLAY_MATHS = re.compile(r"(?<!\\)\$\$.+?\$\$|\\begin\{(\w+\*?)\}.+?\\end\{\1\}", re.S)
MATHS = re.compile(r"(?<![\\$])\$(?!\s)(?:\\.|[^$\\\n])+?(?<!\s)\$(?!\d)")
REF = re.compile(r"\[\[[^\]\n]*\]\]")
LITERAL = re.compile("|".join(f"(?:{p.pattern})" for p in (CODE_SPAN, MATHS, REF)), re.S)
# Markdown's inline syntax anywhere, and list markers at the start of a value
MARKDOWN_PUNCTUATION = re.compile(r"[\\`*_{}\[\]#|~^=$]|^[-+]|(?<=\d)[.)](?=\s|$)")


def _outside(text: str, literal: re.Pattern, change) -> str:
    """`change` applied to the text between the spans that must stay as written."""
    out, last = [], 0
    for m in literal.finditer(text):
        out += [change(text[last:m.start()]), m[0]]
        last = m.end()
    return "".join([*out, change(text[last:])])


def _entities(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc(text: str) -> str:
    """Plain metadata (a title, a name) for a Markdown page: shown exactly as written.
    `<` `>` `&` and Markdown's punctuation become character references (which no Markdown
    extension reads as syntax), so a title can neither inject HTML nor break the table cell,
    link or heading it is put in; the emphasis the page itself puts around it (`**title**`)
    still works."""
    text = _entities(" ".join(text.split()))
    return MARKDOWN_PUNCTUATION.sub(lambda m: f"&#{ord(m[0])};", text)


def esc_markdown(text: str) -> str:
    """Markdown metadata (an objective, a step): formatting, links, maths and references
    work, raw HTML shows as text. Code spans, maths and references are left as written
    (Markdown escapes code and maths itself)."""
    text = " ".join(text.split())
    return _outside(text, LITERAL, lambda part: _entities(part).replace("|", "\\|"))


# ---- check: every removed thing, at its line ----

FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
MD_LINK = re.compile(r"(?<!!)\]\(\s*<?([^)\s>]+)")
MD_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.M)
ATTR_LIST = re.compile(r"\{:?([^{}\n]*)\}")
ATTR_PAIR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")


def without_code(text: str) -> str:
    """The text with fenced code blocks (at any indent), code spans and maths blanked, lines
    kept: what is shown as code or typeset as maths is text, not markup."""
    lines, fence = text.split("\n"), ""
    for i, line in enumerate(lines):
        m = FENCE.match(line)
        if fence:
            if m and m[1][0] == fence[0] and len(m[1]) >= len(fence) and not line.strip().strip(fence[0]):
                fence = ""
            lines[i] = ""
        elif m:
            fence, lines[i] = m[1], ""
    blank = lambda m: "\n" * m[0].count("\n")  # noqa: E731
    text = CODE_SPAN.sub(blank, "\n".join(lines))
    return MATHS.sub(blank, DISPLAY_MATHS.sub(blank, text))


def _scheme(url: str) -> str | None:
    """The scheme of a URL if it is not allowed (entities and blanks cannot hide it)."""
    url = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(url)).lower()
    m = re.match(r"([a-z][a-z0-9+.-]*):", url)
    return m[1] if m and m[1] not in SCHEMES else None


def _link_problem(scheme: str) -> tuple[str, str]:
    return (f"{scheme}: link is not allowed in course text",
            "link to a web page (https://…), an e-mail address (mailto:…) or a file of the course")


class _Tags(HTMLParser):
    """Every start tag of raw HTML with its line (0-based) and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.found.append((self.getpos()[0] - 1, tag, attrs))


def problems(text: str) -> Iterator[tuple[int, str, str]]:
    """(line within the text, message, hint) for every element, attribute and link of
    Markdown course text that the allowlist refuses; code is exempt."""
    prose = without_code(text)
    line_at = line_counter(prose)
    parser = _Tags()
    parser.feed(AUTOLINK.sub(lambda m: " " * len(m[0]), prose))  # <https://…> is a link, not a tag
    parser.close()
    for line, tag, attrs in parser.found:
        if tag not in TAGS:
            yield line, f"raw HTML <{tag}> is not allowed in course text", \
                "scripts, frames, forms and styles are not content; tables, <br>, <sup>, <sub>, " \
                "<abbr>, <details>, <img>, <div>, <span>, <kbd>, <mark> and <figure> are allowed"
            continue
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name.startswith("on"):
                yield line, f"attribute {name} on <{tag}> is not allowed: it runs a script", "remove it"
            elif name not in allowed:
                yield line, f"attribute {name} on <{tag}> is not allowed", \
                    f"<{tag}> may have: {', '.join(sorted(allowed))}"
            elif name in URL_ATTRIBUTES and value and (scheme := _scheme(value)):
                yield (line, *_link_problem(scheme))
    for pattern in (MD_LINK, MD_DEFINITION):
        for m in pattern.finditer(prose):
            if scheme := _scheme(m[1]):
                yield (line_at(m.start()), *_link_problem(scheme))
    yield from _attr_list_problems(prose, line_at)


def _attr_list_problems(prose: str, line_at: Callable[[int], int]) -> Iterator[tuple[int, str, str]]:
    """attr_list (`{: onclick=… }`) writes attributes too."""
    for m in ATTR_LIST.finditer(prose):
        line = line_at(m.start())
        for pair in ATTR_PAIR.finditer(m[1]):
            name, value = pair[1].lower(), pair[2] or pair[3] or pair[4] or ""
            if name.startswith("on"):
                yield line, f"attribute {name} is not allowed: it runs a script", "remove it from the {: …}"
            elif name in URL_ATTRIBUTES and (scheme := _scheme(value)):
                yield (line, *_link_problem(scheme))


def link_problems(text: str) -> Iterator[tuple[int, str, str]]:
    """Problems of Markdown metadata (objectives, steps): its HTML shows as text, its links work."""
    prose = without_code(text)
    for m in MD_LINK.finditer(prose):
        if scheme := _scheme(m[1]):
            yield (0, *_link_problem(scheme))


def _texts(course: Course) -> Iterator[tuple[Path, int, str, bool]]:
    """(path, first line, text, is it Markdown body text) of everything authors write."""
    for page in course.pages + course.readings:
        yield page.path, page.body_line, page.body, True
    for m in course.modules:
        yield m.path, m.body_line, m.body, True
        for key in ("objectives", "key_points", "readings"):
            for i, item in enumerate(getattr(m.meta, key)):
                yield m.path, m.sf.line_of(key, i), item, False
        for a in m.activities:
            yield a.path, a.body_line, a.body, True
        if m.notes:
            yield m.notes.path, m.notes.body_line, m.notes.body, True
            for i, step in enumerate(m.notes.meta.steps):
                yield m.notes.path, m.notes.sf.line_of("steps", i, "do"), step.do, False
        if m.deck:  # the whole deck, as written: slides and speaker notes at their lines
            yield m.deck.path, m.deck.body_line, m.deck.body, True


def check_course(course: Course, report: Report, checked: set | None = None) -> None:
    """Report raw HTML, attributes and links that the allowlist refuses, at file:line.
    `checked`: what the other editions of this run checked already (a text shown unchanged
    in several editions, a fallback, is checked once)."""
    checked = set() if checked is None else checked
    for path, first, text, body in _texts(course):
        if ("sanitize", path, first, text, body) in checked:
            continue
        checked.add(("sanitize", path, first, text, body))
        found = remember("sanitize", (str(body), text), partial(_problems, text, body))  # per text, between runs
        for line, message, hint in found:
            report.error(path, first + line if first else 0, message, hint)


def _problems(text: str, body: bool) -> list[tuple[int, str, str]]:
    return list(problems(text) if body else link_problems(text))
