"""The OpenSearch engine on a real 3-node cluster: the local engine's answers, and safe publishing.

The cluster comes from scripts/opensearch-cluster (tests/opensearch_fixtures.py): 3 nodes on
loopback; indexes get 3 primary shards and 1 replica. Without Java and Maven these tests skip,
except under CI=true, where they fail.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from searcher import Index, build_index
from searcher.errors import VnsearchError
from searcher.query import QueryTerms

import docmeta_fixtures
from conftest import CORPUS

LABELLED = [json.loads(line) for line in (Path(__file__).parent / "bundled_queries.jsonl").open(encoding="utf-8")]


def vnsearch(*args, env=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "searcher", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)


def physical_indices(cluster, alias):
    status, answer = cluster.request("GET", f"/_cat/indices/{alias}-gen-*?format=json")
    return sorted(i["index"] for i in answer) if status == 200 else []


def alias_target(cluster, alias):
    status, answer = cluster.request("GET", f"/_alias/{alias}")
    return sorted(answer) if status == 200 else []


@pytest.fixture(scope="module")
def bundled_url(opensearch_cluster):
    url = f"{opensearch_cluster.url}/bundled"
    build_index([CORPUS], url, shards=3, replicas=1)
    return url


@pytest.fixture(scope="module")
def remote(bundled_url):
    with Index.open(bundled_url) as ix:
        yield ix


def test_the_cluster_index_has_three_shards_and_a_replica(remote, opensearch_cluster):
    stats = remote.stats()
    assert (stats["shards"], stats["replicas"], stats["nodes"]) == (3, 1, 3)
    assert stats["passages"] == 38 and stats["documents"] == 2


def test_same_top_passage_as_the_local_engine_on_every_labelled_query(remote, corpus_index):
    for case in LABELLED:
        here = corpus_index.search(case["query"], limit=10).hits
        there = remote.search(case["query"], limit=10).hits
        assert (there[0].doc_id, there[0].start) == (here[0].doc_id, here[0].start), case["query"]
        # Lucene encodes lengths in a byte of its own and counts N and the mean length per field
        # over the passages having it: scores agree to a few percent, the order holds.
        assert there[0].score == pytest.approx(here[0].score, rel=0.05)
        assert there[0].snippet.text == here[0].snippet.text


def test_a_build_made_on_opensearch_2_scores_the_same_once_the_cluster_runs_3(opensearch_cluster, corpus_index,
                                                                             monkeypatch):
    # A build made on 2.x keeps its similarity "BM25" through an upgrade to 3.x, where that name
    # scores without (k1 + 1): the reader must give back the local engine's scores all the same.
    url = f"{opensearch_cluster.url}/built-on-2"
    with monkeypatch.context() as m:
        m.setattr("searcher.engines.opensearch.mapping.similarity_type", lambda version: "BM25")
        build_index([CORPUS], url, shards=3, replicas=1)
    status, settings = opensearch_cluster.request("GET", "/built-on-2/_settings/index.similarity.*")
    assert [s["settings"]["index"]["similarity"]["vnsearch_bm25"]["type"] for s in settings.values()] == ["BM25"]
    with Index.open(url) as there:
        for case in LABELLED:
            here = corpus_index.search(case["query"], limit=1).hits[0]
            hit = there.search(case["query"], limit=1).hits[0]
            assert (hit.doc_id, hit.start) == (here.doc_id, here.start), case["query"]
            assert hit.score == pytest.approx(here.score, rel=0.05), case["query"]
        hit = there.search("bao hiem xa hoi", limit=1, explain=True).hits[0]
        assert sum(v for _, _, v in hit.explanation) == pytest.approx(hit.score, rel=1e-3)


def test_lexicon_catalogue_and_references_come_from_the_cluster(remote, corpus_index):
    assert remote.lexicon == corpus_index.lexicon
    assert remote.catalogue == corpus_index.catalogue
    here = [(c.doc_id, c.line, c.cite) for g in corpus_index.references("chi thi 19") for c in g.citations]
    there = [(c.doc_id, c.line, c.cite) for g in remote.references("chi thi 19") for c in g.citations]
    assert there == here and len(here) == 3


def test_phrases_exclusions_topics_and_explain(remote, corpus_index):
    for query, topic in [('"bảo hiểm y tế"', None), ("tết -pháo", None), ("chi thi", "tet"), ("bhxh", "insurance")]:
        here = [(h.doc_id, h.start) for h in corpus_index.search(query, limit=5, topic=topic).hits]
        there = [(h.doc_id, h.start) for h in remote.search(query, limit=5, topic=topic).hits]
        assert there == here, query
    hit = remote.search("bao hiem xa hoi", limit=1, explain=True).hits[0]
    fields = {f for f, _, _ in hit.explanation}
    assert {"folded", "bigrams"} <= fields
    assert sum(v for _, _, v in hit.explanation) == pytest.approx(hit.score, rel=1e-3)


def test_quoted_phrases_fall_back_and_boost_as_in_the_local_engine(remote, corpus_index):
    # A phrase no passage has: its words, and the same notice; in a long question: a boost.
    long_question = 'Theo chỉ thị thì tỉnh tổ chức "bắn hoa pháo" trong dịp Tết Nguyên đán như thế nào?'
    for query in ['"nguyên đán tết"', long_question]:
        here, there = corpus_index.search(query, limit=3), remote.search(query, limit=3)
        assert [(h.doc_id, h.start) for h in there.hits][:2] == [(h.doc_id, h.start) for h in here.hits][:2], query
        assert there.notice == here.notice
    assert here.notice is None and len(here.hits) == 3
    assert corpus_index.search('"nguyên đán tết"').notice == \
        'no passage has the phrase "nguyên đán tết"; searching its words instead'


def test_documents_and_passage_numbers_for_trec_runs_match_the_local_engine(remote, corpus_index):
    here = corpus_index.search_documents("tết nguyên đán", limit=2)
    there = remote.search_documents("tết nguyên đán", limit=2)
    assert [(h.rank, h.doc_id, h.seq) for h in there.hits] == [(h.rank, h.doc_id, h.seq) for h in here.hits]
    assert [h.doc_id for h in here.hits] == ["bao-tinh-thang-12-2022.txt", "dong-khoi-moi-ben-tre.txt"]


def test_names_question_wording_and_coverage_rank_as_in_the_local_engine(opensearch_cluster, tmp_path):
    # Concept weights are in the plan; coverage asks the cluster which top passages have which
    # concept (named queries) and reorders them above both engines, the same way.
    from test_ranking import SHAPES, SHAPES_CORPUS

    docs = tmp_path / "shapes.jsonl"
    docs.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in SHAPES_CORPUS), encoding="utf-8")
    url = f"{opensearch_cluster.url}/shapes"
    build_index([docs], url, shards=3, replicas=1)
    build_index([docs], tmp_path / "index")
    with Index.open(url) as there, Index.open(tmp_path / "index") as here:
        for query, answer in SHAPES:
            assert [h.doc_id for h in there.search(query, limit=3).hits] == \
                [h.doc_id for h in here.search(query, limit=3).hits], query
            assert there.search(query, limit=1).hits[0].doc_id == answer
        found = []
        for ix in (there, here):
            plan = QueryTerms(should=[("folded", "cay", 1.0), ("folded", "bhyt", 1.0)])
            keys = [k for k, _ in ix.backend.rank(plan, None, 5)[0]]
            having = ix.backend.matching(keys, [[("folded", "bhyt")], [("bigrams", "mo_cay"), ("folded", "nam")], []])
            found.append([sorted(ix.backend.stored(k)["doc_id"] for k in keys) for keys in having])
        assert found[0] == found[1] == [["bhyt-mo-cay"], ["bhyt-mo-cay"], []]


def test_a_node_stopped_mid_session_changes_nothing(remote, opensearch_cluster):
    queries = ["bao hiem y te", "tết nguyên đán", "chỉ thị 19-CT/TW"]
    before = {q: [(h.doc_id, h.start) for h in remote.search(q).hits] for q in queries}
    passages = remote.stats()["passages"]
    with opensearch_cluster.node_stopped(2):
        for q in queries:
            assert [(h.doc_id, h.start) for h in remote.search(q).hits] == before[q]
        assert remote.stats()["passages"] == passages


def test_cli_commands_take_the_url(bundled_url):
    found = vnsearch("search", "bao hiem xa hoi", "--index", bundled_url, "--json", "-n", "3")
    assert found.returncode == 0, found.stderr
    assert [json.loads(line)["rank"] for line in found.stdout.splitlines()] == [1, 2, 3]
    assert vnsearch("search", "xyzzy", "--index", bundled_url).returncode == 1
    ref = vnsearch("ref", "19-CT/TW", "--index", bundled_url)
    assert ref.returncode == 0 and "3 citations" in ref.stdout
    assert "19-CT/TW" in vnsearch("refs", "--index", bundled_url).stdout
    stats = vnsearch("stats", "--index", bundled_url, env={"VNSEARCH_INDEX": ""})
    assert stats.returncode == 0 and "passages" in stats.stdout


def test_the_env_variable_names_the_cluster_too(bundled_url):
    found = vnsearch("search", "tết", "-n", "1", env={"VNSEARCH_INDEX": bundled_url})
    assert found.returncode == 0, found.stderr


def test_a_point_is_found_by_the_headings_over_it_as_in_the_local_engine(opensearch_cluster, tmp_path):
    # The article's name and the clause's lead-in are indexed with the point below them (analysis
    # happens before either engine sees a passage): the cluster ranks it first too.
    from test_search import BANNED

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "luat.txt").write_text(BANNED, encoding="utf-8")
    url = f"{opensearch_cluster.url}/banned"
    build_index([tmp_path / "docs"], url, shards=3, replicas=1)
    build_index([tmp_path / "docs"], tmp_path / "index")
    query = "hành vi nghiêm cấm làm giả hồ sơ thử nghiệm"
    with Index.open(url) as there, Index.open(tmp_path / "index") as here:
        sections = [[h.section for h in ix.search(query, limit=3).hits] for ix in (there, here)]
    assert sections[0] == sections[1]
    assert sections[0][0].startswith("Điều 5, khoản 1, điểm") and "Điều 6" in sections[0]


@pytest.fixture(scope="module")
def docmeta_remote(opensearch_cluster, tmp_path_factory):
    """The documents of docmeta_fixtures.py on the cluster, and the same on the local engine."""
    root = docmeta_fixtures.write_docs(tmp_path_factory, "docmeta-remote")
    url = f"{opensearch_cluster.url}/docmeta"
    build_index([root], url, shards=3, replicas=1)
    build_index([root], root.parent / "ix")
    with Index.open(url) as there, Index.open(root.parent / "ix") as here:
        yield there, root, here


def test_hits_carry_their_documents_identity_from_the_cluster(docmeta_remote):
    docmeta_fixtures.check_identities(docmeta_remote[0])


@pytest.mark.parametrize("query, options, expected", docmeta_fixtures.CASES,
                         ids=[f"{q} {o}" for q, o, _ in docmeta_fixtures.CASES])
def test_filters_and_date_order_run_in_the_cluster(docmeta_remote, query, options, expected):
    docmeta_fixtures.check_case(docmeta_remote[0], docmeta_remote[1], query, options, expected)


def test_a_query_naming_a_documents_own_number_finds_it_first(docmeta_remote):
    docmeta_fixtures.check_own_number_ranks_the_document_first(docmeta_remote[0])


def test_filters_apply_in_the_cluster_before_the_limit(docmeta_remote):
    docmeta_fixtures.check_filters_apply_before_the_limit(docmeta_remote[0])


def test_ref_self_records_catalogue_and_undated_counts_match_the_local_engine(docmeta_remote):
    there, _, here = docmeta_remote
    docmeta_fixtures.check_references(there)
    assert there.catalogue == here.catalogue
    for options, left_out in (({"since": "2023"}, 1), ({"until": "2022-12", "cites": "19-CT/TW"}, 0)):
        assert there.search("phòng cháy", **options).undated_left_out == left_out
        assert here.search("phòng cháy", **options).undated_left_out == left_out
    found = vnsearch("search", "phòng cháy", "--index", there.location, "--json", "--doc-type", "CT", "--until", "2022")
    assert found.returncode == 0, found.stderr
    assert [json.loads(line)["doc_id"] for line in found.stdout.splitlines()] == ["chi-thi-16.txt"]
    assert found.stderr == ""  # (the note is undated, but no CT)


def test_incremental_runs_replace_a_changed_files_passages(opensearch_cluster, make_corpus):
    url = f"{opensearch_cluster.url}/incremental"
    docs = make_corpus({"a.txt": "Đón Tết an toàn.\n\nBắn pháo hoa đêm giao thừa.",
                        "b.txt": "Bảo hiểm y tế hộ cận nghèo."})
    assert build_index([docs], url).mode == "full"
    assert build_index([docs], url).mode == "unchanged"
    (docs / "b.txt").write_text("Bảo hiểm xã hội tự nguyện.", encoding="utf-8")
    (docs / "c.txt").write_text("Chúc Tết mọi nhà.", encoding="utf-8")
    (docs / "a.txt").unlink()
    report = build_index([docs], url)
    assert (report.mode, report.files_changed, report.files_removed) == ("incremental", 2, 1)
    with Index.open(url) as ix:
        assert [h.doc_id for h in ix.search("tết").hits] == ["c.txt"]
        assert [h.doc_id for h in ix.search("bao hiem xa hoi").hits] == ["b.txt"]
        assert ix.search("can ngheo").hits == []
        assert ix.stats()["passages"] == 2
        updated = {q: [(h.doc_id, h.score) for h in ix.search(q).hits] for q in ("tết", "bảo hiểm xã hội")}
    assert len(physical_indices(opensearch_cluster, "incremental")) == 1
    # Deleted and overwritten passages no longer count in the scores: as a fresh build's.
    fresh_url = f"{opensearch_cluster.url}/incremental-fresh"
    build_index([docs], fresh_url)
    with Index.open(fresh_url) as ix:
        for query, hits in updated.items():
            assert [h.doc_id for h in ix.search(query).hits] == [d for d, _ in hits]
            assert [h.score for h in ix.search(query).hits] == pytest.approx([s for _, s in hits], rel=1e-6)


def test_an_update_ranks_as_a_fresh_build_though_no_refresh_came_since_its_writes(opensearch_cluster, tmp_path):
    # The cluster's document counts see only refreshed segments. With no scheduled refresh
    # between an update's writes and its check (an operator's refresh_interval -1 here; a shard
    # just recovered after a restart or upgrade; a run quicker than the 1 s refresh), the
    # passages it overwrote must be merged away all the same, or they go on counting in scores.
    docs = tmp_path / "corpus"
    shutil.copytree(CORPUS, docs)
    url = f"{opensearch_cluster.url}/unrefreshed"
    build_index([docs], url, shards=3, replicas=1)
    (index,) = physical_indices(opensearch_cluster, "unrefreshed")
    status, _ = opensearch_cluster.request("PUT", f"/{index}/_settings", {"index": {"refresh_interval": "-1"}})
    assert status == 200
    changed = docs / "bao-tinh-thang-12-2022.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nBảo hiểm xã hội tự nguyện cho người lao động tự do.\n",
                       encoding="utf-8")
    report = build_index([docs], url)
    assert (report.mode, report.files_changed, report.files_removed) == ("incremental", 1, 0)
    fresh_url = f"{opensearch_cluster.url}/unrefreshed-fresh"
    build_index([docs], fresh_url, shards=3, replicas=1)
    with Index.open(url) as updated, Index.open(fresh_url) as fresh:
        for query in ("bảo hiểm xã hội tự nguyện", "tết nguyên đán"):
            assert [(h.doc_id, h.start) for h in updated.search(query, limit=3).hits] == \
                [(h.doc_id, h.start) for h in fresh.search(query, limit=3).hits], query
            assert [h.score for h in updated.search(query, limit=3).hits] == \
                pytest.approx([h.score for h in fresh.search(query, limit=3).hits], rel=1e-6), query


def test_alias_swap_while_another_process_searches(opensearch_cluster, bundled_url, tmp_path):
    """Full rebuilds swap the alias while a searcher loops: not one search fails."""
    loop = tmp_path / "loop.py"
    loop.write_text(
        "import os, sys, time\n"
        "from searcher import Index\n"
        "url, until, stop = sys.argv[1], time.time() + float(sys.argv[2]), sys.argv[3]\n"
        "done = failed = 0\n"
        "while time.time() < until and done < 2000 and not os.path.exists(stop):\n"
        "    try:\n"
        "        with Index.open(url) as ix:\n"
        "            for q in ('bao hiem xa hoi', 'tết', 'chi thi 19'):\n"
        "                assert ix.search(q, limit=3).hits\n"
        "                done += 1\n"
        "    except Exception as e:\n"
        "        failed += 1\n"
        "        print(type(e).__name__, e, file=sys.stderr)\n"
        "print(done, failed)\n", encoding="utf-8")
    stop = tmp_path / "stop"
    searcher = subprocess.Popen([sys.executable, str(loop), bundled_url, "120", str(stop)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(2):
            assert build_index([CORPUS], bundled_url, rebuild=True, shards=3, replicas=1).mode == "full"
    finally:
        stop.touch()
        out, err = searcher.communicate(timeout=180)
    done, failed = map(int, out.split())
    assert failed == 0, err
    assert done > 20
    assert len(physical_indices(opensearch_cluster, "bundled")) == 1


def test_an_indexer_killed_mid_bulk_leaves_the_old_build_live(opensearch_cluster, tmp_path):
    url = f"{opensearch_cluster.url}/killed"
    small = tmp_path / "small"
    small.mkdir()
    (small / "a.txt").write_text("Đón Tết an toàn.", encoding="utf-8")
    build_index([small], url)
    live = alias_target(opensearch_cluster, "killed")
    big = tmp_path / "big"
    big.mkdir()
    text = (CORPUS / "bao-tinh-thang-12-2022.txt").read_text(encoding="utf-8")
    for i in range(60):
        (big / f"doc{i}.txt").write_text(text, encoding="utf-8")
    env = {"VNSEARCH_CLUSTER_LOCK_TTL": "5"}
    proc = subprocess.Popen([sys.executable, "-m", "searcher", "index", str(big), "--index", url, "-q"],
                            env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        building = [i for i in physical_indices(opensearch_cluster, "killed") if i not in live]
        if building:  # (refresh is off while a build runs: count what it has sent, not what shows)
            status, stats = opensearch_cluster.request("GET", f"/{building[0]}/_stats/indexing")
            if status == 200 and stats["_all"]["primaries"]["indexing"]["index_total"] > 0:
                break
        time.sleep(0.2)
    assert proc.poll() is None, "the build ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert alias_target(opensearch_cluster, "killed") == live
    with Index.open(url) as ix:
        assert [h.doc_id for h in ix.search("tết").hits] == ["a.txt"]
    assert len(physical_indices(opensearch_cluster, "killed")) == 2  # the orphan is still there
    time.sleep(5.5)  # the killed run's lock expires
    result = vnsearch("index", str(small), "--index", url, "--rebuild", "-q", env=env)
    assert result.returncode == 0, result.stderr
    assert physical_indices(opensearch_cluster, "killed") == alias_target(opensearch_cluster, "killed")


def test_a_second_writer_is_refused_while_one_holds_the_lock(opensearch_cluster, tmp_path):
    from searcher.engines.opensearch.connection import parse_location
    from searcher.engines.opensearch.writer import OpenSearchTarget

    url = f"{opensearch_cluster.url}/locked"
    first = OpenSearchTarget(parse_location(url))
    with first.lock():
        result = vnsearch("index", str(CORPUS), "--index", url)
        assert result.returncode == 2
        assert "another vnsearch run" in result.stderr and len(result.stderr.splitlines()) == 1


def test_unreachable_cluster_is_one_line(tmp_path):
    from opensearch_fixtures import free_port_block

    url = f"http://127.0.0.1:{free_port_block(1)}/docs"
    for args in (["search", "tết", "--index", url], ["index", str(CORPUS), "--index", url], ["stats", "--index", url]):
        result = vnsearch(*args, timeout=120)
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "cannot reach the cluster" in result.stderr


def test_missing_index_and_foreign_index_are_one_line(opensearch_cluster):
    result = vnsearch("search", "tết", "--index", f"{opensearch_cluster.url}/no-such-index")
    assert result.returncode == 2 and "no index at" in result.stderr
    opensearch_cluster.request("PUT", "/somebody-elses")
    result = vnsearch("search", "tết", "--index", f"{opensearch_cluster.url}/somebody-elses")
    assert result.returncode == 2 and "did not build" in result.stderr
    result = vnsearch("index", str(CORPUS), "--index", f"{opensearch_cluster.url}/somebody-elses")
    assert result.returncode == 2 and "did not build" in result.stderr
    status, _ = opensearch_cluster.request("GET", "/somebody-elses")
    assert status == 200  # untouched


def test_credentials_and_tls_through_an_authenticating_proxy(opensearch_proxy, bundled_url):
    name = bundled_url.rsplit("/", 1)[1]
    good = f"https://{opensearch_proxy.username}:{opensearch_proxy.password}@{opensearch_proxy.url[8:]}/{name}"
    ca = {"VNSEARCH_CA_BUNDLE": str(opensearch_proxy.ca_path)}
    result = vnsearch("search", "tết", "--index", good, "-n", "1", env=ca)
    assert result.returncode == 0, result.stderr
    by_env = vnsearch("search", "tết", "--index", f"{opensearch_proxy.url}/{name}", "-n", "1", env={
        **ca, "VNSEARCH_OPENSEARCH_USER": opensearch_proxy.username,
        "VNSEARCH_OPENSEARCH_PASSWORD": opensearch_proxy.password})
    assert by_env.returncode == 0, by_env.stderr
    bad = good.replace(opensearch_proxy.password, "wrong-secret")
    result = vnsearch("stats", "--index", bad, env=ca)
    assert result.returncode == 2 and "refused the credentials" in result.stderr
    assert "wrong-secret" not in result.stderr + result.stdout
    untrusted = vnsearch("search", "tết", "--index", good, env={"VNSEARCH_CA_BUNDLE": ""})
    assert untrusted.returncode == 2 and "certificate" in untrusted.stderr
    assert opensearch_proxy.password not in untrusted.stderr
    stats = vnsearch("stats", "--index", good, env=ca)
    assert stats.returncode == 0 and opensearch_proxy.password not in stats.stdout
    assert f"{opensearch_proxy.username}:***@" in stats.stdout


def test_names_that_are_not_utf8_come_back_byte_for_byte(opensearch_cluster, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    name = os.fsdecode(b"b\xe1o-c\xe1o.txt")  # a Windows-1258 name, not UTF-8
    (docs / name).write_text("Đón Tết an toàn.", encoding="utf-8")
    url = f"{opensearch_cluster.url}/names"
    build_index([docs], url)
    with Index.open(url) as ix:
        (hit,) = ix.search("tết").hits
        assert hit.doc_id == name and hit.path == str(docs / name)
    assert build_index([docs], url).mode == "unchanged"
    found = vnsearch("search", "tết", "--index", url, "--json")
    record = json.loads(found.stdout)
    assert record["doc_id"] == "b\\xe1o-c\\xe1o.txt" and "doc_id_bytes" in record


def test_an_interrupted_incremental_run_makes_the_next_one_rebuild(opensearch_cluster, make_corpus):
    from searcher.engines.opensearch.mapping import META_IDS

    docs = make_corpus({"a.txt": "Đón Tết an toàn."})
    url = f"{opensearch_cluster.url}/dirty"
    build_index([docs], url)
    (live,) = alias_target(opensearch_cluster, "dirty")
    status, meta = opensearch_cluster.request("GET", f"/{live}/_doc/{META_IDS['meta']}")
    opensearch_cluster.request("PUT", f"/{live}/_doc/{META_IDS['meta']}?refresh=true",
                               {**meta["_source"], "payload": {**meta["_source"]["payload"], "dirty": True}})
    warnings = []
    report = build_index([docs], url, warn=warnings.append)
    assert report.mode == "full" and "interrupted" in warnings[0]
    assert alias_target(opensearch_cluster, "dirty") != [live]


def test_an_index_named_like_a_build_but_not_made_by_vnsearch_is_left_alone(opensearch_cluster, make_corpus):
    docs = make_corpus({"a.txt": "Đón Tết an toàn."})
    url = f"{opensearch_cluster.url}/lookalike"
    build_index([docs], url)
    status, _ = opensearch_cluster.request("PUT", "/lookalike-gen-mine", {"settings": {"number_of_replicas": 0}})
    assert status == 200
    build_index([docs], url, rebuild=True)
    assert "lookalike-gen-mine" in physical_indices(opensearch_cluster, "lookalike")


def test_telex_vni_and_run_together_queries_read_as_in_the_local_engine(remote, corpus_index):
    for query in ["baor hieemr xax hooij", "ba3o hie63m xa4 ho65i", "baohiemxahoi", "chithi16"]:
        here, there = corpus_index.search(query, limit=3), remote.search(query, limit=3)
        assert there.understood == here.understood and here.understood is not None, query
        assert [(h.doc_id, h.start) for h in there.hits] == [(h.doc_id, h.start) for h in here.hits], query


def test_sections_of_legal_text_come_back_as_from_the_local_engine(opensearch_cluster, make_corpus, tmp_path):
    clause = ("cơ quan nhà nước có thẩm quyền phải tổ chức kiểm tra, giám sát thường xuyên và báo cáo kết quả "
              "cho Ủy ban nhân dân cấp tỉnh theo định kỳ hằng năm")
    law = ("Chương II\nQUẢN LÝ THỬ NGHIỆM\n\nĐiều 12. Cấp phép thử nghiệm\n"
           + "".join(f"{n}. Hồ sơ loại {n} mà {clause}.\n" for n in range(1, 7))
           + "\nĐiều 13. Thu hồi giấy phép\nGiấy phép bị thu hồi khi vi phạm khoản 2 Điều 12.\n")
    docs = make_corpus({"law.txt": law, "tin.txt": "Hồ sơ của hội nghị đã được lưu trữ."})
    url = f"{opensearch_cluster.url}/sections"
    build_index([docs], url)
    build_index([docs], tmp_path / "local")
    with Index.open(url) as remote, Index.open(tmp_path / "local") as local:
        there = [(h.doc_id, h.section) for h in remote.search("hồ sơ", limit=10).hits]
        here = [(h.doc_id, h.section) for h in local.search("hồ sơ", limit=10).hits]
    assert sorted(there, key=str) == sorted(here, key=str) == [
        ("law.txt", "Chương II, Điều 12, khoản 1-3"), ("law.txt", "Chương II, Điều 12, khoản 4-6"), ("tin.txt", None)]
    found = vnsearch("search", "thu hồi giấy phép", "--index", url, "--json", "--limit", "1")
    assert json.loads(found.stdout)["section"] == "Chương II, Điều 13"


def test_spelling_variants_and_partly_accented_queries_rank_as_in_the_local_engine(remote, corpus_index):
    for query in ["7 tỉ đồng", "tết quí mão", "bồi duong cán bộ", "bao hiểm xã hội", "bảo hiêm"]:
        here, there = corpus_index.search(query, limit=3), remote.search(query, limit=3)
        assert [(h.doc_id, h.start) for h in there.hits] == [(h.doc_id, h.start) for h in here.hits], query
        assert there.accents == here.accents, query
    hit = remote.search("7 tỉ đồng", limit=1, explain=True).hits[0]
    assert ("exact", "tỷ") in {(f, t) for f, t, _ in hit.explanation}
    assert "7 tỷ đồng" in hit.text
    assert remote.search("bảo hiêm").accents == {"hiêm": ["hiểm"]}  # (the corpus has no hiếm)
