"""The embedded index's writer: an update ranks as a fresh build of the same files would."""
import random

import pytest

from searcher import Index, build_index
from searcher.engines import base

NEWS = {f"tin-{i}.txt": f"Tin {i}\n\nBảo hiểm xã hội huyện số {i} chi trả lương hưu cho {i + 3} người." for i in range(8)}
QUERIES = ["bảo hiểm xã hội", "lương hưu huyện", "bao hiem y te hoc sinh"]


def ranking(index_dir, queries=QUERIES):
    with Index.open(index_dir) as ix:
        searcher = ix.backend._searcher
        deleted = searcher.doc_count_all() - searcher.doc_count()
        return deleted, {q: [(h.doc_id, h.score) for h in ix.search(q, limit=20).hits] for q in queries}


def update(tmp_path, make_corpus, changed: int):
    root = make_corpus(NEWS)
    build_index([root], tmp_path / "updated")
    for i in range(changed):
        (root / f"tin-{i}.txt").write_text(f"Tin {i}\n\nBảo hiểm y tế cho học sinh trường số {i}.", encoding="utf-8")
    build_index([root], tmp_path / "updated")
    build_index([root], tmp_path / "fresh")
    return ranking(tmp_path / "updated"), ranking(tmp_path / "fresh")


def test_an_update_that_changes_a_large_share_ranks_as_a_fresh_build(tmp_path, make_corpus):
    (deleted, updated), (_, fresh) = update(tmp_path, make_corpus, changed=2)  # 2 of 8 files
    assert deleted == 0  # the worn segment was rewritten without its deleted passages
    for query in QUERIES:
        assert [d for d, _ in updated[query]] == [d for d, _ in fresh[query]]
        # (to the last digit: the rewritten segment's total lengths are summed from its postings)
        assert updated[query] == fresh[query]


def test_without_the_rewrite_deleted_passages_skew_the_scores(tmp_path, make_corpus, monkeypatch):
    # What the test above guards against: the deleted passages still count in BM25's statistics.
    monkeypatch.setattr(base, "DELETED_SHARE", 1.0)
    (deleted, updated), (_, fresh) = update(tmp_path, make_corpus, changed=2)
    assert deleted == 2
    for query in QUERIES:  # 20-60% apart here
        assert [s for _, s in updated[query]] != pytest.approx([s for _, s in fresh[query]], rel=0.1)


def test_an_update_that_changes_a_small_share_keeps_the_segment(tmp_path, make_corpus):
    (deleted, _), _ = update(tmp_path, make_corpus, changed=0)
    assert deleted == 0
    root = make_corpus({**NEWS, **{f"them-{i}.txt": f"Tin thêm {i}\n\nChợ phiên họp sáng chủ nhật số {i}." for i in range(8)}})
    build_index([root], tmp_path / "big")
    (root / "tin-0.txt").write_text("Tin 0\n\nBảo hiểm y tế cho học sinh.", encoding="utf-8")  # 1 of 16
    build_index([root], tmp_path / "big")
    assert ranking(tmp_path / "big")[0] == 1  # kept until more of it is deleted


# --- a worn segment rewritten in bulk (postingwriter.PostingWriter.add_reader) ---------------------

SYLLABLES = ("bảo hiểm xã hội huyện chi trả lương hưu người tế học sinh trường thuế đất nhà nước luật "
             "điều khoản quy định").split()


def generated(count: int, seed: int) -> dict:
    """count files of one to three passages drawn from a few syllables: the commonest terms are
    in hundreds of passages (lists of several blocks), and most passages repeat some."""
    rnd = random.Random(seed)
    return {
        f"van-{i:03}.txt": f"Văn bản {i}\n\n" + "\n\n".join(
            " ".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(4, 40))) + "."
            for _ in range(rnd.randint(1, 3)))
        for i in range(count)
    }


def change_every_fourth(root, files: dict) -> None:
    rnd = random.Random(7)
    for name in sorted(files)[::4]:
        (root / name).write_text(f"Tin mới\n\n{' '.join(rnd.choice(SYLLABLES) for _ in range(30))}.", encoding="utf-8")


def contents(index_dir) -> dict:
    """What the current generation holds, by passage number: every term's statistics and
    postings (id, weight, value), the passages' lengths, the fields' total lengths, stored fields."""
    from whoosh.filedb.filestore import FileStorage

    from searcher.engines.local import storage

    ix = FileStorage(str(storage.current_generation(index_dir)), readonly=True).open_index()
    with ix.reader() as reader:
        terms = {}
        for fieldname, term in reader.all_terms():
            info = reader.term_info(fieldname, term)
            matcher = reader.postings(fieldname, term)
            postings = []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            terms[fieldname, term] = (info.doc_frequency(), info.weight(), info.max_weight(), info.min_id(),
                                      info.max_id(), postings)
        scorable = sorted(reader.schema.scorable_names())
        return {
            "passages": (reader.doc_count_all(), reader.doc_count()),
            "terms": terms,
            "lengths": [[reader.doc_field_length(d, f) for f in scorable] for d in range(reader.doc_count_all())],
            "field_lengths": {f: reader.field_length(f) for f in scorable},
            "stored": [reader.stored_fields(d) for d in range(reader.doc_count_all())],
        }


def by_passage(index: dict) -> dict:
    """contents() with passages named by (document, passage number) instead of their place."""
    key = [(s["doc_id"], s["seq"]) for s in index["stored"]]
    return {
        "terms": {t: (df, sorted((key[d], w, v) for d, w, v in postings))
                  for t, (df, _, _, _, _, postings) in index["terms"].items()},
        "lengths": dict(zip(key, index["lengths"])),
        "stored": {k: s for k, s in zip(key, index["stored"])},
    }


def whooshs_copy_fails(*args):
    raise AssertionError("whoosh's per-posting add_reader was used")


@pytest.fixture
def worn(tmp_path, make_corpus):
    """An index of generated files, a quarter of them changed since: the next build rewrites its segment."""
    files = generated(300, seed=1)
    root = make_corpus(files)
    build_index([root], tmp_path / "before")
    change_every_fourth(root, files)
    return root, tmp_path / "before"


@pytest.mark.parametrize("pool_bytes", [None, 20_000])
def test_a_worn_segment_is_rewritten_as_whooshs_add_reader_rewrites_it(tmp_path, worn, monkeypatch, pool_bytes):
    import shutil

    from whoosh.writing import SegmentWriter

    from searcher.engines.local.postingwriter import PostingWriter, TermPool

    root, before = worn
    for name in ("whoosh", "bulk"):
        shutil.copytree(before, tmp_path / name)
    with monkeypatch.context() as m:
        m.setattr(PostingWriter, "add_reader", SegmentWriter.add_reader)
        build_index([root], tmp_path / "whoosh")
    copied, spills = [], []
    add_reader, spill = PostingWriter.add_reader, TermPool.spill

    def counting_add_reader(writer, reader):
        copied.append((reader.doc_count_all(), reader.doc_count()))
        add_reader(writer, reader)

    def counting_spill(pool):
        spills.append(len(copied))
        spill(pool)

    monkeypatch.setattr(SegmentWriter, "add_reader", whooshs_copy_fails)
    monkeypatch.setattr(PostingWriter, "add_reader", counting_add_reader)
    monkeypatch.setattr(TermPool, "spill", counting_spill)
    if pool_bytes:  # the pool goes to disk in runs while the segment is copied
        monkeypatch.setattr(TermPool, "check_size", lambda pool: pool.size > pool_bytes and pool.spill())
    build_index([root], tmp_path / "bulk")
    ours, theirs = contents(tmp_path / "bulk"), contents(tmp_path / "whoosh")
    assert copied == [(338, 256)]  # the segment, 82 of its passages deleted
    assert (spills.count(1) > 5) if pool_bytes else spills == []
    assert ours["passages"] == (331, 331)  # and 75 new ones, of the files changed
    assert ours["terms"].keys() == theirs["terms"].keys()
    for term, stats in ours["terms"].items():  # (term by term, for a readable failure)
        assert stats == theirs["terms"][term], term
    # All but the fields' total lengths, which whoosh sums from the passages' one-byte lengths
    # (rounded past 10 terms), and the copy from the postings' weights, as a fresh build does
    assert ours["field_lengths"]["folded"] < theirs["field_lengths"]["folded"]
    del ours["field_lengths"], theirs["field_lengths"]
    assert ours == theirs
    # What the corpus exercises: lists of several blocks, passages holding a term more than once
    folded = [postings for (field, _), (*_, postings) in ours["terms"].items() if field == "folded"]
    assert max(map(len, folded)) > 2 * 128
    assert max(w for postings in folded for _, w, _ in postings) > 3
    for queries in (QUERIES, ["quy định luật thuế đất", '"lương hưu"', "hoc sinh truong"]):
        deleted, scores = ranking(tmp_path / "bulk", queries)
        assert deleted == 0 and all(scores.values())
        assert scores != ranking(tmp_path / "whoosh", queries)[1]  # (a fresh build's: see below)


def test_an_update_that_rewrites_the_segment_holds_what_a_fresh_build_holds(tmp_path, worn):
    import shutil

    root, before = worn
    shutil.copytree(before, tmp_path / "updated")
    build_index([root], tmp_path / "updated")
    build_index([root], tmp_path / "fresh")
    updated, fresh = contents(tmp_path / "updated"), contents(tmp_path / "fresh")
    assert updated["passages"] == fresh["passages"] == (331, 331)
    assert by_passage(updated) == by_passage(fresh)  # passages, terms, frequencies, postings, lengths
    assert {t: stats[0] for t, stats in updated["terms"].items()} == {t: stats[0] for t, stats in fresh["terms"].items()}
    assert updated["field_lengths"] == fresh["field_lengths"]
    queries = QUERIES + ["quy định luật thuế đất", '"lương hưu"', "hoc sinh truong", "nhà nước điều khoản"]
    assert ranking(tmp_path / "updated", queries) == ranking(tmp_path / "fresh", queries)  # to the last digit


def test_a_rewrite_that_fails_midway_leaves_the_previous_index_searchable(tmp_path, worn, monkeypatch):
    from searcher.engines.local.postingwriter import TermPool

    root, index_dir = worn
    before = ranking(index_dir)
    generation = sorted(p.name for p in index_dir.iterdir())
    add_block = TermPool.add_block
    blocks = []

    def failing(pool, *args):
        blocks.append(args[1])
        if len(blocks) == 500:
            raise OSError(28, "No space left on device")
        add_block(pool, *args)

    monkeypatch.setattr(TermPool, "add_block", failing)
    monkeypatch.setattr(TermPool, "check_size", lambda pool: pool.spill())  # run files to clean up too
    with pytest.raises(OSError):
        build_index([root], index_dir)
    assert len(blocks) == 500  # (midway: the segment has more)
    assert sorted(p.name for p in index_dir.iterdir()) == generation  # no new generation, no run files
    assert ranking(index_dir) == before
    monkeypatch.undo()
    build_index([root], index_dir)
    assert ranking(index_dir)[0] == 0 and ranking(index_dir) != before
