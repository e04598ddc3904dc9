"""Term-at-a-time BM25F scoring read straight from whoosh's posting blocks.

whoosh scores a disjunction document by document through a tree (or array) of matchers,
calling a Python scorer for every posting that looks the document's field length up through
several layers of objects: a few microseconds a posting, and most of a query's time. Here each
term's postings are read a block at a time (whoosh's own arrays of ids and weights), field
lengths are loaded once per segment, and scores add up in a dict: the same BM25F sums as
``PassageBM25`` inside whoosh, several times faster.

The fast path reads whoosh-reloaded's block attributes. Should they change, every posting is
read through whoosh's public matcher API instead: slower, never wrong.
"""
from __future__ import annotations

import heapq
from typing import Iterator, Sequence

from whoosh.util.numeric import byte_to_length

_LENGTH_OF_BYTE = [byte_to_length(i) for i in range(256)]
_BLOCK_ATTRS = ("_read_ids", "_read_weights", "_next_block", "_ids", "_weights")


class Accumulator:
    """Scores passages for a list of (field, term, boost) on one whoosh searcher."""

    def __init__(self, searcher, B: float, K1: float):
        self.searcher = searcher
        self.B, self.K1 = B, K1
        self._lengths: dict[tuple[int, str], Sequence[int] | None] = {}

    def scores(self, should: list[tuple[str, str, float]]) -> dict[int, float]:
        """docnum → the sum over terms of boost × BM25F (or boost × tf for unscored fields)."""
        searcher = self.searcher
        schema = searcher.schema
        acc: dict[int, float] = {}
        get = acc.get
        for fieldname, text, boost in should:
            scorable = schema[fieldname].scorable
            if scorable:
                idf = searcher.idf(fieldname, text)
                avgfl = searcher.avg_field_length(fieldname) or 1
                c1 = boost * idf * (self.K1 + 1)
                c2 = self.K1 * (1 - self.B)
                c3 = self.K1 * self.B / avgfl
            for leaf, offset in _leaves(searcher):
                lengths = self._field_lengths(leaf, fieldname) if scorable else None
                for ids, weights in _postings(leaf, fieldname, text):
                    if not scorable:
                        for d, w in zip(ids, weights):
                            d += offset
                            acc[d] = get(d, 0.0) + boost * w
                    elif lengths is not None:
                        for d, w in zip(ids, weights):
                            s = c1 * w / (w + c2 + c3 * lengths[d])
                            d += offset
                            acc[d] = get(d, 0.0) + s
                    else:
                        for d, w in zip(ids, weights):
                            s = c1 * w / (w + c2 + c3 * (leaf.doc_field_length(d, fieldname, 1) or 1))
                            d += offset
                            acc[d] = get(d, 0.0) + s
        return acc

    def _field_lengths(self, leaf, fieldname: str) -> Sequence[int] | None:
        key = (id(leaf), fieldname)
        if key not in self._lengths:
            self._lengths[key] = _load_lengths(leaf, fieldname)
        return self._lengths[key]


def top(scores: dict[int, float], limit: int) -> list[tuple[int, float]]:
    """The best (docnum, score) pairs, ties broken by docnum as whoosh's collector does."""
    return heapq.nsmallest(limit, scores.items(), key=lambda kv: (-kv[1], kv[0]))


def _leaves(searcher):
    return searcher.leaf_searchers() if not searcher.is_atomic() else [(searcher, 0)]


def _postings(leaf_searcher, fieldname: str, text: str) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """(ids, weights) of a term in one segment, a block at a time, deleted passages left out."""
    from whoosh.matching.wrappers import FilterMatcher

    reader = leaf_searcher.reader()
    try:
        matcher = reader.postings(fieldname, text)
    except Exception:  # TermNotFound, or a field this segment never saw
        return
    deleted = None
    inner = matcher
    if isinstance(matcher, FilterMatcher):  # the segment has deletions
        deleted = reader.deleted_docs_set
        inner = matcher.child
    if all(hasattr(inner, a) for a in _BLOCK_ATTRS):
        while inner.is_active():
            inner._read_ids()
            inner._read_weights()
            ids, weights = inner._ids, inner._weights
            if deleted:
                kept = [(d, w) for d, w in zip(ids, weights) if d not in deleted]
                ids, weights = [d for d, _ in kept], [w for _, w in kept]
            yield ids, weights
            inner._next_block()
        return
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    yield ids, weights


def _load_lengths(leaf_searcher, fieldname: str) -> Sequence[int] | None:
    """Every passage's length in a field for one segment, from whoosh's length column."""
    reader = leaf_searcher.reader()
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        perdoc = reader._perdoc
        name = _lenfield(fieldname)
        if not perdoc.has_column(name):
            return None
        column = perdoc.column_reader(name, LENGTHS_COLUMN)
        raw = column._dbfile.get(column._basepos, column._count)
        lengths = [_LENGTH_OF_BYTE[b] or 1 for b in raw]
        lengths.extend([1] * (reader.doc_count_all() - len(lengths)))
        return lengths
    except Exception:
        return None
