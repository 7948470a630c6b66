"""The whole build, stage by stage: load → validate → model → render → write.

Read `build()` top to bottom to see where anything happens; each stage is one module.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from . import files
from .context import Context
from .diagnostics import CourseError, Report
from .jobs import Runner
from .load import load_project
from .model import Course, make_course
from .render import pdf, site, slides
from .status import coverage, translation_status
from .validate import check_course, validate_files
from .validate_paths import check_logo, check_symlinks
from .write import build_dir, check_output, empty, inside, staging

OUTPUTS = ("site", "pdf", "slides")


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

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self.out = (self.out or self.root / "site").resolve()
        self.report = Report(self.root)


def load_courses(options: Options) -> list[Course]:
    """Stages 1–3: read the files, validate them, and make one course per language."""
    report = options.report
    files.forget()                                          # paths may lead elsewhere since the last run
    sources = load_project(options.root, report)           # 1. load
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
    if report.failed(options.strict):
        raise CourseError(report.items)
    return courses


FIXED_EPOCH = "1577836800"  # 2020-01-01: dates written into outputs unless SOURCE_DATE_EPOCH says otherwise


def build(options: Options) -> list[Course]:
    """Build every output of every language into `options.out`, atomically and reproducibly."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", FIXED_EPOCH)  # read by MkDocs, WeasyPrint jobs
    assert options.out is not None
    check_output(options.root, options.out)                 # never replace what coursebook did not make
    cache = build_dir(options.root)                         # .build/: a real folder of the repository
    courses = load_courses(options)
    ctx = Context(options.root, cache, options.verbosity,
                  all_outputs=set(OUTPUTS) <= set(options.outputs),
                  engine=options.engine or courses[0].config.engine)
    if options.clean:
        empty(cache)
    with staging(options.root, options.out) as stage, Runner(ctx, "PDF and PPTX") as jobs:  # 5. write
        for course in courses:
            docs = inside(cache, ctx.docs(course))          # the site source of this edition
            shutil.rmtree(docs, ignore_errors=True)
            docs.mkdir(parents=True)
            if "pdf" in options.outputs:
                jobs.submit(pdf.render(course, ctx, docs))     # 4. render handouts (jobs start at once)
            if "slides" in options.outputs:
                jobs.submit(slides.render(course, ctx, docs))  # 4. render decks (PDF, PPTX as jobs)
        jobs.wait()                                         # slow renders: on every core, cached
        if "slides" in options.outputs:
            for course in courses:
                slides.warn_overflow(course, ctx, options.report)  # slides too full for their frame
        # --- workshops (issue #19; workshop.py, render/workshop_pdf.py, render/workshop_site.py):
        # every workshops/*.yml validated; each workshop's public PDFs, then each edition's
        # workshop pages and .ics, written before site.write_source below, whose navigation
        # lists them. No participant data is published (named PDFs: `workshop SLUG --private`).
        from .render import workshop_pdf, workshop_site
        from .workshop import load_workshops
        workshops = load_workshops(options.root, {c.lang: c for c in courses}, options.report)
        if options.report.failed(options.strict):
            raise CourseError(options.report.items)
        if "pdf" in options.outputs:  # pack, blank sign-in sheets, evaluation form, trainer's guide
            with Runner(ctx, "workshop PDFs") as workshop_jobs:
                for w in workshops:
                    workshop_jobs.submit(workshop_pdf.public_jobs(w, ctx, ctx.docs(w.course)))
                workshop_jobs.wait()
        for course in courses:
            workshop_site.write_source(workshops, course, ctx, ctx.docs(course))
        # --- end of workshops
        for course in courses:
            site.write_source(course, ctx, ctx.docs(course))  # 4. render the site's pages
        site.build(courses, ctx, stage)                     # 4. MkDocs: site source → HTML
    return courses
