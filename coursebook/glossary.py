"""The course glossary: agreed translations of its key terms, per language.

`course/glossary.yml` lists source terms and their target terms:

    - term: cleaner production
      es: producción más limpia
      fr: production plus propre
      note: the UNEP/UNIDO term

`check` warns at the translation's file:line when a source block holds a term and its
translation lacks the agreed target; `export-po` writes the glossary as CSV and TBX for
CAT tools; the translators' page shows it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path

from .diagnostics import Report
from .load import SourceFile, Sources, parse_yaml, read_text
from .memo import remember
from .memo_db import per_key
from .status import kinds, languages, pair

GLOSSARY = Path("course") / "glossary.yml"


@dataclass
class Term:
    term: str
    targets: dict[str, list[str]]  # language → accepted translations (the first is preferred)
    note: str = ""
    line: int = 0

    @cached_property
    def pattern(self) -> re.Pattern:
        """Compiled when a source text is searched (not when every text's result is remembered).
        A term matches as a word with any ending (NCPC → NCPCs), its first letter in either
        case (a sentence may start with it), the rest as written: "Global Action Plan", a
        name, is not the term "action plan"."""
        first, rest = self.term[0], self.term[1:]
        head = f"[{re.escape(first.lower())}{re.escape(first.upper())}]" if first.isalpha() else re.escape(first)
        return re.compile(r"(?<![\w-])" + head + r"\s+".join(map(re.escape, rest.split(" "))) + r"\w*")


def load_glossary(root: Path, report: Report, langs: list[str] | None = None) -> list[Term]:
    """The glossary's terms; every malformed entry reported at its line (none: no file)."""
    path = root / GLOSSARY
    if not path.is_file():
        return []
    text = read_text(path, report)
    if text is None:
        return []
    count = len(report.errors)
    data, lines = parse_yaml(f"terms:\n{_indent(text)}", path, -1, report)
    if len(report.errors) > count:
        return []
    items = data.get("terms")
    if items is None:
        return []
    if not isinstance(items, list):
        report.error(path, 1, "the glossary must be a list of terms",
                     "write one '- term: …' entry per term, with a line per language ('es: …')")
        return []
    terms = []
    for i, item in enumerate(items):
        line = lines.get(("terms", i), 1)
        if not isinstance(item, dict) or not isinstance(item.get("term"), str) or not item["term"].strip():
            report.error(path, line, "a glossary entry needs 'term:' (the source term)",
                         "write e.g. '- term: cleaner production' then 'es: producción más limpia'")
            continue
        targets: dict[str, list[str]] = {}
        for key, value in item.items():
            if key in ("term", "note"):
                continue
            where = lines.get(("terms", i, key), line)
            if langs is not None and key not in langs:
                report.error(path, where, f"'{key}' is not a language of this course",
                             "use a code from 'languages' in course/course.yml")
                continue
            values = value if isinstance(value, list) else [value]
            if not values or not all(isinstance(v, str) and v.strip() for v in values):
                report.error(path, where, f"the '{key}' translation of '{item['term']}' must be text "
                             "or a list of accepted texts", "write e.g. 'es: producción más limpia'")
                continue
            targets[key] = [v.strip() for v in values]
        terms.append(Term(item["term"].strip(), targets, str(item.get("note") or ""), line))
    return terms


def _indent(text: str) -> str:
    """The glossary's list under a `terms:` key (so its lines map to the file's)."""
    return "\n".join("  " + x if x.strip() else x for x in text.split("\n"))


def _fold(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'")


def has(text: str, target: str) -> bool:
    """Whether a translation holds a target term: in any case, each word with any ending
    (plurals, agreement: "plan de acción" is in "planes de acción"), apostrophes alike."""
    words = _fold(target).split()
    return bool(re.search(r"(?<![\w-])" + r"\s+".join(re.escape(w) + r"\w*" for w in words),
                          _fold(text), re.I))


def found(text: str, terms: list[Term]) -> list[Term]:
    """The terms a source text holds; a term inside a longer one found at the same place
    ("sustainable consumption" in "sustainable consumption and production") does not count.
    Found once per text and glossary: every edition's check (and `serve`, at each edit) asks."""
    names = per_key(_FOUND, (text, tuple(t.term for t in terms)), lambda: [t.term for t in _found(text, terms)],
                    limit=65536)
    by_term = {t.term: t for t in terms}
    return [by_term[x] for x in names]


_FOUND: dict[tuple, list[str]] = {}


def _found(text: str, terms: list[Term]) -> list[Term]:
    taken: list[tuple[int, int]] = []
    out = []
    for t in sorted(terms, key=lambda t: -len(t.term)):
        for m in t.pattern.finditer(text):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                taken.append(m.span())
                if t not in out:
                    out.append(t)
    return out


def misses(sources: Sources, lang: str, terms: list[Term]) -> list[tuple[Path, int, Term]]:
    """(translation file, line, term) for each translated block whose source holds a term
    and which lacks every agreed target of it."""
    out = []
    wanted = [t for t in terms if lang in t.targets]
    by_term = {t.term: t for t in wanted}
    agreed = repr([(t.term, t.targets[lang]) for t in wanted])
    for kind, loc in kinds(sources) if wanted else ():
        tr = loc.translations.get(lang)
        if tr is None:
            continue
        key = (kind, lang, agreed, _fingerprint(loc.source), _fingerprint(tr))
        for line, term in remember("glossary.misses", key, partial(_misses, loc.source, tr, kind, lang, wanted)):
            out.append((tr.path, line, by_term[term]))
    return out


def _fingerprint(sf: SourceFile) -> str:
    """All of a file that its segments derive from (not its path)."""
    return repr((sf.meta, sorted(sf.lines.items()), sf.body, sf.body_line))


def _misses(source: SourceFile, tr: SourceFile, kind: str, lang: str, wanted: list[Term]) -> list[tuple[int, str]]:
    """(line, term) of one translation's blocks that lack an agreed term their source holds:
    kept between runs per text (`memo`), as segmenting both texts is most of the work."""
    out = []
    p = pair(source, tr, kind)
    for i, s in enumerate(p.src):
        j = p.pairs[i]
        if j is None or p.record[j] == "-":
            continue
        for t in found(s.norm, wanted):
            if not any(has(p.tr[j].norm, x) for x in t.targets[lang]):
                out.append((p.tr[j].line, t.term))
    return out


def check(sources: Sources, lang: str, report: Report) -> None:
    """`check`'s glossary warnings for the `lang` edition (and the glossary's own errors)."""
    terms = load_glossary(sources.root, report, languages(sources))
    for path, line, t in misses(sources, lang, terms):
        report.warning(path, line, f"glossary: the source says '{t.term}' but the translation lacks "
                       f"'{t.targets[lang][0]}'", f"use the agreed term (course/glossary.yml:{t.line}), "
                       "or add the wording used here as an accepted alternative")


def to_csv(terms: list[Term], lang: str, source_lang: str) -> str:
    """The glossary as CSV (source, target, note): what Weblate, Crowdin and OmegaT import."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["source", "target", "description"])
    for t in terms:
        if lang in t.targets:
            w.writerow([t.term, t.targets[lang][0], t.note])
    return buf.getvalue()


def to_tbx(terms: list[Term], lang: str, source_lang: str) -> str:
    """The glossary as TBX (TermBase eXchange, TBX-Basic), for memoQ and Trados."""
    from xml.sax.saxutils import escape, quoteattr  # imports urllib.request: not at `check`'s start

    rows = []
    for n, t in enumerate((t for t in terms if lang in t.targets), 1):
        note = f"\n        <descrip type=\"definition\">{escape(t.note)}</descrip>" if t.note else ""
        targets = "".join(f"\n        <tig><term>{escape(x)}</term></tig>" for x in t.targets[lang])
        rows.append(f"""      <termEntry id="t{n}">{note}
        <langSet xml:lang={quoteattr(source_lang)}><tig><term>{escape(t.term)}</term></tig></langSet>
        <langSet xml:lang={quoteattr(lang)}>{targets}
        </langSet>
      </termEntry>""")
    body = "\n".join(rows)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang={quoteattr(source_lang)}>
  <martifHeader><fileDesc><sourceDesc><p>course/glossary.yml</p></sourceDesc></fileDesc></martifHeader>
  <text>
    <body>
{body}
    </body>
  </text>
</martif>
"""
