"""Term-at-a-time BM25F scoring read straight from whoosh's posting blocks.

whoosh scores a disjunction document by document through a tree (or array) of matchers,
calling a Python scorer for every posting that looks the document's field length up through
several layers of objects: a few microseconds a posting, and most of a query's time. Here each
term's postings are read a block at a time (arrays of ids and weights, postings.py), field
lengths are loaded once per segment, and scores add up in a dict: the same BM25F sums as
``PassageBM25`` inside whoosh, several times faster.

:meth:`Accumulator.top` also stops looking for new passages once they cannot reach the top
(MaxScore, Turtle & Flood 1995): terms go from the highest possible contribution down, and as
soon as the k-th best score so far beats everything the remaining terms could add together, the
rest only complete the scores of passages already in the running, skipping every posting block
(each block's last id is in its header) that holds none of them. The best k passages
and their scores are exactly those of a full evaluation.

Posting lists read whole stay decoded between searches of an open index, up to a budget of
postings (least recently used out first): the common syllables of most queries.

The fast path reads whole blocks of vnsearch's posting format (postings.VnMatcher); postings of
any other matcher are read through whoosh's public matcher API instead: slower, never wrong.
"""
from __future__ import annotations

import heapq
from collections import OrderedDict
from array import array
from bisect import bisect_left
from typing import Collection, Iterator, Sequence

from whoosh.util.numeric import byte_to_length

from ...analysis import JOINER

_LENGTH_OF_BYTE = [byte_to_length(i) for i in range(256)]
CACHE_POSTINGS = 1_000_000  # decoded postings an open index keeps between searches (~12 MB)
_BLOCK_ATTRS = ("block_ids", "block_weights", "block_positions", "_next_block", "_maxid")  # (postings.VnMatcher)


class Accumulator:
    """Scores passages for a list of (field, term, boost) on one whoosh searcher."""

    def __init__(self, searcher, B: float, K1: float, cache_postings: int = CACHE_POSTINGS):
        self.searcher = searcher
        self.B, self.K1 = B, K1
        self._lengths: dict[tuple[int, str], Sequence[int] | None] = {}
        # Decoded posting lists read whole, most recently used last: (segment, field, term) ->
        # [(last id, ids, weights)] a block at a time, at most cache_postings postings in all.
        self._cache: OrderedDict[tuple[int, str, str], list[tuple[int, array, array]]] = OrderedDict()
        self._cache_size = 0
        self.cache_postings = cache_postings

    def scores(self, should: list[tuple[str, str, float]], within: Collection[int] | None = None) -> dict[int, float]:
        """docnum → the sum over terms of boost × BM25F (or boost × tf for unscored fields).

        With ``within``, only those passages are scored (and blocks without any are skipped).
        """
        acc: dict[int, float] = {}
        candidates = None if within is None else sorted(within)
        for term in self._ordered(should):
            self._add_term(acc, term, candidates)
        return acc

    def top(
        self, should: list[tuple[str, str, float]], limit: int, within: Collection[int] | None = None,
        min_found: int = 3,
    ) -> tuple[list[tuple[int, float]], int]:
        """The best ``limit`` (docnum, score) pairs (among ``within``) and how many matched.

        The count is exact when it is below ``max(limit, min_found)``; above, it may stop
        short of the true count (passages that could not reach the top are not counted).
        """
        terms = self._ordered(should)
        keep = max(limit, min_found)
        acc: dict[int, float] = {}
        # Once set, only these passages can still rise (sorted docnums).
        candidates: list[int] | None = None if within is None else sorted(within)
        remaining = sum(t[3] for t in terms)  # the most the terms still to come can add
        done = 0.0  # the most the terms so far can have given: no score is higher
        for term in terms:
            if len(acc) >= keep and remaining < done:
                pool = acc if candidates is None else candidates
                values = acc.values() if candidates is None else [acc.get(d, 0.0) for d in candidates]
                kth = heapq.nlargest(limit, values)[-1]
                # A passage outside acc scores at most `remaining`: once that is strictly
                # below the k-th best (with room for rounding), not even a tie can bring it in.
                reach = remaining * (1 + 1e-9)
                if reach < kth:
                    candidates = sorted([d for d in pool if acc.get(d, 0.0) + reach >= kth])
            self._add_term(acc, term, candidates)
            remaining = max(0.0, remaining - term[3])  # (no rounding below zero)
            done += term[3]
        return top(acc, limit), len(acc)

    def _ordered(self, should) -> list[tuple]:
        """(field, term, boost, highest possible score, BM25 constants), highest first."""
        searcher = self.searcher
        reader = searcher.reader()
        out = []
        for fieldname, text, boost in should:
            try:
                maxw = reader.term_info(fieldname, text).max_weight()
            except Exception:  # TermNotFound: contributes nothing
                maxw = 0.0
            consts = None
            if searcher.schema[fieldname].scorable:
                idf = searcher.idf(fieldname, text)
                avgfl = searcher.avg_field_length(fieldname) or 1
                consts = (boost * idf * (self.K1 + 1), self.K1 * (1 - self.B), self.K1 * self.B / avgfl)
                # Lengths are at least 1 (see _load_lengths), and BM25 falls as length grows.
                c1, c2, c3 = consts
                bound = c1 * maxw / (maxw + c2 + c3) if maxw else 0.0
            else:
                bound = boost * maxw
            out.append((fieldname, text, boost, bound, consts))
        # Stable: equal bounds keep the query's order, so sums always add up the same way.
        return sorted(out, key=lambda t: -t[3])

    def _add_term(self, acc: dict[int, float], term, candidates: list[int] | None) -> None:
        """Add one term's contributions; with candidates (sorted docnums), only to those."""
        fieldname, text, boost, _, consts = term
        searcher = self.searcher
        get = acc.get
        for leaf, offset in _leaves(searcher):
            lengths = self._field_lengths(leaf, fieldname) if consts else None
            local = wanted = None
            if candidates is not None:
                end = offset + leaf.doc_count_all()
                local = [d - offset for d in candidates[bisect_left(candidates, offset):bisect_left(candidates, end)]]
                if not local:
                    continue
                wanted = set(local)
            for ids, weights in self._blocks(leaf, fieldname, text, local):
                if wanted is None:
                    pairs = zip(ids, weights)
                else:
                    # Few candidates in a block of sorted ids: find each by bisection.
                    lo, hi = bisect_left(local, ids[0]) if ids else 0, bisect_left(local, ids[-1] + 1) if ids else 0
                    if (hi - lo) * 8 < len(ids):
                        found = ((bisect_left(ids, d), d) for d in local[lo:hi])
                        pairs = [(d, weights[i]) for i, d in found if i < len(ids) and ids[i] == d]
                    else:
                        pairs = [(d, w) for d, w in zip(ids, weights) if d in wanted]
                if consts is None:
                    for d, w in pairs:
                        d += offset
                        acc[d] = get(d, 0.0) + boost * w
                    continue
                c1, c2, c3 = consts
                if lengths is not None:
                    for d, w in pairs:
                        s = c1 * w / (w + c2 + c3 * lengths[d])
                        d += offset
                        acc[d] = get(d, 0.0) + s
                else:
                    for d, w in pairs:
                        s = c1 * w / (w + c2 + c3 * (leaf.doc_field_length(d, fieldname, 1) or 1))
                        d += offset
                        acc[d] = get(d, 0.0) + s

    def _blocks(self, leaf, fieldname: str, text: str, only: list[int] | None) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
        """``_postings`` of a term, from the cache when an earlier search read it whole.

        Common syllables are in most queries, and decoding their blocks is a large share of a
        short query's time: a warm process keeps them decoded, in arrays (12 bytes a posting).
        """
        key = (id(leaf), fieldname, text)
        blocks = self._cache.get(key)
        if blocks is not None:
            self._cache.move_to_end(key)
            first = 0  # the smallest id the current block can hold
            for last, ids, weights in blocks:
                if only is not None:
                    i = bisect_left(only, first)
                    first = last + 1
                    if i == len(only) or only[i] > last:
                        continue
                yield ids, weights
            return
        if only is not None or not self.cache_postings:
            yield from _postings(leaf, fieldname, text, only)
            return
        blocks, size = [], 0
        for ids, weights in _postings(leaf, fieldname, text):
            if ids:
                ids, weights = array("I", ids), array("d", weights.tolist() if type(weights) is array else weights)
                blocks.append((ids[-1], ids, weights))
                size += len(ids)
            yield ids, weights
        if size > self.cache_postings:
            return
        self._cache[key] = blocks
        self._cache_size += size
        while self._cache_size > self.cache_postings:
            _, dropped = self._cache.popitem(last=False)
            self._cache_size -= sum(len(ids) for _, ids, _ in dropped)

    def _field_lengths(self, leaf, fieldname: str) -> Sequence[int] | None:
        key = (id(leaf), fieldname)
        if key not in self._lengths:
            self._lengths[key] = _load_lengths(leaf, fieldname)
        return self._lengths[key]


def top(scores: dict[int, float], limit: int) -> list[tuple[int, float]]:
    """The best (docnum, score) pairs, ties broken by docnum as whoosh's collector does."""
    if len(scores) > limit:
        # Every pair of the answer scores at least the limit-th best score: only those are sorted.
        kth = heapq.nlargest(limit, scores.values())[-1]
        scores = {d: v for d, v in scores.items() if v >= kth}
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def _leaves(searcher):
    return searcher.leaf_searchers() if not searcher.is_atomic() else [(searcher, 0)]


def _postings(
    leaf_searcher, fieldname: str, text: str, only: list[int] | None = None, read: str = "weights",
) -> Iterator[tuple[Sequence[int], Sequence]]:
    """(ids, weights) of a term in one segment, a block at a time, deleted passages left out.

    With ``only`` (sorted ids), blocks holding none of those ids may be skipped unread.
    ``read="positions"`` gives each posting's positions (a sequence of lists, which may decode
    an item only when it is indexed) instead of its weight, and
    ``read="ids"`` only the ids (with None).
    """
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
        first = 0  # the smallest id the current block can hold
        end = reader.doc_count_all()
        while inner.is_active():
            if inner._maxid >= end:  # (its ids ascend to it: postings.py checks each block)
                raise EOFError(f"a posting block names passage {inner._maxid} of a segment of {end}")
            if only is not None:
                last = inner._maxid
                i = bisect_left(only, first)
                first = last + 1
                if i == len(only) or only[i] > last:
                    inner._next_block()
                    continue
            ids = inner.block_ids()
            if read == "weights":
                data = inner.block_weights()
            elif read == "positions":
                data = inner.block_positions()
            else:
                data = None
            if deleted:
                kept = [i for i, d in enumerate(ids) if d not in deleted]
                ids = [ids[i] for i in kept]
                data = None if data is None else [data[i] for i in kept]
            yield ids, data
            inner._next_block()
        return
    ids, data = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        data.append(matcher.weight() if read == "weights" else
                    matcher.value_as("positions") if read == "positions" else None)
        matcher.next()
    yield ids, (None if read == "ids" else data)


def phrase_docs(
    searcher, fieldname: str, words: list[str], pairs_field: str | None = None, blocks=None,
    breaks_field: str | None = None,
) -> set[int]:
    """Docnums of the passages where ``words`` follow one another in ``fieldname`` (whoosh's
    ``Phrase`` with its default slop of 1: the same passages), read straight from the posting
    blocks: whoosh's span matchers cost a few objects per posting and position.

    The rarest word's passages are narrowed by each other word's; positions are then decoded
    only for the passages left. ``pairs_field`` holds each adjacent pair as one term (``a_b``):
    for a two-word phrase, a passage with that pair has the phrase without a look at positions.
    When ``breaks_field`` holds the syllables on either side of each punctuation break (``a_``
    before, ``_b`` after), two words are neighbours only as a pair or as the two ends of a break:
    positions are read only in the passages that have every pair of the phrase one way or the
    other, and, for a two-word phrase, only in those that have it as ends of a break alone.
    ``blocks`` reads a term's (ids, weights) blocks (an Accumulator's ``_blocks``, with its cache).
    """
    if not words:
        return set()
    if blocks is None:
        def blocks(leaf, fieldname, text, only):
            return _postings(leaf, fieldname, text, only, read="ids")
    found: set[int] = set()
    for leaf, offset in _leaves(searcher):
        found.update(d + offset for d in _leaf_phrase_docs(leaf, fieldname, words, pairs_field, blocks, breaks_field))
    return found


def _leaf_phrase_docs(leaf, fieldname: str, words: list[str], pairs_field: str | None, blocks,
                      breaks_field: str | None = None) -> set[int]:
    reader = leaf.reader()
    if any((fieldname, w) not in reader for w in words):
        return set()
    if len(words) > 1 and pairs_field is not None and breaks_field is not None and breaks_field in leaf.schema:
        return _phrase_from_pairs(leaf, fieldname, words, pairs_field, breaks_field, blocks)
    order = sorted(set(words), key=lambda w: reader.doc_frequency(fieldname, w))
    docs: set[int] | None = None
    for w in order:
        only = None if docs is None else sorted(docs)
        ids = {d for block, _ in blocks(leaf, fieldname, w, only) for d in block}
        docs = ids if docs is None else docs & ids
        if not docs:
            return set()
    if len(words) == 1:
        return docs
    sure: set[int] = set()
    if pairs_field is not None and len(words) == 2 and (pairs_field, JOINER.join(words)) in reader:
        pair = JOINER.join(words)
        sure = {d for block, _ in blocks(leaf, pairs_field, pair, sorted(docs)) for d in block} & docs
    check = sorted(docs - sure)
    return sure | _check_positions(leaf, fieldname, words, check)


def _phrase_from_pairs(leaf, fieldname: str, words: list[str], pairs_field: str, breaks_field: str, blocks) -> set[int]:
    """Passages where every pair of the phrase is a pair or the two ends of a break; positions
    settle the rest (see phrase_docs)."""
    reader = leaf.reader()

    def docs_of(field: str, term: str, only: list[int] | None) -> set[int]:
        if (field, term) not in reader:
            return set()
        return {d for block, _ in blocks(leaf, field, term, only) for d in block}

    def df(field: str, term: str) -> int:
        return reader.doc_frequency(field, term)

    pairs = list(dict.fromkeys(zip(words, words[1:])))
    # Rarest pair first: each next one is read only where passages are left.
    pairs.sort(key=lambda p: df(pairs_field, JOINER.join(p)) + min(df(breaks_field, p[0] + JOINER),
                                                                 df(breaks_field, JOINER + p[1])))
    docs: set[int] | None = None
    sure: set[int] = set()  # (two words: the passages that have them as a pair)
    for a, b in pairs:
        only = None if docs is None else sorted(docs)
        paired = docs_of(pairs_field, a + JOINER + b, only)
        ends = docs_of(breaks_field, a + JOINER, only)
        if ends:
            ends &= docs_of(breaks_field, JOINER + b, sorted(ends))
        found = paired | ends
        docs = found if docs is None else docs & found
        if not docs:
            return set()
        sure = paired
    if len(words) == 2:
        return sure | _check_positions(leaf, fieldname, words, sorted(docs - sure))
    return _check_positions(leaf, fieldname, words, sorted(docs))


def _check_positions(leaf, fieldname: str, words: list[str], check: list[int]) -> set[int]:
    """Those of the passages ``check`` (sorted) where words follow one another."""
    if not check:
        return set()
    wanted = set(check)
    positions_of: dict[str, dict[int, list[int]]] = {}
    for w in set(words):
        mine = positions_of[w] = {}
        for block, positions in _postings(leaf, fieldname, w, check, read="positions"):
            for i, d in enumerate(block):
                if d in wanted:
                    mine[d] = positions[i]  # (decoded for the passages wanted only)
    found = set()
    for d in check:
        starts = set(positions_of[words[0]][d])  # where the phrase may start
        for i, w in enumerate(words[1:], 1):
            starts.intersection_update([p - i for p in positions_of[w][d]])
            if not starts:
                break
        else:
            found.add(d)
    return found


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
