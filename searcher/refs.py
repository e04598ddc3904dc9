"""Finds citations of Vietnamese Party and state documents and gives each one canonical id.

Party documents are numbered ``19-CT/TW`` (number-type/issuer), state documents
``15/2020/NĐ-CP`` or ``123/QĐ-UBND`` (number[/year]/type-issuer), laws ``45/2019/QH14`` and
official letters (Công văn) ``123/UBND-KT`` with no type code. Real text breaks these across PDF
lines, spaces them out, lower-cases them or drops the accents; all of those resolve to the same id.
"""
from __future__ import annotations

import re

from .normalize import fold
from .records import field, record

# Type codes and what they are called. Folded spellings (ND, QD) map back through _CANON_CODES.
TYPE_NAMES = {
    "CT": "Chỉ thị",
    "NQ": "Nghị quyết",
    "KL": "Kết luận",
    "QĐi": "Quy định",
    "QĐ": "Quyết định",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "KH": "Kế hoạch",
    "HD": "Hướng dẫn",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "TTr": "Tờ trình",
    "CTr": "Chương trình",
    "QC": "Quy chế",
    "VBHN": "Văn bản hợp nhất",
    "QH": "Luật",
    "CV": "Công văn",
}
# Issuers and other codes whose spelling has Đ or mixed case, keyed by their folded upper form.
SPECIAL_CODES = ["NĐ", "QĐ", "QĐi", "HĐND", "ĐU", "ĐĐBQH", "TTg", "TTr", "CTr", "BTGTU", "VPCP", "ĐTN", "HĐQT"]
_CANON_CODES = {fold(c).upper(): c for c in SPECIAL_CODES}

# Words users and documents put before a number, folded, with the type codes they can mean.
TYPE_WORDS = {
    "chi thi": {"CT"},
    "nghi quyet": {"NQ"},
    "ket luan": {"KL"},
    "quy dinh": {"QĐi", "QĐ"},
    "quyet dinh": {"QĐ"},
    "nghi dinh": {"NĐ"},
    "thong tu lien tich": {"TTLT"},
    "thong tu": {"TT"},
    "ke hoach": {"KH"},
    "huong dan": {"HD"},
    "thong bao": {"TB"},
    "bao cao": {"BC"},
    "to trinh": {"TTr"},
    "chuong trinh": {"CTr"},
    "quy che": {"QC"},
    "cong van": {"CV"},
    "luat": {"QH"},
    "bo luat": {"QH"},
}

_S = r"[ \t]*(?:\n[ \t]*)?"  # the space a PDF line break or a careless writer puts in a number
_CODE = r"[A-Za-zĐđÐ]{1,8}\d{0,2}"
_PARTY_RE = re.compile(rf"(?<![\w/.,-])(\d{{1,4}}){_S}-{_S}({_CODE}){_S}/{_S}({_CODE})(?![\w/])", re.I)
_STATE_RE = re.compile(
    rf"(?<![\w/.,-])(\d{{1,5}}){_S}/{_S}(?:(\d{{4}}){_S}/{_S})?({_CODE})(?:{_S}-{_S}({_CODE}))?(?![\w/-])", re.I
)
# The date and subject after a citation are read when indexing only: these two are compiled (and
# cached by re) on first use, not by every search that imports this module.
_DATE_RE = r"^[\s,]*(?:ngày|ngay)?\s*(\d{1,2})\s*[/-]\s*(\d{1,2})\s*[/-]\s*(\d{4})"
# A subject runs to the end of its clause: punctuation, a paragraph break, or "và" + another type.
_SUBJECT_RE = (
    r"\b(?:về|ve)\s+(?:việc\s+|viec\s+)?(.{4,120}?)"
    r"(?=\s*[;.(“\"]|\n\s*\n|\s+(?:và|va)\s+(?:Chỉ thị|Nghị quyết|Kết luận|Quyết định|Kế hoạch)|$)"
)


def canonical_code(code: str) -> str:
    """``nđ`` / ``ND`` → ``NĐ``; ``ttg`` → ``TTg``; any other code in upper case."""
    upper = fold(code.replace("Ð", "Đ")).upper()
    return _CANON_CODES.get(upper, upper)


def document_type(text: str) -> str | None:
    """The type code a user means by a code or a type name (``ct``, ``Chỉ thị``, ``nghi dinh``), or None."""
    code = canonical_code(text.strip())
    if code in TYPE_NAMES:
        return code
    wanted = " ".join(fold(text).lower().split())
    return next((c for c, name in TYPE_NAMES.items() if fold(name).lower() == wanted), None)


def _split_glued(code: str) -> tuple[str, str] | None:
    """``NĐCP`` → (``NĐ``, ``CP``): a type code glued to its issuer."""
    for t in sorted(TYPE_NAMES, key=len, reverse=True):
        if t in ("CV", "QH"):
            continue
        head = fold(t).upper()
        if fold(code).upper().startswith(head) and len(code) > len(t) + 1 and code[len(t)].isalpha():
            return t, canonical_code(code[len(t):])
    return None


def _number(n: str) -> str:
    """Official numbers are zero-padded below 10: 5 and 05 are the same citation form."""
    return f"{int(n):02d}"


@record(frozen=True)
class Citation:
    """One citation in a text: its canonical id, parts, and [start, end) span."""

    ref_id: str
    type_code: str
    number: str
    year: str | None
    issuer: str
    start: int
    end: int

    @property
    def type_name(self) -> str:
        return TYPE_NAMES.get(self.type_code, self.type_code)


def _party(m: re.Match) -> Citation | None:
    number, code, issuer = m.group(1), canonical_code(m.group(2)), canonical_code(m.group(3))
    if code not in TYPE_NAMES or issuer[0].isdigit():
        return None
    return Citation(f"{_number(number)}-{code}/{issuer}", code, _number(number), None, issuer, m.start(), m.end())


def _state(m: re.Match) -> Citation | None:
    number, year, c1, c2 = m.group(1), m.group(2), canonical_code(m.group(3)), m.group(4)
    num = _number(number)
    if c2 is None:
        if re.fullmatch(r"QH\d{1,2}", c1) and year:  # a law: 45/2019/QH14
            return Citation(f"{num}/{year}/{c1}", "QH", num, year, c1, m.start(), m.end())
        glued = _split_glued(c1)
        if glued is None:
            return None
        c1, c2 = glued
    c2 = canonical_code(c2)
    prefix = f"{num}/{year}/" if year else f"{num}/"
    if c1 in TYPE_NAMES and c1 != "CV":
        return Citation(f"{prefix}{c1}-{c2}", c1, num, year, c2, m.start(), m.end())
    if year:
        return None  # number/year/X-Y with X not a type: not a form we know
    return Citation(f"{prefix}{c1}-{c2}", "CV", num, None, f"{c1}-{c2}", m.start(), m.end())


def find_citations(text: str) -> list[Citation]:
    """Every citation in text, in order; numbers that only look like one are left out."""
    found: list[Citation] = []
    taken: list[tuple[int, int]] = []
    for regex, build in ((_PARTY_RE, _party), (_STATE_RE, _state)):
        for m in regex.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            c = build(m)
            if c is not None:
                found.append(c)
                taken.append((c.start, c.end))
    return sorted(found, key=lambda c: c.start)


@record
class RefDetails:
    """What the text says about a cited document, next to its citations."""

    date: str | None = None
    subject: str | None = None


def citation_details(text: str, citation: Citation) -> RefDetails:
    """Date (``ngày 18/11/2022``) and subject (``về việc …``) written right after a citation."""
    after = text[citation.end:citation.end + 220]
    details = RefDetails()
    m = re.match(_DATE_RE, after, re.I)
    if m:
        d, mo, y = (int(x) for x in m.groups())
        if 1 <= d <= 31 and 1 <= mo <= 12:
            details.date = f"{y:04d}-{mo:02d}-{d:02d}"
    # The subject follows within the same sentence, possibly after the date and issuer.
    s = re.search(_SUBJECT_RE, after, re.I | re.S)
    if s and not re.search(r"[;.]", after[: s.start()]):
        details.subject = re.sub(r"\s+", " ", s.group(1)).strip(" ,")
    return details


@record
class RefQuery:
    """What a user typed to name a document, resolved into parts to match ids against."""

    number: str | None = None
    year: str | None = None
    types: set[str] = field(default_factory=set)
    codes: list[str] = field(default_factory=list)  # issuer / department codes

    def matches(self, info: dict) -> bool:
        """Does a catalogue entry (type, number, year, issuer) fit everything the query says?"""
        if self.number is None or info["number"] != self.number:
            return False
        if self.year and info.get("year") != self.year:
            return False
        if self.types and info["type"] not in self.types:
            return False
        issuer_parts = set(re.split(r"[-/]", info["issuer"]))
        return all(c in issuer_parts or c == info["type"] for c in self.codes)


def parse_ref_query(text: str) -> RefQuery:
    """Parse ``19-CT/TW``, ``19/CT-TW``, ``CT 19``, ``chi thi so 19``, ``15-2020-ND-CP``, ``19``."""
    q = RefQuery()
    folded = " " + re.sub(r"\s+", " ", fold(text)) + " "
    for words in sorted(TYPE_WORDS, key=len, reverse=True):
        if f" {words} " in folded:
            q.types |= TYPE_WORDS[words]
            folded = folded.replace(f" {words} ", " ")
    folded = re.sub(r"\bso\b", " ", folded)
    type_from_code = False
    for token in re.findall(r"\d+|[a-z]+\d*", folded):
        if token.isdigit():
            if q.number is None:
                q.number = _number(token)
            elif len(token) == 4 and q.year is None:
                q.year = token
            continue
        code = canonical_code(token)
        glued = _split_glued(code) if code not in TYPE_NAMES else None
        for part in glued or (code,):
            # The first type code written overrides a type word ("quy định 08-QĐi/TW" → QĐi).
            if part in TYPE_NAMES and part != "QH" and not type_from_code:
                q.types, type_from_code = {part}, True
            else:
                q.codes.append(part)
    return q


_MENTION_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(w) for w in TYPE_WORDS), key=len, reverse=True)) + r")\s+(?:so\s+)?(\d{1,5})\b"
)


def query_mentions(text: str) -> list[RefQuery]:
    """Document references inside an ordinary search query: official forms and ``chỉ thị 19``."""
    out = [parse_ref_query(c.ref_id) for c in find_citations(text)]
    for m in _MENTION_RE.finditer(fold(text)):
        out.append(RefQuery(number=_number(m.group(2)), types=set(TYPE_WORDS[m.group(1)])))
    return out
