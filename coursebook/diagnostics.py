"""Problems found in the course, collected so that every one is reported in one run."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
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


@dataclass
class Report:
    """Collects diagnostics; paths are shown relative to the project root."""

    root: Path
    items: list[Diagnostic] = field(default_factory=list)

    def _rel(self, path: Path | str) -> str:
        p = Path(path)
        # a symbolic link is named by its own path, not its target's
        full = p.parent.resolve() / p.name if p.name not in ("", ".", "..") else p.resolve()
        try:
            return full.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return p.as_posix()

    def error(self, path: Path | str, line: int, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(self._rel(path), line, "error", message, hint))

    def warning(self, path: Path | str, line: int, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(self._rel(path), line, "warning", message, hint))

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
    choices = sorted(set(choices))
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "valid: " + ", ".join(choices) if choices else ""
