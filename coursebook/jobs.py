"""Slow renders (PDFs, decks) as jobs: run across all cores, and skipped when the same
input was rendered before (a content-hash cache), so a rebuild after editing one module
re-renders only what that module feeds.

A job names a module-level function and its arguments (picklable), the file it writes, and
the files it reads besides its arguments (stylesheets, fonts, images). Its cache key hashes
all of them, so any change to the text, the theme or the engine makes it run again.

A job may need other jobs' results (`after`): e.g. the workbook is assembled from chapters
rendered as jobs of their own. It starts once they are done, is called with their cached
files (`func(*args, inputs=paths, out=path)`), and its key hashes theirs, so it runs again
exactly when one of them changed.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path

from .context import Context
from .memo_db import engine_digest, versions
from .write import put, put_link


@dataclass(frozen=True)
class Job:
    func: Callable[..., None]  # called as func(*args, out=path)
    args: tuple
    out: Path
    deps: tuple[Path, ...] = field(default=())
    cost: int = 0  # a rough size of the work (e.g. the HTML's length): the costliest jobs start first
    after: tuple[Job, ...] = field(default=())  # jobs whose results this one reads (`inputs=`)

    def key(self) -> str:
        """A hash of everything the job's result follows from."""
        return self._key

    @cached_property
    def _key(self) -> str:  # once per job: an assembly asks for its chapters' keys again
        h = hashlib.sha256()
        h.update(f"{self.func.__module__}.{self.func.__qualname__}|{versions()}".encode())
        h.update(engine_digest().encode())
        for arg in self.args:  # a document's HTML by its bytes: `repr` copied it, escaped
            text = arg if isinstance(arg, str) else repr(arg)
            h.update(f"{type(arg).__name__}:{len(text)}:".encode())
            h.update(text.encode("utf-8", "surrogatepass"))
        for dep in sorted(set(self.deps)):
            h.update(str(dep).encode())
            h.update(_read(dep))
        for job in self.after:  # their results are a function of their keys (reproducible builds)
            h.update(job.key().encode())
        return h.hexdigest()[:32] + self.out.suffix


def _read(dep: Path) -> bytes:
    """A hash of a file a job reads, once per build (`Runner` forgets them): every handout of
    an edition reads the same stylesheets."""
    if dep not in _READ:
        _READ[dep] = hashlib.sha256(dep.read_bytes()).digest() if dep.is_file() else b"-"
    return _READ[dep]


_READ: dict[Path, bytes] = {}


class RenderError(Exception):
    """A job failed: which document (e.g. `es/handouts/01-basics.pdf`), why, and the resource
    it could not use, if that was the cause."""

    def __init__(self, document: str, message: str, resource: str = ""):
        super().__init__(document, message, resource)
        self.document, self.message, self.resource = document, message, resource

    def __str__(self) -> str:
        return f"{self.document}: {self.message}"


def _run(job: Job, target: Path, inputs: tuple[Path, ...] = ()) -> float:
    """Render `job` into `target`; the CPU seconds it took (in the worker's process)."""
    started = time.process_time()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")  # two builds may share the cache
    if job.after:
        job.func(*job.args, inputs=inputs or tuple(target.parent / j.key() for j in job.after), out=tmp)
    else:
        job.func(*job.args, out=tmp)
    tmp.replace(target)
    return time.process_time() - started


def cached(job: Job, cache: Path) -> Path:
    """The job's result in the cache folder, rendered here and now if it is not there yet: for
    a job that needs another's result to know its own input (the workbook's contents page)."""
    target = cache / job.key()
    if not target.exists():
        _run(job, target)
    return target


WORKER_GC = (700, 10, 10)  # Python's own collector thresholds: a renderer's garbage is short-lived and
# cyclic, and collecting rarely (as `build.few_collections` does) made a clean build slower and larger


def _worker_start(environ: dict[str, str]) -> None:
    """Each worker, as the fork server hands it out (`_pool`): this build's environment (the
    fork server keeps that of the build that started it: `SOURCE_DATE_EPOCH` may differ since;
    multiprocessing gives the folder and `sys.path`), Python's own collector thresholds, and the
    engine's digest, which a book's assembly needs (its files may have changed since)."""
    os.environ.clear()
    os.environ.update(environ)
    gc.set_threshold(*WORKER_GC)
    engine_digest()


STOPPED = ("a render worker stopped before it finished (killed, e.g. by the system when memory ran "
           "out); the last build's outputs are left as they were: build again")
PRELOAD = ["coursebook.jobs_preload"]  # the fork server imports WeasyPrint, pikepdf once, at a lower priority


def _pool(workers: int) -> ProcessPoolExecutor:
    """Workers forked from a fork server that imported WeasyPrint once: each worker imported it
    for itself before (a second of CPU each, every build; `serve`'s background builds too). As with
    any start method but "fork", each worker imports the caller's main module: a script that
    calls `build()` keeps its own work under `if __name__ == "__main__":` (as `build.py` does)."""
    forkserver = "forkserver" in multiprocessing.get_all_start_methods()  # (not on Windows)
    context = multiprocessing.get_context("forkserver" if forkserver else None)
    if forkserver:
        context.set_forkserver_preload(PRELOAD)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_start,
                               initargs=(dict(os.environ),))


def _start_workers(pool: ProcessPoolExecutor, workers: int) -> None:
    """One process starts with each task, while none is idle."""
    try:
        for _ in range(workers):
            pool.submit(int)
    except BrokenProcessPool:  # each job handed over will fail with why (`Runner._dispatch`)
        pass


@contextmanager
def early_workers(wanted: bool) -> Iterator[ProcessPoolExecutor | None]:
    """The render workers, started before the build loads the course (None on one core or when
    not `wanted`): their fork server imports WeasyPrint while this process loads and lays the
    course out, so a rebuild's first PDF (often its only one) no longer waits for that. They are
    started from a thread: a worker is handed out once the fork server's imports are done. Give
    them to the `Runner`; they are shut down on leaving, whatever happened."""
    workers = os.cpu_count() or 1
    pool = _pool(workers) if wanted and workers > 1 else None
    starting = threading.Thread(target=_start_workers, args=(pool, workers), daemon=True)
    try:
        if pool:
            starting.start()
        yield pool
    finally:
        if pool:  # the `Runner` waited for its jobs; the fork server's imports are done once a worker started
            if starting.is_alive():
                starting.join()
            pool.shutdown(wait=True, cancel_futures=True)  # idle workers stop at once; waiting lets their
            # queues' semaphores be released, which the resource tracker would report as leaked at exit


class Runner:
    """Jobs started as soon as a renderer hands them over, so that the cores render one
    edition's PDFs while the next edition's documents are still being prepared; `wait()`
    before anything needs the files.

    The pool is given one job per worker at a time, the costliest ready one: a job that needs
    others' results (an assembly) starts the moment the last of them is done — from a thread
    of its own, whatever the build's main thread is doing — ahead of single handouts handed
    over earlier, since the whole book waits for it; and for that reason its chapters are
    ranked with its cost, ahead of handouts too (`rank`)."""

    def __init__(self, ctx: Context, what: str, workers: int | None = None, cache: Path | None = None,
                 pool: ProcessPoolExecutor | None = None) -> None:
        """`cache`: where results are kept (default `.build/cache`); the trainer's named PDFs
        use a folder of their own, deleted after, so no participant's name stays in `.build/`.
        `pool`: workers started already (`early_workers`), used if jobs run in parallel."""
        self.ctx, self.what = ctx, what
        _READ.clear()  # files read by the last build's jobs may have changed since
        self.cache = cache or ctx.build_dir / "cache"
        workers = workers or os.cpu_count() or 1
        self.parallel = workers > 1 and not ctx.serial
        self.workers = workers
        self.pool = pool if self.parallel else None  # (in one process: `early_workers` stops them)
        self.given = pool is not None  # `early_workers` shuts its pool down, waiting, once the build is done
        self.keyed: list[tuple[Job, Path]] = []
        self.placed: set[Path] = set()  # the outs that hold their result (`place`)
        self.started: dict[Path, Callable[[], object]] = {}  # cache file → what finishes it
        self.waiting: dict[Path, Job] = {}  # jobs started once the results they need (`after`) are there
        self.inputs: dict[Path, tuple[Path, ...]] = {}  # the results (cache files) a job needs (`after`)
        self.queue: dict[Path, tuple[Job, Future]] = {}  # started, not yet given to a worker
        self.rank: dict[Path, int] = {}  # the order jobs start in: their cost and what waits for them
        self.cpu = {"documents": 0.0, "assemblies": 0.0}  # CPU seconds of the jobs done: where a rebuild's go
        self.running = 0  # jobs given to the workers, not done
        self.finished: set[Path] = set()  # results `wait()` has seen done
        self.lock = threading.Condition()  # over all the above (reentrant: `_finished` may run in `_dispatch`)
        self.dispatcher: threading.Thread | None = None
        self.closed = False

    def submit(self, jobs: list[Job]) -> None:
        """Start the jobs whose result is not cached yet, the costliest first; a job that needs
        others' results waits for them."""
        cache = self.cache
        keyed = [(job, cache / job.key()) for job in jobs]
        self.ctx.promised.update(job.out for job in jobs)
        with self.lock:
            self.keyed += keyed
            for job, target in reversed(keyed):  # an assembly after its chapters: ranked first
                self.rank[target] = max(self.rank.get(target, 0), job.cost)
                if job.after:
                    self.inputs[target] = tuple(cache / j.key() for j in job.after)
                for needed, at in zip(job.after, self.inputs.get(target, ()), strict=True):
                    # a chapter outranks a handout: the whole book waits for it
                    self.rank[at] = max(self.rank.get(at, 0), needed.cost + self.rank[target])
            todo: dict[Path, Job] = {}
            for job, target in keyed:
                if not target.exists() and target not in self.started and target not in self.waiting:
                    if job.after:
                        self.waiting[target] = job
                    else:
                        todo.setdefault(target, job)  # the same input twice is rendered once
            self._start(todo)
            self._start(self._ready())

    def _ready(self) -> dict[Path, Job]:
        """The waiting jobs whose inputs are all there now: no longer waiting."""
        ready = {t: job for t, job in self.waiting.items() if all(i.exists() for i in self.inputs[t])}
        for target in ready:
            del self.waiting[target]
        return ready

    def _start(self, todo: dict[Path, Job]) -> None:
        """Start `todo` (the lock held): in parallel, queued for the dispatcher; else run by
        `wait()`, in this process, the costliest first."""
        for target, job in sorted(todo.items(), key=lambda item: -self.rank[item[0]]):  # longest first
            if self.parallel:
                done: Future = Future()
                self.queue[target] = (job, done)
                self.started[target] = partial(self._timed, job, done.result)
            else:
                run = partial(_run, job, target, self.inputs.get(target, ()))
                self.started[target] = partial(self._timed, job, run)
        if self.queue:
            if self.dispatcher is None:
                self.dispatcher = threading.Thread(target=self._dispatch, name="coursebook-jobs", daemon=True)
                self.dispatcher.start()
            self.lock.notify_all()

    def _dispatch(self) -> None:
        """Give the workers the costliest ready jobs, one each, until the runner closes."""
        with self.lock:
            while not self.closed:
                self._start(self._ready())
                while self.queue and self.running < self.workers:
                    target = max(self.queue, key=lambda t: self.rank[t])
                    job, done = self.queue.pop(target)
                    self.pool = pool = self.pool or _pool(self.workers)
                    self.running += 1
                    self.lock.release()  # a worker may still be starting: `submit` waits for it, not the build
                    try:
                        future = pool.submit(_run, job, target, self.inputs.get(target, ()))
                    except Exception as exc:  # e.g. a worker was killed (out of memory): each job left
                        future = Future()  # fails with why, rather than `wait()` hanging
                        future.set_exception(exc)
                    finally:
                        self.lock.acquire()
                    future.add_done_callback(partial(self._finished, done))
                self.lock.wait()

    def _timed(self, job: Job, finish: Callable[[], float]) -> None:
        """Wait for `job`'s result (`finish`), adding its CPU time up (`cpu`)."""
        self.cpu["assemblies" if job.after else "documents"] += finish()

    def _finished(self, done: Future, future: Future) -> None:
        """A worker's job ended (called in the pool's thread): pass its outcome on, wake the dispatcher."""
        if future.cancelled():
            done.cancel()
        elif future.exception() is not None:
            done.set_exception(future.exception())
        else:
            done.set_result(future.result())
        with self.lock:
            self.running -= 1
            self.lock.notify_all()

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        with self.lock:
            self.closed = True
            self.lock.notify_all()
        if self.dispatcher:
            self.dispatcher.join()
        if self.pool and not self.given:  # after an error too: no job outlives the build
            self.pool.shutdown(wait=bool(self.started), cancel_futures=True)
            self.pool = None

    def wait(self) -> int:
        """Finish every job, copy each result to its `out` (`place`); returns how many jobs
        actually ran. A job that needs others' results starts as soon as the last of them is done."""
        with self:
            while True:
                with self.lock:
                    self._start(self._ready())
                    todo = [(t, f) for t, f in self.started.items() if t not in self.finished]
                if not todo:
                    break
                for target, finish in self.ctx.progress(todo, self.what):
                    try:
                        finish()
                    except Exception as exc:  # name the document; the caller reports it, keeps site/
                        job = next(job for job, t in self.keyed if t == target)
                        why = STOPPED if isinstance(exc, BrokenProcessPool) else str(exc)
                        raise RenderError(self._document(job.out), why, getattr(exc, "resource", "")) from exc
                    self.finished.add(target)
            if self.waiting:  # a programming error: a job needs one that was never submitted
                raise RuntimeError(f"jobs wait for results never submitted: {list(self.waiting)}")
        self.place()
        return len(self.started)

    def place(self) -> None:
        """Each result there so far at its job's `out` (a hard link: a cached result is never
        written in place), an empty file for those still to come: the site is built while the
        jobs run, and links to them (`site.place_results`)."""
        for job, target in self.keyed:
            if job.out in self.placed:
                continue  # a result is placed once: `wait` places the rest again
            if target.exists():
                put_link(target, job.out)
                self.placed.add(job.out)
            else:
                put(job.out, b"")

    @property
    def outputs(self) -> set[Path]:
        """Every job's `out`."""
        return {job.out for job, _ in self.keyed}

    def ran(self) -> list[str]:
        """The documents rendered (not taken from the cache) so far, as published."""
        return sorted({self._document(job.out) for job, target in self.keyed if target in self.started})

    def _document(self, out: Path) -> str:
        """A job's output as it will be published: `es/handouts/01-basics.pdf`."""
        try:
            parts = out.relative_to(self.ctx.build_dir).parts
        except ValueError:
            return out.name
        return "/".join(p for i, p in enumerate(parts) if not (i == 1 and p == "docs"))

