"""Rendered results kept between builds (`coursebook/memo_db.py`): a result comes back only
for the same input and configuration, a store that cannot be used only means recomputing, and
a Markdown extension that reads other files turns the memo off."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from coursebook.markdown import Markdown
from coursebook.mdx_trainer import Solutions
from coursebook.memo_db import Memo

TEXT = "# Water audit\n\nMeasure the *inflows* first.\n\n!!! trainer\n    Bring the meter.\n"


def _memo(root: Path) -> Memo:
    (root / ".build").mkdir(exist_ok=True)
    return Memo(root / ".build" / "memo.sqlite")


def test_a_conversion_is_kept_and_reused_across_processes_worth_of_instances(mini: Path) -> None:
    first = Markdown(mini, _memo(mini))
    html = first.html(TEXT)
    assert "Bring the meter" not in html and "<em>inflows</em>" in html
    first._memo.close()
    again = Markdown(mini, _memo(mini))  # a new build: reads what the last one kept
    key = again._memo.key("markdown", again._config, TEXT)
    assert again._memo.get(key) == html
    assert again.html(TEXT) == html == Markdown(mini).html(TEXT)  # same as converting afresh


def test_an_edited_text_or_configuration_is_converted_again(mini: Path) -> None:
    memo = _memo(mini)
    md = Markdown(mini, memo)
    md.html(TEXT)
    memo.close()
    edited = TEXT.replace("inflows", "outflows")
    assert "<em>outflows</em>" in Markdown(mini, _memo(mini)).html(edited)
    yml = mini / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("permalink: false", "permalink: true"), encoding="utf-8")
    changed = Markdown(mini, _memo(mini))
    assert changed._memo.get(changed._memo.key("markdown", changed._config, TEXT)) is None
    assert 'class="headerlink"' in changed.html(TEXT)  # the new configuration, not the kept HTML


def test_texts_with_solutions_are_converted_each_time_with_their_answers(mini: Path) -> None:
    text = "## Question\n\nHow much water?\n\n??? solution \"Answer\"\n    About 40 litres.\n"
    md = Markdown(mini, _memo(mini))
    for _ in range(2):
        group = Solutions("end", "VI", "", lambda key: f"see {key}")
        html = md.html(text, group)
        assert "40 litres" not in html and [a.key for a in group.found] == ["VI-1"]
        assert "40 litres" in group.found[0].html


def test_an_extension_that_reads_files_turns_the_memo_off(mini: Path) -> None:
    yml = mini / "mkdocs.yml"
    yml.write_text(re.sub(r"markdown_extensions:\n", "markdown_extensions:\n  - pymdownx.snippets\n",
                          yml.read_text(encoding="utf-8")), encoding="utf-8")
    md = Markdown(mini, _memo(mini))
    assert md._memo is None
    assert "<em>inflows</em>" in md.html(TEXT)


def test_an_unusable_store_only_means_recomputing(mini: Path, tmp_path: Path) -> None:
    (mini / ".build").mkdir()
    store = mini / ".build" / "memo.sqlite"
    store.write_bytes(b"not a database at all")
    memo = Memo(store)
    assert Markdown(mini, memo).html(TEXT).startswith("<h1")
    memo.close()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    linked = tmp_path / "linked-repo"
    linked.mkdir()
    (linked / ".build").symlink_to(elsewhere)
    memo = Memo(linked / ".build" / "memo.sqlite")  # never written through a link
    memo.put(memo.key("x"), "y")
    memo.close()
    assert not any(elsewhere.iterdir())


def test_a_result_used_stays_and_one_unused_for_two_weeks_goes(mini: Path) -> None:
    import time

    memo = _memo(mini)
    memo.put("used", "kept")
    memo.put("unused", "dropped")
    memo.put("fresh", "kept too")
    memo.close()
    store = sqlite3.connect(mini / ".build" / "memo.sqlite")
    days = 86400
    with store:
        store.execute("UPDATE memo SET used = ? WHERE key != 'fresh'", (time.time() - 13.5 * days,))
    memo = _memo(mini)
    assert memo.get("used") == "kept" and memo.get("fresh") == "kept too"
    memo.close()  # "used" marked again (a day old or more); "fresh" was marked less than a day ago
    with store:
        store.execute("UPDATE memo SET used = used - ?", (days,))  # a day later …
    memo = _memo(mini)
    memo.put("new", "value")  # any build that writes drops what went unused for two weeks
    memo.close()
    left = {k: json.loads(v) for k, v in store.execute("SELECT key, value FROM memo")}
    store.close()
    assert left == {"used": "kept", "fresh": "kept too", "new": "value"}


def test_a_row_with_no_time_of_use_is_read_and_marked(mini: Path) -> None:
    memo = _memo(mini)
    memo.put("old", "value")
    memo.close()
    store = sqlite3.connect(mini / ".build" / "memo.sqlite")
    with store:
        store.execute("UPDATE memo SET used = NULL")  # as a store written by hand (or another tool) may be
    memo = _memo(mini)
    assert memo.get("old") == "value"
    memo.close()
    used = store.execute("SELECT used FROM memo WHERE key = 'old'").fetchone()[0]
    store.close()
    assert used is not None
