"""`python build.py serve`: a live preview on 127.0.0.1 — the page being edited first.

After an edit, the site of the edition being edited (the source language, or the language of
the translation that changed; `--lang` to choose, `--all` for every edition) is built alone,
only its changed pages rendered (`render/incremental.py`), and the browser reloads: about a
second. Its pages link to the handouts and decks of the last complete build. Those, and the
other editions, follow in the background: a complete build in a process of its own, into a
folder of its own, swapped in when it finishes — or stopped and started again when another
edit comes first. A notice on the pages says that they are updating.

Errors show in the terminal and in a banner on every page at once; the last good pages stay.
Uses MkDocs' live-reload server; its reload script is allowed by the pages' CSP by hash.
"""

from __future__ import annotations

import gc
import html
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

from mkdocs.livereload import LiveReloadServer, _timestamp

from .build import Options, load_courses
from .context import Context, lang_dir
from .diagnostics import CourseError, Diagnostic, Report
from .load import read_yaml, split_lang
from .render import csp, site, site_pages, slides, workshop_site
from .render.incremental import Built
from .render.incremental import publish as link_copy
from .write import MARKER, MARKER_TEXT, build_dir, prune, put_copy, put_link, rewrite

WATCHED = ("course", "modules", "slides", "instructor_notes", "theme", "workshops", "mkdocs.yml")
REUSED = ("handouts", "slides", "workshops", "downloads")  # what the complete build made, reused
NOTICE = (b'<div role="status" id="coursebook-updating" style="position:fixed;z-index:1000;right:1rem;'
          b'bottom:1rem;background:#fffbe6;color:#3d3000;border:1px solid #b38f00;border-radius:4px;'
          b'padding:.5rem .9rem;font:13px/1.4 system-ui,sans-serif">Handouts, slide decks and the other '
          b'languages are updating&hellip;</div>')


def error_banner(diagnostics: list[Diagnostic]) -> bytes:
    items = "".join(f"<li><code>{html.escape(d.format())}</code></li>" for d in diagnostics)
    return (
        '<div role="alert" id="coursebook-errors" style="position:fixed;z-index:1000;inset:0 0 auto 0;'
        "max-height:50vh;overflow:auto;background:#fff4f4;color:#5c0000;border-bottom:3px solid #b00020;"
        'padding:1rem 1.5rem;font:14px/1.5 system-ui,sans-serif">'
        f"<strong>The last change has {len(diagnostics)} problem(s); showing the last good build.</strong>"
        f"<ul>{items}</ul></div>"
    ).encode()


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server, which also remembers which files changed, shows a banner
    with the errors of a failed rebuild and a notice while the background build runs."""

    banner: bytes = b""
    notice: bytes = b""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.changed: set[Path] = set()
        self.preview: Preview | None = None

    def shutdown(self, wait: bool = False) -> None:
        """Stop watching and serving, then the background build: a rebuild under way when
        the server stops must not start one that outlives it."""
        super().shutdown(wait)
        if self.preview:
            self.preview.close()

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        super().watch(path, func, recursive=recursive)
        handler = self._watch_refs[os.path.abspath(path)]
        for h in self.observer._handlers.get(handler, ()):  # remember the paths, then MkDocs' callback
            callback = h.on_any_event

            def remember(event: object, callback=callback) -> None:
                if not getattr(event, "is_directory", False):  # a move: its new name too (a save by rename)
                    self.changed.update(Path(os.fsdecode(p)) for p in (event.src_path, getattr(event, "dest_path", ""))
                                        if p)
                callback(event)
            h.on_any_event = remember

    def take_changes(self) -> set[Path]:
        changed, self.changed = self.changed, set()
        return changed

    def reload(self) -> None:
        """Make open pages reload (after the background build), unless a rebuild is under way,
        whose end reloads them anyway."""
        with self._epoch_cond:
            if self._visible_epoch == self._wanted_epoch:
                self._wanted_epoch = self._visible_epoch = _timestamp()
                self._epoch_cond.notify_all()

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        content = super()._inject_js_into_html(content, epoch)
        start = content.rfind(b"<script>") + len(b"<script>")  # the reload script just added
        script = content[start:content.find(b"</script>", start)].decode()
        allowed = f"script-src 'self' file: {csp._hash(script)} ".encode()  # the page's CSP lets it run
        content = content.replace(b"script-src 'self' file: ", allowed, 1)
        start = content.find(b">", content.find(b"<body")) + 1
        return content[:start] + self.banner + self.notice + content[start:]


class Preview:
    """The two builds of the preview: `quick` (the edited edition's site, in this process)
    and the complete build in the background."""

    def __init__(self, options: Options, every: bool = False) -> None:
        assert options.out is not None
        self.options, self.every = options, every
        self.out = options.out  # what the server shows: .build/preview
        self.cache = build_dir(options.root)
        self.full = self.cache / "preview-full"  # where the background build writes
        self.lock = threading.Lock()  # held while a folder of `out` is swapped
        self.generation = 0  # one per edit: a background build of an older one is thrown away
        self.process: subprocess.Popen | None = None
        self.server: PreviewServer | None = None
        self.starting = threading.Lock()  # held while a background build starts, or when closing
        self.closed = False  # no background build after `close`
        self.rendered: dict[str, Built] = {}  # per edition, what the last quick build's engine rendered

    def languages(self, changed: set[Path], known: list[str]) -> list[str] | None:
        """The editions to build now: as asked, else those of the changed translations, else
        the source language."""
        if self.options.languages or self.every:
            return self.options.languages
        langs = {split_lang(p)[1] for p in changed} & set(known)
        return sorted(langs) or known[:1]

    def quick(self, changed: set[Path]) -> list[str]:
        """Build the site of the edited editions (only their changed pages) and show it."""
        self.generation += 1
        self.stop_background()
        o = self.options
        quick = Options(o.root, self.out, o.strict, self.languages(changed, _languages(o.root)), ("site",), 0,
                        engine=o.engine)
        courses = load_courses(quick)
        ctx = Context(o.root, self.cache, 0, all_outputs=False, engine=o.engine or courses[0].config.engine,
                      sources=quick.sources)
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        for course in courses:
            work = self.cache / "quick" / lang_dir(course.lang)
            docs = work / "docs"
            t = ctx.strings(course)  # what the complete build will make is linked already (`_reuse` puts it in)
            ctx.promised.update(docs / target for m in course.modules for target in site_pages.coming(m, o.outputs, t))
            rewrite(docs)  # in place: the pages that stay the same are kept, and not rendered again
            decks = any(p.is_relative_to(o.root / "slides") for p in changed)
            # the PDFs, decks and zip last made; copied where this build writes: the HTML decks, if
            # a deck changed, and the workshops' calendars
            _reuse(self.out / lang_dir(course.lang), docs, copied={"workshops", *(["slides"] if decks else [])})
            if decks:
                slides.render(course, ctx, docs)  # the HTML decks now; their PDF and PPTX later
            workshop_site.write_source(quick.workshops, course, ctx, docs)
            site.write_downloads(site.write_source(course, ctx, docs), ctx, docs)
            prune(docs)
            built = site.build_edition(course, ctx, work, offline=False)
            self.rendered[course.lang] = built
            with self.lock:
                _swap(built.path, self.out / lang_dir(course.lang), publish=True)
        ctx.memo.close()
        if not (self.out / "index.html").exists():
            site.write_index(courses, self.out)
        return [c.lang for c in courses]

    def start_background(self) -> None:
        """The complete build (every output, every edition asked for), in its own process."""
        o = self.options
        command = [sys.executable, "-m", "coursebook", "build", "--root", str(o.root), "--out", str(self.full), "-q",
                   "--only", ",".join(o.outputs), *(["--strict"] if o.strict else []),
                   *(["--engine", o.engine] if o.engine else []),
                   *[x for lang in o.languages or [] for x in ("--lang", lang)]]
        with self.starting:
            if self.closed:
                return
            self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                            start_new_session=True)  # its own group: stopped with its workers
        if self.server:
            self.server.notice = NOTICE
        threading.Thread(target=self._finish, args=(self.process, self.generation), daemon=True).start()

    def _finish(self, process: subprocess.Popen, generation: int) -> None:
        _, err = process.communicate()
        if generation != self.generation or process.returncode < 0:
            return  # another edit came first: its own background build follows
        if process.returncode == 0:
            with self.lock:
                _swap(self.full, self.out)
        elif self.server:
            print(err, file=sys.stderr, end="")
            lines = [x for x in err.splitlines() if x.strip()]
            self.server.banner = error_banner([Diagnostic("", 0, "error", x) for x in lines[-20:]])
        if self.server:
            self.server.notice = b""
            self.server.reload()

    def close(self) -> None:
        """Stop the background build, and start none after."""
        with self.starting:
            self.closed = True
        self.stop_background()

    def stop_background(self) -> None:
        if self.process and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            self.process.wait()


def _languages(root: Path) -> list[str]:
    """The course's languages, source first, as course.yml says (validated by the build)."""
    sf = read_yaml(root / "course" / "course.yml", Report(root))
    data = sf.meta if sf and isinstance(sf.meta, dict) else {}
    langs = data.get("languages") if isinstance(data.get("languages"), list) else []
    return [str(data.get("language", "en")), *map(str, langs)]


def _reuse(edition: Path, docs: Path, copied: set[str]) -> None:
    """Put into a site source the handouts, decks, zip and workshop files of the shown edition,
    so the quick build's pages list and link them (never its HTML pages). By hard links (tens
    of megabytes at 100 modules: copying them was a third of each preview), except in the
    `copied` folders, which this build writes into: a published file must never change in
    place. The site source's own files (the zip's placeholder) replace a link, never write
    through it."""
    for folder in REUSED:
        for path in sorted((edition / folder).rglob("*")) if (edition / folder).is_dir() else []:
            rel = path.relative_to(edition)
            if path.is_file() and not (rel.parts[0] == "workshops" and path.suffix == ".html"):
                (put_copy if folder in copied else put_link)(path, docs / rel)


def _swap(new: Path, shown: Path, publish: bool = False) -> None:
    """Show `new` at `shown` by renames (a request never sees half a folder); `publish`: link a
    copy of `new`, which the incremental build keeps."""
    staged = shown.with_name(f".{shown.name}.new")
    shutil.rmtree(staged, ignore_errors=True)
    if publish:
        link_copy(new, staged)
    else:
        new.rename(staged)
    old = shown.with_name(f".{shown.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if shown.exists():
        shown.rename(old)
    staged.rename(shown)
    shutil.rmtree(old, ignore_errors=True)


def make_server(options: Options, host: str = "127.0.0.1", port: int = 8000, every: bool = False,
                background: bool = True) -> PreviewServer:
    """Build the edited edition once, then return a server that rebuilds on change (call
    `.serve()` to run it); `background`: also run the complete build after each change."""
    assert options.out is not None
    preview = Preview(options, every)

    def rebuild() -> None:
        options.report.items.clear()
        try:
            langs = preview.quick(server.take_changes())
            server.banner = b""
            if background:
                preview.start_background()
            print(f"coursebook: preview of {', '.join(langs)} updated", file=sys.stderr)
        except CourseError as exc:
            from .cli import print_diagnostics

            print_diagnostics(exc.diagnostics)
            server.banner = error_banner(exc.diagnostics)
        except Exception as exc:  # noqa: BLE001 - keep previewing whatever went wrong
            print(f"coursebook: the rebuild failed: {exc!r}", file=sys.stderr)
            server.banner = error_banner([Diagnostic("", 0, "error", f"the build crashed: {exc!r}")])

    options.out.mkdir(parents=True, exist_ok=True)
    server = PreviewServer(builder=rebuild, host=host, port=port, root=str(options.out), polling_interval=0.25)
    preview.server = server
    server.preview = preview
    rebuild()
    gc.collect()  # what the first build left (imports, templates, kept conversions) lives as long
    gc.freeze()  # as the server: out of the collector's way, whose full passes slowed every edit
    for name in WATCHED:
        path = options.root / name
        if path.exists():
            server.watch(str(path), recursive=path.is_dir())
    return server


def serve(options: Options, host: str = "127.0.0.1", port: int = 8000, every: bool = False) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    server = make_server(options, host, port, every)
    print(f"Preview on {server.url} — edit any course file; Ctrl+C to stop", file=sys.stderr)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()  # and the background build
    return 0
