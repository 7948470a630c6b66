"""Checks of what the build reads besides the course text, so that `check` knows everything
the build can fail on: `mkdocs.yml` (syntax, Markdown extensions, MkDocs' own settings), the
interface catalogues in `theme/i18n/`, the schedule and language codes of `course.yml`.

Also the bodies of files that never reach the model (their front matter is broken, or misses
a required key): their references and images are checked in the same run as the front matter.
"""

from __future__ import annotations

import copy
import logging
import tempfile
import warnings
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from . import markdown
from .agenda import hhmm, minutes_of
from .deck import parse_deck
from .diagnostics import Report
from .i18n import check_catalogues
from .load import Localized, SourceFile, Sources, parse_yaml, read_text, theme_file
from .memo import remember, use

Problem = tuple[int, str, str, str]  # (line, level, message, hint)


def check_config(sources: Sources, report: Report) -> None:
    """Everything outside the course text that the build reads."""
    check_mkdocs(sources.root, report)
    check_catalogues(sources.root, report)
    course = sources.course
    if course is not None and course.data is not None:
        check_languages(course, report)
        if check_schedule(course, report):
            sources.failed.add(("schedule", "*"))


# ---- course.yml ----

def check_languages(sf: SourceFile, report: Report) -> None:
    """Each edition once: `languages` may not repeat itself nor name the source `language`."""
    seen = {sf.data.language: "the source language ('language')"}
    for i, lang in enumerate(sf.data.languages):
        if lang in seen:
            report.error(sf.path, sf.line_of("languages", i), f"language '{lang}' is listed twice",
                         f"it is already {seen[lang]}; list each edition once")
        seen.setdefault(lang, "in 'languages'")


def check_schedule(sf: SourceFile, report: Report) -> bool:
    """Days that end after they start; breaks inside their day, one after the other. After
    an error here the agenda is not computed (its overrun would only follow from it)."""
    count = len(report.errors)
    for i, day in enumerate(sf.data.schedule.days):
        where = ("schedule", "days", i)
        start, end = minutes_of(day.start), minutes_of(day.end)
        if end <= start:
            report.error(sf.path, sf.line_of(*where, "end"),
                         f"day {i + 1} ends at {day.end}, not after it starts at {day.start}",
                         "give the end time of the same day, e.g. \"17:00\"")
            continue
        previous = None
        for j, b in sorted(enumerate(day.breaks), key=lambda x: minutes_of(x[1].time)):
            line = sf.line_of(*where, "breaks", j, "time")
            b_start = minutes_of(b.time)
            b_end = b_start + b.minutes
            span = f"break '{b.name}' ({hhmm(b_start)}–{hhmm(b_end)})"
            if b_start < start:
                report.error(sf.path, line, f"{span} starts before day {i + 1} starts ({day.start})",
                             "move the break into the day, or the day's start earlier")
            elif b_end > end:
                report.error(sf.path, line, f"{span} ends after day {i + 1} ends ({day.end})",
                             "shorten the break, or move it or the day's end")
            elif previous is not None and b_start < previous[1]:
                report.error(sf.path, line, f"{span} overlaps break '{previous[0]}', which runs "
                             f"until {hhmm(previous[1])}", "let one break end before the next starts")
            if previous is None or b_end > previous[1]:
                previous = (b.name, b_end)
    return len(report.errors) > count


# ---- mkdocs.yml ----

class _CheckLoader(markdown._MkDocsLoader):
    """The engine's mkdocs.yml loader, with a line number for a `!!python/name:` that cannot
    be imported."""


def _python_name(loader: yaml.Loader, suffix: str, node: yaml.Node) -> Any:
    try:
        return markdown._python_name(loader, suffix, node)
    except (ImportError, AttributeError, ValueError) as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"cannot import '{suffix}' ({exc})", node.start_mark) from None


_CheckLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)


def check_mkdocs(root: Path, report: Report) -> None:
    """mkdocs.yml as the build reads it: YAML, then each Markdown extension (the engine
    builds every output with them), then MkDocs' own validation of its settings."""
    path = markdown.mkdocs_yml(root)
    own = path.resolve().is_relative_to(root.resolve())  # else the engine's, for a course without one
    text = read_text(path, report if own else Report(path.parent))
    if text is None:
        return
    for line, level, message, hint in _remembered(root, text, str(path), str(theme_file(root, "overrides"))):
        (report.error if level == "error" else report.warning)(path, line, message, hint)


def _remembered(root: Path, text: str, path: str, custom_dir: str) -> tuple[Problem, ...]:
    """`_mkdocs_problems`, kept in `.build/check/` (`memo`: per text, engine and library
    versions): MkDocs' validation loads its plugins (Material's search, jieba), a third of
    `check`'s time, and the file seldom changes."""
    use(root)
    found = remember("mkdocs.yml", (text, path, custom_dir),
                     lambda: [tuple(x) for x in _mkdocs_problems(text, path, custom_dir)])
    return tuple(found)  # type: ignore[arg-type]


@lru_cache(maxsize=8)
def _mkdocs_problems(text: str, path: str, custom_dir: str) -> tuple[Problem, ...]:
    """The problems of one mkdocs.yml text (cached: every test course shares one)."""
    scratch = Report(Path(path).parent)
    data, lines = parse_yaml(text, Path(path), 0, scratch, loader=_CheckLoader)
    found = [(d.line, d.level, d.message, d.hint) for d in scratch.items]
    if any(d.level == "error" for d in scratch.items) or not data:
        return tuple(found)

    def line_of(*loc: Any) -> int:
        return next((lines[loc[:n]] for n in range(len(loc), 0, -1) if loc[:n] in lines), 1)

    bad_extensions = _check_extensions(data, line_of, found)
    if bad_extensions:
        data = {k: v for k, v in data.items() if k != "markdown_extensions"}  # reported above
    if "INHERIT" not in data:  # a config that inherits another is validated by the build itself
        for key, level, message in _mkdocs_validate(data, path, custom_dir):
            found.append((line_of(key), level, f"'{key}': {message}" if key else message,
                          "see https://www.mkdocs.org/user-guide/configuration/"))
    return tuple(found)


def _check_extensions(data: dict, line_of, found: list[Problem]) -> bool:
    """Each `markdown_extensions` item must load with its settings; True when one did not."""
    import markdown as md

    items = data.get("markdown_extensions")
    if items is None:
        return False
    if not isinstance(items, list):
        found.append((line_of("markdown_extensions"), "error", "'markdown_extensions' must be a list",
                      "write one '- extension' per line"))
        return True
    bad = False
    for i, item in enumerate(items):
        if isinstance(item, dict) and len(item) == 1:
            name, conf = next(iter(item.items()))
        else:
            name, conf = item, None
        if not isinstance(name, str) or not isinstance(conf, dict | None):
            found.append((line_of("markdown_extensions", i), "error",
                          "a Markdown extension is a name, or a name with its settings indented under it",
                          "e.g. '- admonition', or '- toc:' then '    permalink: true'"))
            bad = True
            continue
        try:
            md.Markdown(extensions=[name], extension_configs={name: conf or {}})
        except (ImportError, AttributeError) as exc:
            found.append((line_of("markdown_extensions", i), "error",
                          f"Markdown extension '{name}' cannot be loaded ({exc})",
                          "check its name, or install the package that provides it"))
            bad = True
        except Exception as exc:  # an extension's own check of its settings
            found.append((line_of("markdown_extensions", i, name), "error",
                          f"settings of Markdown extension '{name}': {type(exc).__name__}: {exc}",
                          "see the extension's documentation"))
            bad = True
    return bad


def _mkdocs_validate(data: dict, path: str, custom_dir: str) -> list[tuple[str, str, str]]:
    """MkDocs' validation of the settings, with the keys the engine sets per edition filled
    in as the build fills them (site_dir, docs_dir, the theme's custom_dir)."""
    from mkdocs.config.defaults import MkDocsConfig

    config = dict(data)
    log = logging.getLogger("mkdocs")
    level = log.level
    with tempfile.TemporaryDirectory() as docs, tempfile.TemporaryDirectory() as site, \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")  # jieba, imported by Material's search, warns
        config.update(docs_dir=docs, site_dir=site)
        config.setdefault("site_name", "check")
        theme = config.get("theme")
        if isinstance(theme, dict):
            theme["custom_dir"] = custom_dir
        elif isinstance(theme, str):
            config["theme"] = {"name": theme, "custom_dir": custom_dir}
        out: list[tuple[str, str, str]] = []
        for _ in range(len(config)):  # MkDocs stops at a setting it refuses: leave it out, go on
            log.setLevel(logging.ERROR)  # its problems are returned, not logged
            try:
                cfg = MkDocsConfig(config_file_path=path)
                cfg.load_dict(_copy(config))  # validating changes the values it is given
                errors, warned = cfg.validate()
            except Exception as exc:  # noqa: BLE001 - a value MkDocs did not expect at all
                return [*out, ("", "error", f"MkDocs cannot read this configuration: "
                               f"{type(exc).__name__}: {exc}")]
            finally:
                log.setLevel(level)
            out += [(key, "error", str(exc)) for key, exc in errors]
            if not errors or not any(config.pop(key, None) is not None for key, _ in errors):
                break
    return out + [(key, "warning", str(msg)) for key, msg in warned]


def _copy(config: dict) -> dict:
    try:
        return copy.deepcopy(config)
    except TypeError:  # a `!!python/name:` that names a module
        return dict(config)


# ---- bodies of files that are not in the model ----

def unmodelled_texts(sources: Sources, report: Report) -> Iterator[tuple[Path, int, str]]:
    """(path, first line, text) of the Markdown of every file that the model leaves out
    because its front matter has errors (or of its module's), so that its body is checked
    too; references into a file that is left out are not reported (`sources.failed`)."""
    groups: list[tuple[Localized, bool]] = []
    for group in (sources.pages, sources.readings):
        groups += [(loc, False) for loc in group.values()]
    for mf in sources.modules:
        gone = mf.module is None or mf.module.source.data is None
        ident = mf.module.source.meta.get("id") if mf.module else None
        for loc, is_deck in ((mf.module, False), *((a, False) for a in mf.activities.values()),
                             (mf.notes, False), (mf.deck, True)):
            if loc is None:
                continue
            if gone:
                yield from _texts(loc, is_deck, str(ident or "?"), report, every=True)
            else:
                groups.append((loc, is_deck))
    for loc, is_deck in groups:
        yield from _texts(loc, is_deck, "?", report, every=False)


def _texts(loc: Localized, is_deck: bool, ident: str, report: Report,
           every: bool) -> Iterator[tuple[Path, int, str]]:
    for sf in (loc.source, *loc.translations.values()):
        if not every and sf.data is not None and loc.source.data is not None:
            continue
        if is_deck:
            for s in parse_deck(sf.body, sf.body_line, ident, sf.path, report):
                yield sf.path, s.line, s.body + "\n" + s.notes
        else:
            yield sf.path, sf.body_line, sf.body
