"""The bad-input corpus: each case breaks a valid course in one way and asserts the message,
the file and line, the exit status — and that the previous site/ survived the failed build.
Inputs that are legal (BOM, CRLF, an empty deck, a large file) must simply work."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from coursebook.cli import main
from coursebook.write import MARKER, MARKER_TEXT
from tests.conftest import LAUGHS, ROOT, edit, write

MOD = "modules/01-basics/module.md"
ACT = "modules/01-basics/activities/warm-up.md"
NOTES = "instructor_notes/01-basics.md"
DECK = "slides/01-basics.md"
COURSE = "course/course.yml"



def put(rel: str, text: str | bytes) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            write(root, rel, text)
    return apply


def remove(rel: str) -> Callable[[Path], None]:
    return lambda root: (root / rel).unlink()


def symlink_out(root: Path) -> None:
    (root / "modules/01-basics/passwd.png").symlink_to("/etc/passwd")
    edit(MOD, "More participant text.", "![The file](passwd.png)")(root)


def image(src: str) -> Callable[[Path], None]:
    return edit(MOD, "More participant text.", f"![A picture]({src})")


def outside(root: Path) -> Path:
    """A folder beside the repository, with a file that must never be read or published."""
    folder = root.parent / "elsewhere"
    folder.mkdir(exist_ok=True)
    (folder / "module.md").write_text("---\nid: X\ntitle: Elsewhere\n---\nCANARY\n")
    return folder


def link(rel: str, to: Callable[[Path], str]) -> Callable[[Path], None]:
    """Make `rel` a symbolic link to what `to(root)` names."""
    def apply(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).symlink_to(to(root))
    return apply


def pdf_fetch_outside(root: Path) -> None:
    """A theme stylesheet that asks for a file outside the repository: passes `check`, and the
    PDF step must say so clearly (WeasyPrint's own error is a BaseException with a traceback)."""
    css = (ROOT / "theme/pdf/print.css").read_text(encoding="utf-8")
    put("theme/pdf/print.css", css + "\nbody { background: url(/etc/hostname) }\n")(root)


CSS_LINE = len((ROOT / "theme/pdf/print.css").read_text(encoding="utf-8").split("\n")) + 1


BIG = "---\ntitle: Big\n---\n" + "".join(f"## Part {i}\n\n" + "Cleaner production text. " * 80 + "\n\n"
                                         for i in range(1000))

# (case id, how to break the course, expected errors as (file, line, part of the message))
ERRORS = [
    ("yaml-unclosed-list", edit(MOD, "objectives: [Understand the basics]", "objectives: [Understand"),
     [(MOD, 5, "invalid YAML")]),
    ("yaml-bad-indent", edit(COURSE, "  days:", " days:\n   x: 1\n  y"), [(COURSE, 11, "invalid YAML")]),
    ("yaml-tab", edit(ACT, "grouping: Pairs", "grouping:\n\t- Pairs"), [(ACT, 5, "invalid YAML")]),
    ("yaml-duplicate-key", edit(ACT, "grouping: Pairs", "grouping: Pairs\ngrouping: Trios"),
     [(ACT, 5, "duplicate key 'grouping'")]),
    ("front-matter-not-closed", put("course/readings/case.md", "---\ntitle: A\n\nText\n"),
     [("course/readings/case.md", 1, "front matter is not closed")]),
    ("type-int", edit(ACT, "minutes: 45", "minutes: ten"), [(ACT, 3, "'minutes': Input should be a valid integer")]),
    ("type-negative", edit(ACT, "minutes: 45", "minutes: -5"), [(ACT, 3, "greater than 0")]),
    ("type-list", edit(MOD, "key_points: [Basics matter]", "key_points: Basics matter"),
     [(MOD, 6, "'key_points': Input should be a valid list")]),
    ("type-mapping", edit(COURSE, "organisation: {name: Test Centre}", "organisation: Test Centre"),
     [(COURSE, 2, "'organisation': Input should be a valid dictionary")]),
    ("time-unquoted", edit(COURSE, 'time: "10:30"', "time: 10:30"), [(COURSE, 13, "HH:MM")]),
    ("paper-size", edit(COURSE, "paper: Letter", "paper: A5"), [(COURSE, 7, "'A4' or 'Letter'")]),
    ("unknown-key", edit(MOD, "objectives:", "objectivs:"), [(MOD, 5, "unknown key 'objectivs'")]),
    ("unknown-nested-key", edit(COURSE, "{name: Test Centre}", "{nmae: Test Centre}"),
     [(COURSE, 2, "unknown key 'organisation.nmae'"), (COURSE, 2, "missing required key 'organisation.name'")]),
    ("missing-title", edit(MOD, "title: Basics\n", ""), [(MOD, 1, "missing required key 'title'")]),
    ("missing-id", edit(MOD, "id: B\n", ""), [(MOD, 1, "missing required key 'id'")]),
    ("missing-course-yml", remove(COURSE), [(COURSE, 0, "course/course.yml is missing")]),
    ("empty-module", put(MOD, ""), [(MOD, 1, "missing required key 'id'"), (MOD, 1, "missing required key 'title'")]),
    ("empty-activity", put(ACT, ""), [(ACT, 1, "missing required key 'title'")]),
    ("not-utf8", put("course/index.md", b"---\ntitle: Caf\xe9\n---\n"), [("course/index.md", 2, "not UTF-8")]),
    ("duplicate-module-id", put("modules/02-more/module.md", "---\nid: B\ntitle: More\n---\n"),
     [("modules/02-more/module.md", 2, "duplicate module id 'B'")]),
    ("duplicate-activity", lambda root: [
        put("modules/02-more/module.md", "---\nid: M\ntitle: More\n---\n")(root),
        put("modules/02-more/activities/warm-up.md", "---\ntitle: W\nminutes: 5\n---\n")(root)],
     [("modules/02-more/activities/warm-up.md", 1, "duplicate activity slug 'warm-up'")]),
    ("duplicate-slide-id", edit(DECK, "<!-- slide: layout=two-column -->", "<!-- slide: id=B-2 layout=two-column -->"),
     [(DECK, 9, "duplicate slide id 'B-2'")]),
    ("broken-module-ref", edit("course/index.md", "[[module:B]]", "[[module:C]]"),
     [("course/index.md", 4, "broken reference [[module:C]]")]),
    ("broken-activity-ref", edit(MOD, "[[activity:warm-up]]", "[[activity:warmup]]"),
     [(MOD, 11, "broken reference [[activity:warmup]]")]),
    ("missing-slide-ref", edit(MOD, "[[slide:B-2]]", "[[slide:B-12]]"), [(MOD, 11, "no slide 'B-12'")]),
    ("activity-slide-missing", edit(ACT, "slide: B-2", "slide: B-5"), [(ACT, 7, "activity slide 'B-5'")]),
    ("unknown-ref-kind", edit(MOD, "[[slide:B-2]]", "[[slides:B-2]]"), [(MOD, 11, "unknown reference kind")]),
    ("unknown-slide-option", edit(DECK, "layout=two-column", "layout=two-column colour=red"),
     [(DECK, 9, "unknown slide option 'colour=red'")]),
    ("orphan-notes", put("instructor_notes/07-ghost.md", "---\n---\n"),
     [("instructor_notes/07-ghost.md", 0, "no module folder")]),
    ("module-without-module-md", put("modules/02-more/activities/x.md", "---\ntitle: X\n---\n"),
     [("modules/02-more/module.md", 0, "has no module.md")]),
    ("translation-without-source", put("course/about.es.md", "---\ntitle: Acerca\n---\n"),
     [("course/about.es.md", 0, "translation without a source")]),
    ("image-escapes-repo", image("../../../../../../etc/passwd"), [(MOD, 18, "outside the repository")]),
    ("image-absolute", image("/etc/passwd"), [(MOD, 18, "absolute image path")]),
    ("image-symlink-out", symlink_out, [(MOD, 18, "outside the repository"),
                                        ("modules/01-basics/passwd.png", 0, "symbolic link to '/etc/passwd'")]),
    ("image-remote", image("https://example.org/chart.png"), [(MOD, 18, "remote image")]),
    ("image-missing", image("chart.png"), [(MOD, 18, "image 'chart.png' not found")]),
    ("image-corrupt", lambda root: [(root / "modules/01-basics/chart.png").write_bytes(b"\x89PNG broken"),
                                    image("chart.png")(root)], [(MOD, 18, "image 'chart.png' cannot be read")]),
    ("raw-script", edit(MOD, "More participant text.", "<script>alert(1)</script>"),
     [(MOD, 18, "raw HTML <script> is not allowed")]),
    # trust: nothing from outside the repository is read, published, or used as a path
    ("logo-outside", edit(COURSE, "{name: Test Centre}", "{name: Test Centre, logo: ../../../../etc/passwd}"),
     [(COURSE, 2, "logo '../../../../etc/passwd' is outside the repository")]),
    ("logo-absolute", edit(COURSE, "{name: Test Centre}", "{name: Test Centre, logo: /etc/passwd}"),
     [(COURSE, 2, "logo '/etc/passwd' is outside the repository")]),
    ("module-folder-symlink-out", link("modules/02-elsewhere", outside),
     [("modules/02-elsewhere", 0, "symbolic link to")]),
    ("activity-symlink-out", link("modules/01-basics/activities/leak.md", lambda r: outside(r) / "module.md"),
     [("modules/01-basics/activities/leak.md", 0, "outside the repository")]),
    ("theme-symlink-out", link("theme/assets/secret.css", lambda r: outside(r) / "module.md"),
     [("theme/assets/secret.css", 0, "outside the repository")]),
    ("dangling-symlink", link("course/readings/gone.md", lambda r: r / "course/readings/nowhere.md"),
     [("course/readings/gone.md", 0, "which does not exist")]),
    ("raw-img-outside", edit(MOD, "More participant text.", '<img src="/etc/passwd" alt="Passwords">'),
     [(MOD, 18, "'/etc/passwd' is outside the repository")]),
    ("raw-img-unquoted-outside", edit(MOD, "More participant text.", "<img alt=Passwords src = /etc/passwd>"),
     [(MOD, 18, "'/etc/passwd' is outside the repository")]),
    ("reference-image-outside", edit(MOD, "More participant text.",
                                     "![The file][pw]\n\n[pw]: /etc/passwd"),
     [(MOD, 20, "'/etc/passwd' is outside the repository")]),
    ("data-file-outside", edit(MOD, "More participant text.", "[the data](../../../../etc/hosts)"),
     [(MOD, 18, "'../../../../etc/hosts' is outside the repository")]),
    ("pdf-fetch-outside", pdf_fetch_outside,
     [("theme/pdf/print.css", CSS_LINE, ".pdf: refused to read /etc/hostname")]),
]

LEGAL = [
    ("bom", lambda root: (root / MOD).write_bytes(b"\xef\xbb\xbf" + (root / MOD).read_bytes())),
    ("crlf", lambda root: (root / ACT).write_bytes((root / ACT).read_bytes().replace(b"\n", b"\r\n"))),
    ("empty-deck", lambda root: [put("modules/02-more/module.md", "---\nid: M\ntitle: M\n---\n")(root),
                                 put("slides/02-more.md", "")(root)]),
    ("large-file", put("course/readings/big.md", BIG)),
    ("script-in-code", edit(MOD, "More participant text.", "Write `<script>` as code:\n\n```\n<script>\n```")),
]


def previous_site(root: Path) -> Path:
    marker = root / "site" / "index.html"
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("the last good build")
    (root / "site" / MARKER).write_text(MARKER_TEXT)  # made by coursebook: a build may replace it
    return marker


# ---- figures, localized images and linked files (coursebook/files.py) ----

MOD_ES = "modules/01-basics/module.es.md"


def picture(kind: str, size: tuple[int, int] = (40, 20)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(out, kind)
    return out.getvalue()


def both(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    return lambda root: [change(root) for change in changes]


def spanish_figure(root: Path) -> None:
    """The Spanish module shows images/flow.svg (the Spanish edition uses flow.es.svg if there is one)."""
    path = root / MOD_ES
    path.write_text(path.read_text(encoding="utf-8") + "\n![Flujo](images/flow.svg)\n", encoding="utf-8")


GOOD_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
FIGURE_ERRORS = [
    ("data-file-missing", edit(MOD, "More participant text.", "Get the [exercise data](files/data.zip)."),
     [(MOD, 18, "link to 'files/data.zip': no such file")]),
    ("course-page-missing", edit(MOD, "More participant text.", "See [the audit](../02-audit/module.md)."),
     [(MOD, 18, "link to '../02-audit/module.md': no such file")]),
    ("link-in-activity-missing", edit(ACT, "2. Write three ideas.", "2. Fill in [the sheet](sheet.xlsx)."),
     [(ACT, 10, "link to 'sheet.xlsx': no such file")]),
    ("link-to-folder", edit(MOD, "More participant text.", "See [the activities](activities)."),
     [(MOD, 18, "link to 'activities' is a folder")]),
    ("link-to-markdown-not-in-course", both(put("modules/01-basics/draft.md", "# Draft\n"),
                                            edit(MOD, "More participant text.", "See [the draft](draft.md).")),
     [(MOD, 18, "link to 'draft.md': not a page of the course")]),
    ("reference-link-missing", edit(MOD, "More participant text.", "See [the data][d].\n\n[d]: files/d.csv"),
     [(MOD, 20, "link to 'files/d.csv': no such file")]),
    ("svg-corrupt", both(put("modules/01-basics/images/flow.svg", "<svg><g></svg>"), image("images/flow.svg")),
     [(MOD, 18, "image 'images/flow.svg' cannot be read: not a valid SVG file")]),
    ("svg-not-svg", both(put("modules/01-basics/images/flow.svg", "<html><body>hi</body></html>"),
                         image("images/flow.svg")),
     [(MOD, 18, "not an SVG file")]),
    ("image-bmp", both(put("modules/01-basics/images/chart.bmp", picture("BMP")), image("images/chart.bmp")),
     [(MOD, 18, "image 'images/chart.bmp' cannot be read: unsupported format '.bmp'")]),
    ("image-tiff", both(put("modules/01-basics/images/chart.tiff", picture("TIFF")), image("images/chart.tiff")),
     [(MOD, 18, "unsupported format '.tiff'")]),
    ("png-that-is-a-bmp", both(put("modules/01-basics/images/chart.png", picture("BMP")), image("images/chart.png")),
     [(MOD, 18, "it is a BMP file named .png")]),
    ("raw-img-corrupt", both(put("modules/01-basics/images/flow.svg", "<svg"),
                             edit(MOD, "More participant text.", '<img src="images/flow.svg" alt="Flow">')),
     [(MOD, 18, "image 'images/flow.svg' cannot be read")]),
    ("localized-image-corrupt", both(put("modules/01-basics/images/flow.svg", GOOD_SVG),
                                     put("modules/01-basics/images/flow.es.svg", "<svg><oops"), spanish_figure),
     [(MOD_ES, 9, "image 'images/flow.es.svg' (the es version of 'images/flow.svg') cannot be used")]),
    ("localized-without-fallback", both(put("modules/01-basics/images/flow.es.svg", GOOD_SVG), spanish_figure),
     [(MOD_ES, 9, "image 'images/flow.svg' not found — there is only flow.es.svg")]),
    ("attr-alt-empty", both(put("modules/01-basics/images/flow.svg", GOOD_SVG),
                            edit(MOD, "More participant text.", '![](images/flow.svg){alt=""}')),
     [(MOD, 18, "image 'images/flow.svg' has no alt text")]),
]

FIGURES_LEGAL = [
    ("attr-list-alt", both(put("modules/01-basics/images/flow.svg", GOOD_SVG),
                           edit(MOD, "More participant text.", '![](images/flow.svg){alt="A flow"}\n\n'
                                "![](images/flow.svg){: alt='A flow' }"))),
    ("decorative-forms", both(put("modules/01-basics/images/rule.png", picture("PNG")),
                              edit(MOD, "More participant text.", "![](images/rule.png){.decorative}\n\n"
                                   "![](images/rule.png){: .decorative }"))),
    ("caption-single-quotes", both(put("modules/01-basics/images/p.jpg", picture("JPEG")),
                                   image("images/p.jpg 'A caption'"))),
    ("links-to-course-files", edit(MOD, "More participant text.",
                                   "[case](../../course/readings/case.md), [warm-up](activities/warm-up.md#top), "
                                   "[notes](../../instructor_notes/01-basics.md), [deck](../../slides/01-basics.md), "
                                   "[es](module.es.md) and [home](../../course/index.md)")),
    ("data-file-present", both(put("modules/01-basics/files/data.csv", "a,b\n1,2\n"),
                               edit(MOD, "More participant text.", "[The data](files/data.csv)"))),
    ("link-shown-as-code", edit(MOD, "More participant text.", "Write `[x](missing.md)`:\n\n```\n![](gone.png)\n```")),
    ("localized-figure", both(put("modules/01-basics/images/flow.svg", GOOD_SVG),
                              put("modules/01-basics/images/flow.es.svg", GOOD_SVG), spanish_figure)),
]


# ---- no markup injection: raw HTML outside the allowlist (coursebook/sanitize.py) ----

def text(new: str) -> Callable[[Path], None]:
    return edit(MOD, "More participant text.", new)


INJECTION_ERRORS = [
    ("html-iframe", text('<iframe src="https://example.org"></iframe>'), [(MOD, 18, "raw HTML <iframe> is not allowed")]),
    ("html-onerror", text('<span class="x" onmouseover="alert(1)">x</span>'), [(MOD, 18, "attribute onmouseover")]),
    ("html-style-attribute", text('<span style="color:red">x</span>'), [(MOD, 18, "attribute style on <span>")]),
    ("html-javascript-link", text("[click](javascript:alert(1))"), [(MOD, 18, "javascript: link is not allowed")]),
    ("html-javascript-disguised", text('<a href="JaVa&#115;cript:alert(1)">x</a>'), [(MOD, 18, "javascript: link")]),
    ("html-javascript-reference", text("[click][j]\n\n[j]: javascript:alert(1)"), [(MOD, 20, "javascript: link")]),
    ("html-data-link", text("[x](data:text/html;base64,PHNjcmlwdD4=)"), [(MOD, 18, "data: link is not allowed")]),
    ("html-attr-list-handler", text('A paragraph.\n{: onclick="alert(1)" }'), [(MOD, 19, "attribute onclick")]),
    ("html-in-activity", edit(ACT, "2. Write three ideas.", "2. <object data=\"x.swf\"></object>"),
     [(ACT, 10, "raw HTML <object> is not allowed")]),
    ("html-in-trainer-notes", edit(NOTES, "Keep the pace brisk.", "<form><input name=q></form>"),
     [(NOTES, 13, "raw HTML <form>"), (NOTES, 13, "raw HTML <input>")]),
    ("html-in-speaker-notes", edit(DECK, "Notes two.", "<embed src=x>"), [(DECK, 17, "raw HTML <embed>")]),
    ("html-objective-link", edit(MOD, "objectives: [Understand the basics]",
                                 "objectives: ['[Understand](javascript:alert(1))']"),
     [(MOD, 5, "javascript: link is not allowed")]),
]

INJECTION_LEGAL = [
    ("html-allowed", text('<details><summary>More</summary>\n\nText with H<sub>2</sub>O, x<sup>2</sup>, '
                          '<kbd>Ctrl</kbd>, <mark>m</mark>, <abbr title="Cleaner production">CP</abbr>.\n\n</details>\n\n'
                          '<div class="note" markdown="1" lang="es" dir="ltr">\n\n*Nota*\n\n</div>\n\n'
                          '<table><tr><th scope="col">a</th></tr><tr><td>1<br>2</td></tr></table>\n\n'
                          '[site](https://example.org "Example") and [mail](mailto:a@example.org)')),
    ("html-shown-as-code", text("`<iframe onload=x>` and\n\n~~~html\n<script>alert(1)</script>\n~~~\n\n"
                                "- In a list:\n\n    ```\n    <a href=\"javascript:x\">x</a>\n    ```")),
    ("html-in-metadata-is-text", edit(MOD, "title: Basics", "title: 'Basics <script>alert(1)</script>'")),
    ("maths-with-less-than", text("If $a<b$ and $c>d$ then $$x<y$$")),
]


# ---- bounded parsing; check knows everything the build reads (load.py, validate_config.py,
# deck.py, i18n.py, schema.py) ----

def _line_of(rel: str, start: str) -> int:
    """The line of the repository's file (copied into the test course) that starts with `start`."""
    lines = (ROOT / rel).read_text(encoding="utf-8").split("\n")
    return next(i for i, x in enumerate(lines, 1) if x.startswith(start))


EXT_LINE = _line_of("mkdocs.yml", "  - abbr")
URLS_LINE = _line_of("mkdocs.yml", "use_directory_urls:")


def unreadable_module(root: Path) -> None:
    """module.md that cannot be read (a folder: chmod 000 does not stop root, who runs the tests)."""
    (root / MOD).unlink()
    (root / MOD).mkdir()


BREAK = 'minutes: 15}'
BOUNDS_ERRORS = [
    # 1. YAML anchors and aliases, nesting, sizes
    ("yaml-billion-laughs", put("course/readings/laughs.md", "---\ntitle: Laughs\n" + LAUGHS + "---\nText\n"),
     [("course/readings/laughs.md", 3, "anchors and aliases")]),
    ("yaml-self-alias", edit(MOD, "key_points: [Basics matter]", "key_points: &k [*k]"),
     [(MOD, 6, "anchors and aliases")]),
    ("yaml-alias-course-yml", edit(COURSE, "licence: CC BY 4.0", "licence: &l CC BY 4.0\naudience: *l"),
     [(COURSE, 3, "anchors and aliases")]),
    ("yaml-alias-catalogue", put("theme/i18n/es.yml", "language_name: &n Español\nhome: *n\n"),
     [("theme/i18n/es.yml", 1, "anchors and aliases")]),
    ("yaml-too-deep", edit(ACT, "grouping: Pairs", "grouping: " + "[" * 60 + "]" * 60),
     [(ACT, 4, "nested more than 32 levels")]),
    ("file-too-large", put("course/readings/huge.md", "---\ntitle: Huge\n---\n" + "x" * (6 * 2**20)),
     [("course/readings/huge.md", 0, "the limit is 5 MB")]),
    ("file-too-many-lines", put("course/readings/long.md", "---\ntitle: Long\n---\n" + "x\n" * 25_000),
     [("course/readings/long.md", 20_000, "more than 20,000 lines")]),
    ("deck-too-many-slides", put(DECK, "\n---\n".join(f"## Slide {i}" for i in range(600))),
     [(DECK, 1001, "the deck has 600 slides; the limit is 500")]),
    # 2. mkdocs.yml, theme/i18n, a wrong type in course.yml
    ("mkdocs-syntax", edit("mkdocs.yml", "  - abbr\n", "  - abbr: [x\n"), [("mkdocs.yml", EXT_LINE, "invalid YAML")]),
    ("mkdocs-extension-missing", edit("mkdocs.yml", "  - abbr\n", "  - abbreviations\n"),
     [("mkdocs.yml", EXT_LINE, "Markdown extension 'abbreviations' cannot be loaded")]),
    ("mkdocs-extension-settings", edit("mkdocs.yml", "  - abbr\n", "  - toc: 5\n"),
     [("mkdocs.yml", EXT_LINE, "a Markdown extension is a name")]),
    ("mkdocs-wrong-type", edit("mkdocs.yml", "use_directory_urls: false", "use_directory_urls: maybe"),
     [("mkdocs.yml", URLS_LINE, "'use_directory_urls': Expected type")]),
    ("i18n-syntax", put("theme/i18n/es.yml", "language_name: Español\nday: [Día\n"),
     [("theme/i18n/es.yml", 2, "invalid YAML")]),
    ("i18n-unknown-placeholder", put("theme/i18n/es.yml", 'language_name: Español\nday: "Día {num}"\n'),
     [("theme/i18n/es.yml", 2, "'day': unknown placeholder {num}")]),
    ("languages-not-a-list", edit(COURSE, "languages: [es]", "languages: 5"),
     [(COURSE, 6, "'languages': Input should be a valid list")]),
    # 3. language codes
    ("language-path", edit(COURSE, "languages: [es]", 'languages: [es, "../../x"]'),  # never a path
     [(COURSE, 6, "'languages.1': not a language code; write a BCP 47 code such as 'es', 'pt-BR' or "
                  "'zh-Hant' (got '../../x')")]),
    ("language-space", edit(COURSE, "language: en", 'language: "e s"'), [(COURSE, 5, "'language': not a language code")]),
    ("language-word", edit(COURSE, "languages: [es]", "languages:\n  - es\n  - english"),
     [(COURSE, 8, "'languages.1': not a language code")]),
    ("language-duplicate", edit(COURSE, "languages: [es]", "languages:\n  - es\n  - en\n  - es"),
     [(COURSE, 8, "language 'en' is listed twice"), (COURSE, 9, "language 'es' is listed twice")]),
    # 4. schedules
    ("day-ends-before-start", edit(COURSE, 'end: "12:00"', 'end: "08:00"'), [(COURSE, 11, "day 1 ends at 08:00")]),
    ("break-before-day", edit(COURSE, 'time: "10:30"', 'time: "08:30"'), [(COURSE, 13, "starts before day 1 starts")]),
    ("break-after-day", edit(COURSE, 'time: "10:30", minutes: 15', 'time: "11:50", minutes: 15'),
     [(COURSE, 13, "ends after day 1 ends (12:00)")]),
    ("breaks-overlap", edit(COURSE, BREAK, BREAK + '\n        - {name: Tea, time: "10:40", minutes: 10}'),
     [(COURSE, 14, "break 'Tea' (10:40–10:50) overlaps break 'Coffee'")]),
    ("break-too-long", edit(COURSE, BREAK, "minutes: 100000}"), [(COURSE, 13, "less than or equal to 240")]),
    ("activity-too-long", edit(ACT, "minutes: 45", "minutes: 1000000000"), [(ACT, 3, "less than or equal to 1440")]),
    ("module-too-long", edit(MOD, "presentation_minutes: 30", "presentation_minutes: 30\nminutes: 1000000000"),
     [(MOD, 5, "less than or equal to 1440")]),
    ("step-too-long", edit(NOTES, "minutes: 30", "minutes: 1000000000"), [(NOTES, 7, "less than or equal to 1440")]),
    ("preparation-too-long", edit(NOTES, "preparation_minutes: 10", "preparation_minutes: 1000000000"),
     [(NOTES, 2, "less than or equal to 10080")]),
    # 5. decks
    ("deck-notes-before-first-slide", edit(DECK, "## First slide", "Note:\nEarly notes.\n\n---\n## First slide"),
     [(DECK, 1, "speaker notes before the first slide")]),
    ("deck-empty-slide", edit(DECK, "---\n<!-- slide", "---\n---\n<!-- slide"), [(DECK, 9, "an empty slide")]),
    ("deck-notes-only-slide", edit(DECK, "---\n<!-- slide", "---\nNote:\nOnly notes.\n---\n<!-- slide"),
     [(DECK, 9, "a slide with speaker notes only")]),
    ("deck-option-injection", edit(DECK, "layout=two-column", 'id=x"><script> layout=two-column'),
     [(DECK, 9, "slide option id='x\"><script>' is not allowed")]),
    # 6. front matter and body errors in one run
    ("front-matter-and-body", both(edit(MOD, "objectives: [Understand the basics]", "objectives: [Understand"),
                                   edit(MOD, "[[activity:warm-up]]", "[[activity:warmup]]")),
     [(MOD, 5, "invalid YAML"), (MOD, 11, "broken reference [[activity:warmup]]")]),
    ("missing-key-and-body", both(edit(MOD, "id: B\n", ""), image("missing.png")),
     [(MOD, 1, "missing required key 'id'"), (MOD, 17, "image 'missing.png' not found")]),
    # 7. one real error, no follow-on ones
    ("module-md-unreadable", unreadable_module, [(MOD, 0, "cannot read the file")]),
]

BOUNDS_LEGAL = [
    ("ampersand-and-star-in-text", edit(ACT, "grouping: Pairs", "grouping: Pairs & trios *fast*")),
    ("deck-separator-at-the-end", edit(DECK, "Notes two.", "Notes two.\n\n---\n")),
    ("breaks-back-to-back-until-the-end", edit(COURSE, BREAK, BREAK + '\n        - {name: Tea, time: "10:45", '
                                               'minutes: 5}\n        - {name: Wrap, time: "11:55", minutes: 5}')),
    ("i18n-literal-braces", lambda root: put("theme/i18n/es.yml", (ROOT / "theme/i18n/es.yml").read_text(
        encoding="utf-8").replace('day: "Día {n}"', 'day: "Día {n} {{x}}"'))(root)),
]


# ---- every case: the build refuses each broken course, `check --strict` passes each legal one ----

ALL_ERRORS = ERRORS + FIGURE_ERRORS + INJECTION_ERRORS + BOUNDS_ERRORS
ALL_LEGAL = LEGAL + FIGURES_LEGAL + INJECTION_LEGAL + BOUNDS_LEGAL


@pytest.mark.parametrize("case,breaks,expected", ALL_ERRORS, ids=[c[0] for c in ALL_ERRORS])
def test_bad_input(mini: Path, case: str, breaks, expected, capsys: pytest.CaptureFixture) -> None:
    marker = previous_site(mini)
    breaks(mini)
    before = sorted(os.listdir(mini / "site"))
    assert main(["--root", str(mini), "-q"]) == 1
    err = capsys.readouterr().err
    for file, line, message in expected:
        where = f"{file}:{line}: error: " if line else f"{file}: error: "
        assert any(x.startswith(where) and message in x for x in err.splitlines()), (where, message, err)
    errors = [x for x in err.splitlines() if ": error: " in x]
    assert len(errors) == len(expected), err
    assert "the previous output was left as it was" in err
    assert marker.read_text() == "the last good build" and sorted(os.listdir(mini / "site")) == before
    assert "Traceback" not in err and "CANARY" not in err


@pytest.mark.parametrize("case,change", ALL_LEGAL, ids=[c[0] for c in ALL_LEGAL])
def test_legal_input(mini: Path, case: str, change, capsys: pytest.CaptureFixture) -> None:
    change(mini)
    assert main(["check", "--root", str(mini), "--strict"]) == 0, capsys.readouterr().err


def test_corpus_is_large_enough() -> None:
    names = [c[0] for c in ALL_ERRORS + ALL_LEGAL]
    assert len(names) == len(set(names)), "case names must be unique (they are the test ids)"
    assert len(ALL_ERRORS) >= 100 and len(ALL_LEGAL) >= 15, (len(ALL_ERRORS), len(ALL_LEGAL))
