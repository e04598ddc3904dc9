"""Tags passages with the topics users of the sample corpus ask about: Tết, insurance, directives.

Transparent rules over a passage's accent-exact syllables, so a tag can always be explained:
a passage is about Tết when it says Tết, Nguyên đán, giao thừa or đón/mừng Xuân — a bare
"Xuân" is not enough, since it is also a place name (ấp Thanh Xuân).
"""
from __future__ import annotations

from .normalize import exact_form

TOPICS = ("tet", "insurance", "directive")

_TET_WORDS = {"tết"}
_TET_PHRASES = {("nguyên", "đán"), ("giao", "thừa"), ("đón", "xuân"), ("mừng", "xuân"), ("vui", "xuân"),
                ("du", "xuân"), ("chúc", "tết"), ("quý", "mão"), ("giáp", "thìn"), ("nhâm", "dần")}
_INSURANCE_WORDS = {"bhxh", "bhyt", "bhtn"}
_INSURANCE_PHRASES = {("bảo", "hiểm")}
_DIRECTIVE_PHRASES = {("chỉ", "thị")}


def _canon(words: set | set[tuple]) -> set:
    return {tuple(exact_form(w) for w in p) if isinstance(p, tuple) else exact_form(p) for p in words}


_TET_WORDS, _TET_PHRASES = _canon(_TET_WORDS), _canon(_TET_PHRASES)
_INSURANCE_PHRASES, _DIRECTIVE_PHRASES = _canon(_INSURANCE_PHRASES), _canon(_DIRECTIVE_PHRASES)


def tag_topics(exact: list[str], cited_types: set[str] = frozenset()) -> list[str]:
    """Topics of a passage from its exact syllables and the type codes of documents it cites."""
    words = set(exact)
    pairs = set(zip(exact, exact[1:]))
    topics = []
    if words & _TET_WORDS or pairs & _TET_PHRASES:
        topics.append("tet")
    if words & _INSURANCE_WORDS or pairs & _INSURANCE_PHRASES:
        topics.append("insurance")
    if "CT" in cited_types or pairs & _DIRECTIVE_PHRASES:
        topics.append("directive")
    return topics
