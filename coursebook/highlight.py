"""Code for print and decks: the Pygments colours of highlighted code, and lines a PDF can
wrap visibly.

pymdownx.highlight marks code with Pygments' classes (`.highlight .k` for a keyword); the
site colours them with Material's own theme, the PDFs and decks with the Pygments style
`STYLE`, chosen because every colour it gives a token has WCAG AA contrast (4.5:1) on the
code background `BACKGROUND` (tested), with built-in functions (`sum`) in their own colour
rather than the keywords' (`return`), as on the site. The CSS is made from Pygments itself at
build time, so it always matches the installed Pygments.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

from .write import put

STYLE = "xcode"
BUILTIN = "#3F6E75"  # xcode's class colour, for built-ins (xcode gives them the keyword purple)
BACKGROUND = "#f3f6f4"  # the shading behind code in the print and slide themes

WRAP_MIN = 24  # characters that fit any code box of the print themes (the narrowest: a slide column)
TAG = re.compile(r"<[^>]+>")
BLOCK = re.compile(r'(<div class="highlight"[^>]*>(?:<span class="filename">.*?</span>)?<pre\b[^>]*>'
                   r"(?:<span></span>)?<code\b[^>]*>)(.*?)(</code></pre>)", re.S)


def style() -> type:
    """The Pygments style of print and decks: `STYLE`, built-ins in `BUILTIN`."""
    from pygments.styles import get_style_by_name
    from pygments.token import Name

    base = get_style_by_name(STYLE)
    return type("CourseStyle", (base,), {"styles": {**base.styles, Name.Builtin: BUILTIN}})


def pygments_css() -> str:
    """The token colours of `style()` for `.highlight` code, as CSS (no backgrounds: the
    themes shade code themselves)."""
    from pygments.formatters import HtmlFormatter

    rules = HtmlFormatter(style=style()).get_token_style_defs(".highlight")
    return f"/* Pygments style '{STYLE}', made by coursebook/highlight.py; do not edit */\n" + \
        "\n".join(rules) + "\n"


def write_css(folder: Path) -> Path:
    """Write `pygments.css` into `folder` (unless it is already there, unchanged)."""
    path = folder / "pygments.css"
    put(path, pygments_css())
    return path


def code_lines(html: str) -> str:
    """Each line of every code block in its own `<span class="code-line">`, so that print CSS can
    wrap a long line with a hanging indent and mark its continuation. Pygments closes its
    spans at every line end, so splitting at newlines keeps the markup whole; the newlines
    stay in the text (copying from the PDF gives the code as written). Lines longer than
    `WRAP_MIN` are marked `long`: drawing the marker on every line would slow WeasyPrint."""
    def line(x: str) -> str:
        long = len(html_lib.unescape(TAG.sub("", x))) > WRAP_MIN  # only these draw the marker
        return f'<span class="code-line{" long" if long else ""}">{x}\n</span>'

    def lines(m: re.Match) -> str:
        body = m[2][:-1] if m[2].endswith("\n") else m[2]
        return m[1] + "".join(line(x) for x in body.split("\n")) + m[3]
    return BLOCK.sub(lines, html) if '<div class="highlight"' in html else html


def for_print(html: str) -> str:
    """A whole print document's code and maths made ready for WeasyPrint, which runs no
    script: formulas drawn as images, code lines wrapped in spans."""
    from .maths import render_maths

    return code_lines(render_maths(html))
