"""Turns hits into terminal text or JSON Lines; knows nothing about click.

Terminal output follows ripgrep's manners: bold highlights only when asked to colour (the CLI
decides from the terminal, NO_COLOR, TERM and --color), JSON keeps Vietnamese unescaped.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from .names import shown
from .readers import READERS
from .search import Hit, RefGroup

BOLD = "\x1b[1m"
RESET = "\x1b[0m"
DIM = "\x1b[2m"
CYAN = "\x1b[36m"


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
        return shown(str(Path(path).resolve().relative_to(Path.cwd().resolve())))
    except (ValueError, OSError):
        return shown(path)


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
    return where


def highlight(text: str, spans: list[tuple[int, int]], color: bool) -> str:
    if not color or not spans:
        return text
    out, pos = [], 0
    for a, b in spans:
        out.append(text[pos:a])
        out.append(BOLD + text[a:b] + RESET)
        pos = b
    out.append(text[pos:])
    return "".join(out)


def format_hit(hit: Hit, color: bool) -> str:
    """A hit as three lines: rank, score and source; title (and topics); snippet."""
    head = f"{hit.rank}. {source_label(hit)}  score {hit.score:.2f}"
    if hit.query_id is not None:
        head = f"[{hit.query_id}] " + head
    if color:
        head = CYAN + head + RESET
    title = hit.title
    if hit.topics:
        title += f"  ({', '.join(hit.topics)})"
    if color:
        title = DIM + title + RESET
    out = f"{head}\n   {title}\n   {highlight(hit.snippet.text, hit.snippet.highlights, color)}\n"
    if hit.explanation is not None:
        total = sum(v for _, _, v in hit.explanation) or 1.0
        out += "".join(
            f"     {v:7.3f}  {100 * v / total:4.0f}%  {f}:{t}\n" for f, t, v in hit.explanation
        )
    return out


def format_json(hit: Hit) -> str:
    return json.dumps(hit.to_dict(), ensure_ascii=False)


def format_ref_group(group: RefGroup, color: bool) -> str:
    """A cited document, then each citation; citations whose dates disagree are grouped by date."""
    info = group.info
    head = f"{group.ref_id}  {info.get('type_name', '')}"
    if info.get("subject"):
        head += f" về {info['subject']}"
    n = len(group.citations)
    head += f"  ({n} citation{'s' if n != 1 else ''})"
    lines = [CYAN + head + RESET if color else head]
    dates = {c.date for c in group.citations if c.date}
    by_date = len(dates) > 1
    current = object()
    for c in sorted(group.citations, key=lambda c: (c.date or "")) if by_date else group.citations:
        if by_date and c.date != current:
            current = c.date
            lines.append(f"  dated {c.date or 'unknown'}:")
        where = location(c.path, c.line, c.page)
        if c.date and not by_date:
            where += f"  (ngày {c.date})"
        lines.append(f"  {where}")
        lines.append(f"     {highlight(c.snippet.text, c.snippet.highlights, color)}")
    return "\n".join(lines) + "\n"


def format_catalogue_row(ref_id: str, info: dict) -> str:
    subject = info.get("subject") or ""
    return f"{ref_id:<22} {info.get('type_name', ''):<14} {info.get('count', 0):>4}  {subject}".rstrip()


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
        lines.append(f"{key.replace('_', ' '):<18} {value}\n")
    return "".join(lines)
