"""The PO round trip: export, translate in a tool (polib here), import, build the edition."""

from __future__ import annotations

import json
from pathlib import Path

import polib

from coursebook.build import Options, load_courses
from coursebook.scaffold import read_source

from .conftest import commit, git, run


def _po(root: Path, lang: str, rel: str) -> polib.POFile:
    return polib.pofile(str(root / "translations" / lang / f"{rel}.po"))


def test_default_course_round_trips_unchanged(course: Path) -> None:
    for lang in ("es", "fr"):
        assert run(course, "export-po", lang) == 0
        assert run(course, "import-po", lang) == 0
        assert run(course, "export-po", lang, "--format", "xliff", "--out", str(course / "xlf")) == 0
        assert run(course, "import-po", lang, "--from", str(course / "xlf")) == 0
    assert git(course, "status", "--porcelain", "--", "course", "modules", "slides", "instructor_notes") == ""
    po = _po(course, "es", "modules/06-ncpc-roles/module.md")
    title = next(e for e in po if e.msgctxt == "meta title")
    assert title.msgid == "Roles and opportunities for NCPCs" and title.msgstr.startswith("Papeles")
    assert not any("fuzzy" in e.flags for e in po)
    assert (course / "translations" / "es" / "glossary.tbx").is_file()


def test_two_translated_entries_show_in_the_spanish_edition(mini: Path) -> None:
    assert run(mini, "export-po", "es") == 0
    path = mini / "translations" / "es" / "modules/01-basics/activities/warm-up.md.po"
    po = polib.pofile(str(path))
    for e in po:
        if e.msgid == "Warm-up":
            e.msgstr = "Calentamiento"
        elif e.msgid.startswith("Talk with your neighbour"):
            e.msgstr = "Hable con su vecino\nsobre una cebra.\n"  # a tool's line break: not the block's
    po.save()
    assert run(mini, "import-po", "es") == 0
    text = (mini / "modules/01-basics/activities/warm-up.es.md").read_text(encoding="utf-8")
    assert "1. Hable con su vecino sobre una cebra.\n2. Write three ideas." in text
    es = load_courses(Options(mini, languages=["es"], verbosity=0))[0]
    act = es.modules[0].activities[0]
    assert act.title == "Calentamiento" and "cebra" in act.body and not act.fallback
    assert act.minutes == 45  # minutes still come from the source


def test_one_source_edit_is_one_stale_block(course: Path, capsys) -> None:
    src = course / "modules/06-ncpc-roles/module.md"
    text = src.read_text(encoding="utf-8")
    src.write_text(text.replace("The idea of national centres is not new.",
                                "The idea of national centres is far from new."), encoding="utf-8")
    capsys.readouterr()
    assert run(course, "status", "--json", "--lang", "es") == 0
    status = json.loads(capsys.readouterr().out)["languages"]["es"]
    assert status["blocks"]["stale"] == 1 and status["blocks"]["missing"] == 0
    stale = [f for f in status["files"] if f["blocks"]["stale"]]
    assert [f["source"] for f in stale] == ["modules/06-ncpc-roles/module.md"]
    line = stale[0]["stale"][0]["line"]
    assert run(course, "status", "--diff", "es", "modules/06-ncpc-roles/module.es.md") == 0
    out = capsys.readouterr().out
    assert f"module.es.md:{line}: stale paragraph" in out
    assert "[-not-] {+far from+}" in out and "old source: The idea of national centres is not new." in out
    assert run(course, "export-po", "es") == 0
    po = _po(course, "es", "modules/06-ncpc-roles/module.md")
    fuzzy = [e for e in po if "fuzzy" in e.flags]
    assert len(fuzzy) == 1 and fuzzy[0].msgid.startswith("The idea of national centres is far from new.")
    assert fuzzy[0].previous_msgid.startswith("The idea of national centres is not new.")
    assert fuzzy[0].msgstr.startswith("La idea de centros nacionales")
    # reviewed in the tool: the block is current again, and so is the file
    fuzzy[0].flags.remove("fuzzy")
    po.save()
    assert run(course, "import-po", "es") == 0
    capsys.readouterr()
    assert run(course, "status", "--json", "--lang", "es") == 0
    status = json.loads(capsys.readouterr().out)["languages"]["es"]
    assert status["blocks"]["stale"] == 0 and status["coverage"] == 100.0


def test_translated_block_marks_one_block(course: Path, capsys) -> None:
    src = course / "slides/06-ncpc-roles.md"
    text = src.read_text(encoding="utf-8")
    src.write_text(text.replace("- Identify obstacles", "- Identify the obstacles")
                   .replace("- Builds national capacity", "- Builds capacity"), encoding="utf-8")
    tr = "slides/06-ncpc-roles.es.md"
    capsys.readouterr()
    run(course, "status", "--json", "--lang", "es")
    files = json.loads(capsys.readouterr().out)["languages"]["es"]["files"]
    lines = next(f for f in files if f["translation"] == tr)["stale"]
    assert len(lines) == 2
    assert run(course, "translated", "--block", str(lines[0]["line"]), str(course / tr)) == 0
    capsys.readouterr()
    run(course, "status", "--json", "--lang", "es")
    files = json.loads(capsys.readouterr().out)["languages"]["es"]["files"]
    f = next(f for f in files if f["translation"] == tr)
    assert f["blocks"]["stale"] == 1 and f["state"] == "stale"
    assert run(course, "translated", str(course / tr)) == 0
    capsys.readouterr()
    run(course, "status", "--json", "--lang", "es")
    f = next(f for f in json.loads(capsys.readouterr().out)["languages"]["es"]["files"] if f["translation"] == tr)
    assert f["blocks"]["stale"] == 0 and f["state"] == "current"


def test_broken_translation_is_refused_with_file_and_line(course: Path, capsys) -> None:
    assert run(course, "export-po", "es") == 0
    rel = "modules/06-ncpc-roles/module.md"
    path = course / "translations" / "es" / f"{rel}.po"
    po = polib.pofile(str(path))
    last = next(e for e in po if "[[module:VII]]" in e.msgid)
    last.msgstr = last.msgstr.replace("[[module:VII]]", "la sección VII")  # drops a reference
    next(e for e in po if e.msgctxt == "1 h2").msgstr = "# De dónde\n- vienen"  # breaks the structure
    po.save()
    notes = course / "translations/es/instructor_notes/06-ncpc-roles.md.po"
    roles = polib.pofile(str(notes))
    changed = next(e for e in roles if "[[slide:VI-3]]" in e.msgstr)
    changed.msgstr = changed.msgstr.replace("[[slide:VI-3]]", "[[slide:VI-33]]")  # changes an id
    roles.save()
    before = git(course, "status", "--porcelain")
    capsys.readouterr()
    assert run(course, "import-po", "es") == 1
    err = capsys.readouterr().err
    po = polib.pofile(str(path))
    entry = next(e for e in po if "[[module:VII]]" in e.msgid)
    assert f"translations/es/{rel}.po:{entry.linenum}: error: the translation drops '[[module:VII]]'" in err
    heading = next(e for e in po if e.msgctxt == "1 h2")
    assert f"{rel}.po:{heading.linenum}: error: a heading must be one line" in err
    entry = next(e for e in polib.pofile(str(notes)) if e.msgctxt == changed.msgctxt)
    assert (f"instructor_notes/06-ncpc-roles.md.po:{entry.linenum}: error: the translation drops "
            "'[[slide:VI-3]]'; adds '[[slide:VI-33]]'") in err
    assert "nothing was written" in err
    assert git(course, "status", "--porcelain") == before


def test_import_keeps_bom_and_crlf(course: Path) -> None:
    tr = course / "modules/06-ncpc-roles/activities/ncpc-roles.es.md"
    tr.write_bytes(b"\xef\xbb\xbf" + tr.read_bytes().replace(b"\n", b"\r\n"))
    commit(course, "windows editor")
    assert run(course, "export-po", "es") == 0
    assert run(course, "import-po", "es") == 0
    assert git(course, "status", "--porcelain", "--", "modules") == ""
    po_file = course / "translations/es/modules/06-ncpc-roles/activities/ncpc-roles.md.po"
    po = polib.pofile(str(po_file))
    po[0].msgstr = "Papeles de los CNPML: actividad"
    po.save()
    assert run(course, "import-po", "es") == 0
    text, bom, newline = read_source(tr)
    assert bom and newline == "\r\n" and "title: 'Papeles de los CNPML: actividad'" in text


def test_adapted_translation_falls_back_to_file_status(mini: Path, capsys) -> None:
    capsys.readouterr()
    assert run(mini, "status", "--json") == 0
    files = json.loads(capsys.readouterr().out)["languages"]["es"]["files"]
    module = next(f for f in files if f["source"] == "modules/01-basics/module.md")
    assert module["mode"] == "file"


def test_upstream_adds_and_removes_blocks(course: Path, capsys) -> None:
    """A new source version with a paragraph added and one removed: the rest stays current,
    the new one is missing, and import rebuilds the translation in the new structure."""
    src = course / "modules/06-ncpc-roles/module.md"
    text = src.read_text(encoding="utf-8")
    text = text.replace("## A wider mandate\n", "## A wider mandate\n\nA new paragraph about the mandate.\n")
    start = text.index("The small-group activity starts preparing")
    text = text[:start].rstrip("\n") + "\n"  # the last paragraph removed
    src.write_text(text, encoding="utf-8")
    commit(course, "upstream: new version")
    capsys.readouterr()
    assert run(course, "status", "--json", "--lang", "es") == 0
    f = next(f for f in json.loads(capsys.readouterr().out)["languages"]["es"]["files"]
             if f["source"] == "modules/06-ncpc-roles/module.md")
    assert f["mode"] == "blocks" and f["blocks"]["missing"] == 1 and f["blocks"]["stale"] == 0
    assert run(course, "export-po", "es") == 0
    po = _po(course, "es", "modules/06-ncpc-roles/module.md")
    new = next(e for e in po if e.msgid == "A new paragraph about the mandate.")
    assert new.msgstr == "" and not any(e.msgstr == "" for e in po if e is not new)
    new.msgstr = "Un párrafo nuevo sobre el mandato."
    po.save()
    assert run(course, "import-po", "es") == 0
    tr = (course / "modules/06-ncpc-roles/module.es.md").read_text(encoding="utf-8")
    assert "## Un mandato más amplio\n\nUn párrafo nuevo sobre el mandato.\n\nComo la producción" in tr
    assert "[[module:VII]]" not in tr  # the removed paragraph's translation went with it
    capsys.readouterr()
    assert run(course, "status", "--json", "--lang", "es") == 0
    f = next(f for f in json.loads(capsys.readouterr().out)["languages"]["es"]["files"]
             if f["source"] == "modules/06-ncpc-roles/module.md")
    assert f["state"] == "current" and f["blocks"] == {"current": 33, "stale": 0, "missing": 0}
    assert run(course, "check", "--lang", "es") == 0


def test_xliff_round_trip_with_review_state_and_errors_at_the_unit(course: Path, capsys) -> None:
    import xml.etree.ElementTree as ET

    from coursebook.xliff import NS

    src = course / "modules/06-ncpc-roles/module.md"
    src.write_text(src.read_text(encoding="utf-8").replace("The idea of national centres is not new.",
                                                           "The idea is not new."), encoding="utf-8")
    out = course / "xlf"
    assert run(course, "export-po", "es", "--format", "xliff", "--out", str(out)) == 0
    path = out / "es/modules/06-ncpc-roles/module.md.xlf"
    tree = ET.parse(path)
    units = {u.get("id"): u for u in tree.iter(f"{{{NS}}}trans-unit")}
    assert tree.getroot().get("version") == "1.2"
    stale = [u for u in units.values() if u.find(f"{{{NS}}}target").get("state") == "needs-review-translation"]
    assert len(stale) == 1 and stale[0].find(f"{{{NS}}}alt-trans/{{{NS}}}source").text.startswith(
        "The idea of national centres is not new.")
    last = next(u for u in units.values() if "[[module:VII]]" in u.find(f"{{{NS}}}source").text)
    target = last.find(f"{{{NS}}}target")
    target.text = target.text.replace("[[module:VII]]", "VII")
    stale[0].find(f"{{{NS}}}target").set("state", "translated")  # reviewed
    tree.write(path, encoding="utf-8", xml_declaration=True)
    line = next(i for i, x in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
                if f'id="{last.get("id")}"' in x)
    capsys.readouterr()
    assert run(course, "import-po", "es", "--from", str(out)) == 1
    assert f"module.md.xlf:{line}: error: the translation drops '[[module:VII]]'" in capsys.readouterr().err
    target.text = target.text.replace("VII", "[[module:VII]]", 1)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    assert run(course, "import-po", "es", "--from", str(out)) == 0
    capsys.readouterr()
    assert run(course, "status", "--json", "--lang", "es") == 0
    assert json.loads(capsys.readouterr().out)["languages"]["es"]["blocks"]["stale"] == 0


def test_import_never_writes_through_a_link_out_of_the_repository(course: Path, tmp_path: Path, capsys) -> None:
    assert run(course, "export-po", "es") == 0
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: Fuera\n---\n1. Nada.\n", encoding="utf-8")
    tr = course / "modules/06-ncpc-roles/activities/ncpc-roles.es.md"
    tr.unlink()
    tr.symlink_to(outside)
    po = _po(course, "es", "modules/06-ncpc-roles/activities/ncpc-roles.md")
    po[0].msgstr = "Otra cosa"
    po.save()
    capsys.readouterr()
    assert run(course, "import-po", "es") == 1
    assert "ncpc-roles.es.md" in capsys.readouterr().err
    assert outside.read_text(encoding="utf-8") == "---\ntitle: Fuera\n---\n1. Nada.\n"


def test_kitchen_sink_round_trip_keeps_its_own_markdown(tmp_path: Path) -> None:
    """Tabs, nested admonitions, solutions, tables, definition lists, footnotes, maths,
    code: exported and imported unchanged, then one definition and one box edited."""
    import shutil

    from .conftest import ROOT

    root = tmp_path / "kitchen"
    shutil.copytree(ROOT / "tests/fixtures/kitchen", root)
    tr = root / "modules/01-flows/module.es.md"
    before = tr.read_text(encoding="utf-8")
    assert run(root, "export-po", "es") == 0 and run(root, "import-po", "es") == 0
    assert tr.read_text(encoding="utf-8") == before
    po = _po(root, "es", "modules/01-flows/module.md")
    for e in po:
        e.msgstr = e.msgstr.replace("Una cuenta de todo", "Un recuento de todo").replace("Nunca estime", "Jamás estime")
    po.save()
    assert run(root, "import-po", "es") == 0
    after = tr.read_text(encoding="utf-8")
    assert after == before.replace("Una cuenta de todo", "Un recuento de todo").replace("Nunca estime", "Jamás estime")
    assert '!!! warning "Atención"\n    Jamás estime' in after  # the title the translation gave the box stays
