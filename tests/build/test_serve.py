"""`serve`: a real HTTP client sees an edit quickly (the edited edition's pages first); the
handouts, decks and other editions follow in the background; errors show on the page; and a
real browser reloads by itself under the pages' Content-Security-Policy."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from coursebook.build import Options, build
from coursebook.serve import Preview, PreviewServer, _swap, make_server
from tests.conftest import MINI

PAGE = "/en/modules/01-basics.html"
LINKED = re.compile(r'href="\.\./((?:handouts|slides)/[^"]+)"')  # a module page's downloads


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def wait_for(url: str, text: str, seconds: float = 60, present: bool = True) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            page = fetch(url).decode()
        except urllib.error.URLError:  # not built yet (404: the edition appears with the edit), not listening yet
            time.sleep(0.05)
            continue
        if (text in page) == present:
            return page
        time.sleep(0.05)
    raise AssertionError(f"{text!r} did not {'appear' if present else 'go'} at {url}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, PreviewServer, str]]:
    root = tmp_path / "repo"
    shutil.copytree(MINI, root)
    options = Options(root, out=root / ".build" / "preview", verbosity=0)
    server = make_server(options, port=0)
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while server.server_address[1] == 0 and time.monotonic() < deadline:  # bound in serve()
        time.sleep(0.05)
    try:
        yield root, server, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()  # and its background build
        thread.join(timeout=60)


def test_an_edit_shows_first_and_the_handouts_follow(served: tuple[Path, PreviewServer, str],
                                                     record_property) -> None:
    root, server, url = served
    wait_for(url + PAGE, "More participant text.")
    module = root / "modules" / "01-basics" / "module.md"
    seconds = []
    for n in range(3):
        old = "More participant text." if n == 0 else f"Edit number {n - 1}."
        module.write_text(module.read_text().replace(old, f"Edit number {n}."))
        started = time.monotonic()
        page = wait_for(url + PAGE, f"Edit number {n}.")
        seconds.append(time.monotonic() - started)  # edit → the page over HTTP shows it
        assert "livereload" in page  # and an open browser reloads itself
        time.sleep(1)
    record_property("edit_to_page_seconds", seconds)
    print(f"serve: edit to page {statistics.median(seconds):.2f} s (median of {seconds})")
    page = wait_for(url + PAGE, "coursebook-updating", present=False, seconds=240)  # the background build
    assert "Edit number 2." in page
    handout = subprocess.run(["pdftotext", "-", "-"], input=fetch(url + "/en/handouts/01-basics.pdf"),
                             capture_output=True, check=True).stdout.decode()
    assert "Edit number 2." in handout  # the handout followed
    assert "Edit number" not in fetch(url + "/es/modules/01-basics.html").decode()  # its own text
    assert "coursebook-errors" not in page


def test_errors_show_at_once_and_the_last_good_pages_stay(served: tuple[Path, PreviewServer, str]) -> None:
    root, server, url = served
    module = root / "modules" / "01-basics" / "module.md"
    module.write_text(module.read_text().replace("More participant text.", "A freshly edited line."))
    wait_for(url + PAGE, "A freshly edited line.")
    module.write_text(module.read_text().replace("presentation_minutes: 30", "presentation_minutes: lots"))
    page = wait_for(url + PAGE, "coursebook-errors")
    assert "modules/01-basics/module.md:4: error: &#x27;presentation_minutes&#x27;" in page
    assert "A freshly edited line." in page  # the last good build stays on screen
    module.write_text(module.read_text().replace("presentation_minutes: lots", "presentation_minutes: 30"))
    wait_for(url + PAGE, "coursebook-errors", present=False)


def test_a_translation_edit_previews_its_own_edition(served: tuple[Path, PreviewServer, str]) -> None:
    root, server, url = served
    translation = root / "modules" / "01-basics" / "module.es.md"
    translation.write_text(translation.read_text() + "\nUna frase recién escrita.\n")
    wait_for(url + "/es/modules/01-basics.html", "Una frase recién escrita.")


def test_a_file_saved_by_renaming_a_new_one_over_it_is_seen(served: tuple[Path, PreviewServer, str]) -> None:
    """Editors such as vim and gedit save by writing a new file and renaming it over the old:
    the preview builds the edition of the file saved, not of the temporary one's name."""
    root, server, url = served
    translation = root / "modules" / "01-basics" / "module.es.md"
    saved = translation.with_name(".module.es.md.swp")
    saved.write_text(translation.read_text() + "\nGuardado con un cambio de nombre.\n")
    time.sleep(1)  # the watcher has seen the new file: the rename is a move from it
    os.replace(saved, translation)
    wait_for(url + "/es/modules/01-basics.html", "Guardado con un cambio de nombre.")
    assert server.preview is not None and "es" in server.preview.rendered  # by the quick build


def test_no_background_build_outlives_the_server(tmp_path: Path) -> None:
    """An edit saved just before the server stops: the rebuild under way finishes, and no
    complete build is left running after it (it would compete with whatever runs next)."""
    root = tmp_path / "repo"
    shutil.copytree(MINI, root)
    server = make_server(Options(root, out=root / ".build" / "preview", verbosity=0), port=0)
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    module = root / "modules" / "01-basics" / "module.md"
    module.write_text(module.read_text().replace("More participant text.", "Saved at the last moment."))
    time.sleep(0.4)  # seen by the watcher: the rebuild starts
    server.shutdown()
    thread.join(timeout=120)
    assert not thread.is_alive()
    time.sleep(1)
    left = subprocess.run(["pgrep", "-f", f"coursebook build --root {root} "], capture_output=True, text=True)
    assert left.stdout == "", f"a background build still runs: {left.stdout}"


def test_a_preview_never_writes_into_the_files_it_shows(served: tuple[Path, PreviewServer, str],
                                                        tmp_path: Path) -> None:
    """The preview links the shown handouts, decks and zip into its site source; an edit to a
    deck (its HTML written again) or to a module must not write through those links."""
    root, server, url = served
    wait_for(url + PAGE, "coursebook-updating", present=False, seconds=240)  # the complete build shows
    shown = root / ".build" / "preview" / "en"
    files = sorted(p for p in shown.rglob("*") if p.is_file() and not p.is_symlink()
                   and p.relative_to(shown).parts[0] in ("handouts", "slides", "downloads", "workshops"))
    assert {p.suffix for p in files} >= {".pdf", ".html", ".pptx", ".zip"}, files
    kept = tmp_path / "kept"
    kept.mkdir()
    before = {}
    for i, path in enumerate(files):
        os.link(path, kept / str(i))  # the shown file itself, whatever name it is shown under next
        before[i] = path.read_bytes()
    deck = root / "slides" / "01-basics.md"
    deck.write_text(deck.read_text().replace("- A point", "- A point made in the preview"))
    wait_for(url + "/en/slides/01-basics.html", "A point made in the preview")
    module = root / "modules" / "01-basics" / "module.md"
    module.write_text(module.read_text().replace("More participant text.", "Another preview."))
    wait_for(url + PAGE, "Another preview.")
    changed = [str(files[i].relative_to(shown)) for i in before if (kept / str(i)).read_bytes() != before[i]]
    assert not changed, f"written in place: {changed}"


@pytest.mark.browser
def test_the_browser_reloads_itself_under_the_pages_policy(browser, served: tuple[Path, PreviewServer, str]) -> None:
    root, server, url = served
    wait_for(url + PAGE, "More participant text.")
    page = browser.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(url + PAGE)
    assert "More participant text." in page.inner_text("article")
    module = root / "modules" / "01-basics" / "module.md"
    module.write_text(module.read_text().replace("More participant text.", "Reloaded by itself."))
    deadline = time.monotonic() + 60
    while "Reloaded by itself." not in page.inner_text("article") and time.monotonic() < deadline:
        time.sleep(0.2)  # no page.reload(): the live-reload script does it
    assert "Reloaded by itself." in page.inner_text("article")
    assert refused == []
    page.close()


def test_the_first_preview_links_what_the_complete_build_will_make(tmp_path: Path) -> None:
    """Before any complete build, the preview's module pages link the handout and deck files
    already: when the complete build puts them in, an edit renders the edited page only, not
    every module page again (a 6 s preview at 100 modules, once per `serve`)."""
    root = tmp_path / "repo"
    shutil.copytree(MINI, root)
    preview = Preview(Options(root, out=root / ".build" / "preview", verbosity=0))
    preview.quick(set())
    first = (preview.out / "en" / "modules" / "01-basics.html").read_text(encoding="utf-8")
    assert not (preview.out / "en" / "handouts" / "01-basics.pdf").exists()  # not made yet
    for target in ("handouts/01-basics.pdf", "slides/01-basics.html", "slides/01-basics.pptx"):
        assert f'href="../{target}"' in first
    build(Options(root, out=preview.full, verbosity=0))  # the background build's work, then its swap
    made = (preview.full / "en" / "modules" / "01-basics.html").read_text(encoding="utf-8")
    assert LINKED.findall(made) == LINKED.findall(first)  # the very files it made, no more
    _swap(preview.full, preview.out)
    module = root / "modules" / "01-basics" / "module.md"
    module.write_text(module.read_text().replace("More participant text.", "An edit after the handouts came."))
    preview.quick({module})
    built = preview.rendered["en"]
    # the downloads page lists the files with their sizes now; no other page changed
    assert (built.mode, built.pages) == ("dirty", ["downloads.html", "modules/01-basics.html"])
    assert (preview.out / "en" / "handouts" / "01-basics.pdf").exists()
    assert "An edit after the handouts came." in (preview.out / "en/modules/01-basics.html").read_text()
