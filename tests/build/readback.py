"""Read built outputs back as a participant would get them: pages, PDFs, decks, the zip.

Shared by the kitchen-sink and the real-lesson tests. Each helper returns what is wrong
(a list of problems, empty when all is well), so a failing test names every offender at once.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.etree
import lxml.html
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

LINK_ATTRS = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
              ("source", "src"), ("iframe", "src"), ("object", "data"))
MARK = re.compile(r"TRAINER-?\s*MARK")  # a PDF may hyphenate the marker word


def pages(site_lang: Path) -> list[Path]:
    """Every HTML page of one edition (site pages and HTML decks), not Material's assets.

    404.html is left out: a web server sends it for any missing URL, so MkDocs gives it
    root-absolute links on purpose; it is never opened from a file.
    """
    return sorted(p for p in site_lang.rglob("*.html")
                  if "assets" not in p.relative_to(site_lang).parts and p.name != "404.html")


def participant_pages(site_lang: Path) -> list[Path]:
    return [p for p in pages(site_lang) if p.relative_to(site_lang).parts[0] != "trainer"]


def relative(url: str) -> str | None:
    """The path part of a relative URL, or None for anything else (http:, #x, data:, …)."""
    if not url or url.startswith(("#", "//")) or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url):
        return None
    path = unquote(urlsplit(url).path)
    return path or None


def targets(page: Path, tags: tuple[tuple[str, str], ...] = LINK_ATTRS) -> list[tuple[str, str]]:
    """(tag, url) of every relative reference in a page."""
    tree = lxml.html.fromstring(page.read_bytes())
    found = []
    for tag, attr in tags:
        for el in tree.iter(tag):
            url = el.get(attr)
            if url is not None and relative(url) is not None:
                found.append((tag, url))
    return found


def resolve(page: Path, url: str) -> Path:
    path = relative(url) or ""
    target = (page.parent / path).resolve()
    return target / "index.html" if path.endswith("/") else target


def broken(root: Path, tags: tuple[tuple[str, str], ...] = LINK_ATTRS,
           only: list[Path] | None = None, inside: Path | None = None) -> list[str]:
    """References of the pages under `root` whose target file does not exist.

    With `inside`, a target outside that folder counts as broken too (a zip cannot reach it),
    except a link into another language's edition (the language switcher).
    """
    problems = []
    for page in only if only is not None else pages(root):
        for tag, url in targets(page, tags):
            target = resolve(page, url)
            if inside is not None and not target.is_relative_to(inside.resolve()):
                continue
            if inside is not None and target.suffix == ".zip" and target.parent.name == "downloads":
                continue  # the downloads page links the zip itself, which a zip cannot hold
            if not target.is_file():
                problems.append(f"{page.relative_to(root)}: <{tag}> {url}")
    return problems


def leaving(root: Path) -> list[str]:
    """References that leave `root` (for an unpacked zip: links it cannot follow)."""
    out = []
    for page in pages(root):
        for tag, url in targets(page):
            if not resolve(page, url).is_relative_to(root.resolve()):
                out.append(f"{page.relative_to(root)}: <{tag}> {url}")
    return out


def images(page: Path) -> list[lxml.html.HtmlElement]:
    return list(lxml.html.fromstring(page.read_bytes()).iter("img"))


def pdf_text(data: bytes | Path) -> str:
    """The text of a PDF (pdftotext -layout), hyphenated line breaks joined again."""
    raw = data.read_bytes() if isinstance(data, Path) else data
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=raw, capture_output=True,
                         check=True).stdout.decode("utf-8")
    return re.sub(r"(\w)-[ \t]*\n\s*(\w)", r"\1-\2", out.replace("\u00ad", ""))


def pdf_image_count(pdf: Path) -> int:
    """Raster images in a PDF (`pdfimages -list`); SVG figures are vector and not counted."""
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    return max(0, len(out.strip().splitlines()) - 2)


def pdf_text_colours(pdf: Path) -> dict[str, set[tuple[float, ...]]]:
    """Fill colour of every text run in a PDF: {text: {colours}} (to see highlighted code)."""
    from pypdf import PdfReader

    colours: dict[str, set[tuple[float, ...]]] = {}
    state: dict[str, tuple[float, ...]] = {"fill": (0.0,)}

    def before(op: bytes, args: list, cm: list, tm: list) -> None:
        if op in (b"rg", b"g", b"k", b"sc", b"scn"):
            try:
                state["fill"] = tuple(round(float(a), 3) for a in args)
            except (TypeError, ValueError):
                pass

    def text(t: str, cm: list, tm: list, font: object, size: float) -> None:
        if t.strip():
            colours.setdefault(t.strip(), set()).add(state["fill"])

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return colours


def _shapes(shapes):
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _shapes(shape.shapes)
        else:
            yield shape


def pptx_slides(data: bytes | Path) -> list[dict]:
    """Per slide of a PPTX: its text, its notes, its number of pictures."""
    raw = data.read_bytes() if isinstance(data, Path) else data
    out = []
    for slide in Presentation(io.BytesIO(raw)).slides:
        texts, pictures = [], 0
        for shape in _shapes(slide.shapes):
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE or getattr(shape, "image", None) is not None:
                pictures += 1
            elif shape.is_placeholder and shape.placeholder_format.type is not None \
                    and "PICTURE" in str(shape.placeholder_format.type) and hasattr(shape, "image"):
                pictures += 1
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                texts.extend(c.text for row in shape.table.rows for c in row.cells)
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        out.append({"text": "\n".join(texts), "notes": notes, "pictures": pictures})
    return out


def pptx_text(data: bytes | Path) -> str:
    return "\n".join(s["text"] + "\n" + s["notes"] for s in pptx_slides(data))


def _tag_free(markup: str) -> str:
    """The text of an HTML fragment (entities decoded), then every attribute value (alt,
    title, aria-label … are read too)."""
    if "<" not in markup and "&" not in markup:
        return markup
    try:
        tree = lxml.html.fromstring(markup)
    except (lxml.etree.ParserError, ValueError):
        return markup
    values = [v for el in tree.iter() if isinstance(el.tag, str) for v in el.attrib.values()]
    return "\n".join([tree.text_content(), *values])


def _json_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *_json_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _json_strings(v)]
    return []


def readable(name: str, data: bytes) -> str:
    """The text a participant could read in a file: HTML as its text (tags removed, attribute
    values after it), JSON as its strings (tags removed), PDF and PPTX extracted, other text as is."""
    if name.endswith(".pdf"):
        return pdf_text(data)
    if name.endswith(".pptx"):
        return pptx_text(data)
    text = data.decode("utf-8", "replace")
    if name.endswith(".html"):
        return _tag_free(text)
    if name.endswith(".json"):
        try:
            return "\n".join(_tag_free(s) for s in _json_strings(json.loads(text)))
        except ValueError:
            return text
    if name.endswith((".js", ".xml", ".txt", ".md", ".csv")):
        return text
    return ""


def participant_files(site_lang: Path) -> dict[str, bytes]:
    """Every file a participant gets from one edition, by name; zip members as `zip!member`."""
    files: dict[str, bytes] = {}
    for p in sorted(site_lang.rglob("*")):
        rel = p.relative_to(site_lang).as_posix()
        # trainer pages, and the authors' pages (the translators' page quotes trainer notes), are
        # for trainers and authors on the published site; a zip for participants has neither
        if not p.is_file() or rel.startswith(("trainer/", "guide/", "assets/")) or "trainers-guide" in rel:
            continue
        if p.suffix == ".zip":
            with zipfile.ZipFile(p) as z:
                for member in z.namelist():
                    assert not member.startswith(("trainer/", "guide/")), f"{rel} holds {member}"
                    if not member.startswith("assets/"):
                        files[f"{rel}!{member}"] = z.read(member)
        elif p.suffix in (".html", ".json", ".js", ".pdf", ".pptx", ".xml"):
            files[rel] = p.read_bytes()
    return files


def trainer_text_in(files: dict[str, bytes]) -> list[str]:
    """Names of the files whose readable text holds a trainer marker."""
    return [name for name, data in files.items() if MARK.search(readable(name, data))]


def unzip(zip_path: Path) -> Path:
    """Unpack a zip into a fresh temporary folder (kept for the session)."""
    dest = Path(tempfile.mkdtemp(prefix="offline-"))
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(dest)
    return dest


def words(markdown: str) -> list[str]:
    """Plain words of a Markdown slide body (to find its text in a PPTX)."""
    text = re.sub(r"<!--.*?-->|!\[[^\]]*\]\([^)]*\)|\[\[[^\]]*\]\]|```.*?```|\$\$.*?\$\$|\$[^$]*\$",
                  " ", markdown, flags=re.S)
    text = re.sub(r"^\s*(?:#+|[-*]|\d+\.|\|\|\||!!!.*|\?\?\?.*)\s*", " ", text, flags=re.M)
    return [w for w in re.findall(r"[^\W_][\w'’-]*", text) if len(w) > 3]
