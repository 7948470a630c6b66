"""Imported by the render workers' fork server only (`jobs._pool`), before it forks them: the
libraries every worker needs, imported once per build (or once per `serve`) instead of once
per worker, at a lower priority, which the workers inherit. Never imported by a build's own
process: it lowers the priority of the process that imports it."""

import os

WORKER_NICE = 10  # the workers yield the cores to the build's own process, whose loading, layout and
# site are a rebuild's critical path (at 100 modules, an edit's rebuild: 6.7–7.4 s with early workers
# at the same priority, 5.3–6.4 s so; a rebuild with nothing to render: 2.1–2.5 s with no early workers,
# 2.5–3.3 s at the same priority, 2.3–2.65 s so)
os.nice(WORKER_NICE)  # first: the build's own process loads the course meanwhile

import pikepdf  # noqa: E402, F401
import weasyprint  # noqa: E402, F401

from .memo_db import versions  # noqa: E402
from .render import pdf, pdf_merge, slides, slides_pptx  # noqa: E402, F401  (the jobs' own functions)

versions()  # the libraries' versions, in every job's key
