"""Small documents that say what they are (a directive, a decision, a decree, dated web pages, an
undated note) and the answers every engine must give to filters and date order on them.

test_search.py checks them on the local engine, test_opensearch_engine.py on a cluster.
"""
from __future__ import annotations

import pytest

from searcher.errors import QueryError

DIRECTIVE = """TỈNH ỦY HÀ NAM
*
Số 16-CT/TU

ĐẢNG CỘNG SẢN VIỆT NAM
Hà Nam, ngày 2 tháng 12 năm 2022

CHỈ THỊ
về tăng cường công tác phòng cháy chữa cháy dịp Tết

Thực hiện Chỉ thị số 19-CT/TW, ngày 5 tháng 1 năm 2018 của Ban Bí thư, Ban Thường vụ Tỉnh ủy yêu cầu
các cấp ủy tăng cường công tác phòng cháy chữa cháy.
"""

DECISION = """ỦY BAN NHÂN DÂN TỈNH HÀ NAM

Số: 123/QĐ-UBND

Hà Nam, ngày 15 tháng 3 năm 2023

QUYẾT ĐỊNH
Về việc ban hành kế hoạch phòng cháy chữa cháy

Căn cứ Chỉ thị số 16-CT/TU ngày 2/12/2022 của Ban Thường vụ Tỉnh ủy; quyết định ban hành kế hoạch
phòng cháy chữa cháy năm 2023.
"""

DECREE = """CHÍNH PHỦ

Số: 12/2022/NĐ-CP

Hà Nội, ngày 31 tháng 1 năm 2022

NGHỊ ĐỊNH
Quy định xử phạt vi phạm hành chính về phòng cháy chữa cháy
"""

# Published at 20:30 UTC on 31 December: 1 January 2023 in Vietnam.
WEB_PAGE = """<html><head><title>Trực chiến đêm giao thừa</title>
<meta property="article:published_time" content="2022-12-31T20:30:00+00:00">
</head><body><article><h1>Trực chiến đêm giao thừa</h1>
<p>Đêm giao thừa, lực lượng phòng cháy chữa cháy tỉnh trực chiến theo Chỉ thị số 19-CT/TW của Ban Bí
thư, bảo đảm an toàn cho nhân dân đón Tết.</p>
<p>Các đơn vị đã chuẩn bị đầy đủ phương tiện, sẵn sàng xử lý mọi tình huống xảy ra trong dịp lễ.</p>
</article></body></html>
"""

NEWS = """Tin tức địa phương
06/02/2023 - 07:07

Sáng nay cảnh sát phòng cháy chữa cháy tỉnh diễn tập theo Chỉ thị 16 - CT/tu của Tỉnh ủy.
"""

# The newest document, sharing only a function word ("và") with the date-order query below.
REVIEW = """Tin tức địa phương
10/01/2024 - 08:00

Hội nghị tổng kết công tác năm và triển khai nhiệm vụ năm mới.
"""

NOTE = """Ghi chú họp tổ

Tổ dân phố bàn về phòng cháy chữa cháy trong khu dân cư.
"""

DOCS = {
    "chi-thi-16.txt": DIRECTIVE,
    "quyet-dinh-123.txt": DECISION,
    "nghi-dinh-12.txt": DECREE,
    "truc-chien.html": WEB_PAGE,
    "tin-tuc.txt": NEWS,
    "tong-ket.txt": REVIEW,
    "ghi-chu.txt": NOTE,
}

# What each document is, as its hits carry it: number, type, issuer, date.
IDENTITIES = {
    "chi-thi-16.txt": ("16-CT/TU", "CT", "TU", "2022-12-02"),
    "quyet-dinh-123.txt": ("123/QĐ-UBND", "QĐ", "UBND", "2023-03-15"),
    "nghi-dinh-12.txt": ("12/2022/NĐ-CP", "NĐ", "CP", "2022-01-31"),
    "truc-chien.html": (None, None, None, "2023-01-01"),
    "tin-tuc.txt": (None, None, None, "2023-02-06"),
    "tong-ket.txt": (None, None, None, "2024-01-10"),
    "ghi-chu.txt": (None, None, None, None),
}

# (query, search options, the doc ids found in order, or as a set when the order is relevance's)
CASES = [
    ("phòng cháy", {"since": "2023"}, {"quyet-dinh-123.txt", "truc-chien.html", "tin-tuc.txt"}),
    ("phòng cháy", {"since": "2023-01-01"}, {"quyet-dinh-123.txt", "truc-chien.html", "tin-tuc.txt"}),
    # --until ends the whole period: all of December, but not the web page of 1 January (UTC+7).
    ("phòng cháy", {"until": "2022-12"}, {"chi-thi-16.txt", "nghi-dinh-12.txt"}),
    ("phòng cháy", {"until": "1/12/2022"}, {"nghi-dinh-12.txt"}),
    ("phòng cháy", {"since": "2/12/2022", "until": "2022-12-02"}, {"chi-thi-16.txt"}),
    ("phòng cháy", {"since": "2023-03-16"}, set()),
    ("phòng cháy", {"doc_type": "CT"}, {"chi-thi-16.txt"}),
    ("phòng cháy", {"doc_type": "quyết định"}, {"quyet-dinh-123.txt"}),
    ("phòng cháy", {"issuer": "ubnd"}, {"quyet-dinh-123.txt"}),
    ("phòng cháy", {"issuer": "NĐ-CP"}, {"nghi-dinh-12.txt"}),
    ("phòng cháy", {"issuer": "TU", "doc_type": "QĐ"}, set()),
    # Any written form of the number; the directive's own heading is not a citation of itself.
    ("phòng cháy", {"cites": "16-CT/TU"}, {"quyet-dinh-123.txt", "tin-tuc.txt"}),
    ("phòng cháy", {"cites": "chi thi so 16"}, {"quyet-dinh-123.txt", "tin-tuc.txt"}),
    ("phòng cháy", {"cites": "19/CT-TW"}, {"chi-thi-16.txt", "truc-chien.html"}),
    ("phòng cháy", {"cites": "19-CT/TW", "until": "2022"}, {"chi-thi-16.txt"}),
    (None, {"cites": "16-CT/TU"}, {"quyet-dinh-123.txt", "tin-tuc.txt"}),
    ("phòng cháy", {"cites": "99-CT/TU"}, set()),
    ("phòng cháy", {"within": "ghi-chu.txt"}, {"ghi-chu.txt"}),
    ("phòng cháy", {"within": "DOCS/tin-tuc.txt"}, {"tin-tuc.txt"}),
    # Newest first among passages with every content word; the undated note last; "tong-ket"
    # shares only "và" with the query and is not among them, however new.
    ("phòng cháy và chữa cháy", {"sort": "date"},
     ["quyet-dinh-123.txt", "tin-tuc.txt", "truc-chien.html", "chi-thi-16.txt", "nghi-dinh-12.txt", "ghi-chu.txt"]),
    ("phòng cháy", {"sort": "date", "since": "2023"}, ["quyet-dinh-123.txt", "tin-tuc.txt", "truc-chien.html"]),
    (None, {"cites": "19-CT/TW", "sort": "date"}, ["truc-chien.html", "chi-thi-16.txt"]),
]


def write_docs(tmp_path_factory, name: str):
    """A fresh folder NAME/docs holding DOCS, for an engine to index."""
    root = tmp_path_factory.mktemp(name) / "docs"
    root.mkdir()
    for file_name, text in DOCS.items():
        (root / file_name).write_text(text, encoding="utf-8")
    return root


def check_case(ix, docs_root, query, options, expected) -> None:
    options = {k: v.replace("DOCS", str(docs_root)) if isinstance(v, str) else v for k, v in options.items()}
    hits = ix.search(query, limit=20, **options).hits
    found = [h.doc_id for h in hits]
    if isinstance(expected, set):
        assert set(found) == expected and len(found) == len(expected), (query, options, found)
    else:
        assert found == expected, (query, options, found)


def check_identities(ix) -> None:
    hits = ix.search("phòng cháy chữa cháy và năm", limit=20).hits
    got = {h.doc_id: (h.number, h.doc_type, h.issuer, h.date) for h in hits}
    assert got == IDENTITIES


def check_references(ix) -> None:
    (group,) = ix.references("16-CT/TU")
    assert [(c.doc_id, c.is_self) for c in group.citations] == [
        ("chi-thi-16.txt", True), ("quyet-dinh-123.txt", False), ("tin-tuc.txt", False)]
    itself = group.citations[0]
    assert itself.text[itself.cite[0]:itself.cite[1]] == "16-CT/TU" and itself.date == "2022-12-02"
    assert group.info["count"] == 2 and group.info["documents"] == ["chi-thi-16.txt"]
    # Documents in the corpus that nobody cites are found by their number too.
    (decree,) = ix.references("nghị định 12/2022")
    assert [(c.doc_id, c.is_self) for c in decree.citations] == [("nghi-dinh-12.txt", True)]
    assert ix.catalogue["19-CT/TW"]["documents"] == []
    assert ix.stats()["references"] == 2  # cited documents: 16-CT/TU and 19-CT/TW


def check_own_number_ranks_the_document_first(ix) -> None:
    """A query naming a document's number finds the document itself first, then those citing
    it (its heading does not cite it, yet it is what the number names)."""
    for query in ("chỉ thị 16-CT/TU", "16/CT-TU", "chi thi so 16-CT/TU phong chay"):
        hits = ix.search(query, limit=3).hits
        assert hits[0].doc_id == "chi-thi-16.txt", query
        assert {"quyet-dinh-123.txt", "tin-tuc.txt"} <= {h.doc_id for h in hits}, query


def check_filters_apply_before_the_limit(ix) -> None:
    """A filter narrows what the engine ranks: the best passage it allows comes back even with
    --limit 1 when many better passages are filtered out (a filter applied to the top hits
    afterwards would return nothing)."""
    unfiltered = [h.doc_id for h in ix.search("phòng cháy", limit=20).hits]
    for options, doc_id in (({"doc_type": "NĐ"}, "nghi-dinh-12.txt"), ({"until": "2022-06"}, "nghi-dinh-12.txt"),
                            ({"within": "truc-chien.html"}, "truc-chien.html")):
        assert unfiltered.index(doc_id) > 0
        assert [h.doc_id for h in ix.search("phòng cháy", limit=1, **options).hits] == [doc_id]
    # A document the index does not hold is a mistyped --in, not a plain miss.
    with pytest.raises(QueryError, match="no such document in the index"):
        ix.search("phòng cháy", within="truc-chien.htm")
