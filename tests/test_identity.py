import pytest

from searcher.identity import Identity, dateline, document_identity, issuer_codes

import docmeta_fixtures


def test_a_directive_heading_gives_number_type_issuer_and_date():
    ident = document_identity(docmeta_fixtures.DIRECTIVE)
    assert ident == Identity("16-CT/TU", "CT", "TU", "2022-12-02")
    assert docmeta_fixtures.DIRECTIVE[slice(*ident.span)] == "16-CT/TU"


def test_a_pdf_heading_read_as_one_paragraph():
    text = ("TỈNH ỦY HÀ NAM * Số 16-CT/TU ĐẢNG CỘNG SẢN VIỆT NAM Hà Nam, ngày 02 tháng 12 năm 2022\n\n"
            "CHỈ THỊ về tăng cường phòng cháy")
    assert document_identity(text) == Identity("16-CT/TU", "CT", "TU", "2022-12-02")


@pytest.mark.parametrize("text, expected", [
    (docmeta_fixtures.DECISION, Identity("123/QĐ-UBND", "QĐ", "UBND", "2023-03-15")),
    (docmeta_fixtures.DECREE, Identity("12/2022/NĐ-CP", "NĐ", "CP", "2022-01-31")),
    ("QUỐC HỘI\n\nLuật số: 58/2014/QH13\n\nLUẬT\nBẢO HIỂM XÃ HỘI", Identity("58/2014/QH13", "QH", "QH13", None)),
    ("BỘ TÀI CHÍNH\nSỐ: 05/2023/TT-BTC\nHà Nội, ngày 5/1/2023\nTHÔNG TƯ", Identity("05/2023/TT-BTC", "TT", "BTC", "2023-01-05")),
    # A type heading without a number still says what the document is, under an agency line
    # or with a date line; alone it may be a news title.
    ("ĐẢNG BỘ XÃ AN BÌNH\n\nKẾ HOẠCH\ntổ chức Tết", Identity(None, "KH", "ĐU", None)),
    ("An Bình, ngày 5 tháng 1 năm 2023\n\nKẾ HOẠCH\ntổ chức Tết", Identity(None, "KH", None, "2023-01-05")),
    ("QUYẾT ĐỊNH MỚI VỀ THUẾ\n\nTừ tháng sau, thuế suất thay đổi.", Identity()),
])
def test_decisions_decrees_laws_and_circulars(text, expected):
    assert document_identity(text) == expected


@pytest.mark.parametrize("text", [
    # Numbers and dates in sentences cite other documents: the document is none of them.
    "Thực hiện Chỉ thị số 19-CT/TW ngày 2 tháng 12 năm 2022 của Ban Bí thư, các cấp ủy tổ chức Tết.",
    "Căn cứ Luật số 58/2014/QH13, Số 5 tổ dân phố họp.\n\nTổ trưởng Số 3 phát biểu.",
    "Ghi chú: Chỉ thị 19-CT/TW, ngày 5 tháng 1 năm 2018 yêu cầu tăng cường.",
    "Nội dung thảo luận về chỉ thị\n\nsố liệu 16-CT/TU cần kiểm tra",
])
def test_citations_in_the_body_are_not_the_documents_identity(text):
    assert document_identity(text) == Identity()


def test_a_number_past_the_heading_area_is_ignored():
    text = "Báo cáo tổng hợp.\n\n" + "Nội dung. " * 200 + "\nSố 16-CT/TU\nHà Nam, ngày 2 tháng 12 năm 2022"
    assert document_identity(text) == Identity()


@pytest.mark.parametrize("text, day", [
    ("Tin tức\n06/02/2023 - 07:07\n\nSáng nay ...", "2023-02-06"),
    ("Thứ Hai, 06/02/2023 07:07 (GMT+7)\nSáng nay ...", "2023-02-06"),
    ("Thời sự\nNgày 6/2/2023\nSáng nay ...", "2023-02-06"),
    ("Thời sự\nCập nhật: 07:07, 06/02/2023\nSáng nay ...", "2023-02-06"),
    ("Thời sự\nNgày đăng: 06-02-2023 | 07:07 (GMT+7)\nSáng nay ...", "2023-02-06"),
    ("Thời sự\nChủ nhật, 5/2/2023, 20h30\nTối nay ...", "2023-02-05"),
    ("Thời sự\nSáng nay cảnh sát diễn tập: 06/02/2023\n", None),  # a sentence, not a label
    ("Thời sự\nSáng nay, 06/02/2023 - 07:07, đoàn công tác ...", None),  # a date inside a sentence
    ("Thời sự\n31/02/2023 - 07:07\n", None),
    ("x\n" * 300 + "06/02/2023 - 07:07\n", None),  # not at the top
])
def test_a_news_dateline_at_the_top(text, day):
    assert dateline(text) == day
    assert document_identity(text).date == day


@pytest.mark.parametrize("typed, codes", [
    ("TU", ["TU"]), ("tu", ["TU"]), ("UBND", ["UBND"]), ("NĐ-CP", ["CP"]), ("nd-cp", ["CP"]), ("QH13", ["QH13"]),
    ("Tỉnh ủy", ["TU"]), ("tinh uy", ["TU"]), ("Ủy ban nhân dân tỉnh", ["UBND"]), ("Chính phủ", ["CP"]),
    ("Thủ tướng", ["TTg"]),
    # Any other agency typed by its name, in any case, means its initials, "và" and a place after
    # it left out.
    ("Sở Y tế", ["SYT"]), ("so y te", ["SYT"]), ("SỞ Y TẾ", ["SYT"]), ("(Sở Y-tế)", ["SYT"]),
    ("Sở Y tế tỉnh Bến Tre", ["SYT"]), ("Sở Giáo dục và Đào tạo", ["SGDDT"]), ("Bộ Tài chính", ["BTC"]),
    ("Văn phòng Chính phủ", ["VPCP"]),
    # Words holding a code are codes, whatever their case: a type code before the issuer dropped.
    ("UBND tỉnh", ["UBND", "TINH"]), ("qd ubnd", ["UBND"]), ("tt btc", ["BTC"]), ("nd cp", ["CP"]),
    ("hdnd tinh", ["HĐND", "TINH"]),
])
def test_issuer_codes_as_users_type_them(typed, codes):
    assert issuer_codes(typed) == codes


def test_a_documents_issuer_codes_include_its_parts():
    assert Identity(issuer="QH13").issuer_codes == ["QH13", "QH"]
    assert Identity(issuer="UBND-KT").issuer_codes == ["UBND-KT", "UBND", "KT"]
    assert Identity().issuer_codes == []


@pytest.mark.parametrize("text, issuer", [
    # No readable number: the agency line names the issuer.
    ("ĐẢNG CỘNG SẢN VIỆT NAM\nBAN CHẤP HÀNH TRUNG ƯƠNG\n\nKẾT LUẬN\ncủa Bộ Chính trị", "TW"),
    ("TỈNH ỦY HÀ NAM\n*\nSố 16-CT/\n\nCHỈ THỊ\nvề phòng cháy", "TU"),
    ("ỦY BAN NHÂN DÂN\nTỈNH HÀ NAM\n\nKẾ HOẠCH\nphòng cháy", "UBND"),
    # Capitals that are no heading: a news title, a sentence.
    ("QUỐC HỘI THÔNG QUA LUẬT ĐẤT ĐAI\n\nSáng nay Quốc hội biểu quyết.", None),
    ("Ủy ban nhân dân tỉnh họp\n\nCHỈ THỊ\nvề phòng cháy", None),
])
def test_the_agency_line_gives_the_issuer_when_the_number_does_not(text, issuer):
    assert document_identity(text).issuer == issuer


@pytest.mark.parametrize("line, day", [
    ("Hà Nội, ngày 2 tháng 12 năm 2022", "2022-12-02"),
    ("Hà Nội ngày 2 tháng 12 năm 2022", "2022-12-02"),  # no comma after the place
    ("TP. Hồ Chí Minh, ngày 02 tháng 01 năm 2023", "2023-01-02"),
    ("Hà Nam, ngày 2/12/2022", "2022-12-02"),
    ("ngày 2 tháng 12 năm 2022", "2022-12-02"),
    ("Độc lập - Tự do - Hạnh phúc Hà Nam, ngày 2 tháng 12 năm 2022", "2022-12-02"),
    ("Hà Nội, ngày 31 tháng 2 năm 2022", None),  # no such day
    ("Hội nghị được tổ chức ngày 2 tháng 12 năm 2022", None),  # a sentence
    ("Căn cứ Quyết định số 01/QĐ-UBND, ngày 2 tháng 12 năm 2022", None),  # a cited document's date
])
def test_the_headings_date_line(line, day):
    text = f"ỦY BAN NHÂN DÂN TỈNH HÀ NAM\nSố: 05/QĐ-UBND\n{line}\n\nQUYẾT ĐỊNH\nVề việc phòng cháy"
    assert document_identity(text).date == day


def test_a_date_right_after_the_headings_own_number_is_its_date():
    text = "ỦY BAN NHÂN DÂN TỈNH HÀ NAM\nSố: 05/QĐ-UBND, ngày 2/12/2022\n\nQUYẾT ĐỊNH\nVề việc phòng cháy"
    assert document_identity(text) == Identity("05/QĐ-UBND", "QĐ", "UBND", "2022-12-02")
