"""Finds the documents under the paths a user gives and reads them into Documents.

Each file format has a reader; a reader yields Documents and reports what it could not read
through ``warn`` so that one bad file never stops a run. Doc ids are stable paths relative to
the indexed root, so re-indexing the same folder gives the same ids.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .decode import DecodeError, decode_bytes
from .readers import READERS

Warn = Callable[[str], None]

TEXT_SUFFIXES = {".txt", ".md"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | set(READERS)

# A document bigger than this is almost never prose a person wrote: it is a data dump, a log or
# a minified file, and would take minutes to segment. Skipped with a warning; callers may raise it.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@dataclass
class Document:
    """One document: its id, title, where it came from, and its decoded text."""

    doc_id: str
    title: str
    path: str
    text: str
    line: int | None = None  # for JSONL: the record's line, shared by all its passages
    page_starts: list[int] = field(default_factory=list)  # PDF: where each page starts in text
    date: str | None = None  # web pages: the publication date, when the page gives one

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding text[offset], or None for formats without pages."""
        from bisect import bisect_right

        return max(bisect_right(self.page_starts, offset), 1) if self.page_starts else None


@dataclass
class SourceFile:
    """A file to index, with the id prefix its documents get."""

    path: Path
    doc_id: str


@dataclass
class ReadReport:
    """What a corpus read did: files read, files skipped and why."""

    files_read: int = 0
    documents: int = 0
    skipped: Counter = field(default_factory=Counter)
    lines_skipped: Counter = field(default_factory=Counter)  # JSONL records, by reason

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1

    def skip_line(self, reason: str) -> None:
        self.lines_skipped[reason] += 1

    def summary(self) -> str:
        parts = [f"{self.files_read} files read ({self.documents} documents)"]
        if self.skipped:
            reasons = ", ".join(f"{n} {why}" for why, n in sorted(self.skipped.items()))
            parts.append(f"{sum(self.skipped.values())} skipped ({reasons})")
        if self.lines_skipped:
            reasons = ", ".join(f"{n} {why}" for why, n in sorted(self.lines_skipped.items()))
            parts.append(f"{sum(self.lines_skipped.values())} JSONL lines skipped ({reasons})")
        return "; ".join(parts)


def bundled_corpus() -> Path:
    """The sample corpus that ships with vnsearch.

    The repo's corpus/ folder, installed as the package data ``searcher/sample_corpus/`` by
    ``pip install .``; a checkout or an editable install reads corpus/ itself.
    """
    from .errors import CorpusError

    package = Path(__file__).resolve().parent
    for folder in (package / "sample_corpus", package.parent / "corpus"):
        if folder.is_dir():
            return folder
    raise CorpusError("the bundled sample corpus is missing from this installation: "
                      "reinstall vnsearch, or index your own files with: vnsearch index PATH")


def find_files(paths: Iterable[str | Path], report: ReadReport, warn: Warn) -> list[SourceFile]:
    """Walk paths recursively; ids are relative to each root, prefixed by its name if several."""
    roots = [Path(p) for p in paths]
    prefix_roots = len(roots) > 1
    found: list[SourceFile] = []
    for root in roots:
        if not root.exists():
            what = "broken symlink" if root.is_symlink() else "no such file or directory"
            warn(f"{root}: {what}")
            report.skip(what)
            continue
        label = root.resolve().name
        if root.is_file():
            found.append(SourceFile(root, root.name if not prefix_roots else f"{label}"))
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                path = Path(dirpath) / name
                rel = path.relative_to(root).as_posix()
                doc_id = f"{label}/{rel}" if prefix_roots else rel
                found.append(SourceFile(path, doc_id))
    return found


def file_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def read_bytes(
    source: SourceFile, report: ReadReport, warn: Warn, max_bytes: int = MAX_DOCUMENT_BYTES
) -> bytes | None:
    """The file's bytes, or None (with a warning) when it cannot be read or is too big.

    A JSONL file holds many documents, so its limit applies per record (see _read_jsonl).
    """
    path = source.path
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        report.skip("unsupported type")  # never read: a folder may hold videos and archives
        return None
    if path.is_symlink() and not path.exists():
        warn(f"{path}: broken symlink, skipped")
        report.skip("broken symlink")
        return None
    try:
        size = path.stat().st_size
        if size > max_bytes and path.suffix.lower() not in JSONL_SUFFIXES:
            warn(f"{path}: {_megabytes(size)} is more than the {_megabytes(max_bytes)} limit "
                 "for one document, skipped")
            report.skip("too large")
            return None
        return path.read_bytes()
    except PermissionError:
        warn(f"{path}: permission denied, skipped")
        report.skip("unreadable")
    except OSError as e:
        warn(f"{path}: cannot read ({e.strerror or e}), skipped")
        report.skip("unreadable")
    return None


def read_documents(
    source: SourceFile, data: bytes, report: ReadReport, warn: Warn, max_bytes: int = MAX_DOCUMENT_BYTES
) -> list[Document]:
    """Decode one file's bytes into its Documents, by file type."""
    suffix = source.path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        report.skip("unsupported type")
        return []
    if not data.strip():
        warn(f"{source.path}: empty file, skipped")
        report.skip("empty")
        return []
    if suffix in READERS:
        docs = _read_with_reader(source, data, report, warn)
        report.files_read += bool(docs)
        report.documents += len(docs)
        return docs
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as e:
        warn(f"{source.path}: {e}, skipped")
        report.skip("undecodable")
        return []
    if encoding not in ("utf-8", "ascii"):
        warn(f"{source.path}: converted from {encoding}")
    if suffix in JSONL_SUFFIXES:
        docs = list(_read_jsonl(source, text, report, warn, max_bytes))
    else:
        docs = [_read_text(source, text)]
    report.files_read += 1
    report.documents += len(docs)
    return docs


def _read_with_reader(source: SourceFile, data: bytes, report: ReadReport, warn: Warn) -> list[Document]:
    from .readers import ReadError, read

    try:
        extracted = read(source.path, data)
    except ReadError as e:
        warn(f"{source.path}: {e}, skipped")
        report.skip("unreadable " + READERS[source.path.suffix.lower()].upper())
        return []
    title = extracted.title or source.path.stem
    return [Document(source.doc_id, title, str(source.path), extracted.text,
                     page_starts=extracted.page_starts, date=extracted.date)]


def _read_text(source: SourceFile, text: str) -> Document:
    first = next((line for line in text.splitlines() if line.strip()), "")
    title = first.strip().lstrip("#").strip() if source.path.suffix.lower() == ".md" else first.strip()
    return Document(source.doc_id, title or source.path.name, str(source.path), text)


def _read_jsonl(source: SourceFile, text: str, report: ReadReport, warn: Warn, max_bytes: int) -> Iterator[Document]:
    seen: set[str] = set()
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{source.path}:{lineno}"
        if len(line) > max_bytes:  # characters, a lower bound on its UTF-8 size
            warn(f"{where}: record is more than the {_megabytes(max_bytes)} limit for one document, line skipped")
            report.skip_line("too large")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            warn(f"{where}: not valid JSON, line skipped")
            report.skip_line("invalid JSON")
            continue
        if not isinstance(record, dict):
            warn(f"{where}: not a JSON object, line skipped")
            report.skip_line("not an object")
            continue
        doc_id, body = record.get("id"), record.get("text")
        if doc_id is None or doc_id == "" or not isinstance(body, str):
            missing = "id" if doc_id is None or doc_id == "" else "text"
            warn(f"{where}: record has no {missing}, line skipped")
            report.skip_line(f"no {missing}")
            continue
        doc_id = str(doc_id)
        if doc_id in seen:
            warn(f"{where}: duplicate id {doc_id!r}, line skipped")
            report.skip_line("duplicate id")
            continue
        seen.add(doc_id)
        title = record.get("title")
        yield Document(doc_id, str(title) if title else doc_id, str(source.path), body, line=lineno)
