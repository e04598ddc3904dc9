"""Document-number extraction: official forms, broken forms, and look-alikes that must not match."""
import pytest

from searcher.refs import citation_details, find_citations, parse_ref_query, query_mentions

FORMS = [
    # Official forms, Party and state.
    ("Thực hiện Chỉ thị số 19-CT/TW của Ban Bí thư", ["19-CT/TW"]),
    ("Chỉ thị số 01-CT/TU của Ban Thường vụ Tỉnh ủy", ["01-CT/TU"]),
    ("Chỉ thị 16-CT/TU", ["16-CT/TU"]),
    ("Nghị quyết số 10-NQ/TU", ["10-NQ/TU"]),
    ("Kết luận 21-KL/TW", ["21-KL/TW"]),
    ("Quy định số 08-QĐi/TW", ["08-QĐi/TW"]),
    ("Quy định 144-QĐ/TW", ["144-QĐ/TW"]),
    ("Hướng dẫn 12-HD/BTGTU", ["12-HD/BTGTU"]),
    ("Nghị định số 15/2020/NĐ-CP", ["15/2020/NĐ-CP"]),
    ("Quyết định 123/QĐ-UBND", ["123/QĐ-UBND"]),
    ("Thông tư 05/2023/TT-BYT", ["05/2023/TT-BYT"]),
    ("Quyết định số 1234/QĐ-TTg", ["1234/QĐ-TTg"]),
    ("Kế hoạch 45/KH-UBND", ["45/KH-UBND"]),
    ("Thông báo 7/TB-VPCP", ["07/TB-VPCP"]),
    ("Nghị quyết 68/NQ-CP", ["68/NQ-CP"]),
    ("Nghị quyết số 25/2021/NQ-HĐND", ["25/2021/NQ-HĐND"]),
    ("Công văn số 123/UBND-KT", ["123/UBND-KT"]),
    ("Công văn 3456/BHXH-CSYT", ["3456/BHXH-CSYT"]),
    ("Bộ luật Lao động số 45/2019/QH14", ["45/2019/QH14"]),
    ("Văn bản hợp nhất 01/VBHN-VPQH", ["01/VBHN-VPQH"]),
    # Zero padding: 5 and 05 are one citation form.
    ("Quyết định 5/QĐ-UBND", ["05/QĐ-UBND"]),
    ("Quyết định 05/QĐ-UBND", ["05/QĐ-UBND"]),
    # Broken across PDF lines, spaced, lower case, without accents, glued.
    ("Chỉ thị số 19-CT/\nTW, ngày 18/11/2022", ["19-CT/TW"]),
    ("Chỉ thị số 19-\nCT/TW); để chuẩn bị", ["19-CT/TW"]),
    ("Chỉ thị số 19 - CT/TW", ["19-CT/TW"]),
    ("chỉ thị 19-ct/tw", ["19-CT/TW"]),
    ("nghi dinh 15/2020/ND-CP", ["15/2020/NĐ-CP"]),
    ("quyet dinh 123/qd-ubnd", ["123/QĐ-UBND"]),
    ("Nghị định 15/2020/NĐCP", ["15/2020/NĐ-CP"]),
    ("theo 15 / 2020 / NĐ - CP", ["15/2020/NĐ-CP"]),
    ("Nghị quyết 25/2021/NQ-\nHĐND tỉnh", ["25/2021/NQ-HĐND"]),
    # Several in one sentence.
    ("Chỉ thị 19-CT/TW và Chỉ thị 16-CT/TU", ["19-CT/TW", "16-CT/TU"]),
    ("theo Nghị định 15/2020/NĐ-CP, Thông tư 05/2023/TT-BYT.", ["15/2020/NĐ-CP", "05/2023/TT-BYT"]),
    # Look-alikes that are not references.
    ("phòng chống dịch Covid-19 hiệu quả", []),
    ("tổng chi 19,7 tỷ đồng", []),
    ("ngày 18/11/2022 của Ban Bí thư", []),
    ("ngày 17-10-2020", []),
    ("đạt 86,2% dân số", []),
    ("giai đoạn 2020 - 2025", []),
    ("từ 60 - 80% trở lên", []),
    ("tháng 11/2022, toàn tỉnh", []),
    ("kinh tế - xã hội", []),
    ("chính trị\n- xã hội", []),
    ("tỷ lệ 1/2 số hộ", []),
    ("phục vụ 24/7 tại trụ sở", []),
    ("mã số 123/ABC", []),
]


@pytest.mark.parametrize("text,expected", FORMS)
def test_citation_forms_resolve_to_canonical_ids(text, expected):
    assert [c.ref_id for c in find_citations(text)] == expected


def test_there_are_at_least_forty_forms():
    assert len(FORMS) >= 40


def test_citation_parts():
    (c,) = find_citations("Nghị định số 15/2020/NĐ-CP")
    assert (c.type_code, c.type_name, c.number, c.year, c.issuer) == ("NĐ", "Nghị định", "15", "2020", "CP")
    (c,) = find_citations("Công văn 123/UBND-KT")
    assert (c.type_code, c.issuer) == ("CV", "UBND-KT")


def test_span_covers_the_citation_as_written():
    text = "Chỉ thị số 19-CT/\nTW, ngày"
    (c,) = find_citations(text)
    assert text[c.start:c.end] == "19-CT/\nTW"


def test_date_and_subject_after_a_citation():
    text = (
        "Thực hiện Chỉ thị số 19-CT/\nTW, ngày 18/11/2022 của \nBan Bí thư Trung ương Đảng \n\n"
        "về việc tổ chức Tết Quý Mão năm \n2023 (sau đây gọi là Chỉ thị)"
    )
    details = citation_details(text, find_citations(text)[0])
    assert details.date == "2022-11-18"
    assert details.subject == "tổ chức Tết Quý Mão năm 2023"


@pytest.mark.parametrize(
    "query,number,year,types,codes",
    [
        ("19-CT/TW", "19", None, {"CT"}, ["TW"]),
        ("19/CT-TW", "19", None, {"CT"}, ["TW"]),
        ("19-ct/tw", "19", None, {"CT"}, ["TW"]),
        ("CT 19", "19", None, {"CT"}, []),
        ("chỉ thị 19", "19", None, {"CT"}, []),
        ("chi thi so 19", "19", None, {"CT"}, []),
        ("Chỉ thị số 01-CT/TU", "01", None, {"CT"}, ["TU"]),
        ("19", "19", None, set(), []),
        ("15-2020-ND-CP", "15", "2020", {"NĐ"}, ["CP"]),
        ("NĐCP 15/2020", "15", "2020", {"NĐ"}, ["CP"]),
        ("quy định 144", "144", None, {"QĐi", "QĐ"}, []),
        ("5/QĐ-UBND", "05", None, {"QĐ"}, ["UBND"]),
        ("45/2019/QH14", "45", "2019", set(), ["QH14"]),
    ],
)
def test_what_users_type_parses_into_parts(query, number, year, types, codes):
    q = parse_ref_query(query)
    assert (q.number, q.year, q.types, q.codes) == (number, year, types, codes)


def test_ref_query_matches_catalogue_entries():
    party = {"type": "CT", "number": "19", "year": None, "issuer": "TW"}
    state = {"type": "NĐ", "number": "19", "year": "2022", "issuer": "CP"}
    assert parse_ref_query("chi thi 19").matches(party)
    assert not parse_ref_query("chi thi 19").matches(state)
    assert parse_ref_query("19").matches(party) and parse_ref_query("19").matches(state)
    assert not parse_ref_query("19-CT/TU").matches(party)
    assert not parse_ref_query("19/2021/NĐ-CP").matches(state)


def test_search_queries_mention_documents():
    mentions = query_mentions("chi thi 19 tet")
    assert [(m.number, m.types) for m in mentions] == [("19", {"CT"})]
    assert [(m.number, m.codes) for m in query_mentions("tết 19-CT/TW")] == [("19", ["TW"])]
    assert query_mentions("bảo hiểm xã hội 2023") == []
