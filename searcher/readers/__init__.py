"""Readers for formats that need more than decoding: PDF, Word (.docx) and web pages (.html).

Every reader has one function, ``read(path, data) -> Extracted``: the document's text laid out as
paragraphs separated by blank lines (so passages split where the author did), its title, and
where each page starts. A reader module is imported only when a file of its kind is indexed, so
searching never loads pdfminer, python-docx or trafilatura.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import VnsearchError

READERS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}


class ReadError(VnsearchError):
    """A file of a supported kind that cannot be read (damaged, encrypted, no text layer)."""


@dataclass
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


def read(path: Path, data: bytes) -> Extracted:
    """Extract a file's text with the reader for its suffix; raises ReadError."""
    module = importlib.import_module(f".{READERS[path.suffix.lower()]}", __name__)
    try:
        return module.read(path, data)
    except ReadError:
        raise
    except Exception as e:  # a third-party parser choking on a damaged file
        raise ReadError(f"cannot read ({type(e).__name__}: {str(e)[:80] or 'damaged file'})") from None


def join_lines(lines: list[str]) -> str:
    """Rejoin hard-wrapped lines into one paragraph.

    A line ending in a hyphen or slash right after a letter or digit was cut inside a word or a
    document number (``19-`` / ``CT/TW``): it joins without a space and keeps its hyphen.
    A line that starts with a dash is a dash ("chính trị" / "- xã hội"), so it joins with a space.
    """
    out = ""
    for line in (" ".join(line.split()) for line in lines):  # justified text pads with spaces
        if not line:
            continue
        if out and out[-1] in "-/" and len(out) > 1 and out[-2].isalnum() and line[0].isalnum():
            out += line
        else:
            out = f"{out} {line}" if out else line
    return out
