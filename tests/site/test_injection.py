"""No markup injection. A course with hostile strings in every metadata field (legal text) builds,
and every output shows them as text: each built page parsed with an HTML5 parser holds no
injected element, event handler or javascript: link, nor does the search index, a deck or a
PDF; Chromium fires no dialog. The same course with hostile raw HTML in its text fails `check`
with each problem at its file:line. The allowlist itself: what `clean` keeps and removes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tinyhtml5

from coursebook.cli import main
from coursebook.sanitize import clean, esc, esc_markdown, problems
from tests.build.readback import pdf_text, pptx_text
from tests.conftest import Served

from . import hostile
from .hostile import IMG, QUOTES, SCRIPT, h

NS = "{http://www.w3.org/1999/xhtml}"
LEGAL = f"{SCRIPT} {IMG} {QUOTES}"  # what every output must show as text


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture course with hostile metadata everywhere, every output, en + es."""
    from coursebook.build import Options, build

    root = hostile.course(tmp_path_factory.mktemp("hostile") / "course-repo")
    build(Options(root, verbosity=0))
    return root / "site"


def _elements(html: str):
    return tinyhtml5.parse(html).iter()


def _text(html: str) -> str:
    return " ".join("".join(tinyhtml5.parse(html).itertext()).split())


def injected(html: str, theme_scripts: tuple[str, ...]) -> list[str]:
    """Elements and attributes in the HTML that could run a script and are not the theme's."""
    found = []
    for el in _elements(html):
        tag = el.tag.removeprefix(NS) if isinstance(el.tag, str) else ""
        for name, value in el.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction") and \
                    value.strip().lower().startswith(("javascript:", "vbscript:", "data:text/html")):
                found.append(f"<{tag} {name}={value}>")
        if tag in ("iframe", "object", "embed"):
            found.append(f"<{tag}>")
        if tag == "img" and el.get("src") == "x":
            found.append("<img src=x>")
        if tag == "script":
            src, text = el.get("src", ""), el.text or ""
            if not (src and src.split("/")[-1].startswith(theme_scripts)) and "alert" in (src + text):
                found.append(f"<script src={src!r}>{text[:40]}")
            if src and not src.split("/")[-1].startswith(theme_scripts):
                found.append(f"<script src={src!r}>")
    return found


SITE_SCRIPTS = ("bundle.", "iframe-worker", "katex", "render-maths", "auto-render")
DECK_SCRIPTS = ("reveal", "notes", "katex", "render-maths", "auto-render")


def test_every_page_shows_hostile_metadata_as_text(hostile_site: Path) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        scripts = DECK_SCRIPTS if path.parent.name == "slides" else SITE_SCRIPTS
        assert injected(html, scripts) == [], path
    text = {p.relative_to(hostile_site).as_posix(): _text(p.read_text(encoding="utf-8")) for p in pages}
    expected = {
        "en/modules/01-basics.html": ["Module", "Objective", "Keypoint", "Reading", "Activity", "Grouping",
                                      "Material", "Output", "Title", "Organisation", "Licence",
                                      "Reading title"],
        "en/agenda.html": ["Break", "Activity", "Module"],
        "en/trainer/01-basics.html": ["Module", "Flipchart", "Room", "Copies", "Step", "Run", "Activity"],
        "en/trainer/index.html": ["Room", "Copies", "Flipchart", "Material", "Module"],
        "en/readings/index.html": ["Reading title", "Region", "Summary"],
        "en/readings/case.html": ["Reading title", "Summary"],
        "en/index.html": ["Welcome", "Subtitle", "Audience", "Module"],
        "en/downloads.html": ["Module"],
        "es/index.html": ["Titulo", "Modulo"],
        "es/agenda.html": ["Pausa"],
        "es/modules/01-basics.html": ["Modulo", "Objetivo"],
        "en/slides/01-basics.html": ["Module", "Title", "Organisation"],
    }
    for page, fields in expected.items():
        for field in fields:
            assert f"{field} {LEGAL}" in text[page], (page, field)
    # Markdown-significant characters neither format nor break a table, a link or a heading
    assert h("Break") in text["en/agenda.html"] and h("Module") in text["en/modules/01-basics.html"]
    module = (hostile_site / "en/modules/01-basics.html").read_text(encoding="utf-8")
    assert 'id="activity-warm-up"' in module  # the heading's attr_list still applies


def test_title_meta_and_root_page_escape_metadata(hostile_site: Path) -> None:
    html = (hostile_site / "en/modules/01-basics.html").read_text(encoding="utf-8")
    head = tinyhtml5.parse(html).find(f"{NS}head")
    title = head.find(f"{NS}title").text
    assert title == f"B. {h('Module')} - {h('Title')}"
    meta = {m.get("name"): m.get("content") for m in head.iter(f"{NS}meta")}
    assert meta["description"] == h("Subtitle") and meta["author"] == h("Author")
    root = (hostile_site / "index.html").read_text(encoding="utf-8")
    assert tinyhtml5.parse(root).find(f"{NS}head/{NS}title").text == h("Title")
    assert injected(root, ()) == []


def test_search_index_holds_text_not_markup(hostile_site: Path) -> None:
    for lang, module in (("en", "Module"), ("es", "Modulo")):
        docs = json.loads((hostile_site / lang / "search/search_index.json").read_text())["docs"]
        for doc in docs:
            for part in (doc["title"], doc["text"]):
                assert injected(f"<body>{part}</body>", ()) == [], (lang, doc["location"])
        titles = " ".join(_text(f"<p>{d['title']}</p>") for d in docs)
        assert f"{module} {LEGAL}" in titles


def _pdf_text(path: Path) -> str:
    return " ".join(pdf_text(path).split())


def test_pdfs_and_pptx_show_metadata_as_text(hostile_site: Path) -> None:
    handout = _pdf_text(next((hostile_site / "en/handouts").glob("01-*.pdf")))
    for field in ("Module", "Objective", "Keypoint", "Activity", "Grouping", "Output"):
        assert f"{field} {LEGAL}" in handout, field
    deck = _pdf_text(hostile_site / "en/slides/01-basics.pdf")
    assert f"{SCRIPT} {IMG}" in deck.replace(SCRIPT.upper() + " " + IMG.upper(), "")  # not only the kicker
    text = pptx_text(hostile_site / "en/slides/01-basics.pptx")
    assert f"Module {LEGAL}" in text and f"Organisation {LEGAL}" in text


def _visible(locator) -> str:
    return " ".join(locator.text_content().split())


@pytest.mark.browser
def test_chromium_fires_no_dialog_and_shows_the_strings(browser, hostile_site: Path) -> None:
    server = Served(hostile_site)
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        pages = [p.relative_to(hostile_site).as_posix() for p in sorted(hostile_site.rglob("*.html"))]
        assert any(rel.endswith("guide/authoring.html") for rel in pages)  # the authors' guide too
        for rel in pages:
            page.goto(f"{server.url}/{rel}")
            page.wait_for_load_state("load")
        page.close()
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{server.url}/en/modules/01-basics.html")
        assert page.title() == f"B. {h('Module')} - {h('Title')}"
        assert page.locator("article h1").inner_text() == f"B. {h('Module')}"
        logo = page.locator("a.md-header__button.md-logo")
        assert logo.get_attribute("title") == h("Title") == logo.get_attribute("aria-label")
        assert page.locator(".md-header__topic").first.inner_text() == h("Title")
        assert page.locator(".md-copyright").inner_text().startswith(h("Organisation"))
        assert _visible(page.locator(".md-nav__link--active").first) == f"B. {h('Module')}"
        page.goto(f"{server.url}/en/agenda.html")
        following = page.locator("a.md-footer__link--next")
        assert following.get_attribute("aria-label") == f"Next: B. {h('Module')}"
        assert _visible(following.locator(".md-ellipsis")) == f"B. {h('Module')}"
        page.goto(f"{server.url}/es/index.html")
        switcher = page.locator(".md-select__link")
        assert switcher.count() == 2 and dialogs == []
    finally:
        page.close()
        server.close()


# ---- Content-Security-Policy: in every page, and the site and decks still work ----

def test_every_page_has_a_policy_without_unsafe_inline_scripts(hostile_site: Path) -> None:
    for path in hostile_site.rglob("*.html"):
        head = tinyhtml5.parse(path.read_text(encoding="utf-8")).find(f"{NS}head")
        policies = [m.get("content") for m in head.iter(f"{NS}meta")
                    if (m.get("http-equiv") or "").lower() == "content-security-policy"]
        assert len(policies) == 1, path
        scripts = next(x for x in policies[0].split(";") if x.strip().startswith(("script-src", "default-src")))
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, path
        assert "object-src 'none'" in policies[0] or "default-src 'none'" in policies[0], path


@pytest.mark.browser
@pytest.mark.parametrize("how", ["http", "file"])
def test_policy_keeps_search_palette_and_decks_working(browser, hostile_site: Path, how: str) -> None:
    server = Served(hostile_site) if how == "http" else None
    base = server.url if server else hostile_site.as_uri()
    page = browser.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    page.on("pageerror", lambda e: messages.append(str(e)))
    try:
        page.goto(f"{base}/en/modules/01-basics.html")
        page.locator(".md-search__input").first.click()
        page.keyboard.type("zebra")
        page.wait_for_selector(".md-search-result__item", timeout=15000)  # the search worker runs
        page.keyboard.press("Escape")
        scheme = "document.body.getAttribute('data-md-color-scheme')"
        before = page.evaluate(scheme)
        page.locator("form[data-md-component=palette] label:visible").first.click()
        page.wait_for_selector(f"body:not([data-md-color-scheme={before!r}])")  # the palette's scripts run
        page.goto(f"{base}/en/slides/01-basics.html#/B-2")
        page.wait_for_selector(".reveal.ready")
        with page.expect_popup() as popup:
            page.keyboard.press("s")
        notes = popup.value  # the speaker view, written by notes.js under the deck's policy
        for _ in range(60):  # (polling from Python: the popup's policy refuses Playwright's own eval)
            shown = notes.locator(".speaker-controls-notes .value").inner_text()
            if "Say something" in shown or "Notes two" in shown:  # the notes of slide B-1 or B-2
                break
            notes.wait_for_timeout(250)
        assert "Say something" in shown or "Notes two" in shown
        notes.close()
        violations = [m for m in messages if "Content Security Policy" in m or "Content-Security-Policy" in m]
        assert violations == []
    finally:
        page.close()
        if server:
            server.close()


# ---- check: hostile raw HTML in course text, each problem at its file:line ----

def test_check_reports_each_hostile_html_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = hostile.course(tmp_path / "course-repo")
    expected = hostile.hostile_text(root)
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err.splitlines()
    for file, line, part in expected:
        assert any(x.startswith(f"{file}:{line}: error: ") and part in x for x in err), (file, line, part)
    ours = [x for x in err if ": error: " in x and ("not allowed" in x)]
    assert len(ours) == len(expected), "\n".join(ours)


def test_hostile_metadata_alone_passes_check(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = hostile.course(tmp_path / "course-repo")
    assert main(["check", "--root", str(root)]) == 0, capsys.readouterr().err


# ---- the allowlist ----

KEPT = [
    "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
    "a<br>b", "x<sup>2</sup>", "H<sub>2</sub>O", '<abbr title="Cleaner production">CP</abbr>',
    "<details><summary>More</summary><p>text</p></details>",
    '<img src="images/flow.svg" alt="Flow" title="The flow" width="200" height="100">',
    '<div class="note" lang="es" dir="ltr">x</div>', '<span class="k">x</span>', "<kbd>Ctrl</kbd>",
    "<mark>m</mark>", "<figure><img src=\"a.png\" alt=\"A\"><figcaption>Cap</figcaption></figure>",
    "<h3>h</h3>", "<ol start=\"3\"><li>x</li></ol>", '<a href="https://example.org" title="t">x</a>',
    '<a href="mailto:a@example.org">m</a>', '<a href="../files/data.zip">d</a>',
]
REMOVED = [
    ("<script>alert(1)</script>x", "x"), ('<img src="a.png" alt="A" onerror="alert(1)">', '<img src="a.png" alt="A">'),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"), ('<a href="JaVa&#115;cript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href=" javascript:alert(1)">x</a>', "<a>x</a>"), ('<a href="vbscript:x">x</a>', "<a>x</a>"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "<a>x</a>"), ('<iframe src="x"></iframe>y', "y"),
    ('<object data="x"></object>y', "y"), ('<embed src="x">y', "y"), ("<style>p{}</style>y", "y"),
    ('<form action="x"><input name="q" type="submit"></form>y', '<input name="q" type="radio">y'),
    ('<p onclick="x" style="color:red">p</p>', "<p>p</p>"),
    ("<svg onload=alert(1)><circle/></svg>y", "y"),
]


@pytest.mark.parametrize("html", KEPT)
def test_clean_keeps_what_authors_need(html: str) -> None:
    assert _text(clean(html)) == _text(html) and clean(html).count("<") == html.count("<")


@pytest.mark.parametrize("html,left", REMOVED)
def test_clean_removes_what_runs_scripts(html: str, left: str) -> None:
    assert clean(html) == left


def test_markdown_pipeline_cleans_rendered_html(tmp_path: Path) -> None:
    from coursebook.markdown import Markdown

    md = Markdown(tmp_path)
    html = md.html('Hi <img src="a.png" alt="a" onerror="alert(1)">\n\n[x](javascript:alert(1)){: onclick="y" }\n\n'
                   '| a | b |\n|:-:|---|\n| 1 | 2 |\n\n=== "One"\n    text\n')
    assert "onerror" not in html and "javascript" not in html and "onclick" not in html
    assert 'style="text-align:center"' in html and 'type="radio"' in html and "<label" in html


def test_code_is_shown_not_checked() -> None:
    text = "Write `<script>` like this:\n\n```html\n<script>alert(1)</script>\n```\n\n" \
           "- item\n\n    ```\n    <iframe>\n    ```\n\n$a<b$ and $$x<y>z$$\n"
    assert list(problems(text)) == []


def test_check_finds_disguised_links_and_attr_list() -> None:
    text = '[a](JaVa&#115;cript:x)\n[b]: javascript:y\n<a href=" javascript:z">c</a>\n{: onclick="w" }\n'
    assert [(line, message.split(" ")[0]) for line, message, _ in problems(text)] == [
        (2, "javascript:"), (0, "javascript:"), (1, "javascript:"), (3, "attribute")]


def test_metadata_escapes() -> None:
    assert esc("<b> & *x* | [y](z) #1") == "&lt;b&gt; &amp; &#42;x&#42; &#124; &#91;y&#93;(z) &#35;1"
    assert esc("- 1. item") == "&#45; 1&#46; item"
    assert esc_markdown("*x* <b> `<c>` $a<b$ [[module:B]] a|b") == \
        "*x* &lt;b&gt; `<c>` $a<b$ [[module:B]] a\\|b"
