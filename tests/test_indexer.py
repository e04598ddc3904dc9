"""Building and updating indexes: incremental runs, atomic replacement, killed runs."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from searcher import Index, build_index
from searcher.errors import IndexBusy
from searcher.engines.local.storage import write_lock

from conftest import CORPUS


def doc_ids(index_dir, query="tết", limit=50):
    with Index.open(index_dir) as ix:
        return sorted({h.doc_id for h in ix.search(query, limit=limit).hits})


def test_incremental_update_reads_only_changed_files(tmp_path, make_corpus):
    root = make_corpus({"a.txt": "Đón Tết an toàn.", "b.txt": "Tết Nguyên đán vui tươi.", "c.txt": "Bảo hiểm y tế."})
    index_dir = tmp_path / "ix"
    assert build_index([root], index_dir).mode == "full"
    (root / "b.txt").write_text("Bảo hiểm xã hội tỉnh.", encoding="utf-8")  # changed
    (root / "c.txt").unlink()  # removed
    (root / "d.txt").write_text("Chúc Tết mọi nhà.", encoding="utf-8")  # new
    report = build_index([root], index_dir)
    assert (report.mode, report.files_changed, report.files_removed, report.files_unchanged) == ("incremental", 2, 1, 1)
    assert doc_ids(index_dir) == ["a.txt", "d.txt"]
    assert doc_ids(index_dir, "bao hiem") == ["b.txt"]
    assert build_index([root], index_dir).mode == "unchanged"


def test_touched_but_identical_file_is_not_reindexed(tmp_path, make_corpus):
    root = make_corpus({"a.txt": "Đón Tết an toàn."})
    build_index([root], tmp_path / "ix")
    os.utime(root / "a.txt", (time.time() + 10, time.time() + 10))
    assert build_index([root], tmp_path / "ix").mode == "unchanged"


def test_rebuild_and_other_roots_build_from_scratch(tmp_path, make_corpus):
    root = make_corpus({"a.txt": "Đón Tết an toàn."})
    build_index([root], tmp_path / "ix")
    assert build_index([root], tmp_path / "ix", rebuild=True).mode == "full"
    assert build_index([CORPUS], tmp_path / "ix").mode == "full"
    assert "a.txt" not in doc_ids(tmp_path / "ix")


def test_lexicon_and_catalogue_follow_updates(tmp_path, make_corpus):
    root = make_corpus({"a.txt": "Thực hiện Chỉ thị số 19-CT/TW về nông thôn mới (NTM)."})
    index_dir = tmp_path / "ix"
    build_index([root], index_dir)
    with Index.open(index_dir) as ix:
        assert list(ix.catalogue) == ["19-CT/TW"]
        assert ix.lexicon["abbreviations"] == {"ntm": "nong thon moi"}
    (root / "a.txt").write_text("Thực hiện Chỉ thị số 16-CT/TU.", encoding="utf-8")
    build_index([root], index_dir)
    with Index.open(index_dir) as ix:
        assert list(ix.catalogue) == ["16-CT/TU"]


def test_a_second_writer_is_refused_while_one_runs(tmp_path, make_corpus):
    root = make_corpus({"a.txt": "Đón Tết an toàn."})
    with write_lock(tmp_path / "ix"):
        with pytest.raises(IndexBusy):
            build_index([root], tmp_path / "ix")


def _big_corpus(root, n_docs):
    """Many documents recombined from the bundled corpus, so that indexing takes a while."""
    sentences = [s.strip() for f in sorted(CORPUS.glob("*.txt")) for s in f.read_text(encoding="utf-8").split(".") if len(s.split()) > 5]
    root.mkdir()
    for i in range(n_docs):
        picked = [sentences[(i * 7 + k * 13) % len(sentences)] for k in range(12)]
        (root / f"doc{i:04d}.txt").write_text(f"Tài liệu {i}\n\n" + ". ".join(picked) + ".", encoding="utf-8")


@pytest.mark.parametrize("delay", [0.3, 1.2, 2.5])
def test_killed_index_run_leaves_previous_index_searchable(tmp_path, make_corpus, delay):
    small = make_corpus({"a.txt": "Đón Tết an toàn, tiết kiệm."})
    index_dir = tmp_path / "ix"
    build_index([small], index_dir)
    before = doc_ids(index_dir)
    big = tmp_path / "big"
    _big_corpus(big, 400)
    cmd = [sys.executable, "-m", "searcher", "index", str(big), "--index", str(index_dir), "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its analysis workers
    proc.wait()
    after = doc_ids(index_dir)
    if "a.txt" in after:  # killed before publishing: the previous index, whole
        assert after == before
    else:  # the run had finished and published before the kill: the new index, whole
        assert len(doc_ids(index_dir, "tai lieu", limit=1000)) == 400
    # Nothing the killed run left blocks the next one.
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "doc0399.txt" in doc_ids(index_dir, "tai lieu 399", limit=5)
    assert len(list(index_dir.glob("gen-*"))) == 1  # the killed run's partial generation is gone


def _children(pid: int) -> set[int]:
    """Processes whose parent is pid (Linux /proc)."""
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.add(int(stat.parent.name))
    return out


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_helper_processes_exit_when_the_index_run_is_killed(tmp_path):
    big = tmp_path / "big"
    _big_corpus(big, 600)  # big enough to analyse and write on every core
    cmd = [sys.executable, "-m", "searcher", "index", str(big), "--index", str(tmp_path / "ix"), "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    helpers: set[int] = set()
    while time.monotonic() < deadline and proc.poll() is None and len(helpers) < 2:
        helpers |= _children(proc.pid)
        time.sleep(0.1)
    os.kill(proc.pid, signal.SIGKILL)  # only the main process: its helpers must notice
    proc.wait()
    assert helpers, "the run never started helper processes"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in helpers):
        time.sleep(0.2)
    alive = [p for p in helpers if Path(f"/proc/{p}/stat").exists()
             and Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"]
    assert not alive


def test_killed_incremental_update_keeps_the_previous_index(tmp_path):
    big = tmp_path / "big"
    _big_corpus(big, 300)
    index_dir = tmp_path / "ix"
    build_index([big], index_dir)
    before = doc_ids(index_dir, "tai lieu", limit=1000)
    for f in sorted(big.iterdir())[:200]:
        f.write_text(f.read_text(encoding="utf-8") + " Tết Nguyên đán.", encoding="utf-8")
    cmd = [sys.executable, "-m", "searcher", "index", str(big), "--index", str(index_dir), "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(1.0)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert doc_ids(index_dir, "tai lieu", limit=1000) == before
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    assert len(doc_ids(index_dir, "nguyen dan", limit=1000)) >= 200


def _tree(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None for p in folder.rglob("*")}


def test_a_folder_that_holds_something_else_is_refused_and_left_untouched(tmp_path, make_corpus):
    from click.testing import CliRunner

    from searcher.cli import cli

    root = make_corpus({"a.txt": "Đón Tết an toàn."})
    theirs = tmp_path / "thesis"
    (theirs / "gen-thesis-drafts").mkdir(parents=True)
    (theirs / "gen-thesis-drafts" / "chapter1.md").write_text("Chương 1", encoding="utf-8")
    (theirs / "CURRENT").write_text("gen-thesis-drafts\n")  # even a CURRENT naming a gen-* folder
    before = _tree(theirs)
    for argv in (["index", str(root)], ["index", str(root), "--rebuild"], ["index"]):
        result = CliRunner().invoke(cli, [*argv, "--index", str(theirs)], catch_exceptions=False)
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr == (f"vnsearch: error: {theirs} is not empty and holds no vnsearch index: refusing "
                                 f"to write into it (give --index a new or empty folder, or an existing index)\n")
        assert _tree(theirs) == before  # not even a lock file


def test_only_generations_vnsearch_made_are_deleted(tmp_path, make_corpus):
    root = make_corpus({"a.txt": "Đón Tết an toàn."})
    index_dir = tmp_path / "ix"
    build_index([root], index_dir)
    user = index_dir / "gen-thesis-drafts"  # put into the index folder by its user
    user.mkdir()
    (user / "chapter1.md").write_text("Chương 1", encoding="utf-8")
    (root / "a.txt").write_text("Bảo hiểm y tế.", encoding="utf-8")
    assert build_index([root], index_dir).mode == "incremental"
    assert build_index([root], index_dir, rebuild=True).mode == "full"
    assert (user / "chapter1.md").read_text(encoding="utf-8") == "Chương 1"
    assert len(list(index_dir.glob("gen-*"))) == 2  # the user's and the current one


def test_a_killed_builds_generation_is_removed_even_when_nothing_changed(tmp_path, make_corpus):
    from searcher.engines.local import storage

    root = make_corpus({"a.txt": "Đón Tết an toàn."})
    index_dir = tmp_path / "ix"
    build_index([root], index_dir)
    partial = storage.new_generation(index_dir)  # as kill -9 leaves it: marked, half written
    (partial / "MAIN_abc.seg").write_bytes(b"\0" * 100_000)
    assert build_index([root], index_dir).mode == "unchanged"
    assert not partial.exists()
    with Index.open(index_dir) as ix:
        assert ix.stats()["other_bytes"] < 100  # only CURRENT and the lock file


def test_indexing_other_paths_says_the_index_is_replaced(tmp_path, make_corpus):
    first, second = make_corpus({"a.txt": "Đón Tết an toàn."}), tmp_path / "more"
    second.mkdir()
    (second / "b.txt").write_text("Tết Nguyên đán.", encoding="utf-8")
    index_dir = tmp_path / "ix"
    warnings = []
    build_index([first], index_dir, warn=warnings.append)
    build_index([first], index_dir, warn=warnings.append, rebuild=True)
    assert warnings == []
    build_index([second], index_dir, warn=warnings.append)
    assert warnings == [f"{index_dir} was an index of {first.resolve()}; it now becomes an index of "
                        f"{second.resolve()} only (to keep both, index them together in one run)"]
    assert doc_ids(index_dir) == ["b.txt"]


def test_stats_counts_superseded_generations_apart(tmp_path, make_corpus):
    root = make_corpus({"a.txt": "Đón Tết an toàn."})
    index_dir = tmp_path / "ix"
    build_index([root], index_dir)
    with Index.open(index_dir) as old:  # a reader keeps the first generation on disk
        size = old.stats()["size_bytes"]
        build_index([root], index_dir, rebuild=True)
        with Index.open(index_dir) as new:
            stats = new.stats()
    files = [p for p in index_dir.rglob("*") if p.is_file()]
    assert stats["size_bytes"] + stats["other_bytes"] == sum(p.stat().st_size for p in files)
    assert stats["other_bytes"] >= size


def test_a_folder_of_bad_files_indexes_the_good_ones_and_says_why(tmp_path, make_corpus, monkeypatch):
    """Every bad file gets one warning naming it; the summary counts what was skipped and why."""
    from click.testing import CliRunner

    from searcher.cli import cli

    good = "Tết Nguyên đán là dịp sum họp gia đình. Người dân đi chợ hoa ngày Tết."
    root = make_corpus({
        "good.txt": good,
        "empty.txt": "",
        "binary.txt": bytes(range(256)) * 4,
        "undecodable.txt": b"\x81\x8d\x8f\x90\x9d" * 50,
        "secret.txt": "Bí mật về Tết",
        "records.jsonl": [{"id": "r1", "text": "Bảo hiểm y tế dịp Tết"}, {"text": "no id"},
                          {"id": "r2"}, {"id": "r1", "text": "duplicate"}],
    })
    with open(root / "records.jsonl", "a", encoding="utf-8") as f:
        f.write("{broken json\n")
    (root / "dangling.txt").symlink_to(root / "gone.txt")
    with open(root / "huge.txt", "wb") as f:  # one 25 MB line: a dump, not prose
        f.write(("bảo hiểm xã hội " * (25 * 1024 * 1024 // 20)).encode("utf-8").replace(b"\n", b" "))
    real_open = os.open

    def no_permission(path, *args, **kwargs):
        if str(path).endswith("secret.txt"):  # chmod 000 does not stop root, so refuse here
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", no_permission)
    index_dir = tmp_path / "index"
    result = CliRunner().invoke(cli, ["index", str(root), "--index", str(index_dir)], catch_exceptions=False)

    assert result.exit_code == 0
    warnings = result.stderr.splitlines()[:-1]
    for name in ["empty.txt", "binary.txt", "undecodable.txt", "secret.txt", "dangling.txt", "huge.txt",
                 "records.jsonl:2", "records.jsonl:3", "records.jsonl:4", "records.jsonl:5"]:
        assert sum(name in w for w in warnings) == 1, name
    assert len(warnings) == 10 and all(w.startswith("vnsearch: warning: ") for w in warnings)
    summary = result.stderr.splitlines()[-1]
    assert "2 files read (2 documents)" in summary
    assert "6 skipped (1 broken symlink, 1 empty, 1 too large, 2 undecodable, 1 unreadable)" in summary
    assert "4 JSONL lines skipped (1 duplicate id, 1 invalid JSON, 1 no id, 1 no text)" in summary
    assert doc_ids(index_dir) == ["good.txt", "r1"]


def test_a_long_single_line_file_becomes_many_passages(tmp_path, make_corpus):
    sentence = "Chỉ thị số 19-CT/TW yêu cầu tổ chức Tết vui tươi, lành mạnh, an toàn, tiết kiệm. "
    index_dir = tmp_path / "index"
    report = build_index([make_corpus({"one-line.txt": sentence * 400})], index_dir)
    assert report.passages > 20
    with Index.open(index_dir) as ix:
        hits = ix.search("tiet kiem", limit=100).hits
    assert len(hits) == report.passages and {h.line for h in hits} == {1}
    assert all(len(h.text) <= 3000 for h in hits)


def test_nothing_indexable_is_an_error(tmp_path, make_corpus):
    from click.testing import CliRunner

    from searcher.cli import cli

    root = make_corpus({"empty.txt": "", "image.png": b"\x89PNG"})
    result = CliRunner().invoke(cli, ["index", str(root), "--index", str(tmp_path / "index")])
    assert result.exit_code == 2 and result.stderr.splitlines()[-1].startswith("vnsearch: error: nothing to index")
    assert not (tmp_path / "index" / "CURRENT").exists()


@pytest.mark.parametrize("batch_chars", [1, 90])
def test_analysis_streams_documents_through_a_bounded_window(monkeypatch, batch_chars):
    from searcher import indexer
    from searcher.corpus import Document
    from searcher.indexer import IN_FLIGHT_PER_WORKER, _analyses

    monkeypatch.setattr(indexer, "BATCH_CHARS", batch_chars)  # 1: each document alone; 90: three together
    pulled = []

    def documents():
        for i in range(100):
            pulled.append(i)
            yield Document(doc_id=f"d{i}", title="", text=f"Văn bản số {i} về bảo hiểm y tế.", path="x")

    results = _analyses(documents(), parallel=True)
    first = next(results)
    assert first[0]["doc_id"] == "d0"
    # Memory holds a window of batches of documents, not the corpus.
    per_batch = 1 if batch_chars == 1 else 3
    assert len(pulled) <= (os.cpu_count() or 1) * IN_FLIGHT_PER_WORKER * per_batch + per_batch
    assert [r[0]["doc_id"] for r in results] == [f"d{i}" for i in range(1, 100)]


def test_short_documents_go_to_analysis_together_in_order():
    from searcher.corpus import Document
    from searcher.indexer import _batches

    docs = [Document(doc_id=f"d{i}", title="", text="x" * size, path="x") for i, size in enumerate([3, 4, 10, 2, 2, 1])]
    assert [[d.doc_id for d in batch] for batch in _batches(docs, 7)] == [["d0", "d1"], ["d2"], ["d3", "d4", "d5"]]


def test_a_file_name_that_is_not_utf8_is_indexed_and_updated(tmp_path, make_corpus):
    root = make_corpus({"a.txt": "Đón Tết an toàn."})
    name = os.fsdecode(b"b\xe1o-c\xe1o.txt")  # Windows-1252 bytes, as old zips leave them
    (root / name).write_text("Báo cáo\n\nBảo hiểm xã hội tỉnh, nông thôn mới.", encoding="utf-8")
    (root / "records.jsonl").write_text('{"id": "lone \\udcff", "text": "Bảo hiểm y tế \\ud800"}\n', encoding="utf-8")
    index_dir = tmp_path / "ix"
    warnings = []
    report = build_index([root], index_dir, warn=warnings.append)
    assert report.read.files_read == 3 and warnings == []
    with Index.open(index_dir) as ix:
        hit = ix.search("bao hiem xa hoi", limit=1).hits[0]
        assert (hit.doc_id, hit.path) == (name, str((root / name).resolve()))  # the name, exactly
        jsonl_hit = ix.search("bao hiem y te", limit=1).hits[0]
        assert (jsonl_hit.doc_id, jsonl_hit.text) == ("lone \ufffd", "Bảo hiểm y tế \ufffd")
    assert build_index([root], index_dir).mode == "unchanged"  # meta.json kept the name
    (root / name).write_text("Báo cáo\n\nChúc mọi nhà sum họp.", encoding="utf-8")
    assert build_index([root], index_dir).files_changed == 1
    assert doc_ids(index_dir, "nong thon") == []  # the old passages went
    assert doc_ids(index_dir, "sum hop") == [name]


def test_symlink_loops_do_not_stop_a_build(tmp_path, make_corpus):
    root = make_corpus({"a.txt": "Đón Tết an toàn."})
    (root / "photo.jpg").symlink_to("photo.jpg")
    (root / "sub").mkdir()
    (root / "sub" / "up").symlink_to("..")
    warnings = []
    report = build_index([root], tmp_path / "ix", warn=warnings.append)
    assert doc_ids(tmp_path / "ix") == ["a.txt"]
    assert report.read.skipped == {"symlink loop": 2} and len(warnings) == 2
    assert report.summary().startswith("1 file read (1 document); 2 skipped (2 symlink loops); 1 passage indexed")


def test_links_outside_the_folders_are_indexed_only_with_follow_links(tmp_path, make_corpus):
    root = make_corpus({"a.txt": "Đón Tết an toàn."})
    (tmp_path / "secret.txt").write_text("Mật khẩu Tết", encoding="utf-8")
    (root / "secret.txt").symlink_to(tmp_path / "secret.txt")
    index_dir = tmp_path / "ix"
    report = build_index([root], index_dir)
    assert doc_ids(index_dir) == ["a.txt"]
    assert report.read.skipped == {"link outside the indexed folders": 1}
    build_index([root], index_dir, follow_links=True)
    assert doc_ids(index_dir) == ["a.txt", "secret.txt"]
    build_index([root], index_dir)  # and out again without it
    assert doc_ids(index_dir) == ["a.txt"]


def test_overlapping_paths_index_each_file_once(tmp_path, make_corpus):
    root = make_corpus({"web/a.txt": "Đón Tết an toàn.", "web/b.txt": "Chúc Tết."})
    web = root / "web"
    warnings = []
    build_index([web, web / "a.txt", web], tmp_path / "ix", warn=warnings.append)
    with Index.open(tmp_path / "ix") as ix:
        assert [h.doc_id for h in ix.search("toan", limit=10).hits] == ["web/a.txt"]
    assert warnings == []


def test_copies_are_indexed_once_and_reported_across_incremental_runs(tmp_path, make_corpus):
    root = make_corpus({"a.txt": "Đón Tết an toàn.", "b.txt": "Chúc Tết mọi nhà."})
    os.link(root / "a.txt", root / "hard.txt")
    (root / "copy.txt").write_bytes((root / "a.txt").read_bytes())
    index_dir = tmp_path / "ix"
    warnings = []
    report = build_index([root], index_dir, warn=warnings.append)
    assert warnings == [f"{root / 'hard.txt'}: same file as {root / 'a.txt'}, skipped",
                        f"{root / 'copy.txt'}: same content as {root / 'a.txt'}, skipped"]
    assert report.read.skipped == {"duplicate": 2}
    assert doc_ids(index_dir) == ["a.txt", "b.txt"]
    assert build_index([root], index_dir).mode == "unchanged"
    (root / "hard.txt").unlink()
    (root / "a.txt").unlink()  # the original went: its copy takes its place
    report = build_index([root], index_dir)
    assert (report.mode, report.files_changed, report.files_removed) == ("incremental", 1, 1)
    assert doc_ids(index_dir) == ["b.txt", "copy.txt"]
    assert build_index([root], index_dir).mode == "unchanged"


def test_duplicate_ids_across_jsonl_files_are_skipped_across_incremental_runs(tmp_path, make_corpus):
    root = make_corpus({"a.jsonl": [{"id": "x", "text": "Đón Tết an toàn."}],
                        "b.jsonl": [{"id": "x", "text": "Chúc Tết mọi nhà."}, {"id": "y", "text": "Tết đến."}]})
    index_dir = tmp_path / "ix"
    warnings = []
    report = build_index([root], index_dir, warn=warnings.append)
    assert warnings == [f"{root / 'b.jsonl'}:1: duplicate id 'x' (first in {root / 'a.jsonl'}:1), line skipped"]
    assert report.read.lines_skipped == {"duplicate id": 1}
    assert doc_ids(index_dir) == ["x", "y"] and doc_ids(index_dir, "chuc") == []
    with open(root / "b.jsonl", "a", encoding="utf-8") as f:  # b changes, a is kept as it was
        f.write('{"id": "z", "text": "Tết sum họp."}\n')
    warnings.clear()
    build_index([root], index_dir, warn=warnings.append)
    assert warnings == [f"{root / 'b.jsonl'}:1: duplicate id 'x' (first in {root / 'a.jsonl'}:1), line skipped"]
    assert doc_ids(index_dir) == ["x", "y", "z"] and doc_ids(index_dir, "chuc") == []
    (root / "a.jsonl").write_text('{"id": "w", "text": "Tết khác."}\n', encoding="utf-8")  # x is free now
    build_index([root], index_dir)
    assert doc_ids(index_dir, "chuc") == ["x"]
    assert build_index([root], index_dir).mode == "unchanged"


def test_summary_counts_in_the_singular(tmp_path, make_corpus):
    report = build_index([make_corpus({"a.txt": "Đón Tết an toàn."})], tmp_path / "ix")
    assert report.summary() == "1 file read (1 document); 1 passage indexed"
    assert build_index([tmp_path / "docs"], tmp_path / "ix").summary() == "index is up to date (1 file unchanged)"


def test_passage_records_carry_their_section_only_in_legal_text():
    from searcher.corpus import Document
    from searcher.indexer import analyze_document

    law = Document("luat.txt", "LUẬT THỬ NGHIỆM", "luat.txt",
                   "LUẬT THỬ NGHIỆM\n\nĐiều 1. Phạm vi\nLuật này quy định về thử nghiệm.\n\n"
                   "Điều 2. Hiệu lực\nLuật này có hiệu lực từ ngày ký.\n")
    assert [r.get("section") for r in analyze_document(law)] == [None, "Điều 1", "Điều 2"]
    assert "section" not in analyze_document(law)[0]
    record = Document("luat/3", "Luật Thử nghiệm - Điều 3", "luat.jsonl", "Giải thích\n\n1. Thử nghiệm là việc làm thử.", line=3)
    assert [(r["section"], r["line"]) for r in analyze_document(record)] == [("Điều 3", 3)]
    # A file's title is its first line: a news story titled after an article is not that article.
    story = Document("tin.txt", "Góp ý sửa đổi Điều 3", "tin.txt", "Góp ý sửa đổi Điều 3\n\n1. Bổ sung đối tượng.")
    assert [r.get("section") for r in analyze_document(story)] == [None]


def test_an_analysis_process_that_dies_is_an_error_naming_how(monkeypatch):
    from searcher import indexer
    from searcher.corpus import Document

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(indexer, "analyze_document", lambda doc: os._exit(3))  # in the worker it was forked into
    docs = [Document(doc_id=f"d{i}", title="", text="Bảo hiểm y tế.", path="x") for i in range(4)]
    with pytest.raises(ChildProcessError, match=r"^an analysis process stopped with status 3$"):
        list(indexer._analyses(docs, parallel=True))
