"""Word documents (.docx) with python-docx: paragraphs, headings and tables in document order.

python-docx lists paragraphs and tables separately; walking the body's XML children keeps them
in the order the author wrote them. A table row becomes one line with its cells separated by
" | " (a merged cell is listed once), and each row is a paragraph of its own, so that a long
table of provisions splits into passages like running text does.
"""
from __future__ import annotations

import io
from pathlib import Path

from . import Extracted, ReadError, short_title


def read(path: Path, data: bytes) -> Extracted:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:
        raise ReadError(f"not a readable Word file ({type(e).__name__})")
    blocks: list[str] = []
    first_heading = ""
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
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
    if not blocks:
        raise ReadError("Word file has no text")
    title = (document.core_properties.title or "").strip() or first_heading or short_title(blocks[0])
    return Extracted(text="\n\n".join(blocks), title=title)


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
