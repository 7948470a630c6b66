"""Stage 5, write: outputs are built in a staging folder and swapped in only on success,
so a failed build never leaves a half-written or missing `site/`."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staging(target: Path) -> Iterator[Path]:
    """Yield an empty folder beside `target`; replace `target` with it if no exception."""
    target = target.resolve()
    stage = target.with_name(f".{target.name}.new")
    old = target.with_name(f".{target.name}.old")
    for leftover in (stage, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    stage.mkdir(parents=True)
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    if target.exists():
        target.rename(old)
    stage.rename(target)
    shutil.rmtree(old, ignore_errors=True)
