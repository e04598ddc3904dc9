"""Reads a query's unknown tokens the way the user meant them, before the query is planned.

A token the corpus lacks is tried in order: an abbreviation or a document number (kept as
typed); Telex or VNI keys typed with the input method off (``baor`` → bảo); a run of corpus
syllables typed without spaces (``baohiemxahoi``, ``#BaoHiemYTe``, ``chithi16``). At most one
reading per token; the rewritten query is shown to the user. Only the lexicon stored with the
index is used (no segmenter), and only when a token misses.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from .analysis import JOINER, tokenize
from .normalize import exact_form, fold
from .refs import find_citations
from .typing_methods import Decoded, decode, is_folded_syllable
from .vocabulary import Abbreviations

_OPERATORS = {"OR", "AND", "NOT"}
_LONGEST_SYLLABLE = 7  # nghiêng


@dataclass
class Reading:
    """The query as it will be searched, and what to tell the user when it differs."""

    text: str
    understood: str | None = None  # the rewritten query, when a token was read differently


def split_run(token: str, syllables: dict, words: dict, total: int | None = None) -> list[str] | None:
    """``baohiemxahoi`` → [bao, hiem, xa, hoi]: the likeliest cut into corpus syllables.

    Pieces are corpus syllables that are well-formed Vietnamese syllables, or runs of digits;
    the cut maximizes the sum of the pieces' log frequencies (so fewer, commoner pieces win).
    A cut is kept only when it makes sense as a whole: two of its syllables form a word of the
    lexicon, or it joins words to a number (``chithi16``). Pieces keep the user's letters.
    """
    folded = fold(token)
    if len(folded) != len(token):
        return None  # (a letter that folds to two would shift every cut)
    total = total or sum(v[1] for v in syllables.values()) or 1  # (the caller may know it)
    best: list[tuple[float, int] | None] = [None] * (len(folded) + 1)
    best[0] = (0.0, 0)
    for i in range(len(folded)):
        if best[i] is None:
            continue
        if folded[i].isdigit():
            j = i
            while j < len(folded) and folded[j].isdigit():
                j += 1
            candidates = [(j, 0.0)]  # a number is one piece, whatever its digits
        else:
            candidates = []
            for j in range(i + 1, min(len(folded), i + _LONGEST_SYLLABLE) + 1):
                piece = folded[i:j]
                if not piece.isalpha():
                    break
                entry = syllables.get(piece)
                if entry and entry[1] > 0 and is_folded_syllable(piece):
                    candidates.append((j, math.log(entry[1] / total)))
        for j, score in candidates:
            total_score = best[i][0] + score
            if best[j] is None or total_score > best[j][0]:
                best[j] = (total_score, i)
    if best[-1] is None:
        return None
    cuts, j = [], len(folded)
    while j > 0:
        i = best[j][1]
        cuts.append((i, j))
        j = i
    cuts.reverse()
    if len(cuts) < 2:
        return None
    pieces = [token[i:j] for i, j in cuts]
    letters = [fold(p) for p in pieces if not p.isdigit()]
    has_number = len(letters) < len(pieces)
    has_word = any(JOINER.join(letters[k:k + n]) in words for n in (2, 3, 4) for k in range(len(letters)))
    if not letters or not (has_word or has_number):
        return None
    return pieces


def read_query(
    query: str, syllables: dict, words: dict, abbreviations: Abbreviations,
    exact_counts: Callable[[list[str]], list[int]],
) -> Reading:
    """The query with each unknown token replaced by its first reading that fits (see module).

    ``exact_counts`` gives the passages holding each accent-exact syllable: a Telex or VNI
    reading counts only when the corpus has that exact syllable. A reading that needs only one
    mark key (``bus`` → bú, ``box`` → bõ) is a plain word just as often, so it is taken only
    when another token of the query was typed the same way.
    """
    if not syllables:
        return Reading(query)
    cited = [(c.start, c.end) for c in find_citations(query)]
    unknown = []
    for t in tokenize(query):
        if not t.is_word or t.text in _OPERATORS or t.text.isdigit():
            continue
        folded = fold(t.text)
        if folded in syllables or folded in abbreviations.expand:
            continue
        if any(a <= t.start and t.end <= b for a, b in cited):
            continue  # part of a document number
        unknown.append(t)
    if not unknown:
        return Reading(query)
    decoded: dict[int, Decoded] = {}
    for k, t in enumerate(unknown):
        d = decode(t.text)
        if d is not None and fold(d.text) in syllables:
            decoded[k] = d
    if decoded:
        counts = exact_counts([exact_form(d.text) for d in decoded.values()])
        decoded = {k: d for (k, d), n in zip(decoded.items(), counts) if n}
    sure = any(d.strong for d in decoded.values()) or len(decoded) >= 2
    replaced: list[tuple[int, int, str]] = []
    total = None
    for k, t in enumerate(unknown):
        d = decoded.get(k)
        if d is not None and (d.strong or sure):
            new = d.text
        else:
            total = total or sum(v[1] for v in syllables.values()) or 1
            pieces = split_run(t.text, syllables, words, total)
            if pieces is None:
                continue
            new = " ".join(pieces)
        start = t.start - 1 if t.start and query[t.start - 1] == "#" else t.start  # a hashtag
        replaced.append((start, t.end, new))
    if not replaced:
        return Reading(query)
    text = query
    for start, end, new in reversed(replaced):
        text = text[:start] + new + text[end:]
    return Reading(text, " ".join(text.split()))
