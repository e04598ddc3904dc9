"""Tries ranking weights on the ALQAC dev split and our statements (never test): one index,
many weightings.

    python bench/tune.py '{"bigram": 2.0}' '{"title": 0.0}'

Each argument is a JSON object of Weights fields overriding the defaults; prints nDCG@10 and
MRR@10 for accented and unaccented dev queries, and nDCG@10 of the statements (bench/STATEMENTS.md). Configurations run in parallel processes.
"""
from __future__ import annotations

import json
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from searcher.records import asdict, replace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval import DEFAULT_DATA, load_split, mean_metrics  # noqa: E402

_index_dir: Path | None = None


def run(config: dict) -> tuple[dict, dict]:
    from searcher import Index
    from searcher.query import Weights

    weights = replace(Weights(), **config)
    out = {}
    with Index.open(_index_dir, weights=weights) as ix:
        for split, unaccented in (("dev", False), ("dev", True), ("statements", False), ("statements", True)):
            variant = split + ("_unaccented" if unaccented else "")
            queries = load_split(DEFAULT_DATA, split, unaccented)
            runs = []
            for q in queries:
                seen = dict.fromkeys(h.doc_id for h in ix.search(q["query"], limit=60).hits)
                runs.append((list(seen), set(q["relevant"])))
            out[variant] = mean_metrics(runs)
    return config, out


def main() -> None:
    global _index_dir
    from searcher import build_index
    from searcher.query import Weights

    configs = [json.loads(a) for a in sys.argv[1:]] or [{}]
    with tempfile.TemporaryDirectory() as tmp:
        _index_dir = Path(tmp) / "ix"
        build_index([DEFAULT_DATA / "docs.jsonl"], _index_dir)
        print("defaults:", asdict(Weights()))
        with ProcessPoolExecutor(2) as pool:
            for config, out in pool.map(run, configs):
                a, u = out["dev"], out["dev_unaccented"]
                sa, su = out["statements"], out["statements_unaccented"]
                print(f"{json.dumps(config):<50} acc nDCG {a['ndcg@10']:.4f} MRR {a['mrr@10']:.4f} | "
                      f"unacc nDCG {u['ndcg@10']:.4f} MRR {u['mrr@10']:.4f} | "
                      f"statements {sa['ndcg@10']:.4f} / {su['ndcg@10']:.4f}", flush=True)


if __name__ == "__main__":
    main()
