"""vnsearch's posting format must read back exactly what whoosh's W3 codec reads back, in fewer bytes."""
import array
import random

import pytest
from hypothesis import given, settings, strategies as st

from searcher import Index, build_index
from searcher.engines.local import accumulate
from searcher.engines.local.postings import VnCodec, VnMatcher, VnTermInfo, decode_blocks, encode_block


def write_whoosh_index(path, codec, docs, schema=None):
    """A whoosh index of docs ({field: text}) written with codec, in one segment."""
    from whoosh import fields, index
    from whoosh.analysis import SpaceSeparatedTokenizer

    terms = SpaceSeparatedTokenizer()
    schema = schema or fields.Schema(
        key=fields.ID(stored=True),  # whoosh's Existence: no weights, no values
        words=fields.TEXT(analyzer=terms, phrase=True),  # Positions
        tags=fields.KEYWORD(lowercase=False),  # Frequency
        boosted=fields.TEXT(analyzer=terms, phrase=False, field_boost=1.5),  # weights 1.5, 3.0, ...
    )
    path.mkdir()
    ix = index.create_in(str(path), schema)
    with ix.writer(codec=codec) as w:
        for doc in docs:
            w.add_document(**doc)
    return ix


def random_docs(n, seed=7):
    rng = random.Random(seed)
    vocab = ["a", "b", "c"] + [f"w{i}" for i in range(400)]  # a, b, c in (nearly) every passage
    docs = []
    for i in range(n):
        words = rng.choices(vocab[:3], k=rng.randint(1, 4)) + rng.choices(vocab, k=rng.randint(1, 30))
        rng.shuffle(words)
        docs.append({"key": f"d{i}", "words": " ".join(words), "tags": " ".join(words[:3]),
                     "boosted": " ".join(words[-2:])})
    return docs


def everything(ix):
    """Every term's statistics and postings (id, weight, positions or value) as whoosh reads them."""
    out = {}
    with ix.searcher() as s:
        r = s.reader()
        for field in ix.schema.names():
            if not ix.schema[field].indexed:
                continue
            fmt = ix.schema[field].format
            for text, ti in r.iter_field(field):
                m = r.postings(field, text)
                postings = []
                while m.is_active():
                    value = list(fmt.decode_positions(m.value())) if field == "words" else m.value()
                    postings.append((m.id(), m.weight(), value))
                    m.next()
                out[field, text] = ((ti.doc_frequency(), ti.weight(), ti.max_weight(), ti.min_id(), ti.max_id()),
                                    postings)
    return out


def test_an_index_reads_back_exactly_as_whoosh_w3_reads_its_own(tmp_path):
    from whoosh.codec.whoosh3 import W3Codec

    docs = random_docs(700)  # a, b, c: several blocks of 128 postings; most others fit in one
    w3 = W3Codec()
    w3.length_stats = False
    theirs = everything(write_whoosh_index(tmp_path / "w3", w3, docs))
    ours = everything(write_whoosh_index(tmp_path / "vn", VnCodec(), docs))
    assert ours == theirs
    assert len(ours["words", b"a"][1]) > 400 and any(len(p) == 1 for _, p in ours.values())
    assert ours["boosted", b"a"][1][0][1] in (1.5, 3.0)  # a field boost: weights that are no integers


def test_short_lists_live_in_the_term_info_and_one_posting_costs_a_few_bytes(tmp_path):
    docs = [{"key": f"d{i}", "words": "a b" if i else "a b once", "tags": "t", "boosted": "x"} for i in range(200)]
    ix = write_whoosh_index(tmp_path / "vn", VnCodec(), docs)
    with ix.searcher() as s:
        terms = s.reader()._terms
        raw = terms._tindex[terms._keycoder("words", b"once")]
        # Flags, then one block: 1 posting, id 0, body length, flags; body: one count, one position.
        assert raw == b"\x01" + b"\x01\x01\x04\x08" + b"\x00\x01" + b"\x00\x02"
        assert len(terms._tindex[terms._keycoder("tags", b"t")]) < 200  # 200 postings of weight 1
        once = terms.term_info("words", b"once")
        assert once.is_inlined() and once.doc_frequency() == 1 and once.min_id() == once.max_id() == 0
        assert s.reader().postings("words", "once").block_positions() == [[2]]
        key = terms.term_info("key", b"d7")
        assert key.is_inlined() and (key.min_id(), key.max_weight()) == (7, 1.0)
        common = terms.term_info("words", b"a")  # 200 postings: two blocks in the posting file
        assert not common.is_inlined() and common.doc_frequency() == 200 and common.weight() == 200.0
        assert common.extent()[1] < 200  # W3: 200 four-byte positions counts alone, before pickling
        m = s.reader().postings("words", "a")
        assert isinstance(m, VnMatcher) and len(m.block_ids()) == 128 and m.block_max_id() == 127
        m.skip_to(150)
        assert (m.id(), m.block_min_id(), m.block_max_id()) == (150, 128, 199)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 2**31), min_size=1, max_size=300, unique=True),
       st.lists(st.sampled_from([1.0, 1.0, 2.0, 7.0, 0.5, 300.0]), min_size=300, max_size=300))
def test_blocks_round_trip_any_ids_and_weights(ids, weights):
    from whoosh.formats import Frequency

    ids = sorted(ids)
    weights = weights[:len(ids)]
    blocks, base = [], -1
    for i in range(0, len(ids), 128):
        blocks.append(encode_block(ids[i:i + 128], weights[i:i + 128], [], Frequency(), base))
        base = ids[i:i + 128][-1]
    decoded = decode_blocks(b"".join(blocks))
    assert [d for block_ids, _ in decoded for d in block_ids] == ids
    assert [w for _, block_weights in decoded for w in block_weights] == weights


def test_positions_round_trip_and_weights_that_are_counts_are_not_stored():
    from whoosh.formats import Positions

    fmt = Positions()
    positions = [[0], [3, 4, 90], [70000]]
    values = [fmt.encode(p) for p in positions]
    block = encode_block([5, 9, 1000], [1.0, 3.0, 1.0], values, fmt, -1)
    m = VnMatcher(block, fmt)
    assert (m.block_ids(), list(m.block_weights()), m.block_positions()) == ([5, 9, 1000], [1.0, 3.0, 1.0], positions)
    assert m.block_positions()[1] == [3, 4, 90] and len(m.block_positions()) == 3  # one posting's, decoded alone
    seen = []
    while m.is_active():
        seen.append((m.id(), m.weight(), fmt.decode_positions(m.value())))  # whoosh's bytes, as merges read them
        m.next()
    assert seen == [(5, 1.0, [0]), (9, 3.0, [3, 4, 90]), (1000, 1.0, [70000])]
    m.reset()
    assert [list(fmt.decode_positions(v)) for v in m._values()] == positions  # whoosh's bytes, as merges read them


class _File:
    """A posting file in memory, as a postings writer writes it."""

    def __init__(self):
        self.data = bytearray()

    def tell(self):
        return len(self.data)

    def write(self, b):
        self.data += b


@pytest.mark.parametrize("pieces", [[1], [128], [129], [127, 1], [1, 127, 1], [256], [100, 100, 57], [3, 300, 2]])
def test_postings_handed_over_a_list_at_a_time_make_the_blocks_of_one_at_a_time(pieces):
    from whoosh.formats import Frequency, Positions

    from whoosh.system import pack_uint

    from searcher.engines.local.postings import VnPostingsWriter

    for fmt in (Frequency(), Positions()):
        flat, docnum = [], 0
        for size in pieces:
            piece = []
            for _ in range(size):
                docnum += 1 + docnum % 3
                freq = 1 + docnum % 4
                value = fmt.encode(list(range(docnum % 5, docnum % 5 + freq))) if type(fmt) is Positions \
                    else pack_uint(freq)
                piece += [docnum, float(freq), value]
            flat.append(piece)
        written = []
        for one_at_a_time in (True, False):
            postfile = _File()
            writer = VnPostingsWriter(postfile)
            writer.start_postings(fmt, VnTermInfo())
            for piece in flat:
                if one_at_a_time:
                    for i in range(0, len(piece), 3):
                        writer.add_posting(*piece[i:i + 3])
                else:
                    writer.add_flat(piece)
            info = writer.finish_postings()
            written.append((bytes(postfile.data), info.to_bytes()))
        assert written[0] == written[1]
        assert (written[0][0] == b"") == (sum(pieces) <= 128)  # one block's worth stays in the term info


def test_position_values_read_once_are_read_alike_and_a_stranger_is_kept_as_is():
    from whoosh.formats import Positions

    fmt = Positions()
    values = [fmt.encode([4]), fmt.encode([4]), fmt.encode([1, 9])]
    for _ in range(2):  # the second time from what the first one read
        m = VnMatcher(encode_block([1, 2, 3], [1.0, 1.0, 2.0], values, fmt, -1), fmt)
        assert list(m.block_positions()) == [[4], [4], [1, 9]]
    odd = values[:2] + [fmt.encode([1, 9])[:4] + b"junk"]  # not whoosh's encoding: stored as it is
    m = VnMatcher(encode_block([1, 2, 3], [1.0, 1.0, 2.0], odd, fmt, -1), fmt)
    assert m._values() == tuple(odd)


def test_frequencies_equal_to_the_weights_are_left_out_and_others_are_kept():
    from whoosh.formats import Frequency
    from whoosh.system import pack_uint

    fmt = Frequency()
    for weights, stored in (([1.0, 3.0, 2.0 ** 25], False),  # the weights say the values
                            ([1.0, 3.0, 2.0 ** 24 + 1], True),  # 16777217 is 16777216.0 as a 32-bit float
                            ([1.0, 2.5, 4.0], True)):  # a boosted weight is no frequency
        values = [pack_uint(int(w)) for w in weights]
        block = encode_block([1, 2, 3], weights, values, fmt, -1)
        m = VnMatcher(block, fmt)
        assert m._values() == (tuple(values) if stored else [pack_uint(int(w)) for w in m.block_weights()])
        assert (block[3] & 12 == 4) is not stored  # flags: the values are the frequencies
        assert list(m.block_weights()) == [float(array.array("f", [w])[0]) for w in weights]


def test_damaged_bytes_are_eof_errors_that_a_search_reports_as_damage():
    from whoosh.formats import Frequency

    block = encode_block(list(range(0, 400, 3)), [1.0] * 134, [], Frequency(), -1)
    with pytest.raises(EOFError):
        decode_blocks(block[:len(block) // 2])
    with pytest.raises(EOFError):
        VnTermInfo.from_bytes(b"\x00\x85")  # a varint that never ends


def test_an_index_of_vnsearch_is_written_with_this_codec_and_searched(make_index, monkeypatch):
    index_dir = make_index({"a.txt": "Tin A\n\nBảo hiểm xã hội tỉnh Bình Dương.", "b.txt": "Tin B\n\nXã hội và bảo hiểm."})
    with Index.open(index_dir) as ix:
        reader = ix.backend._searcher.reader()
        leaves = [r for r, _ in reader.leaf_readers()] if not reader.is_atomic() else [reader]
        assert all(type(r.codec()) is VnCodec for r in leaves)
        hits = ix.search('"bảo hiểm xã hội"').hits
        assert [h.doc_id for h in hits] == ["a.txt"]
        # The same answer through whoosh's public matcher API.
        monkeypatch.setattr(accumulate, "_BLOCK_ATTRS", ("_no_such_attribute",))
        assert [h.doc_id for h in ix.search('"bảo hiểm xã hội"').hits] == ["a.txt"]
        assert [h.doc_id for h in ix.search('"xã hội và"').hits] == ["b.txt"]


def test_segments_merged_into_one_keep_their_postings(tmp_path):
    """An update copies the index and may merge its segments: postings go through the matchers."""
    from whoosh.codec.whoosh3 import W3Codec

    docs = random_docs(400, seed=3)
    merged = {}
    for name, codec in (("w3", W3Codec()), ("vn", VnCodec())):
        ix = write_whoosh_index(tmp_path / name, codec, docs[:250])
        with ix.writer(codec=codec) as w:  # a second segment, and deletions in the first
            for doc in docs[250:]:
                w.add_document(**doc)
            w.delete_by_term("key", "d3")
            w.delete_by_term("key", "d200")
        assert len(ix.reader().leaf_readers()) == 2
        with ix.writer(codec=codec) as w:
            w.optimize = True  # one segment, written from what the matchers read
        assert ix.reader().is_atomic()
        merged[name] = everything(ix)
    assert merged["vn"] == merged["w3"]
    assert len(merged["vn"]["words", b"a"][1]) > 200


def test_the_term_table_finds_every_key_walks_them_in_order_and_misses_cleanly():
    from whoosh.filedb.filestore import RamStorage

    from searcher.engines.local.postings import TermTable, TermTableWriter

    keys = sorted({b"\x00\x01" + w.encode() for w in ["a", "ab", "b", "ba", "bảo", "x" * 300]} |
                  {b"\x00\x02%d" % i for i in range(2000)})
    st = RamStorage()
    w = TermTableWriter(st.create_file("t"))
    w.extras["fieldmap"] = {"f": 1}
    for i, k in enumerate(keys):
        w.add(k, b"v" * (i % 200))  # values past 127 bytes: two-byte lengths
    with pytest.raises(ValueError):
        w.add(keys[0], b"")  # keys must come in order
    w.close()
    table = TermTable(st.open_file("t"), st.file_length("t"))
    assert table.extras["fieldmap"] == {"f": 1}
    assert all(table[k] == b"v" * (i % 200) for i, k in enumerate(keys))
    assert b"\x00\x01c" not in table and table.get(b"\x00\x01", None) is None
    assert list(table.keys()) == keys
    assert [k for k, _ in table.items_from(b"\x00\x01b")][:3] == [b"\x00\x01b", b"\x00\x01ba", "\x00\x01bảo".encode()]
    assert table.closest_key(b"\x00\x01c") == b"\x00\x01" + b"x" * 300


def test_a_segment_read_a_block_at_a_time_gives_what_its_matchers_give(tmp_path):
    """posting_lists and posting_blocks: how a worn segment is copied (PostingWriter.add_reader)."""
    from whoosh.formats import Frequency, Positions
    from whoosh.reading import SegmentReader

    from searcher.engines.local.postings import posting_blocks

    ix = write_whoosh_index(tmp_path / "vn", VnCodec(), random_docs(700))
    reader = ix.reader()
    assert type(reader) is SegmentReader
    read = {}
    for fieldname, term, buf in reader._terms.posting_lists():
        fmt = ix.schema[fieldname].format
        blocks = list(posting_blocks(buf, fmt))
        assert all(len(ids) == len(weights) == len(values) <= 128 for ids, weights, values in blocks)
        read[fieldname, term] = [p for ids, weights, values in blocks for p in zip(ids, weights, values)]
    matched = {}
    for fieldname, term in reader.all_terms():
        m = reader.postings(fieldname, term)
        matched[fieldname, term] = []
        while m.is_active():
            matched[fieldname, term].append((m.id(), m.weight(), m.value() or b""))  # (None: no value)
            m.next()
    assert read == matched
    assert len(read["words", b"a"]) > 3 * 128 and any(len(p) == 1 for p in read.values())
    assert {k[0] for k in read} == {"key", "words", "tags", "boosted"}  # no values, positions, frequencies, boosts
    # values kept as whoosh's bytes (not whoosh's positions, or frequencies not the weights), and
    # frequencies too big for a byte
    big = [2.0 ** 25, 3.0]
    for fmt, weights, values, kind in ((Positions(), [2.0, 1.0], [Positions().encode([1, 9])[:4] + b"junk",
                                                                  Positions().encode([2])], 12),
                                       (Frequency(), big, [b"\x00\x00\x00\x05", b"\x00\x00\x00\x03"], 12),
                                       (Frequency(), big, [b"\x02\x00\x00\x00", b"\x00\x00\x00\x03"], 4)):
        block = encode_block([4, 7], weights, values, fmt, -1)
        assert block[3] & 12 == kind  # flags: values pickled (12) or the frequencies (4)
        m = VnMatcher(block, fmt)
        assert [(ids, list(ws), vs) for ids, ws, vs in posting_blocks(block, fmt)] == [([4, 7], weights, list(m._values()))]
        assert list(m._values()) == values


def test_a_segment_copied_a_block_at_a_time_is_the_segment_whooshs_add_reader_writes(tmp_path, monkeypatch):
    """PostingWriter.add_reader, for every kind of field: no values, positions, frequencies, boosts."""
    from whoosh.writing import SegmentWriter

    from searcher.engines.local.postingwriter import PostingWriter

    docs = random_docs(500, seed=5)
    merged = {}
    for name in ("whoosh", "blocks"):
        ix = write_whoosh_index(tmp_path / name, VnCodec(), docs[:400])
        with ix.writer(codec=VnCodec()) as w:
            for key in ("d3", "d4", "d200", "d399"):
                w.delete_by_term("key", key)
        with monkeypatch.context() as m:
            if name == "whoosh":
                m.setattr(PostingWriter, "add_reader", SegmentWriter.add_reader)
            else:
                m.setattr(SegmentWriter, "add_reader", None)  # (not whoosh's, by way of super())
            writer = PostingWriter(ix, codec=VnCodec())
            for doc in docs[400:]:
                writer.add_document(**doc)
            writer.commit(optimize=True)  # the segment copied into the new one, without its deletions
        assert ix.reader().is_atomic() and ix.doc_count_all() == 496
        merged[name] = everything(ix)
    assert merged["blocks"] == merged["whoosh"]
    assert merged["blocks"]["boosted", b"a"][1][0][1] in (1.5, 3.0)
