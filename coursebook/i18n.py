"""Interface strings (Duration, Day 1, page n of N …) from per-language catalogues in
`theme/i18n/<lang>.yml`, falling back to the source language, then to English."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from .load import theme_dirs


@cache
def _catalogue(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    return {str(k): str(v) for k, v in (yaml.safe_load(path.read_text("utf-8")) or {}).items()}


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
