"""`python build.py serve`: a live preview on 127.0.0.1.

It rebuilds when a course, theme or config file changes and reloads the browser, using
MkDocs' live-reload server. A failed rebuild keeps the last good pages on screen, prints the
errors in the terminal and shows them in a banner on every page until they are fixed.
"""

from __future__ import annotations

import html
import logging
import sys

from mkdocs.livereload import LiveReloadServer

from .build import Options, build
from .diagnostics import CourseError, Diagnostic

WATCHED = ("course", "modules", "slides", "instructor_notes", "theme", "mkdocs.yml")


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
    """MkDocs' live-reload server, plus a banner with the errors of a failed rebuild."""

    banner: bytes = b""

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        content = super()._inject_js_into_html(content, epoch)
        if self.banner:
            start = content.find(b">", content.find(b"<body")) + 1
            content = content[:start] + self.banner + content[start:]
        return content


def make_server(options: Options, host: str = "127.0.0.1", port: int = 8000) -> PreviewServer:
    """Build once, then return a server that rebuilds on change (call `.serve()` to run it)."""
    assert options.out is not None

    def rebuild() -> None:
        options.report.items.clear()
        try:
            build(options)
            server.banner = b""
        except CourseError as exc:
            from .cli import print_diagnostics

            print_diagnostics(exc.diagnostics)
            server.banner = error_banner(exc.diagnostics)
        except Exception as exc:  # noqa: BLE001 - keep previewing whatever went wrong
            print(f"coursebook: the rebuild failed: {exc!r}", file=sys.stderr)
            server.banner = error_banner([Diagnostic("", 0, "error", f"the build crashed: {exc!r}")])

    options.out.mkdir(parents=True, exist_ok=True)
    server = PreviewServer(builder=rebuild, host=host, port=port, root=str(options.out))
    rebuild()
    for name in WATCHED:
        path = options.root / name
        if path.exists():
            server.watch(str(path), recursive=path.is_dir())
    return server


def serve(options: Options, host: str = "127.0.0.1", port: int = 8000) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    server = make_server(options, host, port)
    print(f"Preview on {server.url} — edit any course file; Ctrl+C to stop", file=sys.stderr)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0
