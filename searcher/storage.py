"""The on-disk layout of an index directory: generations, the CURRENT pointer, the write lock.

A build writes a complete new generation folder, then switches the ``CURRENT`` file to it with
``os.replace``, so readers always see either the old or the new index whole, and a run killed
at any point leaves the previous generation in place. Writers serialise on an flock, which the
kernel releases when a writer dies: a killed run never blocks the next one.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import IndexBusy, IndexMissing, IndexVersionMismatch
from .schema import FORMAT_VERSION

CURRENT = "CURRENT"
LOCK = ".lock"
META = "meta.json"
LEXICON = "lexicon.json"
REFS = "refs.json"


def current_generation(index_dir: Path) -> Path:
    """The folder of the complete index that readers should open."""
    if not index_dir.is_dir():
        raise IndexMissing(f"no index at {index_dir} (run: vnsearch index)")
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        raise IndexMissing(f"{index_dir} is not a vnsearch index (run: vnsearch index --index {index_dir})")
    gen = index_dir / name
    if not name or "/" in name or not (gen / META).is_file():
        raise IndexMissing(f"{index_dir} is damaged: {CURRENT} names a missing build (run: vnsearch index --rebuild)")
    return gen


def read_meta(gen: Path) -> dict:
    try:
        meta = json.loads((gen / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise IndexMissing(f"{gen} has no readable {META} (run: vnsearch index --rebuild)")
    if meta.get("format") != FORMAT_VERSION:
        raise IndexVersionMismatch(
            f"index at {gen.parent} has format {meta.get('format')}, this vnsearch reads format "
            f"{FORMAT_VERSION} (run: vnsearch index --rebuild)"
        )
    return meta


def write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def new_generation(index_dir: Path) -> Path:
    """Create an empty folder for the next build, named so that it never collides."""
    index_dir.mkdir(parents=True, exist_ok=True)
    gen = index_dir / f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    gen.mkdir()
    return gen


def publish(index_dir: Path, gen: Path) -> None:
    """Make gen the current index (atomic), then delete generations no reader should open."""
    tmp = index_dir / (CURRENT + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(gen.name + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)
    remove_stale_generations(index_dir, keep=gen)


def remove_stale_generations(index_dir: Path, keep: Path) -> None:
    """Delete every generation but keep; only called under the write lock."""
    for child in index_dir.iterdir():
        if child.is_dir() and child.name.startswith("gen-") and child != keep:
            shutil.rmtree(child, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def write_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index's write lock, or raise IndexBusy if another run holds it."""
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexBusy(f"another vnsearch run is writing {index_dir}; try again when it ends")
        yield
    finally:
        os.close(fd)
