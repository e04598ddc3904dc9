"""Picks the part of a passage that best shows why it matched, and where the matches are.

Works on the displayed (repaired) text with the cheap syllable tokenizer, so highlighting needs
neither pyvi nor whoosh's highlighter (which would re-run an analyzer). Search hits and
``vnsearch ref`` render through the same function, so a document number reads the same in both.
"""
from __future__ import annotations

import re

from .analysis import tokenize
from .records import record
from .refs import find_citations
from .spelling import match_fold

_SPACE_RE = re.compile(r"\s+")
ELLIPSIS = "…"


@record(frozen=True)
class Snippet:
    """Snippet text with whitespace collapsed, and [start, end) spans of matched words in it."""

    text: str
    highlights: list[tuple[int, int]]


def _render(text: str, a: int, b: int, marks: list[tuple[int, int]], cut_left: bool, cut_right: bool) -> Snippet:
    """Collapse whitespace of text[a:b] to single spaces, carrying mark spans along.

    A document number broken across lines or spaced out (``19-\\nCT/TW``, ``19 - CT / TW``) reads
    whole, as ``vnsearch ref`` shows it: inside every citation, the space around its ``-`` and
    ``/`` goes.
    """
    tight = [(c.start, c.end) for c in find_citations(text) if c.start < b and a < c.end]
    out: list[str] = [ELLIPSIS] if cut_left else []
    length = len(out[0]) if out else 0
    at: dict[int, int] = {}  # offset in text -> offset in the snippet
    pos = a
    for m in _SPACE_RE.finditer(text, a, b):
        out.append(text[pos:m.start()])
        for i in range(pos, m.start()):
            at[i] = length + i - pos
        length += m.start() - pos
        at[m.start()] = length
        beside_separator = text[m.start() - 1] in "-/" or (m.end() < len(text) and text[m.end()] in "-/")
        inside = any(ts < m.start() and m.end() < te for ts, te in tight)
        if not (beside_separator and inside):
            out.append(" ")
            length += 1
        pos = m.end()
    out.append(text[pos:b])
    for i in range(pos, b + 1):
        at[i] = length + i - pos
    highlights = [(at[ms], at[me]) for ms, me in marks if ms < me]
    if cut_right:
        out.append(ELLIPSIS)
    return Snippet("".join(out), highlights)


def make_snippet(text: str, terms: set[str], max_words: int = 36) -> Snippet:
    """The window of at most max_words syllables with the most distinct query terms in it.

    ``terms`` are folded syllables (spelling.match_fold, so ``kĩ`` highlights ``kỹ``). Without
    any match the passage start is shown.
    """
    words = [t for t in tokenize(text) if t.is_word]
    if not words:
        return Snippet(_SPACE_RE.sub(" ", text.strip()), [])
    folded = [match_fold(t.text) for t in words]
    hits = [f in terms for f in folded]
    best_start = best_window(folded, hits, max_words)
    # Start the window a few words before the first match, for context.
    first_hit = next((j for j in range(best_start, min(len(words), best_start + max_words)) if hits[j]), best_start)
    start_word = max(0, min(best_start, first_hit - 4))
    end_word = min(len(words), start_word + max_words) - 1
    a = 0 if start_word == 0 else words[start_word].start
    b = len(text) if end_word == len(words) - 1 else words[end_word].end
    marks = [(w.start, w.end) for w, h in zip(words[start_word:end_word + 1], hits[start_word:end_word + 1]) if h]
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return _render(text, a, b, marks, start_word > 0, end_word < len(words) - 1)


def best_window(folded: list[str], hits: list[bool], max_words: int) -> int:
    """Where the first window of max_words syllables with the most distinct matched terms (then
    the most matches) starts; ``hits[j]`` says whether ``folded[j]`` is a query term."""
    # Slide the window one word at a time, keeping how often each matched term is inside it.
    inside: dict[str, int] = {}
    matched = 0
    for j in range(min(len(folded), max_words)):
        if hits[j]:
            inside[folded[j]] = inside.get(folded[j], 0) + 1
            matched += 1
    best_start, best_key = 0, (len(inside), matched)
    for i in range(1, max(1, len(folded) - max_words + 1)):
        gone, new = i - 1, i + max_words - 1
        if hits[gone]:
            matched -= 1
            if inside[folded[gone]] == 1:
                del inside[folded[gone]]
            else:
                inside[folded[gone]] -= 1
        if hits[new]:
            inside[folded[new]] = inside.get(folded[new], 0) + 1
            matched += 1
        key = (len(inside), matched)
        if key > best_key:
            best_start, best_key = i, key
    return best_start


def span_snippet(text: str, start: int, end: int, context_words: int = 14) -> Snippet:
    """A snippet centred on text[start:end] (a citation), which is the one highlight."""
    words = [t for t in tokenize(text) if t.is_word]
    before = [w for w in words if w.end <= start][-context_words:]
    after = [w for w in words if w.start >= end][:context_words]
    a = before[0].start if before else start
    b = after[-1].end if after else end
    cut_left = bool(before) and before[0] is not words[0]
    cut_right = bool(after) and after[-1] is not words[-1]
    return _render(text, a, b, [(start, end)], cut_left, cut_right)
