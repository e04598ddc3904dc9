"""Ranking on the bundled corpus, judged by a small labelled set (tests/bundled_queries.jsonl).

Each line names a query and a phrase of the passage that answers it; the set covers directives,
Tết and insurance, with and without accents, abbreviations and old tone placement, questions,
quotes with a typo or in other words, and queries naming two things that one passage covers. The
floors below are where ranking stands (51 of 52 at rank 1, MRR 0.990; before concepts and
coverage, 49 and 0.971): a change that makes ranking worse on these questions fails here, before
it reaches the ALQAC evaluation.
"""
import json
from pathlib import Path

import pytest

LABELLED = [json.loads(line) for line in (Path(__file__).parent / "bundled_queries.jsonl").open(encoding="utf-8")]


def first_relevant_rank(index, case) -> int | None:
    hits = index.search(case["query"], limit=10).hits
    return next((h.rank for h in hits if case["relevant"] in h.text), None)


@pytest.fixture(scope="module")
def ranks(corpus_index):
    return {case["query"]: first_relevant_rank(corpus_index, case) for case in LABELLED}


def test_labelled_set_covers_what_users_ask():
    kinds = " ".join(case["kind"] for case in LABELLED)
    for kind in ("directive", "tet", "insurance", "unaccented", "abbreviation", "question", "name", "quote",
                 "coverage"):
        assert kind in kinds


def test_questions_names_quotes_and_coverage_are_answered_first(ranks):
    shapes = ("question", "name", "quote", "coverage")
    cases = [c["query"] for c in LABELLED if any(k in c["kind"] for k in shapes)]
    assert len(cases) >= 10
    assert [q for q in cases if ranks[q] != 1] == []


def test_the_answer_is_on_top_for_almost_every_question(ranks):
    at_one = sum(r == 1 for r in ranks.values()) / len(ranks)
    mrr = sum(1 / r for r in ranks.values() if r) / len(ranks)
    assert at_one >= 0.98, sorted(q for q, r in ranks.items() if r != 1)
    assert mrr >= 0.985


def test_the_answer_is_always_in_the_top_three(ranks):
    assert [q for q, r in ranks.items() if r is None or r > 3] == []


@pytest.mark.parametrize("accented, unaccented", [
    ("bảo hiểm y tế hộ cận nghèo", "bao hiem y te ho can ngheo"),
    ("bắn pháo hoa tầm thấp đêm giao thừa", "ban phao hoa tam thap dem giao thua"),
])
def test_accents_do_not_change_which_passage_answers(corpus_index, accented, unaccented):
    top = lambda q: corpus_index.search(q, limit=1).hits[0].start  # noqa: E731
    assert top(accented) == top(unaccented)


# Small documents of the shapes the bundled corpus lacks: Latin-script names and loanwords, each
# beside a passage that copies the question's generic wording; question wording full of
# function words; a place beside an abbreviation's long form written out several times.
SHAPES_CORPUS = [
    {"id": "hawking-benh", "title": "Stephen Hawking",
     "text": "Ông mắc bệnh thần kinh vận động từ năm 21 tuổi và về sau giao tiếp bằng giọng nói tổng hợp."},
    {"id": "benh-than-kinh", "title": "Bệnh thần kinh vận động",
     "text": "Bệnh thần kinh vận động làm yếu dần các cơ; người bệnh mất dần khả năng nói và cần giọng nói tổng hợp để giao tiếp."},
    {"id": "quebec", "title": "Tỉnh bang Québec",
     "text": "Québec là tỉnh bang rộng nhất Canada, phần lớn cư dân nói tiếng Pháp. Khí hậu Québec lạnh: mùa đông dài và nhiều tuyết, mùa hè ngắn và ấm."},
    {"id": "khi-hau-lanh", "title": "Khí hậu ôn đới lạnh",
     "text": "Khí hậu ôn đới lạnh chia làm hai mùa rõ rệt: mùa đông kéo dài, mùa hè ngắn. Nhiệt độ trung bình tháng lạnh nhất xuống dưới âm mười độ, đặc điểm chung của khí hậu vùng này."},
    {"id": "hawking", "title": "Nhà vật lý Stephen Hawking",
     "text": "Stephen Hawking là nhà vật lý người Anh, nổi tiếng với các công trình về hố đen và bức xạ mang tên ông."},
    {"id": "vat-ly-ly-thuyet", "title": "Vật lý lý thuyết",
     "text": "Đặc điểm của vật lý lý thuyết là dùng mô hình toán học để giải thích hiện tượng tự nhiên; các công trình nổi tiếng của ngành thường mất nhiều năm mới được kiểm chứng."},
    {"id": "iphone", "title": "Điện thoại iPhone",
     "text": "iPhone là dòng điện thoại của Apple, bán ra lần đầu năm 2007 tại Mỹ và nhanh chóng thay đổi cách người dùng lướt web."},
    {"id": "thi-truong-dien-thoai", "title": "Thị trường điện thoại",
     "text": "Thị trường điện thoại thông minh tăng trưởng mạnh; sản phẩm giá rẻ chiếm phần lớn doanh số và giá bán trung bình giảm mỗi năm."},
    {"id": "caltech", "title": "Trường Caltech",
     "text": "Caltech là viện nghiên cứu tư thục ở Pasadena, bang California, nơi nhiều nhà khoa học đoạt giải Nobel từng làm việc."},
    {"id": "dai-hoc", "title": "Đại học nghiên cứu",
     "text": "Trường đại học nghiên cứu có đặc điểm là số nhà khoa học trên mỗi sinh viên cao; trung bình mỗi trường có hàng trăm đề tài mỗi năm."},
    {"id": "shophouse", "title": "Nhà phố Shophouse",
     "text": "Shophouse là nhà phố vừa để ở vừa buôn bán, thường có mặt tiền hẹp và nhiều tầng."},
    {"id": "nha-o", "title": "Nhà ở kết hợp kinh doanh",
     "text": "Sản phẩm nhà ở kết hợp kinh doanh trên thị trường bất động sản có giá trung bình cao hơn căn hộ cùng khu vực."},
    {"id": "buoi", "title": "Bưởi năm roi",
     "text": "Bưởi năm roi được trồng đầu tiên ở xã Mỹ Hòa, thị xã Bình Minh, tỉnh Vĩnh Long, rồi lan ra khắp đồng bằng."},
    {"id": "mon-an", "title": "Món ăn miền Tây",
     "text": "Nhiều món ăn có nguồn gốc từ miền Tây, được người dân khắp nơi ưa chuộng, có món có từ thời khẩn hoang."},
    {"id": "ca-phe", "title": "Cây cà phê",
     "text": "Cây cà phê được đưa vào Việt Nam cuối thế kỷ XIX, trồng đầu tiên ở Quảng Trị rồi lên Tây Nguyên."},
    {"id": "ca-phe-sua", "title": "Cà phê sữa đá",
     "text": "Cà phê sữa đá là thức uống quen thuộc mỗi sáng của người dân thành phố."},
    {"id": "le-hoi-dua", "title": "Lễ hội Dừa",
     "text": "Lễ hội Dừa diễn ra vào mùa xuân ở Bến Tre, với nhiều hoạt động văn hóa và món ăn làm từ dừa."},
    {"id": "hoi-nghi", "title": "Hội nghị cuối năm",
     "text": "Hội nghị được tổ chức tại thành phố vào cuối năm, đại biểu được mời từ nhiều tỉnh về dự."},
    {"id": "bhyt-mo-cay", "title": "Thẻ BHYT cho học sinh",
     "text": "Huyện Mỏ Cày Nam cấp thẻ BHYT cho hơn ba nghìn học sinh trong tháng 9."},
    {"id": "bao-hiem-y-te", "title": "Bảo hiểm y tế",
     "text": "Bảo hiểm y tế chi trả phần lớn chi phí khám bệnh; bảo hiểm y tế hộ gia đình được hỗ trợ, và người có bảo hiểm y tế được khám ở tuyến huyện."},
    {"id": "hoa-loi", "title": "Hoa lợi, lợi tức",
     "text": "Hoa lợi là sản vật tự nhiên mà tài sản mang lại. Lợi tức là khoản lợi thu được từ việc khai thác tài sản."},
    {"id": "huong-hoa-loi", "title": "Quyền hưởng hoa lợi",
     "text": "Người hưởng dụng có quyền sở hữu hoa lợi thu được từ tài sản; hoa lợi phát sinh trong thời hạn hưởng dụng thuộc về người hưởng dụng, kể cả hoa lợi chưa thu."},
    {"id": "muc-dich-hinh-phat", "title": "Mục đích của hình phạt",
     "text": "Hình phạt không chỉ nhằm trừng trị người phạm tội mà còn giáo dục họ ý thức tuân theo pháp luật."},
    {"id": "bhxh-tin", "title": "Tin BHXH",
     "text": "BHXH huyện chi trả lương hưu tháng 9 cho người nghỉ hưu."},
    {"id": "bhxh-la", "title": "Giải thích từ ngữ",
     "text": "Bảo hiểm xã hội là sự bảo đảm thay thế hoặc bù đắp một phần thu nhập của người lao động khi họ mất thu nhập."},
    {"id": "sai-pham", "title": "Xử lý sai phạm",
     "text": "Xử lý sai phạm phải đúng người, đúng việc, đúng quy định; không để sai sót kéo dài."},
    {"id": "hinh-phat", "title": "Khái niệm hình phạt",
     "text": "Hình phạt là biện pháp cưỡng chế nghiêm khắc nhất của Nhà nước, tước bỏ hoặc hạn chế quyền, lợi ích của người phạm tội."},
]

SHAPES = [
    # A one-token name weighs what a two-syllable word does, so it beats generic wording.
    ("đặc điểm công trình nổi tiếng của Hawking", "hawking"),
    ("iPhone bán ra trên thị trường năm nào", "iphone"),
    ("Caltech có bao nhiêu nhà khoa học", "caltech"),
    ("đặc điểm nhà Shophouse trên thị trường", "shophouse"),
    ("dac diem nha shophouse tren thi truong", "shophouse"),
    ("mùa đông Québec kéo dài mấy tháng", "quebec"),
    # A name in the document's title covers its passages.
    ("bệnh thần kinh vận động của Hawking", "hawking-benh"),
    ("Hawking giao tiếp bằng giọng nói tổng hợp", "hawking-benh"),
    # Pairs that only join a function word to the question's words count little.
    ("lễ hội Dừa được tổ chức tại đâu", "le-hoi-dua"),
    ("le hoi dua duoc to chuc tai dau", "le-hoi-dua"),
    ("bưởi năm roi có nguồn gốc từ đâu", "buoi"),
    # Every concept (BHYT, the place) beats one concept matched several ways.
    ("bảo hiểm y tế Mỏ Cày", "bhyt-mo-cay"),
    ("bao hiem y te huyen Mo Cay", "bhyt-mo-cay"),
    # A definition question is answered by the passage defining its subject, not by the one
    # using it most; only the whole subject counts.
    ("Theo Bộ luật Dân sự, hoa lợi được hiểu như thế nào?", "hoa-loi"),
    ("thế nào là hình phạt", "hinh-phat"),
    ("the nao la hinh phat", "hinh-phat"),
    ("mục đích của hình phạt là gì", "muc-dich-hinh-phat"),
    ("BHXH là gì?", "bhxh-la"),  # defined by its long form
    # A yes/no frame is how to answer, not what to find; the question inside it still counts.
    ("lễ hội Dừa diễn ra vào mùa xuân, đúng hay sai?", "le-hoi-dua"),
    ("le hoi dua dien ra vao mua xuan dung hay sai", "le-hoi-dua"),
    ("thế nào là hình phạt, đúng không?", "hinh-phat"),
]


@pytest.fixture(scope="module")
def shapes_index(tmp_path_factory):
    from searcher import Index, build_index

    root = tmp_path_factory.mktemp("shapes")
    docs = root / "docs.jsonl"
    docs.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in SHAPES_CORPUS), encoding="utf-8")
    build_index([docs], root / "index")
    with Index.open(root / "index") as ix:
        yield ix


@pytest.mark.parametrize("query, answer", SHAPES)
def test_names_question_wording_and_coverage_put_the_subject_first(shapes_index, query, answer):
    hits = shapes_index.search(query, limit=3).hits
    assert [h.doc_id for h in hits][0] == answer


def test_explain_shows_what_coverage_added(shapes_index):
    top, second = shapes_index.search("bảo hiểm y tế Mỏ Cày", limit=2, explain=True).hits
    for hit in (top, second):
        assert sum(v for _, _, v in hit.explanation) == pytest.approx(hit.score)
    coverage = {h.doc_id: next(t for f, t, _ in h.explanation if f == "coverage") for h in (top, second)}
    met, concepts = map(int, coverage["bhyt-mo-cay"].split("/"))
    assert met == concepts >= 3  # BHYT meets bảo hiểm and y tế; the place is there too
    assert int(coverage["bao-hiem-y-te"].split("/")[0]) == concepts - len(["mỏ", "cày"])


def test_explain_shows_what_a_definition_added(shapes_index):
    top, second = shapes_index.search("thế nào là hình phạt", limit=2, explain=True).hits
    assert (top.doc_id, second.doc_id) == ("hinh-phat", "muc-dich-hinh-phat")
    for hit in (top, second):
        assert sum(v for _, _, v in hit.explanation) == pytest.approx(hit.score)
    assert [(f, t) for f, t, _ in top.explanation if f == "definition"] == [("definition", "hinh phat la")]
    assert not any(f == "definition" for f, _, _ in second.explanation)


def test_without_the_definition_factor_the_passage_using_the_subject_wins(tmp_path):
    # What the cases above guard against: plain matching puts the purpose of a penalty first.
    from searcher import Index, build_index
    from searcher.query import Weights

    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in SHAPES_CORPUS), encoding="utf-8")
    build_index([docs], tmp_path / "index")
    with Index.open(tmp_path / "index", weights=Weights(definition=1.0)) as ix:
        assert ix.search("thế nào là hình phạt", limit=1).hits[0].doc_id == "muc-dich-hinh-phat"


def test_a_yes_no_frame_adds_no_terms(shapes_index):
    framed = shapes_index.search("lễ hội Dừa diễn ra vào mùa xuân, đúng hay sai?", limit=3, explain=True).hits
    plain = shapes_index.search("lễ hội Dừa diễn ra vào mùa xuân", limit=3, explain=True).hits
    assert [(h.doc_id, h.score) for h in framed] == [(h.doc_id, h.score) for h in plain]
    assert not {t for h in framed for _, t, _ in h.explanation} & {"dung", "sai", "đúng"}
