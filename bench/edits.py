"""Real edits for the benchmarks: a sentence added to a paragraph of a course file, a different
one each run, that the outputs must then show — so a rebuild is measured doing the work an
author's edit causes, never answered from the cache."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from coursebook import memo
from coursebook.build import Options, Rendered, build

BUILD = Path(__file__).resolve().parents[1] / "build.py"


def as_a_user(*args: str) -> list[str]:
    """`python build.py ARGS` as an author runs it: the command line, to run with `USER_ENV`."""
    return [sys.executable, str(BUILD), *args]


USER_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # bytecode, as a user's


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.replace("-\n", "").split())


def shown(path: Path) -> str:
    """The text an output shows (HTML as it is, PDF read back), spaces normalised."""
    return pdf_text(path) if path.suffix == ".pdf" else " ".join(path.read_text(encoding="utf-8").split())


@dataclass
class Edit:
    """A sentence appended to the first paragraph of `source`; `outputs` (relative to the
    site) must change and show it after the rebuild."""

    root: Path
    source: str  # e.g. modules/06-ncpc-roles/module.md
    outputs: list[str]  # e.g. en/modules/06-ncpc-roles.html, en/handouts/06-ncpc-roles.pdf
    word: str = "Benchmark"
    original: str = field(init=False, default="")
    touched: list[Rendered] = field(init=False, default_factory=list)
    in_process: list[float] = field(init=False, default_factory=list)  # seconds of each untimed rebuild

    def __post_init__(self) -> None:
        self.original = (self.root / self.source).read_text(encoding="utf-8")

    def sentence(self, i: int) -> str:
        return f"{self.word} sentence number {i} was added here."

    def apply(self, i: int) -> str:
        lines = self.original.split("\n")
        start = lines.index("---", 1) + 1 if lines[0] == "---" else 0
        first = next(n for n in range(start, len(lines)) if lines[n][:1].isalpha())
        end = next((n for n in range(first, len(lines)) if not lines[n].strip()), len(lines)) - 1
        lines[end] += " " + self.sentence(i)
        (self.root / self.source).write_text("\n".join(lines), encoding="utf-8")
        return self.sentence(i)

    def restore(self) -> None:
        (self.root / self.source).write_text(self.original, encoding="utf-8")

    def verify(self, site: Path, i: int, before: dict[str, bytes]) -> None:
        for rel in self.outputs:
            path = site / rel
            assert path.read_bytes() != before[rel], f"{rel} did not change after editing {self.source}"
            assert self.sentence(i) in shown(path), f"{rel} does not show the edit to {self.source}"


def rebuild_after(edit: Edit, runs: int, site: Path) -> list[float]:
    """Seconds of `python build.py` after one edit, run as a command as an author runs it: the
    process's start, its imports and the import of WeasyPrint by its render workers' fork server
    are counted (this process's fork server has WeasyPrint loaded: its workers would not pay that). Each
    run starts from the built, unedited course (the restore and its rebuild are not timed) and
    is checked against the outputs. One more run, in this process and not timed, records what a
    rebuild rendered (`touched`)."""
    command = as_a_user("-q", "--root", str(edit.root), "--out", str(site))
    times = []
    for i in range(runs + 1):
        edit.restore()
        build(Options(edit.root, out=site, verbosity=0))
        memo.save()  # the check's kept results, as a command leaves them for the next
        before = {rel: (site / rel).read_bytes() for rel in edit.outputs}
        edit.apply(i)
        if i < runs:
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, env=USER_ENV)
            times.append(time.perf_counter() - start)
            assert done.returncode == 0, done.stderr
        else:
            options = Options(edit.root, out=site, verbosity=0)
            start = time.perf_counter()
            build(options)
            edit.in_process.append(time.perf_counter() - start)
            assert options.rendered is not None
            edit.touched.append(options.rendered)
        edit.verify(site, i, before)
    edit.restore()
    build(Options(edit.root, out=site, verbosity=0))
    return times


def touched(rendered: Rendered) -> str:
    """What a rebuild rendered, in words: documents per edition, and each site's work."""
    docs: dict[str, int] = {}
    for d in rendered.documents:
        if "/chapters/" not in d:
            docs[d.split("/", 1)[0]] = docs.get(d.split("/", 1)[0], 0) + 1
    chapters = sum("/chapters/" in d for d in rendered.documents)
    sites = ", ".join(f"{lang} {b.mode}" + (f" ({len(b.pages)} pages)" if b.mode == "dirty" else "")
                      for lang, b in rendered.sites.items())
    return (f"documents: {', '.join(f'{k} {v}' for k, v in docs.items()) or 'none'}"
            f"{f' + {chapters} chapters' if chapters else ''}; sites: {sites}")


def serve_edits(edit: Edit, runs: int, page: str, languages: list[str] | None = None) -> list[float]:
    """Seconds from saving an edit to the preview server answering with the edited page
    (a real HTTP client). As when an author writes, the background build of the previous edit
    may still be running when the next is saved (the preview stops it first)."""
    from coursebook.serve import make_server

    options = Options(edit.root, out=edit.root / ".build" / "preview", verbosity=0, languages=languages)
    server = make_server(options, port=0)
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    while server.server_address[1] == 0:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{server.server_address[1]}/{page}"

    def get() -> str:
        try:
            with urllib.request.urlopen(url, timeout=120) as r:
                return r.read().decode()
        except urllib.error.URLError:  # not there yet (404), or the server's thread not listening yet
            return ""

    times = []
    try:
        for i in range(runs):
            deadline = time.monotonic() + 300
            while not get() and time.monotonic() < deadline:
                time.sleep(0.5)
            time.sleep(3)  # an author saves every few seconds at most
            sentence = edit.apply(i)
            start = time.perf_counter()
            while sentence not in " ".join(get().split()):
                time.sleep(0.02)
            times.append(time.perf_counter() - start)
    finally:
        server.shutdown()  # and its background build: none may run on into the next measure
        thread.join(timeout=60)
        edit.restore()  # with no server watching: no rebuild
    return times
