"""The command line: `coursebook` (or `python build.py`) builds; `check` validates."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

# coursebook uses no pydantic plugin; looking for them imports importlib.metadata and reads every
# installed package's entry points, a tenth of `check`'s start. Set before the schemas are made.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from . import __version__, cli_translate, cli_workshop, memo  # cli_workshop: workshop SLUG, new workshop (issue #19)
from .build import OUTPUTS, Options, build, load_courses
from .diagnostics import CourseError, Diagnostic
from .render.engines import ENGINES
from .write import OutputError, build_dir, check_output

if TYPE_CHECKING:
    from .jobs import RenderError

EXAMPLES = """examples:
  python build.py                 build the site, PDFs and decks of every language into site/
  python build.py check           validate the course; list every error and warning
  python build.py check --strict  warnings count as errors
  python build.py --lang es       build the Spanish edition only
  python build.py --engine zensical  build the site with Zensical instead of MkDocs + Material
  python build.py serve           live preview on http://127.0.0.1:8000, rebuilt on every change
  python build.py status          translation status per language and file
  python build.py new module "Water efficiency"
  python build.py new activity 08-water-efficiency "Audit walk"
  python build.py new workshop "Lima 2027"
  python build.py workshop lima-2027 --private   one workshop's files, with names, into private/lima-2027/
  python build.py new-language pt
  python build.py translated modules/06-ncpc-roles/module.es.md
  python build.py export-po es    PO files for CAT tools into translations/es/; import-po es reads them back
"""


def _colour(text: str, code: str) -> str:
    if sys.stderr.isatty() and not os.environ.get("NO_COLOR"):
        return f"\033[{code}m{text}\033[0m"
    return text


def print_diagnostics(items: list[Diagnostic]) -> None:
    for d in sorted(set(items)):
        level = _colour(d.level, "31;1" if d.level == "error" else "33")
        where = f"{d.file}:{d.line}" if d.line else d.file
        hint = f" — {d.hint}" if d.hint else ""
        print(f"{where}: {level}: {d.message}{hint}", file=sys.stderr)
    errors = sum(1 for d in set(items) if d.level == "error")
    warnings = sum(1 for d in set(items) if d.level == "warning")
    if errors or warnings:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


def _render_error() -> type[RenderError]:
    from .jobs import RenderError

    return RenderError


def _render_diagnostic(root: Path, exc: RenderError) -> Diagnostic:
    """A failed render as a diagnostic: at the file and line that asked for the refused
    resource when it can be found, else under the document's name."""
    from .validate_paths import where_used

    found = where_used(root, exc.resource) if exc.resource else None
    if found:
        path, line = found
        return Diagnostic(path.relative_to(root.resolve()).as_posix(), line, "error",
                          f"{exc.document}: {exc.message}",
                          "use only files inside the repository, by a relative path")
    return Diagnostic(exc.document, 0, "error", exc.message,
                      "use only files inside the repository, by a relative path" if exc.resource else "")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root", type=Path, default=Path.cwd(),
                   help="the course repository (default: the current folder)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--lang", action="append", dest="languages", metavar="LANG",
                   help="only this language (repeatable)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    g.add_argument("-v", "--verbose", action="store_true", help="say what each stage does")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="coursebook", description="Build a course's website, PDF handouts and slide decks.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"coursebook {__version__}")
    _common(p)
    p.add_argument("--out", type=Path, help="output folder (default: site/)")
    p.add_argument("--only", help=f"comma-separated outputs to build: {','.join(OUTPUTS)}")
    p.add_argument("--clean", action="store_true", help="ignore the render cache; re-render everything")
    p.add_argument("--engine", choices=ENGINES, help="what builds the site (default: course.yml's engine, else mkdocs)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    b = sub.add_parser("build", help="build everything (the default)", epilog=EXAMPLES,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(b)
    b.add_argument("--out", type=Path, help="output folder (default: site/)")
    b.add_argument("--only", help=f"comma-separated outputs to build: {','.join(OUTPUTS)}")
    b.add_argument("--clean", action="store_true", help="ignore the render cache; re-render everything")
    b.add_argument("--engine", choices=ENGINES, help="what builds the site (default: course.yml's engine, else mkdocs)")
    c = sub.add_parser("check", help="validate the course and list every problem",
                       epilog="example:\n  python build.py check --strict",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(c)
    sv = sub.add_parser("serve", help="live preview on 127.0.0.1 that rebuilds on every change",
                        description="After an edit, the edited edition's pages are rebuilt first (about a "
                        "second); the handouts, decks and other editions follow in the background.",
                        epilog="examples:\n  python build.py serve\n  python build.py serve --lang es   "
                        "preview and build the Spanish edition only\n  python build.py serve --all     "
                        "preview every edition at once (slower)",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(sv)
    sv.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    sv.add_argument("--all", action="store_true", dest="every", help="rebuild every edition's pages at once")
    sv.add_argument("--only", help=f"comma-separated outputs to build: {','.join(OUTPUTS)}")
    st = sub.add_parser("status", help="translation status: missing, stale or current, per language",
                        epilog="example:\n  python build.py status --lang es",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(st)
    st.add_argument("--all", action="store_true", help="list current files too")
    cli_translate.add_status_args(st)
    tr = sub.add_parser("translated", help="mark translations as up to date with their source",
                        epilog="example:\n  python build.py translated modules/06-ncpc-roles/module.es.md",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(tr)
    tr.add_argument("files", nargs="+", type=Path, help="translation files (x.es.md, course.es.yml)")
    cli_translate.add_translated_args(tr)
    new = sub.add_parser("new", help="scaffold a module or an activity",
                         epilog='examples:\n  python build.py new module "Water efficiency"\n'
                                '  python build.py new activity 08-water-efficiency "Audit walk"',
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(new)
    new.add_argument("kind", choices=["module", "activity", "workshop"])
    new.add_argument("names", nargs="+", metavar="ARG", help='"Title", or MODULE "Title"')
    cli_workshop.add_parsers(sub, _common)  # workshop SLUG [--private] [--participants CSV]
    nl = sub.add_parser("new-language", help="add a language edition to the course",
                        epilog="example:\n  python build.py new-language pt",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(nl)
    nl.add_argument("code", help="language code, e.g. pt, ar, zh")
    cli_translate.add_parsers(sub, _common)
    return p


def _scaffold(args: argparse.Namespace) -> int:
    from .scaffold import new_activity, new_language, new_module
    from .status import mark_translated

    root = args.root.resolve()
    try:
        if args.command == "new-language":
            made = new_language(root, args.code)
        elif args.command == "translated":
            for f in args.files:
                digest = mark_translated(f.resolve(), root, args.block)
                print(f"{f}: translation_of {digest}")
            return 0
        elif args.kind == "module" and len(args.names) == 1:
            made = new_module(root, args.names[0])
        elif args.kind == "workshop" and len(args.names) == 1:
            made = [cli_workshop.new_workshop(root, args.names[0])]
        elif args.kind == "activity" and len(args.names) == 2:
            made = [new_activity(root, *args.names)]
        else:
            usage = '"Title"' if args.kind == "module" else 'MODULE "Title"'
            print(f"coursebook: new {args.kind} takes {usage}", file=sys.stderr)
            return 2
    except (ValueError, OSError) as exc:  # also a read-only file, or one that exists already
        print(f"coursebook: {exc}", file=sys.stderr)
        return 1
    for path in made:
        print(f"wrote {path.relative_to(root)}")
    print("next: python build.py check")
    return 0


def main(argv: list[str] | None = None) -> int:
    return _main(parser().parse_args(argv))


def run() -> NoReturn:
    """The command's entry (`python build.py`, `python -m coursebook`, `coursebook`). A build or
    a check leaves without tearing the interpreter down: freeing every object of the course's
    model and of the libraries took 0.07–0.15 s after a check and 0.35–0.75 s after a one-module
    rebuild (20–100 modules), time in which the command had nothing left to do. Its kept results
    are written first, the render workers still importing (a build that rendered nothing) are
    stopped, then the output is flushed."""
    args = parser().parse_args()
    code = _main(args)
    if args.command in (None, "build", "check"):
        _leave(code)
    sys.exit(code)


def _leave(code: int) -> NoReturn:
    memo.save()  # the one `atexit` handler of coursebook's own that has something to write
    if multiprocessing := sys.modules.get("multiprocessing"):  # a build's render workers: forked,
        for worker in multiprocessing.active_children():  # they would wait for work forever
            worker.terminate()
            worker.join()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _main(args: argparse.Namespace) -> int:
    verbosity = 0 if args.quiet else 2 if args.verbose else 1
    if not args.root.is_dir():  # a typo in --root: say so, rather than a Python error or "no language"
        what = "is not a folder" if args.root.exists() else "does not exist"
        print(f"coursebook: --root {args.root} {what}; give the course repository's folder "
              "(the one with course/course.yml)", file=sys.stderr)
        return 2
    only = tuple(x.strip() for x in (getattr(args, "only", None) or ",".join(OUTPUTS)).split(","))
    unknown = [x for x in only if x not in OUTPUTS]
    if unknown:
        print(f"coursebook: unknown output {unknown[0]!r}; choose from {', '.join(OUTPUTS)}",
              file=sys.stderr)
        return 2
    options = Options(args.root, getattr(args, "out", None), args.strict, args.languages,
                      only, verbosity, getattr(args, "clean", False), getattr(args, "engine", None))
    if args.command == "serve":
        from .serve import serve

        options.out = options.root / ".build" / "preview"
        try:  # the preview is written into .build/: it must be the repository's own folder
            check_output(options.root, build_dir(options.root) / "preview")
        except OutputError as exc:
            print(f"coursebook: {exc}", file=sys.stderr)
            return 2
        return serve(options, port=args.port, every=args.every)
    if args.command == "status":
        return cli_translate.status(options, args)
    if args.command in cli_translate.COMMANDS:
        return cli_translate.run(args, options)
    if args.command == "workshop":
        return cli_workshop.run(args)
    if args.command in ("new", "new-language", "translated"):
        return _scaffold(args)
    # a failed render: only a build renders (the jobs' machinery is not loaded to check)
    render_error: type[Exception] | tuple = () if args.command == "check" else _render_error()
    started = time.perf_counter()
    try:
        if args.command == "check":
            courses = load_courses(options)
        else:
            courses = build(options)
    except OutputError as exc:  # --out names a folder the build must not replace
        print(f"coursebook: {exc}", file=sys.stderr)
        return 2
    except render_error as exc:  # a PDF or deck could not be made, e.g. it asked for a file outside
        if verbosity >= 2 and not exc.resource:
            raise  # a renderer crashed: -v shows where
        print_diagnostics([_render_diagnostic(options.root, exc)])
        print("build failed; the previous output was left as it was", file=sys.stderr)
        return 1
    except CourseError as exc:
        print_diagnostics(exc.diagnostics)
        if args.command != "check":
            print("build failed; the previous output was left as it was", file=sys.stderr)
        return 1
    except Exception as exc:  # a theme template or a renderer failed: say so, keep site/
        if verbosity >= 2:
            raise
        print(f"coursebook: build failed: {type(exc).__name__}: {exc}\n"
              "the previous output was left as it was; run with -v for the details", file=sys.stderr)
        return 1
    if verbosity:
        print_diagnostics(options.report.warnings)
    seconds = time.perf_counter() - started
    langs = ", ".join(c.lang for c in courses)
    if verbosity:
        what = "checked" if args.command == "check" else f"built into {options.out}"
        print(f"{courses[0].config.title}: {len(courses[0].modules)} modules, "
              f"languages {langs}; {what} in {seconds:.1f}s", file=sys.stderr)
    return 0
