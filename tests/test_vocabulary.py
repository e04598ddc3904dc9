from searcher.vocabulary import Abbreviations, find_definitions


def test_definitions_in_text_are_learned_by_initials():
    text = "xây dựng huyện nông thôn mới (NTM) nâng cao; thi đua (TĐ); người tham gia BHXH, bảo hiểm y tế (BHYT)."
    assert find_definitions(text) == {"ntm": "nong thon moi", "td": "thi dua", "bhyt": "bao hiem y te"}


def test_parentheses_that_are_not_definitions_are_ignored():
    assert find_definitions("Ban Thường vụ (TW) họp") == {}
    assert find_definitions("đạt 98% (KPI)") == {}


def test_long_forms_are_found_inside_a_query():
    abbr = Abbreviations()
    assert abbr.within("nguoi tham gia bao hiem xa hoi".split()) == [("bhxh", "bao hiem xa hoi")]


def test_initials_compare_without_accents_and_words_stay_on_one_line():
    found = find_definitions("Thành lập Ủy ban nhân dân (UBND) xã; hồ sơ\nbảo hiểm y tế (BHYT)")
    assert found == {"ubnd": "uy ban nhan dan", "bhyt": "bao hiem y te"}
    # The long form must sit right before the parenthesis, on the same line.
    assert find_definitions("bảo hiểm\ny tế (BHYT)") == {}
