"""Cluster index URLs: the index name, credentials, TLS settings, and passwords never shown."""
import pytest

from searcher.engines.opensearch.connection import (
    ClusterError, is_cluster_location, parse_location, redact,
)
from searcher.engines.opensearch.mapping import index_body, score_scale, similarity_type
from searcher.engines.opensearch.translate import cap_terms, to_query


def test_last_path_segment_is_the_index_name():
    loc = parse_location("http://localhost:9200/tin-tuc", environ={})
    assert (loc.scheme, loc.host, loc.port, loc.name) == ("http", "localhost", 9200, "tin-tuc")
    assert loc.base_url == "http://localhost:9200"


def test_default_ports_and_ipv6():
    assert parse_location("https://search.example/docs", environ={}).port == 443
    assert parse_location("http://search.example/docs", environ={}).port == 9200
    loc = parse_location("http://[::1]:9201/docs", environ={})
    assert (loc.host, loc.port, loc.base_url) == ("::1", 9201, "http://[::1]:9201")


def test_credentials_from_url_win_over_environment():
    env = {"VNSEARCH_OPENSEARCH_USER": "env-user", "VNSEARCH_OPENSEARCH_PASSWORD": "env-pass"}
    loc = parse_location("https://alice:s%40cret@h:9200/docs", environ=env)
    assert (loc.username, loc.password) == ("alice", "s@cret")
    loc = parse_location("https://h:9200/docs", environ=env)
    assert (loc.username, loc.password) == ("env-user", "env-pass")


def test_the_password_is_never_in_the_shown_url():
    loc = parse_location("https://alice:s%40cret@h:9200/docs", environ={})
    assert str(loc) == "https://alice:***@h:9200/docs"
    assert "cret" not in str(loc)
    loc = parse_location("https://h:9200/docs", environ={"VNSEARCH_OPENSEARCH_USER": "bob",
                                                         "VNSEARCH_OPENSEARCH_PASSWORD": "pw"})
    assert str(loc) == "https://bob:***@h:9200/docs"


def test_redact_hides_url_passwords_and_named_secrets():
    assert redact("cannot reach https://alice:pw1@h:9200/x") == "cannot reach https://alice:***@h:9200/x"
    assert redact("bad https://admin:ab/c+d@h:9200/x here") == "bad https://admin:***@h:9200/x here"
    assert redact("token pw1 leaked", "pw1") == "token *** leaked"


@pytest.mark.parametrize("url, says", [
    ("http://localhost:9200", "names no index"),
    ("http://localhost:9200/", "names no index"),
    ("http://localhost:9200/a/b", "only path segment"),
    ("http://localhost:9200/Tin Tuc", "not a valid OpenSearch index name"),
    ("http://localhost:9200/_all", "not a valid OpenSearch index name"),
    ("http://localhost:99999/docs", "not a valid cluster URL"),
    ("http://u:secret@localhost:9200/docs?x=1", "no ?query"),
    ("https://admin:sec/ret@localhost:9200/docs", "not a valid cluster URL"),
])
def test_malformed_urls_are_one_line_errors_without_the_password(url, says):
    with pytest.raises(ClusterError) as e:
        parse_location(url, environ={})
    assert says in str(e.value)
    assert "secret" not in str(e.value)


def test_missing_ca_bundle_is_an_error(tmp_path):
    with pytest.raises(ClusterError, match="does not exist"):
        parse_location("https://h/docs", ca_bundle=str(tmp_path / "none.pem"), environ={})


def test_cluster_locations_are_urls_only():
    assert is_cluster_location("http://h:9200/x") and is_cluster_location("HTTPS://h/x")
    assert not is_cluster_location("index") and not is_cluster_location("/srv/http:/x")


def test_plan_becomes_term_queries_with_boosts():
    q = to_query([("folded", "bao", 1.0), ("bigrams", "bao_hiem", 0.5), ("refs", "19-CT/TW", 8.0)],
                 phrases=[["bao", "hiem"]], excluded=[["tet"]], topic="insurance")["bool"]
    assert q["should"] == [
        {"term": {"folded": {"value": "bao", "boost": 1.0}}},
        {"term": {"bigrams": {"value": "bao_hiem", "boost": 0.5}}},
        {"constant_score": {"filter": {"term": {"refs": "19-CT/TW"}}, "boost": 8.0}},
    ]
    assert q["minimum_should_match"] == 1
    assert q["filter"] == [
        {"span_near": {"clauses": [{"span_term": {"folded": "bao"}}, {"span_term": {"folded": "hiem"}}],
                       "slop": 0, "in_order": True}},
        {"term": {"topics": "insurance"}},
    ]
    assert q["must_not"] == [{"term": {"folded": "tet"}}]


def test_a_scale_multiplies_the_boosts_of_bm25_terms_only():
    q = to_query([("folded", "bao", 1.0), ("bigrams", "bao_hiem", 0.5), ("refs", "19-CT/TW", 8.0)], scale=2.2)["bool"]
    assert q["should"] == [
        {"term": {"folded": {"value": "bao", "boost": 2.2}}},
        {"term": {"bigrams": {"value": "bao_hiem", "boost": 1.1}}},
        {"constant_score": {"filter": {"term": {"refs": "19-CT/TW"}}, "boost": 8.0}},
    ]


def test_builds_made_on_opensearch_2_get_back_the_k1_plus_1_factor_on_3():
    # 2.x's "BM25" is Robertson's form with (k1 + 1); 3.x calls that "LegacyBM25", and its "BM25"
    # (what a build made on 2.x still asks for after an upgrade) drops the factor.
    assert [similarity_type(v) for v in ("2.19.6", "3.0.0", "3.8.0")] == ["BM25", "LegacyBM25", "LegacyBM25"]
    built_on_2 = {"type": "BM25", "k1": "1.2", "b": "0.75"}
    assert score_scale(built_on_2, "2.19.6") == 1.0
    assert score_scale(built_on_2, "3.8.0") == pytest.approx(2.2)
    assert score_scale({**built_on_2, "k1": "0.9"}, "3.0.0") == pytest.approx(1.9)
    assert score_scale({"type": "LegacyBM25", "k1": "1.2", "b": "0.75"}, "3.8.0") == 1.0
    body = index_body("docs", "b1", 1.2, 0.75, "3.8.0")
    assert body["settings"]["index"]["similarity"] == {"vnsearch_bm25": {"type": "LegacyBM25", "k1": 1.2, "b": 0.75}}


def test_long_plans_keep_the_terms_that_weigh_most():
    should = [("folded", f"t{i}", 1.0) for i in range(10)]
    idf = {("folded", f"t{i}"): float(i) for i in range(10)}
    assert cap_terms(should, idf, 3) == [("folded", "t7", 1.0), ("folded", "t8", 1.0), ("folded", "t9", 1.0)]
    assert cap_terms(should, idf, 10) == should


def test_a_reader_shared_by_threads_keeps_each_threads_hits_for_its_stored_reads():
    # Thread one ranks, thread two ranks, thread one reads its hits: they come with its own
    # search, not one GET each (the hits of the last rank() were once shared by every thread).
    import threading

    from searcher.engines.opensearch.reader import OpenSearchReader
    from searcher.query import QueryTerms

    class Client:
        def __init__(self):
            self.searches, self.gets = 0, []

        def search(self, index, body, **options):
            self.searches += 1
            hit = {"_id": f"p{self.searches}", "_score": 1.0, "_source": {"doc_id": f"d{self.searches}", "text": "x"}}
            return {"hits": {"hits": [hit], "total": {"value": 1}}}

        def get(self, index, id, **options):
            self.gets.append(id)
            return {"_source": {"doc_id": "fetched", "text": "x"}}

    reader = OpenSearchReader.__new__(OpenSearchReader)
    reader.cluster, reader.index, reader.client = "http://127.0.0.1:9200/t", "t", Client()
    reader.max_clauses, reader.scale = 1024, 1.0
    reader._hits = threading.local()
    terms = QueryTerms(should=[("folded", "tet", 1.0)])
    first_ranked, second_ranked = threading.Event(), threading.Event()
    seen = {}

    def one():
        [(key, _)], _ = reader.rank(terms, None, 10)
        first_ranked.set()
        second_ranked.wait(10)
        seen["one"] = reader.stored(key)["doc_id"]

    def two():
        first_ranked.wait(10)
        [(key, _)], _ = reader.rank(terms, None, 10)
        seen["two"] = reader.stored(key)["doc_id"]
        second_ranked.set()

    threads = [threading.Thread(target=one), threading.Thread(target=two)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert seen == {"one": "d1", "two": "d2"} and reader.client.gets == []
    assert reader.stored("p9")["doc_id"] == "fetched" and reader.client.gets == ["p9"]  # (not among its hits)
