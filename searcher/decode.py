"""Decodes file bytes to text: UTF-8 (with or without BOM), UTF-16 with a BOM, and the 8-bit
Vietnamese encodings still found in old files: Windows-1258, VNI and TCVN3 (ABC).

Legacy bytes are decoded with every candidate and the result that reads most like Vietnamese
wins; when none does, the file is refused rather than indexed as mojibake.
"""
from __future__ import annotations

import re
import unicodedata

from .normalize import fold


class DecodeError(ValueError):
    """The bytes are not text in any encoding vnsearch knows."""


# TCVN3 (ABC): one byte per letter; for each vowel, the five tones in the order
# huyền, hỏi, ngã, sắc, nặng. Capitals with a tone have no code (fonts draw them).
_TCVN3_TONED = {
    "a": "µ¶·¸¹", "ă": "»¼½¾Æ", "â": "ÇÈÉÊË", "e": "ÌÎÏÐÑ", "ê": "ÒÓÔÕÖ", "i": "×ØÜÝÞ",
    "o": "ßáâãä", "ô": "åæçèé", "ơ": "êëìíî", "u": "ïñòóô", "ư": "õö÷øù", "y": "úûüýþ",
}
_TONES = "\u0300\u0309\u0303\u0301\u0323"  # huyền, hỏi, ngã, sắc, nặng
_TCVN3 = {"¨": "ă", "©": "â", "ª": "ê", "«": "ô", "¬": "ơ", "\xad": "ư", "®": "đ",
          "¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ"}
for _base, _codes in _TCVN3_TONED.items():
    for _code, _tone in zip(_codes, _TONES):
        _TCVN3[_code] = unicodedata.normalize("NFC", _base + _tone)
_TCVN3_TABLE = str.maketrans(_TCVN3)

# VNI: a base letter followed by a shape mark (circumflex, breve, horn) and/or a tone mark.
_VNI_SHAPE = {"â": "\u0302", "ê": "\u0306"}  # circumflex (a, e, o), breve (a)
_VNI_HORNED = {"ô": "ơ", "ö": "ư", "Ô": "Ơ", "Ö": "Ư"}  # ơ and ư are single bytes
_VNI_SHAPE_TONE = {  # circumflex or breve with a tone, in one byte
    "á": "\u0302\u0301", "à": "\u0302\u0300", "å": "\u0302\u0309", "ã": "\u0302\u0303", "ä": "\u0302\u0323",
    "é": "\u0306\u0301", "è": "\u0306\u0300", "ú": "\u0306\u0309", "ü": "\u0306\u0303", "ë": "\u0306\u0323",
}
_VNI_TONE = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_SINGLE = {"ñ": "đ", "Ñ": "Đ", "æ": "ỉ", "Æ": "Ỉ", "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị", "î": "ỵ", "Î": "Ỵ"}
_VNI_MARKS = {**_VNI_SHAPE, **_VNI_SHAPE_TONE}
_VNI_MARKS.update({k.upper(): v for k, v in list(_VNI_MARKS.items())})
_VNI_TONES = {**_VNI_TONE, **{k.upper(): v for k, v in _VNI_TONE.items()}}
_VNI_RE = re.compile(
    "([aeouyAEOUYôöÔÖ])([" + "".join(_VNI_MARKS) + "]?)([" + "".join(_VNI_TONES) + "]?)"
)


def _vni_letter(m: re.Match) -> str:
    base, shape, tone = m.groups()
    base = _VNI_HORNED.get(base, base)
    if not shape and not tone:
        return base
    marks = _VNI_MARKS.get(shape, "") + _VNI_TONES.get(tone, "")
    return unicodedata.normalize("NFC", base + marks)


def decode_vni(data: bytes) -> str:
    text = data.decode("cp1252", errors="strict")
    text = _VNI_RE.sub(_vni_letter, text)
    return "".join(_VNI_SINGLE.get(c, c) for c in text)


def decode_tcvn3(data: bytes) -> str:
    return data.decode("latin-1").translate(_TCVN3_TABLE)


def decode_cp1258(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="strict"))


_TONE_MARKS = set(_TONES)
_WORD_RE = re.compile(r"[^\W\d_]+")

_LEGACY = (("Windows-1258", decode_cp1258), ("VNI", decode_vni), ("TCVN3", decode_tcvn3))
# A Vietnamese syllable: optional onset, one vowel group, optional final consonant.
_SYLLABLE_RE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    r"[aăâeêioôơuưy]{1,3}"
    r"(?:ng|nh|ch|[cmnpt])?"
)


def _plausible(text: str) -> float:
    """Share of accented words that are well-formed Vietnamese syllables (0 if hardly any accents).

    Mojibake (``TiÕng``, ``Vieät`` read as Latin-1; French read as TCVN3) breaks syllables:
    accents land on consonants, vowel groups split, finals like ``s`` appear.
    """
    words = _WORD_RE.findall(text)
    accented = [w for w in words if fold(w) != w.lower()]
    if not words or len(accented) < 0.1 * len(words):
        return 0.0
    ok = 0
    for w in accented:
        bare = "".join(c for c in unicodedata.normalize("NFD", w.lower()) if c not in _TONE_MARKS)
        tones = sum(1 for c in unicodedata.normalize("NFD", w) if c in _TONE_MARKS)
        if tones <= 1 and _SYLLABLE_RE.fullmatch(unicodedata.normalize("NFC", bare)):
            ok += 1
    return ok / len(accented)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) for data, or raise DecodeError."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8"
        except UnicodeDecodeError as e:
            raise DecodeError("not valid UTF-8 despite its byte-order mark") from e
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise DecodeError("not valid UTF-16") from e
    if b"\x00" in data[:8192]:
        raise DecodeError("binary file")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best: tuple[float, str, str] | None = None
    for name, decoder in _LEGACY:
        try:
            text = decoder(data)
        except UnicodeDecodeError:
            continue
        score = _plausible(text)
        if best is None or score > best[0]:
            best = (score, text, name)
    if best is None or best[0] < 0.9:
        raise DecodeError("not UTF-8 and not a known Vietnamese encoding (Windows-1258, VNI, TCVN3)")
    return best[1], best[2]
