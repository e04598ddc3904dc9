"""How vnsearch has whoosh's codec write segments: no per-posting length lookups.

For every posting whoosh reads the passage's field length back from the file it has just
written (a seek and a one-byte read), only to record each block's shortest and longest passage
for its block-quality shortcuts. vnsearch's scorer (accumulate.py) does not use them, and
without them whoosh's bounds stay valid, only looser (a length of 0 can only overestimate a
block's best score); a build written in one process took 15.0 s instead of 18.6 s. Passage
lengths themselves are still stored, and BM25 uses them as before. Pass :func:`codec` to every
writer (postingwriter.py writes a build's segment through it).
"""
from __future__ import annotations


def codec():
    """vnsearch's posting format (postings.py), without per-block length statistics (see above)."""
    from .postings import VnCodec

    return VnCodec()


# A build's segment is written by postingwriter.PostingWriter, not whoosh's posting pool.
