"""Ranking on the bundled corpus and on tiny corpora made for one behaviour each."""
import pytest

import docmeta_fixtures
from searcher import Index, build_index
from searcher.errors import QueryError
from searcher.query import Weights


def top(ix, query, n=1):
    return ix.search(query, limit=n).hits


def test_unaccented_query_finds_accented_passages(corpus_index):
    hits = top(corpus_index, "bao hiem xa hoi", 5)
    assert len(hits) == 5
    assert all("bảo hiểm xã hội" in h.text.lower() or "BHXH" in h.text for h in hits)


def test_dong_khoi_moi_ranks_the_ben_tre_article_first(corpus_index):
    assert top(corpus_index, "dong khoi moi")[0].doc_id == "dong-khoi-moi-ben-tre.txt"


def test_hit_text_is_the_source_span(corpus_index):
    from conftest import read_corpus_file
    from searcher.normalize import repair

    for hit in top(corpus_index, "tết nguyên đán", 5):
        source = read_corpus_file(hit.doc_id)
        assert hit.text == repair(source[hit.start:hit.end])
        assert source.count("\n", 0, hit.start) + 1 == hit.line


def test_nothing_found(corpus_index):
    assert top(corpus_index, "xyzzy") == []


@pytest.mark.parametrize("query", ["", "   ", "!!!", "-tết"])
def test_queries_with_nothing_to_search_for(corpus_index, query):
    with pytest.raises(QueryError):
        corpus_index.search(query)


def test_accented_query_prefers_exact_accents(make_index):
    index_dir = make_index({
        "a.txt": "Cái bán gỗ này đã cũ.",
        "b.txt": "Cái bàn gỗ này đã cũ.",
        "c.txt": "Cái ban gỗ này đã cũ.",
    })
    with Index.open(index_dir) as ix:
        assert [h.doc_id for h in ix.search("bàn").hits][0] == "b.txt"
        assert [h.doc_id for h in ix.search("bán").hits][0] == "a.txt"
        # Without accents every variant is an equally good match.
        scores = {h.doc_id: h.score for h in ix.search("ban").hits}
        assert len(scores) == 3 and len({round(s, 6) for s in scores.values()}) == 1


def test_more_query_words_and_adjacency_rank_higher(make_index):
    index_dir = make_index({
        "together.txt": "Người dân tham gia bảo hiểm y tế đầy đủ.",
        "scattered.txt": "Y tá bảo rằng dân cần hiểm nguy tế nhị.",
        "partial.txt": "Người dân tham gia bảo hiểm.",
    })
    with Index.open(index_dir) as ix:
        assert [h.doc_id for h in ix.search("bao hiem y te").hits][0] == "together.txt"


def test_phrase_must_match_in_order_and_exclusion_filters(make_index):
    index_dir = make_index({
        "a.txt": "Tham gia bảo hiểm y tế.",
        "b.txt": "Y tế và bảo hiểm.",
    })
    with Index.open(index_dir) as ix:
        assert [h.doc_id for h in ix.search('"bao hiem y te"').hits] == ["a.txt"]
        assert [h.doc_id for h in ix.search("bảo hiểm -tham").hits] == ["b.txt"]


def test_suggests_accented_spelling_for_unaccented_queries(corpus_index):
    assert corpus_index.suggest("bao hiem xa hoi") == "bảo hiểm xã hội"
    assert corpus_index.suggest("bảo hiểm") is None


def test_ref_lists_every_citation_including_broken_ones(corpus_index):
    (group,) = corpus_index.references("19-CT/TW")
    assert group.ref_id == "19-CT/TW"
    assert [c.text[c.cite[0]:c.cite[1]] for c in group.citations] == ["19-CT/\nTW", "19-\nCT/TW", "19-CT/TW"]
    assert [c.line for c in group.citations] == [80, 85, 106]
    assert group.info["subject"] == "tổ chức Tết Quý Mão năm 2023"
    assert group.citations[0].date == "2022-11-18"
    assert [group.citations[0].snippet.text[a:b] for a, b in group.citations[0].snippet.highlights] == ["19-CT/TW"]


@pytest.mark.parametrize("query", ["19-CT/TW", "19/CT-TW", "19-ct/tw", "CT 19", "chỉ thị 19", "chi thi so 19"])
def test_ref_accepts_what_users_type(corpus_index, query):
    assert [g.ref_id for g in corpus_index.references(query)] == ["19-CT/TW"]


def test_ref_finds_both_citations_in_the_ben_tre_article(corpus_index):
    (group,) = corpus_index.references("01-ct/tu")
    assert [c.doc_id for c in group.citations] == ["dong-khoi-moi-ben-tre.txt"] * 2
    assert [g.ref_id for g in corpus_index.references("chi thi 16")] == ["16-CT/TU"]
    assert corpus_index.references("99-CT/TW") == []


def test_search_ranks_passages_citing_the_named_directive_first(corpus_index):
    hits = corpus_index.search("chi thi 19 tet", limit=3).hits
    assert [h.refs for h in hits] == [["19-CT/TW"]] * 3


def test_catalogue_lists_cited_documents(corpus_index):
    assert {r: i["count"] for r, i in corpus_index.catalogue.items()} == {"19-CT/TW": 3, "16-CT/TU": 1, "01-CT/TU": 2}


def test_a_phrase_no_passage_has_falls_back_to_its_words_and_says_so(make_index):
    index_dir = make_index({
        "a.txt": "Tham gia bảo hiểm y tế tự nguyện.",
        "b.txt": "Y tế và bảo hiểm xã hội.",
    })
    with Index.open(index_dir) as ix:
        found = ix.search('"bao hiem y te"')
        assert [h.doc_id for h in found.hits] == ["a.txt"] and found.notice is None
        typo = ix.search('"bảo hiểm te y"')
        assert [h.doc_id for h in typo.hits] == ["b.txt", "a.txt"]
        assert typo.notice == 'no passage has the phrase "bảo hiểm te y"; searching its words instead'
        # A phrase some passage has stays a filter; only the missing one is let go.
        both = ix.search('"xã hội" "hội y tế"')
        assert [h.doc_id for h in both.hits] == ["b.txt"]
        assert both.notice == 'no passage has the phrase "hội y tế"; searching its words instead'
        # A phrase that exists but is excluded by the rest of the query is a plain miss.
        none = ix.search('"bao hiem y te" AND "xa hoi"')
        assert none.hits == [] and none.notice is None


def _worker_corpus() -> dict:
    docs = {
        "phrase.txt": "Người lao động được hưởng trợ cấp thôi việc.",
        "words.txt": "Người lao động nghỉ việc được trả trợ cấp.",
    }
    docs.update({f"tin-{i}.txt": f"Tin vắn số {i}: thời tiết hôm nay đẹp." for i in range(10)})
    return docs


def test_in_a_long_question_a_quoted_phrase_boosts_instead_of_filtering(make_index):
    question = 'Theo quy định thì người lao động nghỉ việc được công ty trả "{}" như thế nào?'
    with Index.open(make_index(_worker_corpus())) as ix:
        present = ix.search(question.format("trợ cấp thôi việc"))
        assert [h.doc_id for h in present.hits] == ["phrase.txt", "words.txt"] and present.notice is None
        # No passage has this phrase: the question still ranks, with nothing to say about it.
        absent = ix.search(question.format("trợ cấp mất việc"))
        assert [h.doc_id for h in absent.hits] == ["words.txt", "phrase.txt"] and absent.notice is None
    # Without the phrase's boost the passage that copies more of the question would win.
    with Index.open(ix.location, weights=Weights(phrase=1.0)) as plain:
        assert [h.doc_id for h in plain.search(question.format("trợ cấp thôi việc")).hits][0] == "words.txt"


# --- a document's own identity and date: filters and date order (docmeta_fixtures.py) -------

@pytest.fixture(scope="module")
def docmeta(tmp_path_factory):
    root = docmeta_fixtures.write_docs(tmp_path_factory, "docmeta")
    index_dir = root.parent / "ix"
    build_index([root], index_dir)
    with Index.open(index_dir) as ix:
        yield ix, root


def test_hits_carry_their_documents_number_type_issuer_and_date(docmeta):
    docmeta_fixtures.check_identities(docmeta[0])


@pytest.mark.parametrize("query, options, expected", docmeta_fixtures.CASES,
                         ids=[f"{q} {o}" for q, o, _ in docmeta_fixtures.CASES])
def test_filters_and_date_order(docmeta, query, options, expected):
    docmeta_fixtures.check_case(docmeta[0], docmeta[1], query, options, expected)


def test_a_query_naming_a_documents_own_number_finds_it_first(docmeta):
    docmeta_fixtures.check_own_number_ranks_the_document_first(docmeta[0])


def test_filters_apply_before_the_limit(docmeta):
    docmeta_fixtures.check_filters_apply_before_the_limit(docmeta[0])


def test_ref_lists_the_document_itself_first(docmeta):
    docmeta_fixtures.check_references(docmeta[0])


def test_a_date_filter_counts_the_undated_passages_it_left_out(docmeta):
    ix = docmeta[0]
    assert ix.search("phòng cháy", since="2022").undated_left_out == 1  # the note
    assert ix.search("phòng cháy").undated_left_out is None
    assert ix.search("diễn tập", until="2024").undated_left_out == 0


@pytest.mark.parametrize("options, message", [
    ({"since": "2022-13"}, "--since '2022-13' is not a date (give 2022, 2022-12, 2022-12-02 or 2/12/2022)"),
    ({"until": "31/2/2022"}, "--until '31/2/2022' is not a date (give 2022, 2022-12, 2022-12-02 or 2/12/2022)"),
    ({"since": "2023", "until": "2022"}, "--since 2023 is after --until 2022"),
    ({"doc_type": "XYZ"}, "unknown document type 'XYZ'"),
    ({"issuer": "--"}, "'--' names no issuer (try: TU, TW, UBND, CP)"),
    ({"issuer": "!!"}, "'!!' names no issuer (try: TU, TW, UBND, CP)"),
    ({"issuer": "\udcff"}, "'\\udcff' names no issuer"),  # a byte not UTF-8 in a terminal's argument
    ({"cites": "chỉ thị"}, "'chỉ thị' names no document number (try: 19-CT/TW, chi thi 19)"),
    ({"sort": "newest"}, "unknown sort 'newest' (choose from: relevance, date)"),
])
def test_bad_filters_are_query_errors(docmeta, options, message):
    with pytest.raises(QueryError) as e:
        docmeta[0].search("phòng cháy", **options)
    assert str(e.value).startswith(message)


def test_only_cites_may_go_without_query_words(docmeta):
    with pytest.raises(QueryError, match="empty query"):
        docmeta[0].search("", doc_type="CT")


def test_a_web_page_with_only_a_dateline_is_dated_by_it(make_index):
    page = ("<html><head><title>Diễn tập</title></head><body><article><h1>Diễn tập phòng cháy tại khu dân cư</h1>"
            "<p>06/02/2023 - 07:07</p><p>Sáng nay lực lượng cảnh sát phòng cháy chữa cháy tỉnh tổ chức diễn tập "
            "phương án chữa cháy tại khu dân cư đông người.</p></article></body></html>")
    index_dir = make_index({"dien-tap.html": page, "tin.txt": "Tin nhanh\n7/2/2023 - 09:15\n\nDiễn tập phòng cháy."})
    with Index.open(index_dir) as ix:
        assert [(h.doc_id, h.date) for h in ix.search("diễn tập", since="6/2/2023", until="2023-02-06").hits] == [
            ("dien-tap.html", "2023-02-06")]
        assert [h.doc_id for h in ix.search("diễn tập", since="2023-02-07").hits] == ["tin.txt"]


def test_in_a_path_the_system_refuses_or_a_document_not_indexed_is_a_query_error(docmeta):
    for within in ("ghi-chu\x00.txt", "khong-co.txt"):
        with pytest.raises(QueryError, match="no such document in the index"):
            docmeta[0].search("phòng cháy", within=within)


# --- a clause is found by the headings over it -------------------------------------------------

FILLER = ("theo quy định của pháp luật về thử nghiệm và hướng dẫn của cơ quan quản lý nhà nước có thẩm "
          "quyền ở trung ương và địa phương trong từng thời kỳ")
BANNED = f"""LUẬT THỬ NGHIỆM

Điều 5. Các hành vi bị nghiêm cấm
1. Nghiêm cấm các hành vi sau đây:
a) Thử nghiệm trên người khi chưa được cấp phép {FILLER};
b) Ép buộc người tham gia thử nghiệm {FILLER};
c) Tiết lộ thông tin cá nhân của người tham gia {FILLER};
d) Sử dụng kết quả thử nghiệm vào mục đích thương mại {FILLER};
đ) Làm giả hồ sơ thử nghiệm hoặc sửa chữa hồ sơ đã nộp.

Điều 6. Lưu giữ hồ sơ thử nghiệm
Tổ chức thử nghiệm lưu giữ hồ sơ thử nghiệm trong mười năm; khi phát hiện hồ sơ thử nghiệm bị sửa chữa
hoặc làm giả, người đứng đầu tổ chức báo cáo cơ quan cấp phép.
"""


def test_a_point_is_found_by_its_articles_name_and_its_clauses_lead_in(tmp_path):
    # "đ) Làm giả hồ sơ thử nghiệm" does not say "nghiêm cấm" itself: the article's name and
    # the clause's lead-in over it do, and are indexed with it (not shown in its text).
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "luat.txt").write_text(BANNED, encoding="utf-8")
    build_index([tmp_path / "docs"], tmp_path / "ix")
    with Index.open(tmp_path / "ix") as ix:
        hits = ix.search("hành vi nghiêm cấm làm giả hồ sơ thử nghiệm").hits
        assert hits[0].section.startswith("Điều 5, khoản 1, điểm")
        assert "Làm giả hồ sơ thử nghiệm" in hits[0].text and "Nghiêm cấm" not in hits[0].text
        assert hits[1].section == "Điều 6"


def test_a_word_longer_than_any_indexed_is_a_miss_not_an_empty_query(corpus_index_dir):
    # A hash or a run of glued words is never indexed (analysis.MAX_TOKEN_CHARS): nothing holds it.
    digest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    with Index.open(corpus_index_dir) as ix:
        result = ix.search(digest)
        assert result.hits == [] and result.notice == (
            "e3b0c44298fc1c14…b855 is longer than any word the index holds (40 characters)")
        assert ix.search(f"bảo hiểm {digest}").hits  # beside other words it is left out
        with pytest.raises(QueryError, match="empty query"):
            ix.search("!!! ...")


def test_an_agency_named_in_words_finds_the_documents_it_issued(make_index):
    directive = ("SỞ Y TẾ TỈNH BẾN TRE\nSố: 12/CT-SYT\nBến Tre, ngày 2 tháng 12 năm 2022\n\nCHỈ THỊ\n"
                 "Về phòng, chống dịch bệnh mùa Tết\n\nCác cơ sở y tế bảo đảm thuốc men dịp Tết.")
    index_dir = make_index({"syt.txt": directive, "tin.txt": "Tin nhanh\n\nCác cơ sở y tế trực Tết."})
    with Index.open(index_dir) as ix:
        assert [h.doc_id for h in ix.search("y tế Tết", issuer="Sở Y tế").hits] == ["syt.txt"]
        assert [h.doc_id for h in ix.search("y tế Tết", issuer="SYT").hits] == ["syt.txt"]
