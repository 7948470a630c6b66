"""Interface strings (Duration, Day 1, page n of N …) from per-language catalogues in
`theme/i18n/<lang>.yml`, falling back to the source language, then to English."""

from __future__ import annotations

import stat
import string
from functools import cache
from pathlib import Path

from .diagnostics import Report
from .load import ENGINE_THEME, read_yaml, theme_dirs

TEXT = str | int | float  # a value that is a string once written out
RTL = {"ar", "fa", "he", "ur"}  # languages written right to left


def direction(lang: str) -> str:
    """`rtl` or `ltr`, for a language code (`ar`, `ar-EG`, `fr`)."""
    return "rtl" if lang.split("-")[0] in RTL else "ltr"


def _catalogue(path: Path) -> dict[str, str]:
    """The strings of one catalogue; one that cannot be read counts as empty (`check`
    reports it, with its line, through `check_catalogues`). Read again when it changed: a
    long-running process (`serve`) sees a catalogue edited, created or deleted."""
    try:
        st = path.stat()
    except OSError:
        return {}
    return _read_catalogue(path, st.st_size, st.st_mtime_ns) if stat.S_ISREG(st.st_mode) else {}


@cache
def _read_catalogue(path: Path, size: int, mtime_ns: int) -> dict[str, str]:
    sf = read_yaml(path, Report(path.parent))  # bounded, and no aliases: never a runaway parse
    if sf is None or sf.broken:
        return {}
    return {str(k): str(v) for k, v in sf.meta.items() if isinstance(v, TEXT)}


def placeholders(text: str) -> set[str]:
    """The `{names}` a string fills in; ValueError for a stray brace or a positional `{}`."""
    names = set()
    for _, name, _, _ in string.Formatter().parse(text):
        if name is None:
            continue
        if not name.isidentifier():  # no {}, {0}, nor {n.__class__} reaching into the engine
            raise ValueError(f"'{{{name}}}' is not a placeholder; a placeholder is a name, such as {{n}}")
        names.add(name)
    return names


def _allowed(english: str) -> set[str]:
    try:
        return placeholders(english)
    except ValueError:  # the engine's own string is wrong: its tests say so
        return set()


def check_catalogues(root: Path, report: Report) -> None:
    """Every `theme/i18n/*.yml` the course can use: readable YAML, text values, and only the
    placeholders the engine fills in — those of the same key in the engine's English catalogue
    (a `{num}` where the code passes `n` would fail the build when the page is made)."""
    english = _catalogue(ENGINE_THEME / "i18n" / "en.yml")
    for folder in theme_dirs(root):
        if not folder.is_relative_to(root.resolve()):
            continue  # the engine's own catalogues, checked by its tests
        for path in sorted((folder / "i18n").glob("*.yml")):
            sf = read_yaml(path, report)
            if sf is None or sf.broken:
                continue
            for key, value in sf.meta.items():
                line = sf.line_of(key)
                if not isinstance(value, TEXT):
                    report.error(path, line, f"'{key}' must be text", "write 'key: text' on one line")
                    continue
                try:
                    used = placeholders(str(value))
                except ValueError as exc:
                    report.error(path, line, f"'{key}': {exc}",
                                 "write {{ and }} for a brace that is not a placeholder")
                    continue
                allowed = _allowed(english[key]) if key in english else used
                unknown = sorted(used - allowed)
                if unknown:
                    report.error(path, line, f"'{key}': unknown placeholder "
                                 + ", ".join("{" + x + "}" for x in unknown),
                                 "this string may use " + ", ".join("{" + x + "}" for x in sorted(allowed))
                                 if allowed else "this string takes no placeholders")


class Strings:
    """`strings("day", n=2)` -> "Day 2" in the edition's language."""

    def __init__(self, root: Path, lang: str, source_lang: str = "en"):
        self.lang = lang
        dirs = theme_dirs(root)
        self.own = [_catalogue(d / "i18n" / f"{lang}.yml") for d in dirs]
        self.chain = self.own + [_catalogue(d / "i18n" / f"{x}.yml")
                                 for x in dict.fromkeys((source_lang, "en")) if x != lang for d in dirs]

    def missing(self) -> list[str]:
        """Keys of the fallback catalogues that this language does not translate."""
        own = {k for cat in self.own for k in cat}
        return sorted({k for cat in self.chain for k in cat} - own)

    def __call__(self, key: str, **values: object) -> str:
        for cat in self.chain:
            if key in cat:
                return cat[key].format(**values) if values else cat[key]
        return key
