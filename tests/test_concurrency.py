"""Searches during re-indexes: a reader always finds a whole index, and no build deletes it."""
import json
import subprocess
import sys
import time

from searcher import Index, build_index

# A loop of incremental re-indexes: each changes one file, so each publishes a new generation.
WRITER = """
import os, pathlib, sys, time
from searcher import build_index
root, index_dir, rounds, ready, go, done = pathlib.Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), *sys.argv[4:]
build_index([root], index_dir)  # loads the analysis once, before the timed part starts
pathlib.Path(ready).touch()
while not os.path.exists(go):
    time.sleep(0.01)
modes = []
for i in range(rounds):
    (root / "changing.txt").write_text(f"Lần sửa {i}: đón Tết an toàn, tiết kiệm.", encoding="utf-8")
    modes.append(build_index([root], index_dir).mode)
pathlib.Path(done).write_text(" ".join(modes))
"""

# Opens the index afresh for every search, as `vnsearch search` does, until the writer is done.
READER = """
import json, os, pathlib, sys, time
from searcher import Index
index_dir, most, ready, go, done = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
with Index.open(index_dir) as ix:
    ix.search("tết")
pathlib.Path(ready).touch()
while not os.path.exists(go):
    time.sleep(0.01)
searches, failures, generations = 0, [], set()
while searches < most and not os.path.exists(done):
    searches += 1
    try:
        with Index.open(index_dir) as ix:
            generations.add(ix.backend.generation.name)
            if not ix.search("tết", limit=5).hits:
                failures.append("no hits")
    except Exception as e:
        failures.append(f"{type(e).__name__}: {e}")
print(json.dumps({"searches": searches, "failures": failures, "generations": sorted(generations)}))
"""
ROUNDS = 25


def test_searches_never_fail_while_reindexes_publish(tmp_path, make_corpus):
    root = make_corpus({f"doc{i}.txt": f"Văn bản {i}\n\nChỉ thị về Tết Quý Mão số {i}." for i in range(5)})
    index_dir = tmp_path / "ix"
    build_index([root], index_dir)
    go, done = tmp_path / "go", tmp_path / "writer-done"
    ready = [tmp_path / f"ready-{n}" for n in range(3)]
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(root), str(index_dir), str(ROUNDS), str(ready[0]),
                               str(go), str(done)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    readers = [
        subprocess.Popen([sys.executable, "-c", READER, str(index_dir), "1500", str(r), str(go), str(done)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for r in ready[1:]
    ]
    for _ in range(600):  # at most a minute to start
        if all(r.exists() for r in ready) or any(p.poll() is not None for p in [writer, *readers]):
            break
        time.sleep(0.1)
    go.touch()
    _, writer_err = writer.communicate(timeout=120)
    done.touch()  # stops the readers even if the writer failed
    results = []
    for reader in readers:
        out, err = reader.communicate(timeout=120)
        assert reader.returncode == 0, err
        results.append(json.loads(out))
    assert writer.returncode == 0, writer_err
    assert done.read_text() == " ".join(["incremental"] * ROUNDS)
    failures = [f for r in results for f in r["failures"]]
    searches = sum(r["searches"] for r in results)
    seen = set().union(*(r["generations"] for r in results))
    assert failures == [], f"{len(failures)} of {searches} searches failed: {failures[:3]}"
    # The searches really overlapped the publishing: they met many of the generations.
    assert searches >= 200 and len(seen) >= ROUNDS // 2, (searches, len(seen))
    # Every superseded generation is gone once no reader holds it.
    build_index([root], index_dir, rebuild=True)
    assert len(list(index_dir.glob("gen-*"))) == 1


def test_an_open_index_keeps_answering_across_a_reindex(tmp_path, make_corpus):
    root = make_corpus({"a.txt": "Đón Tết an toàn.", "b.txt": "Bảo hiểm y tế."})
    index_dir = tmp_path / "ix"
    build_index([root], index_dir)
    with Index.open(index_dir) as old:
        (root / "a.txt").write_text("Bảo hiểm xã hội tỉnh.", encoding="utf-8")
        assert build_index([root], index_dir).mode == "incremental"
        assert build_index([root], index_dir, rebuild=True).mode == "full"
        # The generation it opened is kept for it: same answers, same counts, told it is stale.
        assert old.stale
        assert [h.doc_id for h in old.search("tết").hits] == ["a.txt"]
        assert old.stats()["passages"] == 2 and old.stats()["size_bytes"] > 0
        assert old.backend.generation.exists()
        with Index.open(index_dir) as new:
            assert not new.stale and new.search("tết").hits == []
    # Closed: the next run removes it.
    assert build_index([root], index_dir, rebuild=True).mode == "full"
    assert not old.backend.generation.exists()
    assert len(list(index_dir.glob("gen-*"))) == 1
