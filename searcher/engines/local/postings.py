"""vnsearch's on-disk posting format: whoosh's W3 codec with compact blocks and term infos.

whoosh's W3 codec writes each block of up to 128 postings as a 4-byte length, a pickled tuple
of block statistics and a zlib-compressed pickle of (ids, weights, values), after a 4-byte tag;
its term info is a fixed 35-byte struct. On the real-text benchmark index a posting list of one
passage cost 97 bytes in the posting file and 35 more in the term file, most of the index's size
(28.8 MB for 3.77 MB of text), and reading a block meant unpickling (and inflating) it. W3 can
store short lists inside the term info instead, but that path is dead: it asks for fewer than
``inlinelimit`` postings (1, so never) and then calls ``set_inline``, which does not exist
(``W3TermInfo`` has ``set_inlined``).

Here (:class:`VnCodec`, same files, same block size):

- A block is a few varints (postings, last id, body length), a flags byte and a body of
  little-endian ``array`` s: the gaps between ids (the last id is in the header, so a block of
  one posting has no ids at all), the weights only when they are not all 1 (integers when they
  are integers), and the values: none, a frequency equal to the weight (whoosh's ``Frequency``)
  left out, positions as counts and gaps (the weight, when it is the count, left out), or
  whoosh's bytes pickled as a last resort. A body is deflated only when that saves a tenth.
  Decoding is ``array.frombytes`` and ``itertools.accumulate``: no pickle.
- A term's postings that fit in one block are stored inside its term info, which is otherwise a
  flags byte and varints (document frequency, where the postings are, total and highest weight,
  first and last id); an inline term info derives those from its block.
- The term table is whoosh's ordered hash file with varint lengths and 8-byte hash slots (W3's
  took 8 bytes of lengths and 24 of slots for every term, a third of the table once term
  infos shrank), hashed with crc32 instead of md5.

The real-text benchmark index is 11.1 MB this way (posting file 1.7 MB, term table 4.7 MB,
stored fields 4.0 MB); a list of one posting costs about 10 bytes with its term info.

Everything reads the same ids, weights (float32, as W3 stores them), values and statistics as
from W3, so scores are bit for bit those of a W3 index. whoosh's own matcher interface is kept
(filters, merges of segments, ``explain``), and accumulate.py reads whole blocks through
:meth:`VnMatcher.block_ids`, :meth:`VnMatcher.block_weights` and
:meth:`VnMatcher.block_positions`.

The codec object is pickled into whoosh's table of contents, so this module's path and class
names are part of the index format (base.FORMAT_VERSION).
"""
from __future__ import annotations

import struct
import sys
import zlib
from array import array
from itertools import accumulate, chain
from operator import sub
from pickle import dumps, loads

from whoosh.codec import base
from whoosh.filedb import filetables
from whoosh.util.numlists import GrowableArray
from whoosh.codec.whoosh3 import W3Codec, W3FieldCursor, W3FieldWriter, W3TermInfo, W3TermsReader
from whoosh.formats import Positions
from whoosh.matching import LeafMatcher, ReadTooFar
from whoosh.reading import TermNotFound
from whoosh.system import pack_ushort

BLOCK_LIMIT = 128  # postings per block (W3's default)
DEFLATE_LEVEL = 3
_BIG_ENDIAN = sys.byteorder == "big"
_TYPECODES = "BHIQ"  # an array's typecode is stored as its index here
_LIMITS = (1 << 8, 1 << 16, 1 << 32, 1 << 64)
_F32 = struct.Struct("<f")
_UINT = struct.Struct("!I")  # whoosh's Frequency value
_TWO_F32 = struct.Struct("<ff")

# A block's flags byte.
_W_ONES, _W_INTS, _W_FLOATS, _W_COUNTS = 0, 1, 2, 3  # bits 0-1: weights
_V_NONE, _V_FREQ, _V_POSITIONS, _V_PICKLED = 0, 4, 8, 12  # bits 2-3: values
_DEFLATED = 16
_LAZY = object()
_TABLE_MAGIC = b"VnT1"  # the term table's tag
_CRC32 = 1  # whoosh's number for its crc32 hash function
_SLOT = struct.Struct("<II")  # a term table's hash slot: hash, position
# A term info's flags byte.
_INLINE, _ALL_ONES, _FLOAT_WEIGHTS = 1, 2, 4
_INLINE_BYTE = bytes((_INLINE,))


# --- small encoders ------------------------------------------------------------------------------

_ONE_BYTE = tuple(bytes((b,)) for b in range(256))

def _varint(n: int) -> bytes:
    if n < 0x80:
        return _ONE_BYTE[n]
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _read_varint(buf, pos: int) -> tuple[int, int]:
    b = buf[pos]
    if b < 0x80:
        return b, pos + 1
    n, shift = b & 0x7F, 7
    while True:
        pos += 1
        b = buf[pos]
        n |= (b & 0x7F) << shift
        if b < 0x80:
            return n, pos + 1
        shift += 7


def _pack_ints(values) -> bytes:
    """Non-negative integers as a typecode byte and a little-endian array ('' for none)."""
    if not values:
        return b""
    top = max(values)
    code = 0
    while top >= _LIMITS[code]:
        code += 1
    a = array(_TYPECODES[code], values)
    if _BIG_ENDIAN:
        a.byteswap()
    return _ONE_BYTE[code] + a.tobytes()


def _unpack_ints(buf, pos: int, count: int) -> tuple[array, int]:
    """The array _pack_ints wrote at pos (count items), and the position after it."""
    if not count:
        return array("B"), pos
    a = array(_TYPECODES[buf[pos]])
    end = pos + 1 + count * a.itemsize
    if end > len(buf):
        raise EOFError("posting block is truncated")
    a.frombytes(buf[pos + 1:end])
    if _BIG_ENDIAN:
        a.byteswap()
    return a, end


def _f32(x: float) -> float:
    """x as whoosh stores weights: a 32-bit float."""
    return _F32.unpack(_F32.pack(x))[0]


# --- blocks --------------------------------------------------------------------------------------

def encode_block(ids, weights, values, format_, base_id: int) -> bytes:
    """One block: header (postings, last id - base_id, body length, flags) and body.

    ``ids`` ascend and exceed base_id; ``weights`` are floats; ``values`` are whoosh's encoded
    bytes for each posting, or empty.
    """
    n = len(ids)
    weights = array("f", weights)  # whoosh keeps weights as 32-bit floats
    wbytes = weights.tobytes()  # (compared as bytes: arrays compare item by item, in Python objects)
    ones = wbytes == (_F32_ONES[n] if n < len(_F32_ONES) else (array("f", [1.0]) * n).tobytes())
    ints = _UNSET
    gaps = [ids[0] - base_id] + list(map(sub, ids[1:-1], ids)) if n > 1 else []
    body = [_pack_ints(gaps)]
    counts = None
    vkind, vbody = _V_NONE, b""
    if any(values):
        if len(values) != n:
            raise ValueError("a posting list mixes postings with and without values")
        deltas = _position_deltas(values) if type(format_) is Positions else None
        if deltas is not None:
            counts = list(map(len, deltas))
            vkind, vbody = _V_POSITIONS, _pack_ints(counts) + _pack_ints(list(chain.from_iterable(deltas)))
        else:
            freqs = _frequencies(values, n, format_)
            # whoosh's Frequency: the values are the weights, as 4-byte integers (a weight of
            # 2**24 or more is exact only when it is the integer itself)
            if freqs is not None and (array("f", freqs).tobytes() == wbytes or array("f", freqs) == weights) \
                    and (max(freqs) < _EXACT_F32 or _integers(weights) == freqs):
                vkind, ints = _V_FREQ, freqs
            else:
                vkind, vbody = _V_PICKLED, dumps(tuple(values), 2)
    if ones:
        wkind = _W_ONES
    elif counts is not None and weights == array("f", counts):
        wkind = _W_COUNTS
    else:
        if ints is _UNSET:
            ints = _integers(weights)
        if ints is not None:
            wkind = _W_INTS
            body.append(_pack_ints(ints))
        else:
            wkind = _W_FLOATS
            if _BIG_ENDIAN:
                weights.byteswap()
            body.append(weights.tobytes())
    body.append(vbody)
    data = b"".join(body)
    flags = wkind | vkind
    if len(data) > 32:
        packed = zlib.compress(data, DEFLATE_LEVEL)
        if len(packed) * 10 < len(data) * 9:
            data, flags = packed, flags | _DEFLATED
    return b"".join((_varint(n), _varint(ids[-1] - base_id), _varint(len(data)), _ONE_BYTE[flags], data))


_UNSET = object()
_F32_ONES = tuple((array("f", [1.0]) * n).tobytes() for n in range(BLOCK_LIMIT + 1))  # n weights of 1
_EXACT_F32 = 1 << 24  # every integer below this is exact as a 32-bit float
_U32 = "I" if array("I").itemsize == 4 else "L"


def _frequencies(values, n: int, format_) -> list[int] | None:
    """The values as whoosh's 4-byte big-endian integers, when they are that; else None."""
    joined = b"".join(values)
    if len(joined) != 4 * n or format_.fixed_value_size() != 4:
        return None
    a = array(_U32)
    a.frombytes(joined)
    if not _BIG_ENDIAN:
        a.byteswap()
    return a.tolist()


def _integers(weights: array) -> list[int] | None:
    """The weights as integers, when they all are integers that fit an array; else None."""
    try:
        ints = list(map(int, weights))
    except (OverflowError, ValueError):  # infinite, not a number
        return None
    if min(ints) < 0 or max(ints) >= _LIMITS[2] or array("f", ints) != weights:
        return None
    return ints


# Values already read by _position_deltas: most postings of a passage field hold one position,
# and a build writes the same few thousand values (and many repeated gap lists) over and over.
_DELTAS_READ: dict[bytes, list[int]] = {}
_DELTAS_HELD = 1 << 15


def _position_deltas(values) -> list[list[int]] | None:
    """Each value's position gaps, read from whoosh's ``Positions`` encoding (a count, then the
    pickled gaps); None when any is not that, so that the values are kept as they are."""
    read = _DELTAS_READ
    out = list(map(read.get, values))
    if None in out:
        for i, d in enumerate(out):
            if d is None:
                value = values[i]
                d = out[i] = _position_gaps(value)
                if d is None:
                    return None
                if len(read) >= _DELTAS_HELD:
                    read.clear()
                read[value] = d
    return out


def _position_gaps(value: bytes) -> list[int] | None:
    """One value's position gaps (see _position_deltas), or None."""
    try:
        d = loads(value[4:] if value[-1:] == b"." else value[4:] + b".")
        if type(d) is not list or not d or len(d) != _UINT.unpack(value[:4])[0]:
            return None
    except Exception:
        return None
    if not all(type(x) is int for x in d) or min(d) < 0:
        return None
    return d


class _Block:
    """A block's header read at pos: where its body lies, and where the next block starts."""

    __slots__ = ("n", "maxid", "flags", "body", "end", "base")

    def __init__(self, buf, pos: int, base_id: int):
        try:
            self.n, pos = _read_varint(buf, pos)
            last, pos = _read_varint(buf, pos)
            length, pos = _read_varint(buf, pos)
            self.flags = buf[pos]
        except IndexError:
            raise EOFError("posting block is truncated") from None
        self.body = pos + 1
        self.end = pos + 1 + length
        if self.end > len(buf) or not self.n:
            raise EOFError("posting block is truncated")
        self.base = base_id
        self.maxid = base_id + last


class _Decoded:
    """A block's ids, weights and positions, decoded when first asked for."""

    __slots__ = ("ids", "weights", "counts", "deltas", "values")

    def __init__(self, buf, block: _Block):
        try:
            self._decode(buf, block)
        except (IndexError, ValueError, TypeError, OverflowError) as e:  # bytes we did not write
            raise EOFError(f"posting block is damaged ({type(e).__name__})") from None

    def _decode(self, buf, block: _Block) -> None:
        data = buf[block.body:block.end]
        if block.flags & _DEFLATED:
            data = zlib.decompress(data)
        n = block.n
        gaps, pos = _unpack_ints(data, 0, n - 1)
        ids = list(accumulate(gaps, initial=block.base))
        del ids[0]  # (the base, not an id)
        ids.append(block.maxid)  # the last id is the header's
        if ids[0] <= block.base or (n > 1 and ids[-2] >= block.maxid):
            raise ValueError("ids that do not ascend")  # (the ids of a block ascend past the last block's)
        self.ids = ids
        wkind = block.flags & 3
        vkind = block.flags & 12
        weights = None
        if wkind == _W_INTS:
            w, pos = _unpack_ints(data, pos, n)
            weights = array("f", w.tolist())  # (a list converts at C speed, an array does not)
        elif wkind == _W_FLOATS:
            weights = array("f")
            end = pos + 4 * n
            weights.frombytes(data[pos:end])
            if _BIG_ENDIAN:
                weights.byteswap()
            pos = end
        self.counts = self.deltas = self.values = None
        if vkind == _V_POSITIONS:
            self.counts, pos = _unpack_ints(data, pos, n)
            self.deltas, pos = _unpack_ints(data, pos, sum(self.counts))
            if wkind == _W_COUNTS:
                weights = array("f", self.counts.tolist())
        elif vkind == _V_PICKLED:
            self.values = loads(data[pos:])
        if weights is None:
            weights = array("f", [1.0]) * n
        self.weights = weights

    def positions(self) -> PositionLists:
        return PositionLists(self.counts, self.deltas)


class PositionLists:
    """Each posting's positions in a block, decoded only for the postings asked for (a phrase
    check wants a few passages of a block of 128)."""

    __slots__ = ("_counts", "_deltas", "_starts")

    def __init__(self, counts: array, deltas: array):
        self._counts, self._deltas = counts, deltas
        self._starts = list(accumulate(counts, initial=0))

    def __len__(self) -> int:
        return len(self._counts)

    def __getitem__(self, i: int) -> list[int]:
        start = self._starts[i]
        return list(accumulate(self._deltas[start:start + self._counts[i]]))

    def __iter__(self):
        return (self[i] for i in range(len(self._counts)))

    def __eq__(self, other) -> bool:
        return list(self) == list(other)


def decode_blocks(buf) -> list[tuple[list[int], array]]:
    """Every block of a posting list as (ids, weights): for tests and inspection."""
    out, pos, base_id = [], 0, -1
    while pos < len(buf):
        block = _Block(buf, pos, base_id)
        d = _Decoded(buf, block)
        out.append((d.ids, d.weights))
        pos, base_id = block.end, block.maxid
    return out


def posting_blocks(buf, format_):
    """Each block of a posting list as (ids, weights, values): the postings VnMatcher reads
    (id(), weight(), value()), a block at a time, each value as whoosh's bytes (b"" for none,
    where VnMatcher may give None). For copying a segment's postings without one call per
    posting (postingwriter.PostingWriter.add_reader)."""
    pos, base_id, end = 0, -1, len(buf)
    single: dict[int, bytes] = {}  # Positions.encode([p]) by p: most postings hold one position
    while pos < end:
        block = _Block(buf, pos, base_id)
        d = _Decoded(buf, block)
        n = block.n
        vkind = block.flags & 12
        if d.counts is not None:
            if type(format_) is Positions:
                values = _encoded_positions(d.counts, d.deltas, single)
            else:
                values = [format_.encode(p) for p in d.positions()]
        elif vkind == _V_FREQ:
            freqs = list(map(int, d.weights))
            if max(freqs) < len(_FREQ_VALUES):
                values = list(map(_FREQ_VALUES.__getitem__, freqs))
            else:
                values = list(map(_UINT.pack, freqs))
        elif vkind == _V_PICKLED:
            values = [v or b"" for v in d.values]
        else:
            values = [b""] * n
        yield d.ids, d.weights, values
        pos, base_id = block.end, block.maxid


_FREQ_VALUES = tuple(_UINT.pack(n) for n in range(256))  # whoosh's Frequency value of each small count


def _encoded_positions(counts: array, deltas: array, single: dict[int, bytes]) -> list[bytes]:
    """whoosh's Positions.encode of each posting's positions, from a block's counts and gaps
    (the gaps it encodes are the ones stored: the first is the first position itself)."""
    out = []
    start = 0
    for count in counts:
        if count == 1:
            gap = deltas[start]
            value = single.get(gap)
            if value is None:
                value = single[gap] = _UINT.pack(1) + dumps([gap], 2)
        else:
            value = _UINT.pack(count) + dumps(deltas[start:start + count].tolist(), 2)
        out.append(value)
        start += count
    return out


# --- writing -------------------------------------------------------------------------------------

class VnPostingsWriter(base.PostingsWriter):
    """Buffers a term's postings a block at a time; one block's worth stays in the term info."""

    def __init__(self, postfile, blocklimit: int = BLOCK_LIMIT):
        self._postfile = postfile
        self._blocklimit = blocklimit
        self._terminfo = None

    def written(self) -> bool:
        return self._blocks > 0

    def start_postings(self, format_, terminfo) -> None:
        if self._terminfo is not None:
            raise Exception("Called start in a term")
        self._format = format_
        self._terminfo = terminfo
        self._blocks = 0
        self._base = -1
        self._startoffset = self._postfile.tell()
        self._ids, self._weights, self._values = [], [], []

    def add_posting(self, id_, weight, vbytes, length=None) -> None:
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        self._values.append(vbytes)

    def add_flat(self, postings: list) -> None:
        """add_posting for each (id, weight, value) of a flat list [id, weight, value, id, ...],
        in the same blocks: the postings are sliced a block at a time, not taken one by one."""
        ids, weights, values = postings[0::3], postings[1::3], postings[2::3]
        if self._ids:
            ids, weights, values = self._ids + ids, self._weights + weights, self._values + values
        limit = self._blocklimit
        start, n = 0, len(ids)
        # As add_posting does, a full block is written only once a posting follows it: a list
        # of one block's worth stays whole for the term info.
        while n - start > limit:
            end = start + limit
            self._ids, self._weights, self._values = ids[start:end], weights[start:end], values[start:end]
            self._write_block()
            start = end
        if start:
            ids, weights, values = ids[start:], weights[start:], values[start:]
        self._ids, self._weights, self._values = ids, weights, values

    def _encode(self) -> bytes:
        values = self._values if any(self._values) else ()
        data = encode_block(self._ids, self._weights, values, self._format, self._base)
        self._terminfo.add_postings(self._ids, self._weights)
        self._base = self._ids[-1]
        self._ids, self._weights, self._values = [], [], []
        return data

    def _write_block(self) -> None:
        self._postfile.write(self._encode())
        self._blocks += 1

    def finish_postings(self):
        terminfo = self._terminfo
        if not self._blocks:
            terminfo.set_inline_block(self._encode())
        else:
            if self._ids:
                self._write_block()
            terminfo.set_extent(self._startoffset, self._postfile.tell() - self._startoffset)
        self._terminfo = None
        return terminfo

    def __len__(self):  # (the postings buffered, as W3's writer answers)
        return len(self._ids)


class VnFieldWriter(W3FieldWriter):
    def __init__(self, codec, storage, segment):
        # W3FieldWriter's, with vnsearch's term table
        self._codec = codec
        self._storage = storage
        self._segment = segment
        self._fieldname = self._fieldid = self._btext = self._fieldobj = self._format = None
        self._tindex = TermTableWriter(self._create_file(W3Codec.TERMS_EXT))
        self._fieldmap = self._tindex.extras["fieldmap"] = {}
        self._postfile = self._create_file(W3Codec.POSTS_EXT)
        self._postwriter = None
        self._infield = False
        self.is_closed = False

    def start_term(self, btext) -> None:
        if self._postwriter is None:
            raise Exception("Called start_term before start_field")
        self._btext = btext
        self._postwriter.start_postings(self._fieldobj.format, VnTermInfo())

    def add_flat(self, postings: list) -> None:
        """add(id, weight, value, 0) for each posting of a flat list [id, weight, value, id, ...]."""
        self._postwriter.add_flat(postings)

    def add_term(self, btext: bytes, pieces) -> None:
        """start_term, add_flat for each of pieces (flat lists, in passage order), finish_term."""
        # (a long list may come as an iterator of slices read from disk: see postingwriter)
        if isinstance(pieces, (list, tuple)) and 0 < sum(map(len, pieces)) <= 3 * self._postwriter._blocklimit:
            # One block's worth, the most common list: the term info holds the block (what
            # finish_postings makes of it, without its statistics, which are not written).
            flat = pieces[0] if len(pieces) == 1 else list(chain.from_iterable(pieces))
            values = flat[2::3]
            block = encode_block(flat[0::3], flat[1::3], values if any(values) else (), self._format, -1)
            self._tindex.add(pack_ushort(self._fieldid) + btext, _INLINE_BYTE + block)
            return
        self.start_term(btext)
        for postings in pieces:
            self._postwriter.add_flat(postings)
        self.finish_term()


# --- the term table ------------------------------------------------------------------------------

class TermTableWriter(filetables.OrderedHashWriter):
    """whoosh's ordered hash file of term infos, in fewer bytes: each key's and value's length
    is a varint (not two 4-byte ints), a hash slot is a 4-byte hash and a 4-byte position (not 4
    and 8), and the hash is crc32 (quicker than md5, and as good for a table's slots)."""

    def __init__(self, dbfile):
        # OrderedHashWriter's, with vnsearch's tag and hash function
        filetables.HashWriter.__init__(self, dbfile, magic=_TABLE_MAGIC, hashtype=_CRC32)
        self.index = GrowableArray("H")  # each key's position, in order
        self.lastkey = b""

    def add(self, key: bytes, value: bytes) -> None:
        if key <= self.lastkey:
            raise ValueError("Keys must increase: %r..%r" % (self.lastkey, key))
        dbfile = self.dbfile
        pos = dbfile.tell()
        if pos >= _LIMITS[2]:
            raise ValueError("term table over 4 GB")
        self.index.append(pos)
        dbfile.write(_varint(len(key)) + _varint(len(value)) + key + value)
        h = self.hashfn(key)
        self.buckets[h & 255].append((h, pos))
        self.lastkey = key

    def _write_hashes(self) -> None:
        dbfile = self.dbfile
        for entries in self.buckets:
            pos = dbfile.tell()
            numslots = 2 * len(entries)
            self.directory.append((pos, numslots))
            table = [(0, 0)] * numslots
            for hashval, position in entries:
                slot = (hashval >> 8) % numslots
                while table[slot] != (0, 0):
                    slot = (slot + 1) % numslots
                table[slot] = (hashval, position)
            dbfile.write(b"".join(_SLOT.pack(h, p) for h, p in table))


class TermTable(filetables.OrderedHashReader):
    """Reads what TermTableWriter wrote (whoosh's lookups, ordered walks and cursors)."""

    def __init__(self, dbfile, length):
        super().__init__(dbfile, length, magic=_TABLE_MAGIC)

    def _lengths_at(self, pos: int) -> tuple[int, int, int]:
        head = self.dbfile.get(pos, 10)
        try:
            keylen, p = _read_varint(head, 0)
            datalen, p = _read_varint(head, p)
        except IndexError:
            raise EOFError("term table is truncated") from None
        return keylen, datalen, pos + p

    def key_at(self, pos: int) -> bytes:
        keylen, _, keypos = self._lengths_at(pos)
        return self.dbfile.get(keypos, keylen)

    def key_and_range_at(self, pos: int):
        if pos >= self.endofdata:
            return None
        keylen, datalen, keypos = self._lengths_at(pos)
        return self.dbfile.get(keypos, keylen), keypos + keylen, datalen

    def _ranges(self, pos=None, eod=None):
        pos = pos or self.startofdata
        eod = eod or self.endofdata
        while pos < eod:
            keylen, datalen, keypos = self._lengths_at(pos)
            yield keypos, keylen, keypos + keylen, datalen
            pos = keypos + keylen + datalen

    def ranges_for_key(self, key: bytes):
        if not isinstance(key, bytes):
            raise TypeError("Key %r should be bytes" % key)
        keyhash = self.hashfn(key)
        tablestart, numslots = self.tables[keyhash & 255]
        if not numslots:
            return
        get = self.dbfile.get
        slot = (keyhash >> 8) % numslots
        for _ in range(numslots):
            slothash, itempos = _SLOT.unpack(get(tablestart + slot * _SLOT.size, _SLOT.size))
            if not itempos:
                return
            if slothash == keyhash:
                keylen, datalen, keypos = self._lengths_at(itempos)
                if keylen == len(key) and get(keypos, keylen) == key:
                    yield keypos + keylen, datalen
            slot = (slot + 1) % numslots


# --- term infos ----------------------------------------------------------------------------------

class VnTermInfo(W3TermInfo):
    """A term's statistics and where its postings are (or the postings themselves)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._block = None  # the inline block's bytes
        self._minlength = 0
        self._maxlength = 0

    # writing
    def add_postings(self, ids, weights) -> None:
        weights = array("f", weights)
        # (the attributes behind _weight, _maxweight and _minid: see _lazy below)
        self._w += sum(weights)
        self._df += len(ids)
        self._mw = max(self._mw, max(weights))
        if self._mi is None:
            self._mi = ids[0]
        self._maxid = ids[-1]

    def set_inline_block(self, block: bytes) -> None:
        self._block = block

    def is_inlined(self) -> bool:
        return self._block is not None

    def inlined_postings(self):
        d = _Decoded(self._block, _Block(self._block, 0, -1))
        return d.ids, d.weights, d.values

    def to_bytes(self) -> bytes:
        if self._block is not None:
            return _INLINE_BYTE + self._block
        weight = _f32(self._weight)
        maxweight = _f32(self._maxweight)
        parts = [_varint(self._df), _varint(self._offset), _varint(self._length)]
        if weight == self._df and maxweight == 1.0:
            flags = _ALL_ONES
        elif weight.is_integer() and maxweight.is_integer() and weight >= 0 and maxweight >= 0:
            flags = 0
            parts += [_varint(int(weight)), _varint(int(maxweight))]
        else:
            flags = _FLOAT_WEIGHTS
            parts.append(_TWO_F32.pack(weight, maxweight))
        parts += [_varint(self._minid), _varint(self._maxid - self._minid)]
        return bytes((flags,)) + b"".join(parts)

    @classmethod
    def from_bytes(cls, s):
        try:
            return cls._from_bytes(s)
        except (IndexError, struct.error):  # bytes we did not write
            raise EOFError("term info is truncated") from None

    @classmethod
    def _from_bytes(cls, s):
        ti = cls()
        flags = s[0]
        if flags & _INLINE:
            ti._block = s[1:]
            block = _Block(ti._block, 0, -1)
            ti._df = block.n
            ti._maxid = block.maxid
            ti._w = ti._mw = ti._mi = _LAZY  # (from the block, when asked)
            return ti
        ti._df, pos = _read_varint(s, 1)
        ti._offset, pos = _read_varint(s, pos)
        ti._length, pos = _read_varint(s, pos)
        if flags & _ALL_ONES:
            ti._weight, ti._maxweight = float(ti._df), 1.0
        elif flags & _FLOAT_WEIGHTS:
            ti._weight, ti._maxweight = _TWO_F32.unpack_from(s, pos)
            pos += _TWO_F32.size
        else:
            weight, pos = _read_varint(s, pos)
            maxweight, pos = _read_varint(s, pos)
            ti._weight, ti._maxweight = float(weight), float(maxweight)
        ti._minid, pos = _read_varint(s, pos)
        span, pos = _read_varint(s, pos)
        ti._maxid = ti._minid + span
        return ti

    def _inline_stats(self) -> None:
        d = _Decoded(self._block, _Block(self._block, 0, -1))
        self._w = _f32(sum(d.weights))
        self._mw = max(d.weights)
        self._mi = d.ids[0]

    # An inline term info's total and highest weight and first id are worked out from its block
    # when first asked for (whoosh's multi-segment reader reads these attributes directly).
    def _lazy(name: str):
        def get(self):
            value = getattr(self, name)
            if value is _LAZY:
                self._inline_stats()
                value = getattr(self, name)
            return value

        def put(self, value):
            setattr(self, name, value)

        return property(get, put)

    _weight = _lazy("_w")
    _maxweight = _lazy("_mw")
    _minid = _lazy("_mi")
    del _lazy


# --- reading -------------------------------------------------------------------------------------

class VnMatcher(LeafMatcher):
    """whoosh's matcher interface over a posting list's bytes, and whole blocks for accumulate.py."""

    def __init__(self, buf: bytes, format_, term=None, scorer=None, terminfo=None):
        self._buf = buf
        self.format = format_
        self._term = term
        self.scorer = scorer
        self._terminfo = terminfo
        self.reset()

    def reset(self) -> None:
        self._goto(0, -1)

    def _goto(self, pos: int, base_id: int) -> None:
        self._block = _Block(self._buf, pos, base_id)
        self._maxid = self._block.maxid
        self._decoded = None
        self._i = 0
        self._atend = False

    def _next_block(self) -> None:
        if self._atend:
            raise Exception("No next block")
        end = self._block.end
        if end >= len(self._buf):
            self._atend = True
        else:
            self._goto(end, self._maxid)

    def _data(self) -> _Decoded:
        if self._decoded is None:
            self._decoded = _Decoded(self._buf, self._block)
        return self._decoded

    # whole blocks (accumulate.py)
    def block_ids(self) -> list[int]:
        return self._data().ids

    def block_weights(self) -> array:
        return self._data().weights

    def block_positions(self):
        """Each posting's positions (a list of lists, or PositionLists that decodes on access)."""
        d = self._data()
        if d.counts is not None:
            return d.positions()
        decode = self.format.decode_positions
        return [decode(v) for v in self._values()]

    def _values(self):
        d = self._data()
        if d.values is not None:
            return d.values
        if d.counts is not None:
            encode = self.format.encode
            d.values = [encode(p) for p in d.positions()]
        elif self._block.flags & 12 == _V_FREQ:
            d.values = [_UINT.pack(int(w)) for w in d.weights]
        else:  # (W3 gives None for a format whose values have no size, whoosh's Existence)
            d.values = [None if self.format.fixed_value_size() == 0 else b""] * self._block.n
        return d.values

    # whoosh's matcher interface
    def is_active(self) -> bool:
        return not self._atend

    def id(self) -> int:
        return self._data().ids[self._i]

    def weight(self) -> float:
        return self._data().weights[self._i]

    def value(self):
        return self._values()[self._i]

    def next(self) -> bool:
        self._i += 1
        if self._i == self._block.n:
            self._next_block()
            return True
        return False

    def skip_to(self, targetid) -> None:
        if not self.is_active():
            raise ReadTooFar
        if targetid <= self.id():
            return
        while self.is_active() and targetid > self._maxid:
            self._next_block()
        while self.is_active() and self.id() < targetid:
            self.next()

    def _skip_to_block(self, skipwhile) -> int:
        skipped = 0
        while self.is_active() and skipwhile():
            self._next_block()
            skipped += 1
        return skipped

    def skip_to_quality(self, minquality) -> int:
        block_quality = self.block_quality
        if block_quality() > minquality:
            return 0
        return self._skip_to_block(lambda: block_quality() <= minquality)

    def block_min_id(self) -> int:
        return self._data().ids[0]

    def block_max_id(self) -> int:
        return self._maxid

    def block_min_length(self) -> int:
        return 0  # (not stored: vnsearch writes no length statistics, see whooshwrite.py)

    def block_max_length(self) -> int:
        return 0

    def block_max_weight(self) -> float:
        return max(self._data().weights)


class VnFieldCursor(W3FieldCursor):
    def term_info(self):
        if self._pos is None:
            return None
        return VnTermInfo.from_bytes(self._tindex.dbfile.get(self._datapos, self._datalen))


class VnTermsReader(W3TermsReader):
    def __init__(self, codec, dbfile, length, postfile):
        # W3TermsReader's, with vnsearch's term table
        self._codec = codec
        self._dbfile = dbfile
        self._tindex = TermTable(dbfile, length)
        self._fieldmap = self._tindex.extras["fieldmap"]
        self._postfile = postfile
        self._fieldunmap = [None] * len(self._fieldmap)
        for fieldname, num in self._fieldmap.items():
            self._fieldunmap[num] = fieldname

    def cursor(self, fieldname, fieldobj):
        return VnFieldCursor(self._tindex, fieldname, self._keycoder, self._keydecoder, fieldobj)

    def items(self):
        keydecoder = self._keydecoder
        return ((keydecoder(k), VnTermInfo.from_bytes(v)) for k, v in self._tindex.items())

    def items_from(self, fieldname, prefix):
        keydecoder = self._keydecoder
        return ((keydecoder(k), VnTermInfo.from_bytes(v))
                for k, v in self._tindex.items_from(self._keycoder(fieldname, prefix)))

    def posting_lists(self):
        """(fieldname, term bytes, posting list bytes) of every term in term order, read without
        a term info object each: for copying a segment (postingwriter.PostingWriter.add_reader)."""
        keydecoder = self._keydecoder
        get = self._postfile.get
        for key, info in self._tindex.items():
            fieldname, term = keydecoder(key)
            if info[0] & _INLINE:
                yield fieldname, term, info[1:]
                continue
            try:
                _, pos = _read_varint(info, 1)  # (the document frequency)
                offset, pos = _read_varint(info, pos)
                length, pos = _read_varint(info, pos)
            except IndexError:  # bytes we did not write
                raise EOFError("term info is truncated") from None
            yield fieldname, term, get(offset, length)

    def term_info(self, fieldname, tbytes):
        try:
            return VnTermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)])
        except KeyError:
            raise TermNotFound("No term %s:%r" % (fieldname, tbytes)) from None

    # (a KeyError for a missing term, as whoosh's reader expects here)
    def frequency(self, fieldname, tbytes):
        return VnTermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)]).weight()

    def doc_frequency(self, fieldname, tbytes):
        return VnTermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)]).doc_frequency()


class VnCodec(W3Codec):
    """W3's files and term table, vnsearch's blocks and term infos (see the module docstring)."""

    length_stats = False  # see whooshwrite.py

    def __init__(self, blocklimit: int = BLOCK_LIMIT):
        super().__init__(blocklimit=blocklimit)

    def field_writer(self, storage, segment):
        return VnFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        if byteids:  # term vectors (vnsearch stores none): W3's own blocks
            return super().postings_writer(dbfile, byteids=True)
        return VnPostingsWriter(dbfile, blocklimit=self._blocklimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            buf = terminfo._block
        else:
            offset, length = terminfo.extent()
            buf = dbfile.get(offset, length)
        return VnMatcher(buf, format_, term=term, scorer=scorer, terminfo=terminfo)

    def terms_reader(self, storage, segment):
        tiname = segment.make_filename(self.TERMS_EXT)
        tilen = storage.file_length(tiname)
        tifile = storage.open_file(tiname)
        postfile = segment.open_file(storage, self.POSTS_EXT)
        return VnTermsReader(self, tifile, tilen, postfile)
