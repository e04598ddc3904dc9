"""Builds and updates the embedded index: a new generation folder, published atomically.

Every run writes a new generation — a fresh one, or a copy of the current one updated in place
for files whose content changed — and publishes it only when complete, so searches keep
answering from the previous index while this runs and after a crash (storage.py).
"""
from __future__ import annotations

import shutil
import time
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ...errors import CorpusError, IndexDamaged, IndexMissing, IndexVersionMismatch
from ...lexicon import build_catalogue, build_lexicon
from .. import base
from ..base import FORMAT_VERSION
from . import storage
from .schema import build_schema
from .postingwriter import PostingWriter
from .whooshwrite import codec

Warn = Callable[[str], None]
# Postings a build holds in memory before it writes them to disk as a sorted run: a corpus
# larger than this costs a merge, never more memory.
POOL_MB = 32


class LocalTarget:
    """Where build_index writes when the index location is a folder."""

    def __init__(self, index_dir: Path):
        self.dir = Path(index_dir)

    def __str__(self) -> str:
        return str(self.dir)

    def check(self) -> None:
        storage.check_writable(self.dir)  # before anything is written there, even the lock

    def lock(self) -> AbstractContextManager:
        return storage.write_lock(self.dir)

    def current(self, warn: Warn) -> tuple[Path, dict] | None:
        """The current generation and its meta (with files.json's files and skipped), when there is one in this format that opens whole;
        then removes what killed builds left (under the lock).

        It is opened as a search would (meta, lexicon, references, every segment), so that a
        damaged index is rebuilt rather than declared up to date.
        """
        from .reader import LocalReader
        from ...query import Weights

        found = None
        try:
            reader = LocalReader(self.dir, Weights())
            try:
                found = reader.generation, {**reader.meta, **storage.read_files(reader.generation)}
            finally:
                reader.close()
        except IndexDamaged as e:
            warn(f"index {self.dir} is damaged: {e.what}; building it anew")
        except (IndexMissing, IndexVersionMismatch):
            pass
        storage.tidy(self.dir)
        return found

    def holders(self, previous: tuple[Path, dict]):
        """A lookup doc_id -> stored fields of the passages the previous build has under that id."""
        from whoosh.filedb.filestore import FileStorage

        searcher = FileStorage(str(previous[0]), readonly=True, supports_mmap=False).open_index().searcher()

        def lookup(doc_id: str) -> Iterator[dict]:
            for docnum in searcher.document_numbers(doc_id=doc_id):
                yield searcher.stored_fields(docnum)

        lookup.close = searcher.close
        return lookup

    def write(self, previous, files: dict, skipped: dict, stale_keys: list[str], analysed: Iterable[list[dict]],
              report, roots: list[str], parallel: bool, warn: Warn) -> None:
        """Write the new generation beside the current one and publish it once complete.

        ``analysed`` yields each document's passage records; ``files`` fills in as they are read,
        so it is complete only once ``analysed`` is exhausted.
        """
        from whoosh import index as whoosh_index
        from whoosh.filedb.filestore import FileStorage

        from .reader import damaged_bytes, describe_damage

        gen = storage.new_generation(self.dir)
        try:
            if previous:
                # Into the folder made above, whose marker stays: a copied one would name the other.
                # File by file, so that a full disk is an OSError with its errno (shutil.copytree
                # gathers failures into a shutil.Error, a list of strings), said as a full build says it.
                for part in sorted(previous[0].iterdir()):
                    if part.name == storage.MARKER or "WRITELOCK" in part.name:
                        continue
                    try:
                        shutil.copy2(part, gen / part.name)
                    except OSError as e:
                        raise OSError(e.errno, e.strerror) from None  # (the file named would be the old one's)
                ix = whoosh_index.open_dir(str(gen))
            else:
                ix = whoosh_index.create_in(str(gen), build_schema())
            _write_passages(ix, stale_keys, analysed, report, files)
            ix.close()
            # Read back without memory-mapping: whoosh copies every memory-mapped segment file
            # whole into memory (io.BytesIO over the map), so the build's peak memory would grow
            # with the index; read through the file instead, it stays flat.
            written = FileStorage(str(gen), supports_mmap=False).open_index()
            with written.searcher() as searcher:
                storage.write_json_atomic(gen / storage.LEXICON, build_lexicon(searcher.reader()))
                storage.write_json_atomic(gen / storage.REFS, build_catalogue(searcher))
                total_passages = searcher.doc_count()
            written.close()
            report.documents = sum(f.get("documents", 0) for f in files.values())
            # skipped: read but not indexed, recognised unchanged by the next run.
            storage.write_json_atomic(gen / storage.FILES, {"files": files, "skipped": skipped})
            storage.write_json_atomic(
                gen / storage.META,
                {
                    "format": FORMAT_VERSION,
                    "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "roots": roots,
                    "documents": report.documents,
                    "passages": total_passages,
                    "files": len(files),
                },
            )
            storage.publish(self.dir, gen)
        except BaseException as e:
            storage.remove_generation(gen)
            if previous and damaged_bytes(e):  # met in the copied generation: a full build is the cure
                raise IndexDamaged(self.dir, describe_damage(e, previous[0]), roots) from None
            raise


def _write_passages(ix, stale_keys, analysed, report, files) -> None:
    """Delete the passages of stale files, add the analysed ones, commit.

    The passages go into one new segment written here, while the analysis processes (when
    there are any) prepare the next ones: the index holds one term dictionary per build.
    """
    from .reader import checked_passage

    writer = PostingWriter(ix, limitmb=POOL_MB, codec=codec(), stored_check=checked_passage)
    try:
        for key in stale_keys:
            writer.delete_by_term("source", key)
        for records in analysed:
            for record in records:
                writer.add_document(**record)
            report.passages += len(records)
        if not files:
            raise CorpusError(f"nothing to index: {report.read.summary()}")
    except BaseException:
        writer.cancel()
        if hasattr(analysed, "close"):
            analysed.close()  # stops the analysis processes now, not when garbage is collected
        raise
    try:
        writer.commit(mergetype=_merge_policy)
    except BaseException:
        _abandon(writer)
        raise


def _merge_policy(writer, segments: list) -> list:
    """whoosh's own policy (small segments merged into the new one), and every segment with
    more than base.DELETED_SHARE of its passages deleted, rewritten with its live postings
    copied (not analysed again; PostingWriter.add_reader, a block of postings at a time);
    returns the segments kept as they are."""
    from whoosh.reading import SegmentReader
    from whoosh.writing import MERGE_SMALL

    worn = [s for s in segments if s.deleted_count() > base.DELETED_SHARE * s.doc_count_all()]
    kept = MERGE_SMALL(writer, [s for s in segments if s not in worn])
    for segment in worn:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        try:
            writer.add_reader(reader)
        finally:
            reader.close()
    return kept


def _abandon(writer) -> None:
    """After a failed commit (a full disk, a size limit): close what the writer still holds and
    delete its run files, each step on its own, so that the generation can be removed."""
    for step in (writer.pool.cleanup, writer._close_segment, writer._finish):
        try:
            step()
        except Exception:
            pass
