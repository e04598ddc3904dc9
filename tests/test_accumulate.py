"""The accumulator must rank exactly as whoosh's own BM25F search would, only faster."""
import json
from pathlib import Path

import pytest

from searcher import Index, build_index
from searcher.engines.local import accumulate
from searcher.engines.local.accumulate import Accumulator, top

QUERIES = [json.loads(line)["query"] for line in (Path(__file__).parent / "bundled_queries.jsonl").open(encoding="utf-8")]


def whoosh_ranking(ix: Index, should, limit=10):
    from whoosh import query as wq

    q = wq.Or([wq.Term(f, t, boost=w) for f, t, w in should])
    return [(r.docnum, r.score) for r in ix.backend._searcher.search(q, limit=limit)]


def query_should(ix: Index, query: str):
    from searcher.query import parse_query, query_terms

    return query_terms(parse_query(query), ix.lexicon.get("words", {}), ix.weights, ix.abbreviations).should


def assert_same(ix: Index, query: str):
    should = query_should(ix, query) + [("refs", "19-CT/TW", 2.0)]
    expected = whoosh_ranking(ix, should)
    got = top(Accumulator(ix.backend._searcher, B=ix.weights.b, K1=ix.weights.k1).scores(should), 10)
    assert [d for d, _ in got] == [d for d, _ in expected], query
    assert [s for _, s in got] == pytest.approx([s for _, s in expected], rel=1e-5)


@pytest.mark.parametrize("query", QUERIES[:12])
def test_scores_and_order_match_whoosh(corpus_index, query):
    assert_same(corpus_index, query)


def test_the_public_matcher_api_gives_the_same_scores(corpus_index, monkeypatch):
    monkeypatch.setattr(accumulate, "_BLOCK_ATTRS", ("_no_such_attribute",))
    monkeypatch.setattr(accumulate, "_load_lengths", lambda *a: None)
    assert_same(corpus_index, "bảo hiểm xã hội tỉnh")


def updated_index(tmp_path, make_corpus, other: str):
    """An index of a.txt, b.txt (other) and enough other files that an update keeps its segment
    (engines.base.DELETED_SHARE), then of a.txt changed: its old passage is deleted but still there."""
    files = {"a.txt": "Tin A\n\nQuả thanh long đỏ được mùa.", "b.txt": f"Tin B\n\n{other}"}
    files.update({f"tin-{i}.txt": f"Tin {i}\n\nChợ phiên số {i} họp sáng chủ nhật." for i in range(12)})
    root = make_corpus(files)
    index_dir = tmp_path / "index"
    build_index([root], index_dir)
    (root / "a.txt").write_text("Tin A\n\nGiá sầu riêng tăng mạnh.", encoding="utf-8")
    build_index([root], index_dir)
    with Index.open(index_dir) as ix:
        searcher = ix.backend._searcher
        assert searcher.doc_count_all() > searcher.doc_count()  # the deleted passage is there
    return index_dir


def test_passages_of_changed_files_are_not_scored_after_an_update(tmp_path, make_corpus):
    with Index.open(updated_index(tmp_path, make_corpus, "Bảo hiểm y tế cho học sinh.")) as ix:
        assert ix.search("thanh long").hits == []
        assert [h.doc_id for h in ix.search("sầu riêng").hits] == ["a.txt"]
        assert_same(ix, "thanh long sầu riêng bảo hiểm")


def exhaustive_top(acc: Accumulator, should, limit):
    scores = acc.scores(should)
    return top(scores, limit), len(scores)


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_pruned_top_is_exactly_the_full_top(corpus_index, limit):
    acc = Accumulator(corpus_index.backend._searcher, B=corpus_index.weights.b, K1=corpus_index.weights.k1)
    for query in QUERIES:
        should = query_should(corpus_index, query)
        pruned, found = acc.top(should, limit)
        full, full_found = exhaustive_top(acc, should, limit)
        assert pruned == full, query
        assert found == full_found or found >= max(limit, 3)


def test_passages_that_cannot_reach_the_top_are_not_even_read(tmp_path, make_corpus):
    # One rare word and one in every passage: once the rare word's passages are scored,
    # no passage with only the common word can reach the top three.
    files = {f"tin-{i:03}.txt": f"Tin {i}\n\nNgười dân xã {i} tham gia bảo hiểm." for i in range(300)}
    for i in range(4):
        files[f"sau-rieng-{i}.txt"] = f"Sầu riêng\n\nNgười trồng sầu riêng ở ấp {i} được mùa."
    index_dir = tmp_path / "index"
    build_index([make_corpus(files)], index_dir)
    with Index.open(index_dir) as ix:
        acc = Accumulator(ix.backend._searcher, B=ix.weights.b, K1=ix.weights.k1)
        should = [("folded", "sau", 1.0), ("folded", "rieng", 1.0), ("folded", "nguoi", 1.0)]
        pruned, found = acc.top(should, 3)
        full, full_found = exhaustive_top(acc, should, 3)
        assert pruned == full
        assert {ix.backend._searcher.stored_fields(d)["doc_id"][:9] for d, _ in pruned} == {"sau-rieng"}
        assert full_found == 304 and found == 4


def test_top_within_a_set_ranks_only_that_set(corpus_index):
    acc = Accumulator(corpus_index.backend._searcher, B=corpus_index.weights.b, K1=corpus_index.weights.k1)
    should = query_should(corpus_index, "bảo hiểm xã hội Tết")
    everything = acc.scores(should)
    within = set(sorted(everything)[::3])  # every third matching passage, and one that does not match
    within.add(max(everything) + 1) if max(everything) + 1 < corpus_index.backend._searcher.doc_count_all() else None
    expected = top({d: s for d, s in everything.items() if d in within}, 5)
    assert acc.top(should, 5, within)[0] == expected
    assert acc.scores(should, within) == {d: s for d, s in everything.items() if d in within}
    assert acc.top(should, 5, set()) == ([], 0)


def whoosh_phrase_docs(ix: Index, words):
    from whoosh import query as wq

    q = wq.Phrase("folded", words) if len(words) > 1 else wq.Term("folded", words[0])
    return set(ix.backend._searcher.docs_for_query(q))


def corpus_phrases(ix: Index) -> list[list[str]]:
    """Every run of 1-3 folded syllables of some passages (pairs across punctuation too), and a
    few that repeat a word or that no passage has."""
    from searcher.analysis import syllables
    from searcher.normalize import fold

    out = [["bao", "bao"], ["xa", "hoi", "xa"], ["hoi", "bao"], ["khong", "co", "tu", "nay"]]
    for fields in list(ix.backend._searcher.reader().all_stored_fields())[:12]:
        folded = [fold(t.text) for t in syllables(fields["text"])][:40]
        out += [folded[i:i + n] for n in (1, 2, 3) for i in range(len(folded) - n + 1)]
    return out


def test_phrase_passages_are_whooshs_own(corpus_index):
    phrases = corpus_phrases(corpus_index)
    assert len(phrases) > 300
    assert sum(bool(whoosh_phrase_docs(corpus_index, p)) for p in phrases) > 300
    searcher = corpus_index.backend._searcher
    cached = Accumulator(searcher, B=0.75, K1=1.2)
    for p in phrases + phrases:  # the second round reads common words from the accumulator's cache
        expected = whoosh_phrase_docs(corpus_index, p)
        assert accumulate.phrase_docs(searcher, "folded", p, "bigrams") == expected, p
        assert accumulate.phrase_docs(searcher, "folded", p, "bigrams", blocks=cached._blocks) == expected, p
        assert accumulate.phrase_docs(searcher, "folded", p, "bigrams", blocks=cached._blocks, breaks_field="breaks") \
            == expected, p
    assert cached._cache


def test_a_phrase_across_punctuation_is_found_from_positions(make_index):
    # "xã hội, bảo hiểm": no pair hoi_bao is indexed, yet whoosh's phrase matches the passage.
    with Index.open(make_index({"a.txt": "Tin A\n\nAn sinh xã hội, bảo hiểm y tế."})) as ix:
        searcher = ix.backend._searcher
        assert ("bigrams", "hoi_bao") not in searcher.reader()
        assert accumulate.phrase_docs(searcher, "folded", ["hoi", "bao"], "bigrams") == {0}
        assert accumulate.phrase_docs(searcher, "folded", ["bao", "hoi"], "bigrams") == set()


def test_phrases_read_positions_only_where_the_ends_of_a_break_could_join_the_words(make_index, monkeypatch):
    index_dir = make_index({"a.txt": "Tin A\n\nAn sinh xã hội, bảo hiểm y tế.", "b.txt": "Tin B\n\nXã hội và bảo hiểm.",
                            "c.txt": "Tin C\n\nXã hội. Nông thôn, bảo hiểm."})
    with Index.open(index_dir) as ix:
        searcher = ix.backend._searcher
        docs = {f["doc_id"]: n for n, f in enumerate(searcher.reader().all_stored_fields())}
        a, b, c = docs["a.txt"], docs["b.txt"], docs["c.txt"]
        assert ("breaks", "hoi_") in searcher.reader() and ("breaks", "_bao") in searcher.reader()
        fields = {"pairs_field": "bigrams", "breaks_field": "breaks"}
        decoded = []  # (word, passage) whose positions were read
        original = accumulate._check_positions

        def check_positions(leaf, fieldname, words, check):
            decoded.extend((w, d) for w in set(words) for d in check)
            return original(leaf, fieldname, words, check)

        monkeypatch.setattr(accumulate, "_check_positions", check_positions)
        assert accumulate.phrase_docs(searcher, "folded", ["xa", "hoi"], **fields) == {a, b, c}
        assert accumulate.phrase_docs(searcher, "folded", ["hoi", "va"], **fields) == {b}
        assert accumulate.phrase_docs(searcher, "folded", ["bao", "hiem", "y"], **fields) == {a}
        assert len(decoded) == 3  # pairs alone, but for the three words of the one passage with both pairs
        decoded.clear()
        # a and c both have "hội" before a break and "bảo" after one; only in a is it the same break.
        assert accumulate.phrase_docs(searcher, "folded", ["hoi", "bao"], **fields) == {a}
        assert len(decoded) == 4
        assert accumulate.phrase_docs(searcher, "folded", ["xa", "hoi", "bao", "hiem"], **fields) == {a}
        assert accumulate.phrase_docs(searcher, "folded", ["hoi", "bao", "hoi"], **fields) == set()
        for words in (["xa", "hoi"], ["hoi", "bao"], ["thon", "bao", "hiem"], ["hoi", "nong"]):
            assert accumulate.phrase_docs(searcher, "folded", words, **fields) == whoosh_phrase_docs(ix, words)


def test_phrases_skip_deleted_passages_and_the_matcher_api_agrees(tmp_path, make_corpus, monkeypatch):
    with Index.open(updated_index(tmp_path, make_corpus, "Thanh long ruột đỏ.")) as ix:
        searcher = ix.backend._searcher
        expected = whoosh_phrase_docs(ix, ["thanh", "long"])
        assert len(expected) == 1
        assert accumulate.phrase_docs(searcher, "folded", ["thanh", "long"], "bigrams") == expected
        assert accumulate.phrase_docs(searcher, "folded", ["long", "do"]) == whoosh_phrase_docs(ix, ["long", "do"])
        monkeypatch.setattr(accumulate, "_BLOCK_ATTRS", ("_no_such_attribute",))
        assert accumulate.phrase_docs(searcher, "folded", ["thanh", "long", "do"]) == \
            whoosh_phrase_docs(ix, ["thanh", "long", "do"])


from hypothesis import given, strategies as st  # noqa: E402


@given(st.dictionaries(st.integers(0, 500), st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.25])), st.integers(1, 12))
def test_top_is_the_best_scores_with_ties_broken_by_docnum(scores, limit):
    import heapq

    assert top(scores, limit) == heapq.nsmallest(limit, scores.items(), key=lambda kv: (-kv[1], kv[0]))


def test_decoded_postings_kept_between_searches_give_the_same_top(corpus_index):
    searcher = corpus_index.backend._searcher
    cached = Accumulator(searcher, B=corpus_index.weights.b, K1=corpus_index.weights.k1)
    tight = Accumulator(searcher, B=corpus_index.weights.b, K1=corpus_index.weights.k1, cache_postings=40)
    plain = Accumulator(searcher, B=corpus_index.weights.b, K1=corpus_index.weights.k1, cache_postings=0)
    for query in QUERIES + QUERIES:  # the second round reads every common term from the cache
        should = query_should(corpus_index, query)
        expected = plain.top(should, 10)
        assert cached.top(should, 10) == expected, query
        assert tight.top(should, 10) == expected, query
        assert tight._cache_size <= 40
    assert cached._cache and cached._cache_size == sum(len(ids) for b in cached._cache.values() for _, ids, _ in b)
    assert not plain._cache
