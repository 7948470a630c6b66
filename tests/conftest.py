"""Shared test helpers: small courses written into temporary folders."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"

# YAML anchors nested nine deep: 9**9 entries if expanded ("billion laughs"); a loader must refuse it
LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True))


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of the small valid fixture course, safe to modify."""
    dest = tmp_path / "course-repo"
    shutil.copytree(MINI, dest)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def write(root: Path, rel: str, text: str) -> Path:
    """Write a file of a test course, dedenting the text."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def edit(rel: str, old: str, new: str) -> Callable[[Path], None]:
    """An edit of a test course's file: `old` (which must be there) replaced by `new`, once."""
    def apply(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"the edit does not apply: {old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return apply


# ---- built outputs and a real browser, shared by the site, PDF and slide tests ----

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


@pytest.fixture(scope="session")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own course, built once for the whole test session."""
    from coursebook.build import Options, build

    out = tmp_path_factory.mktemp("default") / "site"
    build(Options(ROOT, out=out, verbosity=0))
    return out


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture course (en + es), built once."""
    from coursebook.build import Options, build

    root = tmp_path_factory.mktemp("mini") / "course-repo"
    shutil.copytree(MINI, root)
    build(Options(root, verbosity=0))
    return root / "site"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never Playwright's own browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


class Served:
    """A folder served over http on 127.0.0.1, on a free port, in a thread."""

    def __init__(self, folder: Path):
        import functools
        import http.server
        import threading

        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _quiet_handler_base():
    import http.server

    return http.server.SimpleHTTPRequestHandler


class _QuietHandler(_quiet_handler_base()):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


@pytest.fixture(scope="session")
def served_default(default_site: Path):
    server = Served(default_site)
    yield server.url
    server.close()


def watch(page) -> dict:
    """Record a page's requests and console errors, to assert none leave the machine."""
    seen: dict = {"requests": [], "errors": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    return seen


def foreign(requests: list[str]) -> list[str]:
    """Requests to anything but this machine (file://, data:, 127.0.0.1)."""
    return [u for u in requests if not u.startswith(("file://", "data:", "blob:", "about:"))
            and not u.startswith("http://127.0.0.1:")]


# ---- the kitchen-sink course and a real published lesson, built into every output ----

KITCHEN = ROOT / "tests" / "fixtures" / "kitchen"
LESSON = ROOT / "tests" / "fixtures" / "lesson"


def _build_fixture(tmp_path_factory: pytest.TempPathFactory, source: Path, name: str) -> Path:
    """Copy a fixture course to a temporary folder, build every output of every language."""
    from coursebook.build import Options, build

    root = tmp_path_factory.mktemp(name) / "course-repo"
    shutil.copytree(source, root)
    build(Options(root, verbosity=0))
    return root / "site"


@pytest.fixture(scope="session")
def kitchen_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The kitchen-sink course (every feature of the contract, en + es), built once."""
    return _build_fixture(tmp_path_factory, KITCHEN, "kitchen")


@pytest.fixture(scope="session")
def lesson_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real published lesson (Software Carpentry's shell lesson, converted), built once."""
    return _build_fixture(tmp_path_factory, LESSON, "lesson")


@pytest.fixture(scope="session")
def maths_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The code-and-maths course (tests/maths_course.py), English edition, built once: `site/en`."""
    from coursebook.build import Options, build
    from tests.maths_course import maths_course

    root = maths_course(tmp_path_factory.mktemp("maths") / "course-repo")
    build(Options(root, languages=["en"], verbosity=0))
    return root / "site" / "en"


@pytest.fixture(scope="session")
def figures_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture course with figures and linked files everywhere (tests/figures_course.py),
    every output of en + es, built once."""
    from coursebook.build import Options, build
    from tests.figures_course import make

    root = tmp_path_factory.mktemp("figures") / "course-repo"
    shutil.copytree(MINI, root)
    build(Options(make(root), verbosity=0))
    return root / "site"


def wait_until(page, expression: str, arg: object = None, timeout: float = 15000) -> None:
    """Wait until a JavaScript expression (or `arg => …` function) is true in the page.

    Playwright's `wait_for_function` polls by evaluating a string in the page, which the
    built pages' Content-Security-Policy (no 'unsafe-eval') refuses; `page.evaluate` is run by
    the browser's debugger protocol, outside the page's policy."""
    import time

    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            if page.evaluate(expression, arg) if arg is not None else page.evaluate(expression):
                return
        except Exception:  # noqa: BLE001 - the page is still loading (navigation, no Reveal yet)
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"not true after {timeout} ms: {expression}")
        time.sleep(0.1)
