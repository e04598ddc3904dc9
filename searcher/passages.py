"""Splits a document into passages of a few sentences, each with its span in the source.

Passages are what search returns. Paragraphs (blank-line separated blocks) are the natural
unit, but PDF extractions hard-wrap lines and lose or scatter blank lines, so blocks are merged
up to a minimum size and long ones are cut at sentence ends, keeping every passage readable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MIN_WORDS = 40
MAX_WORDS = 140
REPEAT_MIN_WORDS = 4  # shorter paragraphs ("Ảnh: TTXVN", a lone heading) may repeat legitimately
MAX_CHARS = 3000  # text without spaces (dumps, glued PDF runs) is cut by length instead

_BLOCK_BREAK_RE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# A sentence ends at . ! ? … (optionally closed by a quote or bracket) before a space and an
# upper-case letter, digit or opening quote; "TP. Hồ Chí Minh"-style abbreviations are rare
# enough in running text that an occasional early cut does no harm.
_SENTENCE_END_RE = re.compile(r"[.!?…;:][\"'”’)\]]*\s+(?=[\"“‘(\[]?[^\W_a-zà-ỹđ])")
_WORD_RE = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Passage:
    """A [start, end) span of a document and the 1-based line where it starts."""

    start: int
    end: int
    line: int


def _spans(text: str, pattern: re.Pattern, start: int, end: int) -> list[tuple[int, int]]:
    """Cut text[start:end] at each match of pattern; spans exclude the separators' whitespace."""
    out = []
    pos = start
    for m in pattern.finditer(text, start, end):
        cut = m.start() if pattern is _BLOCK_BREAK_RE else m.end()
        out.append((pos, cut))
        pos = m.end()
    out.append((pos, end))
    return [_strip(text, a, b) for a, b in out if text[a:b].strip()]


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _word_count(text: str, a: int, b: int) -> int:
    return len(_WORD_RE.findall(text, a, b))


def _sentences(text: str, a: int, b: int) -> list[tuple[int, int, int]]:
    """Sentences of a block as (start, end, words); over-long ones are cut at word boundaries."""
    out = []
    for s, e in _spans(text, _SENTENCE_END_RE, a, b):
        words = list(_WORD_RE.finditer(text, s, e))
        if len(words) <= MAX_WORDS:
            out.append((s, e, len(words)))
            continue
        piece_start = s
        for i in range(MAX_WORDS, len(words), MAX_WORDS):
            cut = words[i].start()
            out.append((*_strip(text, piece_start, cut), MAX_WORDS))
            piece_start = cut
        out.append((*_strip(text, piece_start, e), len(words) % MAX_WORDS or MAX_WORDS))
    return [piece for s, e, n in out for piece in _cap_chars(text, s, e, n)]


def _cap_chars(text: str, s: int, e: int, words: int) -> list[tuple[int, int, int]]:
    """Cut a span longer than MAX_CHARS, at the last space before each limit when there is one."""
    if e - s <= MAX_CHARS:
        return [(s, e, words)]
    out = []
    while e - s > MAX_CHARS:
        cut = text.rfind(" ", s + MAX_CHARS // 2, s + MAX_CHARS)
        cut = cut if cut > s else s + MAX_CHARS
        a, b = _strip(text, s, cut)
        out.append((a, b, _word_count(text, a, b)))
        s = cut
    a, b = _strip(text, s, e)
    if a < b:
        out.append((a, b, _word_count(text, a, b)))
    return out


def _block_key(text: str, a: int, b: int) -> str:
    """What makes two paragraphs the same: their words, whatever the spacing; "" if too short to judge."""
    words = _WORD_RE.findall(text, a, b)
    return " ".join(words).lower() if len(words) >= REPEAT_MIN_WORDS else ""


def split_passages(text: str) -> list[Passage]:
    """Split text into passages of roughly MIN_WORDS..MAX_WORDS words.

    A passage ends at a paragraph break once it has MIN_WORDS words, or before a sentence that
    would take it past MAX_WORDS. A short trailing passage joins the one before it. A paragraph
    that repeats an earlier one word for word (photo captions, boilerplate) is left out.
    """
    spans: list[list[int]] = []  # [start, end, words]
    current: list[int] | None = None
    seen_blocks: set[str] = set()
    for block_start, block_end in _spans(text, _BLOCK_BREAK_RE, 0, len(text)):
        key = _block_key(text, block_start, block_end)
        if key in seen_blocks:
            # A repeated caption or boilerplate block is indexed once: the passage so far ends
            # before the repeat, so no span covers it.
            if current is not None:
                spans.append(current)
                current = None
            continue
        if key:
            seen_blocks.add(key)
        for s, e, n in _sentences(text, block_start, block_end):
            if current is not None and (
                (current[2] + n > MAX_WORDS and current[2] >= MIN_WORDS // 2) or e - current[0] > MAX_CHARS
            ):
                spans.append(current)
                current = None
            if current is None:
                current = [s, e, n]
            else:
                current[1], current[2] = e, current[2] + n
        if current is not None and current[2] >= MIN_WORDS:
            spans.append(current)
            current = None
    if current is not None:
        if (spans and current[2] < MIN_WORDS // 2 and spans[-1][2] + current[2] <= MAX_WORDS * 1.5
                and current[1] - spans[-1][0] <= MAX_CHARS):
            spans[-1][1] = current[1]
            spans[-1][2] += current[2]
        else:
            spans.append(current)
    return [Passage(s, e, text.count("\n", 0, s) + 1) for s, e, _ in spans]
