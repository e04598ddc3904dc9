"""Re-indexing cost: a full build against an unchanged re-run and a one-file update, same corpus.

The corpus is one .txt file per ALQAC law article (../shared/eval/alqac/docs.jsonl, written to a
temporary folder, never into the project), or any folder given with --corpus. Figures are
ratios against the full build measured in the same run.

    python bench/reindex.py
    python bench/reindex.py --corpus ~/documents --json bench/out/reindex.json
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "alqac" / "docs.jsonl"


def write_articles(folder: Path, docs_path: Path) -> int:
    """One text file per article: title on the first line, as the bundled corpus has it."""
    count = 0
    for line in docs_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        name = "".join(c if c.isalnum() else "-" for c in record["id"]) + ".txt"
        (folder / name).write_text(f"{record.get('title') or record['id']}\n\n{record['text']}\n", encoding="utf-8")
        count += 1
    return count


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main() -> None:
    from searcher import build_index

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="folder to index (default: ALQAC articles as .txt)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = args.corpus
        if corpus is None:
            corpus = tmp / "articles"
            corpus.mkdir()
            write_articles(corpus, DEFAULT_DATA)
        index_dir = tmp / "index"
        full, report = timed(lambda: build_index([corpus], index_dir))
        unchanged, again = timed(lambda: build_index([corpus], index_dir))
        assert again.mode == "unchanged", again.mode
        some_file = next(p for p in sorted(corpus.rglob("*.txt")))
        some_file.write_text(some_file.read_text(encoding="utf-8") + "\nThêm một câu mới.\n", encoding="utf-8")
        one_changed, update = timed(lambda: build_index([corpus], index_dir))
        assert update.mode == "incremental" and update.files_changed == 1

    rows = {
        "files": report.read.files_read,
        "passages": report.passages,
        "full_build_s": round(full, 3),
        "unchanged_s": round(unchanged, 3),
        "one_file_changed_s": round(one_changed, 3),
        "full_over_unchanged": round(full / unchanged, 1),
        "full_over_one_changed": round(full / one_changed, 1),
    }
    print(f"{rows['files']} files, {rows['passages']} passages")
    print(f"{'run':<22}{'seconds':>9}{'full build / run':>18}")
    print(f"{'full build':<22}{full:>9.2f}{1.0:>17.1f}x")
    print(f"{'unchanged re-index':<22}{unchanged:>9.2f}{full / unchanged:>17.1f}x")
    print(f"{'one file changed':<22}{one_changed:>9.2f}{full / one_changed:>17.1f}x")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
