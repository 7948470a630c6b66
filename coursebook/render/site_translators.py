"""The translators' page of the authors' section (`guide/translators.md`): per language and
file, how many blocks are current, stale and missing, where the stale ones are, and the
glossary. Every value is escaped (`sanitize.esc`, `esc_html` in the tables): file names and
terms are text. The tables, one row per file of the course, are written as HTML, which
Markdown passes through: as Markdown tables they made this page the slowest of the site to
render (a third of a second at 100 modules), on every edit, since any edit changes a count."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Report
from ..glossary import load_glossary
from ..i18n import Strings
from ..load import Sources, load_project
from ..memo_db import per_object
from ..model import Course
from ..sanitize import esc, esc_html
from ..status import FileStatus, block_status, coverage, languages, translation_status
from .site_pages import NO_SEARCH

PAGE = "guide/translators.md"
MAX_STALE = 50  # stale blocks listed per language; `status --diff` has the rest


def translators_page(course: Course, t, sources: Sources | None = None) -> str:
    """The page's Markdown, in `course`'s language, from the repository as it is now
    (`sources`: as the build loaded it, else read again)."""
    root = Path(course.root)
    # problems in the files are `check`'s to report
    sources = sources or load_project(root, Report(root))
    langs, files, entries, terms = _status_of(sources)
    # it quotes stale blocks, trainer notes among them: out of the search index, as trainer pages are
    out = [f"{NO_SEARCH}# {esc(t('translation_status'))}", "", esc(t("translation_intro")), ""]
    for lang in langs:
        mine = [f for f in files if f.lang == lang]
        name = Strings(root, lang, course.config.language)("language_name")
        total = {k: sum(f.counts[k] for f in mine) for k in ("current", "stale", "missing")}
        out += [f"## {esc(name)} ({esc(lang)}) — {coverage(entries, lang):.0f} %", "",
                f"{esc(t('blocks_current'))}: **{total['current']}** · {esc(t('blocks_stale'))}: "
                f"**{total['stale']}** · {esc(t('blocks_missing'))}: **{total['missing']}**", "",
                _table([t(k) for k in ("translation_file", "translation_state", "blocks_current", "blocks_stale",
                                       "blocks_missing")], [_row(f, t) for f in mine], numbers=3)]
        stale = _stale_blocks(sources, lang, mine)
        if stale:
            out += ["", f"**{esc(t('stale_blocks'))}**", ""]
            out += [f"- **{esc(f.translation)}:{tr.line}** — {esc(_short(s.norm))}" for f, s, tr in stale[:MAX_STALE]]
            listed = sum(f.counts["stale"] for f in mine if f.mode == "blocks")  # each stale block listed
            if listed > MAX_STALE:
                out.append(f"- … {listed - MAX_STALE}")
        out.append("")
    if not langs:
        out += [esc(t("translation_none")), ""]
    used = [x for x in langs if any(x in term.targets for term in terms)]
    if terms:
        out += [f"## {esc(t('glossary'))}", "",
                _table([t("glossary_term"), *used, t("glossary_note")],
                       [[term.term, *(" / ".join(term.targets.get(x, [])) for x in used), term.note]
                        for term in terms]), ""]
    return "\n".join(out)


_DONE: list[tuple[Sources, tuple]] = []  # the last sources worked out: every edition's page asks


def _status_of(sources: Sources) -> tuple:
    return per_object(_DONE, sources, _work_out)


def _work_out(sources: Sources) -> tuple:
    root = sources.root
    langs = languages(sources)
    return (langs, block_status(sources, stale=False), translation_status(sources),
            load_glossary(root, Report(root), langs))


def _stale_blocks(sources: Sources, lang: str, mine: list[FileStatus]) -> list:
    """The stale blocks of `lang` (file, source block, translation block) of the first files
    that have any, until they hold more than the page lists (`MAX_STALE`): the other files'
    are counted, not read (at 200 modules, reading them all was a quarter of a second of
    every build)."""
    wanted, count = set(), 0
    for f in mine:
        if count > MAX_STALE:
            break
        if f.mode == "blocks" and f.counts["stale"]:
            wanted.add(f.source)
            count += f.counts["stale"]
    files = block_status(sources, [lang], files=wanted) if wanted else []
    return [(f, s, tr) for f in files for s, tr, _ in f.stale]


def _row(f: FileStatus, t) -> list[str]:
    state = t(f"state_{f.state}") + (f" ({t('translation_adapted')})" if f.mode == "file" else "")
    return [f.source, state, *(str(f.counts[k]) for k in ("current", "stale", "missing"))]


def _table(head: list[str], rows: list[list[str]], numbers: int = 0) -> str:
    """An HTML table as Python-Markdown writes one (the site styles it alike), every cell
    escaped; the last `numbers` columns right-aligned."""
    right = ' style="text-align: right;"'

    def tr(cells: list[str], tag: str) -> str:
        return "<tr>" + "".join(f"<{tag}{right if i >= len(cells) - numbers else ''}>{esc_html(c)}</{tag}>"
                                for i, c in enumerate(cells)) + "</tr>"
    return "\n".join(["<table>", "<thead>", tr(head, "th"), "</thead>", "<tbody>", *(tr(r, "td") for r in rows),
                      "</tbody>", "</table>"])


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
