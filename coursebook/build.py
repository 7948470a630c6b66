"""The whole build, stage by stage: load → validate → model → render → write.

Read `build()` top to bottom to see where anything happens; each stage is one module.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import files
from .diagnostics import CourseError, Report
from .load import Sources, load_project
from .model import Course, make_course
from .status import coverage, translation_status
from .validate import check_course, validate_files
from .validate_paths import check_logo, check_symlinks
from .workshop import Workshop, load_workshops
from .write import build_dir, check_output, empty, inside, prune, rewrite, staging

if TYPE_CHECKING:
    from .render.incremental import Built

OUTPUTS = ("site", "pdf", "slides")


@dataclass
class Rendered:
    """What a build rendered, rather than took from its cache: to test and to measure rebuilds."""

    documents: list[str]  # PDFs and decks, as published (`es/handouts/01-basics.pdf`)
    sites: dict[str, Built]  # per language: "cached", "dirty" (and which pages) or "full"
    stages: dict[str, float]  # seconds per stage (`Context.timed`; indented names are parts of one)
    jobs_cpu: dict[str, float]  # CPU seconds of the render jobs, "documents" and "assemblies" (books)


@dataclass
class Options:
    root: Path
    out: Path | None = None  # default: <root>/site
    strict: bool = False
    languages: list[str] | None = None  # default: every language of the course
    outputs: tuple[str, ...] = OUTPUTS
    verbosity: int = 1
    clean: bool = False  # forget the render cache: re-render every PDF and deck
    engine: str | None = None  # the site engine, "mkdocs" or "zensical"; default: course.yml's `engine`
    report: Report = field(init=False)
    workshops: list[Workshop] = field(init=False, default_factory=list)  # workshops/*.yml, once loaded
    sources: Sources | None = field(init=False, default=None)  # the files, as the last load read them
    rendered: Rendered | None = field(init=False, default=None)  # what the last build() rendered

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self.out = (self.out or self.root / "site").resolve()
        self.report = Report(self.root)


@contextmanager
def few_collections() -> Iterator[None]:
    """Python's garbage collector, run rarely while a build allocates. With its default
    thresholds, its passes over the course's model (which lives as long as the build) took
    0.6–0.8 s of a one-module rebuild at 100 modules; a build makes few cycles. The render
    workers use Python's own (`jobs.WORKER_GC`); the caller's are restored after."""
    old = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*old)


@few_collections()
def load_courses(options: Options) -> list[Course]:
    """Stages 1–3: read the files, validate them, and make one course per language."""
    report = options.report
    files.forget()                                          # paths may lead elsewhere since the last run
    sources = options.sources = load_project(options.root, report)  # 1. load
    validate_files(sources, report)                         # 2. validate each file
    check_symlinks(options.root, report, options.out)       # nothing read from outside the repository
    check_logo(sources, report)
    if sources.course is None or sources.course.data is None:
        raise CourseError(report.items)
    config = sources.course.data
    languages = [config.language, *config.languages]
    for lang in options.languages or []:
        if lang not in languages:
            report.error(sources.course.path, sources.course.line_of("languages"),
                         f"'{lang}' is not a language of this course", "add it to 'languages'")
    wanted = [x for x in languages if not options.languages or x in options.languages]
    courses = [make_course(sources, lang, report) for lang in wanted]   # 3. model
    entries = translation_status(sources)
    for course in courses:
        course.coverage = {lang: coverage(entries, lang) for lang in config.languages}
    checked: set = set()                                    # texts every edition shows alike: checked once
    for course in courses:
        check_course(course, sources, report, checked)      # 2b. validate the whole course
    options.workshops = load_workshops(options.root, {c.lang: c for c in courses}, report)  # 2c. workshops
    if report.failed(options.strict):
        raise CourseError(report.items)
    return courses


FIXED_EPOCH = "1577836800"  # 2020-01-01: dates written into outputs unless SOURCE_DATE_EPOCH says otherwise


@few_collections()
def build(options: Options) -> list[Course]:
    """Build every output of every language into `options.out`, atomically and reproducibly."""
    from .context import Context
    from .jobs import Runner, early_workers
    from .render import pdf, site, slides, workshop_pdf, workshop_site  # 4. the renderers (not needed to check)

    os.environ.setdefault("SOURCE_DATE_EPOCH", FIXED_EPOCH)  # read by MkDocs, WeasyPrint jobs
    assert options.out is not None
    check_output(options.root, options.out)                 # never replace what coursebook did not make
    cache = build_dir(options.root)                         # .build/: a real folder of the repository
    started = time.perf_counter()
    with early_workers({"pdf", "slides"} & set(options.outputs)) as workers:  # importing WeasyPrint meanwhile
        courses = load_courses(options)
        ctx = Context(options.root, cache, options.verbosity,
                      all_outputs=set(OUTPUTS) <= set(options.outputs),
                      engine=options.engine or courses[0].config.engine, sources=options.sources)
        ctx.stage("load, validate, model", time.perf_counter() - started)
        if options.clean:
            empty(cache)
        with staging(options.root, options.out) as stage, Runner(ctx, "PDF and PPTX", pool=workers) as jobs:  # 5. write
            with ctx.timed("handouts and decks laid out as jobs"):
                for course in courses:
                    docs = inside(cache, ctx.docs(course))      # the site source of this edition
                    rewrite(docs)                               # written in place: what stays the same is kept
                    if "pdf" in options.outputs:
                        jobs.submit(pdf.render(course, ctx, docs))     # 4. render handouts (jobs start at once)
                    if "slides" in options.outputs:
                        jobs.submit(slides.render(course, ctx, docs))  # 4. render decks (PDF, PPTX as jobs)
                if "pdf" in options.outputs:
                    for w in options.workshops:                 # 4. workshop packs, forms, guides (no names)
                        jobs.submit(workshop_pdf.public_jobs(w, ctx, ctx.docs(w.course)))
            with ctx.timed("site sources written (while the jobs run)"):
                for course in courses:
                    workshop_site.write_source(options.workshops, course, ctx, ctx.docs(course))  # 4. workshop pages
                on_site = [site.write_source(course, ctx, ctx.docs(course)) for course in courses]  # 4. site pages
            jobs.place()                                        # the jobs run on; the site links to their files
            for course in on_site:
                site.write_downloads(course, ctx, ctx.docs(course))  # 4. each file, its size written after
                prune(ctx.docs(course))                         # what this build did not write again
            with ctx.timed("sites built (the jobs running meanwhile), their files put in"):
                built = site.build(courses, ctx, stage, jobs.wait, jobs.outputs)  # 4. MkDocs: source → HTML
            if "slides" in options.outputs:                     # (what changed), then the jobs' files
                for course in courses:
                    slides.warn_overflow(course, ctx, options.report)  # slides too full for their frame
        ctx.memo.close()                                        # conversions kept for the next build
        options.rendered = Rendered(jobs.ran(), built, ctx.stages, jobs.cpu)
    return courses
