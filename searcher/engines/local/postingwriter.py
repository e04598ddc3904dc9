"""How vnsearch writes a build's passages: one segment, its postings gathered per term.

whoosh's writer turns every posting into a tuple, sorts all of them (spilling sorted runs to
disk past its memory limit and merging them back), and re-splits vnsearch's pre-analysed term
strings with its tokenizer. vnsearch adds passages in order, so each term's postings arrive
already in passage order: :class:`PostingWriter` keeps, for each field and term, one flat list
of the passage number, weight and value of each posting as they come, sorts only the terms, and
hands them to the codec's field writer (start_field/start_term/add/finish_term) itself. Past
``limitmb`` the gathered terms go to disk as one sorted run, a long posting list in slices, and
runs are merged slice by slice when the segment is written (at most ``MAX_OPEN_RUNS`` at a time:
more are first merged into fewer), so memory and open files stay bounded whatever the corpus
size: even the commonest syllable's list is never held whole.

What is written is what whoosh's own writer writes for the same passages (the same terms,
weights, values, stored fields and lengths): readers see a whoosh segment like any other. An
update that rewrites a segment without its deleted passages (writer._merge_policy) copies it
into the pool the same way, a term's decoded block of postings at a time, not posting by posting
as whoosh's add_reader does, and writes what add_reader writes.
"""
from __future__ import annotations

import heapq
import marshal
import re
import struct
import sys
from collections import deque
# Counter's own counting loop, in C: a Counter object checks its argument against the Mapping
# ABC on every update, which cost more than the counting of a passage's terms.
from collections import _count_elements
from itertools import chain, compress, groupby, repeat, starmap
from operator import itemgetter, sub
from pickle import dumps
from typing import Iterator

from whoosh.analysis import IDTokenizer, RegexTokenizer
from whoosh.formats import Existence, Frequency, Positions
from whoosh.system import emptybytes, pack_uint
from whoosh.util import random_name
from whoosh.writing import SegmentWriter

_SPACES = r"[^ \t\r\n]+"  # whoosh's SpaceSeparatedTokenizer, on UTF-8 bytes (the same split)
_TERMS = re.compile(_SPACES.encode("ascii"))
_HEAD = struct.Struct("<I")  # byte length of the marshalled chunk that follows in a run
# A run is written in marshalled chunks of about this many list items (3 per posting, and a
# few per term): what the merge holds of each run at a time.
RUN_CHUNK_SLOTS = 1 << 13
# A run holds a term's postings in slices of at most this many list items (whole postings).
SLICE_SLOTS = RUN_CHUNK_SLOTS // 3 * 3
# Runs read at once while merging (an open file and a chunk each); more are merged in passes.
MAX_OPEN_RUNS = 32
# Frequencies up to this have their weight and value made once, shared by every posting.
_SMALL = 256
_FLOATS = tuple(float(n) for n in range(_SMALL))
_PACKED = tuple(pack_uint(n) for n in range(_SMALL))
# Estimated bytes a new term and a posting hold in the pool (lists, their slots, the key).
_NEW_TERM = 250
_POSTING = 32
_FLOAT, _BYTES = sys.getsizeof(1.5), sys.getsizeof(b"")  # a posting's own weight and value objects


def _field_kind(field) -> str:
    """How a field's terms are made: 'id' (the whole value), 'spaces', or 'whoosh' (its analyzer)."""
    analyzer, fmt = field.analyzer, field.format
    if type(fmt) not in (Existence, Frequency, Positions) or field.vector or field.separate_spelling():
        return "whoosh"
    if type(analyzer) is IDTokenizer:
        return "id"
    if type(analyzer) is RegexTokenizer and not analyzer.gaps and analyzer.expression.pattern == _SPACES:
        return "spaces"
    return "whoosh"


class TermPool:
    """A segment's postings by field and term, in passage order; sorted runs on disk past a bound."""

    def __init__(self, tempstore, limitmb: int):
        self.tempstore = tempstore
        self.limit = limitmb * 1024 * 1024
        self.fields: dict[str, dict[bytes, list]] = {}
        self.size = 0  # estimated bytes held
        self.runs: list[str] = []

    def terms(self, fieldname: str) -> dict[bytes, list]:
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        return terms

    def add(self, item) -> None:
        """One posting (fieldname, term, docnum, weight, value), as whoosh's pool takes it (when
        whoosh's add_reader merges in a segment: one not of vnsearch's codec)."""
        fieldname, term, docnum, weight, value = item
        terms = self.terms(fieldname)
        postings = terms.get(term)
        if postings is None:
            postings = terms[term] = []
            self.size += _NEW_TERM + len(term)
        if weight < _SMALL and weight == int(weight):
            weight = _FLOATS[int(weight)]  # shared, as the postings this writer makes
        else:
            self.size += _FLOAT
        if value:
            if len(value) == 4 and not value[0] and not value[1] and not value[2]:
                value = _PACKED[value[3]]  # a small frequency, shared too
            else:
                self.size += _BYTES + len(value)  # (a merged posting's value is an object of its own)
        postings += (docnum, weight, value or emptybytes)
        self.size += _POSTING
        self.check_size()

    def add_block(self, fieldname: str, term: bytes, docnums: list, weights: list, values: list, size: int) -> None:
        """Postings of one term at once, after any the term already has here (docnums ascending
        past them); ``size``: the bytes their weights and values hold beyond what is shared."""
        terms = self.terms(fieldname)
        postings = terms.get(term)
        if postings is None:
            postings = terms[term] = []
            self.size += _NEW_TERM + len(term)
        n = len(docnums)
        flat = [None] * (3 * n)
        flat[0::3] = docnums
        flat[1::3] = weights
        flat[2::3] = values
        postings += flat
        self.size += _POSTING * n + size
        self.check_size()

    def check_size(self) -> None:
        if self.size > self.limit:
            self.spill()

    def spill(self) -> None:
        """Write what is held as one run, sorted by field and term, and let it go."""
        if not self.fields:
            return
        self.runs.append(self._write_run(self._held_sliced()))
        self.fields = {}
        self.size = 0

    def _write_run(self, entries) -> str:
        """A new run file of (fieldname, term, slice) entries, in chunks; its name."""
        name = "%s.terms" % random_name()
        f = self.tempstore.create_file(name).raw_file()
        try:
            chunk: list = []
            slots = 0
            for entry in entries:
                chunk.append(entry)
                slots += len(entry[2]) + 8
                if slots >= RUN_CHUNK_SLOTS:
                    _write_chunk(f, chunk)
                    chunk, slots = [], 0
            if chunk:
                _write_chunk(f, chunk)
        except BaseException:
            f.close()
            self.tempstore.delete_file(name)
            raise
        f.close()
        return name

    def _held(self) -> Iterator[tuple]:
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            for term in sorted(terms):
                yield fieldname, term, terms[term]

    def _held_sliced(self) -> Iterator[tuple]:
        """_held, a long posting list cut into slices of whole postings, in order."""
        for fieldname, term, postings in self._held():
            if len(postings) <= SLICE_SLOTS:
                yield fieldname, term, postings
            else:
                for i in range(0, len(postings), SLICE_SLOTS):
                    yield fieldname, term, postings[i:i + SLICE_SLOTS]

    def _read_run(self, name: str) -> Iterator[tuple]:
        f = self.tempstore.open_file(name).raw_file()
        try:
            while True:
                head = _read_exactly(f, _HEAD.size)
                if not head:
                    return
                yield from marshal.loads(_read_exactly(f, _HEAD.unpack(head)[0]))
        finally:
            f.close()
            self.tempstore.delete_file(name)

    def _merged(self, names: list[str], held: bool = False) -> Iterator[tuple]:
        """The entries of runs (and of what is held) in field and term order; a term's slices
        stay in run order, which is passage order (heapq.merge keeps equal keys in source order)."""
        sources = [self._read_run(name) for name in names] + ([self._held()] if held else [])
        return heapq.merge(*sources, key=itemgetter(0, 1))

    def postings(self) -> Iterator[tuple]:
        """(fieldname, term, pieces) in field and term order, runs merged.

        pieces are flat lists [docnum, weight, value, docnum, ...] in passage order: a tuple or
        list when the term is short, else an iterator that reads them from the runs as it is
        consumed (before the next term is asked for), so no term is ever held whole.
        """
        if not self.runs:
            for fieldname, term, postings in self._held():
                yield fieldname, term, (postings,)
            return
        while len(self.runs) > MAX_OPEN_RUNS:  # fewer, longer runs, still in passage order
            old, merged = self.runs, []
            for i in range(0, len(old), MAX_OPEN_RUNS):
                merged.append(self._write_run(self._merged(old[i:i + MAX_OPEN_RUNS])))
                self.runs = merged + old[i + MAX_OPEN_RUNS:]  # (what cleanup must delete)
        for (fieldname, term), entries in groupby(self._merged(self.runs, held=True), key=itemgetter(0, 1)):
            first, slots = [], 0
            for entry in entries:
                first.append(entry[2])
                slots += len(entry[2])
                if slots > SLICE_SLOTS:
                    yield fieldname, term, chain(first, (entry[2] for entry in entries))
                    break
            else:
                yield fieldname, term, first

    def cleanup(self) -> None:
        """Delete the run files left (all of them once a failed build is cancelled)."""
        for name in self.runs:
            try:
                self.tempstore.delete_file(name)
            except OSError:
                pass
        self.runs = []
        self.fields = {}


def _write_chunk(f, chunk: list) -> None:
    # Length-prefixed, so that reading takes two read() calls per chunk: run files are unbuffered.
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


class PostingWriter(SegmentWriter):
    """whoosh's segment writer, with the postings gathered per term (see above).

    Deleting, committing and cancelling are whoosh's own; a segment merged in is copied a
    block of postings at a time (add_reader).
    """

    def __init__(self, ix, limitmb: int = 128, stored_check=None, **kwargs):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = TermPool(self._tempstorage, limitmb)
        # Checks a copied passage's stored fields are what was written (raises EOFError if not):
        # damage read while copying must not pass on into the new segment unnoticed.
        self.stored_check = stored_check
        self._kinds = {name: _field_kind(field) for name, field in self.schema.items()}
        self._single_positions: dict[str, dict[int, bytes]] = {}

    def add_document(self, **fields) -> None:
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)

        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    length = self._index(pool, fieldname, field, value, docnum, fieldboost)
                    if not field.scorable:
                        length = 0
                customval = fields.get("_stored_%s" % fieldname, value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        pool.check_size()
        self._added = True
        self.docnum += 1

    def _index(self, pool: TermPool, fieldname: str, field, value, docnum: int, fieldboost: float) -> int:
        """Add the field's postings for this passage to the pool; returns the sum of their frequencies."""
        kind = self._kinds[fieldname]
        if kind == "whoosh" or not isinstance(value, str):
            length = 0
            for term, freq, weight, vbytes in field.index(value):
                pool.add((fieldname, term, docnum, weight * fieldboost, vbytes))
                length += freq
            return length
        boost = (field.format.field_boost, fieldboost)
        data = value.encode("utf-8")
        terms = [data] if kind == "id" else _TERMS.findall(data)
        fmt = type(field.format)
        if fmt is Positions:
            positions: dict[bytes, list[int]] = {}
            for pos, term in enumerate(terms):
                found = positions.get(term)
                if found is None:
                    positions[term] = [pos]
                else:
                    found.append(pos)
            encode = field.format.encode
            # Most terms occur once in a passage: their value depends on that position only,
            # so it is made once per position and shared.
            single = self._single_positions.setdefault(fieldname, {})
            one = _weight(1, boost)
            items = []
            for term, found in positions.items():
                if len(found) == 1:
                    pos = found[0]
                    value_bytes = single.get(pos)
                    if value_bytes is None:
                        value_bytes = single[pos] = encode(found)
                    items.append((term, one, value_bytes))
                else:
                    # Positions.encode's bytes (the count, then the pickled gaps), the gaps taken in C
                    value_bytes = pack_uint(len(found)) + dumps(list(map(sub, found, chain((0,), found))), 2)
                    items.append((term, _weight(len(found), boost), value_bytes))
                    pool.size += len(value_bytes)
            length = len(terms)
        elif fmt is Frequency:
            counts: dict[bytes, int] = {}
            _count_elements(counts, terms)
            if boost == (1.0, 1.0) and len(terms) < _SMALL:  # the most common case, made short
                table = pool.terms(fieldname)
                get = table.get
                floats, packed = _FLOATS, _PACKED
                added = 0
                for term, freq in counts.items():
                    postings = get(term)
                    if postings is None:
                        table[term] = [docnum, floats[freq], packed[freq]]
                        added += _NEW_TERM + len(term)
                    else:
                        postings += (docnum, floats[freq], packed[freq])
                pool.size += added + _POSTING * len(counts)
                return len(terms)
            items = [(term, _weight(freq, boost), pack_uint(freq)) for term, freq in counts.items()]
            length = len(terms)
        else:  # Existence: each distinct term once, frequency 1
            weight = _weight(1, boost)
            items = [(term, weight, emptybytes) for term in set(terms)]
            length = len(items)
        table = pool.terms(fieldname)
        get = table.get
        added = 0
        for term, weight, value_bytes in items:
            postings = get(term)
            if postings is None:
                table[term] = [docnum, weight, value_bytes]
                added += _NEW_TERM + len(term)
            else:
                postings += (docnum, weight, value_bytes)
        pool.size += added + _POSTING * len(items)
        return length

    def add_reader(self, reader) -> None:
        """whoosh's add_reader (the segment's live passages appended, its deleted ones left
        out), a term's postings a block at a time for a segment of vnsearch's codec.

        whoosh's own takes every posting through five generator and matcher calls and the
        pool's add: most of an update's time when a worn segment is rewritten. What it writes
        is the same: the live passages' stored fields and (one-byte) lengths in order, then each
        term's live postings with the passages renumbered, terms left with none dropped; but for
        each field's total length, which is what a fresh build of the live passages has (see below).
        """
        from whoosh.reading import SegmentReader

        from .postings import VnTermsReader

        schema = self.schema
        if (type(reader) is not SegmentReader or not isinstance(reader._terms, VnTermsReader)
                or any(field.vector or field.column_type for _, field in schema.items())):
            return super().add_reader(reader)
        self._check_state()
        lengths = self.perdocwriter._fieldlengths  # (whoosh's W3PerDocWriter: each field's total)
        before = dict(lengths)
        docmap = self._copy_passages(reader)
        weights = self._copy_postings(reader, docmap)
        # The passages' lengths came as one byte each, rounded past 10 terms; a field's total is
        # the sum of its live postings' weights instead (a passage's length is the sum of its
        # terms' frequencies, and vnsearch gives no boosts), as a fresh build sums them.
        for name, field in self.schema.items():
            if field.scorable and field.format.field_boost == 1.0:
                lengths[name] = before.get(name, 0) + int(weights.get(name, 0))
        self._added = True

    def _copy_passages(self, reader) -> list[int]:
        """Appends the reader's live passages (stored fields, lengths); their new numbers by old
        number (-1 for a deleted one)."""
        schema = self.schema
        perdocwriter = self.perdocwriter
        length_of = reader.doc_field_length
        scorable = [(name, schema[name]) for name in sorted(schema.scorable_names())]
        check = self.stored_check
        docmap = [-1] * reader.doc_count_all()
        for docnum, stored in reader.iter_docs():
            if not isinstance(stored, dict):
                raise EOFError("a passage's stored fields are not a mapping")
            if check is not None:
                check(stored)
            docmap[docnum] = self.docnum
            perdocwriter.start_doc(self.docnum)
            for name, field in scorable:
                length = length_of(docnum, name)
                if length:
                    perdocwriter.add_field(name, field, None, length)
            for name, value in stored.items():
                if name in schema:
                    perdocwriter.add_field(name, schema[name], value, 0)
            perdocwriter.finish_doc()
            self.docnum += 1
        return docmap

    def _copy_postings(self, reader, docmap: list[int]) -> dict[str, float]:
        """Adds each term's live postings to the pool, renumbered by docmap, a block at a time;
        returns the sum of their weights by field."""
        from .postings import posting_blocks

        schema = self.schema
        add_block = self.pool.add_block
        renumber = docmap.__getitem__
        floats = _FLOATS
        current = format_ = None
        totals: dict[str, float] = {}
        for fieldname, term, buf in reader._terms.posting_lists():
            if fieldname != current:
                current = fieldname
                format_ = schema[fieldname].format if fieldname in schema else None
                totals[fieldname] = 0.0
            if format_ is None:
                continue
            for ids, weights, values in posting_blocks(buf, format_):
                if ids[0] < 0 or ids[-1] >= len(docmap):  # (ids go up within a block)
                    raise EOFError(f"a posting of {fieldname!r} names a passage past its segment")
                if len(ids) == 1:  # (most lists: a term of one passage)
                    docnum = docmap[ids[0]]
                    if docnum >= 0:
                        weight = weights[0]
                        totals[fieldname] += weight
                        if weight.is_integer() and 0 <= weight < _SMALL:
                            add_block(fieldname, term, [docnum], [floats[int(weight)]], values, len(values[0]))
                        else:
                            add_block(fieldname, term, [docnum], [weight], values, _FLOAT + len(values[0]))
                    continue
                docnums = list(map(renumber, ids))
                weights = weights.tolist()
                if min(docnums) < 0:  # deleted passages among them
                    live = [d >= 0 for d in docnums]
                    docnums = list(compress(docnums, live))
                    if not docnums:
                        continue
                    weights = list(compress(weights, live))
                    values = list(compress(values, live))
                size = sum(map(len, values))
                ints = _integers(weights)
                if ints is not None and max(ints) < _SMALL and min(ints) >= 0:
                    weights = list(map(floats.__getitem__, ints))  # shared, as add_document's postings
                else:
                    size += _FLOAT * len(weights)
                totals[fieldname] += sum(weights)
                add_block(fieldname, term, docnums, weights, values, size)
        return totals

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        schema = self.schema
        # A codec keeping each block's shortest and longest passage needs every posting's length.
        lengths = self.per_document_reader() if self.codec.length_stats else None
        add_term = getattr(fieldwriter, "add_term", None)
        current = None
        for fieldname, term, pieces in self.pool.postings():
            if fieldname != current:
                if current is not None:
                    fieldwriter.finish_field()
                if fieldname not in schema:
                    current = None
                    continue
                fieldwriter.start_field(fieldname, schema[fieldname])
                current = fieldname
            if lengths is None and add_term is not None:
                add_term(term, pieces)  # vnsearch's codec takes them a block at a time
                continue
            fieldwriter.start_term(term)
            add = fieldwriter.add
            for postings in pieces:
                each = iter(postings)
                if lengths is None:
                    # add(docnum, weight, value, 0) for each posting, the loop run in C: zip over
                    # the same iterator three times takes its items three at a time, in order.
                    deque(starmap(add, zip(each, each, each, repeat(0))), maxlen=0)
                else:
                    for docnum, weight, value in zip(each, each, each):
                        add(docnum, weight, value, lengths.doc_field_length(docnum, fieldname))
            fieldwriter.finish_term()
        if current is not None:
            fieldwriter.finish_field()
        fieldwriter.close()
        if lengths is not None:
            lengths.close()


def _integers(weights: list[float]) -> list[int] | None:
    """The weights as integers, when they all are integers; else None."""
    try:
        ints = list(map(int, weights))
    except (OverflowError, ValueError):  # infinite, not a number
        return None
    return ints if ints == weights else None


def _weight(freq: int, boost: tuple[float, float]) -> float:
    """A posting's weight as whoosh computes it: frequency x format boost x field boost."""
    if boost == (1.0, 1.0) and freq < _SMALL:
        return _FLOATS[freq]
    return float(freq) * boost[0] * boost[1]
