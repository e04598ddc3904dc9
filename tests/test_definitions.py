"""Definition questions: the subject read off the question's frame, and the passages defining it."""
import pytest

from searcher.definitions import defined_subject, defines


@pytest.mark.parametrize("question, subject", [
    ("Hoa lợi là gì?", "hoa loi"),
    ("hoa loi la gi", "hoa loi"),
    ("Thế nào là hình phạt?", "hinh phat"),
    ("Khái niệm bảo hiểm xã hội", "bao hiem xa hoi"),
    ("Vượt quá giới hạn phòng vệ chính đáng được hiểu như thế nào?", "vuot qua gioi han phong ve chinh dang"),
    # A scope before the question is not part of the subject; neither is "hãy cho biết".
    ("Theo Bộ luật Dân sự 2015, vật chính được hiểu như thế nào?", "vat chinh"),
    ("Hãy cho biết tài sản chung là gì", "tai san chung"),
    # Old and new tone placement, and the other i/y spelling, are one.
    ("Thuỷ lợi phí là gì?", "thuy loi phi"),
    ("Thủy lợi phí là gì?", "thuy loi phi"),
    ("Kỹ năng số là gì?", "ki nang so"),
    ("Kĩ năng số là gì?", "ki nang so"),
    # The whole subject, its first syllable too: "thẻ" is not "thế".
    ("thẻ BHYT là gì", "the bhyt"),
    ("Mục đích của hình phạt là gì?", "muc dich cua hinh phat"),
    # A scope ending in a year needs no comma; "định nghĩa của", a closing particle, quotes.
    ("Theo Bộ luật Dân sự 2015 vật chính được hiểu như thế nào?", "vat chinh"),
    ('Định nghĩa của "Cưỡng bức lao động"?', "cuong buc lao dong"),
    ("hoa lợi là gì ạ", "hoa loi"),
    ("Về hưu là gì?", "ve huu"),
])
def test_a_definition_question_names_its_subject(question, subject):
    assert defined_subject(question) == subject


@pytest.mark.parametrize("query", [
    "bảo hiểm xã hội",
    "hoa lợi thuộc về ai",
    "Đó là gì?",  # only function words: nothing to define
    "vậy là gì", "cái đó là gì", "1,5 là gì",  # a pointer or a number
    # "được gọi là gì?" asks for a name, not for a definition.
    "Hoạt động thu gom, vận chuyển, xử lý được gọi là gì?",
    "chỉ thị 19 là gì và được ban hành khi nào để hướng dẫn các cơ quan đảng viên thực hiện việc gì",
])
def test_other_queries_ask_for_no_definition(query):
    assert defined_subject(query) is None


def test_a_passage_defines_the_whole_subject_accented_or_not():
    text = "1. Hoa lợi là sản vật tự nhiên mà tài sản mang lại.\n2. Lợi tức là khoản lợi thu được."
    assert defines(text, "hoa loi")
    assert defines(text, "loi tuc")
    assert defines("hoa loi la san vat tu nhien", "hoa loi")  # unaccented text
    assert defines("Khoản tiền đó được gọi là hoa lợi.", "hoa loi")
    assert not defines("Người hưởng dụng có quyền sở hữu hoa lợi thu được.", "hoa loi")
    # "Hình phạt là ..." defines a penalty, not the purpose of one.
    assert not defines("Hình phạt là biện pháp cưỡng chế nghiêm khắc nhất.", "muc dich cua hinh phat")


def test_a_definition_starts_a_passage_line_sentence_or_clause():
    assert defines("Trong Bộ luật này, hình phạt là biện pháp cưỡng chế.", "hinh phat")
    assert defines("Điều 2. Giải thích từ ngữ\na) Tạm vắng là việc công dân vắng mặt.", "tam vang")
    # The subject inside a longer term, or in the middle of a sentence, is not being defined.
    assert not defines("2. Người che giấu tội phạm là ông, bà, cha, mẹ.", "toi pham")
    assert not defines("Thời hạn chấp hành hình phạt là 30 năm.", "hinh phat")
    assert not defines("Tiền lương được gọi là hoa lợi của người lao động.", "hoa loi")


def test_an_accented_passage_defines_only_with_the_word_la():
    assert not defines("Hạn chế sử dụng thuốc lá, rượu, bia.", "thuoc")
    assert not defines("Tạm vắng là việc công dân vắng mặt.", "vang")
    assert not defines("Vàng lá là vàng dát mỏng.", "vang")
