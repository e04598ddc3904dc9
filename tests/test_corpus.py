from searcher.corpus import ReadReport, find_files, read_bytes, read_documents


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
    (root / "d.jsonl").write_text((root / "d.jsonl").read_text() + "{not json\n", encoding="utf-8")
    docs, _, warnings = read_all(root)
    assert [(d.doc_id, d.title, d.line) for d in docs] == [("a", "Điều 1", 1), ("b", "b", 2)]
    assert [w.split(": ", 1)[1] for w in warnings] == [
        "record has no id, line skipped",
        "duplicate id 'a', line skipped",
        "not valid JSON, line skipped",
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
