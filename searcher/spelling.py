"""Spellings Vietnamese readers treat as one, and what the accent marks of a query syllable allow.

Two conventions are still in use for a syllable whose whole rhyme is ``i``/``y`` after an
initial consonant (``kỹ``/``kĩ``, ``lý``/``lí``, ``quý``/``quí``): the matching forms write it
one way (``i``) so that either spelling finds both, while the exact field keeps the source's
spelling. Nowhere else are ``i`` and ``y`` one: ``tuy``/``tui``, ``ay``/``ai``, ``y tế``, ``yêu``.

A query syllable's marks are constraints, the marks it lacks are open: ``đuong`` fits
``đương`` and ``đường`` but not ``dương``.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .normalize import TONE_MARKS, exact_form, fold, has_diacritics

# Initial consonants of folded syllables (``đ`` is ``d``), longest first where one begins
# another (``qu`` counts as one: ``quý``); typing_methods.py adds ``đ`` for accented syllables.
INITIALS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
            "b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x")
_INITIALS = "|".join(INITIALS)
# The rhyme ``y`` alone after an initial, a whole syllable (letters and digits end it, ``_``
# and spaces do not: pairs and words of the index are joined with ``_``).
_WHOLE_Y_RE = re.compile(rf"(?<![^\W_])({_INITIALS})y(?![^\W_])")

# The bonus of an exact syllable spelled the other way (``kỹ`` for ``kĩ``): the same word, so
# nearly all of it, and the spelling the user typed still ranks a little higher.
VARIANT_SHARE = 0.8
# The bonus of another form the typed marks fit (``dưỡng``, ``đường`` for ``dương``): open
# marks may be meant, the form typed more likely is. On ALQAC dev (accented) 0 and 0.5 give
# nDCG@10 0.9449, 1.0 gives 0.9453; below 1 the form typed keeps ranking first.
OPEN_SHARE = 0.5


def unify_spelling(folded: str) -> str:
    """Folded text with every whole-rhyme ``y`` after an initial written ``i`` (``ky_thuat`` → ``ki_thuat``)."""
    return _WHOLE_Y_RE.sub(r"\1i", folded) if "y" in folded else folded


@lru_cache(maxsize=200_000)
def match_fold(text: str) -> str:
    """The form every query and passage is matched on: folded (no accents), one i/y spelling."""
    return unify_spelling(fold(text))


@lru_cache(maxsize=50_000)
def exact_spelling(exact: str) -> str:
    """An exact (accented, lower-case) syllable with the i/y spelling of :func:`match_fold`,
    its marks kept: ``kỹ`` → ``kĩ``, ``quý`` → ``quí``, ``tuỳ`` unchanged."""
    f = fold(exact)
    if unify_spelling(f) == f:
        return exact
    decomposed = unicodedata.normalize("NFD", exact)
    at = decomposed.rfind("y")
    return unicodedata.normalize("NFC", decomposed[:at] + "i" + decomposed[at + 1:])


_WHOLE_I_RE = re.compile(rf"({_INITIALS})i")


def exact_spellings(exact: str) -> list[str]:
    """An exact syllable and, when it has one, its other i/y spelling: ``kĩ`` → [kĩ, kỹ]."""
    unified = exact_spelling(exact)
    if unified != exact:
        return [exact, unified]
    if not _WHOLE_I_RE.fullmatch(fold(exact)):
        return [exact]
    decomposed = unicodedata.normalize("NFD", exact)
    at = decomposed.rfind("i")
    return [exact, unicodedata.normalize("NFC", decomposed[:at] + "y" + decomposed[at + 1:])]


def _letters(exact: str) -> tuple[list[tuple[str, frozenset]], str | None]:
    """(base letter, its own marks) per letter, and the tone mark: ``đường`` → d+stroke, ư+horn, ..."""
    letters, tone = [], None
    for ch in exact:
        parts = unicodedata.normalize("NFD", ch)
        marks = set(parts[1:])
        tones = marks & TONE_MARKS
        if tones:
            tone = next(iter(tones))
        base = parts[0]
        if base == "đ":  # (no decomposition: the stroke is part of the letter)
            letters.append(("d", frozenset({"stroke"})))
        else:
            letters.append((base, frozenset(marks - TONE_MARKS)))
    return letters, tone


def marks_fit(typed: str, form: str) -> bool:
    """Whether an exact corpus form has every mark the typed exact syllable has, letter for letter.

    Both are exact forms (canonical tone place, lower case) in one i/y spelling. A letter typed
    bare fits any marks; a tone typed must be the form's tone; no tone typed fits any tone.
    """
    lt, tone_t = _letters(typed)
    lf, tone_f = _letters(form)
    if len(lt) != len(lf) or (tone_t is not None and tone_t != tone_f):
        return False
    return all(a == b and (not ma or ma == mb) for (a, ma), (b, mb) in zip(lt, lf))


def exact_matches(surface: str, forms: list[str] | None) -> list[tuple[str, float]]:
    """The corpus's exact syllables a typed syllable asks for, each with its share of the exact bonus.

    ``forms`` are the exact syllables of the index with the syllable's matching form (see the
    lexicon's ``exact_forms``). A syllable typed without any mark asks for none (missing marks
    are open). One the corpus writes as typed asks for that form (1.0), its other i/y
    spelling (:data:`VARIANT_SHARE`) and every other form with the marks it has
    (:data:`OPEN_SHARE`). One the corpus never writes so — some marks left out, ``đuong``,
    ``bảo hiêm`` — asks for every form with the marks it has (1.0 each). Without ``forms``
    (no lexicon), the typed form as it is.
    """
    typed = exact_form(surface)
    if not has_diacritics(typed):
        return []
    if not forms:
        return [(typed, 1.0)]
    spelled = exact_spelling(typed)
    same = [f for f in forms if exact_spelling(f) == spelled]
    if same:
        others = [(f, OPEN_SHARE) for f in forms if f not in same and marks_fit(spelled, exact_spelling(f))]
        return [(f, 1.0 if f == typed else VARIANT_SHARE) for f in same] + others
    fits = [f for f in forms if marks_fit(spelled, exact_spelling(f))]
    return [(f, 1.0) for f in fits] or [(typed, 1.0)]
