"""Sections of legal text: headings at line starts only, passages along articles and clauses."""
from searcher.passages import MAX_WORDS, split_passages
from searcher.sections import find_headings, format_location, section_label, title_location

# A clause body of 30 words, so that articles are long enough to be cut.
DUTY = ("cơ quan nhà nước có thẩm quyền phải tổ chức thực hiện việc kiểm tra, giám sát thường xuyên "
        "và báo cáo kết quả cho Ủy ban nhân dân cấp tỉnh theo định kỳ hằng năm")

LAW = f"""QUỐC HỘI
LUẬT PHÒNG, CHỐNG THỬ NGHIỆM

Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;
Quốc hội ban hành Luật Phòng, chống thử nghiệm.

Chương I
NHỮNG QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh
Luật này quy định về phòng, chống thử nghiệm; trách nhiệm của cơ quan, tổ chức theo
Điều 12 của Luật Đất đai.

Điều 2. Giải thích từ ngữ
Trong Luật này, các từ ngữ dưới đây được hiểu như sau:
1. Thử nghiệm là việc {DUTY}.
2. Người thử nghiệm là người mà {DUTY}.
3. Cơ sở thử nghiệm là nơi {DUTY}.
4. Hồ sơ thử nghiệm là tài liệu mà {DUTY}.
5. Kết quả thử nghiệm là thông tin {DUTY}.

Chương II
QUẢN LÝ THỬ NGHIỆM

Mục 1
CẤP PHÉP

Điều 3. Cấp phép thử nghiệm
1. Tổ chức đề nghị cấp phép phải đáp ứng các điều kiện sau đây:
a) Có địa điểm phù hợp mà {DUTY};
b) Có nhân lực đủ trình độ mà {DUTY};
c) Có trang thiết bị bảo đảm an toàn mà {DUTY};
d) Có phương án xử lý sự cố mà {DUTY};
đ) Có quy trình lưu giữ hồ sơ mà {DUTY}.
2. Bộ trưởng Bộ Y tế cấp giấy phép thử nghiệm quy định tại khoản 1 Điều này.
"""


def sections(text, title=None):
    return [(p.section, text[p.start:p.end].split("\n", 1)[0]) for p in split_passages(text, title)]


def test_a_law_is_split_along_chapters_articles_clauses_and_points():
    assert sections(LAW) == [
        (None, "QUỐC HỘI"),
        ("Chương I, Điều 1", "Chương I"),
        # A passage covering several clauses is labelled with their range, from the article's
        # heading on or not.
        ("Chương I, Điều 2, khoản 1-2", "Điều 2. Giải thích từ ngữ"),
        ("Chương I, Điều 2, khoản 3-5", f"3. Cơ sở thử nghiệm là nơi {DUTY}."),
        # A heading with no text of its own goes with the first piece of what follows.
        ("Chương II, Mục 1, Điều 3, khoản 1, điểm a-b", "Chương II"),
        ("Chương II, Mục 1, Điều 3, khoản 1, điểm c-đ", f"c) Có trang thiết bị bảo đảm an toàn mà {DUTY};"),
        ("Chương II, Mục 1, Điều 3, khoản 2",
         "2. Bộ trưởng Bộ Y tế cấp giấy phép thử nghiệm quy định tại khoản 1 Điều này."),
    ]



def test_an_articles_name_never_stands_alone_as_a_passage():
    # The first clause's first piece fills a passage by itself; the article's name goes with it
    # rather than make a five-word passage that outranks the article's text on its name alone.
    clause = "1. Người nào giết người thì bị phạt tù trong các trường hợp sau đây:\n" + "\n".join(
        f"{letter}) Trường hợp {letter} mà {DUTY};" for letter in "abcd")
    law = f"Điều 123. Tội giết người\n\n{clause}\n2. Phạm tội khác thì bị phạt tù.\n"
    assert sections(law) == [
        ("Điều 123, khoản 1, điểm a-b", "Điều 123. Tội giết người"),
        ("Điều 123, khoản 1, điểm c-d", f"c) Trường hợp c mà {DUTY};"),
        ("Điều 123, khoản 2", "2. Phạm tội khác thì bị phạt tù."),
    ]


def words(n, start=0):
    return " ".join(f"từ{i}" for i in range(start, start + n))


def test_a_long_article_is_cut_into_passages_of_even_size():
    # 70 + 60 + 15 words do not fit one passage (140). Filling the first passage would leave the
    # last clause alone, a 15-word passage that BM25 favours for its shortness; the cut is even.
    law = f"Điều 7. Quyền\n1. {words(70)}.\n2. {words(60)}.\n3. {words(15)}.\n"
    passages = split_passages(law)
    assert [p.section for p in passages] == ["Điều 7, khoản 1", "Điều 7, khoản 2-3"]
    assert [len(law[p.start:p.end].split()) for p in passages] == [3 + 1 + 70, 1 + 60 + 1 + 15]


def test_even_passages_are_as_few_as_filling_them_in_turn_would_make():
    # Six 45-word clauses take two passages (three clauses each) however they are spread.
    law = "Điều 8. Nghĩa vụ\n" + "".join(f"{i}. {words(44, i * 100)}.\n" for i in range(1, 7))
    assert [p.section for p in split_passages(law)] == ["Điều 8, khoản 1-3", "Điều 8, khoản 4-6"]


def test_a_passage_below_a_heading_carries_the_heading_lines_it_does_not_hold():
    # A clause or point is about its article's name and its clause's lead-in: they are its
    # context (indexed with it), without their numbers. A passage that holds them has none.
    context = {p.section: p.context for p in split_passages(LAW)}
    assert context["Chương I, Điều 2, khoản 1-2"] == ""
    assert context["Chương I, Điều 2, khoản 3-5"] == "Giải thích từ ngữ"
    assert context["Chương II, Mục 1, Điều 3, khoản 1, điểm a-b"] == ""
    assert context["Chương II, Mục 1, Điều 3, khoản 1, điểm c-đ"] == (
        "Cấp phép thử nghiệm\nTổ chức đề nghị cấp phép phải đáp ứng các điều kiện sau đây")
    assert context["Chương II, Mục 1, Điều 3, khoản 2"] == "Cấp phép thử nghiệm"


def test_a_record_of_one_article_gives_its_clauses_the_same_context_as_the_whole_law():
    law = [p.context for p in split_passages(LAW) if p.section and "Điều 2" in p.section]
    # The article's name in the record's title, or as the first line of its text.
    named = [p.context for p in split_passages(ARTICLE_2, "Chương I - Điều 2. Giải thích từ ngữ")]
    first_line = [p.context for p in split_passages("Giải thích từ ngữ\n" + ARTICLE_2, "Luật X - Điều 2")]
    assert law == named == first_line == ["", "Giải thích từ ngữ"]


def test_a_passage_never_spans_two_articles():
    passages = split_passages(LAW)
    article_starts = [LAW.index(f"Điều {n}.") for n in (1, 2, 3)]
    for p in passages:
        assert sum(p.start <= a < p.end for a in article_starts) <= 1, LAW[p.start:p.end]
        assert len(LAW[p.start:p.end].split()) <= MAX_WORDS * 1.2
    # The passages cover the text in order, nothing left out.
    for a, b in zip(passages, passages[1:]):
        assert LAW[a.end:b.start].strip() == ""
    assert LAW[passages[-1].end:].strip() == ""


def test_a_short_article_is_one_passage():
    text = "Điều 7. Hiệu lực thi hành\n1. Luật này có hiệu lực từ ngày 01 tháng 7 năm 2025.\n2. Luật số 10/2010/QH12 hết hiệu lực.\n"
    assert sections(text) == [("Điều 7", "Điều 7. Hiệu lực thi hành")]


def test_inline_and_hard_wrapped_references_are_not_headings():
    text = (
        "Điều 13. Trách nhiệm của cơ quan nhà\n"  # a title wrapped over two lines
        "nước trong phòng, chống thử nghiệm\n"
        "1. Cơ quan nhà nước thực hiện các biện pháp quy định tại\n"
        "\n"  # PDF extraction scatters blank lines inside sentences
        "Điều 5. Người vi phạm bị xử lý theo quy định tại khoản\n"
        "2. Điều 9 của Luật này, theo Điều 12 và khoản 3 Điều 4.\n"
        "\n"
        "12\n"  # a page number
        "\n"
        "2. Ủy ban nhân dân các cấp có trách\n"
        "nhiệm tổ chức thực hiện:\n"
        "a) Tuyên truyền, phổ biến pháp luật về\n"
        "phòng, chống thử nghiệm;\n"
        "b) Kiểm tra việc chấp hành theo\n"
        "Điều 14. Các nội dung khác do Chính phủ\n"
        "quy định.\n"
        "đ) Không phải điểm tiếp theo của điểm b.\n"
        "Điều 14. Hợp tác quốc tế\n"
        "Nhà nước mở rộng hợp tác quốc tế.\n"
    )
    found = [(format_location(h.location), text[h.start:h.line_end]) for h in find_headings(text)]
    assert found == [
        ("Điều 13", "Điều 13. Trách nhiệm của cơ quan nhà"),
        ("Điều 13, khoản 1", "1. Cơ quan nhà nước thực hiện các biện pháp quy định tại"),
        ("Điều 13, khoản 2", "2. Ủy ban nhân dân các cấp có trách"),
        ("Điều 13, khoản 2, điểm a", "a) Tuyên truyền, phổ biến pháp luật về"),
        ("Điều 13, khoản 2, điểm b", "b) Kiểm tra việc chấp hành theo"),
        ("Điều 14", "Điều 14. Hợp tác quốc tế"),
    ]
    assert sections(text) == [("Điều 13", "Điều 13. Trách nhiệm của cơ quan nhà"),
                              ("Điều 14", "Điều 14. Hợp tác quốc tế")]


def test_a_cross_reference_at_a_line_start_without_a_heading_mark_is_text():
    text = "Điều 1. Phạm vi\nLuật này quy định về thử nghiệm.\nĐiều 5 của Luật Đất đai không áp dụng.\n"
    assert [format_location(h.location) for h in find_headings(text)] == ["Điều 1"]


def test_articles_quoted_in_an_amending_law_stay_in_its_clauses():
    text = (
        "LUẬT SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA LUẬT THỬ NGHIỆM\n"
        "\n"
        "Điều 1. Sửa đổi, bổ sung một số điều của Luật Thử nghiệm\n"
        "1. Điều 5 được sửa đổi, bổ sung như sau:\n"
        "“Điều 5. Nguyên tắc thử nghiệm\n"
        "1. Bảo đảm an toàn cho người tham gia.\n"
        "2. Công khai kết quả thử nghiệm.”\n"
        "2. Bổ sung Điều 7a vào sau Điều 7 như sau:\n"
        "“Điều 7a. Thử nghiệm lâm sàng\n"
        "Thử nghiệm lâm sàng phải được Hội đồng đạo đức chấp thuận.\n"
        "a) Hồ sơ gồm đề cương nghiên cứu;\n"
        "b) Cam kết của người tham gia.”\n"
        "3. Khoản 2 Điều 9 được sửa đổi như sau: “2. Bộ Y tế hướng dẫn\n"
        "thực hiện khoản này.\n"
        "Điều 10. Không phải điều của luật sửa đổi.”\n"
        "\n"
        "Điều 2. Hiệu lực thi hành\n"
        "Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2025.\n"
    )
    assert [format_location(h.location) for h in find_headings(text)] == [
        "Điều 1", "Điều 1, khoản 1", "Điều 1, khoản 2", "Điều 1, khoản 3", "Điều 2"]
    assert [s for s, _ in sections(text)] == [None, "Điều 1", "Điều 2"]


def test_straight_quotes_quote_articles_too():
    text = ('Điều 1. Sửa đổi Luật Thử nghiệm\n1. Điều 5 được sửa đổi như sau:\n"Điều 5. Nguyên tắc\n'
            '1. An toàn.\n2. Công khai."\n2. Bãi bỏ Điều 8.\n')
    assert [format_location(h.location) for h in find_headings(text)] == [
        "Điều 1", "Điều 1, khoản 1", "Điều 1, khoản 2"]


def test_headings_are_read_after_normalisation():
    # NFD accents, a Windows line ending, an indented line and the look-alike letter Ð (U+00D0).
    text = "\u0110ie\u0302\u0300u 1. Pha\u0323m vi\r\n   1. Mo\u0323t.\r\n  2. Hai.\r\n\u00d0iều 2: Đối tượng\r\nCông dân.\r\n"
    assert [format_location(h.location) for h in find_headings(text)] == [
        "Điều 1", "Điều 1, khoản 1", "Điều 1, khoản 2", "Điều 2"]


def test_text_without_articles_has_no_sections():
    story = ("Hội nghị đã thống nhất các nội dung sau:\n1. Tăng cường tuyên truyền.\n2. Kiểm tra định kỳ.\n"
             "Chương trình hành động được ban hành kèm theo.\n")
    assert find_headings(story) == []
    assert [p.section for p in split_passages(story)] == [None]


ARTICLE_2 = f"""Trong Luật này, các từ ngữ dưới đây được hiểu như sau:
1. Thử nghiệm là việc {DUTY}.
2. Người thử nghiệm là người mà {DUTY}.
3. Cơ sở thử nghiệm là nơi {DUTY}.
4. Hồ sơ thử nghiệm là tài liệu mà {DUTY}.
5. Kết quả thử nghiệm là thông tin {DUTY}.
"""


def test_a_record_per_article_gives_the_same_sections_as_the_whole_law():
    whole = [s for s, _ in sections(LAW) if s and "Điều 2" in s]
    # The article's number only in the title, its text without the heading line.
    assert [s for s, _ in sections(ARTICLE_2, "Chương I - Điều 2. Giải thích từ ngữ")] == whole
    assert [p.section for p in split_passages(ARTICLE_2, "Luật Phòng, chống thử nghiệm - Điều 2")] == [
        "Điều 2, khoản 1-2", "Điều 2, khoản 3-5"]
    # The same cuts: each passage of the record is the same text as in the law.
    law = [LAW[p.start:p.end] for p in split_passages(LAW) if p.section and "Điều 2" in p.section]
    record = [ARTICLE_2[p.start:p.end] for p in split_passages(ARTICLE_2, "Điều 2. Giải thích từ ngữ")]
    assert law[1:] == record[1:] and law[0].endswith(record[0])


def test_a_title_names_an_article_only_at_its_start_or_end():
    assert title_location("Luật Phòng, chống ma túy - Điều 2") == (("dieu", "2"),)
    assert title_location("Điều 7a. Thử nghiệm lâm sàng") == (("dieu", "7a"),)
    assert title_location("Chương II - Mục 1 - Điều 3. Cấp phép") == (("chuong", "II"), ("muc", "1"), ("dieu", "3"))
    assert title_location("Hướng dẫn thi hành Điều 12 Luật Đất đai") == ()
    assert title_location("Báo cáo tổng kết năm 2022") == ()
    assert title_location(None) == ()


def test_a_record_that_repeats_its_heading_or_runs_on_into_the_next_article():
    text = "Điều 4. Nguyên tắc\n1. Công khai.\n2. Minh bạch.\n"
    assert [p.section for p in split_passages(text, "Luật X - Điều 4")] == ["Điều 4"]
    text = "Nguyên tắc\n1. Công khai.\n2. Minh bạch.\nĐiều 5. Hiệu lực\nLuật này có hiệu lực từ ngày ký.\n"
    assert [p.section for p in split_passages(text, "Luật X - Điều 4")] == ["Điều 4", "Điều 5"]
    # An article heading with a number before the record's own is part of its text.
    text = "Điều 3. Nguyên tắc\n1. Công khai.\n"
    assert [p.section for p in split_passages(text, "Luật X - Điều 4")] == ["Điều 4"]


def test_section_labels():
    article = (("chuong", "II"), ("dieu", "12"))
    assert section_label(article + (("khoan", "2"),), article + (("khoan", "4"),)) == "Chương II, Điều 12, khoản 2-4"
    assert section_label(article, article + (("khoan", "4"),)) == "Chương II, Điều 12"
    assert section_label(article + (("khoan", "2"), ("diem", "a")), article + (("khoan", "2"), ("diem", "đ"))) == \
        "Chương II, Điều 12, khoản 2, điểm a-đ"
    assert section_label((), ()) is None


def test_text_without_final_full_stops_still_finds_the_next_article_and_clause():
    # Typed or scraped text often drops the full stop after an item or an article's last line.
    text = ("Điều 5. Nguyên tắc\n1. Bảo đảm an toàn\n2. Công khai, minh bạch\n"
            "Chính phủ quy định chi tiết Điều này\nĐiều 6. Hiệu lực\nLuật này có hiệu lực từ năm\n"
            "2025. Các quy định trái với Luật này hết hiệu lực\nĐiều 9. Không phải điều tiếp theo\n")
    assert [format_location(h.location) for h in find_headings(text)] == [
        "Điều 5", "Điều 5, khoản 1", "Điều 5, khoản 2", "Điều 6"]


def test_markdown_headings_are_headings():
    text = "## Chương I\n\n### Điều 1. Phạm vi\n\n**1.** Luật này quy định về thử nghiệm.\n\n**2.** Áp dụng chung.\n"
    assert [format_location(h.location) for h in find_headings(text)] == [
        "Chương I", "Chương I, Điều 1", "Chương I, Điều 1, khoản 1", "Chương I, Điều 1, khoản 2"]


def test_a_decision_and_the_regulation_it_issues_number_their_articles_apart():
    text = ("QUYẾT ĐỊNH\nĐiều 1. Ban hành kèm theo Quyết định này Quy chế thử nghiệm.\n"
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n\nQUY CHẾ THỬ NGHIỆM\n"
            "Chương I\nQuy định chung\nĐiều 1. Phạm vi điều chỉnh\nQuy chế này quy định việc thử nghiệm.\n"
            "Điều 2. Đối tượng áp dụng\nQuy chế này áp dụng với các sở, ngành.\n")
    assert [format_location(h.location) for h in find_headings(text)] == [
        "Điều 1", "Điều 2", "Chương I", "Chương I, Điều 1", "Chương I, Điều 2"]


def test_an_article_announced_on_the_line_before_is_quoted_even_without_quotation_marks():
    text = ("Điều 1. Sửa đổi, bổ sung Luật Thử nghiệm\n1. Điều 2 được sửa đổi như sau:\n"
            "Điều 2. Đối tượng áp dụng\nLuật này áp dụng với mọi tổ chức.\n"
            "2. Khoản 3 Điều 4 được sửa đổi như sau:\n3. Bộ Y tế hướng dẫn thi hành.\n"
            "Điều 2. Hiệu lực thi hành\nLuật này có hiệu lực từ ngày ký.\n")
    assert [format_location(h.location) for h in find_headings(text)] == [
        "Điều 1", "Điều 1, khoản 1", "Điều 1, khoản 2", "Điều 2"]
    assert [text[h.start:h.line_end] for h in find_headings(text)][-1] == "Điều 2. Hiệu lực thi hành"


def test_a_long_article_without_clauses_is_cut_alike_in_a_law_and_as_a_record():
    # 2 + 37 words, one short of a passage's minimum: "Điều 116." must not tip it over.
    body = "Ngoại lệ\n\n" + "\n\n".join(f"({n}) {DUTY}." for n in range(1, 7))
    law = f"Điều 115. Nghỉ việc riêng\nNgười lao động được nghỉ.\n\nĐiều 116. {body}\n\nĐiều 117. Kỷ luật\nKỷ luật lao động.\n"
    in_law = [(p.section, law[p.start:p.end]) for p in split_passages(law) if p.section == "Điều 116"]
    as_record = [(p.section, body[p.start:p.end]) for p in split_passages(body, "Bộ luật Lao động - Điều 116")]
    assert len(in_law) == len(as_record) > 1
    assert in_law[0][1] == "Điều 116. " + as_record[0][1] and in_law[1:] == as_record[1:]


CODE = """BỘ LUẬT THỬ NGHIỆM

PHẦN THỨ NHẤT
NHỮNG QUY ĐỊNH CHUNG

Chương I
PHẠM VI

Điều 1. Phạm vi điều chỉnh
Bộ luật này quy định về thử nghiệm; các tội phạm về thử nghiệm quy định tại
Phần thứ hai của Bộ luật này.

PHẦN THỨ HAI
CÁC TỘI PHẠM

Chương II
TỘI PHẠM VỀ THỬ NGHIỆM

Điều 2. Tội thử nghiệm trái phép
Người nào thử nghiệm trái phép thì bị phạt tiền.
"""


def test_a_code_is_cut_into_parts_and_a_part_heading_goes_with_the_next_article():
    assert sections(CODE) == [
        (None, "BỘ LUẬT THỬ NGHIỆM"),
        ("Phần thứ nhất, Chương I, Điều 1", "PHẦN THỨ NHẤT"),
        # "Phần thứ hai" wrapped onto a line of its own after "tại" is a reference, not a heading.
        ("Phần thứ hai, Chương II, Điều 2", "PHẦN THỨ HAI"),
    ]
    assert find_headings("Phần I. Quy định chung\nĐiều 1. Phạm vi\nNội dung.")[0].location == (("phan", "I"),)


def test_parts_start_over_with_the_next_document_of_a_file_and_count_past_ten():
    second = "LUẬT KHÁC\n\nChương I\nQUY ĐỊNH CHUNG\n\nĐiều 1. Phạm vi\nLuật này quy định về việc khác.\n"
    third = "BỘ LUẬT KHÁC\n\nPHẦN THỨ NHẤT\nCHUNG\n\nChương I\nPHẠM VI\n\nĐiều 1. Phạm vi\nBộ luật này quy định.\n"
    assert [s for s, _ in sections(CODE + "\n" + second + "\n" + third)][3:] == [
        "Chương I, Điều 1",  # the law after the code has no parts
        "Phần thứ nhất, Chương I, Điều 1",  # a second code starts at its first part again
    ]
    late = "PHẦN THỨ MƯỜI MỘT\nTHỪA KẾ\n\nĐiều 5. Người thừa kế\nNgười thừa kế là cá nhân.\n"
    assert find_headings(late)[0].location == (("phan", "thứ mười một"),)


def test_an_article_of_a_thousand_numbered_lines_is_packed_as_any_other():
    # (A hostile list, each line a clause of 7 words: packing tries only the starts a passage
    # can reach, so it takes as long as filling passages in turn would.)
    law = "Điều 1. Danh sách\n" + "".join(f"{i}. mục số {i} của danh sách.\n" for i in range(1, 981))
    passages = split_passages(law)
    sizes = [len(law[p.start:p.end].split()) for p in passages]
    assert len(passages) == 50 and max(sizes) <= 140 and min(sizes) >= 130
    assert passages[0].section == "Điều 1, khoản 1-19" and passages[-1].section == "Điều 1, khoản 961-980"


def test_a_whole_article_on_one_line_gives_each_of_its_passages_the_lines_first_words():
    # (Scraped text often holds an article on one line; only its first words are read for context.)
    body = "Cơ quan nhà nước có trách nhiệm thực hiện chính sách bảo hiểm xã hội. " * 2000
    law = f"Luật mẫu\nĐiều 1. Phạm vi điều chỉnh. {body}\n"
    passages = split_passages(law)
    assert passages[0].section is None and {p.section for p in passages[1:]} == {"Điều 1"}
    assert len(passages) > 200 and passages[-1].context == (  # 24 words
        "Phạm vi điều chỉnh Cơ quan nhà nước có trách nhiệm thực hiện chính sách bảo hiểm xã hội Cơ quan nhà nước có")
