import pytest

from searcher.query import Weights, parse_query, query_terms, segment_folded


def clauses(text):
    return [(c.syllables, c.phrase, c.negated) for c in parse_query(text).clauses]


def test_plain_words_form_one_clause():
    assert clauses("bao hiem xa hoi") == [(["bao", "hiem", "xa", "hoi"], False, False)]


def test_phrases_and_exclusions():
    assert clauses('"bảo hiểm y tế" -BHXH tết') == [
        (["bảo", "hiểm", "y", "tế"], True, False),
        (["BHXH"], False, True),
        (["tết"], False, False),
    ]


def test_odd_input_is_plain_words():
    assert clauses('bảo "hiểm * AND') == [(["bảo", "hiểm"], False, False)]
    assert clauses("-") == []
    assert clauses('""') == []


def test_upper_case_not_excludes_the_next_word_or_phrase():
    assert clauses("tết NOT xuân") == [(["tết"], False, False), (["xuân"], False, True)]
    assert clauses('NOT "bảo hiểm" tết') == [(["bảo", "hiểm"], True, True), (["tết"], False, False)]
    assert clauses("tết NOT") == [(["tết"], False, False)]


def test_lower_case_not_and_and_are_words():
    # "not" is "nốt" without accents
    assert clauses("nhạc not and tết") == [(["nhạc", "not", "and", "tết"], False, False)]


def required(text):
    return [(c.syllables, c.required) for c in parse_query(text).clauses if not c.negated]


def test_and_requires_the_clauses_on_both_sides():
    assert required("tết AND xuân") == [(["tết"], True), (["xuân"], True)]
    assert required("bảo hiểm AND tết nguyên đán") == [(["bảo", "hiểm"], True), (["tết", "nguyên", "đán"], True)]
    assert required('lễ OR tết AND "nguyên đán"') == [(["lễ"], False), (["tết"], True), (["nguyên", "đán"], True)]
    assert required("tết AND NOT xuân AND vui") == [(["tết"], True), (["vui"], True)]
    assert required("tết AND") == [(["tết"], False)]
    assert required("AND tết") == [(["tết"], False)]


def test_a_required_abbreviation_is_met_by_either_form():
    terms = query_terms(parse_query("BHXH AND bảo hiểm y tế Tết"), {}, Weights())
    assert terms.required == [
        [["bhxh"], ["bao", "hiem", "xa", "hoi"]],
        [["bao", "hiem", "y", "te"], ["bhyt"]],
        [["tet"]],
    ]
    assert query_terms(parse_query("tết xuân"), {}, Weights()).required == []


def test_or_is_accepted_as_the_default():
    assert clauses("tết OR xuân") == [(["tết"], False, False), (["xuân"], False, False)]


def test_unaccented_query_is_segmented_with_the_lexicon():
    lexicon = {"bao_hiem": ["bảo hiểm", 3], "xa_hoi": ["xã hội", 2]}
    assert segment_folded("bao hiem xa hoi".split(), lexicon) == ["bao_hiem", "xa_hoi"]


def _fields(query, lexicon=None):
    terms = query_terms(parse_query(query), lexicon or {}, Weights())
    return {(f, t) for f, t, _ in terms.should}


def test_accented_query_adds_exact_terms_only_when_accented():
    assert ("exact", "bàn") in _fields("bàn")
    assert not any(f == "exact" for f, _ in _fields("ban"))


def test_abbreviation_expands_both_ways():
    assert ("bigrams", "bao_hiem") in _fields("BHXH")
    assert ("folded", "bhxh") in _fields("bao hiem xa hoi")


def test_learned_abbreviations_expand_too():
    from searcher.vocabulary import Abbreviations

    abbr = Abbreviations({"ctv": "cong tac vien"})
    fields = {(f, t) for f, t, _ in query_terms(parse_query("CTV"), {}, Weights(), abbr).should}
    assert ("bigrams", "cong_tac") in fields
    fields = {(f, t) for f, t, _ in query_terms(parse_query("cộng tác viên"), {}, Weights(), abbr).should}
    assert ("folded", "ctv") in fields


def _weights(query, lexicon, **weights):
    from searcher.records import replace

    terms = query_terms(parse_query(query), lexicon, replace(Weights(), **weights))
    return {(f, t): w for f, t, w in terms.should}


def test_concepts_are_lexicon_words_names_numbers_and_syllables():
    from searcher.concepts import cut

    folded = "hawking co nguon goc tu nam 2022 ve iphone bhxh".split()
    kinds = [(folded[c.start], c.end - c.start, c.kind) for c in cut(folded, {"nguon_goc": ["nguồn gốc", 3]},
                                                                      {"bhxh": "bao hiem xa hoi"})]
    assert kinds == [("hawking", 1, "name"), ("co", 1, "function"), ("nguon", 2, "word"), ("tu", 1, "function"),
                     ("nam", 1, "syllable"), ("2022", 1, "number"), ("ve", 1, "function"), ("iphone", 1, "name"),
                     ("bhxh", 1, "abbreviation")]


def test_a_name_weighs_what_a_two_syllable_word_weighs():
    lexicon = {"bao_hiem": ["bảo hiểm", 5]}
    for query, name in (("bao hiem Hawking", "hawking"), ("bảo hiểm Québec", "quebec"), ("bảo hiểm Hawking", "hawking")):
        w = _weights(query, lexicon)
        word = sum(v for (f, t), v in w.items() if t in ("bao", "hiem", "bảo", "hiểm", "bao_hiem"))
        named = sum(v for (f, t), v in w.items() if t in (name, "québec"))
        assert named == pytest.approx(word), query
    # A Vietnamese syllable alone is no name: it keeps its plain weight.
    assert _weights("bao hiem tet", lexicon)[("folded", "tet")] == 1.0


def test_pairs_across_a_word_boundary_or_with_a_function_word_weigh_less():
    lexicon = {"nguon_goc": ["nguồn gốc", 3], "bao_hiem": ["bảo hiểm", 9], "xa_hoi": ["xã hội", 9]}
    w = _weights("có nguồn gốc từ", lexicon, pair_function=0.3)
    assert w[("bigrams", "nguon_goc")] == 1.0  # inside a word
    assert w[("bigrams", "co_nguon")] == w[("bigrams", "goc_tu")] == 0.3  # a function word joined on
    w = _weights("bao hiem xa hoi", lexicon, pair_cross=0.5)
    assert (w[("bigrams", "bao_hiem")], w[("bigrams", "hiem_xa")], w[("bigrams", "xa_hoi")]) == (1.0, 0.5, 1.0)
    # Two content syllables that form no word keep the pair at full weight.
    assert _weights("tet que", {}, pair_cross=0.5)[("bigrams", "tet_que")] == 1.0


def test_coverage_concepts_accept_a_word_or_its_pairs_an_abbreviation_or_its_long_form_and_the_title():
    from searcher.vocabulary import Abbreviations

    lexicon = {"giong_trom": ["Giồng Trôm", 2], "bao_hiem": ["bảo hiểm", 9], "xa_hoi": ["xã hội", 9]}
    concepts = query_terms(parse_query("BHXH tại Giồng Trôm"), lexicon, Weights(), Abbreviations()).concepts
    assert concepts == [
        [[("folded", "bhxh")], [("title_terms", "bhxh")],
         [("bigrams", "bao_hiem"), ("bigrams", "hiem_xa"), ("bigrams", "xa_hoi")]],
        [[("words", "giong_trom")], [("bigrams", "giong_trom")], [("title_terms", "giong_trom")]],
    ]
    concepts = query_terms(parse_query("bảo hiểm xã hội"), lexicon, Weights(), Abbreviations()).concepts
    assert concepts == [
        [[("words", "bao_hiem")], [("bigrams", "bao_hiem")], [("title_terms", "bao_hiem")], [("folded", "bhxh")]],
        [[("words", "xa_hoi")], [("bigrams", "xa_hoi")], [("title_terms", "xa_hoi")], [("folded", "bhxh")]],
    ]
