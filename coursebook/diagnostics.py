"""Problems found in the course, collected so that every one is reported in one run."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, located at `file:line`, with what is wrong and how to fix it."""

    file: str
    line: int
    level: str  # "error" or "warning"
    message: str
    hint: str = ""

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.level}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


MAX_PER_FILE = 200  # distinct errors (and warnings) shown per file; the rest are counted


@dataclass
class Report:
    """Collects diagnostics; paths are shown relative to the project root. A file with a
    runaway number of problems (thousands of broken references) shows the first
    MAX_PER_FILE of each level and a count, so one file cannot drown the rest or take minutes."""

    root: Path
    items: list[Diagnostic] = field(default_factory=list)
    _shown: dict[tuple[str, str], set] = field(default_factory=dict, init=False, repr=False, compare=False)
    _rels: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _full: set[tuple[str, str]] = field(default_factory=set, init=False, repr=False, compare=False)

    def _rel(self, path: Path | str) -> str:
        key = str(path)
        if key not in self._rels:
            self._rels[key] = self._relative(path)
        return self._rels[key]

    def _add(self, path: Path | str, line: int, level: str, message: str, hint: str) -> None:
        d = Diagnostic(self._rel(path), line, level, message, hint)
        shown = self._shown.setdefault((d.file, level), set())
        if d not in shown and len(shown) >= MAX_PER_FILE:
            if len(shown) == MAX_PER_FILE:
                self.items.append(Diagnostic(d.file, 0, level, f"more than {MAX_PER_FILE} "
                                             f"{level}s in this file; the rest are not shown",
                                             "fix these and run check again"))
                shown.add(None)  # the count is said once
                self._full.add((d.file, level))
            return
        shown.add(d)
        self.items.append(d)

    def full(self, path: Path | str, level: str = "error") -> bool:
        """True once `path` has shown all the problems of `level` it may, and said that there
        are more: checks can stop."""
        if not self._full:  # no file has (the usual case): no path to work out for every text
            return False
        return (self._rel(path), level) in self._full

    def _relative(self, path: Path | str) -> str:
        from .validate_paths import real_folder  # (it reports through this module)

        p = Path(path)
        # a symbolic link is named by its own path, not its target's
        full = real_folder(p.parent) / p.name if p.name not in ("", ".", "..") else p.resolve()
        try:
            return full.relative_to(real_folder(self.root)).as_posix()
        except ValueError:
            return p.as_posix()

    def error(self, path: Path | str, line: int, message: str, hint: str = "") -> None:
        self._add(path, line, "error", message, hint)

    def warning(self, path: Path | str, line: int, message: str, hint: str = "") -> None:
        self._add(path, line, "warning", message, hint)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == "warning"]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items))

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))


class CourseError(Exception):
    """Raised when the course has errors; carries every diagnostic found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(set(diagnostics))
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A 'did you mean …?' hint for a misspelt key or id, or a list of valid choices."""
    return _did_you_mean(word, tuple(sorted(set(choices))))


@lru_cache(maxsize=1024)  # the same broken reference, written many times, is compared once
def _did_you_mean(word: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "valid: " + ", ".join(choices) if choices else ""


def line_counter(text: str) -> Callable[[int], int]:
    """A function from an offset in `text` to its 0-based line: counting from the start for
    every match would make checking a long file quadratic."""
    import bisect

    newlines = _newlines(text)
    return lambda offset: bisect.bisect_left(newlines, offset)


@lru_cache(maxsize=1024)
def _newlines(text: str) -> list[int]:
    """Where `text`'s line breaks are (a text is checked by several checks in turn)."""
    return [m.start() for m in re.finditer("\n", text)]


Problem = tuple[str, int, str, str]  # level, line, message, hint: a diagnostic without its file


class Recorder:
    """Stands in for a `Report` while a check of one text runs, so that what it finds can be
    kept (see `memo`) and told to the real report, for the text's file, in a later run."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, path: object, line: int, message: str, hint: str = "") -> None:
        self.problems.append(("error", line, message, hint))

    def warning(self, path: object, line: int, message: str, hint: str = "") -> None:
        self.problems.append(("warning", line, message, hint))

    def full(self, path: object, level: str = "error") -> bool:
        return False


def replay(report: Report, path: Path | str, problems: Iterable[Problem]) -> None:
    """Tell `report` what a `Recorder` found, at `path`."""
    for level, line, message, hint in problems:
        (report.error if level == "error" else report.warning)(path, line, message, hint)
