import os

from searcher.corpus import ReadReport, SourceFile, find_files, read_bytes, read_documents


def read_all(*roots):
    report, warnings = ReadReport(), []
    docs = []
    for source in find_files(roots, report, warnings.append):
        data = read_bytes(source, report, warnings.append)
        if data is not None:
            docs.extend(read_documents(source, data, report, warnings.append))
    return docs, report, warnings


def test_text_files_get_relative_ids_and_first_line_titles(make_corpus):
    root = make_corpus({"a.txt": "Tiêu đề A\n\nNội dung.", "sub/b.md": "# Tiêu đề B\nNội dung."})
    docs, report, _ = read_all(root)
    assert [(d.doc_id, d.title) for d in docs] == [("a.txt", "Tiêu đề A"), ("sub/b.md", "Tiêu đề B")]
    assert report.files_read == 2


def test_several_roots_prefix_ids_with_root_names(tmp_path):
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.txt").write_text("Văn bản", encoding="utf-8")
    docs, _, _ = read_all(tmp_path / "one", tmp_path / "two")
    assert [d.doc_id for d in docs] == ["one/x.txt", "two/x.txt"]


def test_jsonl_records_are_documents_and_bad_lines_are_warned(make_corpus):
    root = make_corpus({"d.jsonl": [
        {"id": "a", "title": "Điều 1", "text": "Phạm vi điều chỉnh"},
        {"id": "b", "text": "Không tiêu đề"},
        {"title": "thiếu id", "text": "x"},
        {"id": "a", "text": "trùng id"},
    ]})
    # Valid JSON too may be unreadable: nested deeper than Python recurses, or an id of 5,000 digits.
    bad = ["{not json", "[" * 5000 + "]" * 5000, '{"id": 1' + "0" * 5000 + ', "text": "x"}']
    (root / "d.jsonl").write_text((root / "d.jsonl").read_text() + "\n".join(bad) + "\n", encoding="utf-8")
    (root / "e.jsonl").write_text('{"id": "e", "text": "Sau tệp lỗi"}\n', encoding="utf-8")
    docs, report, warnings = read_all(root)
    assert [(d.doc_id, d.title, d.line) for d in docs] == [("a", "Điều 1", 1), ("b", "b", 2), ("e", "e", 1)]
    assert [w.split(": ", 1)[1] for w in warnings] == [
        "record has no id, line skipped",
        "duplicate id 'a', line skipped",
        "not valid JSON, line skipped",
        "JSON nested too deeply, line skipped",
        "a number too long to read, line skipped",
    ]
    assert warnings[0].endswith("d.jsonl:3: record has no id, line skipped")


def test_unsupported_empty_and_binary_files_are_skipped(make_corpus):
    root = make_corpus({"a.txt": "Văn bản", "b.txt": "", "c.bin": b"\x00\x01", "d.txt": b"\x00\x01\x02"})
    docs, report, warnings = read_all(root)
    assert [d.doc_id for d in docs] == ["a.txt"]
    assert report.skipped == {"empty": 1, "unsupported type": 1, "undecodable": 1}
    assert len(warnings) == 2


def test_legacy_encoded_file_is_converted_and_said_so(make_corpus):
    from test_decode import SENTENCE, cp1258_bytes

    root = make_corpus({"old.txt": cp1258_bytes(SENTENCE)})
    docs, report, warnings = read_all(root)
    assert docs[0].text == SENTENCE
    assert warnings == [f"{root / 'old.txt'}: converted from Windows-1258"]


def test_mojibake_is_never_indexed(make_corpus):
    root = make_corpus({"french.txt": "Ça été très bien, déjà vu. Le système était prêt".encode("cp1252")})
    docs, report, warnings = read_all(root)
    assert docs == [] and report.skipped == {"undecodable": 1}
    assert "not a known Vietnamese encoding" in warnings[0]


def test_symlink_loops_anywhere_are_skipped_with_a_warning(make_corpus):
    root = make_corpus({"a.txt": "Văn bản", "sub/b.txt": "Văn bản khác"})
    (root / "photo.jpg").symlink_to("photo.jpg")  # a link to itself
    (root / "one.txt").symlink_to("two.txt")  # two links to each other
    (root / "two.txt").symlink_to("one.txt")
    (root / "sub" / "up").symlink_to("..")  # a folder link back to a folder above it
    docs, report, warnings = read_all(root)
    assert [d.doc_id for d in docs] == ["a.txt", "sub/b.txt"]
    assert warnings == [
        f"{root / 'one.txt'}: symlink loop, skipped",
        f"{root / 'photo.jpg'}: symlink loop, skipped",
        f"{root / 'two.txt'}: symlink loop, skipped",
        f"{root / 'sub' / 'up'}: symlink loop (a link to a folder above it), skipped",
    ]
    assert report.skipped == {"symlink loop": 4}
    assert "4 skipped (4 symlink loops)" in report.summary()


def test_a_root_that_is_a_symlink_loop_is_a_warning(tmp_path):
    (tmp_path / "loop").symlink_to("loop")
    docs, report, warnings = read_all(tmp_path / "loop")
    assert docs == [] and warnings == [f"{tmp_path / 'loop'}: symlink loop"]
    assert report.skipped == {"symlink loop": 1}


def test_links_leaving_the_folders_given_are_followed_only_when_asked(tmp_path, make_corpus):
    root = make_corpus({"a.txt": "Văn bản", ".drafts/draft.txt": "Bản nháp"})
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text("Bí mật", encoding="utf-8")
    (outside / "folder" / "c.txt").write_text("Thư mục ngoài", encoding="utf-8")
    (root / "secret.txt").symlink_to(outside / "secret.txt")
    (root / "elsewhere").symlink_to(outside / "folder")
    (root / "draft.txt").symlink_to(root / ".drafts" / "draft.txt")  # inside the folder: fine
    docs, report, warnings = read_all(root)
    assert [d.doc_id for d in docs] == ["a.txt", "draft.txt"]
    assert warnings == [
        f"{root / 'elsewhere'}: link to {outside / 'folder'}, outside the indexed folders "
        "(--follow-links follows it), skipped",
        f"{root / 'secret.txt'}: link to {outside / 'secret.txt'}, outside the indexed folders "
        "(--follow-links follows it), skipped",
    ]
    assert report.skipped == {"link outside the indexed folders": 2}
    assert "2 skipped (2 links outside the indexed folders)" in report.summary()

    report, found = ReadReport(), []
    sources = find_files([root], report, found.append, follow_links=True)
    assert [s.doc_id for s in sources] == ["a.txt", "draft.txt", "elsewhere/c.txt", "secret.txt"]
    assert found == [] and not report.skipped


def test_special_files_are_never_opened(tmp_path, make_corpus):
    import signal

    root = make_corpus({"a.txt": "Văn bản"})
    os.mkfifo(root / "pipe.txt")  # opening it to read would wait for a writer forever
    (root / "null.txt").symlink_to("/dev/null")
    def hung(signum, frame):
        raise AssertionError("reading a special file hung")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)  # a FIFO once hung the run: fail instead of hanging the test run
    try:
        docs, report, warnings = read_all(root)
        report2, warnings2 = ReadReport(), []
        sources = find_files([root], report2, warnings2.append, follow_links=True)
        fifo = SourceFile(root / "pipe.txt", "pipe.txt")
        assert read_bytes(fifo, report2, warnings2.append) is None  # even when handed one directly
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert [d.doc_id for d in docs] == ["a.txt"]
    assert warnings == [
        f"{root / 'pipe.txt'}: not a regular file (named pipe), skipped",
        f"{root / 'null.txt'}: link to /dev/null, outside the indexed folders (--follow-links follows it), skipped",
    ]
    assert [s.doc_id for s in sources] == ["a.txt"]
    assert warnings2 == [
        f"{root / 'pipe.txt'}: not a regular file (named pipe), skipped",
        f"{root / 'null.txt'}: not a regular file (character device), skipped",
        f"{root / 'pipe.txt'}: not a regular file (named pipe), skipped",
    ]
    assert report2.skipped == {"special file": 3}


def test_a_file_named_several_times_is_found_once(tmp_path, make_corpus):
    root = make_corpus({"web/a.html": "<p>Tết</p>", "web/b.txt": "Văn bản"})
    web = root / "web"
    report, warnings = ReadReport(), []
    sources = find_files([web, web / "a.html", web, root], report, warnings.append)
    assert sorted(s.doc_id for s in sources) == ["web/a.html", "web/b.txt"]
    assert len(sources) == 2 and warnings == [] and not report.skipped


def test_a_hard_link_or_link_to_a_file_is_reported_not_doubled(make_corpus):
    root = make_corpus({"a.txt": "Văn bản", "sub/x.txt": "Khác"})
    os.link(root / "a.txt", root / "b-hard.txt")
    (root / "c-alias.txt").symlink_to("a.txt")
    (root / "sub-alias").symlink_to("sub")
    docs, report, warnings = read_all(root)
    assert [d.doc_id for d in docs] == ["a.txt", "sub/x.txt"]
    assert warnings == [
        f"{root / 'b-hard.txt'}: same file as {root / 'a.txt'}, skipped",
        f"{root / 'c-alias.txt'}: same file as {root / 'a.txt'}, skipped",
        f"{root / 'sub-alias'}: same folder as {root / 'sub'}, skipped",
    ]
    assert report.skipped == {"duplicate": 3}


def test_an_unreadable_folder_is_a_warning_and_counted(make_corpus, monkeypatch):
    root = make_corpus({"a.txt": "Văn bản", "private/b.txt": "Bí mật"})
    real_scandir = os.scandir

    def scandir(path):
        if os.path.basename(path) == "private":  # chmod 000 does not stop root, so refuse here
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    docs, report, warnings = read_all(root)
    assert [d.doc_id for d in docs] == ["a.txt"]
    assert warnings == [f"{root / 'private'}: permission denied, folder skipped"]
    assert report.skipped == {"unreadable folder": 1}


def test_a_file_name_that_is_not_utf8_is_read_and_kept_exactly(make_corpus):
    root = make_corpus({"a.txt": "Văn bản"})
    (root / os.fsdecode(b"t\xe0i-li\xeau.txt")).write_text("\n\nĐón Tết an toàn.", encoding="utf-8")
    (root / os.fsdecode(b"empty-title-\xff.md")).write_text("#\n\nNội dung.", encoding="utf-8")
    docs, report, warnings = read_all(root)
    assert [os.fsencode(d.doc_id) for d in docs] == [b"a.txt", b"empty-title-\xff.md", b"t\xe0i-li\xeau.txt"]
    assert docs[1].title == "empty-title-\\xff.md"  # a title is for people: bad bytes shown as \xff
    assert docs[2].title == "Đón Tết an toàn." and warnings == []


def test_several_roots_with_the_same_name_get_distinct_ids(tmp_path):
    for parent in ("2022", "2023"):
        (tmp_path / parent / "docs").mkdir(parents=True)
        (tmp_path / parent / "docs" / "x.txt").write_text("Văn bản", encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "y.txt").write_text("Văn bản", encoding="utf-8")
    docs, _, _ = read_all(tmp_path / "2022" / "docs", tmp_path / "2023" / "docs", tmp_path / "other")
    assert [d.doc_id for d in docs] == ["2022/docs/x.txt", "2023/docs/x.txt", "other/y.txt"]


def test_jsonl_records_split_on_newlines_only(make_corpus):
    text = "Dòng một\u2028dòng hai\u2029đoạn mới\x85NEL\x0cFF"
    root = make_corpus({"d.jsonl": [{"id": "a", "text": text}, {"id": "b", "text": "Thứ hai"}]})
    with open(root / "d.jsonl", "a", encoding="utf-8", newline="") as f:
        f.write('{"id": "c", "text": "Windows"}\r\n\r\n{"id": "d", "text": "cuối"}')
    docs, report, warnings = read_all(root)
    assert warnings == [] and not report.lines_skipped
    assert [(d.doc_id, d.line, d.text) for d in docs] == [
        ("a", 1, text), ("b", 2, "Thứ hai"), ("c", 3, "Windows"), ("d", 5, "cuối")]


def test_duplicate_jsonl_ids_across_files_keep_the_first(make_corpus):
    from searcher.corpus import DocIds

    root = make_corpus({"a.jsonl": [{"id": "x", "text": "Một"}], "b.jsonl": [{"id": "y", "text": "Hai"},
                                                                           {"id": "x", "text": "Trùng"}]})
    report, warnings, ids, docs = ReadReport(), [], DocIds(), []
    for source in find_files([root], report, warnings.append):
        docs += read_documents(source, read_bytes(source, report, warnings.append), report, warnings.append, ids=ids)
    assert [(d.doc_id, d.text) for d in docs] == [("x", "Một"), ("y", "Hai")]
    assert warnings == [f"{root / 'b.jsonl'}:2: duplicate id 'x' (first in {root / 'a.jsonl'}:1), line skipped"]
    assert report.lines_skipped == {"duplicate id": 1}


def test_a_one_line_text_file_gets_a_short_title(make_corpus):
    from searcher.readers import TITLE_MAX_CHARS

    line = "Chỉ thị số 19-CT/TW yêu cầu tổ chức Tết vui tươi, lành mạnh, an toàn, tiết kiệm. " * 120
    root = make_corpus({"one-line.txt": line, "short.md": "#  Tiêu   đề ngắn  \nNội dung."})
    docs, _, _ = read_all(root)
    title = docs[0].title
    assert len(title) <= TITLE_MAX_CHARS and title.endswith("…")
    assert line.startswith(title[:-1]) and line[len(title) - 1] == " "  # cut between words
    assert docs[1].title == "Tiêu đề ngắn"


def test_summary_says_1_file_and_2_files():
    report = ReadReport(files_read=1, documents=1)
    report.skip("broken symlink")
    report.skip_line("duplicate id")
    assert report.summary() == "1 file read (1 document); 1 skipped (1 broken symlink); 1 JSONL line skipped (1 duplicate id)"
    report = ReadReport(files_read=2, documents=3)
    report.skip("broken symlink")
    report.skip("broken symlink")
    report.skip("empty")
    assert report.summary() == "2 files read (3 documents); 3 skipped (2 broken symlinks, 1 empty)"
