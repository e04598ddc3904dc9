"""Builds and updates a passage index: read, split, analyse (on every core), hand to an engine.

Analysis runs in worker processes (pyvi is the slow part) and hands the engine finished term
strings; the same records feed the embedded index and an OpenSearch cluster. Deciding what to
read — unchanged files, copies, files gone — is the same for both; each engine writes and
publishes its own way (engines/local/writer.py, engines/opensearch/writer.py), never leaving a
half-written index where searches look.
"""
from __future__ import annotations

import os
import signal
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .analysis import AnalyzedText, analyze, headed
from .corpus import (MAX_DOCUMENT_BYTES, DocIds, Document, ReadReport, SourceFile, Warn, file_hash, find_files, plural,
                     read_bytes, read_documents)
from .errors import CorpusError, IndexDamaged
from .extract import extraction
from .identity import document_identity
from .names import name_key, shown
from .normalize import repair
from .passages import split_passages
from .refs import citation_details, find_citations
from .topics import tag_topics
from .vocabulary import find_definitions

# Below this many bytes to read, starting worker processes (each loading pyvi) costs more than
# it saves.
PARALLEL_MIN_BYTES = 400_000
# Batches of documents queued per analysis worker: enough to keep it busy, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 4
# Documents go to a worker in batches of about this many characters: handing over one short
# document at a time cost the indexing process more CPU than adding its passages.
BATCH_CHARS = 4_000

Progress = Callable[[int, int, int], None]  # (passages done, files read, files to read)


@dataclass
class BuildReport:
    read: ReadReport
    passages: int = 0
    documents: int = 0
    seconds: float = 0.0
    index_dir: str | None = None  # where it was written (a cluster URL without its password)
    mode: str = "full"  # full | incremental | unchanged
    files_changed: int = 0
    files_removed: int = 0
    files_unchanged: int = 0

    def summary(self) -> str:
        if self.mode == "unchanged":
            return f"index is up to date ({plural(self.files_unchanged, 'file')} unchanged)"
        text = f"{self.read.summary()}; {plural(self.passages, 'passage')} indexed"
        if self.mode == "incremental":
            text += (f" ({plural(self.files_changed, 'file')} new or changed, {self.files_removed} removed, "
                     f"{self.files_unchanged} unchanged)")
        return text


def analyze_document(doc: Document) -> list[dict]:
    """Split a document into passages and analyse each one into index fields."""
    records = []
    # Dates and subjects may sit past a passage boundary, so they are read on the whole text.
    whole = repair(doc.text)
    doc_citations = [(c, citation_details(whole, c)) for c in find_citations(whole)]
    # What the document is (its heading's number, type, issuer, date) is copied to every
    # passage, so that filters on it run inside the engine. The heading's own number is no
    # citation: the document does not cite itself.
    ident = document_identity(whole, published=doc.date)
    own = ident.span
    title = analyze(doc.title, segment=False)
    title_terms = f"{title.folded} {title.bigrams}".strip()
    # A JSON Lines record may be one article of a law, named in its title ("Luật X - Điều 2");
    # the title of a file is its own first line or heading, never a record's label.
    record_title = doc.title if doc.line is not None else None
    headings: dict[str, AnalyzedText] = {}  # a passage's context -> its analysis
    for seq, passage in enumerate(split_passages(doc.text, record_title)):
        text = repair(doc.text[passage.start:passage.end])
        a = analyze(text)
        if not a.folded:
            continue
        if passage.context:
            # A clause is about its article's name and its lead-in too ("Nghiêm cấm các hành
            # vi sau đây:" over "d) Mua bán người"): they are indexed with it, not shown.
            if passage.context not in headings:
                headings[passage.context] = analyze(passage.context)
            indexed = headed(headings[passage.context], a)
        else:
            indexed = a
        citations = find_citations(text)
        cites = []
        for c in citations:
            if own and c.ref_id == ident.number and abs(passage.start + c.start - own[0]) <= 8:
                continue
            details = _nearest_details(doc_citations, c.ref_id, passage.start + c.start)
            cites.append([c.ref_id, c.start, c.end, details and details.date, details and details.subject])
        cited_types = {c.type_code for c in citations}
        records.append(
            dict(
                doc_id=name_key(doc.doc_id),  # a term, written as UTF-8; the id itself is stored as is
                _stored_doc_id=doc.doc_id,
                source=name_key(doc.path),
                title=doc.title,
                path=doc.path,
                text=text,
                start=passage.start,
                end=passage.end,
                line=doc.line if doc.line is not None else passage.line,
                page=doc.page_at(passage.start),
                date=ident.date,
                doc_number=ident.number,
                doc_type=ident.type,
                doc_issuer=" ".join(ident.issuer_codes),
                section=passage.section,
                seq=seq,
                folded=indexed.folded,
                exact=indexed.exact,
                bigrams=indexed.bigrams,
                breaks=indexed.breaks,
                words=indexed.words,
                wordforms=" ".join(surface.lower().replace(" ", "_") for _, surface in a.word_list),
                title_terms=title_terms,
                refs=" ".join(dict.fromkeys(c[0] for c in cites)),
                topics=" ".join(tag_topics(a.exact.split(), cited_types)),
                abbrevs=" ".join(f"{k}={v.replace(' ', '_')}" for k, v in find_definitions(text).items()),
                cites=cites,
            )
        )
        # Most passages cite nothing and define nothing: leaving the empty fields out keeps
        # them out of the stored record (readers default them).
        record = records[-1]
        for key in ("refs", "topics", "abbrevs", "cites", "page", "date", "doc_number", "doc_type", "doc_issuer",
                    "section", "breaks"):
            if not record[key]:
                del record[key]
    return records


def _nearest_details(doc_citations, ref_id: str, position: int):
    """Details of the whole-text citation of ref_id nearest to position (repair shifts offsets a little)."""
    same = [(abs(c.start - position), d) for c, d in doc_citations if c.ref_id == ref_id]
    return min(same, key=lambda x: x[0])[1] if same else None


def _analyze_batch(docs: list[Document]) -> list[list[dict]]:
    return [analyze_document(doc) for doc in docs]


def _batches(docs: Iterable[Document], chars: int) -> Iterator[list[Document]]:
    """docs in order, grouped into lists of about chars characters (a longer document alone)."""
    batch: list[Document] = []
    size = 0
    for doc in docs:
        batch.append(doc)
        size += len(doc.text)
        if size >= chars:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _analyses(docs: Iterable[Document], parallel: bool) -> Iterator[list[dict]]:
    """analyze_document over docs, in order, on every core when parallel.

    At most a few batches of documents per worker are in flight, so memory holds a window of
    the corpus, never all of it.
    """
    workers = os.cpu_count() or 1
    if not parallel or workers < 2:
        yield from map(analyze_document, docs)
        return
    pool = _AnalysisWorkers(workers)
    try:
        yield from pool.analyses(_batches(docs, BATCH_CHARS), workers * IN_FLIGHT_PER_WORKER)
    except BaseException:  # interrupted, failed, or closed early: no result is wanted
        pool.stop(kill=True)
        raise
    pool.stop(kill=False)


class _AnalysisWorkers:
    """Forked analysis processes, each with a pipe of its own each way.

    Not concurrent.futures: a worker stopped while it writes a result leaves half a message
    in the pipe, and the executor's reading thread then waits for the rest forever (the
    indexing process holds that pipe's writing end too), so that an interrupted or failed
    run never exits. Here only the worker holds its result pipe's writing end: a worker
    that stops is an end of file, and stopping the run is killing the workers, whatever they
    are doing, and closing the pipes.
    """

    def __init__(self, workers: int):
        self.ctx = get_context("fork")
        self.workers: list[tuple] = []  # (process, tasks to it, results from it)
        try:
            for _ in range(workers):
                self._start()
        except BaseException:
            self.stop(kill=True)
            raise

    def _start(self) -> None:
        task_reader, task_writer = self.ctx.Pipe(duplex=False)
        result_reader, result_writer = self.ctx.Pipe(duplex=False)
        self.workers.append((None, task_writer, result_reader))
        # The indexing process's ends of every worker's pipes, which a fork copies: the worker
        # closes them, so that the end of the indexing process is an end of file to each worker.
        parents_ends = [conn for _, tasks, results in self.workers for conn in (tasks, results)]
        process = self.ctx.Process(target=_serve_analysis, args=(task_reader, result_writer, parents_ends),
                                   daemon=True, name="vnsearch-analysis")
        self.workers[-1] = (process, task_writer, result_reader)
        try:
            process.start()
        finally:
            # Only the worker may hold these: its end of file is then the parent's news of its end.
            task_reader.close()
            result_writer.close()

    def analyses(self, batches: Iterator[list[Document]], window: int) -> Iterator[list[dict]]:
        """The records of every document of batches, in order, with at most window batches in flight."""
        from multiprocessing.connection import wait

        batches = iter(batches)
        queued = [deque() for _ in self.workers]  # numbers of the batches each worker has
        done: dict[int, list[list[dict]]] = {}
        sent = given = 0  # batches handed to workers; batches whose records went out
        exhausted = False
        while True:
            while not exhausted and sent - given < window:
                batch = next(batches, None)
                if batch is None:
                    exhausted = True
                    break
                worker = min(range(len(self.workers)), key=lambda w: len(queued[w]))
                queued[worker].append(sent)
                sent += 1
                try:
                    # The worker's reading thread takes tasks while it writes results: never blocked.
                    self.workers[worker][1].send(batch)
                except BrokenPipeError:  # the worker has stopped: its end of file says how, below
                    pass
            if given in done:
                yield from done.pop(given)
                given += 1
                continue
            if exhausted and given == sent:
                return
            busy = {self.workers[w][2]: w for w in range(len(self.workers)) if queued[w]}
            for conn in wait(list(busy)):
                worker = busy[conn]
                try:
                    kind, value = conn.recv()
                except EOFError:
                    process = self.workers[worker][0]
                    process.join(5)
                    code = process.exitcode
                    what = f"signal {-code}" if code is not None and code < 0 else f"status {code}"
                    raise ChildProcessError(f"an analysis process stopped with {what}") from None
                if kind == "error":
                    raise value
                done[queued[worker].popleft()] = value

    def stop(self, kill: bool) -> None:
        """Stop the workers: at once (kill), or once they have read the request to stop."""
        for process, tasks, results in self.workers:
            if process is None or process.pid is None:  # (interrupted before it started)
                continue
            if kill:
                process.kill()
            else:
                try:
                    tasks.send(None)
                except OSError:
                    pass
        for process, tasks, results in self.workers:
            tasks.close()
            results.close()
            if process is None or process.pid is None:
                continue
            process.join(5)
            if process.exitcode is None:
                process.kill()
                process.join()
        self.workers = []


def _serve_analysis(tasks, results, parents_ends) -> None:
    """A worker: analyse each batch it is given and answer with its records (or its error)."""
    import queue
    import threading

    for conn in parents_ends:
        conn.close()
    inbox: queue.SimpleQueue = queue.SimpleQueue()

    def receive() -> None:
        # Read tasks while the worker's main thread analyses or writes: the indexing process
        # never waits on a full task pipe while this worker waits on a full result pipe.
        while True:
            try:
                batch = tasks.recv()
            except (EOFError, OSError):
                batch = None
            inbox.put(batch)
            if batch is None:
                return

    threading.Thread(target=receive, daemon=True).start()
    while (batch := inbox.get()) is not None:
        try:
            answer = ("ok", _analyze_batch(batch))
        except Exception as e:
            answer = ("error", e if _picklable(e) else RuntimeError(f"{type(e).__name__}: {e}"))
        try:
            results.send(answer)
        except OSError:  # the indexing process is gone
            return
        del batch, answer


def _picklable(value) -> bool:
    import pickle

    try:
        pickle.dumps(value)
    except Exception:
        return False
    return True


_watching_parent = False  # true while a build forks its helper processes


def _exit_with_parent() -> None:
    """In a process forked by a build: exit once the indexing process is gone (kill -9).

    A killed parent cannot tell its analysis workers and whoosh's segment writers to stop, and
    a helper waiting for work would otherwise wait forever.
    """
    if not _watching_parent:
        return
    import threading

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


# Ctrl-C reaches every process of the terminal's group: the indexing process reports it once
# and stops its helpers, which must not each print a traceback. A helper ignores SIGINT, but
# only once its own fork handlers have run; until then the handler it inherits does nothing.
# Python swallows an exception raised inside a fork handler, so a Ctrl-C that the indexing
# process meets while forking is delivered again just after.
_handler_before_fork = None
_indexing_pid = None
_interrupted_while_forking = False


def _interrupt_after_fork(signum, frame) -> None:
    global _interrupted_while_forking
    if os.getpid() == _indexing_pid:
        _interrupted_while_forking = True


def _before_fork() -> None:
    global _handler_before_fork, _indexing_pid
    import threading

    if (_watching_parent and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
        _indexing_pid = os.getpid()
        _handler_before_fork = signal.signal(signal.SIGINT, _interrupt_after_fork)


def _after_fork_in_parent() -> None:
    global _handler_before_fork, _interrupted_while_forking
    if _handler_before_fork is None:
        return
    signal.signal(signal.SIGINT, _handler_before_fork)
    _handler_before_fork = None
    if _interrupted_while_forking:
        import threading

        _interrupted_while_forking = False
        threading.Timer(0.01, os.kill, (os.getpid(), signal.SIGINT)).start()


def _after_fork_in_child() -> None:
    if _watching_parent:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent,
                        after_in_child=_after_fork_in_child)


def _file_key(real: str) -> str:
    """A file's key in meta.json and in the index's source field: its real path, as valid Unicode."""
    return name_key(real)


def _stat_key(source: SourceFile) -> list | None:
    try:
        st = source.st or os.stat(source.path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


class _TakenIds(DocIds):
    """The doc ids taken in this run, and those of the files an incremental run keeps as they were."""

    def __init__(self, target, previous, kept: set[str], shown_as: dict[str, Path]):
        super().__init__()
        self.kept, self.shown_as = kept, shown_as
        self.lookup = target.holders(previous) if previous and kept else None

    def claim(self, doc_id: str, where: str) -> str | None:
        if self.lookup is not None:
            for fields in self.lookup(name_key(doc_id)):
                key = _file_key(fields.get("path", ""))
                if key in self.kept:
                    self.refused += 1
                    path = str(self.shown_as.get(key, fields.get("path", "")))
                    return f"{path}:{fields.get('line', 1)}" if path.lower().endswith(".jsonl") else path
        return super().claim(doc_id, where)

    def close(self) -> None:
        if self.lookup is not None:
            self.lookup.close()


def build_index(
    paths: Iterable[str | Path],
    index_dir: str | Path,
    warn: Warn = lambda msg: None,
    progress: Progress | None = None,
    rebuild: bool = False,
    max_document_bytes: int = MAX_DOCUMENT_BYTES,
    follow_links: bool = False,
    ca_bundle: str | None = None,
    shards: int | None = None,
    replicas: int | None = None,
) -> BuildReport:
    """Index every supported file under paths into index_dir (a folder, or a cluster URL).

    When index_dir already holds an index of the same paths, only files whose content changed
    are re-read and re-analysed (``rebuild=True`` forces a full build). The result replaces the
    old index atomically. Files (or JSONL records) above ``max_document_bytes`` are skipped.
    Symbolic links that lead outside the paths are skipped unless ``follow_links``. A file is
    indexed once however often it is named; a second name for it, or a copy of its content, is
    skipped with a warning, as is a document whose id another document has. ``ca_bundle``,
    ``shards`` and ``replicas`` apply to a cluster (see engines.open_target).

    An update that meets damage in the current index (whose parts decode lazily, so that it
    opened whole) says so and builds it anew.
    """
    paths = list(paths)
    if any(str(p) == "" for p in paths):  # (Path("") is the current folder)
        raise CorpusError("an empty path names no file or folder (for the current folder, give .)")
    options = dict(progress=progress, max_document_bytes=max_document_bytes, follow_links=follow_links,
                   ca_bundle=ca_bundle, shards=shards, replicas=replicas)
    try:
        return _build_once(paths, index_dir, warn, rebuild, **options)
    except _UpdateMetDamage as e:
        damage = e.args[0]
        _printable(warn)(f"index {damage.index_dir} is damaged: {damage.what}; building it anew")
        return _build_once(paths, index_dir, warn, True, **options)


class _UpdateMetDamage(Exception):
    """An incremental build found the index it updates damaged (the IndexDamaged is its argument)."""


def _build_once(paths: list, index_dir, warn: Warn, rebuild: bool, progress, max_document_bytes: int,
                follow_links: bool, ca_bundle, shards, replicas) -> BuildReport:
    from .engines import open_target

    started = time.perf_counter()
    target = open_target(index_dir, ca_bundle=ca_bundle, shards=shards, replicas=replicas)
    index_dir = str(target)
    target.check()
    paths = [Path(p) for p in paths]
    roots = sorted(_file_key(os.path.realpath(p)) for p in paths)
    report = BuildReport(ReadReport(), index_dir=index_dir)
    warn = _printable(warn)
    sources = find_files(paths, report.read, warn, follow_links, leave_out=getattr(target, "dir", None))
    if not sources and not report.read.skipped:
        raise CorpusError(shown(f"nothing to index under {', '.join(map(str, paths))}"))

    with target.lock():
        current = target.current(warn)
        if current and current[1]["roots"] != roots:
            warn(f"{index_dir} was an index of {', '.join(current[1]['roots'])}; it now becomes an index of "
                 f"{', '.join(roots)} only (to keep both, index them together in one run)")
        previous = current if current and not rebuild and current[1]["roots"] == roots else None
        old_files = previous[1]["files"] if previous else {}
        old_skipped = previous[1].get("skipped", {}) if previous else {}
        files: dict[str, dict] = {}  # what the new index holds, by file
        skipped: dict[str, dict] = {}  # files read but not indexed (empty, copies, ...): kept as they are
        indexed: dict[str, str] = {}  # content hash -> key of the file indexed with it
        by_key = {_file_key(s.real): (order, s) for order, s in enumerate(sources)}
        shown_as = {key: s.path for key, (_, s) in by_key.items()}
        to_read: list[tuple[int, SourceFile, str, list | None]] = []
        held: list[tuple[int, SourceFile, str, list | None, dict]] = []
        for key, (order, source) in by_key.items():
            stat = _stat_key(source)
            entry = _unchanged(source, stat, old_files.get(key) or old_skipped.get(key), max_document_bytes)
            if entry is None:
                to_read.append((order, source, key, stat))
            elif key in old_files:
                files[key] = entry
                indexed.setdefault(entry["hash"], key)
            else:
                held.append((order, source, key, stat, entry))
        for order, source, key, stat, entry in held:
            if "copy_of" in entry and entry["hash"] not in indexed:  # its original changed or went
                to_read.append((order, source, key, stat))
            elif "copy_of" in entry:
                skipped[key] = {**entry, "copy_of": indexed[entry["hash"]]}
            else:
                skipped[key] = entry
        stale = [k for k in old_files if k not in files]  # changed or gone: their passages go
        if previous and not to_read and not stale:
            report.mode = "unchanged"
            report.files_unchanged = len(files)
            report.seconds = time.perf_counter() - started
            return report
        # A file that lost a doc id to another one may get it back now that something changed.
        for key, entry in list(files.items()) + list(skipped.items()):
            if entry.get("duplicate_ids"):
                to_read.append((*by_key[key], key, entry["stat"]))
                files.pop(key, None)
                skipped.pop(key, None)
        to_read.sort(key=lambda item: item[0])
        stale = [k for k in old_files if k not in files]
        report.mode = "incremental" if previous else "full"
        unchanged = len(files)
        ids = _TakenIds(target, previous, set(files), shown_as)

        def changed_documents() -> Iterator[Document]:
            """Documents of the files to (re)read, read one file at a time as analysis asks."""
            for done, (_, source, key, stat) in enumerate(to_read, 1):
                data = read_bytes(source, report.read, warn, max_document_bytes)
                found = []
                if data is not None:
                    digest = file_hash(data)
                    first = indexed.get(digest)
                    if first is not None and first != key:
                        warn(f"{source.path}: same content as {shown_as.get(first, first)}, skipped")
                        report.read.skip("duplicate")
                        skipped[key] = {"hash": digest, "stat": stat, "copy_of": first}
                    else:
                        refused = ids.refused
                        found = read_documents(source, data, report.read, warn, max_document_bytes, ids)
                        entry = {"hash": digest, "stat": stat, "documents": len(found)}
                        if ids.refused > refused:
                            entry["duplicate_ids"] = ids.refused - refused
                        if found:
                            for doc in found:
                                doc.path = source.real
                            files[key] = entry
                            indexed.setdefault(digest, key)
                        else:
                            skipped[key] = entry
                del data
                if progress:
                    progress(report.passages, done, len(to_read))
                yield from found

        parallel = sum(s.st.st_size if s.st else 0 for _, s, _, _ in to_read) >= PARALLEL_MIN_BYTES
        try:
            with extraction():  # one reader process for the whole run, stopped before the lock is released
                _write_watched(target, previous, files, skipped, stale, _analyses(changed_documents(), parallel),
                               report, roots, parallel, warn)
        except IndexDamaged as e:
            if previous is None:
                raise
            raise _UpdateMetDamage(e) from None
        finally:
            ids.close()
        report.files_unchanged = unchanged
        report.files_changed = len(files) - unchanged
        report.files_removed = sum(1 for k in old_files if k not in files)
    report.seconds = time.perf_counter() - started
    return report


def _printable(warn: Warn) -> Warn:
    r"""warn, with names that are not UTF-8 written \xff: a terminal cannot print them raw."""
    return lambda message: warn(shown(message))


def _unchanged(source: SourceFile, stat: list | None, old: dict | None, max_document_bytes: int) -> dict | None:
    """old's entry for the file (with its new stat) when the file still holds what old says."""
    if not old or stat is None:
        return None
    if old["stat"] == stat:
        return old  # same size and mtime: unchanged, not even read
    data = read_bytes(source, ReadReport(), lambda msg: None, max_document_bytes)
    if data is not None and old["hash"] == file_hash(data):
        return {**old, "stat": stat}  # touched, same content
    return None


def _write_watched(target, *args) -> None:
    """target.write, with every process it forks exiting should this one be killed."""
    global _watching_parent
    _watching_parent = True
    try:
        target.write(*args)
    finally:
        _watching_parent = False
