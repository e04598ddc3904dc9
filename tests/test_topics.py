from searcher.analysis import analyze
from searcher.topics import tag_topics


def topics(text, cited=()):
    return tag_topics(analyze(text, segment=False).exact.split(), set(cited))


def test_tet_by_its_words_but_not_by_place_names():
    assert topics("Nhân dân đón Tết Nguyên đán vui tươi") == ["tet"]
    assert topics("bắn pháo hoa trong dịp Giao thừa") == ["tet"]
    assert topics("ấp Trung Hiệp và ấp Thanh Xuân đạt chuẩn") == []


def test_insurance_by_words_or_abbreviations():
    assert topics("người tham gia BHYT tăng") == ["insurance"]
    assert topics("Bảo hiểm xã hội tỉnh") == ["insurance"]


def test_directive_by_vocabulary_or_citation():
    assert topics("Quán triệt Chỉ thị của Ban Bí thư") == ["directive"]
    assert topics("thực hiện 19-CT/TW", cited={"CT"}) == ["directive"]


def test_several_topics_in_order():
    assert topics("Chỉ thị về Tết: chăm lo BHXH") == ["tet", "insurance", "directive"]
