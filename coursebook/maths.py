"""Maths for print: `$…$` and `$$…$$` (pymdownx.arithmatex, generic mode) drawn as SVG by
ziamath, offline, so that PDFs (and PowerPoint, through `latex_svg`) show formulas, not
LaTeX source. The site and the HTML decks render the same markup with KaTeX in the browser.

The LaTeX source is each formula's text alternative (`alt`), as on Wikipedia: screen readers
read it, and it is what the author wrote. A formula that cannot be drawn is a `check` error
(`check_maths`); should one reach a renderer anyway, it shows as code, never as a blank.
"""

from __future__ import annotations

import base64
import html as html_lib
import re
import shutil
import warnings
from functools import lru_cache
from pathlib import Path

from .write import put_copy

KATEX = "node_modules/katex/dist"  # pinned in package.json; copied once into each edition's site
KATEX_FILES = ("katex.min.css", "katex.min.js")
FONT_PX = 24  # the font size of the SVGs `latex_svg` returns: 1 em = 24 px (ziamath's default)
INK = "#1d2521"  # the body text colour of the print themes

INLINE = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.S)
DISPLAY = re.compile(r'<div class="arithmatex">\\\[(.*?)\\\]</div>', re.S)
UNKNOWN = re.compile(r"<m(?:i|o|n)[^>]*>(\\[A-Za-z]+)</m(?:i|o|n)>")
MATHS_HINT = re.compile(r"\$|\\\(|\\\[|\\begin\{")


class MathsError(ValueError):
    """A formula that cannot be drawn; the message says why, in an author's words."""


def problem(latex: str) -> str | None:
    """Why `latex` cannot be drawn, or None when it can."""
    try:
        _svg(latex.strip(), False)
    except MathsError as exc:
        return str(exc)
    return None


def latex_svg(latex: str, display: bool) -> str:
    """An SVG document of the formula, sized for a 24 px font (`FONT_PX`); its `viewBox` has
    the baseline at y = 0. `display` is `$$…$$` (block style) as opposed to inline `$…$`.
    Raises `MathsError` for LaTeX that cannot be drawn. Stable: the PPTX writer uses it."""
    return _svg(latex.strip(), display)


@lru_cache(maxsize=4096)
def _svg(latex: str, display: bool) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # ziamath still uses pkg_resources
        import ziamath

    depth = 0
    for i, ch in enumerate(latex):
        if ch in "{}" and (i == 0 or latex[i - 1] != "\\"):
            depth += 1 if ch == "{" else -1
            if depth < 0:
                raise MathsError("a '}' closes no '{'")
    if depth:
        raise MathsError(f"{depth} '{{' not closed")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # ziamath still uses pkg_resources
            formula = ziamath.Latex(latex, inline=not display, color=INK)
            unknown = UNKNOWN.search(formula.mathmlstr())
            if unknown:
                raise MathsError(f"unknown command {unknown[1]}")
            return formula.svg()
    except MathsError:
        raise
    except Exception as exc:  # noqa: BLE001 — latex2mathml raises bare Exceptions of many kinds
        name = re.sub(r"(?<!^)(?=[A-Z])", " ", type(exc).__name__).lower().removesuffix(" error")
        raise MathsError(f"{name}{': ' + str(exc) if str(exc) else ''}") from None


def size_em(svg: str) -> tuple[float, float, float]:
    """(width, height, depth below the baseline) of a `latex_svg` SVG, in em."""
    x, y, w, h = (float(v) for v in re.search(r'viewBox="([^"]+)"', svg)[1].split())
    return w / FONT_PX, h / FONT_PX, (y + h) / FONT_PX


def image(latex: str, display: bool) -> str:
    """An <img> of the formula (a vector image in PDFs), sized to the text around it and
    sitting on its baseline, with the LaTeX source as its text alternative. Falls back to the
    source as code when the formula cannot be drawn."""
    alt = html_lib.escape(latex.strip())
    try:
        svg = latex_svg(latex, display)
    except MathsError:
        return f'<code class="maths-error">{alt}</code>'
    width, height, depth = size_em(svg)
    data = base64.b64encode(svg.encode()).decode()
    kind = "maths-display" if display else "maths-inline"
    return (f'<img class="maths {kind}" src="data:image/svg+xml;base64,{data}" alt="{alt}" role="img" '
            f'style="width:{width:.3f}em;height:{height:.3f}em;vertical-align:{-depth:.3f}em">')


def render_maths(html: str) -> str:
    """Arithmatex's maths in `html` replaced by images (for the PDFs, which run no script)."""
    if "arithmatex" not in html:
        return html
    html = DISPLAY.sub(lambda m: f'<div class="arithmatex maths-block">{image(html_lib.unescape(m[1]), True)}'
                       "</div>", html)
    return INLINE.sub(lambda m: image(html_lib.unescape(m[1]), False), html)


def formulas(html: str) -> list[tuple[str, bool]]:
    """The (LaTeX, display) formulas arithmatex found in `html`, in order."""
    found = [(m.start(), html_lib.unescape(m[1]), True) for m in DISPLAY.finditer(html)]
    found += [(m.start(), html_lib.unescape(m[1]), False) for m in INLINE.finditer(html)]
    return [(latex, display) for _, latex, display in sorted(found)]


def check_maths(text: str, path: Path, first: int, report, root: Path) -> None:
    """Report every formula of a Markdown text that cannot be drawn, at its line: by ziamath
    (PDFs, PPTX) or, where Node.js is installed, by the site's KaTeX.

    What counts as maths is what arithmatex finds with the project's Markdown configuration,
    so `$5 and $6` or a `$` in code are never taken for formulas."""
    if not MATHS_HINT.search(text):
        return
    from .markdown import trainer_view  # trainer blocks kept: the trainer's guide renders them

    for latex, display in formulas(_markdown(root).html(trainer_view(text))):
        why = problem(latex)
        if why is None and (katex := _katex_checker(root)) is not None:
            why = katex.problem(latex.strip(), display)
        if why is None:
            continue
        written = [latex.strip()] if display else [f"${latex}$", f"\\({latex}\\)", latex]
        at = next((i for i in (text.find(x) for x in written) if i >= 0), -1)
        line = first + text.count("\n", 0, at) if first and at >= 0 else first
        report.error(path, line, f"formula '{_short(latex)}' cannot be drawn: {why}",
                     "fix the LaTeX (KaTeX's and ziamath's common subset: \\frac, ^, _, \\sqrt, "
                     "\\text{…}, Greek letters); a literal dollar sign is written \\$")


KATEX_CHECK = """
const katex = require(process.argv[1]);
require("readline").createInterface({input: process.stdin}).on("line", line => {
  const [tex, display] = JSON.parse(line);
  let error = null;
  try { katex.renderToString(tex, {displayMode: display, throwOnError: true, strict: "ignore"}); }
  catch (e) { error = String(e.message).replace(/^KaTeX parse error: /, "").split(" at position")[0]; }
  process.stdout.write(JSON.stringify(error) + "\\n");
});
"""


class _KatexChecker:
    """One Node.js process that parses formulas with the site's KaTeX, as the browser will."""

    def __init__(self, katex: Path):
        import atexit
        import subprocess

        self.process = subprocess.Popen(["node", "-e", KATEX_CHECK, str(katex)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, encoding="utf-8")
        atexit.register(self.process.kill)

    def problem(self, latex: str, display: bool) -> str | None:
        import json

        self.process.stdin.write(json.dumps([latex, display]) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())


@lru_cache(maxsize=4)
def _katex_checker(root: Path) -> _KatexChecker | None:
    """The KaTeX checker, or None without Node.js or KaTeX (then ziamath alone checks)."""
    source = root / KATEX if (root / KATEX).is_dir() else Path(__file__).parents[1] / KATEX
    if shutil.which("node") is None or not (source.parent / "package.json").is_file():
        return None
    return _KatexChecker(source.parent)


@lru_cache(maxsize=8)
def _markdown(root: Path):
    from .markdown import Markdown

    return Markdown(root)


def _short(latex: str) -> str:
    text = " ".join(latex.split())
    return text if len(text) <= 40 else text[:37] + "…"


def copy_katex(root: Path, target: Path, script: Path) -> None:
    """KaTeX (script, CSS, woff2 fonts, licence) and `script`, the page's renderer, into
    `target`: the site and the decks draw maths in the browser with no network."""
    source = root / KATEX if (root / KATEX).is_dir() else Path(__file__).parents[1] / KATEX
    for name in KATEX_FILES:
        put_copy(source / name, target / name)
    for font in (source / "fonts").glob("*.woff2"):  # every browser that runs KaTeX reads woff2
        put_copy(font, target / "fonts" / font.name)
    if (source.parent / "LICENSE").is_file():
        put_copy(source.parent / "LICENSE", target / "LICENSE.txt")
    put_copy(script, target / "render-maths.js")


def site_config(root: Path) -> dict[str, list]:
    """The `extra_css` and `extra_javascript` of a site's config: the course's own (from its
    mkdocs.yml, which a generated config would otherwise replace, not extend) plus KaTeX."""
    from .markdown import mkdocs_config

    own = mkdocs_config(root)
    return {"extra_css": [*(own.get("extra_css") or []), "assets/katex/katex.min.css"],
            "extra_javascript": [*(own.get("extra_javascript") or []), "assets/katex/katex.min.js",
                                 "assets/katex/render-maths.js"]}
