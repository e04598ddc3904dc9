"""Re-indexing cost: a full build against an unchanged re-run, a one-file update and an update of a share of the files.

The corpus is one .txt file per ALQAC law article (../shared/eval/alqac/docs.jsonl, written to a
temporary folder, never into the project), or a copy of any folder given with --corpus. Figures
are ratios against the full build measured in the same run. Changing --changed-share of the
files (a quarter by default) deletes more than base.DELETED_SHARE of the segment's passages, so
that update rewrites the segment without them (writer._merge_policy): it is measured against a
fresh build of the same changed files, and with --whoosh-copy also through whoosh's own
per-posting add_reader (what vnsearch used before), on a copy of the same index.

    python bench/reindex.py
    python bench/reindex.py --corpus ~/documents --json bench/out/reindex.json
    python bench/reindex.py --limit 200 --whoosh-copy     # a quick check that it runs
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "alqac" / "docs.jsonl"


def write_articles(folder: Path, docs_path: Path, limit: int | None = None) -> int:
    """One text file per article: title on the first line, as the bundled corpus has it."""
    count = 0
    for line in docs_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if limit is not None and count >= limit:
            break
        record = json.loads(line)
        name = "".join(c if c.isalnum() else "-" for c in record["id"]) + ".txt"
        (folder / name).write_text(f"{record.get('title') or record['id']}\n\n{record['text']}\n", encoding="utf-8")
        count += 1
    return count


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def copied_segments():
    """Records (passages, live passages) of each segment an update copies into its new one."""
    from searcher.engines.local.postingwriter import PostingWriter

    copied = []
    add_reader = PostingWriter.add_reader

    def recording(writer, reader):
        copied.append((reader.doc_count_all(), reader.doc_count()))
        add_reader(writer, reader)

    PostingWriter.add_reader = recording
    return copied


def whooshs_copy():
    """Has updates copy segments through whoosh's own add_reader; returns the undoing function."""
    from whoosh.writing import SegmentWriter

    from searcher.engines.local.postingwriter import PostingWriter

    ours = PostingWriter.add_reader
    PostingWriter.add_reader = SegmentWriter.add_reader

    def undo():
        PostingWriter.add_reader = ours

    return undo


def main() -> None:
    from searcher import build_index

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="folder to index (default: ALQAC articles as .txt)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--limit", type=int, help="only the first N articles (default: all)")
    parser.add_argument("--changed-share", type=float, default=0.25,
                        help="share of the files changed for the update that rewrites the segment (default: 0.25)")
    parser.add_argument("--whoosh-copy", action="store_true",
                        help="also time that update with whoosh's per-posting add_reader")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "articles"
        if args.corpus is None:
            corpus.mkdir()
            write_articles(corpus, DEFAULT_DATA, args.limit)
        else:
            shutil.copytree(args.corpus, corpus)  # the files are changed below: never the user's
        index_dir = tmp / "index"
        full, report = timed(lambda: build_index([corpus], index_dir))
        unchanged, again = timed(lambda: build_index([corpus], index_dir))
        assert again.mode == "unchanged", again.mode
        some_file = next(p for p in sorted(corpus.rglob("*.txt")))
        some_file.write_text(some_file.read_text(encoding="utf-8") + "\nThêm một câu mới.\n", encoding="utf-8")
        one_changed, update = timed(lambda: build_index([corpus], index_dir))
        assert update.mode == "incremental" and update.files_changed == 1

        texts = sorted(corpus.rglob("*.txt"))
        step = max(1, round(1 / args.changed_share))
        for path in texts[::step]:
            path.write_text(path.read_text(encoding="utf-8") + "\nThêm một câu khác.\n", encoding="utf-8")
        if args.whoosh_copy:
            shutil.copytree(index_dir, tmp / "index-whoosh")
        copied = copied_segments()
        share_changed, update = timed(lambda: build_index([corpus], index_dir))
        assert update.mode == "incremental" and update.files_changed == len(texts[::step]), update.files_changed
        assert any(live < 0.9 * passages for passages, live in copied), copied  # a worn segment rewritten
        fresh, _ = timed(lambda: build_index([corpus], tmp / "fresh"))
        whoosh_copy = None
        if args.whoosh_copy:
            undo = whooshs_copy()
            try:
                whoosh_copy, _ = timed(lambda: build_index([corpus], tmp / "index-whoosh"))
            finally:
                undo()

    rows = {
        "files": report.read.files_read,
        "passages": report.passages,
        "full_build_s": round(full, 3),
        "unchanged_s": round(unchanged, 3),
        "one_file_changed_s": round(one_changed, 3),
        "full_over_unchanged": round(full / unchanged, 1),
        "full_over_one_changed": round(full / one_changed, 1),
        "share_changed": round(len(texts[::step]) / len(texts), 3),
        "segments_copied": copied,  # (passages, live passages) of each segment copied into the new one
        "share_changed_s": round(share_changed, 3),
        "fresh_build_of_changed_s": round(fresh, 3),
        "share_changed_over_fresh": round(share_changed / fresh, 2),
    }
    if whoosh_copy is not None:
        rows["share_changed_whoosh_copy_s"] = round(whoosh_copy, 3)
        rows["whoosh_copy_over_fresh"] = round(whoosh_copy / fresh, 2)
    print(f"{rows['files']} files, {rows['passages']} passages")
    print(f"{'run':<22}{'seconds':>9}{'full build / run':>18}")
    print(f"{'full build':<22}{full:>9.2f}{1.0:>17.1f}x")
    print(f"{'unchanged re-index':<22}{unchanged:>9.2f}{full / unchanged:>17.1f}x")
    print(f"{'one file changed':<22}{one_changed:>9.2f}{full / one_changed:>17.1f}x")
    changed = f"{rows['share_changed']:.0%} changed"
    print(f"\n{'run':<26}{'seconds':>9}{'run / fresh build':>19}   (segments copied, passages and live ones: {copied})")
    print(f"{'fresh build':<26}{fresh:>9.2f}{1.0:>18.2f}x")
    print(f"{changed:<26}{share_changed:>9.2f}{share_changed / fresh:>18.2f}x")
    if whoosh_copy is not None:
        print(f"{changed + ', whoosh copy':<26}{whoosh_copy:>9.2f}{whoosh_copy / fresh:>18.2f}x")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
