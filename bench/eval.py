"""Ranking evaluation on ALQAC (../shared/eval/alqac): vnsearch against plain baselines.

Indexes the law articles with vnsearch and three baselines (SQLite FTS5, Whoosh with its
standard analyzer, bm25s on folded text), runs every query of a split with and without
accents, and reports nDCG@10, MRR@10, Recall@10 and Recall@100 side by side, plus the time each
system took. The data stays in shared/: nothing of it is copied into the project.

A third split, ``statements`` (bench/statements.jsonl, see bench/STATEMENTS.md), is our own: 150
statements and questions written for this project about one clause of randomly drawn articles
of the same corpus, in every one of its laws (dev covers four). Tune on dev and statements.

    python bench/eval.py                 # dev split (tune on this)
    python bench/eval.py --split statements
    python bench/eval.py --split test    # report only
    python bench/eval.py --split dev --split test --json bench/out/eval.json
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sqlite3
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "alqac"
WORD_RE = re.compile(r"\w+")
DEPTH = 100
STATEMENTS = Path(__file__).resolve().parent / "statements.jsonl"
SPLITS = ("dev", "statements", "test")


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def strip_accents(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c))


def load_split(data: Path, split: str, unaccented: bool = False) -> list[dict]:
    """A split's queries (accents taken off, as the ALQAC conversion does, for ``unaccented``):
    dev and test from the ALQAC folder, statements from bench/."""
    if split != "statements":
        return load_jsonl(data / f"{split}{'_unaccented' if unaccented else ''}.jsonl")
    queries = load_jsonl(STATEMENTS)
    if unaccented:
        queries = [{**q, "query": unicodedata.normalize("NFC", strip_accents(q["query"]))} for q in queries]
    return queries


# --- metrics -------------------------------------------------------------------------------

def metrics(ranked: list[str], relevant: set[str]) -> dict[str, float]:
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:10]) if d in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
    rr = next((1 / (i + 1) for i, d in enumerate(ranked[:10]) if d in relevant), 0.0)
    return {
        "ndcg@10": dcg / ideal if ideal else 0.0,
        "mrr@10": rr,
        "recall@10": len(relevant & set(ranked[:10])) / len(relevant),
        "recall@100": len(relevant & set(ranked[:100])) / len(relevant),
    }


def mean_metrics(runs: list[tuple[list[str], set[str]]]) -> dict[str, float]:
    per = [metrics(r, rel) for r, rel in runs]
    return {k: sum(m[k] for m in per) / len(per) for k in per[0]}


# --- systems ---------------------------------------------------------------------------------

class VnsearchSystem:
    name = "vnsearch"

    def __init__(self, docs_path: Path, workdir: Path, weights=None):
        from searcher import Index, build_index

        started = time.perf_counter()
        index_dir = workdir / "vnsearch-index"
        build_index([docs_path], index_dir)
        self.index_seconds = time.perf_counter() - started
        self.index = Index.open(index_dir, weights=weights)

    def run(self, queries: list[str]) -> list[list[str]]:
        out = []
        for q in queries:
            seen: dict[str, None] = {}
            # Several passages of one article count once, at their best rank.
            for hit in self.index.search(q, limit=DEPTH * 3).hits:
                seen.setdefault(hit.doc_id, None)
            out.append(list(seen)[:DEPTH])
        return out


class Fts5System:
    name = "fts5"

    def __init__(self, docs: list[dict]):
        started = time.perf_counter()
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE d USING fts5(id UNINDEXED, title, text, "
                        "tokenize='unicode61 remove_diacritics 2')")
        self.db.executemany("INSERT INTO d VALUES (?, ?, ?)", [(d["id"], d["title"], d["text"]) for d in docs])
        self.index_seconds = time.perf_counter() - started

    def run(self, queries: list[str]) -> list[list[str]]:
        out = []
        for q in queries:
            tokens = WORD_RE.findall(q.lower())
            if not tokens:
                out.append([])
                continue
            match = " OR ".join(f'"{t}"' for t in tokens)
            rows = self.db.execute(f"SELECT id FROM d WHERE d MATCH ? ORDER BY bm25(d) LIMIT {DEPTH}", (match,))
            out.append([r[0] for r in rows])
        return out


class WhooshSystem:
    name = "whoosh"

    def __init__(self, docs: list[dict], workdir: Path):
        from whoosh import index
        from whoosh.analysis import CharsetFilter, StandardAnalyzer
        from whoosh.fields import ID, TEXT, Schema
        from whoosh.support.charset import accent_map

        started = time.perf_counter()
        analyzer = StandardAnalyzer(minsize=1, stoplist=None) | CharsetFilter(accent_map)
        schema = Schema(id=ID(stored=True), body=TEXT(analyzer=analyzer))
        path = workdir / "whoosh-baseline"
        path.mkdir()
        ix = index.create_in(str(path), schema)
        w = ix.writer(limitmb=256)
        for d in docs:
            w.add_document(id=d["id"], body=d["title"] + "\n" + d["text"])
        w.commit()
        self.ix = ix
        self.index_seconds = time.perf_counter() - started

    def run(self, queries: list[str]) -> list[list[str]]:
        from whoosh import scoring
        from whoosh.qparser import OrGroup, QueryParser

        parser = QueryParser("body", self.ix.schema, group=OrGroup)
        out = []
        with self.ix.searcher(weighting=scoring.BM25F()) as s:
            for q in queries:
                parsed = parser.parse(" ".join(WORD_RE.findall(q)))
                out.append([h["id"] for h in s.search(parsed, limit=DEPTH)])
        return out


class Bm25sSystem:
    name = "bm25s"

    def __init__(self, docs: list[dict]):
        import bm25s

        started = time.perf_counter()
        self.ids = [d["id"] for d in docs]
        corpus = [self._tokens(d["title"] + " " + d["text"]) for d in docs]
        self.model = bm25s.BM25()
        self.model.index(corpus, show_progress=False)
        self.index_seconds = time.perf_counter() - started

    @staticmethod
    def _tokens(text: str) -> list[str]:
        return WORD_RE.findall(strip_accents(text).lower())

    def run(self, queries: list[str]) -> list[list[str]]:
        out = []
        for q in queries:
            tokens = [t for t in self._tokens(q)]
            results, scores = self.model.retrieve([tokens], k=DEPTH, show_progress=False)
            out.append([self.ids[i] for i, s in zip(results[0], scores[0]) if s > 0])
        return out


# --- driver ----------------------------------------------------------------------------------

def evaluate(systems, data: Path, splits: list[str], per_query: list | None = None) -> list[dict]:
    """Mean metrics per split, query variant and system; with ``per_query``, one record per
    query is appended to it too (to compare two runs query by query, see --per-query)."""
    rows = []
    for split in splits:
        for variant in ("", "_unaccented"):
            queries = load_split(data, split, bool(variant))
            texts = [q["query"] for q in queries]
            relevant = [set(q["relevant"]) for q in queries]
            for system in systems:
                started = time.perf_counter()
                ranked = system.run(texts)
                seconds = time.perf_counter() - started
                if per_query is not None:
                    for q, r, rel in zip(queries, ranked, relevant):
                        per_query.append({"split": split, "queries": "unaccented" if variant else "accented",
                                          "system": system.name, "id": q.get("id", q["query"]),
                                          "query": q["query"], **metrics(r, rel)})
                row = {
                    "split": split,
                    "queries": "unaccented" if variant else "accented",
                    "system": system.name,
                    **mean_metrics(list(zip(ranked, relevant))),
                    "query_seconds": seconds,
                    "index_seconds": system.index_seconds,
                }
                rows.append(row)
    return rows


def print_table(rows: list[dict]) -> None:
    best = {}
    for r in rows:
        if r["system"] != "vnsearch":
            key = (r["split"], r["queries"])
            best[key] = max(best.get(key, 0.0), r["ndcg@10"])
    header = f"{'split':<10} {'queries':<10} {'system':<9} {'nDCG@10':>8} {'MRR@10':>7} {'R@10':>6} {'R@100':>6} {'×best':>6} {'index s':>8} {'query s':>8}"
    print(header)
    print("-" * len(header))
    for r in rows:
        base = best.get((r["split"], r["queries"]))  # none when only vnsearch ran
        ratio = f"{r['ndcg@10'] / base:>6.3f}" if base else f"{'-':>6}"
        print(f"{r['split']:<10} {r['queries']:<10} {r['system']:<9} {r['ndcg@10']:>8.4f} {r['mrr@10']:>7.4f} "
              f"{r['recall@10']:>6.3f} {r['recall@100']:>6.3f} {ratio} {r['index_seconds']:>8.1f} {r['query_seconds']:>8.2f}")


def print_changes(before: list[dict], after: list[dict]) -> None:
    """Queries whose nDCG@10 went up or down between two per-query runs (same system, split)."""
    key = lambda r: (r["split"], r["queries"], r["system"], r["id"])  # noqa: E731
    old = {key(r): r for r in before}
    groups: dict[tuple, list] = {}
    for r in after:
        o = old.get(key(r))
        if o is None or abs(o["ndcg@10"] - r["ndcg@10"]) < 1e-9:
            continue
        groups.setdefault(key(r)[:3], []).append((r["ndcg@10"] - o["ndcg@10"], o["ndcg@10"], r))
    for (split, variant, system), changes in sorted(groups.items()):
        wins = sum(d > 0 for d, *_ in changes)
        print(f"\n{split} {variant} {system}: {wins} queries up, {len(changes) - wins} down, "
              f"net {sum(d for d, *_ in changes):+.3f}")
        for d, was, r in sorted(changes, key=lambda c: c[0]):
            print(f"  {d:+.3f} ({was:.3f} -> {r['ndcg@10']:.3f}) {r['id']}: {r['query'][:90]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with docs.jsonl and the query splits")
    ap.add_argument("--split", action="append", choices=SPLITS, help="split(s) to run (default: dev)")
    ap.add_argument("--systems", default="vnsearch,fts5,whoosh,bm25s", help="comma-separated systems to run")
    ap.add_argument("--json", type=Path, help="also write the rows as JSON here")
    ap.add_argument("--per-query", type=Path, help="also write every query's metrics here (JSON Lines)")
    ap.add_argument("--compare", type=Path, help="a --per-query file of an earlier run: list the queries "
                                                 "whose nDCG@10 changed since")
    args = ap.parse_args()
    if not (args.data / "docs.jsonl").exists():
        sys.exit(f"eval: no docs.jsonl under {args.data} (pass --data)")
    names = args.systems.split(",")
    docs = load_jsonl(args.data / "docs.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        systems = []
        if "vnsearch" in names:
            systems.append(VnsearchSystem(args.data / "docs.jsonl", workdir))
        if "fts5" in names:
            systems.append(Fts5System(docs))
        if "whoosh" in names:
            systems.append(WhooshSystem(docs, workdir))
        if "bm25s" in names:
            systems.append(Bm25sSystem(docs))
        per_query: list[dict] = []
        rows = evaluate(systems, args.data, args.split or ["dev"], per_query)
    print_table(rows)
    if args.per_query:
        args.per_query.parent.mkdir(parents=True, exist_ok=True)
        args.per_query.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in per_query),
                                  encoding="utf-8")
    if args.compare:
        print_changes(load_jsonl(args.compare), per_query)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
