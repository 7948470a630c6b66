"""Cutting Markdown into translatable blocks: what is a block, and that nothing is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursebook.scaffold import read_source
from coursebook.segments import cut, placeables, wrap

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(p for folder in ("course", "modules", "slides", "instructor_notes", "tests/fixtures")
               for p in (ROOT / folder).rglob("*.md"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_course_file_is_rebuilt_exactly(path: Path) -> None:
    text = read_source(path)[0]
    doc = cut(text, deck="slides" in path.parts)
    assert doc.text() == text
    # every block replaced by its own text unwrapped: the same structure comes back
    again = cut(doc.text({i: s.norm for i, s in enumerate(doc.segments)}), deck="slides" in path.parts)
    assert again.shapes == doc.shapes


BODY = '''## Heading {#h}

A paragraph that
goes on. See [[slide:VI-2]] and `code`.

- item one
    - nested item
1. numbered

!!! trainer "Title of the note"
    Body of the note.

=== "Tab"
    In the tab.

| Name | Value |
|------|-------|
| Cell one | `x|y` |

```python
print("not a block")
```

$$
x = 1
$$

[[embed:warm-up]]

<div class="trainer" markdown>
</div>
'''


def test_blocks_and_skeleton() -> None:
    doc = cut(BODY)
    got = [(s.shape, s.norm) for s in doc.segments]
    assert got == [
        ("h2", "Heading"), ("p", "A paragraph that goes on. See [[slide:VI-2]] and `code`."),
        ("ul", "item one"), ("ul", "nested item"), ("ol", "numbered"),
        ("adm:trainer", "Title of the note"), ("p", "Body of the note."),
        ("tab", "Tab"), ("p", "In the tab."),
        ("cell", "Name"), ("cell", "Value"), ("cell", "Cell one")]
    assert doc.text() == BODY
    assert "fence" in doc.shapes and "$$" in doc.shapes
    new = doc.text({0: "Encabezado", 5: "Título"})
    assert new.startswith("## Encabezado {#h}\n") and '!!! trainer "Título"\n' in new


def test_deck_notes_are_blocks_with_their_slide() -> None:
    doc = cut("## One\n\n- a point\n\nNote:\nSay this.\n\n---\n## Two\n", deck=True)
    assert [(s.norm, s.where) for s in doc.segments] == [
        ("One", "slide 2"), ("a point", "slide 2"), ("Say this.", "slide 2, speaker notes"), ("Two", "slide 3")]


def test_placeables_and_wrapping() -> None:
    text = "See [[slide:VI-2]], `a b`, ![alt](images/x.png \"Caption\") and $x + y$ {: .wide }"
    assert placeables(text) == ["[[slide:VI-2]]", "`a b`", "](images/x.png", "$x + y$", "{: .wide }"]
    lines = wrap("word " * 10 + "- not a list " + "1. nor this", 12)
    assert all(not x.startswith(("- ", "1. ")) for x in lines[1:])
    assert " ".join(lines) == ("word " * 10 + "- not a list " + "1. nor this")
