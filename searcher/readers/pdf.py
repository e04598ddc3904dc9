"""PDF text in reading order, with pdfminer.six's layout analysis.

pdfminer finds the text boxes of each page and their positions; what it does not do reliably is
order them on multi-column pages (the bundled provincial paper shows the result: two columns
interleaved line by line). So the order is ours:

1. Running headers and footers are dropped: lines in the top or bottom margin that repeat on
   most pages (digits ignored, so "Trang 3" and "Trang 4" repeat), and lone page numbers.
2. Boxes wider than most of the page (titles, headlines) cut the page into bands; inside a band,
   boxes are grouped into columns by their horizontal extent, read left to right, each top down.
3. Each box's lines are rejoined into a paragraph (see readers.join_lines), and a paragraph that
   runs on from the bottom of a column or page into the next box — it ends without a full stop
   and the next starts in lower case — is joined to it.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import TITLE_MAX_CHARS, Extracted, ReadError, join_lines

MARGIN = 0.08  # share of the page height at the top and bottom where headers and footers live
SPANNING = 0.6  # a box wider than this share of the page's text width spans all columns
_PAGE_NUMBER_RE = re.compile(r"^(?:trang|page|tr\.)?\s*[-–—]?\s*\d{1,4}\s*(?:[-–—]|/\s*\d{1,4})?$", re.I)
_SENTENCE_END = tuple(".!?…:;\"”»)")


@dataclass
class Box:
    x0: float
    y0: float
    x1: float
    y1: float
    lines: list[str]


def read(path: Path, data: bytes) -> Extracted:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox, LTTextLine
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pages = []
        for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
            boxes = []
            for element in page:
                if isinstance(element, LTTextBox):
                    lines = [ln.get_text().strip() for ln in element if isinstance(ln, LTTextLine)]
                    lines = [ln for ln in lines if ln]
                    if lines:
                        boxes.append(Box(element.x0, element.y0, element.x1, element.y1, lines))
            pages.append((page.width, page.height, boxes))
    except PDFPasswordIncorrect:
        raise ReadError("encrypted PDF (password needed)")
    if not pages:
        raise ReadError("PDF has no pages")
    if not any(boxes for _, _, boxes in pages):
        raise ReadError("no text layer; OCR it first")

    pages = _drop_running_lines(pages)
    paragraphs: list[tuple[int, str]] = []  # (page number, text)
    for number, (width, _, boxes) in enumerate(pages, 1):
        for box in _reading_order(boxes, width):
            text = join_lines(box.lines)
            if not text:
                continue
            if paragraphs and _runs_on(paragraphs[-1][1], text):
                paragraphs[-1] = (paragraphs[-1][0], join_lines([paragraphs[-1][1], text]))
            else:
                paragraphs.append((number, text))

    text, page_starts = "", []
    for number, paragraph in paragraphs:
        if text:
            text += "\n\n"
        while len(page_starts) < number:
            page_starts.append(len(text))
        text += paragraph
    return Extracted(text=text, title=_title(data, paragraphs, path), page_starts=page_starts)


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _drop_running_lines(pages):
    """Remove header/footer lines: in a margin band, and a page number or repeated on most pages."""

    def in_margin(box: Box, height: float) -> bool:
        return box.y0 > height * (1 - MARGIN) or box.y1 < height * MARGIN

    repeats: Counter = Counter()
    for _, height, boxes in pages:
        repeats.update({_key(ln) for b in boxes if in_margin(b, height) for ln in b.lines})
    running = {k for k, n in repeats.items() if len(pages) >= 2 and n >= max(2, len(pages) / 2)}
    out = []
    for width, height, boxes in pages:
        kept = []
        for box in boxes:
            if in_margin(box, height):
                lines = [ln for ln in box.lines if _key(ln) not in running and not _PAGE_NUMBER_RE.match(ln)]
                if not lines:
                    continue
                box = Box(box.x0, box.y0, box.x1, box.y1, lines)
            kept.append(box)
        out.append((width, height, kept))
    return out


def _reading_order(boxes: list[Box], page_width: float) -> list[Box]:
    """Bands cut by spanning boxes; within a band, columns left to right, each top down."""
    if not boxes:
        return []
    left = min(b.x0 for b in boxes)
    right = max(b.x1 for b in boxes)
    text_width = max(right - left, 1.0)
    ordered: list[Box] = []
    band: list[Box] = []
    for box in sorted(boxes, key=lambda b: -b.y1):
        if box.x1 - box.x0 > SPANNING * text_width:
            ordered.extend(_columns(band))
            band = []
            ordered.append(box)
        else:
            band.append(box)
    ordered.extend(_columns(band))
    return ordered


def _columns(boxes: list[Box]) -> list[Box]:
    columns: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.x0):
        for column in columns:
            x0 = min(b.x0 for b in column)
            x1 = max(b.x1 for b in column)
            overlap = min(x1, box.x1) - max(x0, box.x0)
            if overlap > 0.5 * min(box.x1 - box.x0, x1 - x0):
                column.append(box)
                break
        else:
            columns.append([box])
    columns.sort(key=lambda c: min(b.x0 for b in c))
    return [box for column in columns for box in sorted(column, key=lambda b: -b.y1)]


def _runs_on(previous: str, text: str) -> bool:
    """Does text continue the previous paragraph (cut by a column or page end)?"""
    return not previous.endswith(_SENTENCE_END) and text[:1].islower()


def _title(data: bytes, paragraphs: list[tuple[int, str]], path: Path) -> str:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.utils import decode_text

    try:
        info = PDFDocument(PDFParser(io.BytesIO(data))).info
        raw = info[0].get("Title") if info else None
        if isinstance(raw, bytes):
            raw = decode_text(raw)
        if isinstance(raw, str) and raw.strip():
            return raw.strip()
    except Exception:
        pass  # a damaged info dictionary: fall back to the first heading
    first = next((p for n, p in paragraphs if n == 1), "")
    return first if 0 < len(first) <= TITLE_MAX_CHARS else path.stem
