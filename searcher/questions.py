"""The yes/no frame of a question: "…, đúng hay sai?", "… phải không?", "Đúng hay sai: …".

People check a statement by asking whether it holds. The frame says how to answer, not what to
find: its words ("đúng", "sai", "phải") are content words elsewhere ("đúng quy định", "sai
phạm"), so left in the query they pull up passages that merely say them, and they hide the
question inside ("X là gì, đúng không?" is still a definition question, definitions.py). The
frame is taken off the query before it is read; the rest is searched as typed.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .normalize import fold


@lru_cache(maxsize=1)
def _frames() -> tuple[re.Pattern, re.Pattern]:
    """A frame closing the question, and one opening it, on folded text (same length as typed)."""
    yes_no = r"(?:(?:co )?(?:dung|phai) (?:hay|hoac) (?:sai|khong)|(?:co )?(?:dung|phai|chinh xac) khong)"
    return (
        re.compile(rf"[\s,;:.!?-]*\b(?:la |nhu vay |dieu nay |dieu do )?{yes_no}(?: vay| a| nhi)?\W*$"),
        re.compile(rf"^\W*(?:(?:nhan dinh|menh de|cau)(?: sau(?: day)?)? )?(?:la )?"
                   rf"(?:{yes_no}\s*[:?,.-]+\s*|{yes_no} khi (?:noi|cho rang) (?:rang )?)"),
    )


def without_yes_no(query: str) -> str:
    """The query without its yes/no frame; unchanged when nothing else would be left."""
    folded = fold(query)
    if len(folded) != len(query):  # (decomposed input: positions would not match)
        return query
    closing, opening = _frames()
    end = m.start() if (m := closing.search(folded)) else len(query)
    start = m.end() if (m := opening.match(folded, 0, end)) else 0
    rest = query[start:end].strip()
    return rest if re.search(r"[^\W_]", rest) else query
