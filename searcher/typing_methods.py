"""Reads syllables typed in Telex or VNI with the input method off (``baor`` / ``ba3o`` = ``bảo``).

People whose keyboard was not switched to Vietnamese send the raw keys; decoding them, and
checking that the result is a well-formed Vietnamese syllable, lets search find what they meant.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from . import spelling
from .normalize import canonical_tones, fold

# Combining tone marks: sắc, huyền, hỏi, ngã, nặng.
_SAC, _HUYEN, _HOI, _NGA, _NANG = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
TELEX_TONES = {"s": _SAC, "f": _HUYEN, "r": _HOI, "x": _NGA, "j": _NANG}
VNI_TONES = {"1": _SAC, "2": _HUYEN, "3": _HOI, "4": _NGA, "5": _NANG}
_CIRCUMFLEX = {"a": "â", "e": "ê", "o": "ô"}
_VOWELS = frozenset("aăâeêioôơuưy")

INITIALS = frozenset(spelling.INITIALS) | {"đ", ""}
RHYMES = frozenset("""
    a ai ao au ay an ang anh am ac ach ap at ăn ăng ăm ăc ăp ăt
    âu ây ân âng âm âc âp ât
    e eo en eng em ec ep et ê êu ên ênh êm êch êp êt
    i ia iu in inh im ich ip it iêu iên iêng iêm iêc iêp iêt
    o oa oai oao oay oan oang oanh oam oac oach oap oat oăn oăng oăm oăc oăt
    oe oeo oen oem oet oi on ong om oc op ot oong ooc
    ô ôi ôn ông ôm ôc ôp ôt ơ ơi ơn ơm ơp ơt
    u ua uân uâng uât uây ui un ung um uc up ut uê uênh uêch uy uya uyên uyêt uych uynh uyu uơ
    uôi uôn uông uôm uôc uôt
    ư ưa ưi ưu ưn ưng ưm ưc ưt ươi ươu ươn ương ươm ươc ươp ươt
    y yêu yên yêm yêt
""".split())
_STOP_FINALS = ("c", "ch", "p", "t")  # a syllable ending in one of these takes only sắc or nặng
FOLDED_RHYMES = frozenset(fold(r) for r in RHYMES)
FOLDED_INITIALS = frozenset(fold(i) for i in INITIALS)


def is_syllable(bare: str, tone: str | None = None) -> bool:
    """Whether ``bare`` (lower case, vowel marks, no tone) with ``tone`` is a Vietnamese syllable."""
    for n in range(min(3, len(bare)), -1, -1):
        initial, rhyme = bare[:n], bare[n:]
        if initial in INITIALS and rhyme in RHYMES:
            if initial in ("gh", "ngh") and not rhyme.startswith(("e", "ê", "i")):
                continue  # gh/ngh only before e, ê, i
            if rhyme.endswith(_STOP_FINALS) and tone not in (_SAC, _NANG):
                continue
            return True
    return False


def is_folded_syllable(folded: str) -> bool:
    """Whether some way of accenting ``folded`` (no marks at all) could make it a syllable."""
    return any(folded[:n] in FOLDED_INITIALS and folded[n:] in FOLDED_RHYMES for n in range(min(3, len(folded)) + 1))


@dataclass(frozen=True)
class Decoded:
    """A syllable read from raw keys, and how sure the reading is."""

    text: str  # NFC, canonical tone place, the user's case
    method: str  # "telex" or "vni"
    keys: int  # how many keys were read as marks (not letters)
    inner: bool  # a mark key came between letters (VNI ``ba3o``): no word or code looks like that

    @property
    def strong(self) -> bool:
        """Plain words and codes rarely look like this: two marks, or a VNI digit inside letters."""
        return self.keys >= 2 or (self.method == "vni" and self.inner)


def _nucleus(letters: list[str]) -> list[int]:
    """Positions of the vowels of the syllable typed so far (after qu / gi)."""
    start = 0
    word = "".join(letters)
    if word.startswith(("qu", "gi")) and len(word) > 2 and word[2] in _VOWELS:
        start = 2
    return [i for i in range(start, len(letters)) if letters[i] in _VOWELS]


def _horn(letters: list[str], near: int | None, breve: bool = True) -> bool:
    """Apply a horn key (Telex w, VNI 7; Telex w is also the breve) to its vowel; False if none fits."""
    vowels = _nucleus(letters)
    for i in vowels:
        if letters[i] == "u" and i + 1 < len(letters) and letters[i + 1] == "o":
            letters[i], letters[i + 1] = "ư", "ơ"
            return True
    targets = {"a": "ă", "o": "ơ", "u": "ư"} if breve else {"o": "ơ", "u": "ư"}
    if near is not None and near in vowels and letters[near] in targets:
        letters[near] = targets[letters[near]]
        return True
    for target in ("o", "a", "u"):
        hits = [i for i in vowels if letters[i] == target and target in targets]
        if hits:
            letters[hits[-1]] = targets[target]
            return True
    return False


def _circumflex(letters: list[str], near: int | None, vowel: str | None = None) -> bool:
    vowels = _nucleus(letters)
    if near is not None and near in vowels and letters[near] in _CIRCUMFLEX and vowel in (None, letters[near]):
        letters[near] = _CIRCUMFLEX[letters[near]]
        return True
    hits = [i for i in vowels if letters[i] in _CIRCUMFLEX and vowel in (None, letters[i])]
    if hits:
        letters[hits[-1]] = _CIRCUMFLEX[letters[hits[-1]]]
        return True
    return False


def _finish(token: str, letters: list[str], tone: str | None, method: str, keys: int, inner: bool) -> Decoded | None:
    bare = "".join(letters)
    if keys and not is_syllable(bare, tone):
        # iê, yê, uô and ươ never appear without their marks: ``hiem3`` can only mean hiểm.
        for plain, marked in (("ie", "iê"), ("ye", "yê"), ("uo", "uô"), ("ưo", "ươ"), ("uơ", "ươ")):
            bare = bare.replace(plain, marked)
        letters = list(bare)
    if not keys or not is_syllable(bare, tone):
        return None
    vowels = _nucleus(letters)
    if tone is not None:
        i = vowels[0]
        bare = bare[:i] + unicodedata.normalize("NFC", bare[i] + tone) + bare[i + 1:]
    text = canonical_tones(unicodedata.normalize("NFC", bare))
    if token.isupper():
        text = text.upper()
    elif token[:1].isupper():
        text = text[:1].upper() + text[1:]
    return Decoded(text, method, keys, inner)


def decode_telex(token: str) -> Decoded | None:
    """``baor`` → bảo, ``nguowif`` → người, ``ddaau`` → đâu; None when the keys spell no syllable."""
    if not token.isascii() or not token.isalpha():
        return None
    letters: list[str] = []
    tone, keys, inner = None, 0, False
    lower = token.lower()
    for pos, c in enumerate(lower):
        seen_vowel = bool(_nucleus(letters))
        last = pos == len(lower) - 1
        if c in TELEX_TONES and seen_vowel:
            if tone is not None:
                return None
            tone, keys, inner = TELEX_TONES[c], keys + 1, inner or not last
        elif c == "w":
            if not _horn(letters, len(letters) - 1 if letters else None):
                if seen_vowel:
                    return None
                letters.append("ư")  # a lone w is the vowel ư (tw → tư)
            keys += 1
        elif c in _CIRCUMFLEX and letters and letters[-1] == c and len(_nucleus(letters)) >= 1:
            letters[-1] = _CIRCUMFLEX[c]
            keys += 1
        elif c in _CIRCUMFLEX and letters and letters[-1] not in _VOWELS and seen_vowel \
                and _circumflex(letters, None, c):
            keys += 1  # the doubling key typed after the final consonant (tieng + e)
        elif c == "d" and letters == ["d"]:
            letters[0] = "đ"
            keys += 1
        else:
            letters.append(c)
    return _finish(token, letters, tone, "telex", keys, inner)


def decode_vni(token: str) -> Decoded | None:
    """``ba3o`` / ``bao3`` → bảo, ``ho65i`` → hội, ``d9i`` → đi; None when the keys spell no syllable."""
    if not token.isascii() or not token.isalnum() or token.isalpha() or not token[:1].isalpha():
        return None
    letters: list[str] = []
    tone, keys, inner = None, 0, False
    lower = token.lower()
    for pos, c in enumerate(lower):
        near = len(letters) - 1
        later_letter = any(ch.isalpha() for ch in lower[pos + 1:])
        if not c.isdigit():
            letters.append(c)
            continue
        if c in VNI_TONES:
            if tone is not None or not _nucleus(letters):
                return None
            tone = VNI_TONES[c]
        elif c == "6":
            if not _circumflex(letters, near):
                return None
        elif c == "7":
            if not _horn(letters, near, breve=False):
                return None
        elif c == "8":
            hits = [i for i in _nucleus(letters) if letters[i] == "a"]
            if not hits:
                return None
            letters[hits[-1]] = "ă"
        elif c == "9":
            if letters[:1] != ["d"]:
                return None
            letters[0] = "đ"
        else:
            return None
        keys += 1
        inner = inner or later_letter
    return _finish(token, letters, tone, "vni", keys, inner)


def decode(token: str) -> Decoded | None:
    """The Telex or else the VNI reading of a token, or None when neither spells a syllable."""
    return decode_telex(token) or decode_vni(token)
