"""Finds the documents under the paths a user gives and reads them into Documents.

Each file format has a reader; a reader yields Documents and reports what it could not read
through ``warn`` so that one bad file never stops a run. Doc ids are stable paths relative to
the indexed root, so re-indexing the same folder gives the same ids.

The walk trusts nothing it finds: a link may loop or lead out of the folders given (to
/etc/passwd), a "file" may be a FIFO that blocks whoever opens it or a device that never ends,
and one file may be named many times. Each is skipped with a warning, never a traceback.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .decode import DecodeError, decode_bytes
from .names import replace_surrogates, shown
from .readers import READERS, megabytes, over_limit, short_title

Warn = Callable[[str], None]

TEXT_SUFFIXES = {".txt", ".md"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | set(READERS)

# A document whose text is bigger than this is almost never prose a person wrote: it is a data
# dump, a log or a minified file, and would take minutes to segment. Skipped with a warning;
# callers may raise it. It bounds the extracted text (UTF-8), whatever the file's size: a small
# compressed .docx or .pdf may unpack to far more; the work of extracting it is bounded too
# (see extract.py).
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
    """A file to index: the path as found, the id its documents get, and the file it really is."""

    path: Path
    doc_id: str
    real: str = ""  # its real path (links resolved): what the index keys the file by
    st: os.stat_result | None = None  # its os.stat as the walk saw it (through links)

    def __post_init__(self) -> None:
        if not self.real:
            self.real = os.path.realpath(self.path)


def plural(n: int, word: str, plural_form: str | None = None) -> str:
    """"1 file", "2 files"."""
    return f"{n} {word if n == 1 else plural_form or word + 's'}"


# Skip reasons that are countable things; the others ("empty", "too large") read as they are.
_PLURAL_REASONS = {
    "broken symlink": "broken symlinks",
    "symlink loop": "symlink loops",
    "link outside the indexed folders": "links outside the indexed folders",
    "special file": "special files",
    "duplicate": "duplicates",
    "duplicate id": "duplicate ids",
    "unreadable folder": "unreadable folders",
}


def _reasons(counts: Counter) -> str:
    return ", ".join(plural(n, why, _PLURAL_REASONS.get(why, why)) for why, n in sorted(counts.items()))


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
        parts = [f"{plural(self.files_read, 'file')} read ({plural(self.documents, 'document')})"]
        if self.skipped:
            parts.append(f"{sum(self.skipped.values())} skipped ({_reasons(self.skipped)})")
        if self.lines_skipped:
            lines = plural(sum(self.lines_skipped.values()), "JSONL line")
            parts.append(f"{lines} skipped ({_reasons(self.lines_skipped)})")
        return "; ".join(parts)


class DocIds:
    """The doc ids taken so far in a run, and where: a later document with a taken id is skipped."""

    def __init__(self) -> None:
        self.places: dict[str, str] = {}
        self.refused = 0  # claims of an id already taken

    def claim(self, doc_id: str, where: str) -> str | None:
        """Take doc_id for where; when it is taken already, return where it was taken instead."""
        first = self.places.get(doc_id)
        if first is None:
            self.places[doc_id] = where
        else:
            self.refused += 1
        return first


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


_FILE_KINDS = {stat.S_IFIFO: "named pipe", stat.S_IFCHR: "character device",
               stat.S_IFBLK: "block device", stat.S_IFSOCK: "socket"}


def _special(st: os.stat_result) -> str | None:
    """What a file that is not a regular file is ("named pipe"), or None for a regular file."""
    return None if stat.S_ISREG(st.st_mode) else _FILE_KINDS.get(stat.S_IFMT(st.st_mode), "special file")


def _unresolvable(path: Path, error: OSError) -> tuple[str, str]:
    """(what to say, skip reason) for a path whose real path cannot be found."""
    if error.errno == errno.ELOOP:
        return "symlink loop", "symlink loop"
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return ("broken symlink", "broken symlink") if path.is_symlink() else \
            ("no such file or directory", "no such file or directory")
    if isinstance(error, PermissionError):
        return "permission denied", "unreadable"
    return f"cannot read ({error.strerror or error})", "unreadable"


def _root_labels(reals: list[str]) -> dict[str, str]:
    """A distinct id prefix per root: its name, with its parents' names while two would clash."""
    parts = {r: Path(r).parts[1:] or (r,) for r in set(reals)}
    depth = dict.fromkeys(parts, 1)
    while True:
        labels = {r: "/".join(p[-depth[r]:]) for r, p in parts.items()}
        same: dict[str, list[str]] = {}
        for r, label in labels.items():
            same.setdefault(label, []).append(r)
        clashing = [r for group in same.values() if len(group) > 1 for r in group if depth[r] < len(parts[r])]
        if not clashing:
            return labels
        for r in clashing:
            depth[r] += 1


def _below(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class _Walk:
    """One walk over the roots: where they really are, and which files and folders were met.

    Real folders are walked first and symbolic links resolved afterwards, so that a file
    reachable both ways keeps its own name; a file or folder met again (same device and inode)
    is not taken twice.
    """

    def __init__(self, report: ReadReport, warn: Warn, follow_links: bool, left_out: set[tuple[int, int]] = frozenset()):
        self.report, self.warn, self.follow_links = report, warn, follow_links
        self.bounds: list[tuple[str, bool]] = []  # (real path, is a folder) of each root
        self.dirs: dict[tuple[int, int], Path] = {}  # folders entered, by (device, inode)
        self.left_out = left_out  # folders never entered, nor reported, by (device, inode)
        self.files: dict[tuple[int, int], SourceFile] = {}
        self.links: list[tuple[Path, str | None, str]] = []  # (path, root label, relative path)

    def skip(self, path: Path, message: str, reason: str) -> None:
        self.warn(f"{path}: {message}, skipped")
        self.report.skip(reason)

    def inside(self, real: str) -> bool:
        return any(_below(real, bound) if is_dir else real == bound for bound, is_dir in self.bounds)

    def add_file(self, path: Path, doc_id: str, real: str, st: os.stat_result) -> None:
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            self.report.skip("unsupported type")  # never opened: a folder may hold videos and archives
            return
        kind = _special(st)
        if kind:  # a FIFO would block the run, /dev/zero never end
            self.skip(path, f"not a regular file ({kind})", "special file")
            return
        first = self.files.get((st.st_dev, st.st_ino))
        if first is not None:
            if os.path.abspath(first.path) != os.path.abspath(path):  # a second name, not the same one twice
                self.skip(path, f"same file as {first.path}", "duplicate")
            return
        self.files[(st.st_dev, st.st_ino)] = SourceFile(path, doc_id, real, st)

    def enter(self, path: Path, st: os.stat_result) -> bool:
        """Whether to walk the folder at path: not when it was entered already, or is left out."""
        if (st.st_dev, st.st_ino) in self.left_out:
            return False
        first = self.dirs.get((st.st_dev, st.st_ino))
        if first is None:
            self.dirs[(st.st_dev, st.st_ino)] = path
            return True
        if os.path.abspath(first) != os.path.abspath(path):
            if path.is_symlink() and _below(os.path.realpath(path.parent), os.path.realpath(path)):
                self.skip(path, "symlink loop (a link to a folder above it)", "symlink loop")
            else:
                self.skip(path, f"same folder as {first}", "duplicate")
        return False

    def walk(self, top: Path, real: str, label: str | None, rel: str = "") -> None:
        """Take every file under the folder top (really at real); links are kept for resolve_links."""
        pending = [(top, real, rel)]
        while pending:
            folder, real_folder, rel = pending.pop()
            try:
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as e:
                why = "permission denied" if isinstance(e, PermissionError) else f"cannot read ({e.strerror or e})"
                self.warn(f"{folder}: {why}, folder skipped")
                self.report.skip("unreadable folder")
                continue
            subfolders = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                path = folder / entry.name
                entry_rel = f"{rel}/{entry.name}" if rel else entry.name
                try:
                    if entry.is_symlink():
                        self.links.append((path, label, entry_rel))
                        continue
                    st = entry.stat(follow_symlinks=False)
                except OSError as e:
                    self.skip(path, f"cannot read ({e.strerror or e})", "unreadable")
                    continue
                real = os.path.join(real_folder, entry.name)
                if stat.S_ISDIR(st.st_mode):
                    if self.enter(path, st):
                        subfolders.append((path, real, entry_rel))
                else:
                    self.add_file(path, _doc_id(label, entry_rel), real, st)
            pending.extend(reversed(subfolders))  # popped in name order

    def resolve_links(self) -> None:
        """Follow the links met (and those met behind them) that stay inside the roots."""
        while self.links:
            batch, self.links = self.links, []
            for path, label, rel in batch:
                try:
                    real = os.path.realpath(path, strict=True)
                    st = os.stat(real)
                except OSError as e:
                    self.skip(path, *_unresolvable(path, e))
                    continue
                is_dir = stat.S_ISDIR(st.st_mode)
                if not is_dir and path.suffix.lower() not in SUPPORTED_SUFFIXES:
                    self.report.skip("unsupported type")
                elif not self.follow_links and not self.inside(real):
                    self.skip(path, f"link to {real}, outside the indexed folders (--follow-links follows it)",
                              "link outside the indexed folders")
                elif not is_dir:
                    self.add_file(path, _doc_id(label, rel), real, st)
                elif self.enter(path, st):
                    self.walk(path, real, label, rel)


def _doc_id(label: str | None, rel: str) -> str:
    return f"{label}/{rel}" if label else rel


def find_files(
    paths: Iterable[str | Path], report: ReadReport, warn: Warn, follow_links: bool = False,
    leave_out: Path | None = None,
) -> list[SourceFile]:
    """Walk paths recursively; ids are relative to each root, prefixed by its name if several.

    Returns supported regular files, each once however often it is named. Symbolic links are
    followed while they stay inside the paths given (all of them with ``follow_links``); broken
    links, link loops, special files and unreadable folders are skipped with a warning. The
    folder ``leave_out`` (the index being written, which may lie inside the corpus) is not
    walked, and not mentioned: its files are no documents.
    """
    roots = [Path(p) for p in paths]
    left_out = set()
    if leave_out is not None:
        try:
            st = os.stat(leave_out)
            left_out.add((st.st_dev, st.st_ino))
        except OSError:
            pass  # not made yet: nothing of it to meet
    walk = _Walk(report, warn, follow_links, left_out)
    resolved = []
    for root in roots:
        try:
            real = os.path.realpath(root, strict=True)
            st = os.stat(real)
        except OSError as e:
            what, reason = _unresolvable(root, e)
            warn(f"{root}: {what}")
            report.skip(reason)
            continue
        resolved.append((root, real, st))
        walk.bounds.append((real, stat.S_ISDIR(st.st_mode)))
    labels = _root_labels([real for _, real, _ in resolved]) if len(roots) > 1 else {}
    for root, real, st in resolved:
        label = labels.get(real)
        if not stat.S_ISDIR(st.st_mode):
            walk.add_file(root, label or root.name, real, st)
        elif walk.enter(root, st):
            walk.walk(root, real, label)
    walk.resolve_links()
    return list(walk.files.values())


def file_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _megabytes(n: int) -> str:
    return megabytes(n)


def read_bytes(
    source: SourceFile, report: ReadReport, warn: Warn, max_bytes: int = MAX_DOCUMENT_BYTES
) -> bytes | None:
    """The file's bytes, or None (with a warning) when it cannot be read or is too big.

    Only a regular file is read: the file is opened without blocking (a FIFO would wait for a
    writer forever) and checked before a byte is read (a device never ends). A text file's size
    bounds its text, so it is checked before reading. A JSONL file holds many documents, so its
    limit applies per record (see _read_jsonl). PDF, Word and web pages are checked on the text
    extracted, and skipped here only when bigger than the memory their extraction may use.
    """
    path = source.path
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        report.skip("unsupported type")  # never read: a folder may hold videos and archives
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        what, reason = _unresolvable(path, e)
        warn(f"{path}: {what}, skipped")
        report.skip(reason)
        return None
    try:
        with open(fd, "rb") as f:
            st = os.fstat(fd)
            kind = _special(st)
            if kind:
                warn(f"{path}: not a regular file ({kind}), skipped")
                report.skip("special file")
                return None
            limit = _file_limit(path, max_bytes)
            limited = limit != float("inf")
            what = "limit for one document" if limit == max_bytes else "memory extracting one document may use"
            if limited and st.st_size > limit:
                warn(f"{path}: {_megabytes(st.st_size)} is more than the {_megabytes(limit)} {what}, skipped")
                report.skip("too large")
                return None
            data = _read_at_most(f, limit, st.st_size) if limited else f.read()
            if limited and len(data) > limit:  # grew since it was looked at
                warn(f"{path}: more than the {_megabytes(limit)} {what}, skipped")
                report.skip("too large")
                return None
            return data
    except PermissionError:
        warn(f"{path}: permission denied, skipped")
        report.skip("unreadable")
    except OSError as e:
        warn(f"{path}: cannot read ({e.strerror or e}), skipped")
        report.skip("unreadable")
    return None


def _read_at_most(f, limit: float, expected: int) -> bytes:
    """The file's bytes, or limit + 1 of them when it holds more.

    Reads what stat said it holds, then on in 1 MB steps should it have grown: never asks for
    the limit at once, which may be far more memory than there is.
    """
    data = f.read(min(int(limit), expected) + 1)
    while len(data) <= limit and len(data) > expected:
        more = f.read(min(int(limit) + 1 - len(data), 1 << 20))
        if not more:
            break
        data += more
    return data


def _file_limit(path: Path, max_bytes: int) -> float:
    suffix = path.suffix.lower()
    if suffix in READERS:
        from .extract import Limits

        return Limits.for_document(max_bytes).memory_bytes
    return max_bytes if suffix in TEXT_SUFFIXES else float("inf")


def read_documents(
    source: SourceFile, data: bytes, report: ReadReport, warn: Warn, max_bytes: int = MAX_DOCUMENT_BYTES,
    ids: DocIds | None = None,
) -> list[Document]:
    """Decode one file's bytes into its Documents, by file type.

    With ``ids``, a document whose id an earlier file took is skipped with a warning.
    """
    suffix = source.path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        report.skip("unsupported type")
        return []
    if not data.strip():
        warn(f"{source.path}: empty file, skipped")
        report.skip("empty")
        return []
    if suffix in READERS:
        docs = _read_with_reader(source, data, report, warn, max_bytes)
    else:
        try:
            text, encoding = decode_bytes(data)
        except DecodeError as e:
            warn(f"{source.path}: {e}, skipped")
            report.skip("undecodable")
            return []
        if encoding not in ("utf-8", "ascii"):
            warn(f"{source.path}: converted from {encoding}")
        if suffix in JSONL_SUFFIXES:
            docs = list(_read_jsonl(source, text, report, warn, max_bytes, ids))
            report.files_read += 1
            report.documents += len(docs)
            return docs
        if over_limit(text, max_bytes):  # a legacy encoding takes more bytes in UTF-8
            warn(f"{source.path}: its text is more than the {megabytes(max_bytes)} limit for one document, skipped")
            report.skip("too large")
            return []
        docs = [_read_text(source, text)]
    if docs and ids is not None:
        first = ids.claim(docs[0].doc_id, str(source.path))
        if first is not None:
            warn(f"{source.path}: duplicate id {docs[0].doc_id!r} (first in {first}), skipped")
            report.skip("duplicate id")
            return []
    report.files_read += bool(docs)
    report.documents += len(docs)
    return docs


def _read_with_reader(source: SourceFile, data: bytes, report: ReadReport, warn: Warn, max_bytes: int) -> list[Document]:
    from .extract import extract
    from .readers import ReadError, TooLarge

    try:
        extracted = extract(source.path, data, max_bytes)
    except TooLarge as e:
        warn(f"{source.path}: {e}, skipped")
        report.skip("too large")
        return []
    except ReadError as e:
        warn(f"{source.path}: {e}, skipped")
        report.skip("unreadable " + READERS[source.path.suffix.lower()].upper())
        return []
    title = short_title(replace_surrogates(extracted.title)) or shown(source.path.stem)
    return [Document(source.doc_id, title, str(source.path), replace_surrogates(extracted.text),
                     page_starts=extracted.page_starts, date=extracted.date)]


def _read_text(source: SourceFile, text: str) -> Document:
    first = next((line for line in text.split("\n") if line.strip()), "")
    title = first.strip().lstrip("#") if source.path.suffix.lower() == ".md" else first
    return Document(source.doc_id, short_title(title) or shown(source.path.name), str(source.path), text)


def _records(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of a JSON Lines text.

    Lines end at "\\n" only (and a "\\r" before it): json.dumps(ensure_ascii=False) writes
    U+2028 and U+2029 raw inside strings, where str.splitlines would cut a record in two.
    """
    for lineno, line in enumerate(text.split("\n"), 1):
        yield lineno, line[:-1] if line.endswith("\r") else line


def json_record(line: str) -> tuple[object, str | None]:
    """A JSON line's value, or what keeps it from being read: valid JSON may still nest deeper
    than Python recurses or hold an integer longer than Python converts."""
    try:
        return json.loads(line), None
    except json.JSONDecodeError:
        return None, "not valid JSON"
    except RecursionError:
        return None, "JSON nested too deeply"
    except ValueError:  # (an integer of more digits than sys.get_int_max_str_digits())
        return None, "a number too long to read"


def _read_jsonl(
    source: SourceFile, text: str, report: ReadReport, warn: Warn, max_bytes: int, ids: DocIds | None = None
) -> Iterator[Document]:
    seen: set[str] = set()
    for lineno, line in _records(text):
        if not line.strip():
            continue
        where = f"{source.path}:{lineno}"
        if len(line) > max_bytes:  # characters, a lower bound on its UTF-8 size
            warn(f"{where}: record is more than the {_megabytes(max_bytes)} limit for one document, line skipped")
            report.skip_line("too large")
            continue
        record, problem = json_record(line)
        if problem:
            warn(f"{where}: {problem}, line skipped")
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
        # A JSON escape may hold a lone surrogate, which no UTF-8 writer (whoosh included) takes.
        doc_id = replace_surrogates(str(doc_id))
        if over_limit(body, max_bytes):
            warn(f"{where}: record is more than the {_megabytes(max_bytes)} limit for one document, line skipped")
            report.skip_line("too large")
            continue
        if doc_id in seen:
            warn(f"{where}: duplicate id {doc_id!r}, line skipped")
            report.skip_line("duplicate id")
            continue
        seen.add(doc_id)
        first = ids.claim(doc_id, where) if ids is not None else None
        if first is not None:
            warn(f"{where}: duplicate id {doc_id!r} (first in {first}), line skipped")
            report.skip_line("duplicate id")
            continue
        title = record.get("title")
        title = short_title(replace_surrogates(str(title))) if title else ""
        yield Document(doc_id, title or short_title(doc_id), str(source.path), replace_surrogates(body), line=lineno)
