"""Definition questions: "X là gì?", "thế nào là X?", "X được hiểu như thế nào?".

Such a question is answered by the passage that defines X ("Hoa lợi là sản vật tự nhiên mà tài
sản mang lại"), yet word matching ranks that passage no higher than any other using X: a law
says "hoa lợi" in a dozen articles, and the question's frame ("được hiểu như thế nào") matches
none of them. So the subject is read off the question's frame, and among the best passages
those that define it are raised (search.py, ``Weights.definition``). Matching is on folded
text, so an unaccented question finds the accented definition.

Only the whole subject counts: "mục đích của hình phạt là gì?" asks for the purpose of a
penalty, not for "Hình phạt là ...", the definition of a penalty.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .spelling import match_fold, unify_spelling
from .normalize import fold
from .vocabulary import STOP_WORDS

MAX_SUBJECT_WORDS = 12  # a longer "subject" is a whole sentence, not a term being defined

_WORD_RE = re.compile(r"[^\W_]+")
_CLAUSE_RE = re.compile(r"[,;:]")
# What a question asks before its subject ("hãy cho biết ..."): not part of the term.
# (Only phrases: a lone "thế" or "vậy" may be the subject's first syllable, as in "thẻ BHYT".)
_LEAD_INS = ("hay cho biet", "cho biet", "cho toi hoi", "cho hoi", "xin hoi", "ban co biet")


@lru_cache(maxsize=1)
def _frames() -> tuple[re.Pattern, ...]:
    """The question frames, on folded words joined by single spaces; group 1 is the subject."""
    how = r"(?:nhu the nao|the nao|ra sao)"
    return tuple(re.compile(p) for p in (
        r"^(?:the nao la|the nao duoc goi la|the nao duoc coi la|khai niem(?: ve)?|dinh nghia(?: ve)?"
        rf"|hieu {how} ve|hieu {how} la) (.+)$",
        rf"^(.+?) (?:la gi|la cai gi|co nghia la gi|nghia la gi|duoc hieu (?:la gi|{how}|la)"
        rf"|duoc dinh nghia (?:la gi|{how})|duoc giai thich (?:la gi|{how}))$",
    ))


def _words(text: str) -> str:
    return " ".join(_WORD_RE.findall(text))


def defined_subject(query: str) -> str | None:
    """The term a definition question asks about, as folded words (``"hoa loi"``), else None.

    The frame is looked for in the question's last clause, so that a scope before it ("Theo Bộ
    luật Dân sự 2015, hoa lợi được hiểu như thế nào?") is not taken for the subject.
    """
    clause = _words(match_fold(_CLAUSE_RE.split(query)[-1]))
    for frame in _frames():
        m = frame.match(clause)
        if not m:
            continue
        subject = m.group(1)
        for lead_in in _LEAD_INS:
            if subject.startswith(lead_in + " "):
                subject = subject[len(lead_in) + 1:]
        words = subject.split()
        if 0 < len(words) <= MAX_SUBJECT_WORDS and any(w not in STOP_WORDS for w in words):
            return subject
    return None


def defines(text: str, subject: str) -> bool:
    """Whether text defines subject (folded words): "X là", "X được hiểu là", "X có nghĩa là",
    or "... được gọi là X"."""
    folded = f" {_words(unify_spelling(fold(text)))} "
    return any(f" {form} " in folded for form in (
        f"{subject} la", f"{subject} duoc hieu la", f"{subject} co nghia la", f"{subject} nghia la",
        f"duoc goi la {subject}",
    ))
