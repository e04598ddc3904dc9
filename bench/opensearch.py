"""The OpenSearch engine against the local one: ranking parity, indexing throughput, latency.

Starts its own clusters with scripts/opensearch-cluster (loopback, one run, stopped at the end)
and reports, each against a baseline measured in the same run:

- ranking parity on ALQAC (../shared/eval/alqac): nDCG@10 of vnsearch on a 3-node cluster
  (3 shards, 1 replica, dfs_query_then_fetch) and on the local engine, dev and test, accented
  and unaccented; and how many queries get the same top 10 (scores within 1e-4 relative count
  as ties, whose order may differ);
- indexing throughput of the same text (the ALQAC articles) into the local engine, a 1-node
  and a 3-node cluster;
- warm query latency p50/p95 at N recombined passages (bench/make_corpus.py) through the
  cluster, the local engine and SQLite FTS5 on the same passages.

Every node here shares this machine's cores with the others and with the client: the figures
show correctness and overheads, not scaling (docs/scaling.md reasons about that).

    python bench/opensearch.py --json bench/out/opensearch.json
    python bench/opensearch.py --passages 50000 --skip-eval
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from eval import DEFAULT_DATA, DEPTH, load_jsonl, metrics  # noqa: E402
from make_corpus import make_corpus  # noqa: E402
from run import LIMIT, fts5_from_index, fts5_query, make_queries, pct, time_each  # noqa: E402

SCRIPT = ROOT / "scripts" / "opensearch-cluster"


class Cluster:
    """A throwaway cluster of scripts/opensearch-cluster on loopback."""

    def __init__(self, nodes: int, port: int, folder: Path):
        self.nodes, self.port, self.folder = nodes, port, folder

    def __enter__(self) -> "Cluster":
        subprocess.run([sys.executable, str(SCRIPT), "start", "--fresh", "--nodes", str(self.nodes), "--port",
                        str(self.port), "--dir", str(self.folder), "--heap", "1g"], check=True,
                       stdout=subprocess.DEVNULL)
        return self

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"

    def __exit__(self, *exc) -> None:
        subprocess.run([sys.executable, str(SCRIPT), "stop", "--wipe", "--dir", str(self.folder)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def build(docs: Path, location: str, **options) -> dict:
    from searcher import build_index

    started = time.perf_counter()
    report = build_index([docs], location, **options)
    seconds = time.perf_counter() - started
    return {"passages": report.passages, "seconds": seconds, "passages_per_s": report.passages / seconds}


def ranked(index, query: str) -> tuple[list[str], list[float]]:
    """Article ids (best passage each) and their scores, as bench/eval.py ranks them."""
    ids, scores = [], []
    for hit in index.search(query, limit=DEPTH * 3).hits:
        if hit.doc_id not in ids:
            ids.append(hit.doc_id)
            scores.append(hit.score)
    return ids[:DEPTH], scores[:DEPTH]


def same_top10(a: tuple[list[str], list[float]], b: tuple[list[str], list[float]], rel: float = 1e-4) -> bool:
    """The same ids in the same order, except that ids whose scores tie (within rel) may swap."""
    ids_a, sc_a = a[0][:10], a[1][:10]
    ids_b = b[0][:10]
    if set(ids_a) != set(ids_b):
        # A tie at the 10th place may bring in a different id: compare what is strictly above it.
        cut = sum(1 for s in sc_a if s > sc_a[-1] * (1 + rel)) if sc_a else 0
        return ids_a[:cut] == ids_b[:cut]
    groups_a, groups_b, i = [], [], 0
    while i < len(ids_a):
        j = i
        while j + 1 < len(ids_a) and abs(sc_a[j + 1] - sc_a[i]) <= rel * max(abs(sc_a[i]), 1e-9):
            j += 1
        groups_a.append(set(ids_a[i:j + 1]))
        groups_b.append(set(ids_b[i:j + 1]))
        i = j + 1
    return groups_a == groups_b


def bench_parity(work: Path, cluster: Cluster, data: Path) -> dict:
    from searcher import Index

    docs = work / "alqac"
    docs.mkdir()
    (docs / "docs.jsonl").write_text((data / "docs.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    local_dir = work / "alqac-local"
    out = {"index_local": build(docs, str(local_dir)),
           "index_cluster": build(docs, cluster.url("alqac"), shards=3, replicas=1)}
    with Index.open(local_dir) as local, Index.open(cluster.url("alqac")) as remote:
        for split in ("dev", "test"):
            for accents, name in (("accented", f"{split}.jsonl"), ("unaccented", f"{split}_unaccented.jsonl")):
                cases = load_jsonl(data / name)
                rows = {"local": [], "cluster": []}
                agree = 0
                for case in cases:
                    q = case["query"]
                    relevant = set(case["relevant"]) if isinstance(case["relevant"], list) else {case["relevant"]}
                    a, b = ranked(local, q), ranked(remote, q)
                    rows["local"].append(metrics(a[0], relevant)["ndcg@10"])
                    rows["cluster"].append(metrics(b[0], relevant)["ndcg@10"])
                    agree += same_top10(a, b)
                out[f"{split}_{accents}"] = {
                    "queries": len(cases),
                    "ndcg10_local": statistics.mean(rows["local"]),
                    "ndcg10_cluster": statistics.mean(rows["cluster"]),
                    "same_top10": agree,
                }
    return out


def bench_indexing(work: Path, data: Path, clusters: dict[int, Cluster]) -> dict:
    docs = work / "alqac-text"
    docs.mkdir()
    (docs / "docs.jsonl").write_text((data / "docs.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    out = {"local": build(docs, str(work / "throughput-local"))}
    for nodes, cluster in clusters.items():
        out[f"cluster_{nodes}_nodes"] = build(docs, cluster.url(f"throughput-{nodes}"), shards=nodes,
                                              replicas=1 if nodes > 1 else 0)
    return out


def bench_latency(work: Path, passages: int, cluster: Cluster) -> dict:
    from searcher import Index
    from searcher.errors import VnsearchError

    corpus = work / f"corpus-{passages}"
    make_corpus(passages, corpus)
    local_dir = work / f"latency-{passages}"
    out = {"index_local": build(corpus, str(local_dir)),
           "index_cluster": build(corpus, cluster.url("latency"), shards=3, replicas=1)}
    queries = make_queries()

    def timed(ix) -> dict[str, list[float]]:
        def run(q):
            try:
                ix.search(q, limit=LIMIT)
            except VnsearchError:
                pass

        for _, q in queries[:20]:
            run(q)
        return time_each(run, queries)

    with Index.open(local_dir) as local:
        times = {"local": timed(local)}
    with Index.open(cluster.url("latency")) as remote:
        times["cluster"] = timed(remote)
    db = fts5_from_index(local_dir)
    for _, q in queries[:20]:
        fts5_query(db, q)
    times["fts5"] = time_each(lambda q: fts5_query(db, q), queries)
    for system, by_kind in times.items():
        short = [t for k, v in by_kind.items() if k != "long" for t in v]
        long_ = by_kind.get("long", [])
        out[system] = {"short_p50_ms": 1000 * statistics.median(short), "short_p95_ms": 1000 * pct(short, 0.95),
                       "long_p50_ms": 1000 * statistics.median(long_), "long_p95_ms": 1000 * pct(long_, 0.95)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--passages", type=int, default=50000, help="recombined passages for the latency figures")
    ap.add_argument("--port", type=int, default=29200)
    ap.add_argument("--skip-eval", action="store_true")
    ap.add_argument("--skip-latency", action="store_true")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="vnsearch-bench-os-") as tmp:
        work = Path(tmp)
        for part in ("i1", "i3", "p", "l"):
            (work / part).mkdir()
        with Cluster(1, args.port, work / "c1") as one:
            results["indexing"] = bench_indexing(work / "i1", args.data, {1: one})
        with Cluster(3, args.port + 10, work / "c3") as three:
            three_nodes = bench_indexing(work / "i3", args.data, {3: three})
            results["indexing"]["cluster_3_nodes"] = three_nodes["cluster_3_nodes"]
            results["indexing"]["local_again"] = three_nodes["local"]
            if not args.skip_eval:
                results["parity"] = bench_parity(work / "p", three, args.data)
            if not args.skip_latency:
                results["latency"] = bench_latency(work / "l", args.passages, three)
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
