"""The embedded index's writer: an update ranks as a fresh build of the same files would."""
import pytest

from searcher import Index, build_index
from searcher.engines import base

NEWS = {f"tin-{i}.txt": f"Tin {i}\n\nBảo hiểm xã hội huyện số {i} chi trả lương hưu cho {i + 3} người." for i in range(8)}
QUERIES = ["bảo hiểm xã hội", "lương hưu huyện", "bao hiem y te hoc sinh"]


def ranking(index_dir):
    with Index.open(index_dir) as ix:
        searcher = ix.backend._searcher
        deleted = searcher.doc_count_all() - searcher.doc_count()
        return deleted, {q: [(h.doc_id, h.score) for h in ix.search(q, limit=20).hits] for q in QUERIES}


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
        # (Not to the last digit: whoosh keeps a passage's length in one byte, and a rewritten
        # segment's average length is summed from those; 0.5-0.7% here.)
        assert [s for _, s in updated[query]] == pytest.approx([s for _, s in fresh[query]], rel=0.01)


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
