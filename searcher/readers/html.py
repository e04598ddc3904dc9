"""Saved web pages (.html, .htm): the article's main text, title and date, with trafilatura.

Telling an article from its page furniture (menus, share buttons, related-article lists,
comment forms) is trafilatura's whole job, and it does it better than rules we would keep
ourselves; it also finds the publication date (through htmldate). Its text puts each paragraph
on a line; here paragraphs are separated by blank lines so passages split where the article does.
Bytes go to trafilatura undecoded, so the page's own charset declaration is honoured.
"""
from __future__ import annotations

import re
from pathlib import Path

import trafilatura

from ..dates import iso_day
from . import Extracted, ReadError

# Where pages state when they were published, with the time and its zone that trafilatura's
# date (a day, zone dropped) loses: a page published at 20:30 UTC is dated the next day in UTC+7.
_PUBLISHED_RE = re.compile(
    rb"""<meta\s[^>]*?(?:property|name|itemprop)\s*=\s*["']?(?:(?:og:)?article:published(?:_time)?|"""
    rb"""og:published_time|datePublished|pubdate|publishdate|publish[-_]date|parsely-pub-date|sailthru\.date|"""
    rb"""date|dc\.date(?:\.issued|\.created)?|dcterms\.(?:date|issued|created))["'\s][^>]*>"""
    rb'|"datePublished"\s*:\s*"[^"]{8,40}"',
    re.I,
)
_CONTENT_RE = re.compile(rb"""(?:content\s*=\s*["']|"datePublished"\s*:\s*")([^"'>]{8,40})""", re.I)


def published_day(data: bytes) -> str | None:
    """The publication day a page's metadata states (meta tags, JSON-LD), in UTC+7, or None."""
    for m in _PUBLISHED_RE.finditer(data[:200_000]):
        content = _CONTENT_RE.search(m.group(0))
        day = iso_day(content.group(1).decode("ascii", "replace")) if content else None
        if day:
            return day
    return None


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
        date=published_day(data) or iso_day(getattr(result, "date", None)),
    )
