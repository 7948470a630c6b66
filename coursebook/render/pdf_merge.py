"""The PDF side of `pdf_assemble`: merge chapters' PDFs into one document that keeps what
WeasyPrint wrote in each (structure tree, outline, named destinations, links, metadata), lay
the page numbers over its pages, and write it compactly. qpdf (through pikepdf) copies the
chapters' objects: in C++, so assembling 200 chapters after one was edited takes a second,
not the half minute pure-Python copying took."""

from __future__ import annotations

import warnings
from pathlib import Path
from urllib.parse import unquote

from pikepdf import Array, Dictionary, Name, Object, ObjectStreamMode, Pdf, String

from .pdf_assemble import ANCHOR

NUMBER = "/CBPageNumber"  # the stamp's form XObject in a page's resources


def named_pages(pdf: Pdf) -> dict[str, int]:
    """A chapter's named destinations (every id WeasyPrint saw), each with its page index."""
    index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
    return {name: index[dest[0].objgen] for name, dest in _dests(pdf)}


def _dests(pdf: Pdf) -> list[tuple[str, Array]]:
    names = pdf.Root.get("/Names")
    dests = names.get("/Dests") if names is not None else None
    flat = dests.get("/Names", Array()) if dests is not None else Array()  # WeasyPrint: one flat array
    return [(str(flat[i]), flat[i + 1]) for i in range(0, len(flat), 2)]


def merge(chapters: list[Pdf]) -> Pdf:
    """The chapters' pages in order, with one structure tree, outline and set of named
    destinations; catalog entries, metadata and identifier of the first."""
    w = Pdf.new()
    first = chapters[0]
    doc = w.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
    nums: list[Object | int] = []
    key = 0
    outline_root = w.make_indirect(Dictionary(Type=Name.Outlines))
    top: list[Dictionary] = []
    visible = 0
    names: dict[str, Array] = {}
    for r in chapters:
        start = len(w.pages)
        with warnings.catch_warnings():  # "named destinations are not kept": they are, below
            warnings.simplefilter("ignore")
            w.pages.extend(r.pages)  # qpdf copies each page with what it uses, once per chapter
        new = [w.pages[i].obj for i in range(start, len(w.pages))]
        ref = {old.obj.objgen: page for old, page in zip(r.pages, new, strict=True)}
        base = key
        for page in new:
            if "/StructParents" in page:
                page.StructParents = base + int(page.StructParents)
            for annot in page.get("/Annots", Array()):
                _annotation(annot, base)
        tree = r.Root.get("/StructTreeRoot")
        if tree is not None:
            tree = w.copy_foreign(tree)  # the pages it names are the ones copied above
            for kid in tree.K[0].K:
                kid.P = doc
                doc.K.append(kid)
            pairs = tree.ParentTree.Nums
            for i in range(0, len(pairs), 2):
                n = base + int(pairs[i])
                nums += [n, pairs[i + 1]]
                key = max(key, n + 1)
        for name, dest in _dests(r):
            if name not in names:
                names[name] = _moved(dest, ref)
        outlines = r.Root.get("/Outlines")
        if outlines is not None and "/First" in outlines:
            top += _outline(w, outlines.First, ref, outline_root)
            visible += int(outlines.get("/Count", 0))
    root = w.Root
    parent_tree = w.make_indirect(Dictionary(Nums=Array(nums)))
    struct_root = w.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([doc]), ParentTree=parent_tree))
    doc.P = struct_root
    root.StructTreeRoot = struct_root
    if top:
        _siblings(top)
        outline_root.First, outline_root.Last, outline_root.Count = top[0], top[-1], visible
        root.Outlines = outline_root
    flat: list[Object] = []
    for name in sorted(names):  # a name tree is sorted
        flat += [String(name), names[name]]
    root.Names = Dictionary(Dests=w.make_indirect(Dictionary(Names=Array(flat))))
    for entry in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata", "/PageMode", "/OutputIntents"):
        if entry in first.Root:
            root[entry] = _foreign(w, first.Root[entry])
    if "/Info" in first.trailer:
        w.trailer.Info = _foreign(w, first.trailer.Info)
    if "/ID" in first.trailer:
        w.trailer.ID = Array([String(bytes(x)) for x in first.trailer.ID])
    return w


def _foreign(w: Pdf, obj: Object) -> Object:
    """`obj` of another PDF in `w`: qpdf copies indirect objects only, so walk direct ones."""
    if not isinstance(obj, Object):  # pikepdf gives numbers and booleans as Python's
        return obj
    if obj.is_indirect:
        return w.copy_foreign(obj)
    if isinstance(obj, Array):
        return Array([_foreign(w, x) for x in obj])
    if isinstance(obj, Dictionary):
        return Dictionary({k: _foreign(w, v) for k, v in obj.items()})
    return obj


def _annotation(annot: Dictionary, base: int) -> None:
    """Renumber a link's place in the parent tree; a link to another chapter's id becomes a
    link to that id's named destination, as WeasyPrint writes a link within one document."""
    if "/StructParent" in annot:
        annot.StructParent = base + int(annot.StructParent)
    action = annot.get("/A")
    uri = str(action.get("/URI", "")) if action is not None else ""
    if uri.startswith(ANCHOR):
        name = unquote(uri[len(ANCHOR):])
        del annot["/A"]
        annot.Dest = String(name)
        if "/Contents" in annot:
            annot.Contents = String(name)


def _outline(w: Pdf, item: Dictionary | None, ref: dict[tuple[int, int], Dictionary],
             parent: Dictionary) -> list[Dictionary]:
    """Copies of a chapter's bookmarks from `item` on (and their children), on the new pages."""
    out = []
    while item is not None:
        copy = w.make_indirect(Dictionary(Title=String(str(item.Title)), Parent=parent,
                                          Dest=_moved(item.Dest, ref)))
        if "/Count" in item:
            copy.Count = int(item.Count)
        children = _outline(w, item.First, ref, copy) if "/First" in item else []
        if children:
            _siblings(children)
            copy.First, copy.Last = children[0], children[-1]
        out.append(copy)
        item = item.Next if "/Next" in item else None
    return out


def _moved(dest: Array, ref: dict[tuple[int, int], Dictionary]) -> Array:
    """A chapter's destination [page, /XYZ, left, top, zoom] on that page's copy in the whole."""
    return Array([ref[dest[0].objgen], *list(dest)[1:]])


def _siblings(items: list[Dictionary]) -> None:
    for a, b in zip(items, items[1:], strict=False):
        a.Next, b.Prev = b, a


def stamp_pages(w: Pdf, stamp: Pdf) -> None:
    """Lay each stamp page (its page number) over the page of the same place, as a form
    XObject drawn after the page's own content, marked as an artifact (not read aloud)."""
    before = w.make_stream(b"q\n")
    after = w.make_stream(f"Q\n/Artifact BMC {NUMBER} Do EMC\n".encode())
    for page, sp in zip(w.pages, stamp.pages, strict=True):
        form = w.copy_foreign(sp.as_form_xobject())
        page = page.obj
        resources = Dictionary(dict(page.Resources.items()))  # WeasyPrint shares one between pages
        xobjects = Dictionary(dict(resources.XObject.items())) if "/XObject" in resources else Dictionary()
        xobjects[NUMBER] = form
        resources.XObject = xobjects
        page.Resources = resources
        contents = page.Contents
        own = list(contents) if isinstance(contents, Array) else [contents]
        page.Contents = Array([before, *own, after])


def save(w: Pdf, out: Path) -> None:
    """Written as WeasyPrint writes a PDF: objects packed in object streams, a
    cross-reference stream; the same bytes for the same input."""
    w.save(out, object_stream_mode=ObjectStreamMode.generate, compress_streams=True,
           deterministic_id=True, fix_metadata_version=False)
