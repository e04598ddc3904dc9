"""Vietnamese word lists that ranking and matching rely on: function words and abbreviations.

Abbreviations come from a built-in list and from ``long form (ABBR)`` definitions found in the
indexed text itself (learned at index time, stored with the lexicon).

Lists are folded (no accents) because both accented and unaccented queries are matched on
folded terms; keep them short and uncontroversial, since a stop word is only down-weighted.
"""
from __future__ import annotations

import re

from .normalize import fold

# Function words: frequent, carry little meaning on their own. Down-weighted, never dropped.
STOP_WORDS = frozenset(
    fold(w)
    for w in """
    và của các là được những cho với trong trên tại thì mà này đó khi đã đang sẽ có không
    về theo từ để như một người nào gì hay hoặc nếu bị do vì nên cũng rất đến ra vào lại
    sau trước thế đây ấy nhưng còn chỉ mỗi mọi việc
    """.split()
)

# Common abbreviations in administrative and insurance text, folded, with their long forms.
# Reference parts such as CT/TW are deliberately absent: they belong to document numbers.
ABBREVIATIONS = {
    fold(k): fold(v)
    for k, v in {
        "BHXH": "bảo hiểm xã hội",
        "BHYT": "bảo hiểm y tế",
        "BHTN": "bảo hiểm thất nghiệp",
        "NTM": "nông thôn mới",
        "UBND": "ủy ban nhân dân",
        "HĐND": "hội đồng nhân dân",
        "TĐ": "thi đua",
        "MTTQ": "mặt trận tổ quốc",
        "TTHC": "thủ tục hành chính",
        "CNVC": "công nhân viên chức",
        "CBCCVC": "cán bộ công chức viên chức",
        "THCS": "trung học cơ sở",
        "THPT": "trung học phổ thông",
        "ATGT": "an toàn giao thông",
        "ANTT": "an ninh trật tự",
    }.items()
}


_ABBR_RE = re.compile(r"\(([A-ZĐ]{2,8})\)")
_LETTERS_RE = re.compile(r"[^\W\d_]+")
_TRAILING_LETTERS_RE = re.compile(r"[^\W\d_]+$")
_GAP_RE = re.compile(r"[ \t]+")
_MAX_LONG_WORDS = 8


def find_definitions(text: str) -> dict[str, str]:
    """``nông thôn mới (NTM)`` → {"ntm": "nong thon moi"}: the words whose initials spell ABBR.

    Looks back from each ``(ABBR)`` at the words just before it (letters only, on one line), so
    the cost is per parenthesis, not per word of the passage.
    """
    found = {}
    for m in _ABBR_RE.finditer(text):
        abbr = m.group(1)
        n = len(abbr)
        head = text[max(0, m.start() - 40 * _MAX_LONG_WORDS):m.start()].rstrip(" \t")
        words: list[str] = []
        for piece in reversed(_GAP_RE.split(head)):
            if _LETTERS_RE.fullmatch(piece):
                words.append(piece)
            else:
                tail = _TRAILING_LETTERS_RE.search(piece)
                if tail:
                    words.append(tail.group())
                break
            if len(words) == n:
                break
        words.reverse()
        if len(words) < max(n, 2):
            continue
        tail_words = words[-n:]
        # Initials compare without accents: "Ủy ban nhân dân" spells UBND.
        if all(fold(w[0]) == a for w, a in zip(tail_words, fold(abbr))):
            found[fold(abbr)] = fold(" ".join(tail_words))
    return found


class Abbreviations:
    """Both directions of abbreviation lookup: short → long form, and long forms inside a query."""

    def __init__(self, learned: dict[str, str] | None = None):
        # In the i/y spelling of the matching forms (spelling.py), as query syllables are.
        from .spelling import unify_spelling

        self.expand = {unify_spelling(k): unify_spelling(v)
                       for k, v in {**(learned or {}), **ABBREVIATIONS}.items()}  # the built-in list wins
        self._by_long = {tuple(v.split()): k for k, v in self.expand.items()}
        self._longest = max((len(k) for k in self._by_long), default=0)

    def within(self, folded: list[str]) -> list[tuple[str, str]]:
        """(abbr, long form) for each long form that appears in a run of folded syllables."""
        found = []
        for i in range(len(folded)):
            for n in range(2, self._longest + 1):
                key = tuple(folded[i:i + n])
                if len(key) == n and key in self._by_long:
                    found.append((self._by_long[key], " ".join(key)))
        return found
