from searcher.passages import MAX_WORDS, split_passages

from conftest import read_corpus_file


def words(text):
    return len(text.split())


def test_each_passage_span_is_the_source_text():
    text = "Đoạn một có vài câu. Câu thứ hai.\n\nĐoạn hai.\n"
    passages = split_passages(text)
    assert [text[p.start:p.end] for p in passages] == ["Đoạn một có vài câu. Câu thứ hai.\n\nĐoạn hai."]
    assert passages[0].line == 1


def test_paragraphs_become_passages_once_long_enough():
    paras = [" ".join([f"Cán bộ thực hiện nhiệm vụ số {n} được giao."] * 7) for n in range(3)]  # 56 words
    text = "\n\n".join(paras)
    passages = split_passages(text)
    assert len(passages) == 3
    assert [p.line for p in passages] == [1, 3, 5]
    assert [text[p.start:p.end] for p in passages] == paras


def test_a_repeated_paragraph_is_kept_once():
    caption = "Khen thưởng các tập thể, cá nhân đạt thành tích. Ảnh: Phan Hân"
    body = " ".join(["Người dân tham gia bảo hiểm y tế đạt tỷ lệ cao."] * 5)
    text = f"{body}\n\n{caption}\n\n{caption}\n\n{body.replace('cao', 'thấp')}"
    covered = "".join(text[p.start:p.end] for p in split_passages(text))
    assert covered.count("Phan Hân") == 1 and "thấp" in covered and "cao" in covered


def test_long_paragraph_is_cut_at_sentence_ends():
    sentence = "Người lao động tham gia bảo hiểm xã hội bắt buộc theo quy định."  # 13 words
    text = " ".join([sentence] * 40)
    passages = split_passages(text)
    assert len(passages) > 1
    for p in passages:
        chunk = text[p.start:p.end]
        assert chunk.startswith("Người") and chunk.endswith("quy định.")
        assert words(chunk) <= MAX_WORDS


def test_pdf_extraction_gives_passages_of_sensible_size():
    text = read_corpus_file("bao-tinh-thang-12-2022.txt")
    passages = split_passages(text)
    sizes = [words(text[p.start:p.end]) for p in passages]
    assert 10 <= len(passages) <= 60
    assert max(sizes) <= MAX_WORDS * 1.5
    # Hard-wrapped lines are not passages on their own.
    assert sum(1 for s in sizes if s < 20) <= 2


def test_line_is_where_the_passage_starts():
    text = read_corpus_file("dong-khoi-moi-ben-tre.txt")
    for p in split_passages(text):
        assert text[p.start:p.start + 10] in text.splitlines()[p.line - 1]


def test_passages_cover_the_text_in_order_without_overlap():
    text = read_corpus_file("bao-tinh-thang-12-2022.txt")
    passages = split_passages(text)
    for a, b in zip(passages, passages[1:]):
        assert a.end <= b.start
        assert text[a.end:b.start].strip() == ""
