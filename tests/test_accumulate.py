"""The accumulator must rank exactly as whoosh's own BM25F search would, only faster."""
import json
from pathlib import Path

import pytest

from searcher import Index, build_index
from searcher import accumulate
from searcher.accumulate import Accumulator, top

QUERIES = [json.loads(line)["query"] for line in (Path(__file__).parent / "bundled_queries.jsonl").open(encoding="utf-8")]


def whoosh_ranking(ix: Index, should, limit=10):
    from whoosh import query as wq

    q = wq.Or([wq.Term(f, t, boost=w) for f, t, w in should])
    return [(r.docnum, r.score) for r in ix._searcher.search(q, limit=limit)]


def query_should(ix: Index, query: str):
    from searcher.query import parse_query, query_terms

    return query_terms(parse_query(query), ix.lexicon.get("words", {}), ix.weights, ix.abbreviations).should


def assert_same(ix: Index, query: str):
    should = query_should(ix, query) + [("refs", "19-CT/TW", 2.0)]
    expected = whoosh_ranking(ix, should)
    got = top(Accumulator(ix._searcher, B=ix.weights.b, K1=ix.weights.k1).scores(should), 10)
    assert [d for d, _ in got] == [d for d, _ in expected], query
    assert [s for _, s in got] == pytest.approx([s for _, s in expected], rel=1e-5)


@pytest.mark.parametrize("query", QUERIES[:12])
def test_scores_and_order_match_whoosh(corpus_index, query):
    assert_same(corpus_index, query)


def test_the_public_matcher_api_gives_the_same_scores(corpus_index, monkeypatch):
    monkeypatch.setattr(accumulate, "_BLOCK_ATTRS", ("_no_such_attribute",))
    monkeypatch.setattr(accumulate, "_load_lengths", lambda *a: None)
    assert_same(corpus_index, "bảo hiểm xã hội tỉnh")


def test_passages_of_changed_files_are_not_scored_after_an_update(tmp_path, make_corpus):
    root = make_corpus({"a.txt": "Tin A\n\nQuả thanh long đỏ được mùa.", "b.txt": "Tin B\n\nBảo hiểm y tế cho học sinh."})
    index_dir = tmp_path / "index"
    build_index([root], index_dir)
    (root / "a.txt").write_text("Tin A\n\nGiá sầu riêng tăng mạnh.", encoding="utf-8")
    build_index([root], index_dir)  # the old passage of a.txt is now a deleted document
    with Index.open(index_dir) as ix:
        assert ix.search("thanh long").hits == []
        assert [h.doc_id for h in ix.search("sầu riêng").hits] == ["a.txt"]
        assert_same(ix, "thanh long sầu riêng bảo hiểm")
