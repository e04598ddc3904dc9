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
])
def test_a_definition_question_names_its_subject(question, subject):
    assert defined_subject(question) == subject


@pytest.mark.parametrize("query", [
    "bảo hiểm xã hội",
    "hoa lợi thuộc về ai",
    "Đó là gì?",  # only function words: nothing to define
    "chỉ thị 19 là gì và được ban hành khi nào để hướng dẫn các cơ quan đảng viên thực hiện việc gì",
])
def test_other_queries_ask_for_no_definition(query):
    assert defined_subject(query) is None


def test_a_passage_defines_the_whole_subject_accented_or_not():
    text = "1. Hoa lợi là sản vật tự nhiên mà tài sản mang lại.\n2. Lợi tức là khoản lợi thu được."
    assert defines(text, "hoa loi")
    assert defines(text, "loi tuc")
    assert defines("Khoản tiền đó được gọi là hoa lợi.", "hoa loi")
    assert not defines("Người hưởng dụng có quyền sở hữu hoa lợi thu được.", "hoa loi")
    # "Hình phạt là ..." defines a penalty, not the purpose of one.
    assert not defines("Hình phạt là biện pháp cưỡng chế nghiêm khắc nhất.", "muc dich cua hinh phat")
