"""Word documents (.docx) with python-docx: paragraphs, headings and tables in document order.

python-docx lists paragraphs and tables separately; walking the body's XML children keeps them
in the order the author wrote them. A table row becomes one line with its cells separated by
" | " (a merged cell is listed once), and each row is a paragraph of its own, so that a long
table of provisions splits into passages like running text does.

A .docx is a zip: a 1 MB file can unpack to 300 MB of XML, which lxml would parse whole. Before
python-docx sees it, the declared sizes of its XML parts are checked and each is read through
with a running count (declared sizes can lie), against UNPACK_RATIO times the document size
limit plus room for the styles and themes every Word file carries. Pictures are not parsed;
what they take counts against the memory limit of the process that reads the file.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from . import Extracted, ReadError, TooLarge, megabytes, short_title, text_too_large

# Word's XML holds 5 to 20 bytes of markup per byte of text; beyond this many times the size
# limit, a package is a bomb, not a document. Styles, themes and settings come on top (python-
# docx's own empty document has 0.8 MB of them).
UNPACK_RATIO = 8
UNPACK_ROOM = 4 * 1024 * 1024
_CHUNK = 1024 * 1024


def read(path: Path, data: bytes, max_bytes: int | None = None) -> Extracted:
    if max_bytes is not None:
        _check_unpacked_size(data, UNPACK_RATIO * max_bytes + UNPACK_ROOM, max_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:
        raise ReadError(f"not a readable Word file ({type(e).__name__})")
    blocks: list[str] = []
    size = 0
    first_heading = ""
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        before = len(blocks)
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = " ".join(paragraph.text.split())
            if text:
                blocks.append(text)
                style = (paragraph.style.name or "") if paragraph.style is not None else ""
                if not first_heading and (style.startswith("Heading") or style == "Title"):
                    first_heading = text
        elif tag == "tbl":
            blocks.extend(_table_rows(Table(child, document)))
        size += sum(len(b.encode("utf-8", "surrogatepass")) + 2 for b in blocks[before:])  # + "\n\n"
        if max_bytes is not None and size > max_bytes + 2:  # stop early: the walk is bounded too
            raise text_too_large(max_bytes)
    if not blocks:
        raise ReadError("Word file has no text")
    title = (document.core_properties.title or "").strip() or first_heading or short_title(blocks[0])
    return Extracted(text="\n\n".join(blocks), title=title)


def _check_unpacked_size(data: bytes, cap: int, max_bytes: int) -> None:
    """Raise TooLarge when the XML parts unpack to more than cap bytes, declared or real."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        parts = [p for p in package.infolist() if p.filename.lower().endswith((".xml", ".rels"))]
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise ReadError(f"not a readable Word file ({type(e).__name__})")
    too_large = TooLarge(f"its XML unpacks to more than {megabytes(cap)} (allowed for the "
                         f"{megabytes(max_bytes)} limit for one document)")
    if sum(p.file_size for p in parts) > cap:
        raise too_large
    total = 0
    for part in parts:
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):  # all Word writes
            raise ReadError("not a readable Word file (unusual zip compression)")
        try:
            with package.open(part) as f:
                while chunk := f.read(_CHUNK):
                    total += len(chunk)
                    if total > cap:
                        raise too_large
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError) as e:
            raise ReadError(f"not a readable Word file ({type(e).__name__})")


def _table_rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell appears once per grid column it covers
                continue
            seen.add(id(cell._tc))
            text = " ".join(cell.text.split())
            if text:
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return rows
