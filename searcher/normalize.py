"""Text repair and the canonical forms that matching is done on.

Vietnamese text as users have it mixes NFC and NFD, carries stray duplicate combining marks
from broken editors and PDF extractors, and puts tone marks in the old (hoà, thuỷ) or new
(hòa, thủy) place. Everything here works per character or per syllable, so offsets survive.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The five Vietnamese tone marks as combining characters: grave, acute, tilde, hook, dot below.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
VOWELS = frozenset("aăâeêioôơuưy")
# Vowels whose own diacritic (breve, circumflex, horn) attracts the tone mark.
MARKED_VOWELS = frozenset("ăâêôơư")
# Any character outside the blocks that hold no combining character at all (Latin up to the
# spacing modifiers, Latin Extended Additional with every precomposed Vietnamese letter,
# punctuation, currency, symbols). Finding none proves NFC text has no combining mark, which
# is far quicker than asking unicodedata about every character.
_MAYBE_COMBINING_RE = re.compile("[^\x00-\u02ff\u1e00-\u1eff\u2000-\u20cf\u2100-\u2bff]")


def repair(text: str) -> str:
    """NFC-normalize and drop stray combining marks, never a letter.

    A stray mark is one left over after NFC that repeats a mark the letter already has
    (``bắ́t``) or adds a second tone to a toned letter (``độ̣ng``): both are extraction noise.
    """
    text = unicodedata.normalize("NFC", text)
    if not _MAYBE_COMBINING_RE.search(text) or not any(unicodedata.combining(c) for c in text):
        return text
    out: list[str] = []
    cluster_marks: set[str] = set()
    for ch in text:
        if unicodedata.combining(ch):
            if ch in cluster_marks or (ch in TONE_MARKS and cluster_marks & TONE_MARKS):
                continue
            cluster_marks.add(ch)
        else:
            cluster_marks = {c for c in unicodedata.normalize("NFD", ch) if unicodedata.combining(c)}
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case and remove every diacritic, with đ → d: the form unaccented queries match."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped.replace("đ", "d"))


def has_diacritics(text: str) -> bool:
    """True when the text carries any accent (so the user typed it on purpose)."""
    return fold(text) != text.lower()


def _split_tone(syllable: str) -> tuple[str, str | None]:
    """Return the syllable without its tone mark, and the tone mark (or None)."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tone = next((c for c in decomposed if c in TONE_MARKS), None)
    if tone is None:
        return syllable, None
    bare = "".join(c for c in decomposed if c not in TONE_MARKS)
    return unicodedata.normalize("NFC", bare), tone


def _tone_position(bare: str) -> int | None:
    """Index of the letter that carries the tone in the traditional placement.

    The placement on the main vowel (hoà, thuỷ, khoẻ) is the one pyvi's dictionary uses, so
    segmenting canonical text finds the most words. Rules: a vowel with its own diacritic takes
    the tone (ơ in ươ); otherwise the last vowel of a closed syllable, the middle of three
    vowels, the second of oa/oe/uy, else the first of two. ``qu`` and ``gi`` before a vowel are
    consonants.
    """
    lower = bare.lower()
    start = 0
    if lower.startswith("qu") and len(lower) > 2 and lower[2] in VOWELS:
        start = 2
    elif lower.startswith("gi") and len(lower) > 2 and lower[2] in VOWELS:
        start = 2
    vowels = [i for i in range(start, len(lower)) if lower[i] in VOWELS]
    if not vowels:
        return None
    # Only the first contiguous vowel run is the nucleus.
    run = [vowels[0]]
    for i in vowels[1:]:
        if i != run[-1] + 1:
            break
        run.append(i)
    marked = [i for i in run if lower[i] in MARKED_VOWELS]
    if marked:
        return marked[-1]
    if run[-1] + 1 < len(lower):  # a final consonant follows
        return run[-1]
    if len(run) >= 3:
        return run[1]
    if len(run) == 2 and lower[run[0]:run[1] + 1] in ("oa", "oe", "uy"):
        return run[1]
    return run[0]


@lru_cache(maxsize=200_000)
def repair_syllable(syllable: str) -> str:
    """``repair`` for one syllable, memoized: a corpus has a few thousand distinct syllables."""
    return repair(syllable)


@lru_cache(maxsize=200_000)
def canonical_tones(syllable: str) -> str:
    """Move the tone mark of one syllable to its canonical place: ``hòa`` → ``hoà``."""
    bare, tone = _split_tone(syllable)
    if tone is None or not bare.isalpha():
        return syllable
    pos = _tone_position(bare)
    if pos is None:
        return syllable
    toned = unicodedata.normalize("NFC", unicodedata.normalize("NFD", bare[pos]) + tone)
    return bare[:pos] + toned + bare[pos + 1:]


@lru_cache(maxsize=200_000)
def exact_form(syllable: str) -> str:
    """The accent-exact matching form: repaired, canonical tone place, lower case."""
    return canonical_tones(repair_syllable(syllable)).lower()
