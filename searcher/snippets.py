"""Picks the part of a passage that best shows why it matched, and where the matches are.

Works on the displayed (repaired) text with the cheap syllable tokenizer, so highlighting needs
neither pyvi nor whoosh's highlighter (which would re-run an analyzer).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .analysis import tokenize
from .normalize import fold

_SPACE_RE = re.compile(r"\s+")
_NUMBER_SEP_RE = re.compile(r" ?([-/]) ?")
ELLIPSIS = "…"


@dataclass(frozen=True)
class Snippet:
    """Snippet text with whitespace collapsed, and [start, end) spans of matched words in it."""

    text: str
    highlights: list[tuple[int, int]]


def _render(text: str, a: int, b: int, marks: list[tuple[int, int]], cut_left: bool, cut_right: bool) -> Snippet:
    """Collapse whitespace of text[a:b] to single spaces, carrying mark spans along."""
    out: list[str] = [ELLIPSIS] if cut_left else []
    length = len(out[0]) if out else 0
    highlights = []
    pos = a
    for ms, me in marks + [(b, b)]:
        collapsed = _SPACE_RE.sub(" ", text[pos:ms])
        out.append(collapsed)
        length += len(collapsed)
        if ms < me:
            # A citation broken across lines ("19-CT/\nTW") reads whole again in a snippet.
            word = _NUMBER_SEP_RE.sub(r"\1", _SPACE_RE.sub(" ", text[ms:me]))
            highlights.append((length, length + len(word)))
            out.append(word)
            length += len(word)
        pos = me
    if cut_right:
        out.append(ELLIPSIS)
    return Snippet("".join(out), highlights)


def make_snippet(text: str, terms: set[str], max_words: int = 36) -> Snippet:
    """The window of at most max_words syllables with the most distinct query terms in it.

    ``terms`` are folded syllables. Without any match the passage start is shown.
    """
    words = [t for t in tokenize(text) if t.is_word]
    if not words:
        return Snippet(_SPACE_RE.sub(" ", text.strip()), [])
    hits = [fold(t.text) in terms for t in words]
    best_start, best_key = 0, (-1, -1)
    for i in range(0, max(1, len(words) - max_words + 1)):
        window = range(i, min(len(words), i + max_words))
        distinct = len({fold(words[j].text) for j in window if hits[j]})
        key = (distinct, sum(hits[j] for j in window))
        if key > best_key:
            best_start, best_key = i, key
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
