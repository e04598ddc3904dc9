"""Turns passage text into the token streams the index stores, keeping source offsets.

Each syllable is cut from the source text with its span, then given its matching forms:
accent-exact (canonical tone place, the source's spelling) and folded (no accents, đ → d, one
spelling for ``kỹ``/``kĩ``: see spelling.py). Adjacent folded syllables
form bigrams, and pyvi's multi-syllable words form word units, so that ``bảo hiểm`` as a word
counts for more than ``bảo`` and ``hiểm`` scattered through a passage.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .normalize import canonical_tones, exact_form, repair_syllable
from .records import record
from .spelling import match_fold

# A syllable is a run of letters/digits, with any combining marks riding on them (NFD text and
# stray marks stay inside the syllable so that its span covers them). Everything else that is
# not space is punctuation, which breaks bigrams and words.
_TOKEN_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+|[^\w\s\u0300-\u036f]")
_SYLLABLE_START_RE = re.compile(r"[^\W_]")

# No Vietnamese syllable, number or code comes near this; longer runs are base64, hashes or
# glued garbage, which would only bloat the index with unique terms.
MAX_TOKEN_CHARS = 40

JOINER = "_"  # joins syllables of a bigram or a word into one indexed term


@record(frozen=True)
class Token:
    """One syllable or punctuation mark with its span in the analysed text."""

    __slots__ = ("text", "start", "end", "is_word")
    text: str  # repaired surface form, as displayed
    start: int
    end: int
    is_word: bool

    def __init__(self, text: str, start: int, end: int, is_word: bool):  # (one per syllable indexed)
        setter = object.__setattr__
        setter(self, "text", text)
        setter(self, "start", start)
        setter(self, "end", end)
        setter(self, "is_word", is_word)

    @property
    def exact(self) -> str:
        return exact_form(self.text)

    @property
    def folded(self) -> str:
        return match_fold(self.text)


def tokenize(text: str) -> list[Token]:
    """Cut text into syllables and punctuation, each with its [start, end) span."""
    tokens = []
    for m in _TOKEN_RE.finditer(text):
        surface = m.group()
        is_word = bool(_SYLLABLE_START_RE.match(surface)) and len(surface) <= MAX_TOKEN_CHARS
        if is_word:
            surface = repair_syllable(surface)
        tokens.append(Token(surface, m.start(), m.end(), is_word))
    return tokens


def syllables(text: str) -> list[Token]:
    """Only the syllables of text (punctuation dropped), with spans."""
    return [t for t in tokenize(text) if t.is_word]


def bigrams(forms: list[str | None]) -> list[str]:
    """Adjacent pairs of folded syllables; None marks a break (punctuation) that no pair crosses."""
    out = []
    for a, b in zip(forms, forms[1:]):
        if a is not None and b is not None:
            out.append(a + JOINER + b)
    return out


def break_ends(forms: list[str | None]) -> list[str]:
    """The syllables on either side of each break between syllables (punctuation): the one
    before it with a trailing joiner, the one after with a leading one (``hội, bảo`` ->
    ``hoi_ _bao``).

    Not ranked: two syllables are neighbours in the folded field either as a pair (bigrams)
    or as the two ends of a break, so a phrase needs positions read only in the passages that
    have the ends of a break where it has no pair.
    """
    out = []
    before, broken = None, False
    for f in forms:
        if f is None:
            broken = True
            continue
        if broken and before is not None:
            out += [before + JOINER, JOINER + f]
        before, broken = f, False
    return out


@record
class AnalyzedText:
    """The token streams of one passage, each a space-separated string for whoosh."""

    __slots__ = ("exact", "folded", "bigrams", "breaks", "words", "word_list")
    exact: str
    folded: str
    bigrams: str
    breaks: str  # syllables on either side of punctuation (see break_ends)
    words: str
    word_list: list[tuple[str, str]]  # (folded word, surface word) of multi-syllable words


@lru_cache(maxsize=200_000)
def _forms(surface: str) -> tuple[str | None, str, str, str]:
    """(folded or None for punctuation, repaired text, exact form, surface as pyvi sees it) of a
    token as _TOKEN_RE cuts it: what :func:`analyze` needs of each, worked out once per distinct
    token (a corpus has a few thousand; a build meets each hundreds of times)."""
    if not (_SYLLABLE_START_RE.match(surface) and len(surface) <= MAX_TOKEN_CHARS):
        return None, surface, surface, surface
    text = repair_syllable(surface)
    exact = exact_form(text)
    return match_fold(exact), text, exact, canonical_tones(text)


def analyze(text: str, segment: bool = True) -> AnalyzedText:
    """Analyse text for indexing: exact and folded syllables, bigrams, and pyvi words.

    The same tokens as :func:`tokenize`, without building one object per token (no spans are
    needed here)."""
    tokens = [_forms(t) for t in _TOKEN_RE.findall(text)]
    # Bigrams stop at punctuation: "xã hội, bảo hiểm" has no pair "hoi_bao" (None breaks).
    forms = [t[0] for t in tokens]
    exact = [t[2] for t in tokens if t[0] is not None]
    folded = [f for f in forms if f is not None]
    word_list: list[tuple[str, str]] = []
    if segment and tokens:
        from .segment import word_starts

        surface = [t[3] for t in tokens]
        starts = word_starts(surface)
        group: list[int] = []
        for i, is_start in enumerate(starts + [True]):
            if is_start and len(group) > 1:
                word_list.append((JOINER.join([tokens[j][0] or match_fold(surface[j]) for j in group]),
                                  " ".join([tokens[j][1] for j in group])))
            if i < len(tokens) and is_start:
                group = [i]
            elif i < len(tokens):
                group.append(i)
    return AnalyzedText(
        exact=" ".join(exact),
        folded=" ".join(folded),
        bigrams=" ".join(bigrams(forms)),
        breaks=" ".join(dict.fromkeys(break_ends(forms))),
        words=" ".join(w for w, _ in word_list),
        word_list=word_list,
    )


def headed(head: AnalyzedText, body: AnalyzedText) -> AnalyzedText:
    """body's streams with head's before them, as if head ended in punctuation: no pair joins
    them. A clause is indexed with its article's name and its lead-in this way (see
    passages.Passage.context); its own words (``word_list``) stay body's alone."""
    ends = []
    if head.folded and body.folded:
        ends = [head.folded.rsplit(" ", 1)[-1] + JOINER, JOINER + body.folded.split(" ", 1)[0]]
    breaks = " ".join(dict.fromkeys(head.breaks.split() + ends + body.breaks.split()))
    return AnalyzedText(
        exact=f"{head.exact} {body.exact}".strip(),
        folded=f"{head.folded} {body.folded}".strip(),
        bigrams=f"{head.bigrams} {body.bigrams}".strip(),
        breaks=breaks,
        words=f"{head.words} {body.words}".strip(),
        word_list=body.word_list,
    )


def canonical_surface(token: Token) -> str:
    """The syllable as pyvi should see it: repaired, tone in pyvi's dictionary place, case kept."""
    return canonical_tones(token.text) if token.is_word else token.text
