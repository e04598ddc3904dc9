"""Turns hits into terminal text or JSON Lines; knows nothing about click.

Terminal output follows ripgrep's manners: bold highlights only when asked to colour (the CLI
decides from the terminal, NO_COLOR, TERM and --color), JSON keeps Vietnamese unescaped.
Every piece of indexed text (passages, titles, ids, file names) passes through
:func:`terminal_safe` on its way to a terminal: a document must not be able to move the cursor,
retitle the window or write the clipboard of whoever searches it.
"""
from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path

from .errors import VnsearchError
from .names import shown
from .readers import READERS
from .search import Hit, RefGroup

BOLD = "\x1b[1m"
RESET = "\x1b[0m"
DIM = "\x1b[2m"
CYAN = "\x1b[36m"


# What a terminal would act on rather than show: C0 controls, DEL, C1 controls, bidi embeddings,
# overrides and isolates, the line and paragraph separators, and lone surrogates (undecodable
# bytes of a file name, which no terminal encoding can carry).
# None is a printable character for str.isprintable, so text that is all printable (nearly every
# title, path and snippet) is returned as it is, and the pattern compiled only on first need.
_UNSAFE_RE = "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(m: re.Match) -> str:
    ch = m.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_safe(text: str, keep: str = "") -> str:
    """text with every control character shown as a visible escape (ESC as ``\\x1b``).

    ``keep`` lists the characters the layout allows through (``"\\n"`` for several lines);
    a newline elsewhere shows as ``\\n``, so that a title or a file name stays on its line.
    """
    if text.isprintable():
        return text
    if keep:
        return re.sub(_UNSAFE_RE, lambda m: m.group() if m.group() in keep else _escape(m), text)
    return re.sub(_UNSAFE_RE, _escape, text)


# JSON escapes C0 controls itself; these it would write raw, and a terminal may act on them.
_JSON_UNSAFE_RE = "[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"  # (none printable)


def json_line(obj) -> str:
    """obj as one line of JSON, non-ASCII text unescaped except what a terminal would act on.

    The escaped characters decode to the exact text, so the JSON still says what the document says.
    """
    line = json.dumps(obj, ensure_ascii=False)
    return line if line.isprintable() else re.sub(_JSON_UNSAFE_RE, lambda m: f"\\u{ord(m.group()):04x}", line)


def use_color(choice: str, is_tty: bool) -> bool:
    """Resolve --color=always|never|auto against the terminal and the environment."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return is_tty


def display_path(path: str) -> str:
    r"""The path relative to the working directory when it lies below it; bytes not UTF-8 as \xff."""
    try:
        return _display_path(path, os.getcwd())
    except OSError:  # the working directory was removed
        return shown(path)


@functools.lru_cache(maxsize=256)
def _display_path(path: str, cwd: str) -> str:
    # A hit's path is shown two or three times (location, label), and resolving it and the
    # working directory asks the file system about every folder on the way.
    try:
        return shown(str(Path(path).resolve().relative_to(_resolved(cwd))))
    except (ValueError, OSError):
        return shown(path)


@functools.lru_cache(maxsize=4)
def _resolved(directory: str) -> Path:
    return Path(directory).resolve()


def location(path: str, line: int, page: int | None) -> str:
    """file:line for text files; file p.N for PDFs; just the file for Word and web pages.

    Lines of text extracted from a PDF, .docx or .html file are not lines the user can open.
    """
    if Path(path).suffix.lower() in READERS:
        return display_path(path) + (f" p.{page}" if page is not None else "")
    return f"{display_path(path)}:{line}"


def source_label(hit: Hit) -> str:
    where = location(hit.path, hit.line, hit.page)
    if display_path(hit.path) != shown(hit.doc_id) and not hit.path.endswith(hit.doc_id):
        where += f" [{shown(hit.doc_id)}]"
    return terminal_safe(where)


def highlight(text: str, spans: list[tuple[int, int]], color: bool) -> str:
    """text made terminal-safe, with the spans in bold when colouring.

    Spans are offsets into the raw text, so each piece is made safe on its own.
    """
    if not color or not spans:
        return terminal_safe(text)
    out, pos = [], 0
    for a, b in spans:
        out.append(terminal_safe(text[pos:a]))
        out.append(BOLD + terminal_safe(text[a:b]) + RESET)
        pos = b
    out.append(terminal_safe(text[pos:]))
    return "".join(out)


def format_hit(hit: Hit, color: bool) -> str:
    """A hit as three lines: rank, source, section and score; title (and topics); snippet."""
    section = f"  {terminal_safe(hit.section)}" if hit.section else ""
    head = f"{hit.rank}. {source_label(hit)}{section}  score {hit.score:.2f}"
    if hit.query_id is not None:
        head = f"[{terminal_safe(str(hit.query_id))}] " + head
    if color:
        head = CYAN + head + RESET
    title = terminal_safe(hit.title)
    if hit.topics:
        title += terminal_safe(f"  ({', '.join(hit.topics)})")
    identity = ", ".join(x for x in (hit.number, hit.date) if x)  # what the document is, and when
    if identity:
        title += terminal_safe(f"  [{identity}]")
    if color:
        title = DIM + title + RESET
    out = f"{head}\n   {title}\n   {highlight(hit.snippet.text, hit.snippet.highlights, color)}\n"
    if hit.explanation is not None:
        total = sum(v for _, _, v in hit.explanation) or 1.0
        out += "".join(
            f"     {v:7.3f}  {100 * v / total:4.0f}%  {terminal_safe(f'{f}:{t}')}\n" for f, t, v in hit.explanation
        )
    return out


def format_json(hit: Hit) -> str:
    return json_line(hit.to_dict())


TREC_RUN_TAG = "vnsearch"


def trec_id(kind: str, value: str) -> str:
    """value as a column of a TREC run, or VnsearchError: the format splits lines on whitespace,
    so an id with a space, a tab or a newline (or bytes that are not UTF-8) cannot be written."""
    if not value or any(ch.isspace() or not ch.isprintable() for ch in value):
        raise VnsearchError(
            f'{kind} "{value}" cannot be a column of a TREC run (it is empty or holds whitespace '
            "or control characters); rename it, or use --format json")
    return value


def format_trec(hit: Hit, passages: bool = False) -> str:
    """A hit as a TREC run line, ``qid Q0 docno rank score vnsearch``, for trec_eval and ir_measures.

    docno is the document id, or ``doc_id#seq`` (the passage's number in it) with ``passages``.
    """
    docno = trec_id("document id", hit.doc_id)
    if passages:
        docno += f"#{hit.seq}"
    return f"{trec_id('query id', str(hit.query_id))} Q0 {docno} {hit.rank} {hit.score:.6f} {TREC_RUN_TAG}"


def format_ref_group(group: RefGroup, color: bool) -> str:
    """A cited document, the document itself when in the corpus, then each citation; citations
    whose dates disagree are grouped by date."""
    info = group.info
    head = f"{group.ref_id}  {info.get('type_name', '')}"
    if info.get("subject"):
        head += f" về {info['subject']}"
    cited = group.cited
    n = len(cited)
    head = terminal_safe(head) + f"  ({n} citation{'s' if n != 1 else ''})"
    lines = [CYAN + head + RESET if color else head]
    for c in group.citations:
        if c.is_self:
            where = location(c.path, c.line, c.page) + (f"  (ngày {c.date})" if c.date else "")
            lines.append(f"  the document itself: {terminal_safe(where)}")
            lines.append(f"     {highlight(c.snippet.text, c.snippet.highlights, color)}")
    dates = {c.date for c in cited if c.date}
    by_date = len(dates) > 1
    current = object()
    for c in sorted(cited, key=lambda c: (c.date or "")) if by_date else cited:
        if by_date and c.date != current:
            current = c.date
            lines.append(terminal_safe(f"  dated {c.date or 'unknown'}:"))
        where = location(c.path, c.line, c.page)
        if c.section:
            where += f"  {c.section}"
        if c.date and not by_date:
            where += f"  (ngày {c.date})"
        lines.append(f"  {terminal_safe(where)}")
        lines.append(f"     {highlight(c.snippet.text, c.snippet.highlights, color)}")
    return "\n".join(lines) + "\n"


def format_catalogue_row(ref_id: str, info: dict) -> str:
    subject = terminal_safe(info.get("subject") or "")
    type_name = terminal_safe(info.get("type_name") or "")
    row = f"{terminal_safe(ref_id):<22} {type_name:<14} {info.get('count', 0):>4}  {subject}".rstrip()
    if info.get("documents"):  # the cited document is itself in the corpus
        row += "  [in corpus: " + terminal_safe(", ".join(info["documents"])) + "]"
    return row


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def format_stats(info: dict) -> str:
    """`vnsearch stats` as aligned "name  value" lines; sizes for people, not bytes."""
    lines = []
    for key, value in info.items():
        if key == "size_bytes":
            key, value = "size", f"{human_size(value)} on disk"
        elif key == "other_bytes":
            key, value = "other files", f"{human_size(value)} (superseded or unfinished builds, locks)"
        elif key == "size_bytes_with_replicas":
            key, value = "size with replicas", human_size(value)
        lines.append(f"{key.replace('_', ' '):<18} {terminal_safe(str(value))}\n")
    return "".join(lines)
