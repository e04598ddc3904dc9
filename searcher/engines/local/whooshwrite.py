"""How vnsearch has whoosh write segments: cheap spills, no per-posting length lookups.

Two costs dominated whoosh's share of a build (ALQAC, 9,946 analysed passages written in one
process: 28.6 s):

- Spills. whoosh buffers a segment's postings in memory up to ``limitmb``, then spills them,
  sorted, to a temporary "run" file; runs are merged when the segment is written. Its runs
  pickle and unpickle every posting separately, with a system call per read, so a build that
  spilled once took 1.7x as long as one that fit in memory. Here a run is a series of
  length-prefixed, marshalled lists of postings: the same sorted items, a few thousand per
  call, and the merge still holds only one list per run in memory (28.6 -> 18.6 s).
- Length statistics. For every posting whoosh reads the passage's field length back from the
  file it has just written (a seek and a one-byte read), only to record each block's shortest
  and longest passage for its block-quality shortcuts. vnsearch's scorer (accumulate.py) does
  not use them, and without them whoosh's bounds stay valid, only looser (a length of 0 can
  only overestimate a block's best score): 18.6 -> 15.0 s. Passage lengths themselves are
  still stored, and BM25 uses them as before.

whoosh creates its pool inside the writer (also inside the writer processes of its
multi-process writer), so :func:`fast_writes` swaps the pool class for the duration of a
build only; pass :func:`codec` to every writer.

whoosh's multi-process writer lets a writer process that fails (a full disk) print a
traceback and die, and then commits without that process's passages; :class:`ParallelWriter`
has the process report its error instead, and fails the build with it.
"""
from __future__ import annotations

import marshal
import multiprocessing
import pickle
import queue
import struct
import sys
from contextlib import contextmanager
from typing import Iterable, Iterator

from whoosh import multiproc, writing
from whoosh.util import random_name

from ...errors import VnsearchError

CHUNK_ITEMS = 4096  # postings per marshalled list: ~1 MB held per run while merging
_HEAD = struct.Struct("<I")  # byte length of the chunk that follows


class ChunkedPostingPool(writing.PostingPool):
    """whoosh's PostingPool with runs written and read a chunk of postings at a time."""

    def _write_run(self, f, items: Iterable) -> None:
        chunk: list = []
        try:
            for item in items:
                chunk.append(item)
                if len(chunk) >= CHUNK_ITEMS:
                    _write_chunk(f, chunk)
                    chunk = []
            if chunk:
                _write_chunk(f, chunk)
        finally:
            f.close()

    def _read_run(self, path) -> Iterator:
        f = self._open_run(path)
        try:
            while True:
                head = _read_exactly(f, _HEAD.size)
                if not head:
                    return
                yield from marshal.loads(_read_exactly(f, _HEAD.unpack(head)[0]))
        finally:
            f.close()
            self._remove_run(path)


def _write_chunk(f, chunk: list) -> None:
    # Length-prefixed, so that reading takes two read() calls per chunk: run files are
    # unbuffered, and marshal.load() on them would make a system call per object.
    data = marshal.dumps(chunk)
    f.write(_HEAD.pack(len(data)))
    f.write(data)


def _read_exactly(f, n: int) -> bytes:
    """n bytes from an unbuffered file (whose read() may return fewer), or b"" at its end."""
    data = f.read(n)
    while data and len(data) < n:
        more = f.read(n - len(data))
        if not more:
            raise EOFError("posting run file is truncated")
        data += more
    return data


def codec():
    """vnsearch's posting format (postings.py), without per-block length statistics (see above)."""
    from .postings import VnCodec

    return VnCodec()


@contextmanager
def fast_writes():
    """Within this block, whoosh writers (and the processes they fork) spill in chunks."""
    original = writing.PostingPool
    writing.PostingPool = ChunkedPostingPool
    try:
        yield
    finally:
        writing.PostingPool = original


class _ReportingTask(multiproc.SubWriterTask):
    """whoosh's writer process, which hands its error to the parent instead of printing it."""

    def __init__(self, *args, failures):
        super().__init__(*args)
        self.failures = failures

    def run(self) -> None:
        try:
            super().run()
        except BaseException as e:  # everything goes to the parent, nothing to stderr
            if isinstance(e, OSError):
                self.failures.put(("os", e.errno, e.strerror, e.filename))
            else:
                self.failures.put(("other", type(e).__name__, str(e)[:200], None))
            sys.exit(1)


class ParallelWriter(multiproc.MpWriter):
    """whoosh's multi-process writer that fails as a whole when one of its processes fails.

    A writer process's error is raised in the indexing process (an ``OSError`` keeps its errno,
    so a full disk reads as one); cancelling stops the processes rather than leaving them
    waiting for work that never comes.
    """

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self.failures = multiprocessing.SimpleQueue()

    def _new_task(self):
        task = _ReportingTask(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                              self.multisegment, failures=self.failures)
        self.tasks.append(task)
        task.start()
        return task

    def _raise_failure(self) -> None:
        if not self.failures.empty():
            kind, a, b, c = self.failures.get()
            if kind == "os":
                raise OSError(a, b, c) if c is not None else OSError(a, b)
            raise VnsearchError(f"an index writer process failed ({a}: {b}); the index was left as it was")
        dead = [t for t in self.tasks if t.exitcode not in (None, 0)]
        if dead:
            raise VnsearchError(f"an index writer process died (exit status {dead[0].exitcode}); "
                                "the index was left as it was")

    def _enqueue(self) -> None:
        # whoosh's _enqueue, except that a full job queue is waited on only while every
        # writer process is still alive.
        self._raise_failure()
        filename = "%s.doclist" % random_name()
        with self.temp_storage().create_file(filename).raw_file() as f:
            for item in self.docbuffer:
                pickle.dump(item, f, 2)
        if len(self.tasks) < self.procs:
            self._new_task()
        jobinfo = (filename, len(self.docbuffer))
        while True:
            try:
                self.jobqueue.put(jobinfo, timeout=0.5)
                break
            except queue.Full:
                self._raise_failure()
        self.docbuffer = []

    def _commit(self, mergetype, optimize, merge) -> None:
        try:
            super()._commit(mergetype, optimize, merge)
            # A process that failed left its passages out of what was just committed: the
            # build fails, and the generation it wrote is thrown away.
            self._raise_failure()
        except BaseException:
            self._stop_tasks()
            raise

    def cancel(self) -> None:
        try:
            super().cancel()
        finally:
            self._stop_tasks()

    def _stop_tasks(self) -> None:
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
        for task in self.tasks:
            task.join()
