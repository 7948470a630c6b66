"""The PDF side of `pdf_assemble`: merge chapters' PDFs (pypdf) into one document that keeps
what WeasyPrint wrote in each (structure tree, outline, named destinations, links, metadata),
lay the page numbers over its pages, and write it compactly."""

from __future__ import annotations

import io
import zlib
from urllib.parse import unquote

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    create_string_object,
)

from .pdf_assemble import ANCHOR

NUMBER = "/CBPageNumber"  # the stamp's form XObject in a page's resources


def named_pages(reader: PdfReader) -> dict[str, int]:
    """A chapter's named destinations (every id WeasyPrint saw), each with its page index."""
    index = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    return {name: index[dest[0].idnum] for name, dest in _dests(reader)}


def _dests(reader: PdfReader) -> list[tuple[str, ArrayObject]]:
    names = reader.root_object.get("/Names")
    dests = names.get_object().get("/Dests") if names else None
    flat = dests.get_object().get("/Names", []) if dests else []  # WeasyPrint: one flat array
    return [(str(flat[i]), flat[i + 1].get_object()) for i in range(0, len(flat), 2)]


def merge(readers: list[PdfReader]) -> PdfWriter:
    """The readers' pages in order, with one structure tree, outline and set of named
    destinations; catalog entries, metadata and identifier of the first."""
    w = PdfWriter()
    first = readers[0]
    doc = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"),
                            NameObject("/S"): NameObject("/Document"), NameObject("/K"): ArrayObject()})
    doc_ref = w._add_object(doc)
    nums, key = ArrayObject(), 0
    outline_root = DictionaryObject({NameObject("/Type"): NameObject("/Outlines")})
    outline_ref = w._add_object(outline_root)
    top: list[IndirectObject] = []
    visible = 0
    names: dict[str, ArrayObject] = {}
    for r in readers:
        new = [w.add_page(p) for p in r.pages]
        ref = {old.indirect_reference.idnum: page.indirect_reference for old, page in zip(r.pages, new, strict=True)}
        base = key
        for old, page in zip(r.pages, new, strict=True):  # pypdf leaves StructParents out
            if "/StructParents" in old:
                page[NameObject("/StructParents")] = NumberObject(base + old["/StructParents"])
            for annot in page.get("/Annots", []):
                _annotation(annot.get_object(), base)
        tree = r.root_object.get("/StructTreeRoot")
        if tree is not None:
            tree = tree.get_object().clone(w)
            for kid in tree["/K"][0].get_object()["/K"]:
                kid.get_object()[NameObject("/P")] = doc_ref
                doc["/K"].append(kid)
            pairs = tree["/ParentTree"].get_object()["/Nums"]
            for i in range(0, len(pairs), 2):
                nums += [NumberObject(base + pairs[i]), pairs[i + 1]]
                key = max(key, base + pairs[i] + 1)
        for name, dest in _dests(r):
            names.setdefault(name, ArrayObject([ref[dest[0].idnum], *dest[1:]]))
        outlines = r.root_object.get("/Outlines")
        if outlines is not None and "/First" in outlines.get_object():
            top += _outline(w, outlines.get_object().raw_get("/First"), ref, outline_ref)
            visible += int(outlines.get_object().get("/Count", 0))
    root = w.root_object
    parent_tree = w._add_object(DictionaryObject({NameObject("/Nums"): nums}))
    struct_root = w._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/StructTreeRoot"), NameObject("/K"): ArrayObject([doc_ref]),
        NameObject("/ParentTree"): parent_tree}))
    doc[NameObject("/P")] = struct_root
    root[NameObject("/StructTreeRoot")] = struct_root
    if top:
        _siblings(w, top)
        outline_root.update({NameObject("/First"): top[0], NameObject("/Last"): top[-1],
                             NameObject("/Count"): NumberObject(visible)})
        root[NameObject("/Outlines")] = outline_ref
    flat = ArrayObject()
    for name in sorted(names):  # a name tree is sorted
        flat += [create_string_object(name), names[name]]
    root[NameObject("/Names")] = DictionaryObject({
        NameObject("/Dests"): w._add_object(DictionaryObject({NameObject("/Names"): flat}))})
    for entry in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata", "/PageMode", "/OutputIntents"):
        if entry in first.root_object:
            root[NameObject(entry)] = first.root_object.raw_get(entry).clone(w)
    w.add_metadata(dict(first.metadata or {}))
    ids = first.trailer.get("/ID")
    if ids:
        w._ID = ArrayObject(ByteStringObject(getattr(x, "original_bytes", x)) for x in ids)
    return w


def _annotation(annot: DictionaryObject, base: int) -> None:
    """Renumber a link's place in the parent tree; a link to another chapter's id becomes a
    link to that id's named destination, as WeasyPrint writes a link within one document."""
    if "/StructParent" in annot:
        annot[NameObject("/StructParent")] = NumberObject(base + annot["/StructParent"])
    action = annot.get("/A")
    uri = str(action.get_object().get("/URI", "")) if action is not None else ""
    if uri.startswith(ANCHOR):
        name = unquote(uri[len(ANCHOR):])
        del annot["/A"]
        annot[NameObject("/Dest")] = create_string_object(name)
        if "/Contents" in annot:
            annot[NameObject("/Contents")] = create_string_object(name)


def _outline(w: PdfWriter, item: IndirectObject | None, ref: dict[int, IndirectObject],
             parent: IndirectObject) -> list[IndirectObject]:
    """Copies of a chapter's bookmarks from `item` on (and their children), on the new pages."""
    out = []
    while item is not None:
        node = item.get_object()
        dest = node["/Dest"]
        copy = DictionaryObject({NameObject("/Title"): node["/Title"], NameObject("/Parent"): parent,
                                 NameObject("/Dest"): ArrayObject([ref[dest[0].idnum], *dest[1:]])})
        if "/Count" in node:
            copy[NameObject("/Count")] = NumberObject(node["/Count"])
        copy_ref = w._add_object(copy)
        children = _outline(w, node.raw_get("/First"), ref, copy_ref) if "/First" in node else []
        if children:
            _siblings(w, children)
            copy.update({NameObject("/First"): children[0], NameObject("/Last"): children[-1]})
        out.append(copy_ref)
        item = node.raw_get("/Next") if "/Next" in node else None
    return out


def _siblings(w: PdfWriter, items: list[IndirectObject]) -> None:
    for a, b in zip(items, items[1:], strict=False):
        a.get_object()[NameObject("/Next")] = b
        b.get_object()[NameObject("/Prev")] = a


def stamp_pages(w: PdfWriter, stamp: PdfReader) -> None:
    """Lay each stamp page (its page number) over the page of the same place, as a form
    XObject drawn after the page's own content, marked as an artifact (not read aloud)."""
    before = w._add_object(_stream(b"q\n"))
    after = w._add_object(_stream(f"Q\n/Artifact BMC {NUMBER} Do EMC\n".encode()))
    for page, sp in zip(w.pages, stamp.pages, strict=True):
        form = sp["/Contents"].get_object().clone(w)
        form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                     NameObject("/BBox"): ArrayObject(sp.mediabox),
                     NameObject("/Resources"): sp.raw_get("/Resources").clone(w)})
        resources = DictionaryObject(page["/Resources"])
        xobjects = DictionaryObject(resources["/XObject"]) if "/XObject" in resources else DictionaryObject()
        xobjects[NameObject(NUMBER)] = form.indirect_reference
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
        contents = page.raw_get("/Contents")
        own = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([before, *own, after])


def _stream(data: bytes) -> DecodedStreamObject:
    s = DecodedStreamObject()
    s.set_data(data)
    return s


def compact(w: PdfWriter) -> bytes:
    """The writer's PDF as WeasyPrint writes one: every object that is not a stream in one
    compressed object stream, with a cross-reference stream (pypdf writes each object plain:
    four times the size). Same objects and numbers; the same bytes for the same input."""
    out = io.BytesIO()
    out.write(w.pdf_header.encode() + b"\n%\xf0\x9f\x96\xa4\n")
    rows: list[tuple[int, int, int]] = [(0, 0, 65535)]  # the cross-reference entries, by number
    packed: list[bytes] = []
    stream_number = len(w._objects) + 1
    for number, obj in enumerate(w._objects, start=1):
        if obj is None:
            rows.append((0, 0, 0))
        elif isinstance(obj, StreamObject):
            rows.append((1, out.tell(), 0))
            out.write(b"%d 0 obj\n%s\nendobj\n" % (number, _serial(obj)))
        else:
            rows.append((2, stream_number, len(packed)))
            packed.append(_serial(obj))
    numbers = [n for n, row in enumerate(rows) if row[0] == 2]  # of the packed objects, in order
    index, position = [], 0
    for number, data in zip(numbers, packed, strict=True):
        index.append(f"{number} {position}")
        position += len(data) + 1  # joined by newlines
    head = " ".join(index).encode() + b"\n"
    data = zlib.compress(head + b"\n".join(packed), 9)
    rows.append((1, out.tell(), 0))
    out.write(b"%d 0 obj\n<</Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d>>\nstream\n"
              % (stream_number, len(packed), len(head), len(data)) + data + b"\nendstream\nendobj\n")
    xref_number, xref_at = stream_number + 1, out.tell()
    rows.append((1, xref_at, 0))
    table = zlib.compress(b"".join(t.to_bytes(1, "big") + a.to_bytes(4, "big") + b.to_bytes(4, "big")
                                   for t, a, b in rows), 9)
    trailer = DictionaryObject({
        NameObject("/Type"): NameObject("/XRef"), NameObject("/Size"): NumberObject(len(rows)),
        NameObject("/W"): ArrayObject([NumberObject(1), NumberObject(4), NumberObject(4)]),
        NameObject("/Root"): w.root_object.indirect_reference,
        NameObject("/Filter"): NameObject("/FlateDecode"), NameObject("/Length"): NumberObject(len(table))})
    if w._info is not None:
        trailer[NameObject("/Info")] = w._info.indirect_reference
    if w._ID is not None:
        trailer[NameObject("/ID")] = w._ID
    out.write(b"%d 0 obj\n%s\nstream\n" % (xref_number, _serial(trailer)) + table
              + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at)
    return out.getvalue()


def _serial(obj: object) -> bytes:
    buf = io.BytesIO()
    obj.write_to_stream(buf)  # type: ignore[attr-defined]
    return buf.getvalue()
