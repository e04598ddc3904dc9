"""Reads the structure of Vietnamese legal text (Phần, Chương, Mục, Điều, khoản, điểm) from its line starts.

Readers cite laws as "Điều 12, khoản 2, điểm a": passages follow that structure and each one
says where it sits. A heading counts only at a line start, only where the line before ends a
sentence or a heading (or at least does not lead into a number), and only when its number
continues the numbering so far, so that a hard-wrapped "quy định tại\\nĐiều 5." or an article
quoted inside an amending law stays text.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .normalize import repair

NAMES = {"phan": "Phần", "chuong": "Chương", "muc": "Mục", "dieu": "Điều", "khoan": "khoản", "diem": "điểm"}
# Points are lettered in Vietnamese alphabetical order (no f, j, w, z); some drafters use the
# Latin order instead, which is accepted too.
_POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"
_LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"

# Codes are cut into parts: "PHẦN THỨ NHẤT", "Phần thứ hai", "Phần I"; chapters number on across them.
_ORDINALS = {"nhất": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
             "mười": 10}
_TEENS = {"một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5, "sáu": 6, "bảy": 7, "tám": 8,
          "chín": 9}  # "mười một" .. "mười chín"


def _alternatives(words) -> str:
    return "|".join(sorted({w for o in words for w in (o, o.upper())}, key=len, reverse=True))


_PART_RE = re.compile(r"(?:Phần|PHẦN)\s+((?:thứ|THỨ)\s+(?:(?:mười|MƯỜI)\s+(?:" + _alternatives(_TEENS) + r")|"
                      + _alternatives(_ORDINALS) + r")|[IVX]+|\d{1,2})(?!\w)")
_CHAPTER_RE = re.compile(r"(?:Chương|CHƯƠNG)\s+([IVXLCDM]+|\d{1,3})\b")
_SECTION_RE = re.compile(r"(?:Mục|MỤC)\s+([IVX]+|\d{1,3})\b")
_ARTICLE_RE = re.compile(r"(?:Điều|ĐIỀU)\s+(\d{1,4})([a-zđ]?)\b")
_CLAUSE_RE = re.compile(r"(\d{1,3})\.(?!\d)")
_POINT_RE = re.compile(r"([a-zđ])\)(?=\s|$)")
# What may follow a chapter, section or article number on its heading line.
_TITLE_MARK_RE = re.compile(r"\s*(?:$|[.:]|[-–—]\s)")
# A line ending with one of these ends a sentence (or a quotation, or a list item).
_LINE_END_CHARS = set(".;:!?…\"'”’)]")
_QUOTE_RE = re.compile("[\"“”]")
_OPENS_QUOTE_RE = re.compile(r"(?:^|\n|:)[ \t]*$")
# In a title, "Điều N" names the article a record holds only at the title's start or end:
# "Điều 2. Giải thích từ ngữ", "Luật Phòng, chống ma túy - Điều 2" (not "Hướng dẫn Điều 2 Luật X").
_TITLE_ARTICLE_RE = re.compile(r"(?:^|[\s\-–—|,.:/(])(?:Điều|ĐIỀU)\s+(\d{1,4})([a-zđ]?)(?=\s*(?:$|[.:)]|[-–—]\s))")
_TITLE_CHAPTER_RE = re.compile(r"(?:^|[\s\-–—|,.:/(])(?:Chương|CHƯƠNG)\s+([IVXLCDM]+|\d{1,3})\b")
_TITLE_SECTION_RE = re.compile(r"(?:^|[\s\-–—|,.:/(])(?:Mục|MỤC)\s+([IVX]+|\d{1,3})\b")
_WORD_RE = re.compile(r"[^\W_]+")  # as passages.py counts words
# Words after which a number at the next line's start continues the sentence: "quy định tại /
# Điều 5", "khoản / 2", "ngày 1 tháng / 2".
_LEADS_INTO_NUMBER_RE = re.compile(
    r"(?:^|[^\w])(?:tại|theo|của|và|hoặc|với|từ|đến|như|gồm|trong|thuộc|về|là|các|những|tới|sang|"
    r"điều|khoản|điểm|mục|chương|phần|tiết|số|ngày|tháng|năm|lần|thứ|mức|loại|nhóm|bước|trang)$",
    re.IGNORECASE)
_TITLE_LINES = 3  # lines after a chapter, section or article heading that may still be its title

Location = tuple  # ((kind, number), ...) from the chapter down, e.g. (("dieu", "12"), ("khoan", "2"))


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading found at text[start]; location is where the text after it sits."""

    start: int
    kind: str  # chuong, muc, dieu, khoan or diem; "title" for an article named by the document's title
    location: Location
    line_end: int  # where the heading's line ends
    title_words: int = 0  # for "title": words of the article's own title in the document's title


def format_location(location: Location) -> str:
    """("dieu", "12"), ("khoan", "2") -> "Điều 12, khoản 2"."""
    return ", ".join(f"{NAMES[kind]} {number}" for kind, number in location)


def section_label(first: Location, last: Location) -> str | None:
    """The label of a passage covering the clauses or points from location first to last:
    "Điều 12, khoản 2", or with a range, "Điều 12, khoản 2-4"."""
    if not first:
        return None
    label = format_location(first)
    if last != first and len(last) == len(first) and last[:-1] == first[:-1] and last[-1][0] == first[-1][0]:
        label += f"-{last[-1][1]}"
    return label


def _roman(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for i, ch in enumerate(numeral):
        v = values[ch]
        total += -v if i + 1 < len(numeral) and values[numeral[i + 1]] > v else v
    return total


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    words = text.lower().split()  # "thứ hai", "thứ mười một"
    if len(words) == 3:
        return 10 + _TEENS[words[2]]
    return _ORDINALS[words[-1]] if len(words) == 2 else _roman(text)


def _next_letters(letter: str | None) -> set[str]:
    if letter is None:
        return {"a"}
    out = set()
    for alphabet in (_POINT_LETTERS, _LATIN_LETTERS):
        i = alphabet.find(letter)
        if 0 <= i < len(alphabet) - 1:
            out.add(alphabet[i + 1])
    return out


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quotations that run over several lines and open at a line start or after a colon.

    Amending laws quote the articles they rewrite ("như sau:\\n“Điều 5. …”"); headings inside
    belong to the quoted law, not to the text quoting it. Curly quotes pair as nested brackets;
    straight quotes pair in turn. An opening quote that is never closed quotes nothing.
    """
    spans = []
    curly: list[int] = []
    straight: int | None = None
    for m in _QUOTE_RE.finditer(text):
        q, at = m.group(), m.start()
        if q == "“":
            curly.append(at)
            continue
        if q == "”":
            if not curly:
                continue
            a = curly.pop()
        elif straight is None:
            straight = at
            continue
        else:
            a, straight = straight, None
        if text.find("\n", a, at) >= 0 and _OPENS_QUOTE_RE.search(text, max(0, a - 200), a):
            spans.append((a, at + 1))
    spans.sort()
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def title_location(title: str | None) -> Location:
    """The chapter, section and article a document's title names it as ("Luật X - Điều 2"), or ()."""
    return _title_article(title)[0]


def _title_article(title: str | None) -> tuple[Location, int]:
    """title_location, and how many words of the article's own title follow "Điều N." in it."""
    if not title:
        return (), 0
    title = repair(title).replace("\u00d0", "Đ").strip()
    article = _TITLE_ARTICLE_RE.search(title)
    if not article:
        return (), 0
    at_end = not title[article.end():].strip(" .:)")
    named = title[article.end():].lstrip()[:1] in (".", ":")  # "Điều 2. Giải thích từ ngữ"
    if not (not title[:article.start()].strip(" -–—|,.:/(") or at_end or named):
        return (), 0
    location = []
    chapter = _TITLE_CHAPTER_RE.search(title)
    if chapter:
        location.append(("chuong", chapter.group(1)))
    section = _TITLE_SECTION_RE.search(title)
    if section:
        location.append(("muc", section.group(1)))
    location.append(("dieu", article.group(1) + article.group(2)))
    return tuple(location), len(_WORD_RE.findall(title, article.end())) if named else 0


def _has_lower(line: str) -> bool:
    return any(c.islower() for c in line)


def find_headings(text: str, title: str | None = None) -> list[Heading]:
    """The legal headings of text in order, each with the location it opens.

    A document whose title names an article ("Luật X - Điều 2", one record per article) is read
    as that article: its clauses and points are found in the text, and an article heading in it
    counts only if it comes after (a record that runs on into the next article). Without any
    article, nothing is a heading (a numbered list in a news story is not a law's clause).
    """
    from_title, title_words = _title_article(title)
    if from_title:
        own = find_headings(text)
        if own and own[0].kind == "dieu" and own[0].location[-1] == from_title[-1]:
            return own  # the record repeats its article's heading
    quotes = quoted_spans(text)
    quote_starts = [a for a, _ in quotes]
    headings: list[Heading] = []
    part = chapter = section = None  # (kind, number) of the current part, chapter and section
    part_no = 0
    article: tuple | None = None  # ("dieu", number) once inside an article
    chapter_no = section_no = clause_no = 0
    article_no = (0, "")
    clause = point = None
    last_point: str | None = None
    prev_ends = True  # the line before ends a sentence or a heading, or there is none
    prev_lead = prev_colon = False
    prev_text = ""
    prev_caps = True
    title_lines = 0  # lines still possibly the title of the last heading
    last_kind = None  # of the last heading found
    if from_title:
        article = from_title[-1]
        chapter = next((p for p in from_title if p[0] == "chuong"), None)
        section = next((p for p in from_title if p[0] == "muc"), None)
        title_lines = _TITLE_LINES  # the record may start with the article's title
        digits = re.match(r"\d+", article[1]).group()
        article_no = (int(digits), article[1][len(digits):])
    pos = 0
    for raw in text.split("\n"):
        line_start, pos = pos, pos + len(raw) + 1
        stripped = raw.strip()
        if not stripped:
            continue
        start = line_start + len(raw) - len(raw.lstrip())
        i = bisect_right(quote_starts, start - 1) - 1
        quoted = i >= 0 and quotes[i][0] < start < quotes[i][1]
        # After a sentence end or a heading a heading may start anywhere in the numbering;
        # after a line that merely wraps, only the next number does, and never after a word
        # that leads into a number ("tại", "khoản", "tháng").
        boundary = prev_ends or title_lines > 0
        found = None if quoted or prev_lead else _match_heading(_head(raw))
        accepted = None
        if found:
            kind, number = found
            if kind == "phan":
                value = _number(number)
                restart = value == 1 and prev_caps and part_no > 0  # a second code starts over
                if (value > part_no and (boundary or value == part_no + 1)) or restart:
                    if restart:
                        chapter_no, article_no = 0, (0, "")
                    part_no = value
                    part, chapter, section, article, clause, point = ("phan", number), None, None, None, None, None
                    accepted = kind
            elif kind == "chuong":
                value = _number(number)
                restart = value == 1 and prev_caps and chapter_no > 0  # a second document starts over
                if (value > chapter_no and (boundary or value == chapter_no + 1)) or restart:
                    if restart:
                        article_no = (0, "")
                        if last_kind != "phan":  # a document without parts (or a part starting at Chương I)
                            part, part_no = None, 0
                    chapter_no, section_no = value, 0
                    chapter, section, article, clause, point = ("chuong", number), None, None, None, None
                    accepted = kind
            elif kind == "muc":
                value = _number(number)
                if value > section_no and (boundary or value == section_no + 1):
                    section_no = value
                    section, article, clause, point = ("muc", number), None, None, None
                    accepted = kind
            elif kind == "dieu":
                digits = re.match(r"\d+", number).group()
                key = (int(digits), number[len(digits):])
                follows = key == (article_no[0] + 1, "")
                # A decision's articles, then the regulation it issues: numbering starts over.
                restart = key == (1, "") and boundary and (prev_caps or last_kind in ("chuong", "muc"))
                # An article after "như sau:" that does not follow on is quoted, marks or not.
                announced = prev_colon and _names(prev_text, "Điều", number)  # "Điều 5 được sửa đổi như sau:"
                if ((key > article_no and (follows or (boundary and not prev_colon))) or restart) and not announced:
                    article_no, clause_no = key, 0
                    article, clause, point, last_point = ("dieu", number), None, None, None
                    accepted = kind
            elif kind == "khoan" and article is not None:
                if int(number) == clause_no + 1 and not (prev_colon and _names(prev_text, "khoản", number)):
                    clause_no = int(number)
                    clause, point, last_point = ("khoan", number), None, None
                    accepted = kind
            elif kind == "diem" and article is not None:
                if number in _next_letters(last_point):
                    last_point = number
                    point = ("diem", number)
                    accepted = kind
        if accepted:
            location = tuple(p for p in (part, chapter, section, article, clause, point) if p)
            headings.append(Heading(start, accepted, location, line_start + len(raw)))
            last_kind = accepted
            title_lines = _TITLE_LINES if accepted in ("phan", "chuong", "muc", "dieu") else 0
        elif title_lines == _TITLE_LINES or stripped[:1].islower() or not _has_lower(stripped):
            # The line after a heading may be its title; a title wrapped further goes on in
            # lower case ("Điều 13. Trách nhiệm của cơ quan nhà / nước trong ...").
            title_lines = max(0, title_lines - 1)
        else:
            title_lines = 0
        prev_caps = not _has_lower(stripped)
        prev_ends = stripped[-1] in _LINE_END_CHARS or prev_caps or accepted in ("khoan", "diem")
        prev_colon = stripped.endswith(":")
        prev_text = stripped
        prev_lead = not prev_caps and bool(_LEADS_INTO_NUMBER_RE.search(stripped[-20:]))
        if prev_ends and not accepted:
            title_lines = 0
    if not any(h.kind == "dieu" for h in headings) and not from_title:
        return []
    if from_title:
        headings.insert(0, Heading(0, "title", from_title, 0, title_words))
    return headings


def _names(line: str, word: str, number: str) -> bool:
    """Does line cite ``word number`` (an article or clause it then quotes without quotation marks)?"""
    return re.search(rf"(?<!\w){word}\s+{re.escape(number)}(?!\w)", repair(line), re.IGNORECASE) is not None


def _head(line: str) -> str:
    """The start of a line as headings are matched: after Markdown marks (``## Điều 1.``,
    ``**1.**``), NFC, repaired, Ð (U+00D0) read as Đ."""
    return repair(line.lstrip().lstrip("#*_> \t")[:80]).replace("\u00d0", "Đ")


def starts_like_heading(line: str) -> bool:
    """Does line start like a chapter, section, article, clause or point heading (whatever precedes it)?"""
    return _match_heading(_head(line)) is not None


def _match_heading(head: str) -> tuple[str, str] | None:
    """(kind, number) when a line starts like a heading."""
    for kind, pattern in (("phan", _PART_RE), ("chuong", _CHAPTER_RE), ("muc", _SECTION_RE)):
        m = pattern.match(head)
        if m:
            tail = head[m.end():]
            if _TITLE_MARK_RE.match(tail) or (tail[:1].isspace() and tail.lstrip()[:1].isupper()):
                number = m.group(1)
                return kind, number.lower() if number[:1] in "tT" else number  # "THỨ HAI" -> "thứ hai"
            return None
    m = _ARTICLE_RE.match(head)
    if m:
        return ("dieu", m.group(1) + m.group(2)) if _TITLE_MARK_RE.match(head, m.end()) else None
    m = _CLAUSE_RE.match(head)
    if m:
        return "khoan", m.group(1)
    m = _POINT_RE.match(head)
    if m:
        return "diem", m.group(1)
    return None
