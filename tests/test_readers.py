"""PDF, Word and web-page readers, on files the tests build (see format_fixtures.py)."""
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

import format_fixtures as fx
from searcher import Index, build_index
from searcher.cli import cli
from searcher.readers import ReadError, join_lines, read


def extract(path):
    return read(path, path.read_bytes())


def test_pdf_columns_are_read_one_after_the_other(tmp_path):
    text = extract(fx.two_column_pdf(tmp_path / "paper.pdf")).text
    order = [text.index(p.format(page=1)[:40]) for p in fx.LEFT + fx.RIGHT]
    assert order == sorted(order)  # left column whole, then right column
    assert text.index("Tin trang 1") < order[0] and text.index("Tin trang 2") > order[-1]


def test_pdf_centred_title_reads_before_the_columns_it_heads(tmp_path):
    paragraphs = extract(fx.titled_columns_pdf(tmp_path / "luat.pdf")).text.split("\n\n")
    assert paragraphs == [
        fx.LAW_TITLE,
        fx.LAW_LEFT[0],
        f"{fx.LAW_LEFT[1]} {fx.LAW_RIGHT[0]}",  # the paragraph runs on from column 1 into column 2
        fx.LAW_RIGHT[1],
    ]


def test_pdf_heading_across_both_columns_cuts_the_page_into_bands(tmp_path):
    paragraphs = extract(fx.banded_columns_pdf(tmp_path / "luat.pdf")).text.split("\n\n")
    assert paragraphs == [" ".join(fx.INTRO), *fx.BANDS[0], fx.BAND_HEADING, *fx.BANDS[1]]


def test_pdf_title_flush_above_the_first_article_stays_apart_from_it(tmp_path):
    paragraphs = extract(fx.flush_title_pdf(tmp_path / "luat.pdf")).text.split("\n\n")
    assert paragraphs == [fx.WIDE_TITLE, *fx.ARTICLES[0], *fx.ARTICLES[1]]


@pytest.mark.parametrize("layout, nation", [
    (dict(split=90, size=11), fx.NATION),  # the title sits under the right cell
    (dict(split=70, columns=True), [" ".join(fx.NATION)]),  # the right cell's lines cross the body's gutter
    (dict(split=55, size=10, columns=True), fx.NATION),
])
def test_pdf_legal_header_reads_cell_by_cell_then_the_centred_title(tmp_path, layout, nation):
    paragraphs = extract(fx.legal_header_pdf(tmp_path / "thong-tu.pdf", **layout)).text.split("\n\n")
    body = ([fx.LAW_LEFT[0], f"{fx.LAW_LEFT[1]} {fx.LAW_RIGHT[0]}", fx.LAW_RIGHT[1]] if layout.get("columns")
            else [fx.LAW_LEFT[0], fx.LAW_RIGHT[1]])
    assert paragraphs == [*fx.AGENCY, *nation, fx.DOC_TITLE, fx.SUBTITLE, *body]


def test_pdf_running_header_and_page_numbers_are_dropped(tmp_path):
    text = extract(fx.two_column_pdf(tmp_path / "paper.pdf", pages=3)).text
    assert fx.HEADER not in text and "Trang 2" not in text
    assert "Thứ Sáu" not in text


def test_pdf_knows_where_each_page_starts_and_its_title(tmp_path):
    extracted = extract(fx.two_column_pdf(tmp_path / "paper.pdf", pages=3))
    assert extracted.title == "Báo tỉnh tháng 12 năm 2022"
    assert len(extracted.page_starts) == 3
    for page, start in enumerate(extracted.page_starts, 1):
        assert extracted.text[start:].startswith(f"Tin trang {page}")


def test_scanned_pdf_is_reported_not_indexed_empty(tmp_path):
    with pytest.raises(ReadError, match="no text layer; OCR it first"):
        extract(fx.scanned_pdf(tmp_path / "scan.pdf"))


def test_damaged_files_are_read_errors(tmp_path):
    for name in ("broken.pdf", "broken.docx"):
        (tmp_path / name).write_bytes(b"this is not what the name says")
        with pytest.raises(ReadError):
            extract(tmp_path / name)


def test_word_file_keeps_headings_paragraphs_and_table_cells_in_order(tmp_path):
    extracted = extract(fx.word_file(tmp_path / "chi-thi.docx"))
    assert extracted.title == "Chỉ thị về việc tổ chức Tết Quý Mão năm 2023"
    paragraphs = extracted.text.split("\n\n")
    assert paragraphs[0] == "CHỈ THỊ CỦA BAN THƯỜNG VỤ TỈNH ỦY"
    assert paragraphs[2:4] == ["Nhiệm vụ | Đơn vị chủ trì",
                               "Tổ chức bắn pháo hoa tầm thấp đêm giao thừa | Ủy ban nhân dân tỉnh"]
    assert paragraphs[-1].startswith("Các cấp ủy quán triệt")


def test_web_page_gives_the_article_without_menus_or_related_links(tmp_path):
    extracted = extract(fx.web_page(tmp_path / "bai-viet.html"))
    assert extracted.title.startswith("Thi đua ở từng địa phương")
    assert extracted.date == "2023-02-06"
    for paragraph in fx.ARTICLE:
        assert paragraph in extracted.text
    for furniture in fx.MENU + fx.RELATED + ["Chia sẻ bài viết", "Bản quyền"]:
        assert furniture not in extracted.text


def test_line_joining_keeps_document_numbers_and_dashes():
    assert join_lines(["Chỉ thị số 19-", "CT/TW của Ban Bí thư"]) == "Chỉ thị số 19-CT/TW của Ban Bí thư"
    assert join_lines(["Chỉ thị số 19-CT/", "TW"]) == "Chỉ thị số 19-CT/TW"
    assert join_lines(["các tổ chức chính trị", "- xã hội"]) == "các tổ chức chính trị - xã hội"
    assert join_lines(["tiết  kiệm,   an", "toàn"]) == "tiết kiệm, an toàn"


@pytest.fixture
def mixed_folder(tmp_path):
    root = tmp_path / "docs"
    root.mkdir()
    (root / "ghi-chu.txt").write_text("Ghi chú\n\nHọp bàn kế hoạch chăm sóc vườn quất cảnh.", encoding="utf-8")
    (root / "so-tay.md").write_text("# Sổ tay\n\nHướng dẫn đăng ký thẻ căn cước gắn chíp.", encoding="utf-8")
    (root / "luat.jsonl").write_text(json.dumps({"id": "luat-1", "title": "Điều 1", "text": "Phạm vi điều chỉnh của luật thủy sản."}, ensure_ascii=False) + "\n", encoding="utf-8")
    fx.two_column_pdf(root / "bao-tinh.pdf", pages=2)
    fx.word_file(root / "chi-thi.docx")
    fx.web_page(root / "bai-viet.html")
    fx.scanned_pdf(root / "scan.pdf")
    return root


def test_a_mixed_folder_is_indexed_and_every_format_is_found(tmp_path, mixed_folder):
    index_dir = tmp_path / "index"
    result = CliRunner().invoke(cli, ["index", str(mixed_folder), "--index", str(index_dir)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "scan.pdf: no text layer; OCR it first, skipped" in result.stderr
    assert "6 files read" in result.stderr

    def top(query):
        with Index.open(index_dir) as ix:
            return ix.search(query, limit=1).hits[0]

    assert top("vuon quat canh").doc_id == "ghi-chu.txt"
    assert top("can cuoc gan chip").doc_id == "so-tay.md"
    assert top("luat thuy san").doc_id == "luat-1"
    assert top("ban phao hoa tam thap").doc_id == "chi-thi.docx"
    assert top("xa dat chuan nong thon moi nang cao").doc_id == "bai-viet.html"
    hit = top("bảo hiểm y tế mục thứ 2")
    assert (hit.doc_id, hit.page) == ("bao-tinh.pdf", 2)


def test_terminal_shows_pdf_pages_and_json_carries_them(tmp_path, mixed_folder):
    index_dir = tmp_path / "index"
    build_index([mixed_folder], index_dir)
    shown = CliRunner().invoke(cli, ["search", "giao dich dien tu muc thu 2", "-n", "1", "--index", str(index_dir)])
    assert "bao-tinh.pdf p.2" in shown.stdout.splitlines()[0]
    as_json = CliRunner().invoke(cli, ["search", "Chợ Lách", "-n", "1", "--json", "--index", str(index_dir)])
    hit = json.loads(as_json.stdout)
    assert hit["doc_id"] == "bai-viet.html" and hit["date"] == "2023-02-06"


def test_a_caption_repeated_in_a_page_is_indexed_once(tmp_path):
    (tmp_path / "docs").mkdir()
    fx.web_page(tmp_path / "docs" / "bai-viet.html")
    index_dir = tmp_path / "index"
    build_index([tmp_path / "docs"], index_dir)
    with Index.open(index_dir) as ix:
        hits = ix.search("khen thuong tap the ca nhan anh phan han", limit=50).hits
    assert sum(h.text.count("Phan Hân") for h in hits) == 1


def test_search_never_imports_the_format_libraries(corpus_index_dir):
    from conftest import loaded_by_a_search

    readers = ("pdfminer", "docx", "trafilatura", "pyvi", "sklearn", "pycrfsuite", "searcher.indexer",
               "concurrent.futures.process", "searcher.corpus", "searcher.engines.local.whooshwrite", "searcher.extract")
    assert loaded_by_a_search(corpus_index_dir, "tết", readers) == []


def test_a_law_read_from_pdf_keeps_its_sections(tmp_path):
    from searcher.passages import split_passages

    extracted = extract(fx.law_pdf(tmp_path / "luat.pdf"))
    assert "\nĐiều 2. Giải thích từ ngữ" in extracted.text and "\na) Được người" in extracted.text
    as_text = "\n".join(fx.LAW_LINES)
    from_pdf = [p.section for p in split_passages(extracted.text)]
    assert from_pdf == [p.section for p in split_passages(as_text)] == [
        None, "Chương I, Điều 1", "Chương I, Điều 2, khoản 1", "Chương I, Điều 2, khoản 2",
        "Chương I, Điều 2, khoản 2, điểm a-b", "Chương I, Điều 2, khoản 3", "Chương II, Điều 3"]


def test_a_paragraph_that_runs_on_across_a_page_keeps_its_heading_lines():
    from searcher.readers import join_lines

    page_one = join_lines(["Luật này quy định như", "sau.", "Điều 5. Phạm vi điều chỉnh", "1. Luật này áp dụng cho"])
    assert page_one == "Luật này quy định như sau.\nĐiều 5. Phạm vi điều chỉnh\n1. Luật này áp dụng cho"
    # The next page starts lower case: the PDF reader joins it to the paragraph already joined.
    assert join_lines([page_one, "các cơ quan, tổ chức."]) == (
        "Luật này quy định như sau.\nĐiều 5. Phạm vi điều chỉnh\n1. Luật này áp dụng cho các cơ quan, tổ chức.")


@pytest.mark.parametrize("columns", [False, True])
def test_a_legal_pdf_heading_gives_the_documents_identity(tmp_path, columns):
    from searcher.identity import Identity, document_identity

    extracted = extract(fx.legal_header_pdf(tmp_path / "thong-tu.pdf", columns=columns))
    assert document_identity(extracted.text) == Identity("12/2023/TT-BTP", "TT", "BTP", "2023-12-02")


@pytest.mark.parametrize("meta, day", [
    ('<meta property="article:published_time" content="2022-12-31T20:30:00+00:00">', "2023-01-01"),
    ('<meta name="pubdate" content="2022-12-31T23:30:00+07:00">', "2022-12-31"),
    ('<script type="application/ld+json">{"datePublished": "2022-12-31T17:00:00Z"}</script>', "2023-01-01"),
    ('<meta content="2022-12-31T18:00:00-01:00" property="og:article:published_time">', "2023-01-01"),
    ('<meta name="dcterms.issued" content="2022-12-31T16:59:00Z">', "2022-12-31"),
])
def test_a_web_pages_zoned_publication_time_is_dated_in_utc_plus_7(tmp_path, meta, day):
    page = tmp_path / "trang.html"
    page.write_text(f"<html><head><title>Tin</title>{meta}</head><body><article><p>"
                    + "Lực lượng phòng cháy chữa cháy trực chiến đêm giao thừa. " * 5
                    + "</p></article></body></html>", encoding="utf-8")
    assert extract(page).date == day


def test_a_word_heading_table_gives_the_documents_identity(tmp_path):
    import docx

    from searcher.identity import Identity, document_identity

    d = docx.Document()
    table = d.add_table(rows=2, cols=2)  # agency and number left, motto and date right
    table.cell(0, 0).text, table.cell(0, 1).text = "TỈNH ỦY HÀ NAM\n*", "ĐẢNG CỘNG SẢN VIỆT NAM"
    table.cell(1, 0).text, table.cell(1, 1).text = "Số 16-CT/TU", "Hà Nam, ngày 2 tháng 12 năm 2022"
    for text in ("CHỈ THỊ", "về tăng cường công tác phòng cháy chữa cháy",
                 "Thực hiện Chỉ thị số 19-CT/TW, ngày 5/1/2018 của Ban Bí thư, các cấp ủy tăng cường phòng cháy."):
        d.add_paragraph(text)
    d.save(tmp_path / "chi-thi.docx")
    extracted = extract(tmp_path / "chi-thi.docx")
    assert document_identity(extracted.text) == Identity("16-CT/TU", "CT", "TU", "2022-12-02")
