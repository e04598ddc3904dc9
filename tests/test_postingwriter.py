"""A build's segment written from postings gathered per term is whoosh's segment, bit for bit in what it reads."""
from __future__ import annotations

import pytest
from whoosh import index

from searcher import Index, build_index
from searcher.corpus import Document, bundled_corpus
from searcher.engines.local import postingwriter
from searcher.engines.local.postingwriter import PostingWriter, TermPool
from searcher.engines.local.schema import build_schema
from searcher.engines.local.whooshwrite import codec
from searcher.indexer import analyze_document


CIRCULAR = """BỘ TÀI CHÍNH
Số: 12/2023/TT-BTC
Hà Nội, ngày 3 tháng 4 năm 2023

THÔNG TƯ
Hướng dẫn thuế giá trị gia tăng

Điều 1. Phạm vi điều chỉnh
Thông tư này hướng dẫn Luật Thuế giá trị gia tăng số 13/2008/QH12 và Nghị định số 209/2013/NĐ-CP.
Bảo hiểm xã hội (BHXH) được tính như sau.
"""


@pytest.fixture(scope="module")
def records() -> list[dict]:
    """The bundled corpus's passages and a circular's, as indexing hands them to the writer."""
    out = analyze_document(Document(doc_id="tt", title="Thông tư", path="tt.txt", text=CIRCULAR))
    for path in sorted(bundled_corpus().glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out += analyze_document(Document(doc_id=path.stem, title=path.stem, path=str(path), text=text))
    return out


def write(folder, records, writer_class, pool_bytes=None, with_codec=codec):
    folder.mkdir()
    ix = index.create_in(str(folder), build_schema())
    writer = writer_class(ix, codec=with_codec())
    if pool_bytes:
        writer.pool.limit = pool_bytes
    for record in records:
        writer.add_document(**record)
    writer.commit()
    return ix


def contents(ix) -> dict:
    """Everything a search can read of an index: postings, statistics, lengths, stored fields."""
    with ix.reader() as reader:
        postings, stats = {}, {}
        for fieldname, term in reader.all_terms():
            matcher = reader.postings(fieldname, term)
            kind = "positions" if fieldname == "folded" else None
            postings[fieldname, term] = list(matcher.items_as(kind) if kind else matcher.all_items())
            info = reader.term_info(fieldname, term)
            stats[fieldname, term] = (info.doc_frequency(), info.weight(), info.max_weight(), info.min_id(),
                                      info.max_id(), info.min_length(), info.max_length())
        scorable = sorted(reader.schema.scorable_names())
        return {
            "postings": postings,
            "stats": stats,
            "lengths": [[reader.doc_field_length(d, f) for f in scorable] for d in range(reader.doc_count_all())],
            "field_lengths": [reader.field_length(f) for f in scorable],
            "stored": [reader.stored_fields(d) for d in range(reader.doc_count_all())],
        }


def whoosh_writer(ix, **kwargs):
    return ix.writer(**kwargs)


def whoosh_codec():
    from whoosh.codec.whoosh3 import W3Codec

    return W3Codec()  # with the shortest and longest passage of every block


@pytest.mark.parametrize("with_codec", [codec, whoosh_codec])
def test_the_segment_holds_what_whooshs_own_writer_writes(tmp_path, records, with_codec):
    ours = contents(write(tmp_path / "ours", records, PostingWriter, with_codec=with_codec))
    theirs = contents(write(tmp_path / "whoosh", records, whoosh_writer, with_codec=with_codec))
    assert len(ours["stored"]) == len(records) > 30
    assert {f for f, _ in ours["postings"]} == {"abbrevs", "bigrams", "breaks", "date", "doc_id", "doc_issuer",
                                                 "doc_number", "doc_type", "exact", "folded", "refs", "source",
                                                 "title_terms", "topics", "wordforms", "words"}
    assert ours == theirs
    lengths = {stats[5:] for stats in ours["stats"].values()}  # each list's shortest and longest passage
    assert lengths == {(0, 0)} if with_codec is codec else len(lengths) > 100


def test_a_build_beyond_the_memory_bound_spills_and_writes_the_same_segment(tmp_path, records, monkeypatch):
    spilled = []
    spill = TermPool.spill

    def counting_spill(pool):
        spilled.append(sum(len(terms) for terms in pool.fields.values()))
        spill(pool)

    monkeypatch.setattr(TermPool, "spill", counting_spill)
    monkeypatch.setattr(postingwriter, "RUN_CHUNK_SLOTS", 64)  # runs of many chunks
    small = write(tmp_path / "small", records, PostingWriter, pool_bytes=200_000)
    assert len(spilled) >= 3 and all(spilled)  # several runs, merged when the segment is written
    assert [p.name for p in (tmp_path / "small").iterdir() if p.name.endswith(".terms")] == []
    spilled.clear()
    large = write(tmp_path / "large", records, PostingWriter)
    assert spilled == []
    assert contents(small) == contents(large)


def pool_of_two_runs(folder) -> TermPool:
    from whoosh.filedb.filestore import FileStorage

    pool = TermPool(FileStorage(str(folder)).create(), limitmb=1)
    for docnum in range(6):
        pool.add(("exact", b"thue", docnum, 1.0, b""))
        pool.add(("exact", b"dat" if docnum % 2 else b"nha", docnum, 2.0, b"\x02"))
        if docnum in (1, 3):
            pool.spill()
    return pool


def test_a_term_in_several_runs_keeps_its_postings_in_passage_order(tmp_path):
    pool = pool_of_two_runs(tmp_path / "a")
    assert len(pool.runs) == 2
    assert [(f, term, [p for piece in pieces for p in piece]) for f, term, pieces in pool.postings()] == [
        ("exact", b"dat", [1, 2.0, b"\x02", 3, 2.0, b"\x02", 5, 2.0, b"\x02"]),
        ("exact", b"nha", [0, 2.0, b"\x02", 2, 2.0, b"\x02", 4, 2.0, b"\x02"]),
        ("exact", b"thue", [0, 1.0, b"", 1, 1.0, b"", 2, 1.0, b"", 3, 1.0, b"", 4, 1.0, b"", 5, 1.0, b""]),
    ]
    assert list((tmp_path / "a").glob("*.terms")) == []  # runs removed once read
    # Each run's postings of a term go to the codec as they are, never joined in one list.
    pool = pool_of_two_runs(tmp_path / "b")
    sizes = {term: [len(piece) // 3 for piece in pieces] for _, term, pieces in pool.postings()}
    assert sizes == {b"dat": [1, 1, 1], b"nha": [1, 1, 1], b"thue": [2, 2, 2]}


def test_an_update_deletes_and_adds_like_whooshs_writer(tmp_path, records):
    first, second = records[: len(records) // 2], records[len(records) // 2:]
    indexes = {}
    for name, writer_class in (("ours", PostingWriter), ("whoosh", whoosh_writer)):
        ix = write(tmp_path / name, first, writer_class)
        writer = writer_class(ix, codec=codec())
        writer.delete_by_term("source", first[0]["source"])
        for record in second:
            writer.add_document(**record)
        writer.commit()
        updated = contents(index.open_dir(str(tmp_path / name)))
        writer = writer_class(index.open_dir(str(tmp_path / name)), codec=codec())
        writer.commit(optimize=True)  # every segment merged into the new one, through the pool
        indexes[name] = updated, contents(index.open_dir(str(tmp_path / name)))
    updated, merged = indexes["ours"]
    # The fields' total lengths of the merged segment are summed from its postings, as a fresh
    # build's are (whoosh sums the passages' one-byte lengths, rounded past 10 terms).
    live = [r for r in records if r["source"] != first[0]["source"]]
    assert merged["field_lengths"] == contents(write(tmp_path / "fresh", live, PostingWriter))["field_lengths"]
    assert merged["field_lengths"] != indexes["whoosh"][1]["field_lengths"]
    for index_ in (merged, indexes["whoosh"][1]):
        del index_["field_lengths"]
    assert indexes["ours"] == indexes["whoosh"]
    deleted = sum(1 for r in first if r["source"] == first[0]["source"])
    assert len(updated["stored"]) == len(records)  # deleted passages stay until a merge
    assert len(merged["stored"]) == len(records) - deleted > 0


def test_an_index_built_at_once_answers_as_one_built_file_by_file(tmp_path):
    import shutil

    docs = tmp_path / "docs"
    shutil.copytree(bundled_corpus(), docs)
    build_index([docs], tmp_path / "once")
    names = sorted(p.name for p in docs.iterdir())
    step = tmp_path / "step"
    for i in range(1, len(names) + 1):  # one more file per run: an incremental update each time
        part = tmp_path / "part"
        shutil.rmtree(part, ignore_errors=True)
        part.mkdir()
        for name in names[:i]:
            shutil.copy(docs / name, part / name)
        build_index([part], step)
    with Index.open(tmp_path / "once") as once, Index.open(step) as stepwise:
        for query in ("tết", "bảo hiểm xã hội", "pháo hoa", "dong khoi"):
            a = [(h.doc_id, h.seq, round(h.score, 5)) for h in once.search(query, limit=10).hits]
            b = [(h.doc_id, h.seq, round(h.score, 5)) for h in stepwise.search(query, limit=10).hits]
            assert a == b and a, query


def test_a_long_list_goes_to_the_codec_in_slices_and_many_runs_merge_in_passes(tmp_path, records, monkeypatch):
    # Memory and open files at commit stay bounded: a run holds a long list in slices of
    # SLICE_SLOTS items, a term's slices are read as the codec takes them (never the whole list
    # at once), and more than MAX_OPEN_RUNS runs are first merged into fewer.
    monkeypatch.setattr(postingwriter, "SLICE_SLOTS", 6)  # two postings
    monkeypatch.setattr(postingwriter, "MAX_OPEN_RUNS", 2)
    spills, writes, widths = [], [], []
    spill, write_run, merged = TermPool.spill, TermPool._write_run, TermPool._merged
    monkeypatch.setattr(TermPool, "spill", lambda pool: spills.append(1) or spill(pool))
    monkeypatch.setattr(TermPool, "_write_run", lambda pool, entries: writes.append(1) or write_run(pool, entries))
    monkeypatch.setattr(TermPool, "_merged", lambda pool, names, held=False: widths.append(len(names)) or
                        merged(pool, names, held))
    small = write(tmp_path / "small", records, PostingWriter, pool_bytes=100_000)
    assert len(spills) >= 5 and len(writes) > len(spills)  # runs spilled, then merged in passes
    assert max(widths) == 2  # never more runs read at once
    assert [p.name for p in (tmp_path / "small").iterdir() if p.name.endswith(".terms")] == []
    monkeypatch.undo()
    assert contents(small) == contents(write(tmp_path / "large", records, PostingWriter))


def test_a_term_longer_than_a_slice_comes_as_an_iterator_of_its_slices(tmp_path, monkeypatch):
    monkeypatch.setattr(postingwriter, "SLICE_SLOTS", 6)  # two postings
    pool = pool_of_two_runs(tmp_path)
    pool.add(("exact", b"xa", 5, 1.0, b""))  # one posting, held: a short list
    out = []
    for _, term, pieces in pool.postings():
        out.append((term, type(pieces) is list, [len(piece) // 3 for piece in pieces]))
    assert out == [(b"dat", False, [1, 1, 1]), (b"nha", False, [1, 1, 1]), (b"thue", False, [2, 2, 2]),
                   (b"xa", True, [1])]


def test_a_commit_that_fails_leaves_no_generation_and_no_run_files(tmp_path, monkeypatch):
    import errno

    from searcher import build_index

    postings = TermPool.postings

    def failing(pool):
        for i, item in enumerate(postings(pool)):
            if i == 50:
                raise OSError(errno.EMFILE, "Too many open files")
            yield item

    monkeypatch.setattr(TermPool, "postings", failing)
    monkeypatch.setattr(TermPool, "check_size", lambda pool: pool.spill())  # a run per passage
    with pytest.raises(OSError):
        build_index([bundled_corpus()], tmp_path / "ix")
    assert sorted(p.name for p in (tmp_path / "ix").iterdir()) == [".lock"]
