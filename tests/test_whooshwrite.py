"""whoosh writes the same index with vnsearch's write settings, only faster."""
import random

import pytest
from whoosh import writing
from whoosh.filedb.filestore import FileStorage

from searcher.analysis import analyze
from searcher.engines.local.schema import build_schema
from searcher.engines.local.whooshwrite import CHUNK_ITEMS, ChunkedPostingPool, codec, fast_writes


def random_postings(n: int, seed: int = 3) -> list[tuple]:
    rng = random.Random(seed)
    fields = ["bigrams", "exact", "folded"]
    return [
        (rng.choice(fields), f"t{rng.randrange(500)}".encode(), d, float(rng.randrange(1, 4)),
         None if rng.random() < 0.5 else bytes([rng.randrange(256)]))
        for d in range(n)
    ]


def test_spilled_runs_come_back_as_whoosh_sorts_them(tmp_path):
    items = random_postings(3 * CHUNK_ITEMS + 17)
    storage = FileStorage(str(tmp_path)).create()
    pool = ChunkedPostingPool(storage, segment=None, limitmb=1)
    pool.limit = 40_000  # bytes: spill every few hundred postings
    for item in items:
        pool.add(item)
    assert len(pool.runs) > 5
    assert list(pool.items()) == sorted(items)
    assert [p for p in tmp_path.iterdir() if p.suffix == ".run"] == []  # runs removed once read


def test_a_run_of_several_chunks_reads_back_whole(tmp_path):
    items = sorted(random_postings(2 * CHUNK_ITEMS + 5, seed=9))
    storage = FileStorage(str(tmp_path)).create()
    pool = ChunkedPostingPool(storage, segment=None)
    name, f = pool._new_run()
    pool._write_run(f, iter(items))
    assert list(pool._read_run(name)) == items


def test_fast_writes_swaps_the_pool_only_inside_the_block():
    original = writing.PostingPool
    with pytest.raises(RuntimeError):
        with fast_writes():
            assert writing.PostingPool is ChunkedPostingPool
            raise RuntimeError("build failed")
    assert writing.PostingPool is original


PASSAGES = [
    "Chỉ thị số 19-CT/TW về tăng cường công tác bảo hiểm xã hội",
    "bảo hiểm y tế cho hộ cận nghèo, hộ nông nghiệp",
    "Tết Quý Mão 2023: không bắn pháo hoa tầm thấp",
    "Làng quất Đông Hòa chuẩn bị Tết",
] * 40


def write_index(folder, fast: bool, limitmb: int = 32):
    from whoosh import index

    folder.mkdir()
    ix = index.create_in(str(folder), build_schema())
    records = []
    for i, text in enumerate(PASSAGES):
        a = analyze(f"{text} {i}", segment=False)
        records.append(dict(doc_id=str(i), source="s", text=text, start=0, end=len(text), seq=i,
                            folded=a.folded, exact=a.exact, bigrams=a.bigrams))
    if fast:
        with fast_writes():
            writer = ix.writer(limitmb=limitmb, codec=codec())
            writer.pool.limit = 20_000  # force spills
            for r in records:
                writer.add_document(**r)
            writer.commit()
    else:
        writer = ix.writer()
        for r in records:
            writer.add_document(**r)
        writer.commit()
    return ix


def postings_of(ix) -> dict:
    out = {}
    with ix.reader() as reader:
        for fieldname, term in reader.all_terms():
            m = reader.postings(fieldname, term)
            out[fieldname, term] = list(m.items_as("positions") if fieldname == "folded" else m.all_items())
        lengths = [[reader.doc_field_length(d, f) for f in ("folded", "exact", "bigrams")]
                   for d in range(reader.doc_count_all())]
        stored = [reader.stored_fields(d) for d in range(reader.doc_count_all())]
    return {"postings": out, "lengths": lengths, "stored": stored}


def test_an_index_written_fast_holds_the_same_postings_lengths_and_text(tmp_path):
    fast = postings_of(write_index(tmp_path / "fast", fast=True))
    default = postings_of(write_index(tmp_path / "default", fast=False))
    assert fast["postings"] == default["postings"]
    assert fast["lengths"] == default["lengths"]
    assert fast["stored"] == default["stored"]
