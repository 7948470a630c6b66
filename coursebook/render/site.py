"""Render stage: the website. Writes a plain MkDocs site source per language (Markdown pages
and a config that INHERITs the repository's mkdocs.yml), then runs the site engine on it:
MkDocs + Material, or Zensical (`engines.py`).

No custom MkDocs plugin is involved: `mkdocs build -f .build/<lang>/mkdocs.yml` builds the
same site, and so does `zensical build -f …`, which reads mkdocs.yml but runs no MkDocs plugins.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import ExitStack
from functools import partial
from pathlib import Path

import yaml

from .. import layout
from ..agenda import compute_agenda
from ..context import Context
from ..i18n import Strings, direction
from ..markdown import ConfigDumper, mkdocs_config, mkdocs_yml, site_extensions
from ..maths import copy_katex, site_config
from ..model import Course, Module
from ..sanitize import esc_html as e
from ..write import link, put, put_copy, put_tree
from . import csp, engines, incremental, module_memo, site_offline, site_translators, workshop_site
from . import site_pages as pages
from .assets import place, site_course

SHIM = "node_modules/iframe-worker/shim/index.js"
NAV_GROUPED = 15  # beyond this many modules, the navigation lists them by course day (`_days`)
WAITED = "the jobs waited for, once every site is built"  # a stage of `Context.timed`


def _write(docs: Path, rel: str, text: str) -> None:
    put(docs / rel, place(text, rel))  # figures' paths relative to this page


def write_source(course: Course, ctx: Context, docs: Path) -> Course:
    """Write the Markdown pages and assets of one language's site into `docs`; returns the
    edition as the site shows it (its files' paths rebased), for `write_downloads`."""
    t = ctx.strings(course)
    memo = module_memo.of(course, ctx, docs)  # the site's version of a module follows from it
    course, source = site_course(course, docs), course  # images and linked files copied, paths rebased
    index = course.page("index")
    _write(docs, "index.md", pages.home(course, index, t))
    for page in course.pages:
        if page.slug != "index":
            _write(docs, layout.course_page(page), pages.course_page(course, page, t))
    _write(docs, "agenda.md", pages.agenda(course, t))
    for m, kept in zip(course.modules, source.modules, strict=True):
        shown = [target for _, target in pages.downloads_of(m, t) if ctx.made(docs / target)]
        _write(docs, layout.module_page(m),
               memo.kept(kept, f"page:{shown}", partial(pages.module, course, m, t, shown)))
        _write(docs, layout.trainer_page(m), memo.kept(kept, "trainer-page", partial(pages.trainer, course, m, t)))
    _write(docs, "trainer/index.md", pages.checklist(course, t))
    if course.readings:
        _write(docs, "readings/index.md", pages.readings_index(course, t))
        for page in course.readings:
            _write(docs, layout.reading_page(page), pages.course_page(course, page, t))
    if course.config.author_guide:
        guide = ctx.root / "AUTHORING.md"
        guide = guide if guide.exists() else Path(__file__).parents[2] / "AUTHORING.md"
        _write(docs, "guide/authoring.md", guide.read_text(encoding="utf-8").replace("](AUTHORING.md)", "]()"))
        _write(docs, site_translators.PAGE, site_translators.translators_page(course, t, ctx.sources))  # issue #18
    _write(docs, layout.offline_zip(course), "")  # placeholder: the real zip is made after MkDocs
    assets = docs / "assets"
    put_tree(ctx.theme_file("assets"), assets)
    shim = ctx.root / SHIM if (ctx.root / SHIM).exists() else Path(__file__).parents[2] / SHIM
    csp.write_shim(shim, assets / "javascripts")  # its bootstrap as a file: no inline script
    copy_katex(ctx.root, assets / "katex", ctx.theme_file("maths/render-maths.js"))  # maths, offline
    _write(docs.parent, "mkdocs.yml", yaml.dump(_config(course, ctx, docs), Dumper=ConfigDumper,
                                                allow_unicode=True, sort_keys=False))
    return course


def write_downloads(course: Course, ctx: Context, docs: Path) -> None:
    """The downloads page, once the render jobs are done: it gives each file's size. `course`:
    as `write_source` returned it (the files its texts link, where the site has them)."""
    _write(docs, "downloads.md", pages.downloads(course, ctx.strings(course), docs))


def _nav(course: Course, ctx: Context) -> list:
    """The navigation; titles escaped, since Material writes them into its HTML as they are. Every
    page has its title here: a title taken from a page's text would be missing from its
    neighbours' "Next" links after a build that rendered only the changed pages."""
    t = ctx.strings(course)
    nav: list = [{t("home"): "index.md"}]
    nav += [{e(p.title): layout.course_page(p)} for p in course.pages if p.slug != "index"]
    nav.append({t("agenda"): "agenda.md"})
    days = _days(course, t)
    nav.append({t("modules"): _listed(days, layout.module_page)})
    if course.readings:
        nav.append({t("readings_and_cases"): [{t("readings_and_cases"): "readings/index.md"}] +
                    [{e(p.title): layout.reading_page(p)} for p in course.readings]})
    nav.append({t("trainer_view"): [{t("preparation_checklist"): "trainer/index.md"}] +
                _listed(days, layout.trainer_page)})
    nav.append({t("downloads"): "downloads.md"})
    nav += workshop_site.nav(ctx.docs(course), t)  # workshops/index.md, when this edition has workshops
    if course.config.author_guide:
        nav.append({t("author_guide"): "guide/authoring.md"})
        nav.append({t("translation_status"): site_translators.PAGE})  # issue #18
    return nav


def _days(course: Course, t: Strings) -> list[tuple[str, list[Module]]]:
    """The modules as the navigation lists them: one group without a title for a short course;
    for a long one (`_grouped`), one group per agenda day a module starts on. With
    `navigation.prune`, a page then holds its own day's modules and one link per other day, not
    every module of the course: a page's size, and the site's build time, no longer grow with
    the square of the course."""
    if not _grouped(course):
        return [("", course.modules)]
    first_day: dict[str, int] = {}
    for day in compute_agenda(course):
        for slot in day.slots:
            if slot.module is not None:
                first_day.setdefault(slot.module.id, day.number)
    groups: dict[int, list[Module]] = {}
    number = 1
    for module in course.modules:
        number = first_day.get(module.id, number)  # a module without a slot: with the one before
        groups.setdefault(number, []).append(module)
    return [(f"{t('day', n=n)} · {e(ms[0].id)}–{e(ms[-1].id)}", ms) for n, ms in groups.items()]


def _grouped(course: Course) -> bool:
    return len(course.modules) > NAV_GROUPED


def _listed(days: list[tuple[str, list[Module]]], page: Callable[[Module], str]) -> list:
    """Each module's entry (`page`: its module or trainer page), in its day's group if titled."""
    out: list = []
    for title, modules in days:
        entries = [{f"{m.id}. {e(m.title)}": page(m)} for m in modules]
        out += [{title: entries}] if title else entries
    return out


def _config(course: Course, ctx: Context, docs: Path) -> dict:
    c = course.config
    t = ctx.strings(course)
    langs = [c.language, *c.languages]
    logo = c.organisation.logo
    config = {
        "INHERIT": engines.relative(mkdocs_yml(ctx.root), docs.parent),  # relative: .build/<lang> moves
        "site_name": e(c.title),  # Material writes these into its HTML as they are: escaped here
        "site_description": e(c.subtitle),
        "site_author": e(", ".join(c.authors)),
        "docs_dir": engines.relative(docs, docs.parent),
        "site_dir": "site",
        "copyright": e(" · ".join(x for x in (c.organisation.name, t("licence", licence=c.licence),
                                               t("version", version=c.version)) if x)),
        "theme": {"language": course.lang, "custom_dir": engines.relative(ctx.theme_file("overrides"), docs.parent),
                  "variant": "classic"},  # Zensical: Material's look (course colours), not "modern"
        "nav": _nav(course, ctx),
        "extra": {"polyfills": ["assets/javascripts/iframe-worker.js"], "generator": False},
        "validation": {"omitted_files": "info", "absolute_links": "info", "unrecognized_links": "info"},
    }
    features = (mkdocs_config(ctx.root).get("theme") or {}).get("features") or []
    # not content.tooltips: Material writes a tooltip's text as HTML, so a title would run
    wanted = [x for x in features if x != "content.tooltips"]
    if _grouped(course) and "navigation.prune" not in wanted:
        wanted.append("navigation.prune")  # the other days' modules left out of a page (`_days`)
    if wanted != features:
        config["theme"]["features"] = wanted
    if not ctx.all_outputs:  # --only: the decks or PDFs that pages link to are not built this time
        config["validation"]["not_found"] = "info"
    source = (ctx.root / logo).resolve() if logo else None  # only a file in the repository is published
    if source and source.is_file() and source.is_relative_to(ctx.root.resolve()):
        put_copy(source, docs / "assets" / Path(logo).name)
        config["theme"]["logo"] = f"assets/{Path(logo).name}"
        config["theme"]["favicon"] = f"assets/{Path(logo).name}"
    if len(langs) > 1:
        # each edition's coverage is on the downloads page, not here: in the config, a changed
        # translation status would make every page of every edition render again
        names = {x: ctx.strings(_with_lang(course, x))("language_name") for x in langs}
        config["extra"]["alternate"] = [{"name": e(names[x]), "link": f"../{x}/index.html", "lang": x}
                                        for x in langs]
    if direction(course.lang) == "rtl":
        config["theme"]["direction"] = "rtl"
    config.update(site_config(ctx.root))  # the course's extra CSS and scripts, and KaTeX
    extensions = site_extensions(ctx.root)
    if extensions is not None:  # the course's mkdocs.yml lacks one of our extensions: added
        config["markdown_extensions"] = extensions
    return config


def _with_lang(course: Course, lang: str) -> Course:
    from copy import copy

    other = copy(course)
    other.lang = lang
    return other


def build(courses: list[Course], ctx: Context, out: Path, wait: Callable[[], object] = lambda: None,
          late: set[Path] | frozenset[Path] = frozenset()) -> dict[str, incremental.Built]:
    """Run the site engine on every language's site source (only where it changed, see
    `incremental.py`) while the render jobs still run; `wait()` waits for them and puts their
    files (`late`) in the site sources. Then each edition gets those files, its offline zip and
    their sizes (`place_results`). Returns what was done per language."""
    level = logging.WARNING if ctx.verbosity < 2 else logging.INFO
    logging.getLogger("mkdocs").setLevel(level)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # jieba still imports pkg_resources
        try:
            import jieba  # Material splits Chinese into words with it, for search

            jieba.setLogLevel(level)
        except ImportError:
            pass
    mine = {course.lang: _under(late, ctx.docs(course)) for course in courses}  # each edition's, relative
    done = {course.lang: build_edition(course, ctx, ctx.build_dir / course.lang, late=mine[course.lang])
            for course in ctx.progress(courses, "site")}
    with ctx.timed(f"  {WAITED}"):
        wait()
    for course in courses:
        place_results(course, ctx, ctx.build_dir / course.lang, done[course.lang], mine[course.lang])
        incremental.publish(done[course.lang].path, out / course.lang)
    write_index(courses, out)
    return done


def write_index(courses: list[Course], out: Path) -> None:
    """The site's root page: straight on to the source edition (or the first one built)."""
    source = courses[0].config.language
    first = source if any(c.lang == source for c in courses) else courses[0].lang
    target = f"{first}/index.html"
    (out / "index.html").write_text(
        f'<!doctype html><html lang="{source}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        f'<meta http-equiv="refresh" content="0; url={target}"><title>{e(courses[0].config.title)}</title>'
        f'</head><body><p><a href="{target}">{e(courses[0].config.title)}</a></p></body></html>\n',
        encoding="utf-8")


def build_edition(course: Course, ctx: Context, work: Path, offline: bool = True,
                  late: frozenset[str] = frozenset()) -> incremental.Built:
    """Build one edition's site source `work/docs` into `work/site-out` with its CSP and, unless
    `offline` is False (the preview), its participant site (`work/offline-out`), zipped later
    (`place_results`); `late`: the files of `docs` the render jobs are still making."""
    extra = (mkdocs_yml(ctx.root), ctx.theme_file("overrides"))  # what the engine reads besides
    participant: list[Future[Path]] = []
    with ctx.timed(f"  {course.lang}: site"), ExitStack() as meanwhile:

        def start() -> None:  # the site is built again: the participant site too, in a second process
            participant.append(meanwhile.enter_context(site_offline.meanwhile(course, work, ctx.engine, extra, late)))

        def finish(site: Path, rebuilt: set[str] | None) -> None:
            csp.add_policy(site)  # a Content-Security-Policy in every page
            if not offline:  # the preview makes no zip; its books are the last complete build's
                site_offline.unsized(*(site / x for x in engines.SEARCH_INDEXES))
                site_offline.sized(site / site_offline.DOWNLOADS_HTML, work / site_offline.TEMPLATE,
                                   _sizes(course, ctx, work / "docs"))
            elif participant:
                participant[0].result()
            else:  # Zensical: one run at a time
                site_offline.participant_site(layout.trainers_guide(course), work, ctx.engine, extra, late)

        # side by side with MkDocs only: Zensical keeps a cache in its working folder, which two runs would share
        return incremental.build(ctx.engine, work, "site", post=finish, extra=extra,
                                 start=start if offline and ctx.engine == "mkdocs" else None,
                                 always=site_offline.rendered_again(work) if offline else (), late=late)


def place_results(course: Course, ctx: Context, work: Path, built: incremental.Built, late: frozenset[str]) -> None:
    """The render jobs' files (`late`, relative to `work/docs`), made while the site was built, into the built site and
    the participant site, by hard links — where the engine put the empty file that stood for
    each (so not into the participant site the trainer's guide, which it leaves out); then, if
    either site or a file changed, the participant site zipped and the sizes written into the
    downloads pages."""
    docs, participant = work / "docs", work / "offline-out"
    fresh = built.mode != "cached"
    for rel in sorted(late):  # plain os calls: one stat a file, a thousand files at 200 modules
        made = os.path.join(docs, rel)
        try:
            own = os.stat(made)
        except FileNotFoundError:
            continue
        for site in (str(built.path), str(participant)):
            there = os.path.join(site, rel)
            try:
                st = os.stat(there)
            except FileNotFoundError:
                continue  # the engine left it out (the trainer's guide from the participant site)
            if (st.st_dev, st.st_ino) != (own.st_dev, own.st_ino):
                link(made, there + ".new")
                os.replace(there + ".new", there)  # a new file: the last one may be published (a hard link)
                fresh = True
    if fresh and participant.is_dir():
        with ctx.timed(f"  {course.lang}: participant site and zip"):
            site_offline.offline_zip(course, participant, built.path, work, _sizes(course, ctx, docs))


def _under(files: set[Path] | frozenset[Path], docs: Path) -> frozenset[str]:
    """`files` inside `docs`, relative to it."""
    top = f"{docs}{os.sep}"
    return frozenset(s[len(top):] for s in map(str, files) if s.startswith(top))


def _sizes(course: Course, ctx: Context, docs: Path) -> dict[str, str]:
    """The sizes of the files the render jobs make, for the downloads page
    (`site_pages.size_token`); none for a file not made yet (an empty placeholder). One stat a file."""
    sizes = {}
    for target in pages.made_later(course, ctx.strings(course)):
        path = docs / target
        try:
            n = path.stat().st_size
        except FileNotFoundError:
            continue
        if n:
            sizes[pages.size_token(target)] = pages.size(path, n)
    return sizes
