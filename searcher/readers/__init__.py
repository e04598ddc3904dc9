"""Readers for formats that need more than decoding: PDF, Word (.docx) and web pages (.html).

Every reader has one function, ``read(path, data, max_bytes) -> Extracted``: the document's text
laid out as paragraphs separated by blank lines (so passages split where the author did), its
title, and where each page starts. A reader stops, raising TooLarge, as soon as the text it has
found is over ``max_bytes`` (UTF-8). A reader module is imported only when a file of its kind is
indexed, so searching never loads pdfminer, python-docx or trafilatura; the indexer runs readers
in a child process with memory and time limits (see searcher/extract.py).
"""
from __future__ import annotations

import importlib
from pathlib import Path

from ..errors import VnsearchError
from ..records import field, record

READERS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}


MB = 1024 * 1024


class ReadError(VnsearchError):
    """A file of a supported kind that cannot be read (damaged, encrypted, no text layer)."""


class TooLarge(ReadError):
    """A document whose text, or the work of extracting it, is over the limit for one document."""


def megabytes(n: float) -> str:
    return f"{n / MB:.1f} MB" if round(n / MB, 1) >= 0.1 else f"{n / 1024:.0f} KB"


def over_limit(text: str, max_bytes: int | None) -> bool:
    """Is text more than max_bytes in UTF-8? (Its length alone decides, mostly, without encoding it.)"""
    if max_bytes is None or 4 * len(text) <= max_bytes:
        return False
    return len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes


def text_too_large(max_bytes: int) -> TooLarge:
    return TooLarge(f"its text is more than the {megabytes(max_bytes)} limit for one document")


@record
class Extracted:
    """What a reader found: the text, a title (may be empty), a date and page starts."""

    text: str
    title: str = ""
    date: str | None = None
    page_starts: list[int] = field(default_factory=list)  # offset in text where page i+1 begins


TITLE_MAX_CHARS = 160  # a longer "title" is a paragraph: the first line of a one-line file, say


def short_title(text: str) -> str:
    """text on one line, cut at a word to at most TITLE_MAX_CHARS (ending "…") when longer."""
    text = " ".join(text.split())
    if len(text) <= TITLE_MAX_CHARS:
        return text
    cut = text[:TITLE_MAX_CHARS - 1]
    if " " in cut[TITLE_MAX_CHARS // 2:]:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "…"


def load(path: Path):
    """The reader module for path's suffix, imported (with its libraries) on first use."""
    return importlib.import_module(f".{READERS[path.suffix.lower()]}", __name__)


def read(path: Path, data: bytes, max_bytes: int | None = None) -> Extracted:
    """Extract a file's text with the reader for its suffix; raises ReadError (TooLarge when its
    text is over max_bytes) and MemoryError."""
    module = load(path)
    try:
        extracted = module.read(path, data, max_bytes)
    except (ReadError, MemoryError):
        raise
    except Exception as e:  # a third-party parser choking on a damaged file
        raise ReadError(f"cannot read ({type(e).__name__}: {str(e)[:80] or 'damaged file'})") from None
    if over_limit(extracted.text, max_bytes):
        raise text_too_large(max_bytes)
    return extracted


def join_lines(lines: list[str]) -> str:
    """Rejoin hard-wrapped lines into one paragraph.

    A line ending in a hyphen or slash right after a letter or digit was cut inside a word or a
    document number (``19-`` / ``CT/TW``): it joins without a space and keeps its hyphen.
    A line that starts with a dash is a dash ("chính trị" / "- xã hội"), so it joins with a space.
    A line that starts like a law's heading (``Điều 5.``, ``2.``, ``a)``) stays a line of its
    own: sections.py decides from its line start and the line before whether it is one.
    Lines given with line breaks inside (a paragraph joined before, that a page break cut and
    the next page runs on) are taken line by line, so joining again keeps those headings.
    """
    from ..sections import starts_like_heading

    out = ""
    for line in (" ".join(part.split()) for line in lines for part in line.split("\n")):  # (justified text pads)
        if not line:
            continue
        if out and out[-1] in "-/" and len(out) > 1 and out[-2].isalnum() and line[0].isalnum():
            out += line
        elif out and starts_like_heading(line):
            out = f"{out}\n{line}"
        else:
            out = f"{out} {line}" if out else line
    return out
