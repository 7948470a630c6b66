"""The default course is written in its own words: no run of words lifted from the source documents.

The sources are the UNEP documents in `../shared/seeds/` (beside the checkout, as in CI). Names,
titles and quotations may carry over, so the check reads running prose only: front matter, table
rows, "quoted" and *italic* spans (titles, definitions) are left out.
"""

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

SEEDS = ROOT.parent / "shared" / "seeds"
RUN = 15  # words in a row; a shorter match is a name or a phrase, not a sentence
LANG_SUFFIX = re.compile(r"\.(?:[a-z]{2})\.md$")


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def prose(text: str) -> str:
    """Running text of a Markdown file, without what may legitimately be quoted."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("|"))
    text = re.sub(r'"[^"]{1,400}"|“[^”]{1,400}”', " ", text)
    return re.sub(r"(?<![*\w])\*[^*]{1,400}\*(?!\*)", " ", text)


def runs_in(text: str, index: set[tuple[str, ...]]) -> list[str]:
    """Every maximal run of at least RUN words that also occurs in the sources."""
    w = words(text)
    found: list[list[int]] = []
    for i in range(len(w) - RUN + 1):
        if tuple(w[i:i + RUN]) in index:
            if found and i <= found[-1][1]:
                found[-1][1] = i + RUN
            else:
                found.append([i, i + RUN])
    return [" ".join(w[a:b]) for a, b in found]


@pytest.fixture(scope="module")
def source_runs() -> set[tuple[str, ...]]:
    if not SEEDS.is_dir():
        pytest.skip(f"source documents not found at {SEEDS}")
    index: set[tuple[str, ...]] = set()
    for path in SEEDS.glob("*.txt"):
        w = words(path.read_text(encoding="utf-8", errors="replace"))
        index.update(tuple(w[i:i + RUN]) for i in range(len(w) - RUN + 1))
    assert index, "no source text read"
    return index


def course_files() -> list[Path]:
    files = [p for folder in ("course", "modules", "slides", "instructor_notes")
             for p in sorted((ROOT / folder).rglob("*.md")) if not LANG_SUFFIX.search(p.name)]
    assert len(files) > 20
    return files


def test_no_sentence_lifted_from_the_sources(source_runs: set[tuple[str, ...]]) -> None:
    lifted = [f"{p.relative_to(ROOT)}: {run}"
              for p in course_files() for run in runs_in(prose(p.read_text(encoding="utf-8")), source_runs)]
    assert not lifted, "text copied from the sources; say it in the course's own words:\n" + "\n".join(lifted)


def test_the_check_finds_a_copied_sentence(source_runs: set[tuple[str, ...]]) -> None:
    seed = max(SEEDS.glob("*.txt"), key=lambda p: p.stat().st_size).read_text(encoding="utf-8", errors="replace")
    copied = " ".join(words(seed)[200:230])
    assert runs_in(f"Some words of our own. {copied} And more.", source_runs)
    assert not runs_in(prose(f'A title: "{copied}".'), source_runs)
