"""Searches the embedded whoosh index: the reading side of the local engine.

Everything a search reads is opened at once (meta, lexicon, references, the whoosh segments),
and the generation is leased until ``close()``: builds that publish meanwhile leave it on disk,
so an open reader keeps answering from the index it opened. A damaged index raises
IndexDamaged at open, or — for bytes whoosh decodes lazily — from the call that meets them.

Plain-word queries are scored term at a time straight from the posting lists (accumulate.py);
required phrases, AND sides, a topic and the filters on what a document is (its date, type,
issuer, citations, which document) first narrow the passages scored (phrases are found from the
pair and break fields, positions only where those leave a doubt: accumulate.phrase_docs);
exclusions are dropped after scoring.
"""
from __future__ import annotations

import functools
import os
import pickle
import struct
import zlib
from pathlib import Path

from ...errors import IndexDamaged, VnsearchError
from ..base import Features
from . import storage

FEATURES = Features(name="local", explain=True, disk_size=True, shared=False)


def _is_lexicon(data) -> bool:
    return isinstance(data, dict) and all(isinstance(data.get(k), dict) for k in ("words", "syllables", "abbreviations"))


def _is_catalogue(data) -> bool:
    return isinstance(data, dict) and all(isinstance(v, dict) and isinstance(v.get("count"), int) for v in data.values())


def _describe(error: BaseException) -> str:
    kind = type(error).__name__
    if kind == "error":  # struct.error, zlib.error
        kind = f"{type(error).__module__}.error"
    if isinstance(error, MemoryError):  # (a garbled length: whoosh asked for that many bytes)
        return f"{kind}: a length in it asks for more memory than there is"
    text = " ".join(f"{kind}: {error}".split())
    return text if len(text) <= 120 else text[:119] + "…"


def _raised_in_whoosh(error: BaseException) -> bool:
    """Whether error was raised inside whoosh's code (or what it called), not in vnsearch's own."""
    import whoosh

    theirs = os.path.dirname(whoosh.__file__) + os.sep
    ours = os.path.dirname(os.path.dirname(os.path.dirname(__file__))) + os.sep
    inside = False
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(theirs):
            inside = True
        elif filename.startswith(ours):
            inside = False
        tb = tb.tb_next
    return inside


def damaged_bytes(error: BaseException) -> bool:
    """Whether error is what decoding bytes that are not what vnsearch and whoosh wrote raises.

    whoosh reads posting and term blocks lazily, so damage inside a segment shows up mid-search
    (or mid-update): as a decoding error wherever the bytes are read (vnsearch's own decoders,
    postings.py and the checks here, raise EOFError for bytes it did not write), or as whatever
    whoosh's decoder trips on (an IndexError for a garbled field number). The same exceptions
    raised by vnsearch's own code elsewhere are bugs, and stay what they are; a full disk or a
    lost permission (OSError) is not damage either, and nor is running out of memory past
    opening (a garbled length in the table of contents asks for gigabytes at open, see
    LocalReader.__init__; later, a MemoryError is as likely a real one, and a rebuild would
    meet it again).
    """
    if isinstance(error, (OSError, VnsearchError, MemoryError)) or not isinstance(error, Exception):
        return False
    from whoosh.index import IndexError as WhooshIndexError

    decoding = (EOFError, struct.error, zlib.error, pickle.UnpicklingError, WhooshIndexError)
    return isinstance(error, decoding) or _raised_in_whoosh(error)


def describe_damage(error: BaseException, generation: Path) -> str:
    return f"the passage store in {generation.name} is unreadable ({_describe(error)})"


def reads_index(method):
    """Report bytes that are not what whoosh wrote (a damaged segment) as IndexDamaged."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as e:
            if not damaged_bytes(e):
                raise
            raise IndexDamaged(self.dir, describe_damage(e, self.generation), self.meta.get("roots")) from None

    return wrapper


def checked_passage(fields) -> dict:
    """A passage's stored fields, as whoosh unpickled them, checked to be what vnsearch wrote:
    a garbled byte can leave a pickle that still loads, as a dict without ``doc_id``, a ``start``
    that is a string, or citations that do not unpack."""
    if not (isinstance(fields, dict) and isinstance(fields.get("doc_id"), str) and isinstance(fields.get("text"), str)
            and all(type(fields.get(k, 0)) is int for k in ("start", "end", "seq", "line"))
            and isinstance(fields.get("cites", []), list)
            and all(isinstance(c, (list, tuple)) and len(c) == 5 for c in fields.get("cites", []))):
        raise EOFError("a passage's stored fields are not what vnsearch wrote")
    return fields


def _filter_queries(filters) -> list:
    """One whoosh query per filter (see base.Filters); a passage must match them all."""
    from whoosh import query as wq

    if not filters:
        return []
    out = []
    if filters.since or filters.until:
        # ISO days sort as text: a term range over the date field is a date range.
        out.append(wq.TermRange("date", filters.since, filters.until))
    if filters.undated:
        out.append(wq.Not(wq.Every("date")))
    if filters.doc_type:
        out.append(wq.Term("doc_type", filters.doc_type))
    out += [wq.Term("doc_issuer", code) for code in filters.issuer]
    if filters.cites:
        out.append(wq.Or([wq.Term("refs", r) for r in filters.cites]))
    if filters.within:
        out.append(wq.Or([wq.Term(f, key) for key in filters.within for f in ("doc_id", "source")]))
    return out


class LocalReader:
    """The current generation of an index folder, open for searching."""

    features = FEATURES

    def __init__(self, index_dir: str | Path, weights):
        self.dir = Path(index_dir)
        self.location = str(self.dir)
        self.weights = weights
        self._searcher = None
        self.generation, self._lease = storage.open_generation(self.dir)
        try:
            self.meta = storage.read_meta(self.generation)
            roots = self.meta["roots"]
            self.lexicon = storage.read_part(self.generation, storage.LEXICON, _is_lexicon, roots)
            self.catalogue = storage.read_part(self.generation, storage.REFS, _is_catalogue, roots)
            self._open_segments(roots)
        except BaseException:
            self._release()
            raise

    def _open_segments(self, roots: list[str]) -> None:
        from .whooshimport import load_reading_side

        load_reading_side()
        from whoosh.filedb.filestore import FileStorage
        from whoosh.index import EmptyIndexError

        from .accumulate import Accumulator
        from .scoring import PassageBM25

        w = self.weights
        try:
            self._ix = FileStorage(str(self.generation), readonly=True).open_index()
            self._searcher = self._ix.searcher(weighting=PassageBM25(w.idf, B=w.b, K1=w.k1))
        except PermissionError:
            raise
        except EmptyIndexError:
            raise IndexDamaged(self.dir, f"{self.generation.name} has no whoosh table of contents (_MAIN_*.toc)",
                               roots) from None
        except Exception as e:  # truncated, emptied, missing or garbled segment or table of contents
            # (MemoryError: whoosh unpickles the table of contents, a few kilobytes, at once; a
            # garbled length in it asks for gigabytes)
            raise IndexDamaged(self.dir, f"the passage store in {self.generation.name} does not open "
                                         f"({_describe(e)})", roots) from None
        self._accumulator = Accumulator(self._searcher, B=w.b, K1=w.k1)

    @property
    def stale(self) -> bool:
        """True once a newer build has been published: this reader still answers from its own."""
        try:
            return storage.read_current_name(self.dir) != self.generation.name
        except VnsearchError:
            return True

    # --- the SearchBackend protocol ---------------------------------------------------------

    @reads_index
    def doc_count(self) -> int:
        return self._searcher.reader().doc_count()

    @reads_index
    def doc_frequencies(self, keys: list[tuple[str, str]]) -> list[int]:
        reader = self._searcher.reader()
        return [reader.doc_frequency(f, t) for f, t in keys]

    @reads_index
    def rank(self, terms, topic, limit, filters=None):
        """The best (docnum, score) pairs and how many passages matched (exact below three).

        Required phrases, AND sides, a topic and the filters first narrow the passages the
        accumulator may score; excluded words are dropped after scoring, otherwise the best
        passages are found with pruning.
        """
        from .accumulate import top

        within = self._narrowed(terms, topic, filters)
        if not terms.excluded:
            return self._accumulator.top(terms.should, limit, within)
        scores = self._scores(terms, within)
        return top(scores, limit), len(scores)

    @reads_index
    def count(self, terms, topic, filters=None) -> int:
        return len(self._scores(terms, self._narrowed(terms, topic, filters)))

    def _sequence(self, folded: list[str]) -> set[int]:
        """The passages with these folded syllables in a row."""
        from .accumulate import phrase_docs

        return phrase_docs(self._searcher, "folded", folded, pairs_field="bigrams", blocks=self._accumulator._blocks,
                           breaks_field="breaks")

    def _scores(self, terms, within) -> dict:
        scores = self._accumulator.scores(terms.should, within)
        for ex in terms.excluded:
            for d in self._sequence(ex):
                scores.pop(d, None)
        return scores

    def _narrowed(self, terms, topic, filters) -> set[int] | None:
        """The docnums the plan's required parts and the filters allow (None: every passage)."""
        from .accumulate import phrase_docs

        within = None
        narrowing = [lambda p=p: self._sequence(p) for p in terms.phrases]
        # An AND side: one of its alternatives (a syllable, or its abbreviation's other form).
        narrowing += [lambda alts=alts: set().union(*(self._sequence(alt) for alt in alts)) for alts in terms.required]
        if topic:
            narrowing.append(lambda: phrase_docs(self._searcher, "topics", [topic]))
        narrowing += [lambda q=q: set(self._searcher.docs_for_query(q)) for q in _filter_queries(filters)]
        for docs_of in narrowing:
            docs = docs_of()
            within = docs if within is None else within & docs
        return within

    @reads_index
    def numbered(self, ref_id: str) -> list[dict]:
        from whoosh import query as wq

        hits = [checked_passage(r.fields()) for r in self._searcher.search(wq.Term("doc_number", ref_id), limit=None)]
        return sorted(hits, key=lambda f: (f["doc_id"], f.get("seq") or 0))

    @reads_index
    def matching(self, keys, alternatives):
        having: dict[tuple[str, str], set] = {}
        for alt in alternatives:
            for term in alt:
                if term not in having:
                    having[term] = set(self._accumulator.scores([(*term, 1.0)], keys))
        return [set.intersection(*(having[t] for t in alt)) if alt else set() for alt in alternatives]

    @reads_index
    def stored(self, key) -> dict:
        return checked_passage(self._searcher.stored_fields(key))

    @reads_index
    def citing(self, ref_id: str) -> list[dict]:
        from whoosh import query as wq

        return [checked_passage(r.fields()) for r in self._searcher.search(wq.Term("refs", ref_id), limit=None)]

    @reads_index
    def explain(self, should, key) -> list[tuple[str, str, float]]:
        from whoosh import query as wq

        parts = []
        for fieldname, text, weight in should:
            matcher = wq.Term(fieldname, text, boost=weight).matcher(self._searcher)
            if matcher.is_active():
                matcher.skip_to(key)
                if matcher.is_active() and matcher.id() == key:
                    parts.append((fieldname, text, matcher.score()))
        return sorted(parts, key=lambda p: -p[2])

    @reads_index
    def engine_stats(self) -> dict:
        """``size_bytes`` is this generation on disk; ``other_bytes`` the rest of the index folder:
        generations superseded but still open in some reader, or left by a killed build (the
        next build removes both), and the lock files."""
        size, other = storage.disk_usage(self.dir, self.generation)
        return {
            "files": self.meta.get("files", 0),
            "passages": self._searcher.doc_count(),
            "distinct_terms": sum(1 for _ in self._searcher.reader().iter_field("folded")),
            "size_bytes": size,
            "other_bytes": other,
        }

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._ix.close()
            self._searcher = None
        self._release()

    def _release(self) -> None:
        if self._lease is not None:
            self._lease.close()  # the generation may now be removed by the next build
            self._lease = None
