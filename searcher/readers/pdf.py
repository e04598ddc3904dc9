"""PDF text in reading order, with pdfminer.six's layout analysis.

pdfminer finds the text boxes of each page and their positions; what it does not do reliably is
order them on multi-column pages (the bundled provincial paper shows the result: two columns
interleaved line by line). So the order is ours:

1. Running headers and footers are dropped: lines in the top or bottom margin that repeat on
   most pages (digits ignored, so "Trang 3" and "Trang 4" repeat), and lone page numbers.
2. Full-width lines cut the page into bands; inside a band, boxes are grouped into columns by
   their horizontal extent, read left to right, each top down. A line is full-width when it is
   wider than most of the text, or when it has nothing beside it on its row and either crosses
   the gutter between columns or is centred on the page, as a title or heading narrower than the
   columns together is. The gutter is an x-range that (almost) no other line crosses, with text
   on both sides. A narrower line with text beside it is a column line wherever it lies: the two
   cells of a legal document's header (agency and number left, national motto and date right)
   are read cell by cell even where they straddle the body's gutter, and the centred title under
   them is not taken into the cell above it. pdfminer may put a title in one text box with the
   first line of the column under it: boxes are split where lines change from full-width to
   column lines, so a title reads before its columns and never runs into them.
3. Each box's lines are rejoined into a paragraph (see readers.join_lines), and a paragraph that
   runs on from the bottom of a column or page into the next box — it ends without a full stop
   and the next starts in lower case — is joined to it.
"""
from __future__ import annotations

import io
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTTextBox, LTTextLine
from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFParser
from pdfminer.utils import decode_text

from . import TITLE_MAX_CHARS, Extracted, ReadError, join_lines, text_too_large

MARGIN = 0.08  # share of the page height at the top and bottom where headers and footers live
SPANNING = 0.6  # a line wider than this share of the page's text width spans all columns
CENTRED = 0.05  # a line whose middle is this share of the half text width from the page's is centred
MIN_GUTTER = 4  # points: the narrowest white strip between columns
_PAGE_NUMBER_RE = re.compile(r"^(?:trang|page|tr\.)?\s*[-–—]?\s*\d{1,4}\s*(?:[-–—]|/\s*\d{1,4})?$", re.I)
_SENTENCE_END = tuple(".!?…:;\"”»)")


@dataclass
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class Box:
    """A text box: lines pdfminer grouped together, top down, and the rectangle they cover."""

    lines: list[Line]
    x0: float = field(init=False)
    y0: float = field(init=False)
    x1: float = field(init=False)
    y1: float = field(init=False)

    def __post_init__(self):
        self.x0 = min(ln.x0 for ln in self.lines)
        self.y0 = min(ln.y0 for ln in self.lines)
        self.x1 = max(ln.x1 for ln in self.lines)
        self.y1 = max(ln.y1 for ln in self.lines)

    @property
    def texts(self) -> list[str]:
        return [ln.text for ln in self.lines]


def read(path: Path, data: bytes, max_bytes: int | None = None) -> Extracted:
    try:
        pages = []
        size = 0  # UTF-8 bytes of text so far, checked after each page: a huge document stops early
        for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
            boxes = []
            for element in page:
                if isinstance(element, LTTextBox):
                    lines = [Line(ln.x0, ln.y0, ln.x1, ln.y1, ln.get_text().strip())
                             for ln in element if isinstance(ln, LTTextLine)]
                    lines = [ln for ln in lines if ln.text]
                    if lines:
                        boxes.append(Box(lines))
                        size += sum(len(ln.text.encode("utf-8", "surrogatepass")) for ln in lines)
            if max_bytes is not None and size > max_bytes:
                raise text_too_large(max_bytes)
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
            text = join_lines(box.texts)
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
        repeats.update({_key(ln.text) for b in boxes if in_margin(b, height) for ln in b.lines})
    running = {k for k, n in repeats.items() if len(pages) >= 2 and n >= max(2, len(pages) / 2)}
    out = []
    for width, height, boxes in pages:
        kept = []
        for box in boxes:
            if in_margin(box, height):
                lines = [ln for ln in box.lines if _key(ln.text) not in running and not _PAGE_NUMBER_RE.match(ln.text)]
                if not lines:
                    continue
                box = Box(lines)
            kept.append(box)
        out.append((width, height, kept))
    return out


def _reading_order(boxes: list[Box], page_width: float) -> list[Box]:
    """Bands cut by full-width lines; within a band, columns left to right, each top down."""
    if not boxes:
        return []
    ordered: list[Box] = []
    band: list[Box] = []
    for spanning, box in sorted(_pieces(boxes), key=lambda p: -p[1].y1):
        if spanning:
            ordered.extend(_columns(band))
            band = []
            ordered.append(box)
        else:
            band.append(box)
    ordered.extend(_columns(band))
    return ordered


FULL, COLUMN, LOOSE = "full", "column", "loose"


def _pieces(boxes: list[Box]) -> list[tuple[bool, Box]]:
    """The boxes, each cut where its lines go from full-width to column lines or back.

    A line is full-width when it is wide or crosses a gutter; a column line is a narrow line with
    text beside it across a gutter; other narrow lines (the short last line of a paragraph) are
    loose and stay with the lines around them. Returns (is full-width, box) pairs.
    """
    lines = [ln for box in boxes for ln in box.lines]
    left = min(ln.x0 for ln in lines)
    wide = SPANNING * max(max(ln.x1 for ln in lines) - left, 1.0)
    gutters = _gutters([ln for ln in lines if ln.x1 - ln.x0 <= wide], left)
    middle = (left + max(ln.x1 for ln in lines)) / 2
    beside = _beside(lines)
    column: dict[int, int] = {}  # id(line) -> column index, for lines inside one column
    rows: dict[int, set[int]] = {}  # column index -> the heights (in points) its lines cover
    for ln in lines:
        if ln.x1 - ln.x0 > wide or (
                any(ln.x0 <= g0 and ln.x1 >= g1 for g0, g1 in gutters)
                or abs((ln.x0 + ln.x1) / 2 - middle) <= CENTRED * (middle - left)) and not beside(ln):
            continue
        c = sum(1 for _, g1 in gutters if (ln.x0 + ln.x1) / 2 > g1)
        column[id(ln)] = c
        rows.setdefault(c, set()).update(range(int(ln.y0) + 1, int(ln.y1) + 1))

    def kind(ln: Line) -> str:
        if id(ln) not in column:
            return FULL
        c, middle = column[id(ln)], int((ln.y0 + ln.y1) / 2)
        return COLUMN if any(middle in covered for k, covered in rows.items() if k != c) else LOOSE

    pieces = []
    for box in boxes:
        runs: list[tuple[str, list[Line]]] = []
        loose: list[Line] = []
        for ln in box.lines:
            k = kind(ln)
            if k == LOOSE:
                loose.append(ln)
            elif runs and runs[-1][0] == k:
                runs[-1][1].extend(loose + [ln])
                loose = []
            elif runs and runs[-1][0] == FULL:  # loose lines between a title and columns head the columns
                runs.append((k, loose + [ln]))
                loose = []
            else:
                if runs:
                    runs[-1][1].extend(loose)
                    loose = []
                runs.append((k, loose + [ln]))
                loose = []
        if loose:
            if runs:
                runs[-1][1].extend(loose)
            else:
                runs.append((LOOSE, loose))
        pieces.extend((k == FULL, Box(run)) for k, run in runs)
    return pieces


def _beside(lines: list[Line]):
    """A test: is there text on the same row as a line, left or right of it (another column's)?

    Lines are looked up by height (sorted, bisected), so a page of many lines stays cheap.
    """
    by_y0 = sorted(lines, key=lambda ln: ln.y0)
    y0s = [ln.y0 for ln in by_y0]
    tallest = max(ln.y1 - ln.y0 for ln in lines)

    def beside(line: Line) -> bool:
        middle = (line.y0 + line.y1) / 2
        near = by_y0[bisect_left(y0s, middle - tallest):bisect_left(y0s, middle)]
        return any(middle < other.y1 and (other.x1 < line.x0 or other.x0 > line.x1) for other in near)

    return beside


def _gutters(lines: list[Line], left: float) -> list[tuple[float, float]]:
    """The x-ranges between columns: crossed by (almost) no line, with lines on both sides.

    ``lines`` leaves out the full-width lines, which would hide the gutter under them; a few
    lines may still cross it (centred titles and headings): two, or a tenth of them.
    """
    if len(lines) < 3:
        return []
    origin = int(left)
    delta = [0] * (int(max(ln.x1 for ln in lines)) - origin + 3)
    for ln in lines:  # how many lines cover each point of x, at 1-point steps
        delta[int(ln.x0) - origin] += 1
        delta[int(ln.x1) + 1 - origin] -= 1
    cover = list(accumulate(delta))
    few = max(2, len(lines) // 10)
    gutters = []
    start = None
    seen_text = False
    for x, n in enumerate(cover):
        if n <= few:
            if start is None and seen_text:
                start = x
        else:
            if start is not None and x - start >= MIN_GUTTER:
                gutters.append((start + origin, x - 1 + origin))
            start = None
            seen_text = True
    return gutters


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
