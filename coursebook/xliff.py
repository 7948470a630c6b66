"""XLIFF 1.2 for CAT tools that prefer it to PO: the same entries, one `trans-unit` each.

Written here rather than by translate-toolkit's po2xliff, which writes XLIFF 1.1 and drops
`msgctxt`: a unit's `id` and `resname` are the PO context (`12 p`, `meta title`), so import
places it exactly; a fuzzy entry's target is `needs-review-translation`, with the source it
was translated from as an `alt-trans`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import polib

NS = "urn:oasis:names:tc:xliff:document:1.2"
REVIEW = "needs-review-translation"


def to_xliff(po: polib.POFile, original: str, source_lang: str, lang: str) -> bytes:
    """One PO catalogue as an XLIFF 1.2 document."""
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}xliff", version="1.2")
    file = ET.SubElement(root, f"{{{NS}}}file", original=original, datatype="x-markdown",
                         attrib={"source-language": source_lang, "target-language": lang})
    if po.header:
        ET.SubElement(ET.SubElement(file, f"{{{NS}}}header"), f"{{{NS}}}note").text = po.header
    body = ET.SubElement(file, f"{{{NS}}}body")
    for e in po:
        fuzzy = "fuzzy" in e.flags
        unit = ET.SubElement(body, f"{{{NS}}}trans-unit", id=e.msgctxt or e.msgid[:60], resname=e.msgctxt or "",
                             approved="yes" if e.msgstr and not fuzzy else "no")
        unit.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        ET.SubElement(unit, f"{{{NS}}}source").text = e.msgid
        target = ET.SubElement(unit, f"{{{NS}}}target")
        target.text = e.msgstr
        target.set("state", REVIEW if fuzzy else "translated" if e.msgstr else "new")
        if fuzzy and e.previous_msgid:
            alt = ET.SubElement(unit, f"{{{NS}}}alt-trans")
            ET.SubElement(alt, f"{{{NS}}}source").text = e.previous_msgid
            ET.SubElement(alt, f"{{{NS}}}target").text = e.msgstr
        if e.comment:
            ET.SubElement(unit, f"{{{NS}}}note", {"from": "developer"}).text = e.comment
        for path, line in e.occurrences:
            group = ET.SubElement(unit, f"{{{NS}}}context-group", purpose="location")
            ET.SubElement(group, f"{{{NS}}}context", {"context-type": "sourcefile"}).text = path
            ET.SubElement(group, f"{{{NS}}}context", {"context-type": "linenumber"}).text = line
    ET.indent(root, "  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def from_xliff(path: Path) -> polib.POFile:
    """An XLIFF 1.2 (or 1.1) file as a PO catalogue; each entry's `linenum` is its unit's
    line in the XLIFF file, so problems are reported there. ValueError when unreadable."""
    lines: dict[int, int] = {}
    parser = ET.XMLPullParser(events=("start",))
    units = []
    try:
        data = path.read_bytes()
        for number, raw in enumerate(data.split(b"\n"), 1):
            parser.feed(raw + b"\n")
            for _, el in parser.read_events():
                if el.tag.endswith("}trans-unit") or el.tag == "trans-unit":
                    lines[id(el)] = number
                    units.append(el)
        parser.close()
    except ET.ParseError as exc:
        raise ValueError(f"not valid XML: {exc}") from exc
    po = polib.POFile()
    for unit in units:
        def child(el: ET.Element, name: str) -> ET.Element | None:
            return next((c for c in el if c.tag.rsplit("}", 1)[-1] == name), None)

        source, target = child(unit, "source"), child(unit, "target")
        if source is None:
            continue
        e = polib.POEntry(msgid="".join(source.itertext()), msgctxt=unit.get("resname") or unit.get("id"),
                          msgstr="".join(target.itertext()) if target is not None else "")
        state = target.get("state", "") if target is not None else ""
        if e.msgstr and state.startswith("needs-"):  # a reviewed unit is "translated", "final" …
            e.flags.append("fuzzy")
        e.linenum = lines.get(id(unit), 0)
        po.append(e)
    return po
