"""What every renderer gets besides the course: the project root, the shared Markdown
pipeline, a scratch folder, and progress reporting."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .i18n import Strings
from .load import Sources, theme_dirs, theme_file
from .markdown import Markdown
from .memo_db import Memo
from .model import Course
from .write import written

if TYPE_CHECKING:
    from jinja2 import Environment

T = TypeVar("T")
SAFE_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,34}")  # a language code usable as a folder name


def lang_dir(lang: str) -> str:
    """A language code as a folder name (`.build/<lang>`, `site/<lang>`); anything path-like is
    refused even if validation were skipped, since these folders are deleted and rewritten."""
    if not SAFE_CODE.fullmatch(str(lang)):
        raise ValueError(f"language code {lang!r} cannot be used as a folder name")
    return str(lang)


@dataclass
class Context:
    root: Path
    build_dir: Path
    verbosity: int = 1  # 0 quiet, 1 normal, 2 verbose
    serial: bool = False  # run render jobs in this process (debugging, profiling)
    all_outputs: bool = True  # False with --only: links to decks or PDFs not built this time are expected
    engine: str = "mkdocs"  # what builds the site: "mkdocs" (MkDocs + Material) or "zensical"
    sources: Sources | None = None  # the files as loaded and checked (the translators' page reads them)
    memo: Memo = field(init=False)
    promised: set[Path] = field(init=False, default_factory=set)  # files render jobs write (`made`)
    stages: dict[str, float] = field(init=False, default_factory=dict)  # seconds per `timed` stage, this build
    markdown: Markdown = field(init=False)
    _templates: dict[str, Environment] = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.memo = Memo(self.build_dir / "memo.sqlite")  # results of pure functions, between builds
        self.markdown = Markdown(self.root, self.memo)

    @property
    def theme_dirs(self) -> list[Path]:
        """Theme folders to search in order (e.g. for a Jinja2 FileSystemLoader)."""
        return theme_dirs(self.root)

    def made(self, path: Path) -> bool:
        """Is `path` in a site source, or will a render job put it there before the site is built?
        The pages are written while the jobs run; only the downloads page waits for them (sizes)."""
        return path in self.promised or written(path)

    def theme_file(self, rel: str) -> Path:
        """A theme file: the course's own `theme/<rel>`, else the engine's default."""
        return theme_file(self.root, rel)

    def docs(self, course: Course) -> Path:
        """The site source of an edition: its pages, and the PDFs and decks they link to."""
        return self.build_dir / lang_dir(course.lang) / "docs"

    def templates(self, folder: str) -> Environment:
        """The Jinja2 templates of `theme/<folder>/` (a course's own theme first). One
        environment per build and folder, its compiled templates kept in `.build/jinja`:
        compiling them again for every edition was a second of each rebuild."""
        if folder not in self._templates:
            from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, select_autoescape

            cache = self.build_dir / "jinja"
            cache.mkdir(parents=True, exist_ok=True)
            self._templates[folder] = Environment(
                loader=FileSystemLoader([str(d / folder) for d in self.theme_dirs]),
                autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True,
                bytecode_cache=FileSystemBytecodeCache(str(cache)))
        return self._templates[folder]

    def strings(self, course: Course) -> Strings:
        """The interface strings of the course's language."""
        return Strings(self.root, course.lang, course.config.language)

    def progress(self, items: Iterable[T], what: str, total: int | None = None) -> Iterator[T]:
        """Iterate with a progress bar on a terminal (none when quiet or piped)."""
        if self.verbosity == 0 or not sys.stderr.isatty():
            yield from items  # tqdm not even imported (0.04 s): a rebuild in a script, or `serve`'s
            return
        from tqdm import tqdm

        yield from tqdm(items, desc=what, total=total, leave=False, unit="file", file=sys.stderr)

    def log(self, message: str, level: int = 1) -> None:
        if self.verbosity >= level:
            print(message, file=sys.stderr)

    @contextmanager
    def timed(self, what: str) -> Iterator[None]:
        """How long a stage took (said with -v, kept in `stages`): where a rebuild's time goes."""
        started = time.perf_counter()
        yield
        self.stage(what, time.perf_counter() - started)

    def stage(self, what: str, seconds: float) -> None:
        """Record a stage's time (the benchmark tables them), and say it with -v."""
        self.stages[what] = self.stages.get(what, 0.0) + seconds
        self.log(f"{what}: {seconds:.2f} s", 2)
