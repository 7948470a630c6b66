"""The translators' commands: `export-po`, `import-po`, `status` (with `--diff`, `--json`)
and `translated --block`; cli.py hands these to `run` and `status`."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

from . import glossary
from .build import Options
from .diagnostics import Report
from .load import load_project
from .scaffold import in_repository, write_source
from .status import FileStatus, block_status, coverage, kind_of, languages, translation_status
from .validate import validate_files

COMMANDS = ("export-po", "import-po")


def add_parsers(sub: argparse._SubParsersAction, common) -> None:
    """The export-po and import-po subcommands."""
    ex = sub.add_parser("export-po", help="write a language's translations as PO (or XLIFF) files for CAT tools",
                        epilog="examples:\n  python build.py export-po es\n"
                               "  python build.py export-po fr --format xliff --out /tmp/fr",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    common(ex)
    ex.add_argument("code", metavar="LANG", help="language code, e.g. es")
    ex.add_argument("--out", type=Path, help="folder for the catalogues (default: translations/)")
    ex.add_argument("--format", choices=("po", "xliff"), default="po", help="po (default) or xliff (1.2)")
    im = sub.add_parser("import-po", help="write a language's PO (or XLIFF) files back into its *.LANG.md",
                        epilog="example:\n  python build.py import-po es",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    common(im)
    im.add_argument("code", metavar="LANG", help="language code, e.g. es")
    im.add_argument("--from", dest="source", type=Path, help="folder of the catalogues (default: translations/)")


def add_status_args(st: argparse.ArgumentParser) -> None:
    st.add_argument("--json", action="store_true", help="print the status as JSON (for CI)")
    st.add_argument("--diff", nargs=2, metavar=("LANG", "FILE"),
                    help="for each stale block of FILE, the old and the new source text")


def add_translated_args(tr: argparse.ArgumentParser) -> None:
    tr.add_argument("--block", type=int, metavar="LINE",
                    help="mark only the block at this line of the translation (as `status --diff` shows)")


def _sources(options: Options):
    sources = load_project(options.root, options.report)
    validate_files(sources, options.report)
    return sources


def _lang(sources, code: str, report: Report) -> bool:
    config = sources.course.data if sources.course else None
    langs = list(config.languages) if config else []
    if code not in langs:
        report.error(sources.course.path if sources.course else "course/course.yml",
                     sources.course.line_of("languages") if sources.course else 0,
                     f"'{code}' is not a translation language of this course",
                     "choose one of: " + (", ".join(langs) or "none yet (python build.py new-language xx)"))
        return False
    return True


def _folder(root: Path, given: Path | None) -> Path:
    return (given if given is not None else root / "translations").resolve()


def run(args: argparse.Namespace, options: Options) -> int:
    """export-po / import-po: every problem at once, nothing written on error."""
    from .cli import print_diagnostics
    from .po import export  # the PO machinery: loaded only for these commands
    from .po_import import import_all

    report = options.report
    sources = _sources(options)
    if not _lang(sources, args.code, report) or report.errors:
        print_diagnostics(report.items)
        return 1
    if args.command == "export-po":
        terms = glossary.load_glossary(options.root, report, languages(sources))
        if report.errors:  # the glossary's own
            print_diagnostics(report.items)
            return 1
        folder = _folder(options.root, args.out)
        written = export(sources, args.code, folder, args.format)
        src = sources.course.data.language if sources.course and sources.course.data else "en"
        terms = [t for t in terms if args.code in t.targets]
        if terms:
            for ext, text in (("csv", glossary.to_csv(terms, args.code, src)),
                              ("tbx", glossary.to_tbx(terms, args.code, src))):
                path = folder / args.code / f"glossary.{ext}"
                path.write_text(text, encoding="utf-8")
                written.append(path)
        print_diagnostics(report.items)
        print(f"wrote {len(written)} files into {folder / args.code}")
        return 0
    folder = _folder(options.root, args.source)
    changes = import_all(sources, args.code, folder, report)
    for c in changes:
        try:
            in_repository(options.root, c.path)
            if c.path.is_symlink():
                raise ValueError(f"{c.path} is a symbolic link; replace it with the file itself")
        except ValueError as exc:
            report.error(c.path, 0, str(exc), "translations are written beside their source only")
    print_diagnostics(report.items)
    if report.errors:
        print("nothing was written; fix the catalogues and import again", file=sys.stderr)
        return 1
    for c in changes:
        write_source(c.path, c.text, c.bom, c.newline)
        print(f"wrote {c.path.relative_to(options.root)}")
    print(f"{len(changes)} file(s) changed; next: python build.py check --lang {args.code}")
    return 0


def status(options: Options, args: argparse.Namespace) -> int:
    """The `status` command: per language, files and blocks current, stale and missing."""
    from .cli import print_diagnostics

    sources = _sources(options)
    if args.diff:
        return _diff(sources, options, *args.diff)
    entries = translation_status(sources)
    files = block_status(sources, options.languages)
    langs = sorted({e.lang for e in entries if not options.languages or e.lang in options.languages})
    if args.json:
        out = {lang: {"coverage": round(coverage(entries, lang), 1),
                      "blocks": _totals([f for f in files if f.lang == lang]),
                      "files": [_json(f) for f in files if f.lang == lang]} for lang in langs}
        print(json.dumps({"languages": out}, ensure_ascii=False, indent=2))
        return 0
    print_diagnostics(options.report.errors)
    for lang in langs:
        mine = [f for f in files if f.lang == lang]
        t = _totals(mine)
        print(f"{lang}: {coverage(entries, lang):.0f}% current ({sum(f.state == 'current' for f in mine)}"
              f"/{len(mine)} files); blocks: {t['current']} current, {t['stale']} stale, {t['missing']} missing")
        for f in mine:
            if args.all or f.state != "current" or f.counts["stale"] or f.counts["missing"]:
                c = f.counts
                detail = "blocks differ from the source's: file-level status" if f.mode == "file" else \
                    f"{c['current']} current, {c['stale']} stale, {c['missing']} missing blocks"
                print(f"  {f.state:8} {f.source}  ({detail})")
    if not langs:
        print("the course has one language; add one with: python build.py new-language xx")
    return 0


def _totals(files: list[FileStatus]) -> dict[str, int]:
    return {k: sum(f.counts[k] for f in files) for k in ("current", "stale", "missing")}


def _json(f: FileStatus) -> dict:
    return {"source": f.source, "translation": f.translation, "state": f.state, "mode": f.mode,
            "blocks": f.counts, "stale": [{"line": t.line, "source_line": s.line} for s, t, _ in f.stale]}


def _diff(sources, options: Options, lang: str, name: str) -> int:
    from .cli import print_diagnostics
    from .po import history, known, po_path

    root = options.root
    given = Path(name)
    path = (given if given.is_absolute() else (Path.cwd() / given)).resolve()
    if not path.exists():
        path = (root / given).resolve()
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else name
    stem = rel.replace(f".{lang}.", ".")
    found = [f for f in block_status(sources, [lang]) if f.source == stem]
    if not found:
        options.report.error(name, 0, f"no translatable source file {name}",
                             "give a source or translation file, e.g. modules/06-ncpc-roles/module.md")
        print_diagnostics(options.report.items)
        return 1
    f = found[0]
    old = {**history(root, f.source, kind_of(root / f.source, root)),  # the source's git history,
           **known(po_path(root / "translations", lang, f.source))} if f.stale else {}  # the last export
    if f.mode == "file":
        print(f"{f.translation}: its blocks differ from the source's; only the file-level state is known: {f.state}")
    elif not f.stale:
        print(f"{f.translation or f.source}: no stale block ({f.counts['current']} current, "
              f"{f.counts['missing']} missing)")
    for s, t, was in f.stale:
        print(f"{f.translation}:{t.line}: stale {s.kind} (source {f.source}:{s.line})")
        before = old.get(was)
        if before is None:
            print("  old source: (not found in the git history: it was translated from another version)")
        else:
            print("  old source: " + before)
            print("  changed:    " + _words(before, s.norm))
        print("  new source: " + s.norm)
        print("  translation: " + t.norm)
    if f.stale:
        print(f"update each block, then: python build.py translated --block LINE {f.translation}")
    return 0


def _words(a: str, b: str) -> str:
    """A word diff: [-removed-] {+added+}."""
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a.split(), b.split()).get_opcodes():
        if tag == "equal":
            out += a.split()[i1:i2]
        else:
            if i2 > i1:
                out.append("[-" + " ".join(a.split()[i1:i2]) + "-]")
            if j2 > j1:
                out.append("{+" + " ".join(b.split()[j1:j2]) + "+}")
    return " ".join(out)
