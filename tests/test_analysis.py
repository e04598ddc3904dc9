from searcher.analysis import analyze, bigrams, break_ends, headed, tokenize


def test_tokens_keep_their_source_spans():
    text = "Bảo hiểm, y tế"
    tokens = tokenize(text)
    assert [(t.text, text[t.start:t.end]) for t in tokens] == [
        ("Bảo", "Bảo"), ("hiểm", "hiểm"), (",", ","), ("y", "y"), ("tế", "tế")
    ]


def test_stray_marks_stay_inside_the_syllable_span():
    text = "bắ́t kịp"
    first = tokenize(text)[0]
    assert first.text == "bắt"
    assert (first.start, first.end) == (0, 4)


def test_bigrams_do_not_cross_punctuation():
    assert bigrams(["xa", "hoi", None, "bao", "hiem"]) == ["xa_hoi", "bao_hiem"]


def test_break_ends_are_the_syllables_on_either_side_of_punctuation():
    assert break_ends([None, "xa", "hoi", None, None, "bao", "hiem", None]) == ["hoi_", "_bao"]
    assert analyze("An sinh xã hội, bảo hiểm (y tế), bảo hiểm.").breaks == "hoi_ _bao hiem_ _y te_"
    assert analyze("bảo hiểm y tế").breaks == ""


def test_analyze_gives_exact_folded_bigrams_and_words():
    a = analyze("Bảo hiểm xã hội tỉnh Đông Hòa")
    assert a.exact == "bảo hiểm xã hội tỉnh đông hoà"
    assert a.folded == "bao hiem xa hoi tinh dong hoa"
    assert a.bigrams.split()[:3] == ["bao_hiem", "hiem_xa", "xa_hoi"]
    assert "bao_hiem" in a.words.split() and "xa_hoi" in a.words.split()


def test_one_letter_words_are_kept():
    assert analyze("ở xã An, i tờ").folded == "o xa an i to"


def test_headed_text_puts_the_heading_first_as_if_punctuation_ended_it():
    head, body = analyze("Các hành vi bị nghiêm cấm"), analyze("Làm giả hồ sơ")
    both = headed(head, body)
    assert both.folded == "cac hanh vi bi nghiem cam lam gia ho so"
    assert "cam_lam" not in both.bigrams.split()  # no pair across the join
    assert both.breaks.split() == ["cam_", "_lam"]  # ... but its ends, as punctuation's
    assert both.word_list == body.word_list  # the heading's words are not the passage's own


def test_analyze_reads_the_same_syllables_as_tokenize():
    # analyze works on each distinct token once, without tokenize's span objects: both must
    # agree on what a syllable is (stray marks, Ð, over-long runs, digits, punctuation).
    text = ("Đặc biệt: x\u0301 ÐẠI HỘI hoà thuỷ 19-CT/TW, a_b c—d " + "x" * 50 +
            " e\u0323\u0302 \u0301abc kỹ/kĩ QUÝ")
    words = [t for t in tokenize(text) if t.is_word]
    a = analyze(text, segment=False)
    assert a.exact.split() == [t.exact for t in words]
    assert a.folded.split() == [t.folded for t in words]
    assert "x" * 50 not in a.folded  # an over-long run is punctuation: no term, and it breaks pairs
