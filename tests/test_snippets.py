from searcher.snippets import make_snippet


def test_snippet_marks_matched_words_with_or_without_accents():
    s = make_snippet("Người tham gia bảo hiểm xã hội\nđược đảm bảo.", {"bao", "hiem"})
    marked = [s.text[a:b] for a, b in s.highlights]
    assert marked == ["bảo", "hiểm", "bảo"]
    assert "\n" not in s.text


def test_snippet_window_moves_to_the_matches():
    text = " ".join(["khác"] * 100) + " Tết Nguyên đán " + " ".join(["khác"] * 100)
    s = make_snippet(text, {"tet"}, max_words=20)
    assert s.text.startswith("…") and s.text.endswith("…")
    assert [s.text[a:b] for a, b in s.highlights] == ["Tết"]


def test_a_document_number_broken_across_lines_reads_whole_as_ref_shows_it():
    from searcher.snippets import span_snippet

    text = "Thực hiện Chỉ thị số 19-\nCT/TW và Nghị định 15 / 2020 / NĐ - CP về Tết.\nMột - hai\n- ba"
    s = make_snippet(text, {"tet", "thi"})
    assert s.text == "Thực hiện Chỉ thị số 19-CT/TW và Nghị định 15/2020/NĐ-CP về Tết. Một - hai - ba"
    assert [s.text[a:b] for a, b in s.highlights] == ["thị", "Tết"]
    cite = span_snippet(text, text.index("19-"), text.index(" và"))
    assert cite.text == "Thực hiện Chỉ thị số 19-CT/TW và Nghị định 15/2020/NĐ-CP về Tết. Một - hai - ba"
    assert [cite.text[a:b] for a, b in cite.highlights] == ["19-CT/TW"]


def test_highlights_inside_a_broken_number_follow_it():
    s = make_snippet("Chỉ thị số 19-\nCT/TW của Ban Bí thư", {"ct"})
    assert s.text == "Chỉ thị số 19-CT/TW của Ban Bí thư"
    assert [s.text[a:b] for a, b in s.highlights] == ["CT"]


from hypothesis import given, strategies as st  # noqa: E402

from searcher.snippets import best_window  # noqa: E402


@given(st.lists(st.sampled_from("abcdexyz"), max_size=60), st.integers(1, 12))
def test_best_window_is_the_first_with_most_distinct_terms_then_most_matches(folded, max_words):
    terms = set("abc")
    hits = [f in terms for f in folded]

    def key(i):  # every window, counted from scratch
        window = range(i, min(len(folded), i + max_words))
        return (len({folded[j] for j in window if hits[j]}), sum(hits[j] for j in window))

    starts = range(max(1, len(folded) - max_words + 1))
    best = max(key(i) for i in starts)
    assert best_window(folded, hits, max_words) == next(i for i in starts if key(i) == best)
