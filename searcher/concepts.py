"""Cuts a query into concepts: lexicon words, names and loanwords, numbers and codes, other syllables.

Ranking weighs what a user asks about, not how many syllables it takes to write it: a one-token
name (``Hawking``, ``iPhone``) should count about as much as a two-syllable Vietnamese word, a
syllable pair that only joins two words of the question (``có nguồn``) less than one inside a
word, and a passage that has every concept of the query more than one that has one concept
several ways. The plan (query.py) and the coverage rescoring (search.py) both read this cut.
"""
from __future__ import annotations

from .analysis import JOINER
from .records import record
from .vocabulary import STOP_WORDS


@record(frozen=True)
class Concept:
    """Syllables [start, end) of a clause that name one thing the query asks about."""

    start: int
    end: int
    kind: str  # "word" (lexicon, 2+ syllables), "name", "number", "abbreviation", "syllable", "function"


def cut(folded: list[str], lexicon_words: dict, abbreviations: dict | None = None, max_len: int = 4) -> list[Concept]:
    """Greedy longest-match cut of folded syllables into concepts, covering every syllable.

    query.segment_folded takes the query's word terms from it, so a pair is "inside a word"
    exactly when that word is among them.
    """
    out = []
    i = 0
    while i < len(folded):
        for n in range(min(max_len, len(folded) - i), 1, -1):
            if JOINER.join(folded[i:i + n]) in lexicon_words:
                out.append(Concept(i, i + n, "word"))
                i += n
                break
        else:
            out.append(Concept(i, i + 1, _kind(folded[i], abbreviations or {})))
            i += 1
    return out


def _kind(syllable: str, abbreviations: dict) -> str:
    if syllable in STOP_WORDS:
        return "function"
    if syllable in abbreviations:
        return "abbreviation"
    if any(c.isdigit() for c in syllable):
        return "number"
    if not _is_vietnamese(syllable):
        return "name"
    return "syllable"


def _is_vietnamese(folded: str) -> bool:
    from .typing_methods import is_folded_syllable  # (small tables, loaded on first use)

    return folded.isalpha() and folded.isascii() and is_folded_syllable(folded)


def pair_scale(concepts: list[Concept], i: int, cross: float, function: float) -> float:
    """How much the pair of syllables i, i+1 counts: fully inside a word or between two content
    syllables, ``function`` when it holds a function word, ``cross`` when it joins a word to
    what stands next to it."""
    left = next(c for c in concepts if c.start <= i < c.end)
    right = next(c for c in concepts if c.start <= i + 1 < c.end)
    if left is right:
        return 1.0
    if "function" in (left.kind, right.kind):
        return function
    if left.kind == "word" or right.kind == "word":
        return cross
    return 1.0
