"""Writing a site source in place (`write.rewrite`, `put`, `put_link`, `prune`): what stays the
same is kept, nothing is written through a hard link, and what a build no longer writes goes —
but never what a link leads to."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coursebook.write import files_below, prune, put, put_link, rewrite, written


def test_same_bytes_keep_the_file_new_bytes_replace_it(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    rewrite(docs)
    put(docs / "a.md", "one")
    before = (docs / "a.md").stat().st_ino
    rewrite(docs)
    put(docs / "a.md", "one")
    assert (docs / "a.md").stat().st_ino == before  # the same bytes: left alone
    put(docs / "a.md", "two")
    assert (docs / "a.md").read_text() == "two" and (docs / "a.md").stat().st_ino != before


def test_a_hard_link_is_replaced_never_written_through(tmp_path: Path) -> None:
    published = tmp_path / "published.pdf"  # e.g. a cached job result, also in the published site
    published.write_bytes(b"old")
    docs = tmp_path / "docs"
    rewrite(docs)
    put_link(published, docs / "handout.pdf")
    assert os.path.samefile(published, docs / "handout.pdf")
    put(docs / "handout.pdf", b"new")
    assert published.read_bytes() == b"old" and (docs / "handout.pdf").read_bytes() == b"new"


def test_a_file_and_a_folder_may_trade_places(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    rewrite(docs)
    put(docs / "guide", "a page once named like the folder to come")
    put(docs / "old" / "page.md", "a folder where a page will go")
    rewrite(docs)
    put(docs / "guide" / "index.md", "now a folder")
    put(docs / "old", "now a file")
    prune(docs)
    assert (docs / "guide" / "index.md").read_text() == "now a folder"
    assert (docs / "old").read_text() == "now a file"


def test_prune_removes_what_was_not_written_again_but_not_through_links(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("not the build's")
    docs = tmp_path / "docs"
    rewrite(docs)
    put(docs / "kept.md", "kept")
    put(docs / "gone" / "page.md", "gone next time")
    (docs / "link").symlink_to(outside)  # left by someone else: removed as a link, never followed
    rewrite(docs)
    put(docs / "kept.md", "kept")
    assert written(docs / "kept.md") and not written(docs / "gone" / "page.md")
    prune(docs)
    assert sorted(p.name for p in docs.iterdir()) == ["kept.md"]  # the emptied folder went too
    assert (outside / "keep.txt").read_text() == "not the build's"


def test_outside_a_rewritten_folder_nothing_in_the_way_is_removed(tmp_path: Path) -> None:
    """A workshop's named PDFs go to a folder of the user's (`private/`): a folder in their way
    is the user's, and stays."""
    result = tmp_path / "result.pdf"
    result.write_bytes(b"%PDF")
    private = tmp_path / "private"
    (private / "sign-in.pdf").mkdir(parents=True)
    (private / "sign-in.pdf" / "notes.txt").write_text("the user's")
    with pytest.raises(OSError):
        put_link(result, private / "sign-in.pdf")
    assert (private / "sign-in.pdf" / "notes.txt").read_text() == "the user's"
    assert [p.name for p in private.iterdir()] == ["sign-in.pdf"]  # and no temporary file left


def test_files_below_lists_what_sorted_rglob_does_in_its_order(tmp_path: Path) -> None:
    """The walk every rebuild makes of each site (its fingerprint, its zip): every file in the
    order pathlib sorts them (by parts, so `a/z` before `a-b/c`, which plain strings reverse),
    a linked file taken, a linked folder not entered, folders themselves left out."""
    for rel in ("a/z.md", "a-b/c.md", "a.md", "b/deep/x.pdf", "b/deep/x-y.pdf", "c d/é.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("x")
    (tmp_path / "linked-folder").symlink_to(outside)
    (tmp_path / "linked.md").symlink_to(tmp_path / "a.md")
    expected = [(p.relative_to(tmp_path).as_posix(), str(p)) for p in sorted(tmp_path.rglob("*")) if p.is_file()]
    assert files_below(tmp_path) == expected
    assert [rel for rel, _ in expected].index("a/z.md") < [rel for rel, _ in expected].index("a-b/c.md")
    assert "linked.md" in dict(expected) and not any("secret" in rel for rel, _ in expected)
