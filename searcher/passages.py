"""Splits a document into passages of a few sentences, each with its span in the source.

Passages are what search returns. Paragraphs (blank-line separated blocks) are the natural
unit, but PDF extractions hard-wrap lines and lose or scatter blank lines, so blocks are merged
up to a minimum size and long ones are cut at sentence ends, keeping every passage readable.
A law is cut along its own structure instead (articles, clauses, points: see sections.py), so
that a hit is one article or clause and says which.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from typing import NamedTuple

from .sections import Heading, find_headings, format_location, section_label

MIN_WORDS = 40
MAX_WORDS = 140
REPEAT_MIN_WORDS = 4  # shorter paragraphs ("Ảnh: TTXVN", a lone heading) may repeat legitimately
MAX_CHARS = 3000  # text without spaces (dumps, glued PDF runs) is cut by length instead

_BLOCK_BREAK_RE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# A sentence ends at . ! ? … (optionally closed by a quote or bracket) before a space and an
# upper-case letter, digit or opening quote; "TP. Hồ Chí Minh"-style abbreviations are rare
# enough in running text that an occasional early cut does no harm.
_SENTENCE_END_RE = re.compile(r"[.!?…;:][\"'”’)\]]*\s+(?=[\"“‘(\[]?[^\W_a-zà-ỹđ])")
_WORD_RE = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Passage:
    """A [start, end) span of a document, the 1-based line where it starts, and its section."""

    start: int
    end: int
    line: int
    section: str | None = None  # "Chương II, Điều 12, khoản 2" in legal text (see sections.py)
    # The heading lines over a passage that it does not hold itself: its article's name, its
    # clause's lead-in ("2. Nghiêm cấm các hành vi sau đây:"), without their numbers.
    context: str = ""


def _spans(text: str, pattern: re.Pattern, start: int, end: int) -> list[tuple[int, int]]:
    """Cut text[start:end] at each match of pattern; spans exclude the separators' whitespace."""
    out = []
    pos = start
    for m in pattern.finditer(text, start, end):
        cut = m.start() if pattern is _BLOCK_BREAK_RE else m.end()
        out.append((pos, cut))
        pos = m.end()
    out.append((pos, end))
    return [_strip(text, a, b) for a, b in out if text[a:b].strip()]


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _word_count(text: str, a: int, b: int) -> int:
    return len(_WORD_RE.findall(text, a, b))


def _sentences(text: str, a: int, b: int) -> list[tuple[int, int, int]]:
    """Sentences of a block as (start, end, words); over-long ones are cut at word boundaries."""
    out = []
    for s, e in _spans(text, _SENTENCE_END_RE, a, b):
        words = list(_WORD_RE.finditer(text, s, e))
        if len(words) <= MAX_WORDS:
            out.append((s, e, len(words)))
            continue
        piece_start = s
        for i in range(MAX_WORDS, len(words), MAX_WORDS):
            cut = words[i].start()
            out.append((*_strip(text, piece_start, cut), MAX_WORDS))
            piece_start = cut
        out.append((*_strip(text, piece_start, e), len(words) % MAX_WORDS or MAX_WORDS))
    return [piece for s, e, n in out for piece in _cap_chars(text, s, e, n)]


def _cap_chars(text: str, s: int, e: int, words: int) -> list[tuple[int, int, int]]:
    """Cut a span longer than MAX_CHARS, at the last space before each limit when there is one."""
    if e - s <= MAX_CHARS:
        return [(s, e, words)]
    out = []
    while e - s > MAX_CHARS:
        cut = text.rfind(" ", s + MAX_CHARS // 2, s + MAX_CHARS)
        cut = cut if cut > s else s + MAX_CHARS
        a, b = _strip(text, s, cut)
        out.append((a, b, _word_count(text, a, b)))
        s = cut
    a, b = _strip(text, s, e)
    if a < b:
        out.append((a, b, _word_count(text, a, b)))
    return out


def _block_key(text: str, a: int, b: int) -> str:
    """What makes two paragraphs the same: their words, whatever the spacing; "" if too short to judge."""
    words = _WORD_RE.findall(text, a, b)
    return " ".join(words).lower() if len(words) >= REPEAT_MIN_WORDS else ""


def split_passages(text: str, title: str | None = None) -> list[Passage]:
    """Split text into passages of roughly MIN_WORDS..MAX_WORDS words.

    A passage ends at a paragraph break once it has MIN_WORDS words, or before a sentence that
    would take it past MAX_WORDS. A short trailing passage joins the one before it. A paragraph
    that repeats an earlier one word for word (photo captions, boilerplate) is left out.

    Legal text (see sections.py) is split along its structure instead: a passage never spans
    two articles (Điều), a long article is cut between its clauses (khoản), a long clause
    between its points (điểm), and each passage carries its section label. ``title`` may name
    the article a record holds ("Luật X - Điều 2").
    """
    headings = find_headings(text, title)
    if not headings:
        return _passages(text, [(s, e, None) for s, e, _ in _plain_spans(text, 0, len(text), set())])
    spans: list[tuple[int, int, str | None]] = []
    first = headings[0].start
    if text[:first].strip():
        spans += [(s, e, None) for s, e, _ in _plain_spans(text, 0, first, set())]
    for group, end in _articles(headings, len(text)):
        node = _tree(text, group, end)
        # An article named in a record's title ("Điều 2. Giải thích từ ngữ") has its name there.
        named = next((h for h in group if h.kind == "title" and h.title_words), None)
        name = " ".join(_WORD_RE.findall(title)[-named.title_words:]) if named else None
        spans += [(p.start, p.end, p.label, _context(text, node, p.start, name))
                  for p in _pack(text, node) if p.start < p.end]
    return _passages(text, spans)


def _passages(text: str, spans: list[tuple]) -> list[Passage]:
    """Passages of (start, end, section[, context]) spans in text order, each with the line it starts on."""
    out, line, counted = [], 1, 0
    for s, e, *about in spans:
        line += text.count("\n", counted, s)
        counted = s
        out.append(Passage(s, e, line, *about))
    return out


CONTEXT_WORDS = 24  # of each heading line given to the passages below it
_LABEL_RE = re.compile(r"\s*(?:\d+[.)]|[a-zđ]\))\s*")


def _context(text: str, node: "_Node", start: int, name: str | None = None) -> str:
    """The heading lines of the nodes over a passage starting at start, their numbers left out;
    name, when given, is the article's (from a record's title)."""
    lines = []
    if name and node.start < start:
        lines.append(" ".join(name.split()[:CONTEXT_WORDS]))
        node = next((c for c in node.children if c.start <= start < c.end), None)
    while node is not None and node.start < start:
        a = node.text_from if node.text_from >= 0 else node.start
        label = _LABEL_RE.match(text, a)
        a = label.end() if label else a
        words = _first_words(text, a, node.own_end)
        if words:
            lines.append(" ".join(words[:CONTEXT_WORDS]))
        node = next((c for c in node.children if c.start <= start < c.end), None)
    return "\n".join(lines)


def _first_words(text: str, a: int, b: int) -> list[str]:
    """Up to CONTEXT_WORDS words of the line starting at a (ending before b), read no further
    than they are: a heading line may be a whole article on one line, given to each of its
    passages."""
    words = []
    last = a
    for m in _WORD_RE.finditer(text, a, b):
        if len(words) == CONTEXT_WORDS or text.find("\n", last, m.start()) >= 0:
            break
        words.append(m.group())
        last = m.end()
    return words


def _plain_spans(text: str, start: int, end: int, seen_blocks: set[str]) -> list[list[int]]:
    """[start, end, words] of the passages of text[start:end] split by paragraphs and sentences."""
    spans: list[list[int]] = []  # [start, end, words]
    current: list[int] | None = None
    for block_start, block_end in _spans(text, _BLOCK_BREAK_RE, start, end):
        key = _block_key(text, block_start, block_end)
        if key in seen_blocks:
            # A repeated caption or boilerplate block is indexed once: the passage so far ends
            # before the repeat, so no span covers it.
            if current is not None:
                spans.append(current)
                current = None
            continue
        if key:
            seen_blocks.add(key)
        for s, e, n in _sentences(text, block_start, block_end):
            if current is not None and (
                (current[2] + n > MAX_WORDS and current[2] >= MIN_WORDS // 2) or e - current[0] > MAX_CHARS
            ):
                spans.append(current)
                current = None
            if current is None:
                current = [s, e, n]
            else:
                current[1], current[2] = e, current[2] + n
        if current is not None and current[2] >= MIN_WORDS:
            spans.append(current)
            current = None
    if current is not None:
        if (spans and current[2] < MIN_WORDS // 2 and spans[-1][2] + current[2] <= MAX_WORDS * 1.5
                and current[1] - spans[-1][0] <= MAX_CHARS):
            spans[-1][1] = current[1]
            spans[-1][2] += current[2]
        else:
            spans.append(current)
    return spans


_DIVISIONS = ("phan", "chuong", "muc")  # headings over articles: they go with the next article


@dataclass
class _Node:
    """An article, clause or point: its own text (up to its first child) and its children."""

    start: int
    own_end: int
    end: int
    location: tuple
    words: int  # of the whole node, its heading lines left out
    own_words: int
    children: list["_Node"]
    text_from: int = -1  # where its own text starts after "Điều N." (article nodes)


def _articles(headings: list[Heading], text_end: int):
    """(headings of one article, where it ends): a chapter or section heading joins the next article."""
    groups: list[list[Heading]] = []
    pending: list[Heading] = []
    for h in headings:
        if h.kind in _DIVISIONS:
            pending.append(h)
        elif h.kind in ("dieu", "title") or not groups:
            groups.append(pending + [h])
            pending = []
        else:
            groups[-1].append(h)
    if pending:
        groups.append(pending)
    for i, group in enumerate(groups):
        yield group, groups[i + 1][0].start if i + 1 < len(groups) else text_end


def _tree(text: str, group: list[Heading], end: int) -> _Node:
    """The article of group as a tree of clauses and points.

    Chapter and section headings and the article's "Điều N" are not counted as words, and the
    article's title in a record's title is, so that an article of a whole law and the same
    article as a record of its own ("Điều N" only in the title) are cut the same way.
    """
    bounds = [h.start for h in group[1:]] + [end]
    nodes: list[_Node] = []
    for h, seg_end in zip(group, bounds):
        words = 0 if h.kind in _DIVISIONS else _word_count(text, h.start, seg_end)
        if h.kind == "dieu":
            words = max(0, words - 2)  # "Điều", "12"
        elif h.kind == "title":
            words += h.title_words
        nodes.append(_Node(h.start, seg_end, seg_end, h.location, words, words, []))
        if h.kind == "dieu":
            label = list(islice(_WORD_RE.finditer(text, h.start, seg_end), 2))
            nodes[-1].text_from = label[-1].end() if len(label) == 2 else h.start
    # The article's node starts at its first heading (a chapter's), its location is the article's.
    article_at = next(i for i, h in enumerate(group) if h.kind not in _DIVISIONS) if any(
        h.kind not in _DIVISIONS for h in group) else len(group) - 1
    root = nodes[article_at]
    root.start = nodes[0].start
    root.words = root.own_words = sum(n.own_words for n in nodes[:article_at + 1])
    stack = [root]
    for node in nodes[article_at + 1:]:
        while len(stack) > 1 and len(stack[-1].location) >= len(node.location):
            stack.pop()
        stack[-1].children.append(node)
        stack.append(node)
    _close(root)
    return root


def _close(node: _Node) -> None:
    """Set each node's own end, whole end and word count from its children."""
    for child in node.children:
        _close(child)
    if node.children:
        node.own_end = node.children[0].start
        node.end = node.children[-1].end
        node.words = node.own_words + sum(c.words for c in node.children)


class _Piece(NamedTuple):
    """A passage-to-be of a node: a whole child (or the node's own text) may share a passage
    with its whole neighbours; first and last are the children it covers (None: own text only)."""

    start: int
    end: int
    words: int
    label: str
    whole: bool
    first: tuple | None
    last: tuple | None


def _pack(text: str, node: _Node) -> list[_Piece]:
    """The passages of a node, each with its section label.

    A node that fits is one passage, labelled with the node ("Điều 12"). Otherwise its own text
    and its children are packed separately, consecutive whole ones sharing passages of even
    size (see _even), and a passage covering several children is labelled with their range
    ("Điều 12, khoản 1-3"), so that an article with its heading (a law) and without it (a record
    named "Điều 12" in its title) get the same labels.
    """
    here = format_location(node.location)
    start, end = _strip(text, node.start, node.end)
    if node.words <= MAX_WORDS and end - start <= MAX_CHARS:
        return [_Piece(start, end, node.words, here, True, node.location, node.location)]
    items: list[_Piece] = []
    own_start, own_end = _strip(text, node.start, node.own_end)
    if own_start < own_end:
        if node.own_words <= MAX_WORDS and own_end - own_start <= MAX_CHARS:
            items.append(_Piece(own_start, own_end, node.own_words, here, True, None, None))
        else:
            # Cut as the same article's text would be without its "Điều N." (a record's text).
            cut_from = _strip(text, max(own_start, node.text_from), own_end)[0]
            pieces = _plain_spans(text, cut_from, own_end, set()) or [[cut_from, own_end, 0]]
            pieces[0][0] = own_start
            items += [_Piece(s, e, n, here, False, None, None) for s, e, n in pieces]
    heading_only = len(items) == 1 and items[0].whole and items[0].words < MIN_WORDS // 2
    for child in node.children:
        pieces = _pack(text, child)
        if len(pieces) > 1:
            pieces = [p._replace(whole=False) for p in pieces]
        items += pieces
    return _group(items, heading_only, here)


def _group(items: list[_Piece], heading_only: bool, here: str) -> list[_Piece]:
    """A node's pieces grouped into passages: a short heading with the piece after it, each run
    of whole pieces packed evenly (_even), the pieces of a cut child left as they are."""
    if heading_only and len(items) > 1:
        head, first = items[0], items[1]
        if head.words + first.words <= MAX_WORDS * 1.5 and first.end - head.start <= MAX_CHARS * 1.5:
            # A heading with a line or two of its own goes with what follows, even a piece of it,
            # and even past MAX_WORDS (as a short last passage joins the one before it): alone, an
            # article's name ("Tội giết người") is a passage that outranks the article's text.
            items = [first._replace(start=head.start, words=head.words + first.words), *items[2:]]
    out: list[_Piece] = []
    run: list[_Piece] = []
    for item in [*items, None]:
        if item is not None and item.whole:
            run.append(item)
            continue
        out += _even(run, here)
        run = []
        if item is not None:
            out.append(item)
    return out


def _even(run: list[_Piece], here: str) -> list[_Piece]:
    """Consecutive whole pieces (clauses, points) as the fewest passages that fit, their sizes
    as even as can be (least sum of squared word counts).

    Filling each passage in turn left a clause or two over at the end of many articles: 94
    passages of ALQAC's law articles under 20 words, where BM25's length normalisation lets a
    short clause outrank the whole article a question is about. Even packing leaves 28, and
    ranks ALQAC dev 0.9734 -> 0.9752 (our statements set: 0.9612 -> 0.9614).
    """
    n = len(run)
    if n < 2:
        return list(run)
    # best[j]: (passages, cost, where the last starts) for run[:j], fewest passages first. Both
    # add up over passages, so the best cut of run[:j] ends a best cut of run[:i]. A passage
    # holds at most MAX_WORDS words (one piece alone may hold more), so only the last few
    # starts are tried: linear in the pieces, whatever a hostile list of numbered lines holds.
    best: list[tuple[int, int, int]] = [(0, 0, 0)]
    for j in range(1, n + 1):
        words = run[j - 1].words
        options = [(best[j - 1][0] + 1, best[j - 1][1] + words * words, j - 1)]
        for i in range(j - 2, -1, -1):
            words += run[i].words
            if words > MAX_WORDS or run[j - 1].end - run[i].start > MAX_CHARS:
                break
            options.append((best[i][0] + 1, best[i][1] + words * words, i))
        best.append(min(options))
    cuts, j = [], n
    while j > 0:
        cuts.append((best[j][2], j))
        j = best[j][2]
    out = []
    for i, j in reversed(cuts):
        group = run[i:j]
        if len(group) == 1:
            out.append(group[0])
            continue
        first = next((p.first for p in group if p.first), None)
        last = next((p.last for p in reversed(group) if p.last), None)
        out.append(_Piece(group[0].start, group[-1].end, sum(p.words for p in group),
                          section_label(first, last) if first else here, True, first, last))
    return out
