"""`serve`: a real HTTP request sees a change after an edit, and an error shows on the page."""

from __future__ import annotations

import shutil
import threading
import time
import urllib.request
from pathlib import Path

from coursebook.build import Options
from coursebook.serve import make_server
from tests.conftest import MINI


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def wait_for(url: str, text: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = fetch(url)
        if text in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{text!r} did not appear at {url}")


def test_serve_rebuilds_on_change_and_shows_errors(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(MINI, root)
    options = Options(root, out=root / ".build" / "preview", verbosity=0, outputs=("site",))
    server = make_server(options, port=0)
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while server.server_address[1] == 0 and time.monotonic() < deadline:  # bound in serve()
        time.sleep(0.05)
    url = f"http://127.0.0.1:{server.server_address[1]}/en/modules/01-basics.html"
    try:
        page = wait_for(url, "More participant text.")
        assert "livereload" in page  # the browser reloads itself after each rebuild
        module = root / "modules" / "01-basics" / "module.md"
        module.write_text(module.read_text().replace("More participant text.", "A freshly edited line."))
        wait_for(url, "A freshly edited line.")
        module.write_text(module.read_text().replace("presentation_minutes: 30", "presentation_minutes: lots"))
        page = wait_for(url, "coursebook-errors")
        assert "modules/01-basics/module.md:4: error: &#x27;presentation_minutes&#x27;" in page
        assert "A freshly edited line." in page  # the last good build stays on screen
        module.write_text(module.read_text().replace("presentation_minutes: lots", "presentation_minutes: 30"))
        deadline = time.monotonic() + 60
        while "coursebook-errors" in fetch(url) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert "coursebook-errors" not in fetch(url)
    finally:
        server.shutdown()
        thread.join(timeout=10)
