"""i/y spelling variants and accents as partial constraints: the forms, then whole searches."""
import pytest
from hypothesis import given, strategies as st

from searcher import Index
from searcher.query import Weights, parse_query, query_terms
from searcher.spelling import exact_matches, exact_spelling, exact_spellings, marks_fit, match_fold

VARIANTS = [("kỹ", "kĩ"), ("lý", "lí"), ("mỹ", "mĩ"), ("sỹ", "sĩ"), ("tỷ", "tỉ"), ("quý", "quí"), ("Quy", "qui")]
NEVER = [("tuy", "tui"), ("thủy", "thủi"), ("tay", "tai"), ("máy", "mái"), ("y", "i"), ("ý", "í"),
         ("yêu", "iêu"), ("kiên", "kyên"), ("khuya", "khuia")]


@pytest.mark.parametrize("a, b", VARIANTS)
def test_whole_rhyme_i_and_y_after_an_initial_match_as_one(a, b):
    assert match_fold(a) == match_fold(b) == match_fold(a.upper())
    assert exact_spelling(a.lower()) == exact_spelling(b.lower())


@pytest.mark.parametrize("a, b", NEVER)
def test_i_and_y_stay_apart_everywhere_else(a, b):
    assert match_fold(a) != match_fold(b)


def test_pairs_and_words_are_unified_syllable_by_syllable():
    assert match_fold("kỹ_thuật quy_định") == "ki_thuat qui_dinh"
    assert match_fold("bảo hiểm y tế tuy nhiên") == "bao hiem y te tuy nhien"
    assert match_fold("BHYT my2") == "bhyt my2"  # not syllables of the rule


def test_exact_spelling_keeps_the_marks():
    assert [exact_spelling(s) for s in ("kỹ", "quý", "mỵ", "tuỳ", "kì")] == ["kĩ", "quí", "mị", "tuỳ", "kì"]


@pytest.mark.parametrize("typed, form, fits", [
    ("đuong", "đường", True), ("đuong", "đương", True), ("đuong", "dương", False),
    ("đường", "đường", True), ("đường", "dưỡng", False), ("đường", "đương", False),
    ("hiêm", "hiểm", True), ("hiêm", "hiem", False), ("duờng", "đường", True), ("duờng", "dưỡng", False),
])
def test_marks_typed_must_be_there_missing_ones_are_open(typed, form, fits):
    assert marks_fit(typed, form) is fits


def test_exact_matches_weigh_the_typed_spelling_first():
    forms = ["kì", "kĩ", "kỹ", "ký"]
    assert exact_matches("kĩ", forms) == [("kĩ", 1.0), ("kỹ", 0.8)]
    assert exact_matches("Kỹ", forms) == [("kĩ", 0.8), ("kỹ", 1.0)]
    assert exact_matches("ki", forms) == []  # no mark typed: no exact bonus
    duong = ["duong", "dương", "dưỡng", "đương", "đường"]
    assert exact_matches("đuong", duong) == [("đương", 1.0), ("đường", 1.0)]
    # Written so in the corpus: that form first, the others its marks fit (d, no tone typed) after.
    assert exact_matches("dương", duong) == [("dương", 1.0), ("dưỡng", 0.5), ("đương", 0.5), ("đường", 0.5)]
    assert exact_matches("đuòng", duong) == [("đường", 1.0)]
    assert exact_matches("đuóng", duong) == [("đuóng", 1.0)]  # fits nothing: as typed (no passage has it)


def test_a_fully_unaccented_query_has_no_exact_terms():
    terms = query_terms(parse_query("bao hiem ky thuat"), {}, Weights(), exact_forms={"ki": ["kỹ"], "bao": ["bảo"]})
    assert not [t for t in terms.should if t[0] == "exact"]
    assert ("folded", "ki", 1.0) in terms.should and ("bigrams", "ki_thuat", 1.0) in terms.should


def _ids(ix, query):
    return [h.doc_id for h in ix.search(query).hits]


def test_either_spelling_finds_both_and_its_own_first(make_index):
    with Index.open(make_index({
        "y.txt": "Hội thảo về kỹ thuật nuôi tôm.",
        "i.txt": "Hội thảo về kĩ thuật nuôi tôm.",
        "ky.txt": "Ngày kỳ họp thứ hai.",
    })) as ix:
        assert _ids(ix, "kỹ thuật") == ["y.txt", "i.txt", "ky.txt"]  # (kỳ: the same letters, another tone)
        assert _ids(ix, "kĩ thuật") == ["i.txt", "y.txt", "ky.txt"]
        for query in ("ky thuat", "ki thuat"):
            scores = {h.doc_id: h.score for h in ix.search(query).hits}
            assert set(scores) == {"y.txt", "i.txt", "ky.txt"} and scores["y.txt"] == pytest.approx(scores["i.txt"])
        # Display keeps the source spelling; the other spelling is highlighted.
        hit = next(h for h in ix.search("kĩ thuật").hits if h.doc_id == "y.txt")
        assert [hit.snippet.text[a:b] for a, b in hit.snippet.highlights] == ["kỹ", "thuật"]
        # The exact bonus goes to the same word's other spelling, not to another tone.
        assert _ids(ix, "kĩ")[:2] == ["i.txt", "y.txt"]


@pytest.mark.parametrize("a, b", NEVER[:4] + [("y tế", "i tế"), ("yêu", "iêu"), ("kiên", "kyên")])
def test_never_variants_do_not_find_each_other(make_index, a, b):
    with Index.open(make_index({"a.txt": f"Trang {a} ở đây.", "b.txt": f"Trang {b} ở đây."})) as ix:
        first = ix.search(a).hits
        assert first[0].doc_id == "a.txt"
        assert all(h.doc_id == "a.txt" or h.score < first[0].score for h in first)
        assert "b.txt" not in [h.doc_id for h in ix.search(f'"{a} ở"').hits]


def test_bundled_corpus_variants(corpus_index):
    quy = [h.doc_id for h in corpus_index.search('"tết quí mão"', limit=3).hits]
    assert quy and [h.doc_id for h in corpus_index.search('"tết quý mão"', limit=3).hits] == quy
    hit = corpus_index.search("7 tỉ đồng").hits[0]
    assert "7 tỷ đồng" in hit.text
    assert "tỷ" in [hit.snippet.text[a:b] for a, b in hit.snippet.highlights]


def test_duong_with_all_marks_ranks_duong_first(make_index):
    with Index.open(make_index({
        "duong.txt": "Con đường làng mới được làm.",
        "name.txt": "Ông Dương làng bên được khen.",
        "boi.txt": "Bồi dưỡng làng nghề được khen.",
    })) as ix:
        assert _ids(ix, "đường")[0] == "duong.txt"
        assert _ids(ix, "đường làng")[0] == "duong.txt"
        assert _ids(ix, "Dương")[0] == "name.txt"
        # Only the marks typed count: đ rules out Dương and dưỡng, the missing ones are open.
        hits = ix.search("đuong lang").hits
        assert hits[0].doc_id == "duong.txt" and hits[0].score > hits[1].score
        # Fully unaccented: every spelling is an equally good match, as before.
        scores = {h.doc_id: h.score for h in ix.search("duong").hits}
        assert len(scores) == 3 and len({round(s, 6) for s in scores.values()}) == 1


def test_a_partly_accented_query_finds_what_the_unaccented_one_does(make_index):
    with Index.open(make_index({
        "bh.txt": "Người lao động tham gia bảo hiểm xã hội.",
        "bg.txt": "Bao gồm cả những nơi nguy hiểm và xa xôi.",
        "bao.txt": "Cái bao hiểm hóc nằm trong kho của xã.",
    })) as ix:
        plain = ix.search("bao hiem").hits
        assert plain[0].doc_id in ("bh.txt", "bao.txt")
        for query in ("bao hiểm", "bảo hiêm", "bảo hiểm"):
            hits = ix.search(query).hits
            assert hits[0].doc_id == "bh.txt" if query != "bao hiểm" else hits[0].doc_id in ("bh.txt", "bao.txt")
            bh = next(h for h in hits if h.doc_id == "bh.txt")
            assert bh.score >= next(h for h in plain if h.doc_id == "bh.txt").score
        # "bao" typed bare gets no exact bonus of its own: bảo and bao weigh the same.
        scores = {h.doc_id: h.score for h in ix.search("bao hiểm").hits}
        assert scores["bh.txt"] == pytest.approx(scores["bao.txt"])


def test_exact_spellings_give_the_other_spelling_both_ways():
    assert [exact_spellings(s) for s in ("kĩ", "kỹ", "quý", "tuỳ", "yêu")] == [
        ["kĩ", "kỹ"], ["kỹ", "kĩ"], ["quý", "quí"], ["tuỳ"], ["yêu"]]


@pytest.mark.parametrize("query, understood", [("kix thuaatj", "kĩ thuật"), ("kyx thuaatj", "kỹ thuật")])
def test_a_telex_reading_counts_either_spelling_of_the_corpus(make_index, query, understood):
    with Index.open(make_index({"a.txt": "Hội thảo về kĩ thuật nuôi tôm."})) as ix:
        result = ix.search(query)
        assert result.understood == understood
        assert [h.doc_id for h in result.hits] == ["a.txt"]


@given(st.text(alphabet=st.sampled_from(list("kqutlmhyiýỹ _đ")), max_size=12))
def test_match_fold_only_writes_y_as_i_and_is_idempotent(text):
    from searcher.normalize import fold

    once = match_fold(text)
    assert match_fold(once) == once
    assert len(once) == len(fold(text))
    assert all(a == b or (a, b) == ("y", "i") for a, b in zip(fold(text), once))
