"""Definition questions: "X là gì?", "thế nào là X?", "X được hiểu như thế nào?".

Such a question is answered by the passage that defines X ("Hoa lợi là sản vật tự nhiên mà tài
sản mang lại"), yet word matching ranks that passage no higher than any other using X: a law
says "hoa lợi" in a dozen articles, and the question's frame ("được hiểu như thế nào") matches
none of them. So the subject is read off the question's frame, and among the best passages
those that define it are raised (search.py, ``Weights.definition``). Matching is on folded
text, so an unaccented question finds the accented definition.

Only the whole subject counts, and only where a definition may start (a passage's, line's,
sentence's or clause's start): "mục đích của hình phạt là gì?" asks for the purpose of a
penalty, not for "Hình phạt là ...", and "thế nào là tội phạm" is not answered by "Người che
giấu tội phạm là ông, bà, ...".
"""
from __future__ import annotations

import re
from functools import lru_cache

from .normalize import fold, has_diacritics
from .spelling import match_fold, unify_spelling
from .vocabulary import STOP_WORDS

MAX_SUBJECT_WORDS = 12  # a longer "subject" is a whole sentence, not a term being defined

_WORD_RE = re.compile(r"[^\W_]+")
_TOKEN_RE = re.compile(r"[^\W_]+|[^\w\s]|\n")
_CLAUSE_RE = re.compile(r"[,;:](?=\s|$)")  # "1,5" is a number, not two clauses
# What a question asks before its subject ("hãy cho biết ..."), and a
# scope ending in a year without a comma ("theo Bộ luật Dân sự 2015 ..."): not part of the term.
_LEAD_IN_RE = re.compile(r"^(?:(?:hay )?cho (?:toi )?(?:biet|hoi)|xin hoi|ban co biet"
                         r"|theo (?:[^\W\d_]+ ){1,8}(?:nam )?\d{4}) ")
_PARTICLES_RE = re.compile(r" (?:a|vay|nhi|the|ha|day)$")  # "... là gì ạ", "... là gì vậy"
# Words that stand for something said before ("vậy là gì", "cái đó là gì"): nothing to define.
_POINTERS = frozenset("vay cai dieu kia nay do day the".split())
# Where a definition may start in a passage: its start, a line, a sentence, a clause after a
# comma, a numbered clause ("1.", "a)"), a list dash.
_BOUNDARIES = frozenset(".;:!?,)-–•\n")


@lru_cache(maxsize=1)
def _frames() -> tuple[re.Pattern, ...]:
    """The question frames, on folded words joined by single spaces; group 1 is the subject."""
    how = r"(?:nhu the nao|the nao|ra sao)"
    return tuple(re.compile(p) for p in (
        r"^(?:the nao la|the nao duoc goi la|the nao duoc coi la|(?:khai niem|dinh nghia)(?: cua| ve)?"
        rf"|hieu {how} ve|hieu {how} la) (.+)$",
        rf"^(.+?) (?:la gi|la cai gi|co nghia la gi|nghia la gi|duoc hieu (?:la gi|{how}|la)"
        rf"|duoc dinh nghia (?:la gi|{how})|duoc giai thich (?:la gi|{how}))$",
    ))


def _words(text: str) -> str:
    return " ".join(_WORD_RE.findall(text))


def defined_subject(query: str) -> str | None:
    """The term a definition question asks about, as folded words (``"hoa loi"``), else None.

    The frame is looked for in the question's last clause, so that a scope before it ("Theo Bộ
    luật Dân sự 2015, hoa lợi được hiểu như thế nào?") is not taken for the subject. "X được
    gọi là gì?" asks for a name, not a definition: no subject.
    """
    clause = _PARTICLES_RE.sub("", _words(match_fold(_CLAUSE_RE.split(query)[-1])))
    for frame in _frames():
        m = frame.match(clause)
        if not m:
            continue
        subject = m.group(1)
        while (lead := _LEAD_IN_RE.match(subject)) and lead.end() < len(subject):
            subject = subject[lead.end():]
        words = subject.split()
        if words[-1] == "goi" or not 0 < len(words) <= MAX_SUBJECT_WORDS:
            return None
        if any(w not in STOP_WORDS and w not in _POINTERS and not w.isdigit() for w in words):
            return subject
    return None


def defines(text: str, subject: str) -> bool:
    """Whether text defines subject (folded words): "X là", "X được hiểu là", "X có nghĩa là"
    where a definition may start (see _BOUNDARIES), or "... được gọi là X" closing a clause.

    "là" must be written "là" in accented text: "thuốc lá" and "tạm vắng là" define neither
    "thuốc" nor "vàng".
    """
    tokens = _TOKEN_RE.findall(text.lower())
    if "là" in tokens:
        accented = True
    elif "la" in tokens and not has_diacritics(text):
        accented = False
    else:
        return False
    folded = [unify_spelling(fold(t)) for t in tokens]
    words = subject.split()
    n = len(words)

    def is_la(i: int) -> bool:
        return i < len(tokens) and (tokens[i] == "là" or (not accented and tokens[i] == "la"))

    for i in range(len(folded) - n + 1):
        if folded[i:i + n] != words:
            continue
        if i == 0 or tokens[i - 1] in _BOUNDARIES:
            after = i + n
            for lead in ((), ("duoc", "hieu"), ("co", "nghia"), ("nghia",)):
                if tuple(folded[after:after + len(lead)]) == lead and is_la(after + len(lead)):
                    return True
        if i >= 3 and folded[i - 3:i - 1] == ["duoc", "goi"] and is_la(i - 1) \
                and (i + n == len(tokens) or tokens[i + n] in _BOUNDARIES):
            return True
    return False
