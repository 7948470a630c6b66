"""Render jobs: the content-hash cache and parallel execution."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from coursebook.context import Context
from coursebook.jobs import Job, Runner


def shout(text: str, *, out: Path) -> None:
    """A stand-in render: writes its input upper-cased and logs that it ran."""
    out.write_text(text.upper())
    with open(out.parent.parent / "runs.log", "a") as log:
        log.write(text + "\n")


def run_jobs(jobs: list[Job], ctx: Context) -> int:
    with Runner(ctx, "test") as runner:
        runner.submit(jobs)
        return runner.wait()


def test_cache_runs_only_changed_jobs_in_parallel(tmp_path: Path) -> None:
    ctx = Context(tmp_path, tmp_path / ".build", verbosity=0)
    css = tmp_path / "style.css"
    css.write_text("a {}")
    (tmp_path / ".build" / "cache").mkdir(parents=True)
    log = tmp_path / ".build" / "runs.log"

    def jobs(second: str) -> list[Job]:
        return [Job(shout, ("one",), tmp_path / "out" / "1.txt", (css,)),
                Job(shout, (second,), tmp_path / "out" / "2.txt", (css,))]

    assert run_jobs(jobs("two"), ctx) == 2
    assert (tmp_path / "out" / "2.txt").read_text() == "TWO"
    assert run_jobs(jobs("two"), ctx) == 0
    assert run_jobs(jobs("deux"), ctx) == 1
    assert (tmp_path / "out" / "2.txt").read_text() == "DEUX"
    css.write_text("a { color: red }")  # a dependency changed: both run again
    assert run_jobs(jobs("deux"), ctx) == 2
    assert sorted(log.read_text().split()) == ["deux", "deux", "one", "one", "two"]


def test_runner_starts_the_costliest_jobs_first_and_skips_duplicates(tmp_path: Path) -> None:
    ctx = Context(tmp_path, tmp_path / ".build", verbosity=0, serial=True)  # serial: the order is observable
    (tmp_path / ".build" / "cache").mkdir(parents=True)
    log = tmp_path / ".build" / "runs.log"
    with Runner(ctx, "test") as runner:
        runner.submit([Job(shout, (name,), tmp_path / "out" / f"{name}.txt", cost=cost)
                       for name, cost in (("small", 1), ("large", 50), ("medium", 7))])
        runner.submit([Job(shout, ("large",), tmp_path / "out" / "large-again.txt", cost=50)])
        assert runner.wait() == 3
    assert log.read_text().split() == ["large", "medium", "small"]
    assert (tmp_path / "out" / "large-again.txt").read_text() == "LARGE"  # same input: rendered once, copied twice


def take(text: str, seconds: float, *, out: Path, inputs: tuple[Path, ...] = ()) -> None:
    """A stand-in render that takes `seconds`, logging when it starts."""
    with open(out.parent.parent / "runs.log", "a") as log:
        log.write(text + "\n")
    time.sleep(seconds)
    out.write_text(text)


def test_an_assembly_starts_as_soon_as_its_chapters_are_done(tmp_path: Path) -> None:
    """Two workers; the chapter is done first, while a long handout holds the other worker:
    the book's assembly goes next, ahead of the two handouts handed over before it was ready
    (the whole book waits for it), without waiting for `wait()`'s turn."""
    ctx = Context(tmp_path, tmp_path / ".build", verbosity=0)
    (tmp_path / ".build" / "cache").mkdir(parents=True)
    out = tmp_path / "out"
    chapter = Job(take, ("chapter", 0.2), out / "chapter.pdf", cost=10)
    with Runner(ctx, "test", workers=2) as runner:
        runner.submit([chapter, Job(take, ("long", 3.0), out / "long.pdf", cost=9),
                       Job(take, ("second", 0.5), out / "second.pdf", cost=8),
                       Job(take, ("third", 0.5), out / "third.pdf", cost=7),
                       Job(take, ("book", 0.1), out / "book.pdf", after=(chapter,), cost=10)])
        assert runner.wait() == 5
    runs = (tmp_path / ".build" / "runs.log").read_text().split()
    assert set(runs[:2]) == {"chapter", "long"} and runs[2:] == ["book", "second", "third"]


def test_a_chapter_starts_ahead_of_costlier_handouts_since_its_book_waits_for_it(tmp_path: Path) -> None:
    """Two workers, two handouts costlier than the one chapter an edit changed: the chapter
    starts first (ranked with its book's cost, the sum of all its chapters'), then its book,
    and only then the second handout — the book no longer waits behind both handouts."""
    ctx = Context(tmp_path, tmp_path / ".build", verbosity=0)
    (tmp_path / ".build" / "cache").mkdir(parents=True)
    out = tmp_path / "out"
    chapter = Job(take, ("chapter", 0.2), out / "chapter.pdf", cost=1)
    with Runner(ctx, "test", workers=2) as runner:
        runner.submit([Job(take, ("first", 1.0), out / "first.pdf", cost=9),
                       Job(take, ("second", 1.0), out / "second.pdf", cost=8), chapter,
                       Job(take, ("book", 0.1), out / "book.pdf", after=(chapter,), cost=100)])
        assert runner.wait() == 4
    runs = (tmp_path / ".build" / "runs.log").read_text().split()
    assert set(runs[:2]) == {"chapter", "first"} and runs[2:] == ["book", "second"]


def where(tag: str, *, out: Path) -> None:
    """A stand-in render that writes what its worker process was given: the environment's
    build time, its folder, its priority, and whether WeasyPrint was there before the job."""
    import sys
    out.write_text(" ".join([os.environ.get("SOURCE_DATE_EPOCH", "-"), os.getcwd(),
                             str(os.getpriority(os.PRIO_PROCESS, 0)), str("weasyprint" in sys.modules)]))


def test_workers_take_each_builds_environment_from_a_fork_server_that_imported_weasyprint(
        tmp_path: Path, monkeypatch) -> None:
    """The workers are forked from one server that lives as long as this process: each build's
    workers still see that build's SOURCE_DATE_EPOCH and folder, not those of the first build."""
    from coursebook.jobs import early_workers
    ctx = Context(tmp_path, tmp_path / ".build", verbosity=0)
    (tmp_path / ".build" / "cache").mkdir(parents=True)
    seen = []
    for epoch in ("1600000000", "1700000000"):
        folder = tmp_path / epoch
        folder.mkdir()
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        monkeypatch.chdir(folder)
        with early_workers(True) as pool, Runner(ctx, "test", workers=2, pool=pool) as runner:
            runner.submit([Job(where, (epoch,), tmp_path / "out" / f"{epoch}.txt")])
            assert runner.wait() == 1
        seen.append((tmp_path / "out" / f"{epoch}.txt").read_text().split())
    assert [(epoch, folder, weasyprint) for epoch, folder, _, weasyprint in seen] == [
        ("1600000000", str(tmp_path / "1600000000"), "True"), ("1700000000", str(tmp_path / "1700000000"), "True")]
    assert all(int(nice) > os.getpriority(os.PRIO_PROCESS, 0) for _, _, nice, _ in seen)  # they yield the cores


def die(text: str, *, out: Path) -> None:
    """A stand-in render whose worker is killed, as the kernel kills one out of memory."""
    import signal
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_killed_worker_fails_the_jobs_left_rather_than_hanging_the_build(tmp_path: Path) -> None:
    """A worker killed before the build's jobs are handed over (here by a job of its own) breaks
    the pool: each job handed over after fails with why, and `wait()` raises rather than hangs."""
    import threading
    from concurrent.futures.process import BrokenProcessPool

    from coursebook.jobs import RenderError, _pool
    ctx = Context(tmp_path, tmp_path / ".build", verbosity=0)
    (tmp_path / ".build" / "cache").mkdir(parents=True)
    pool = _pool(2)
    with pytest.raises(BrokenProcessPool):
        pool.submit(die, "first", out=tmp_path / "first.txt").result()
    raised: list[BaseException] = []

    def build() -> None:
        try:
            with Runner(ctx, "test", workers=2, pool=pool) as runner:
                runner.submit([Job(shout, (f"n{i}",), tmp_path / "out" / f"{i}.txt") for i in range(4)])
                runner.wait()
        except BaseException as exc:  # noqa: BLE001  (looked at below)
            raised.append(exc)
    thread = threading.Thread(target=build, daemon=True)
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the build hung on a dead worker"
    assert len(raised) == 1 and isinstance(raised[0], RenderError)
    assert "a render worker stopped before it finished" in str(raised[0])
