"""What a document says it is: its own number, type, issuer and date, read from its heading.

A directive, decision, decree or law opens with a heading (the agency, ``Số 16-CT/TU``, the
place and date ``Hà Nam, ngày 2 tháng 12 năm 2022``, the type ``CHỈ THỊ``); the same numbers in
its body are citations of other documents. So only the heading area is read, and a number counts
only where the heading writes it (``Số`` opening a line or following the agency's capitals), never
after ``Chỉ thị số`` in a sentence. News pages carry a dateline (``06/02/2023 - 07:07``) at the top.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .normalize import fold
from .refs import TYPE_NAMES, Citation, find_citations

HEAD_CHARS = 1500  # a heading (agency, number, date, type, subject) fits well within this
DATELINE_CHARS = 400  # a news page's dateline sits right at its top

# A type heading as the document writes it, upper case, opening a line: type code (refs.py's
# names, and "BỘ LUẬT" for codes of law).
_TYPE_HEADINGS = {name.upper(): code for code, name in TYPE_NAMES.items()} | {"BỘ LUẬT": "QH"}
_TYPE_RE = re.compile(
    r"(?:^|\n)[ \t]*(" + "|".join(sorted(map(re.escape, _TYPE_HEADINGS), key=len, reverse=True)) + r")(?![^\W\d_])"
)
# The agency line opening a heading, folded, and the issuer code its numbers end with: the issuer
# of a document whose number is missing or unreadable (a scan, a garbled PDF line).
_AGENCIES = [
    ("ban chap hanh trung uong", "TW"), ("ban bi thu", "TW"), ("bo chinh tri", "TW"),
    ("tinh uy", "TU"), ("thanh uy", "TU"), ("huyen uy", "HU"), ("quan uy", "QU"), ("thi uy", "TU"),
    ("dang uy", "ĐU"), ("dang bo", "ĐU"), ("uy ban nhan dan", "UBND"), ("hoi dong nhan dan", "HĐND"),
    ("thu tuong chinh phu", "TTg"), ("thu tuong", "TTg"), ("chinh phu", "CP"), ("quoc hoi", "QH"),
]
AGENCY_CHARS = 300  # the agency line is the heading's first

# "Số", "SỐ:", "Số hiệu:", "Luật số:" where a heading writes it; what may come before it on its
# line is checked in _heading_number.
_NUMBER_RE = re.compile(r"(?<![^\W\d_])(?:Số|SỐ|số)(?:[ \t]+hiệu)?[ \t]*[:.]?[ \t]*", re.U)
_LEAD_TYPE_RE = re.compile(r"(?:bộ luật|luật|pháp lệnh)", re.I)
_WRITTEN_DATE_RE = re.compile(
    r"ngày[ \t]+(\d{1,2})[ \t]+tháng[ \t]+(\d{1,2})[ \t]+năm[ \t]+(\d{4})"
    r"|ngày[ \t]+(\d{1,2})[ \t]*[/.-][ \t]*(\d{1,2})[ \t]*[/.-][ \t]*(\d{4})",
    re.I,
)
# A dateline is a short line of its own: an optional label ("Cập nhật:"), weekday and time
# around a day-first date, and little else ("(GMT+7)", "AM").
_TIME = r"\d{1,2}[:h]\d{2}(?::\d{2})?(?:[ \t]*(?:AM|PM|SA|CH))?"
_DATELINE_RE = re.compile(
    r"(?:[^\W\d][^\d:\n]{0,24}:[ \t]*)?"  # a label: "Cập nhật:", "Ngày đăng:"
    r"(?:(?:thứ[ \t]+\w+|chủ[ \t]+nhật)[ \t]*,?[ \t]*)?"
    rf"(?:{_TIME}[ \t]*[-–|,]?[ \t]*)?(?:ngày[ \t]+)?"
    r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"
    rf"(?:[ \t]*[-–|,]?[ \t]*{_TIME})?[ \t]*(?:\([^)\n]{{0,20}}\))?[ \t]*",
    re.I,
)
DATELINE_LINES = 6  # a dateline is among a page's first few lines


@dataclass
class Identity:
    """A document's own number (a refs.py id), type code, issuer and date (ISO day)."""

    number: str | None = None
    type: str | None = None
    issuer: str | None = None
    date: str | None = None
    span: tuple[int, int] | None = field(default=None, compare=False)  # where the number is written

    @property
    def issuer_codes(self) -> list[str]:
        """What ``--issuer`` may name: the issuer, its parts and a law's QH without its term."""
        if not self.issuer:
            return []
        codes = [self.issuer, *re.split(r"[-/]", self.issuer)]
        codes += [re.sub(r"\d+$", "", c) for c in codes]
        return [c for c in dict.fromkeys(codes) if c]


def _caps_only(text: str) -> bool:
    """Whether text holds no lower-case letter: an agency line ("TỈNH ỦY HÀ NAM *"), or nothing."""
    return not any(ch.islower() for ch in text)


def _heading_number(head: str) -> Citation | None:
    for m in _NUMBER_RE.finditer(head):
        line_start = head.rfind("\n", 0, m.start()) + 1
        before = head[line_start:m.start()].strip()
        word = m.group(0)[:2]
        if word == "số" and before and not _LEAD_TYPE_RE.fullmatch(before):
            continue  # "Chỉ thị số 19-CT/TW" in a sentence: a citation
        if before and not (_caps_only(before) or _LEAD_TYPE_RE.fullmatch(before)):
            continue
        found = find_citations(head[m.end():m.end() + 40])
        if found and found[0].start == 0:
            c = found[0]
            return Citation(c.ref_id, c.type_code, c.number, c.year, c.issuer, m.end(), m.end() + c.end)
    return None


def _ends_with_citation(text: str) -> bool:
    cited = find_citations(text)
    return bool(cited) and cited[-1].end >= len(text) - 1


def _written_date(head: str, own: tuple[int, int] | None = None) -> str | None:
    """The heading's date line: "<place>, ngày 2 tháng 12 năm 2022", or "ngày ..." opening a
    line, or right after the heading's own number (own: its span)."""
    for m in _WRITTEN_DATE_RE.finditer(head):
        line_start = head.rfind("\n", 0, m.start()) + 1
        before = head[line_start:m.start()].rstrip()
        if own and line_start <= own[1] <= m.start() and not head[own[1]:m.start()].strip(" \t,"):
            pass  # "Số: 16-CT/TU, ngày 2/12/2022": the heading dates its own number
        elif before and not (before.endswith(",") or _place(before)):
            continue
        elif before and _ends_with_citation(before[-40:]):
            continue  # "Chỉ thị số 19-CT/TW, ngày ...": the date of a cited document
        d, mo, y = (int(x) for x in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
        day = _valid(y, mo, d)
        if day:
            return day
    return None


def _place(text: str) -> bool:
    """Whether text, before a heading's date, is a place name as headings write it: a few words,
    each capitalised ("Hà Nội", "TP. Hồ Chí Minh"; the motto's "Độc lập - Tự do - Hạnh phúc Hà
    Nam" where a PDF joins the lines), never a sentence."""
    words = [w for w in re.split(r"[\s,.*|-]+", text) if w]
    return 0 < len(words) <= 14 and all(w[0].isupper() or w[0].isdigit() for w in words)


def _valid(y: int, mo: int, d: int) -> str | None:
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def agency_issuer(head: str) -> str | None:
    """The issuer code of the agency a heading opens with, in capitals: "TỈNH ỦY HÀ NAM" → TU."""
    for line in head[:AGENCY_CHARS].split("\n"):
        line = line.strip(" *-")
        if not line:
            continue
        if not _caps_only(line):
            return None  # the heading's capitals are over: running text
        folded = " ".join(fold(line).lower().split())
        for name, code in _AGENCIES:
            if folded.startswith(name):
                return code
    return None


def dateline(text: str) -> str | None:
    """A news page's date at its top: a line "06/02/2023 - 07:07" or "Thứ Hai, 06/02/2023"."""
    lines = [line.strip() for line in text[:DATELINE_CHARS].split("\n") if line.strip()]
    for line in lines[:DATELINE_LINES]:
        m = _DATELINE_RE.fullmatch(line)
        if m:
            return _valid(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return None


def document_identity(text: str, published: str | None = None) -> Identity:
    """The identity a document's heading gives; fields it does not give are None.

    Its date is the heading's, else ``published`` (a web page's metadata), else a dateline.
    """
    head = text[:HEAD_CHARS]
    ident = Identity()
    number = _heading_number(head)
    if number is not None:
        ident.number, ident.type, ident.issuer = number.ref_id, number.type_code, number.issuer
        ident.span = (number.start, number.end)
    written = _written_date(head, ident.span)
    agency = agency_issuer(head)
    # A type heading (CHỈ THỊ, LUẬT) counts in a heading that has a number, a date line or an
    # agency: alone, capitals opening a line may be a news title ("QUYẾT ĐỊNH MỚI VỀ THUẾ").
    m = _TYPE_RE.search(head) if ident.type is None and (number or written or agency) else None
    if m:
        ident.type = _TYPE_HEADINGS[m.group(1)]
    if ident.issuer is None and ident.type is not None:  # (a news title in capitals is no agency)
        ident.issuer = agency
    ident.date = written or published or dateline(text)
    return ident


def issuer_codes(text: str) -> list[str]:
    """The issuer codes a user names (``TU``, ``ubnd``, ``NĐ-CP``, ``tỉnh ủy``): a type code
    before the issuer is dropped, so ``NĐ-CP`` means issuer CP; an agency's name is its code."""
    from .refs import SPECIAL_CODES, TYPE_NAMES, canonical_code

    known = {*TYPE_NAMES, *SPECIAL_CODES, *(code for _, code in _AGENCIES)}
    named = " ".join(fold(text).lower().split())
    for name, code in _AGENCIES:
        if named == name or named.startswith(name + " "):  # "tỉnh ủy", "Ủy ban nhân dân tỉnh"
            return [code]
    words = [p.strip(".,;:()[]'\"") for p in re.split(r"[-/&\s]+", fold(text))]
    parts = [canonical_code(p) for p in words if p.isalnum()]  # (a code is letters and digits)
    if len(parts) > 1 and not any(p in known for p in parts):
        # Words that hold no code we know are an agency's name ("Sở Y tế", "SỞ Y TẾ", "Bộ Tài
        # chính"): its code is its initials, "và" and a place after it left out (Sở Y tế tỉnh
        # Bến Tre: SYT; Sở Giáo dục và Đào tạo: SGDĐT).
        name = re.split(r"\b(?:tinh|thanh pho|huyen)\b", " ".join(p.lower() for p in words if p.isalnum()))[0]
        initials = "".join(w[0] for w in name.split() if w != "va")
        return [canonical_code(initials)] if len(initials) > 1 else parts
    if len(parts) > 1 and parts[0] in TYPE_NAMES:
        parts = parts[1:]
    return parts
