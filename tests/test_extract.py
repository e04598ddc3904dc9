"""Bounded extraction: --max-doc-size bounds the text and the work of getting it, in every format."""
import os
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import format_fixtures as fx
from searcher import Index, build_index
from searcher.cli import cli
from searcher.extract import Extractor, Limits
from searcher.readers import MB, Extracted, ReadError, TooLarge

LIMIT = 0.1  # MB: what these tests pass as --max-doc-size


def test_limits_follow_the_document_size_limit():
    assert Limits.for_document(20 * MB) == Limits(memory_bytes=896 * MB, cpu_seconds=70, wall_seconds=220)
    assert Limits.for_document(MB // 10) == Limits(memory_bytes=256 * MB + 32 * (MB // 10), cpu_seconds=10, wall_seconds=40)


def act(path, data, max_bytes):
    """A stand-in reader that does what the file says."""
    if data == b"pid":
        return Extracted(str(os.getpid()), title="Tết", date="2023-01-22", page_starts=[0])
    if data == b"damaged":
        raise ReadError("encrypted PDF (password needed)")
    if data == b"allocate":
        return Extracted(str(len(bytearray(1024 * MB))))
    if data == b"spin":
        while True:
            pass
    if data == b"hang":
        time.sleep(60)
    if data == b"die":
        os.kill(os.getpid(), signal.SIGTERM)


@pytest.fixture
def reader(monkeypatch):
    """Extracts a file saying what to do, with the given limits, in one Extractor's worker."""
    import searcher.extract as extract_module

    monkeypatch.setattr(extract_module, "read", act)  # before the worker is forked
    limits = {}
    with Extractor(limits=lambda max_bytes: limits["now"]) as extractor:
        def run(what: bytes, now=Limits(256 * MB, 10, 40)):
            limits["now"] = now
            return extractor.extract(Path("file.html"), what, 1000)
        yield run


def test_the_worker_answers_file_after_file_and_is_replaced_when_a_file_breaks_it(reader):
    first = reader(b"pid")
    assert (first.title, first.date, first.page_starts) == ("Tết", "2023-01-22", [0])
    assert first.text != str(os.getpid())
    assert reader(b"pid").text == first.text  # the same worker
    with pytest.raises(TooLarge):
        reader(b"allocate", Limits(64 * MB, 10, 40))
    assert reader(b"pid").text != first.text  # a fresh one


def test_a_read_error_comes_back_with_its_message(reader):
    with pytest.raises(ReadError, match=r"^encrypted PDF \(password needed\)$"):
        reader(b"damaged")


def test_a_reader_that_allocates_too_much_is_stopped(reader):
    with pytest.raises(TooLarge, match=r"^exceeded 64 MB while extracting$"):
        reader(b"allocate", Limits(64 * MB, 10, 40))


def test_a_reader_that_computes_too_long_is_stopped(reader):
    started = time.monotonic()
    with pytest.raises(TooLarge, match=r"^exceeded 1 s while extracting$"):
        reader(b"spin", Limits(256 * MB, 1, 40))
    assert time.monotonic() - started < 30  # the CPU limit stopped it, not the wall clock
    assert reader(b"pid").text  # and the next file is read


def test_a_reader_that_hangs_is_killed(reader):
    with pytest.raises(TooLarge, match=r"^exceeded 1 s while extracting$"):
        reader(b"hang", Limits(256 * MB, 10, 1))


def test_a_reader_that_dies_is_a_read_error(reader):
    with pytest.raises(ReadError, match=r"^cannot read \(the reader stopped with signal 15\)$"):
        reader(b"die")


@pytest.fixture
def hostile_folder(tmp_path):
    root = tmp_path / "docs"
    root.mkdir()
    (root / "ghi-chu.txt").write_text("Ghi chú\n\nHọp bàn kế hoạch chăm sóc vườn quất cảnh.", encoding="utf-8")
    fx.word_file(root / "chi-thi.docx")  # a normal Word file passes the same checks
    fx.docx_bomb(root / "bomb.docx", unpacked_mb=50)  # ~200 KB zipped
    fx.docx_bomb(root / "liar.docx", unpacked_mb=50, declared_size=1000)
    fx.pdf_bomb(root / "bomb.pdf", unpacked_mb=400)  # ~1 MB
    body = "".join(f"<p>Đoạn {i}: người lao động tham gia bảo hiểm xã hội bắt buộc.</p>" for i in range(3000))
    (root / "long.html").write_text(f"<html><body><article>{body}</article></body></html>", encoding="utf-8")
    import docx

    document = docx.Document()
    for i in range(3000):
        document.add_paragraph(f"Đoạn {i}: người lao động tham gia bảo hiểm xã hội bắt buộc.")
    document.save(str(root / "long.docx"))
    return root


def test_hostile_files_are_skipped_with_a_warning_naming_the_limit(tmp_path, hostile_folder):
    index_dir = tmp_path / "index"
    result = CliRunner().invoke(cli, ["index", str(hostile_folder), "--index", str(index_dir),
                                      "--max-doc-size", str(LIMIT)], catch_exceptions=False)
    assert result.exit_code == 0
    warnings = sorted(line.split("/docs/")[1] for line in result.stderr.splitlines()[:-1])
    assert warnings == [
        "bomb.docx: its XML unpacks to more than 4.8 MB (allowed for the 0.1 MB limit for one document), skipped",
        "bomb.pdf: exceeded 259 MB while extracting, skipped",
        "liar.docx: not a readable Word file (BadZipFile), skipped",
        "long.docx: its text is more than the 0.1 MB limit for one document, skipped",
        "long.html: its text is more than the 0.1 MB limit for one document, skipped",
    ]
    assert "2 files read (2 documents); 5 skipped (4 too large, 1 unreadable DOCX)" in result.stderr
    with Index.open(index_dir) as ix:
        assert ix.search("vuon quat canh", limit=1).hits[0].doc_id == "ghi-chu.txt"
        assert ix.search("ban phao hoa tam thap", limit=1).hits[0].doc_id == "chi-thi.docx"


def test_text_files_and_jsonl_records_are_measured_in_utf8(tmp_path, make_corpus):
    sentence = "TiÕng ViÖt rÊt hay. §ång khëi míi, ng­êi lao ®éng. "  # TCVN3: 1 byte a letter
    root = make_corpus({"ok.txt": "Tết an toàn.",
                        "legacy.txt": (sentence * 20).encode("latin-1"),  # 960 bytes, 1,300 in UTF-8
                        "records.jsonl": [{"id": "r1", "text": "ệ" * 500}, {"id": "r2", "text": "Tết vui."}]})
    warnings = []
    report = build_index([root], tmp_path / "index", warn=warnings.append, max_document_bytes=1200)
    assert sorted(w.split("/docs/")[1] for w in warnings if "limit" in w) == [
        "legacy.txt: its text is more than the 1 KB limit for one document, skipped",
        "records.jsonl:1: record is more than the 1 KB limit for one document, line skipped",
    ]
    assert report.read.skipped["too large"] == 1 and report.read.lines_skipped["too large"] == 1
