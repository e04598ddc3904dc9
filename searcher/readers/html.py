"""Saved web pages (.html, .htm): the article's main text, title and date, with trafilatura.

Telling an article from its page furniture (menus, share buttons, related-article lists,
comment forms) is trafilatura's whole job, and it does it better than rules we would keep
ourselves; it also finds the publication date (through htmldate). Its text puts each paragraph
on a line; here paragraphs are separated by blank lines so passages split where the article does.
Bytes go to trafilatura undecoded, so the page's own charset declaration is honoured.
"""
from __future__ import annotations

from pathlib import Path

import trafilatura

from . import Extracted, ReadError


def read(path: Path, data: bytes, max_bytes: int | None = None) -> Extracted:
    # trafilatura cannot stop early: its text is checked whole (readers.read), and the child
    # process it runs in bounds its memory and time (extract.py).
    result = trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        deduplicate=False,  # repeats within the page are dropped by passages.py, for every format
    )
    text = (getattr(result, "text", None) or "").strip() if result is not None else ""
    if not text:
        raise ReadError("no article text found in the page")
    paragraphs = [" ".join(line.split()) for line in text.splitlines()]
    return Extracted(
        text="\n\n".join(p for p in paragraphs if p),
        title=(getattr(result, "title", None) or "").strip(),
        date=getattr(result, "date", None),
    )
