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
