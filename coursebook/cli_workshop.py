"""`python build.py workshop SLUG [--private] [--participants CSV]` and
`python build.py new workshop "Title"`.

`workshop SLUG` writes one workshop's files for its trainer into `private/<slug>/` (git-ignored,
never published): the calendar, the workshop pack, blank sign-in sheets, the evaluation form and
the trainer's guide; with `--private` also the sign-in sheets with the participants' names and
their certificates of attendance. `--participants FILE` gives the list from anywhere (a real
list belongs outside the repository), for that run only; `python build.py` never reads it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .build import FIXED_EPOCH, Options, load_courses
from .diagnostics import CourseError, did_you_mean
from .scaffold import in_repository, slugify
from .workshop import FOLDER, SLUG, private_dir, read_participants
from .write import build_dir

if TYPE_CHECKING:
    from .context import Context

EPILOG = """examples:
  python build.py workshop lima-2027                  pack, blank sign-in sheets, evaluation form,
                                                      trainer's guide and calendar in private/lima-2027/
  python build.py workshop lima-2027 --private        also sign-in sheets with names, and certificates
  python build.py workshop lima-2027 --private --participants ~/lists/lima.csv
  python build.py new workshop "Lima 2027"            scaffold workshops/lima-2027.yml
"""

WORKSHOP = """# A workshop: the course delivered on given dates, at a venue (AUTHORING.md, "Workshops").
# `python build.py check` validates it; `python build.py workshop {slug}` builds its files.
title: {title}
start_date: {start}          # YYYY-MM-DD, the first day; later days skip weekends (skip_weekends)
timezone: UTC                   # the venue's IANA time zone, e.g. America/Lima, Europe/Madrid
venue: To be confirmed          # building and room
city: To be confirmed           # city and country
organiser: {organiser}
trainers: []                    # e.g. [Ana Quispe, Daniel Ortiz]
language: {lang}                    # the edition it is delivered in
# modules: [I, II, V]           # module ids in delivery order; default: every module
# schedule:                     # default: course.yml's days and breaks; same form as there
#   days:
#     - start: "09:00"
#       end: "17:00"
#       breaks:
#         - {{name: Lunch, time: "12:30", minutes: 60}}
skip_weekends: true
# participants: participants/{slug}.csv   # name,organisation,email — keep REAL lists outside
#                                         # the repository: --private --participants FILE
expected_participants: 20       # copies to print when there is no participant list
"""


def add_parsers(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """The `workshop` command (`new workshop` is a kind of `new`, in cli.py)."""
    w = sub.add_parser("workshop", help="build one workshop's PDFs and calendar into private/<slug>/",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    common(w)
    w.add_argument("slug", help="the workshop's file name without .yml, e.g. lima-2027")
    w.add_argument("--private", action="store_true",
                   help="also the sign-in sheets with the participants' names, and their certificates")
    w.add_argument("--participants", type=Path, metavar="CSV",
                   help="the participant list for this run (may lie outside the repository); needs --private")


def _print(report) -> None:
    from .cli import print_diagnostics

    print_diagnostics(report.items)


def _ignored(root: Path, path: Path) -> bool:
    """True when git ignores `path` (or the repository is not a git work tree: nothing to commit)."""
    if not (root / ".git").exists():
        return True
    try:
        done = subprocess.run(["git", "-C", str(root), "check-ignore", "-q", str(path)],
                              capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def run(args: argparse.Namespace) -> int:
    """Build one workshop's files into `private/<slug>/`."""
    verbosity = 0 if args.quiet else 2 if args.verbose else 1
    if args.participants and not args.private:
        print("coursebook: --participants is for --private builds only (named documents)", file=sys.stderr)
        return 2
    options = Options(args.root, None, args.strict, None, verbosity=verbosity)
    root, report = options.root, options.report
    path = root / FOLDER / f"{args.slug}.yml"
    if not SLUG.match(args.slug) or not path.is_file():
        known = [p.stem for p in sorted((root / FOLDER).glob("*.yml"))]
        hint = did_you_mean(args.slug, known) or 'create one: python build.py new workshop "Title"'
        print(f"coursebook: no workshop '{args.slug}' ({FOLDER}/{args.slug}.yml); {hint}", file=sys.stderr)
        return 2
    try:
        courses = load_courses(options)
    except CourseError as exc:
        from .cli import print_diagnostics

        print_diagnostics(exc.diagnostics)
        return 1
    workshop = next((w for w in options.workshops if w.slug == args.slug), None)  # validated by load_courses
    if workshop and args.participants:
        workshop.participants = read_participants(args.participants.expanduser(), report) or []
    if workshop is None or report.failed(options.strict):
        _print(report)
        if workshop is None:
            print(f"coursebook: workshop '{args.slug}' could not be loaded", file=sys.stderr)
        return 1
    out = private_dir(root, workshop.slug)
    if not _ignored(root, out):
        print(f"coursebook: {out.relative_to(root)} is not ignored by git; add the line /private/ "
              "to .gitignore first, so that names never get committed", file=sys.stderr)
        return 2
    if args.private and not workshop.participants:
        print("coursebook: this workshop has no participant list; give one with --participants FILE",
              file=sys.stderr)
        return 2
    from .context import Context  # the renderers' machinery: not loaded by `check`

    os.environ.setdefault("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    ctx = Context(root, build_dir(root), verbosity, engine=courses[0].config.engine)
    written = _render(workshop, ctx, out, args.private)
    if written is None:
        return 1
    if verbosity:
        _print(report)
        for p in written:
            print(f"wrote {p.relative_to(root)}")
    return 0


def _render(workshop, ctx: Context, out: Path, named: bool) -> list[Path] | None:
    from .jobs import RenderError, Runner
    from .render import workshop_ics, workshop_pdf

    scratch = build_dir(ctx.root) / "workshop" / workshop.slug  # public_jobs writes below docs/workshops/
    shutil.rmtree(scratch, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    try:
        with Runner(ctx, "workshop PDFs") as jobs:
            public = workshop_pdf.public_jobs(workshop, ctx, scratch)
            jobs.submit(public)
            jobs.wait()
        private = workshop_pdf.private_jobs(workshop, ctx, out) if named else []
        with tempfile.TemporaryDirectory(dir=out, prefix=".render-") as kept, \
                Runner(ctx, "named PDFs", cache=Path(kept)) as jobs:  # names never kept in .build/cache
            jobs.submit(private)
            jobs.wait()
    except RenderError as exc:
        print(f"coursebook: {exc}", file=sys.stderr)
        return None
    mine = {job.out.name for job in private}
    written = [job.out for job in private]
    for job in public:  # the documents (their chapters are written beside, in chapters/)
        if job.out.parent == scratch / "workshops" / workshop.slug and job.out.name not in mine:
            # a named sign-in sheet replaces the blank one
            shutil.copyfile(job.out, out / job.out.name)
            written.append(out / job.out.name)
    ics = out / f"{workshop.slug}.ics"
    ics.write_bytes(workshop_ics.calendar(workshop, ctx.strings(workshop.course)))
    shutil.rmtree(scratch, ignore_errors=True)
    return sorted([*written, ics])


def new_workshop(root: Path, title: str) -> Path:
    """`workshops/<slug>.yml` with every key shown and valid values to replace."""
    slug = slugify(title)
    path = in_repository(root, root / FOLDER / f"{slug}.yml")
    if path.exists() or path.is_symlink():
        raise FileExistsError(f"{path} already exists")
    course = root / "course" / "course.yml"
    text = course.read_text(encoding="utf-8") if course.is_file() else ""
    lang = re.search(r"(?m)^language:\s*([A-Za-z-]+)", text)
    organiser = re.search(r"(?m)^  name:\s*(.+?)\s*$", text)
    start = date.today() + timedelta(days=90)
    start += timedelta(days=(7 - start.weekday()) % 7)  # a Monday
    values = {"title": json.dumps(title, ensure_ascii=False), "slug": slug, "start": start.isoformat(),
              "lang": lang[1] if lang else "en",
              "organiser": json.dumps(organiser[1].strip("\"'") if organiser else "", ensure_ascii=False)}
    path.parent.mkdir(parents=True, exist_ok=True)
    in_repository(root, path)  # a folder on the way may be a link
    path.write_text(WORKSHOP.format(**values), encoding="utf-8")
    return path
