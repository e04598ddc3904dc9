"""Runs the format readers in a worker process with memory and CPU-time limits for each file.

pdfminer, python-docx (lxml) and trafilatura cannot bound what a hostile file makes them
allocate or compute: a 1 MB Word file can unpack to 300 MB of XML and take minutes and gigabytes.
In a worker whose address space and CPU time are capped for each file (both derived from the
size limit for one document), such a file costs seconds and is skipped with a warning; the
worker is replaced and the run goes on. The worker is forked, not a new interpreter, and it
serves file after file, so the readers' caches stay warm and a normal file costs a pipe
round trip (a fork per file would cost 10-40 ms in copied pages).
"""
from __future__ import annotations

import os
import pickle
import signal
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .readers import MB, Extracted, ReadError, TooLarge, load, read


@dataclass(frozen=True)
class Limits:
    """What extracting one document may use: memory on top of what the worker holds, CPU
    seconds, and wall-clock seconds for a worker stuck without using CPU."""

    memory_bytes: int
    cpu_seconds: int
    wall_seconds: int

    @classmethod
    def for_document(cls, max_bytes: int) -> Limits:
        # pdfminer and lxml hold tens of bytes per byte of text; pdfminer extracts ~0.1 MB of
        # text per CPU second. For the default 20 MB limit: 896 MB and 70 s. Wall time leaves
        # room for a busy machine (the analysis workers share the cores).
        cpu = int(10 + 3 * max_bytes / MB)
        return cls(256 * MB + 32 * max_bytes, cpu, 3 * cpu + 10)


class Extractor:
    """Extracts files in one worker process, started on first use and replaced when a file
    breaks a limit. Close it (or use it as a context manager) to stop the worker."""

    def __init__(self, limits=Limits.for_document):
        self.limits = limits  # max_bytes -> Limits
        self._worker = None
        self._conn = None

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def extract(self, path: Path, data: bytes, max_bytes: int) -> Extracted:
        """readers.read(path, data, max_bytes) in the worker, within the limits for max_bytes.

        Raises ReadError for a file the reader cannot read and TooLarge for one over a limit.
        """
        limits = self.limits(max_bytes)
        if self._worker is not None and not self._worker.is_alive():
            self._stop(kill=True)
        if self._worker is None:
            self._start(path)
        try:
            self._conn.send_bytes(pickle.dumps((path, data, max_bytes, limits), pickle.HIGHEST_PROTOCOL))
            answer = pickle.loads(self._conn.recv_bytes()) if self._conn.poll(limits.wall_seconds) else None
        except (EOFError, OSError):  # the worker died: a CPU-limit kill, or a crash
            code = self._stop(kill=False)
            if code in (-signal.SIGXCPU, -signal.SIGKILL):
                raise TooLarge(f"exceeded {limits.cpu_seconds} s while extracting") from None
            what = f"signal {-code}" if code is not None and code < 0 else f"status {code}"
            raise ReadError(f"cannot read (the reader stopped with {what})") from None
        except BaseException:  # interrupted: the worker must not outlive the run
            self._stop(kill=True)
            raise
        if answer is None:
            self._stop(kill=True)
            raise TooLarge(f"exceeded {limits.wall_seconds} s while extracting")
        kind, value, retiring = answer
        if retiring:  # after a memory failure, or grown too big: the next file gets a fresh one
            self._stop(kill=False)
        if kind == "ok":
            return value
        if kind == "memory":
            raise TooLarge(f"exceeded {limits.memory_bytes // MB} MB while extracting")
        raise (TooLarge if kind == "too large" else ReadError)(value)

    def close(self) -> None:
        if self._worker is not None:
            self._stop(kill=False)

    def _start(self, path: Path) -> None:
        from multiprocessing import get_context

        load(path)  # imported before the fork: the worker starts with the reader loaded
        ctx = get_context("fork")
        self._conn, theirs = ctx.Pipe()
        self._worker = ctx.Process(target=_serve, args=(theirs, self._conn), daemon=True,
                                   name="vnsearch-extract")
        self._worker.start()
        theirs.close()

    def _stop(self, kill: bool) -> int | None:
        """Stop the worker (asking it, or with SIGKILL) and return its exit code."""
        worker, self._worker = self._worker, None
        if kill:
            worker.kill()
        else:
            try:
                self._conn.send_bytes(b"")  # the request to stop
            except OSError:
                pass
        self._conn.close()
        worker.join(5)
        if worker.exitcode is None:
            worker.kill()
            worker.join()
        return worker.exitcode


_session: Extractor | None = None


@contextmanager
def extraction() -> Iterator[Extractor]:
    """Within this block, extract() uses one worker for every file, stopped when it ends."""
    global _session
    outer = _session
    with Extractor() as _session:
        try:
            yield _session
        finally:
            _session = outer


def extract(path: Path, data: bytes, max_bytes: int) -> Extracted:
    """readers.read within the limits for max_bytes: in the current extraction() session's
    worker, else in a worker of its own. Without fork (Windows), in this process, unlimited."""
    if not hasattr(os, "fork"):
        return read(path, data, max_bytes)
    if _session is not None:
        return _session.extract(path, data, max_bytes)
    with Extractor() as extractor:
        return extractor.extract(path, data, max_bytes)


def _serve(conn, parents_end) -> None:
    """The worker: read a file, answer, until asked to stop or a limit makes it retire."""
    import resource

    parents_end.close()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a CPU-limit kill must not drop a core file
    start = _address_space()
    while True:
        try:
            request = conn.recv_bytes()
        except (EOFError, OSError):
            return
        if not request:
            return
        path, data, max_bytes, limits = pickle.loads(request)
        del request
        load(path)
        _limit(resource, limits)
        retire = False
        try:
            answer = ("ok", read(path, data, max_bytes))
        except TooLarge as e:
            answer = ("too large", str(e))
        except ReadError as e:
            answer = ("error", str(e))
        except MemoryError:
            answer, retire = ("memory", None), True
        del data
        grown = start is not None and (_address_space() or 0) > start + limits.memory_bytes
        retire = retire or grown  # a fresh worker gets the whole budget again
        try:
            payload = pickle.dumps((*answer, retire), pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload, retire = pickle.dumps(("memory", None, True)), True
        del answer
        _set_soft(resource, resource.RLIMIT_AS, resource.RLIM_INFINITY)  # room for the next request
        conn.send_bytes(payload)
        if retire:
            return


def _limit(resource, limits: Limits) -> None:
    """Cap the next file's memory and CPU time, counted from what the worker uses now."""
    in_use = _address_space()
    if in_use is not None:
        _set_soft(resource, resource.RLIMIT_AS, in_use + limits.memory_bytes)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _set_soft(resource, resource.RLIMIT_CPU, int(usage.ru_utime + usage.ru_stime) + 1 + limits.cpu_seconds)


def _set_soft(resource, which: int, value: int) -> None:
    """Set a soft limit (raised or lowered for each file), never above the hard limit."""
    hard = resource.getrlimit(which)[1]
    if hard != resource.RLIM_INFINITY and (value == resource.RLIM_INFINITY or value > hard):
        value = hard
    resource.setrlimit(which, (value, hard))


def _address_space() -> int | None:
    """This process's virtual memory size (Linux), which RLIMIT_AS bounds; None if unknown."""
    try:
        with open("/proc/self/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None
