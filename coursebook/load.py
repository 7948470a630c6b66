"""Stage 1, load: find the course's files, read them as text, split front matter.

Nothing here knows what a key means; it only keeps every value's line number so that
later stages can say `file:line` for any problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Problem, Recorder, Report, replay
from .memo import remember, use
from .validate_paths import confined, link_problem, real_folder

LANG_SUFFIX = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?)$")


@dataclass
class SourceFile:
    """One file as read: metadata with the line of each key, and the Markdown body."""

    path: Path
    meta: dict[str, Any]
    lines: dict[tuple, int]
    body: str = ""
    body_line: int = 1
    data: Any = None  # the typed metadata, set by the validate stage
    broken: bool = False  # the YAML itself could not be read (already reported)

    def line_of(self, *loc: Any) -> int:
        """The line of the deepest known key along `loc` (a pydantic error location)."""
        for end in range(len(loc), 0, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line:
                return line
        return self.lines.get((), 1)


@dataclass
class Localized:
    """A source file and its translations, keyed by language."""

    source: SourceFile
    translations: dict[str, SourceFile] = field(default_factory=dict)


@dataclass
class ModuleFiles:
    slug: str
    module: Localized | None
    activities: dict[str, Localized] = field(default_factory=dict)
    notes: Localized | None = None
    deck: Localized | None = None


@dataclass
class Sources:
    """Every file of the course, as read from disk."""

    root: Path
    course: SourceFile | None
    course_translations: dict[str, SourceFile]
    pages: dict[str, Localized]
    readings: dict[str, Localized]
    modules: list[ModuleFiles]
    failed: set[tuple[str, str]] = field(default_factory=set)  # (kind, key) that did not load


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML loader (libyaml's when installed: a large file parses in a blink); the
    duplicate keys are found by `_walk`."""


# Limits that keep `check` to seconds whatever the input (AUTHORING.md, "Limits").
MAX_FILE_BYTES = 5 * 1024 * 1024  # one Markdown or YAML file
MAX_FILE_LINES = 20_000  # a 400-page book; checks look at every line
MAX_YAML_CHARS = 512 * 1024  # one front matter, course.yml or catalogue
MAX_YAML_DEPTH = 32  # nested lists and mappings


ENGINE_THEME = Path(__file__).resolve().parent.parent / "theme"


def theme_dirs(root: Path) -> list[Path]:
    """Where theme files are looked up: the course's `theme/`, then the engine's default one,
    so a fork overrides single files and a course without a theme still builds."""
    return list(dict.fromkeys([(root / "theme").resolve(), ENGINE_THEME]))


def theme_file(root: Path, rel: str) -> Path:
    """The first `theme/<rel>` that exists (the course's own, else the engine's)."""
    for folder in theme_dirs(root):
        if (folder / rel).exists():
            return folder / rel
    return ENGINE_THEME / rel


def _plainly_inside(path: Path, root: Path) -> bool:
    """`link_problem(path, root)` is None, known cheaply: the file is no link, and its folder
    (resolved once per run, as resolving every file is a tenth of loading) is in the repository."""
    if path.name in ("", ".", "..") or path.is_symlink():
        return False
    return real_folder(path.parent).is_relative_to(real_folder(root))


def read_text(path: Path, report: Report) -> str | None:
    """Read UTF-8 text; accept a BOM and CRLF; report bytes that are not UTF-8, and refuse a
    symbolic link that leads outside the repository or nowhere."""
    problem = None if _plainly_inside(path, report.root) else link_problem(path, report.root)
    if problem:
        report.error(path, 0, problem, "copy the file into the repository instead, or remove the link")
        return None
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            report.error(path, 0, f"the file is {size / 2**20:.1f} MB; the limit is "
                         f"{MAX_FILE_BYTES // 2**20} MB", "split it into several files")
            return None
        raw = path.read_bytes()
    except OSError as exc:
        report.error(path, 0, f"cannot read the file: {exc.strerror}", "check its permissions")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        report.error(path, line, f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x})",
                     "save it as UTF-8 in your editor")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.count("\n") >= MAX_FILE_LINES:
        report.error(path, MAX_FILE_LINES, f"the file has more than {MAX_FILE_LINES:,} lines",
                     "split it into several files")
        return None
    return text


def _walk(node: yaml.Node, prefix: tuple, lines: dict[tuple, int], offset: int,
          path: Path, report: Report) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1 + offset
            if key in seen:
                report.error(path, line, f"duplicate key '{key}'", "keep only one of them")
            seen.add(key)
            lines[prefix + (key,)] = line
            _walk(value_node, prefix + (key,), lines, offset, path, report)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[prefix + (i,)] = item.start_mark.line + 1 + offset
            _walk(item, prefix + (i,), lines, offset, path, report)


def _refuse(text: str, path: Path, offset: int, report: Report) -> bool:
    """Scan the YAML events (cheap, nothing is built) for what would make building the
    values explode: anchors and aliases (a few lines of `*a` can stand for a billion values,
    or for themselves) and deep nesting. Report the first; True when the text is refused."""
    depth = 0
    for event in yaml.parse(text, Loader=_LineLoader):
        line = event.start_mark.line + 1 + offset
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            report.error(path, line, "anchors and aliases (&name, *name) are not allowed",
                         "write the value out where it is used")
            return True
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                report.error(path, line, f"the YAML is nested more than {MAX_YAML_DEPTH} levels deep",
                             "flatten it; course metadata needs a few levels at most")
                return True
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return False


def parse_yaml(text: str, path: Path, offset: int, report: Report,
               loader: type[yaml.SafeLoader] | None = None) -> tuple[dict, dict]:
    """Parse a YAML mapping; return (values, line of each key path). `offset` is the
    number of file lines before `text`, so lines point into the real file. Kept between runs
    per text (`memo`): parsing is most of loading a course."""
    if loader is not None:
        return _parse_yaml(text, path, offset, report, loader)

    def parse() -> tuple[dict, dict, list[Problem]]:
        recorder = Recorder()
        data, lines = _parse_yaml(text, path, offset, recorder)  # type: ignore[arg-type]
        return data, lines, recorder.problems

    data, lines, problems = remember("parse_yaml", (str(offset), text), parse)
    replay(report, path, problems)
    return data, lines


def _parse_yaml(text: str, path: Path, offset: int, report: Report,
                loader: type[yaml.SafeLoader] | None = None) -> tuple[dict, dict]:
    lines: dict[tuple, int] = {(): max(offset, 1)}  # the '---' line, or line 1
    if len(text) > MAX_YAML_CHARS:
        report.error(path, offset + 1, f"the YAML metadata has {len(text) // 1024} KB; the limit "
                     f"is {MAX_YAML_CHARS // 1024} KB", "keep long text in the Markdown body")
        return {}, lines
    try:
        if _refuse(text, path, offset, report):
            return {}, lines
        parser = (loader or _LineLoader)(text)
        try:
            node = parser.get_single_node()
            data = parser.construct_document(node) if node is not None else None
        finally:
            parser.dispose()
        if node is None:
            return {}, lines
    except yaml.MarkedYAMLError as exc:
        in_flow = "flow" in (exc.context or "")  # an unclosed [ or {: point at where it opened
        mark = (exc.context_mark if in_flow else None) or exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else offset + 1
        problem = exc.problem or str(exc)
        if exc.context and problem.startswith("but "):  # "expected a single document …, but found …"
            problem = f"{exc.context}, {problem}"
        report.error(path, line, f"invalid YAML: {problem}",
                     "check the '!tag' and the name it gives" if isinstance(exc, yaml.constructor.ConstructorError)
                     else "check indentation, and quote values containing ': ' or '#'")
        return {}, lines
    except yaml.reader.ReaderError as exc:  # a control character
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        report.error(path, text.count("\n", 0, exc.position) + 1 + offset,
                     f"invalid YAML: the control character #x{char:04x} is not allowed",
                     "remove the character (editors may show it as a box, or not at all)")
        return {}, lines
    except yaml.YAMLError as exc:
        report.error(path, offset + 1, f"invalid YAML: {exc}".split("\n")[0], "")
        return {}, lines
    if not isinstance(data, dict):
        report.error(path, offset + 1, "the metadata must be a mapping of keys to values",
                     "write one 'key: value' per line")
        return {}, lines
    _walk(node, (), lines, offset, path, report)
    return data, lines


def read_markdown(path: Path, report: Report) -> SourceFile | None:
    """Read a Markdown file with optional YAML front matter between '---' lines."""
    text = read_text(path, report)
    if text is None:
        return None
    if text.startswith("---\n"):
        lines = text.split("\n")
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                count = len(report.errors)
                meta, key_lines = parse_yaml("\n".join(lines[1:i]), path, 1, report)
                return SourceFile(path, meta, key_lines, "\n".join(lines[i + 1:]), i + 2,
                                  broken=len(report.errors) > count)
        report.error(path, 1, "front matter is not closed",
                     "end the metadata block with a line '---'")
        return None
    return SourceFile(path, {}, {(): 1}, text, 1)


def read_yaml(path: Path, report: Report) -> SourceFile | None:
    text = read_text(path, report)
    if text is None:
        return None
    count = len(report.errors)
    meta, lines = parse_yaml(text, path, 0, report)
    return SourceFile(path, meta, lines, broken=len(report.errors) > count)


def split_lang(path: Path) -> tuple[str, str | None]:
    """`module.es.md` -> ("module", "es"); `module.md` -> ("module", None)."""
    m = LANG_SUFFIX.match(path.stem)
    if m:
        return m["stem"], m["lang"]
    return path.stem, None


def _group(paths: list[Path], reader, languages: set[str] | None, report: Report,
           failed: set[str] | None = None) -> dict[str, Localized]:
    """Group files into sources and their translations, by stem; note unreadable stems."""
    sources: dict[str, SourceFile] = {}
    translations: dict[str, dict[str, SourceFile]] = {}
    unread: set[str] = set()  # sources that exist but could not be read (already reported)
    for path in sorted(paths):
        stem, lang = split_lang(path)
        if lang is not None and languages is None:
            continue  # course.yml's languages could not be read (reported): no follow-on warnings
        if lang is not None and lang not in languages:
            report.warning(path, 0, f"'{lang}' is not a language of this course",
                           "add it to 'languages' in course/course.yml, or rename the file")
            continue
        sf = reader(path, report)
        if sf is None:
            if failed is not None:
                failed.add(stem)
            if lang is None:
                unread.add(stem)
            continue
        if lang is None:
            sources[stem] = sf
        else:
            translations.setdefault(stem, {})[lang] = sf
    out: dict[str, Localized] = {}
    for stem, sf in sources.items():
        out[stem] = Localized(sf, translations.pop(stem, {}))
    for stem, by_lang in translations.items():
        for sf in by_lang.values() if stem not in unread else ():  # else: not a follow-on error
            report.error(sf.path, 0, f"translation without a source file '{stem}'",
                         f"create {stem}{sf.path.suffix} in the source language, or rename this file")
    return out


def load_project(root: Path, report: Report) -> Sources:
    """Read every file of the course under `root`. A symbolic link leading outside the
    repository (or nowhere) is reported and not read."""
    from .validate_paths import committed_workspace

    committed_workspace(root, report)  # .build/ must not come from a contribution
    use(root)  # what is kept between runs of this course (parsed YAML, segments, …)
    real_folder.cache_clear()  # a folder may have become a link since the last run

    def files(folder: Path, pattern: str) -> list[Path]:
        return list(folder.glob(pattern)) if confined([folder], root, report) else []

    course_dir = root / "course"
    course_file = course_dir / "course.yml"
    course = read_yaml(course_file, report) if course_file.is_symlink() or course_file.exists() else None
    if course is None and not course_file.exists():
        report.error(course_file, 0, "course/course.yml is missing",
                     "create it (see AUTHORING.md for its keys)")
    listed = course.meta.get("languages", []) if course and not course.broken else None
    listed = [listed] if isinstance(listed, str) else listed  # its type is checked in validate
    languages = {str(x) for x in listed if isinstance(x, str | int | float)} \
        if isinstance(listed, list) else None  # None: unknown, translations are not looked at

    course_translations = {}
    for path in sorted(files(course_dir, "course.*.yml")):
        _, lang = split_lang(path)
        if lang in (languages or ()):
            sf = read_yaml(path, report)
            if sf:
                course_translations[lang] = sf

    failed: dict[str, set[str]] = {"page": set(), "reading": set(), "activity": set(), "module": set()}
    pages = _group(files(course_dir, "*.md"), read_markdown, languages, report, failed["page"])
    readings = _group(files(course_dir / "readings", "*.md"), read_markdown, languages, report,
                      failed["reading"])

    entries = files(root / "modules", "*")
    readable = confined(entries, root, report)
    module_dirs = sorted(p for p in readable if p.is_dir())
    if len(readable) < len(entries):
        failed["module"] = {"*"}  # a module that could not be read: references to it are not checked
    notes = _group(files(root / "instructor_notes", "*.md"), read_markdown, languages, report)
    decks = _group(files(root / "slides", "*.md"), read_markdown, languages, report)
    modules = []
    for d in module_dirs:
        unread: set[str] = set()
        main = _group(files(d, "module*.md"), read_markdown, languages, report, unread)
        if "module" not in main and "module" not in unread and not (d / "module.md").is_symlink():
            report.error(d / "module.md", 0, f"module folder '{d.name}' has no module.md",
                         "create module.md with the module's front matter, or remove the folder")
        acts = _group(files(d / "activities", "*.md"), read_markdown, languages, report,
                      failed["activity"])
        modules.append(ModuleFiles(d.name, main.get("module"), acts,
                                   notes.pop(d.name, None), decks.pop(d.name, None)))
    known = ", ".join(d.name for d in module_dirs)
    for kind, left in (("trainer notes", notes), ("slide deck", decks)):
        for stem, loc in left.items():
            report.error(loc.source.path, 0, f"{kind} '{stem}' has no module folder modules/{stem}/",
                         f"name the file after a module folder ({known})")
    return Sources(root, course, course_translations, pages, readings, modules,
                   {(kind, stem) for kind, stems in failed.items() for stem in stems})
