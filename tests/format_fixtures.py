"""Builders for PDF, Word and HTML files, made at test time (nothing binary is committed).

The PDF is a two-column provincial paper with a running header, page-numbered footer and a
headline across both columns; smaller two-column law PDFs put a centred title, a centred
heading and a flush-left title across their columns; a legal document opens with a two-cell
header above its centred title; the Word file has a heading, paragraphs and a table; the web page
wraps an article in a menu, share buttons, a related-articles list and a footer.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

HEADER = "BÁO TỈNH - Thứ Sáu, 9-12-2022"
LEFT = [
    "Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy tổ chức Tết Quý Mão vui tươi, lành mạnh, an toàn, "
    "tiết kiệm cho Nhân dân trên địa bàn trang {page}.",
    "Thực hiện tốt chính sách an sinh xã hội, chăm lo đời sống gia đình chính sách và hộ nghèo "
    "trong dịp Tết, không để ai không có Tết ở trang {page}.",
]
RIGHT = [
    "Bảo hiểm xã hội tỉnh đã tiếp nhận và giải quyết hồ sơ giao dịch điện tử cho doanh nghiệp "
    "và người lao động, mục thứ {page}.",
    "Toàn tỉnh có hơn một triệu người tham gia bảo hiểm y tế, chiếm phần lớn dân số toàn tỉnh, "
    "mục thứ {page}.",
]
MENU = ["Trang chủ", "Thời sự quốc tế", "Thị trường chứng khoán", "Bóng đá ngoại hạng"]
RELATED = ["Giá vàng hôm nay tăng mạnh phiên sáng", "Đội tuyển bóng đá thắng đậm trận giao hữu"]
CAPTION = "Khen thưởng các tập thể, cá nhân đạt thành tích trong công tác bảo hiểm xã hội. Ảnh: Phan Hân"
ARTICLE = [
    "Thực hiện Chỉ thị số 01-CT/TU của Ban Thường vụ Tỉnh ủy về phát động phong trào thi đua "
    "Đồng khởi mới giai đoạn 2020 - 2025, các cấp, các ngành trong tỉnh đã tập trung lãnh đạo.",
    "Tại huyện Chợ Lách, qua 2 năm triển khai phong trào, các đảng bộ, chi bộ trực thuộc Huyện ủy "
    "thực hiện có hiệu quả phương thức xây dựng điển hình, học tập điển hình.",
    "Toàn huyện có 4 xã đã được công nhận xã đạt chuẩn nông thôn mới nâng cao, gồm Hưng Khánh "
    "Trung B, Phú Sơn, Sơn Định và Vĩnh Thành.",
]


def vietnamese_font() -> Path:
    """A TrueType font with Vietnamese glyphs: the system's DejaVu Sans, else matplotlib's copy."""
    system = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if system.exists():
        return system
    spec = importlib.util.find_spec("matplotlib")
    return Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"


def two_column_pdf(path: Path, pages: int = 2) -> Path:
    from fpdf import FPDF

    class Paper(FPDF):
        def header(self):
            self.set_font("dv", size=8)
            self.set_y(8)
            self.cell(0, 5, HEADER, align="C")

        def footer(self):
            self.set_font("dv", size=8)
            self.set_y(-12)
            self.cell(0, 5, f"Trang {self.page_no()}", align="C")

    pdf = Paper()
    pdf.add_font("dv", fname=str(vietnamese_font()))
    pdf.set_title("Báo tỉnh tháng 12 năm 2022")
    for page in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("dv", size=14)
        pdf.set_xy(10, 25)
        pdf.multi_cell(190, 8, f"Tin trang {page}: đổi mới phương thức lãnh đạo của Đảng")
        pdf.set_font("dv", size=10)
        for x, paragraphs in ((10, LEFT), (110, RIGHT)):
            y = 45.0
            for paragraph in paragraphs:
                pdf.set_xy(x, y)
                pdf.multi_cell(85, 5, paragraph.format(page=page))
                y = pdf.get_y() + 6
    pdf.output(str(path))
    return path


def scanned_pdf(path: Path) -> Path:
    """A page holding only a picture, as a scanner makes it: no text layer."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(90, 90, 90)
    pdf.rect(20, 20, 170, 120, style="F")
    pdf.output(str(path))
    return path


def word_file(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = "Chỉ thị về việc tổ chức Tết Quý Mão năm 2023"
    document.add_heading("CHỈ THỊ CỦA BAN THƯỜNG VỤ TỈNH ỦY", level=1)
    document.add_paragraph("Ban Thường vụ Tỉnh ủy ban hành Chỉ thị số 16-CT/TU về việc tổ chức Tết Quý Mão năm 2023.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Nhiệm vụ"
    table.cell(0, 1).text = "Đơn vị chủ trì"
    table.cell(1, 0).text = "Tổ chức bắn pháo hoa tầm thấp đêm giao thừa"
    table.cell(1, 1).text = "Ủy ban nhân dân tỉnh"
    document.add_paragraph("Các cấp ủy quán triệt và tổ chức thực hiện nghiêm Chỉ thị này.")
    document.save(str(path))
    return path


def web_page(path: Path) -> Path:
    menu = "".join(f'<li><a href="/{i}">{item}</a></li>' for i, item in enumerate(MENU))
    related = "".join(f'<li><a href="/r{i}">{item}</a></li>' for i, item in enumerate(RELATED))
    paragraphs = [f"<p>{ARTICLE[0]}</p>",
                  f'<figure><img src="a.jpg" alt=""><figcaption>{CAPTION}</figcaption></figure>',
                  f"<p>{CAPTION}</p>",
                  *(f"<p>{p}</p>" for p in ARTICLE[1:]),
                  f"<p>{CAPTION}</p>"]
    html = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Thi đua ở từng địa phương, đơn vị | Báo Đồng Khởi</title>
<meta property="article:published_time" content="2023-02-06T07:07:00+07:00"></head><body>
<header><nav><ul>{menu}</ul></nav></header>
<main><article><h1>Thi đua ở từng địa phương, đơn vị</h1>
<time datetime="2023-02-06">06/02/2023 - 07:07</time>
{''.join(paragraphs)}
<div class="share">Chia sẻ bài viết <a href="#">Facebook</a> <a href="#">Zalo</a></div></article>
<aside class="related"><h3>Tin liên quan</h3><ul>{related}</ul></aside></main>
<footer>Bản quyền thuộc Báo Đồng Khởi. Giấy phép số 123/GP-BTTTT.</footer></body></html>"""
    path.write_text(html, encoding="utf-8")
    return path


LAW_TITLE = "LUẬT TIẾP CẬN THÔNG TIN"
LAW_LEFT = [
    "Điều 1. Luật này quy định về việc thực hiện quyền tiếp cận thông tin của công dân, nguyên tắc, "
    "trình tự, thủ tục thực hiện quyền tiếp cận thông tin.",
    "Điều 2. Công dân được tiếp cận thông tin của cơ quan nhà nước, trừ thông tin được trao đổi trong cuộc họp",
]
LAW_RIGHT = [
    "nội bộ của cơ quan nhà nước và các tài liệu do cơ quan soạn thảo cho công việc nội bộ.",
    "Điều 3. Mọi công dân đều bình đẳng, không bị phân biệt đối xử trong việc thực hiện quyền tiếp cận thông tin.",
]


def _columns(pdf, y: float, left: list[str], right: list[str], gap: float = 3) -> float:
    """Write two columns of paragraphs from y down; return the y below the longer column."""
    bottom = y
    for x, paragraphs in ((10, left), (110, right)):
        yy = y
        for paragraph in paragraphs:
            pdf.set_xy(x, yy)
            pdf.multi_cell(85, 5, paragraph)
            yy = pdf.get_y() + gap
        bottom = max(bottom, yy)
    return bottom


def _pdf():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("dv", fname=str(vietnamese_font()))
    pdf.add_page()
    return pdf


def titled_columns_pdf(path: Path) -> Path:
    """A centred title (narrower than the columns together) above two columns; the second
    paragraph of the left column runs on at the top of the right column."""
    pdf = _pdf()
    pdf.set_font("dv", size=14)
    pdf.set_xy(10, 20)
    pdf.cell(190, 8, LAW_TITLE, align="C")
    pdf.set_font("dv", size=10)
    _columns(pdf, 32, LAW_LEFT, LAW_RIGHT)
    pdf.output(str(path))
    return path


BAND_HEADING = "Chương II. THỰC HIỆN QUYỀN"
BANDS = (
    ["Điều 4. Công dân có quyền được cung cấp thông tin đầy đủ, chính xác, kịp thời.",
     "Điều 5. Cơ quan nhà nước công khai thông tin trên cổng thông tin điện tử."],
    ["Điều 6. Công dân yêu cầu cung cấp thông tin bằng văn bản hoặc trực tiếp.",
     "Điều 7. Thời hạn cung cấp thông tin là mười lăm ngày làm việc."],
)


INTRO = ("Luật này được Quốc hội khóa XIII thông qua ngày 06 tháng 4 năm 2016 và công bố theo lệnh của Chủ tịch nước",
         "Trần Đại Quang.")


def banded_columns_pdf(path: Path) -> Path:
    """A paragraph across the page (its short last line alone under it), two columns, a centred
    heading across both, then two more columns below it."""
    pdf = _pdf()
    pdf.set_font("dv", size=10)
    pdf.set_xy(10, 20)
    pdf.multi_cell(190, 5, "\n".join(INTRO))
    (a_left, a_right), (b_left, b_right) = ([p] for p in BANDS[0]), ([p] for p in BANDS[1])
    y = _columns(pdf, pdf.get_y() + 4, a_left, a_right)
    pdf.set_font("dv", size=12)
    pdf.set_xy(10, y + 4)
    pdf.cell(190, 6, BAND_HEADING, align="C")
    pdf.set_font("dv", size=10)
    _columns(pdf, y + 16, b_left, b_right)
    pdf.output(str(path))
    return path


WIDE_TITLE = "LUẬT TIẾP CẬN THÔNG TIN CỦA QUỐC HỘI NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
ARTICLES = (["Điều 1. Phạm vi điều chỉnh", LAW_LEFT[0].removeprefix("Điều 1. ")],
            ["Điều 2. Giải thích từ ngữ", LAW_RIGHT[1].removeprefix("Điều 3. ")])


def flush_title_pdf(path: Path) -> Path:
    """As LibreOffice lays out a two-column section: a title across the page in the body font,
    flush left right above the first article heading (pdfminer puts the two in one text box)."""
    pdf = _pdf()
    pdf.set_font("dv", size=10)
    pdf.set_xy(10, 20)
    pdf.cell(190, 5, WIDE_TITLE)
    _columns(pdf, 25, ARTICLES[0], ARTICLES[1], gap=4)
    pdf.output(str(path))
    return path


AGENCY = ["BỘ TƯ PHÁP", "Số: 12/2023/TT-BTP"]
NATION = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày 2 tháng 12 năm 2023"]
DOC_TITLE = "THÔNG TƯ"
SUBTITLE = "Hướng dẫn thi hành một số điều của Luật Tiếp cận thông tin"


def legal_header_pdf(path: Path, columns: bool = False, split: float = 90, size: int = 12) -> Path:
    """The header of a Vietnamese legal document: the agency and the document number centred in
    a left cell, the national motto and the place and date centred in a right cell (the number on
    the row of the date); under them the document type and its subject centred on the page; then
    the articles, across the page or in two columns. ``split`` is where the right cell starts (mm),
    ``size`` the header's font size."""
    pdf = _pdf()
    pdf.set_font("dv", size=size)
    cells = [(0, AGENCY[0], 0), (0, AGENCY[1], 2)] + [(1, text, row) for row, text in enumerate(NATION)]
    for cell, text, row in cells:
        x, width = (10, split - 10) if cell == 0 else (split, 200 - split)
        pdf.set_xy(x, 15 + 6 * row)
        pdf.cell(width, 6, text, align="C")
    pdf.set_font("dv", size=14)
    pdf.set_xy(10, 41)
    pdf.cell(190, 8, DOC_TITLE, align="C")
    pdf.set_font("dv", size=12)
    pdf.set_xy(10, 53)
    pdf.cell(190, 6, SUBTITLE, align="C")
    pdf.set_font("dv", size=10)
    if columns:
        _columns(pdf, 65, LAW_LEFT, LAW_RIGHT)
    else:
        pdf.set_xy(10, 65)
        pdf.multi_cell(190, 5, LAW_LEFT[0])
        pdf.set_xy(10, pdf.get_y() + 3)
        pdf.multi_cell(190, 5, LAW_RIGHT[1])
    pdf.output(str(path))
    return path


def docx_bomb(path: Path, unpacked_mb: int, declared_size: int | None = None) -> Path:
    """A Word file whose document.xml is unpacked_mb of repeated paragraphs (a few hundred KB
    zipped). With declared_size, the zip lies about that part's size, as a hand-made bomb may."""
    import zipfile

    source = word_file(path.with_name(path.name + ".src.docx"))
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename != "word/document.xml":
                zout.writestr(item, zin.read(item))
                continue
            head, tail = zin.read(item).split(b"<w:body>")
            paragraphs = "<w:p><w:r><w:t>Bảo hiểm xã hội tỉnh đã tiếp nhận hồ sơ.</w:t></w:r></w:p>".encode() * 10_000
            with zout.open("word/document.xml", "w") as f:
                f.write(head + b"<w:body>")
                for _ in range(unpacked_mb * 1024 * 1024 // len(paragraphs)):
                    f.write(paragraphs)
                f.write(tail)
    source.unlink()
    if declared_size is not None:
        _declare_size(path, "word/document.xml", declared_size)
    return path


def _declare_size(path: Path, name: str, size: int) -> None:
    """Overwrite the uncompressed size a zip declares for one part, in both of its headers."""
    import struct
    import zipfile

    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        struct.pack_into("<I", data, z.getinfo(name).header_offset + 22, size)  # local header
    entry = data.find(b"PK\x01\x02")
    while entry != -1:  # the central directory entry, which readers trust
        name_length = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46:entry + 46 + name_length] == name.encode():
            struct.pack_into("<I", data, entry + 24, size)
        entry = data.find(b"PK\x01\x02", entry + 4)
    path.write_bytes(bytes(data))


def pdf_bomb(path: Path, unpacked_mb: int) -> Path:
    """A one-page PDF whose content stream inflates to unpacked_mb of spaces before its one word."""
    import zlib

    packer = zlib.compressobj(1)
    block = b" " * (4 * 1024 * 1024)
    stream = b"".join(packer.compress(block) for _ in range(unpacked_mb // 4))
    stream += packer.compress(b"BT /F1 12 Tf 72 712 Td (Hello) Tj ET") + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


_MEANING = ("được chứa đựng trong văn bản, hồ sơ, tài liệu có sẵn, tồn tại dưới dạng bản viết, bản in, bản "
            "điện tử, tranh, ảnh, bản vẽ, băng, đĩa, bản ghi hình, ghi âm hoặc các dạng khác do cơ quan nhà nước tạo ra")
LAW_LINES = [
    "LUẬT TIẾP CẬN THÔNG TIN",
    "Chương I",
    "NHỮNG QUY ĐỊNH CHUNG",
    "Điều 1. Phạm vi điều chỉnh",
    "Luật này quy định về việc thực hiện quyền tiếp cận thông tin của công dân theo Điều 25 của Hiến pháp.",
    "Điều 2. Giải thích từ ngữ",
    "Trong Luật này, các từ ngữ dưới đây được hiểu như sau:",
    f"1. Thông tin là tin, dữ liệu {_MEANING}.",
    f"2. Thông tin do cơ quan nhà nước tạo ra là tin, dữ liệu {_MEANING}:",
    f"a) Được người có thẩm quyền ký, đóng dấu hoặc xác nhận, {_MEANING};",
    f"b) Được xác thực bằng chữ ký điện tử, {_MEANING}.",
    f"3. Tiếp cận thông tin là việc đọc, xem, nghe, ghi chép, sao chép, chụp thông tin {_MEANING}.",
    "Chương II",
    "THỰC HIỆN QUYỀN",
    "Điều 3. Cung cấp thông tin",
    "Cơ quan nhà nước cung cấp thông tin theo yêu cầu quy định tại khoản 2 Điều 2 của Luật này.",
]


def law_pdf(path: Path) -> Path:
    """A law in one column, every heading on a new line of the same text box, long lines wrapped."""
    pdf = _pdf()
    pdf.set_font("dv", size=10)
    pdf.set_xy(10, 20)
    pdf.multi_cell(190, 5, "\n".join(LAW_LINES))
    pdf.output(str(path))
    return path
