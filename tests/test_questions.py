"""The yes/no frame of a question comes off before the query is read."""
import pytest

from searcher.questions import without_yes_no


@pytest.mark.parametrize("question, searched", [
    ("Người lao động được nghỉ Tết 5 ngày, đúng hay sai?", "Người lao động được nghỉ Tết 5 ngày"),
    ("Nguoi lao dong duoc nghi Tet 5 ngay, dung hay sai?", "Nguoi lao dong duoc nghi Tet 5 ngay"),
    ("Hoa lợi là gì, đúng không?", "Hoa lợi là gì"),
    ("Hộ cận nghèo được hỗ trợ BHYT phải không", "Hộ cận nghèo được hỗ trợ BHYT"),
    ("Chỉ thị 19-CT/TW có hiệu lực từ năm 2022, có đúng không?", "Chỉ thị 19-CT/TW có hiệu lực từ năm 2022"),
    ("Đúng hay sai: người lao động được nghỉ Tết 5 ngày", "người lao động được nghỉ Tết 5 ngày"),
    ("Nhận định sau đây đúng hay sai? Hoa lợi là sản vật tự nhiên", "Hoa lợi là sản vật tự nhiên"),
    ("Có đúng không khi nói hoa lợi là sản vật tự nhiên?", "hoa lợi là sản vật tự nhiên?"),
])
def test_the_frame_comes_off(question, searched):
    assert without_yes_no(question) == searched


@pytest.mark.parametrize("query", [
    "xử lý sai phạm đúng quy định",  # the words, not a frame
    "đúng hay sai",  # nothing else to search for
    "Tết có được nghỉ không?",  # a question about the matter itself
    "bảo hiểm xã hội",
])
def test_other_queries_are_left_as_typed(query):
    assert without_yes_no(query) == query
