"""Performance benchmarks: indexing, cold and warm queries, growth, memory, index size — as ratios.

Every figure is set against a baseline measured in the same run, because machines are noisy:

- indexing throughput of `vnsearch index` on real text (the ALQAC law articles as .txt files
  plus the bundled corpus) against pyvi's own single-process segmentation of the same text:
  the floor for any pyvi-based indexer (target ≥ 0.8×);
- segmentation alone: vnsearch's segmenter (searcher.segment.word_starts) against pyvi's own
  predict path (sent2features + model.predict, as its tokenize runs them) on the same syllable
  sequences of the same passages, one process (target ≥ 2×);
- peak memory of indexing on recombined corpora of growing size (target: flat);
- index size on disk against the raw text (target ≤ 5× for the real text, ≤ 4× for the
  recombined corpora);
- a cold `vnsearch search` process against `python -c "import whoosh.index"` (target ≤ 2×),
  and a check with `python -X importtime` that the query path loads neither pyvi nor sklearn;
- warm p50/p95 latency of 200 mixed queries (accented, unaccented, phrases, document numbers,
  long questions) through the Python API and through `--queries`, against SQLite FTS5 on the
  same passages (targets for up to four words: p50 ≤ 2×, p95 ≤ 3× FTS5's p95; long questions:
  p50 ≤ 5×), and how it grows from the smallest corpus to the largest (target: sublinear);
- the same queries through one `vnsearch search --queries FILE --json` process, per query with
  start-up included, against the API's mean per query (target ≤ 2×).

The run ends with a table of every target, its figure, and pass or miss.

Corpora come from bench/make_corpus.py (fixed seed) and are written to a temporary folder.

    python bench/run.py                          # 10k, 50k and 200k passages (~25 min here)
    python bench/run.py --sizes 10000,50000 --json bench/out/run.json
    python bench/run.py --segmentation-only      # only the segmenter against pyvi (~1 min)
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from make_corpus import ALQAC_DOCS, BUNDLED, make_corpus, real_sentences  # noqa: E402
from reindex import write_articles  # noqa: E402

WORD_RE = re.compile(r"\w+")
QUERY_MIX = {"accented": 50, "unaccented": 50, "phrase": 30, "reference": 20, "long": 50}
LIMIT = 10

# Runs an index build in a child process and reports its peak memory (and its workers').
_INDEX_CHILD = """
import json, re, resource, sys, time
from searcher import build_index
started = time.perf_counter()
report = build_index([sys.argv[1]], sys.argv[2])
def own_peak_mb():
    # VmHWM is this process's own high-water mark; Linux's ru_maxrss carries over, across exec,
    # the size of the process that started this one (the benchmark, holding FTS5 and corpora).
    try:
        with open("/proc/self/status") as f:
            return int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1)) / 1024
    except (OSError, AttributeError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "passages": report.passages,
    "peak_mb": own_peak_mb(),
    "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def index_in_child(corpus: Path, index_dir: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", _INDEX_CHILD, str(corpus), str(index_dir)],
                         check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout)


def median_wall(argv: list[str], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


# --- indexing on real text ---------------------------------------------------------------------

def bench_indexing(work: Path) -> dict:
    """vnsearch index on ALQAC + bundled corpus against pyvi alone on the same documents."""
    from pyvi import ViTokenizer

    corpus = work / "real"
    texts = write_real_text(corpus)
    raw = sum(len(t.encode("utf-8")) for t in texts)
    syllables = sum(len(t.split()) for t in texts)

    ViTokenizer.ViTokenizer.tokenize("khởi động mô hình")  # load the model outside the timing
    # Importing pyvi wrote its model to a temp file, read whole when the tagger opened: remove it.
    ViTokenizer.ViTokenizer.model.modelfile.cleanup()
    started = time.perf_counter()
    for text in texts:
        ViTokenizer.ViTokenizer.tokenize(text)
    pyvi_s = time.perf_counter() - started

    index_dir = work / "real-index"
    built = index_in_child(corpus, index_dir)
    size = folder_bytes(index_dir)
    return {
        "files": len(texts),
        "passages": built["passages"],
        "text_mb": raw / 1e6,
        "pyvi_s": pyvi_s,
        "pyvi_syllables_per_s": syllables / pyvi_s,
        "index_s": built["seconds"],
        "index_syllables_per_s": syllables / built["seconds"],
        "index_passages_per_s": built["passages"] / built["seconds"],
        "index_mb_per_s": raw / 1e6 / built["seconds"],
        "throughput_vs_pyvi": pyvi_s / built["seconds"],
        "peak_mb": built["peak_mb"],
        "worker_peak_mb": built["worker_peak_mb"],
        "index_mb": size / 1e6,
        "size_vs_text": size / raw,
        "index_dir": str(index_dir),
    }


def write_real_text(corpus: Path) -> list[str]:
    """The ALQAC articles and the bundled corpus as .txt files in corpus; returns their texts."""
    corpus.mkdir()
    write_articles(corpus, ALQAC_DOCS)
    for path in BUNDLED.glob("*.txt"):
        shutil.copy(path, corpus / path.name)
    return [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]


# --- segmentation alone --------------------------------------------------------------------------

def bench_segmentation(texts: list[str], rounds: int = 3) -> dict:
    """searcher.segment.word_starts against pyvi's predict path on the same syllable sequences.

    The sequences are the passages' syllables as indexing hands them to the segmenter; pyvi runs
    its tokenize-internal path on each (ViTokenizer.sent2features, then model.predict). Rounds
    alternate between the two and the best of each counts; the segmenter's memory of syllables
    is emptied before each of its rounds, so it starts cold as a new process would.
    """
    from pyvi import ViTokenizer

    from searcher import segment
    from searcher.analysis import canonical_surface, tokenize
    from searcher.normalize import repair
    from searcher.passages import split_passages

    sequences = []
    for text in texts:
        for p in split_passages(text):
            syllables = [canonical_surface(t) for t in tokenize(repair(text[p.start:p.end]))]
            if syllables:
                sequences.append(syllables)
    vi = ViTokenizer.ViTokenizer
    vi.tokenize("khởi động mô hình")  # load the model outside the timing
    vi.model.modelfile.cleanup()  # its temp file: the tagger has read it whole
    segment.word_starts(["khởi", "động"])

    def pyvi_run():
        for s in sequences:
            vi.model.predict([vi.sent2features(s, False)])

    def ours_run():
        segment._syllables.clear()
        for s in sequences:
            segment.word_starts(s)

    pyvi_s, ours_s = float("inf"), float("inf")
    for _ in range(rounds):
        for run, best in ((pyvi_run, "pyvi"), (ours_run, "ours")):
            started = time.perf_counter()
            run()
            took = time.perf_counter() - started
            if best == "pyvi":
                pyvi_s = min(pyvi_s, took)
            else:
                ours_s = min(ours_s, took)
    syllables = sum(len(s) for s in sequences)
    return {"sequences": len(sequences), "syllables": syllables, "pyvi_s": pyvi_s, "ours_s": ours_s,
            "pyvi_syllables_per_s": syllables / pyvi_s, "ours_syllables_per_s": syllables / ours_s,
            "ours_vs_pyvi": pyvi_s / ours_s}


# --- cold start ----------------------------------------------------------------------------------

def bench_cold(index_dir: Path) -> dict:
    search = [sys.executable, "-m", "searcher", "search", "bao hiem xa hoi", "--index", str(index_dir)]
    whoosh_import = [sys.executable, "-c", "import whoosh.index"]
    # An installed package has its bytecode (pip compiles it); a checkout run under
    # PYTHONDONTWRITEBYTECODE would compile every vnsearch module on each start instead.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "searcher")], check=True, cwd=ROOT)
    median_wall(search, 2)  # warm the file cache
    cold = median_wall(search)
    bare = median_wall(whoosh_import)
    importtime = subprocess.run([sys.executable, "-X", "importtime", *search[1:]],
                                capture_output=True, text=True, cwd=ROOT).stderr
    heavy = sorted({m for m in ("sklearn", "pyvi", "sklearn_crfsuite", "pdfminer", "docx", "trafilatura")
                    if re.search(rf"\|\s+{m}(\.|\s*$)", importtime, re.M)})
    return {"cold_search_s": cold, "import_whoosh_s": bare, "cold_vs_import": cold / bare,
            "heavy_imports": heavy}


# --- warm queries --------------------------------------------------------------------------------

def make_queries(seed: int = 7) -> list[tuple[str, str]]:
    """(kind, query) pairs: short accented/unaccented spans of real sentences, phrases, document
    numbers cited in the text, and long ALQAC dev questions (dev only: test stays unseen)."""
    from searcher.normalize import fold
    from searcher.refs import find_citations

    rng = random.Random(seed)
    sentences, _ = real_sentences()
    out = []

    def span(n_min: int, n_max: int) -> str:
        while True:
            words = [w for w in WORD_RE.findall(rng.choice(sentences)) if not w.isdigit()]
            n = rng.randint(n_min, n_max)
            if len(words) >= n:
                i = rng.randint(0, len(words) - n)
                return " ".join(words[i:i + n])

    out += [("accented", span(1, 4)) for _ in range(QUERY_MIX["accented"])]
    out += [("unaccented", fold(span(1, 4))) for _ in range(QUERY_MIX["unaccented"])]
    out += [("phrase", f'"{span(2, 3)}"') for _ in range(QUERY_MIX["phrase"])]
    cited = sorted({c.ref_id for s in rng.sample(sentences, min(len(sentences), 20000)) for c in find_citations(s)})
    out += [("reference", rng.choice(cited)) for _ in range(QUERY_MIX["reference"])] if cited else []
    dev = ALQAC_DOCS.parent / "dev.jsonl"
    questions = [json.loads(line)["query"] for line in dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    long_ones = [q for q in questions if len(q.split()) >= 15] or questions
    out += [("long", q) for q in rng.sample(long_ones, min(QUERY_MIX["long"], len(long_ones)))]
    return out


def fts5_from_index(index_dir: Path) -> sqlite3.Connection:
    """An FTS5 table over exactly the passages vnsearch indexed (title + text)."""
    from whoosh import index as whoosh_index

    from searcher.engines.local import storage

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE p USING fts5(title, text, tokenize='unicode61 remove_diacritics 2')")
    ix = whoosh_index.open_dir(str(storage.current_generation(index_dir)))
    with ix.searcher() as s:
        db.executemany("INSERT INTO p VALUES (?, ?)",
                       ((f.get("title", ""), f["text"]) for f in s.reader().all_stored_fields()))
    ix.close()
    return db


def fts5_query(db: sqlite3.Connection, query: str) -> list:
    tokens = WORD_RE.findall(query.lower())
    if not tokens:
        return []
    if query.startswith('"'):
        match = '"' + " ".join(tokens) + '"'
    else:
        match = " OR ".join(f'"{t}"' for t in tokens)
    return db.execute(f"SELECT rowid FROM p WHERE p MATCH ? ORDER BY bm25(p) LIMIT {LIMIT}", (match,)).fetchall()


def time_each(fn, queries: list[tuple[str, str]]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for kind, q in queries:
        started = time.perf_counter()
        fn(q)
        out.setdefault(kind, []).append(time.perf_counter() - started)
    return out


def bench_warm(index_dir: Path, queries: list[tuple[str, str]], work: Path) -> dict:
    from searcher import Index
    from searcher.errors import VnsearchError

    def vn(q: str):
        try:
            return ix.search(q, limit=LIMIT)
        except VnsearchError:
            return None

    db = fts5_from_index(index_dir)
    with Index.open(index_dir) as ix:
        for _, q in queries[:20]:  # warm caches, both sides
            vn(q)
            fts5_query(db, q)
        ours = time_each(vn, queries)
    api_mean_ms = 1000 * statistics.mean(t for v in ours.values() for t in v)
    theirs = time_each(lambda q: fts5_query(db, q), queries)
    db.close()

    def classes(times: dict[str, list[float]]) -> dict[str, list[float]]:
        return {"short": [t for k, v in times.items() if k != "long" for t in v], "long": times.get("long", [])}

    ours_c, theirs_c = classes(ours), classes(theirs)
    row = {}
    for cls in ("short", "long"):
        if not ours_c[cls]:
            continue
        row[cls] = {
            "p50_ms": 1000 * statistics.median(ours_c[cls]),
            "p95_ms": 1000 * pct(ours_c[cls], 0.95),
            "fts5_p50_ms": 1000 * statistics.median(theirs_c[cls]),
            "fts5_p95_ms": 1000 * pct(theirs_c[cls], 0.95),
        }
        row[cls]["p50_vs_fts5"] = row[cls]["p50_ms"] / row[cls]["fts5_p50_ms"]
        row[cls]["p95_vs_fts5"] = row[cls]["p95_ms"] / row[cls]["fts5_p95_ms"]

    batch = work / "queries.txt"
    batch.write_text("\n".join(q for _, q in queries) + "\n", encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "searcher", "search", "--queries", str(batch), "--json",
                    "--index", str(index_dir), "--limit", str(LIMIT)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    row["cli_batch_ms_per_query"] = 1000 * (time.perf_counter() - started) / len(queries)
    row["api_mean_ms_per_query"] = api_mean_ms
    row["cli_batch_vs_api"] = row["cli_batch_ms_per_query"] / api_mean_ms
    return row


# --- the run -------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000,200000", help="corpus sizes in passages")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--skip-indexing", action="store_true", help="skip the real-text indexing run")
    parser.add_argument("--segmentation-only", action="store_true", help="only the segmenter against pyvi")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict = {"cores": os.cpu_count(), "sizes": {}}

    with tempfile.TemporaryDirectory(prefix="vnsearch-bench-") as tmp:
        work = Path(tmp)
        if not args.skip_indexing and not args.segmentation_only:
            results["indexing"] = bench_indexing(work)
            _print_indexing(results["indexing"])
            results["cold"] = bench_cold(Path(results["indexing"]["index_dir"]))
            _print_cold(results["cold"])
        if not args.skip_indexing or args.segmentation_only:
            results["segmentation"] = bench_segmentation(write_real_text(work / "real-segmentation"))
            _print_segmentation(results["segmentation"])
        queries = make_queries() if not args.segmentation_only else []
        for n in sizes if not args.segmentation_only else []:
            corpus = work / f"corpus-{n}"
            made = make_corpus(n, corpus)
            index_dir = work / f"index-{n}"
            built = index_in_child(corpus, index_dir)
            row = {"corpus": made, "build": built, "size_vs_text": folder_bytes(index_dir) / folder_bytes(corpus),
                   **bench_warm(index_dir, queries, work)}
            results["sizes"][n] = row
            _print_size(n, row)
            shutil.rmtree(index_dir)
            shutil.rmtree(corpus)
    _print_growth(results["sizes"])
    results["targets"] = targets(results)
    _print_targets(results["targets"])
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _print_indexing(r: dict) -> None:
    print(f"indexing real text: {r['files']} files, {r['text_mb']:.1f} MB, {r['passages']} passages, {os.cpu_count()} cores")
    print(f"  pyvi alone (1 process)   {r['pyvi_s']:7.1f} s  {r['pyvi_syllables_per_s']:9.0f} syllables/s")
    print(f"  vnsearch index           {r['index_s']:7.1f} s  {r['index_syllables_per_s']:9.0f} syllables/s  "
          f"{r['index_passages_per_s']:.0f} passages/s  {r['index_mb_per_s']:.2f} MB/s")
    print(f"  throughput vs pyvi       {r['throughput_vs_pyvi']:7.2f}x  (target >= 0.8x)")
    print(f"  index size vs text       {r['size_vs_text']:7.2f}x  ({r['index_mb']:.1f} MB; target <= 5x)")
    print(f"  peak memory              {r['peak_mb']:7.0f} MB main, {r['worker_peak_mb']:.0f} MB largest worker")


def _print_segmentation(r: dict) -> None:
    print(f"segmentation alone vs pyvi: {r['sequences']} passages, {r['syllables']} syllables, 1 process")
    print(f"  pyvi predict             {r['pyvi_s']:7.2f} s  {r['pyvi_syllables_per_s']:9.0f} syllables/s")
    print(f"  vnsearch word_starts     {r['ours_s']:7.2f} s  {r['ours_syllables_per_s']:9.0f} syllables/s")
    print(f"  throughput vs pyvi       {r['ours_vs_pyvi']:7.2f}x  (target >= 2x)")


def _print_cold(r: dict) -> None:
    print(f"cold search {1000 * r['cold_search_s']:.0f} ms vs import whoosh.index {1000 * r['import_whoosh_s']:.0f} ms: "
          f"{r['cold_vs_import']:.2f}x (target <= 2x); heavy modules loaded: {', '.join(r['heavy_imports']) or 'none'}")


def _print_size(n: int, r: dict) -> None:
    b = r["build"]
    print(f"{n} passages ({r['corpus']['chars'] / 1e6:.1f} M chars): build {b['seconds']:.1f} s, "
          f"peak {b['peak_mb']:.0f} MB main / {b['worker_peak_mb']:.0f} MB worker, index {r['size_vs_text']:.2f}x text")
    for cls in ("short", "long"):
        if cls in r:
            c = r[cls]
            print(f"  {cls:<5} p50 {c['p50_ms']:7.1f} ms  p95 {c['p95_ms']:7.1f} ms | FTS5 p50 {c['fts5_p50_ms']:6.2f} ms "
                  f"p95 {c['fts5_p95_ms']:6.2f} ms | {c['p50_vs_fts5']:5.1f}x / {c['p95_vs_fts5']:5.1f}x FTS5")
    print(f"  --queries batch: {r['cli_batch_ms_per_query']:.1f} ms per query, start-up included; "
          f"API mean {r['api_mean_ms_per_query']:.1f} ms ({r['cli_batch_vs_api']:.2f}x)")


def _print_growth(sizes: dict) -> None:
    if len(sizes) < 2:
        return
    small, large = min(sizes), max(sizes)
    for cls in ("short", "long"):
        if cls in sizes[small] and cls in sizes[large]:
            growth = sizes[large][cls]["p50_ms"] / sizes[small][cls]["p50_ms"]
            print(f"growth {small} -> {large} passages ({large / small:.0f}x): {cls} p50 x{growth:.1f}")
    mem = sizes[large]["build"]["peak_mb"] / sizes[small]["build"]["peak_mb"]
    print(f"indexing peak memory {small} -> {large}: x{mem:.2f}")


def targets(results: dict) -> list[tuple[str, str, float, str, bool]]:
    """(measure, figure as shown, ratio, target as shown, met) for every target the run measured."""
    rows = []

    def add(measure: str, value: float, limit: float, at_least: bool = False) -> None:
        met = value >= limit if at_least else value <= limit
        rows.append((measure, f"{value:.2f}x", value, f"{'>=' if at_least else '<='} {limit:g}x", met))

    if "indexing" in results:
        add("indexing real text vs pyvi alone (1 process)", results["indexing"]["throughput_vs_pyvi"], 0.8, True)
        add("index size vs text, real text", results["indexing"]["size_vs_text"], 5)
    if "segmentation" in results:
        add("segmentation alone vs pyvi", results["segmentation"]["ours_vs_pyvi"], 2, True)
    if "cold" in results:
        add("cold `vnsearch search` vs import whoosh.index", results["cold"]["cold_vs_import"], 2)
    for n, r in results["sizes"].items():
        if n >= 50000:  # (smaller corpora repeat fewer sentences: more distinct pairs per byte)
            add(f"index size vs text, {n} recombined", r["size_vs_text"], 4)
        if "short" in r:
            add(f"warm p95, <= 4 words, vs FTS5 p95, {n}", r["short"]["p95_vs_fts5"], 3)
            add(f"warm p50, <= 4 words, vs FTS5, {n}", r["short"]["p50_vs_fts5"], 2)
        if "long" in r:
            add(f"warm p50, long questions, vs FTS5, {n}", r["long"]["p50_vs_fts5"], 5)
        add(f"--queries batch per query vs API mean, {n}", r["cli_batch_vs_api"], 2)
    return rows


def _print_targets(rows: list) -> None:
    if not rows:
        return
    width = max(len(r[0]) for r in rows)
    print("targets:")
    for measure, shown, _, target, met in rows:
        print(f"  {measure:<{width}}  {shown:>7}  target {target:<7}  {'pass' if met else 'MISS'}")


if __name__ == "__main__":
    main()
