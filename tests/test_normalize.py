import unicodedata

from hypothesis import given, strategies as st

from searcher.normalize import canonical_tones, exact_form, fold, has_diacritics, repair


def test_repair_drops_stray_duplicate_marks():
    assert repair("bắ́t kịp") == "bắt kịp"
    assert repair("vận độ̣ng") == "vận động"


def test_repair_composes_decomposed_text():
    nfd = unicodedata.normalize("NFD", "Bảo hiểm xã hội")
    assert repair(nfd) == "Bảo hiểm xã hội"
    assert unicodedata.is_normalized("NFC", repair(nfd))


def test_repair_keeps_marks_that_are_not_duplicates():
    # A mark that composes with nothing and repeats nothing is kept: repair only removes noise.
    assert repair("x\u0301") == "x\u0301"


def test_old_and_new_tone_placement_share_one_form():
    pairs = [("hoà", "hòa"), ("thuỷ", "thủy"), ("quý", "qúy"), ("khoẻ", "khỏe"), ("uỷ", "ủy")]
    for old, new in pairs:
        assert exact_form(old) == exact_form(new), (old, new)


def test_tone_placement_leaves_regular_syllables_alone():
    for word in ["hoàng", "người", "ngoài", "khuỷu", "giữ", "gì", "già", "tài", "mía", "thuyết", "quốc"]:
        assert canonical_tones(word) == word


def test_canonical_tones_keeps_case():
    assert canonical_tones("HÒA") == "HOÀ"
    assert canonical_tones("Hòa") == "Hoà"


def test_fold_removes_tones_and_d_bar():
    assert fold("Đồng khởi") == "dong khoi"
    assert fold("bảo hiểm xã hội") == "bao hiem xa hoi"
    assert fold("ĐÔNG HÒA") == "dong hoa"


def test_has_diacritics():
    assert has_diacritics("bàn")
    assert has_diacritics("đi")
    assert not has_diacritics("ban")


vietnamese_text = st.text(
    alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĐƠ àáảãạ,.-\n\u0300\u0301\u0303\u0309\u0323")),
    max_size=60,
)


@given(vietnamese_text)
def test_repair_is_idempotent_and_nfc(text):
    once = repair(text)
    assert repair(once) == once
    assert unicodedata.is_normalized("NFC", once)


@given(vietnamese_text)
def test_repair_never_drops_a_letter(text):
    def letters(s):
        return [c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c)]

    assert letters(repair(text)) == letters(text)


@given(st.text(alphabet=st.sampled_from(list("aăâeêioôơuưyqghnt\u0300\u0301\u0309")), min_size=1, max_size=8))
def test_canonical_tones_is_idempotent_and_fold_stable(syllable):
    syllable = unicodedata.normalize("NFC", syllable)
    once = canonical_tones(syllable)
    assert canonical_tones(once) == once
    assert fold(once) == fold(syllable)


@given(st.text(st.characters(whitelist_categories=("Mn", "Mc", "Me", "Ll", "Lo", "Po"))))
def test_the_quick_check_for_combining_marks_never_misses_one(text):
    from searcher.normalize import _MAYBE_COMBINING_RE

    if any(unicodedata.combining(c) for c in text):
        assert _MAYBE_COMBINING_RE.search(text)
