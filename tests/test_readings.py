"""Queries as users really type them: Telex/VNI keys and run-together syllables, read and shown."""
import pytest

from searcher import Index
from searcher.readings import split_run

DOCS = {
    "bhxh.txt": "Người lao động tham gia bảo hiểm xã hội bắt buộc.",
    "bhyt.txt": "Thẻ bảo hiểm y tế được cấp cho học sinh.",
    "en.txt": "The bus stops at the box office.",
    "xa.txt": "Xa quê hương, hoa nở.",
    "ct.txt": "Thực hiện Chỉ thị 16-CT/TU về phòng chống dịch.",
    "bao.txt": "Bao gạo và bao xi măng.",
}


@pytest.fixture
def ix(make_index):
    with Index.open(make_index(DOCS)) as ix:
        yield ix


def same_hits(a, b):
    return [(h.doc_id, round(h.score, 6)) for h in a.hits] == [(h.doc_id, round(h.score, 6)) for h in b.hits]


@pytest.mark.parametrize("typed, meant", [
    ("baor hieemr xax hooij", "bảo hiểm xã hội"),  # Telex, marks at the end
    ("baro hierem xa hooij", "bảo hiểm xa hội"),  # marks after the vowel; xa is a word: kept
    ("ba3o hie63m xa4 ho65i", "bảo hiểm xã hội"),  # VNI, marks after the vowel
    ("bao3 hiem3", "bảo hiểm"),  # VNI, marks at the end (iê is implied)
    ("BAOR HIEEMR Y TEES", "BẢO HIỂM Y TẾ"),
    ("baor hieemr -bus", "bảo hiểm -bus"),
])
def test_telex_and_vni_are_searched_as_the_syllables_they_spell(ix, typed, meant):
    result = ix.search(typed)
    assert result.understood == meant
    if meant:
        assert same_hits(result, ix.search(meant)) and result.hits


@pytest.mark.parametrize("query", ["xa", "hoa", "bus", "box", "bus box", "xa hoa", "bhxh", "16-CT/TU", "chi thi 16"])
def test_words_the_corpus_has_abbreviations_and_document_numbers_are_never_read(ix, query):
    assert ix.search(query).understood is None


def test_one_mark_key_alone_is_not_enough_to_read_a_word(ix):
    # xax could be a plain word; next to hooij (two marks) it is clearly Telex.
    assert ix.search("xax").understood is None
    assert ix.search("xax hooij").understood == "xã hội"


def test_a_reading_must_be_an_exact_syllable_of_the_corpus(ix):
    # baof spells bào, which no passage has (only bảo and bao): it stays as typed.
    assert ix.search("baof hooij").understood == "baof hội"


@pytest.mark.parametrize("typed, meant, first", [
    ("baohiemxahoi", "bao hiem xa hoi", "bhxh.txt"),
    ("#BaoHiemYTe", "Bao Hiem Y Te", "bhyt.txt"),
    ("chithi16", "chi thi 16", "ct.txt"),
    ("tham giabaohiem", "tham gia bao hiem", "bhxh.txt"),
])
def test_run_together_syllables_are_split(ix, typed, meant, first):
    result = ix.search(typed)
    assert result.understood == meant
    assert result.hits[0].doc_id == first and same_hits(result, ix.search(meant))


def test_split_prefers_common_syllables_and_needs_a_known_word(ix):
    syllables = ix.lexicon["syllables"]
    words = ix.lexicon["words"]
    assert split_run("baohiemyte", syllables, words) == ["bao", "hiem", "y", "te"]
    assert split_run("Chithi16", syllables, words) == ["Chi", "thi", "16"]
    assert split_run("xyzzy", syllables, words) is None
    assert split_run("xahoa", syllables, words) is None  # xa + hoa: syllables, but no word of the corpus


def test_a_glued_token_that_reads_as_nothing_stays(ix):
    result = ix.search("xyzzy")
    assert result.understood is None and result.hits == []


TYPO_DOCS = {
    "bhxh.txt": "Người lao động tham gia bảo hiểm xã hội bắt buộc.",
    "bhyt.txt": "Thẻ bảo hiểm y tế được cấp cho học sinh.",
    "h1.txt": "Con cái phải hiếu thảo.",
    "h2.txt": "Học sinh hiếu học.",
    "h3.txt": "Người dân hiếu khách.",
    "but.txt": "Bút và sách vở.",
    "xa.txt": "Xa quê hương.",
}


@pytest.fixture
def tix(make_index):
    with Index.open(make_index(TYPO_DOCS)) as ix:
        yield ix


@pytest.mark.parametrize("typed, meant", [
    ("bao hiemm", "bao hiem"),  # a letter too many
    ("bao hiwm", "bao hiem"),  # a wrong letter
    ("bao hime", "bao hiem"),  # two letters swapped
    ("tham giaa bao hiem", "tham gia bao hiem"),
    ("BAO HIEMM", "BAO HIEM"),  # the user's case is kept
    ("bảo hiễmm", "bảo hiểm"),  # typed with accents: the corpus's accented form
])
def test_a_one_letter_typo_is_searched_as_the_nearest_corpus_syllable(tix, typed, meant):
    result = tix.search(typed)
    assert result.understood == meant
    assert result.hits and same_hits(result, tix.search(meant))


def test_a_typo_reads_as_the_syllable_that_makes_a_word_with_its_neighbour(tix):
    # hiex is one letter from hiếu (3 passages) and hiểm (2): next to bao, bảo hiểm is a word.
    assert tix.search("bao hiex").understood == "bao hiem"
    assert tix.search("xa hiex").understood == "xa hieu"  # no word either way: the commoner one


@pytest.mark.parametrize("query", [
    "bao hiem", "hieu", "bao hx", "bao hiem 1234", "bao hiem 16-CT/TU",
    "bus",  # one letter from bút, but a foreign word alone: kept
    "xa bus",  # three letters and no word with the neighbour: kept
    "hiemm",  # no neighbour to confirm the reading: kept
    "zzzzz sach",  # nothing one letter away
])
def test_syllables_the_corpus_has_short_tokens_numbers_and_unconfirmed_words_are_not_retyped(tix, query):
    assert tix.search(query).understood is None


def test_telex_and_split_readings_come_before_typos(tix):
    assert tix.search("baor hieemr").understood == "bảo hiểm"
    assert tix.search("baohiem xa").understood == "bao hiem xa"


@pytest.mark.parametrize("typed, meant", [("bao hiemm", "bao hiem"), ("chinhh sach", "chinh sach"), ("bao hiwm", "bao hiem")])
def test_typos_on_the_bundled_corpus(corpus_index, typed, meant):
    result = corpus_index.search(typed)
    assert result.understood == meant
    assert result.hits and same_hits(result, corpus_index.search(meant))


@pytest.mark.parametrize("query, readings", [
    ("bao hiem", ["bảo hiểm", "bao hiểm"]),  # bảo hiểm is a word of the corpus: first
    ("bao gao", ["bao gạo", "bảo gạo"]),  # and so is bao gạo, though bảo is the commoner bao
    ("BAO HIEM Y TE", ["BẢO HIỂM Y TẾ", "BAO HIỂM Y TẾ"]),
    ("bao hiem OR bus", ["bảo hiểm OR bus", "bao hiểm OR bus"]),  # operators and unknown forms kept
    ("bao", ["bảo"]),  # the reading that adds no accent is the query itself: left out
    ("bảo hiem", []),  # the user typed accents: no suggestion
    ("xyzzy 16", []),
])
def test_suggestions_are_accented_readings_ranked_as_the_corpus_writes_them(ix, query, readings):
    assert ix.suggestions(query) == readings


def test_at_most_the_asked_number_of_suggestions(ix):
    assert ix.suggestions("bao hiem", limit=1) == ["bảo hiểm"]
