"""Slow renders (PDFs, decks) as jobs: run across all cores, and skipped when the same
input was rendered before (a content-hash cache), so a rebuild after editing one module
re-renders only what that module feeds.

A job names a module-level function and its arguments (picklable), the file it writes, and
the files it reads besides its arguments (stylesheets, fonts, images). Its cache key hashes
all of them, so any change to the text, the theme or the engine makes it run again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from . import __version__
from .context import Context


@dataclass(frozen=True)
class Job:
    func: Callable[..., None]  # called as func(*args, out=path)
    args: tuple
    out: Path
    deps: tuple[Path, ...] = field(default=())

    def key(self) -> str:
        h = hashlib.sha256()
        h.update(f"{self.func.__module__}.{self.func.__qualname__}|{__version__}|{_versions()}".encode())
        h.update(repr(self.args).encode())
        for dep in sorted(set(self.deps)):
            h.update(str(dep).encode())
            h.update(dep.read_bytes() if dep.is_file() else b"-")
        return h.hexdigest()[:32] + self.out.suffix


def _versions() -> str:
    names = ("weasyprint", "python-pptx", "Markdown", "pymdown-extensions", "pydyf")
    return ",".join(_version(n) for n in names)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _run(job: Job, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    job.func(*job.args, out=tmp)
    tmp.replace(target)


def run_jobs(jobs: list[Job], ctx: Context, what: str, workers: int | None = None) -> int:
    """Run the jobs whose result is not cached, in parallel; copy every result to its `out`.
    Returns how many jobs actually ran."""
    cache = ctx.build_dir / "cache"
    keyed = [(job, cache / job.key()) for job in jobs]
    todo = list({target: job for job, target in keyed if not target.exists()}.items())
    workers = workers or min(len(todo), os.cpu_count() or 1)
    if todo and workers > 1 and not ctx.serial:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_run, job, target) for target, job in todo]
            for future in ctx.progress(futures, what):
                future.result()
    else:
        for target, job in ctx.progress(todo, what):
            _run(job, target)
    for job, target in keyed:
        job.out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, job.out)
    return len(todo)
