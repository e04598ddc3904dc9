"""whoosh writes the same index with vnsearch's codec settings, only faster."""
from searcher.analysis import analyze
from searcher.engines.local.schema import build_schema
from searcher.engines.local.whooshwrite import codec


PASSAGES = [
    "Chỉ thị số 19-CT/TW về tăng cường công tác bảo hiểm xã hội",
    "bảo hiểm y tế cho hộ cận nghèo, hộ nông nghiệp",
    "Tết Quý Mão 2023: không bắn pháo hoa tầm thấp",
    "Làng quất Đông Hòa chuẩn bị Tết",
] * 40


def write_index(folder, fast: bool):
    from whoosh import index

    folder.mkdir()
    ix = index.create_in(str(folder), build_schema())
    records = []
    for i, text in enumerate(PASSAGES):
        a = analyze(f"{text} {i}", segment=False)
        records.append(dict(doc_id=str(i), source="s", text=text, start=0, end=len(text), seq=i,
                            folded=a.folded, exact=a.exact, bigrams=a.bigrams))
    writer = ix.writer(codec=codec()) if fast else ix.writer()
    for r in records:
        writer.add_document(**r)
    writer.commit()
    return ix


def postings_of(ix) -> dict:
    out = {}
    with ix.reader() as reader:
        for fieldname, term in reader.all_terms():
            m = reader.postings(fieldname, term)
            out[fieldname, term] = list(m.items_as("positions") if fieldname == "folded" else m.all_items())
        lengths = [[reader.doc_field_length(d, f) for f in ("folded", "exact", "bigrams")]
                   for d in range(reader.doc_count_all())]
        stored = [reader.stored_fields(d) for d in range(reader.doc_count_all())]
    return {"postings": out, "lengths": lengths, "stored": stored}


def test_an_index_written_fast_holds_the_same_postings_lengths_and_text(tmp_path):
    fast = postings_of(write_index(tmp_path / "fast", fast=True))
    default = postings_of(write_index(tmp_path / "default", fast=False))
    assert fast["postings"] == default["postings"]
    assert fast["lengths"] == default["lengths"]
    assert fast["stored"] == default["stored"]
