"""Word segmentation: pyvi's model opened in memory gives pyvi's own labels, and no temp file."""
import json
import os
import signal
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searcher import pyvi_model, segment
from searcher.analysis import canonical_surface, tokenize
from searcher.normalize import repair
from searcher.passages import split_passages

from conftest import CORPUS


@pytest.fixture(scope="module")
def pyvi():
    """pyvi's own tokenizer, to compare with; the temp file its import writes is removed at once.

    CRFsuite reads the whole model file when the tagger opens, so the model keeps working
    after the file is gone.
    """
    from pyvi.ViTokenizer import ViTokenizer

    model = ViTokenizer.model
    assert model.tagger_ is not None  # opens the model file
    name = model.modelfile.name
    model.modelfile.cleanup()
    assert name and not os.path.exists(name)
    return ViTokenizer


def pyvi_labels(vi, syllables):
    return list(vi.model.predict([vi.sent2features(syllables, False)])[0])


def pyvi_word_starts(vi, syllables):
    """Where pyvi's tokenize starts a word, with its own joining rules, on our syllables."""
    tags = pyvi_labels(vi, syllables)
    starts = [True]
    for i in range(1, len(syllables)):
        cur, prev = syllables[i], syllables[i - 1]
        starts.append(not (tags[i] == "I_W" and cur not in string.punctuation and prev not in string.punctuation
                           and not cur[0].isdigit() and not prev[0].isdigit()
                           and not (cur[0].istitle() and not prev[0].istitle())))
    return starts


def pyvi_attributes(vi, syllables):
    """pyvi's feature dicts as the attributes CRFsuite reads from them, those of value 0 left out."""
    out = []
    for features in vi.sent2features(syllables, False):
        item = []
        for key, value in features.items():
            if isinstance(value, str):
                item.append(f"{key}:{value}".encode())
            elif value:
                assert value == 1.0
                item.append(key.encode())
        out.append(item)
    return out


def passages_of(text):
    """Each passage of a text as analysis hands it to the segmenter."""
    return [[canonical_surface(t) for t in tokenize(repair(text[p.start:p.end]))] for p in split_passages(text)]


def corpus_passages():
    """Every passage of the bundled corpus."""
    return [s for path in sorted(CORPUS.glob("*.txt")) for s in passages_of(path.read_text(encoding="utf-8"))]


def differences(vi, passages):
    """Passages (by position) where our labels or word starts are not pyvi's, segmented in one pass."""
    ours = [(segment.labels(s), segment.word_starts(s)) for s in passages]
    theirs = [(pyvi_labels(vi, s), pyvi_word_starts(vi, s)) for s in passages]
    return [i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b]


def test_labels_are_pyvis_on_every_passage_of_the_bundled_corpus(pyvi):
    passages = corpus_passages()
    assert len(passages) > 30
    assert differences(pyvi, passages) == []
    assert [segment.features(s) for s in passages] == [pyvi_attributes(pyvi, s) for s in passages]
    assert segment.word_starts(["bảo", "hiểm", "xã", "hội", "Việt", "Nam"]) == [True, False, True, False, True, False]


def test_the_memory_of_syllables_stays_bounded_and_changes_no_label(pyvi, monkeypatch):
    monkeypatch.setattr(segment, "CACHE_SIZE", 50)
    passages = corpus_passages()
    held = []
    for syllables in passages:
        segment.word_starts(syllables)
        held.append(len(segment._syllables))
    assert max(held) <= 51 + max(len(set(s)) for s in passages)
    assert min(held) < 50  # it was emptied along the way
    assert differences(pyvi, passages) == []


ALQAC_DOCS = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "alqac" / "docs.jsonl"


def test_labels_are_pyvis_on_every_passage_of_the_alqac_documents(pyvi):
    if not ALQAC_DOCS.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{ALQAC_DOCS} is missing; under CI=true the comparison with pyvi must run", pytrace=False)
        pytest.skip(f"{ALQAC_DOCS} is missing (the ALQAC documents sit beside the repository)")
    records = [json.loads(line) for line in ALQAC_DOCS.read_text(encoding="utf-8").splitlines() if line.strip()]
    passages = [s for r in records for s in passages_of(r["text"]) if s]
    assert len(records) > 2000 and len(passages) > len(records)
    assert differences(pyvi, passages) == []


SYLLABLES = ["bảo", "hiểm", "xã", "hội", "Việt", "Nam", "HÀ", "NỘI", "thủ", "tướng", "chính", "phủ", "quy",
             "định", "Tết", "nguyên", "đán", "19", "CT", "TW", "2023", "a", "I", "đ", "Đ", "của", "và", "nhà", "nước"]
token = st.one_of(
    st.sampled_from(SYLLABLES),
    st.sampled_from(SYLLABLES).map(str.upper),
    st.sampled_from(SYLLABLES).map(str.title),
    st.sampled_from(list(",.;:-/()\"'?!")),
    st.text(min_size=1, max_size=6).filter(lambda s: not any(c.isspace() for c in s)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(token, min_size=1, max_size=40))
def test_labels_are_pyvis_on_any_syllables(pyvi, syllables):
    assert segment.features(syllables) == pyvi_attributes(pyvi, syllables)
    assert segment.labels(syllables) == pyvi_labels(pyvi, syllables)
    assert segment.word_starts(syllables) == pyvi_word_starts(pyvi, syllables)


def test_the_model_loads_without_scikit_learn_or_a_temp_file(tmp_path):
    code = (
        "import os, sys\n"
        "from searcher.segment import word_starts\n"
        "print(word_starts(['bảo', 'hiểm']), 'pyvi.ViTokenizer' in sys.modules, 'sklearn' in sys.modules)\n"
        "print(os.listdir(os.environ['TMPDIR']))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "TMPDIR": str(tmp_path)})
    assert done.stdout.splitlines() == ["[True, False] False False", "[]"], done.stderr


def test_the_model_bytes_are_those_pyvi_pickled():
    data = pyvi_model.model_bytes()
    assert data[:4] == b"lCRF"  # a CRFsuite model file
    assert pyvi_model.tagger().labels() == ["B_W", "I_W"]
    bi, tri = pyvi_model.ngrams()
    assert "bảo hiểm" in bi and "an toàn khu" in tri and "bảo hiểm xã hội" not in bi | tri


def _big_corpus(root, n_docs):
    sentences = [s.strip() for f in sorted(CORPUS.glob("*.txt")) for s in f.read_text(encoding="utf-8").split(".")
                 if len(s.split()) > 5]
    root.mkdir()
    for i in range(n_docs):
        picked = [sentences[(i * 7 + k * 13) % len(sentences)] for k in range(12)]
        (root / f"doc{i:04d}.txt").write_text(f"Tài liệu {i}\n\n" + ". ".join(picked) + ".", encoding="utf-8")


# An index run on every core, that says "MID" once its analysis workers have finished
# documents, then waits to be killed when asked to.
INDEX_RUN = """
import sys, time
import searcher.indexer as indexer
indexer.PARALLEL_MIN_BYTES = 0
def progress(passages, done, total):
    if done == indexer.IN_FLIGHT_PER_WORKER * 2 + 4 and sys.argv[3] == "kill":
        print("MID", flush=True)
        time.sleep(60)
indexer.build_index([sys.argv[1]], sys.argv[2], progress=progress)
print("DONE", flush=True)
"""


@pytest.mark.parametrize("how", ["finish", "kill"])
def test_an_index_run_leaves_nothing_in_the_temp_folder(tmp_path, how):
    import format_fixtures as fx

    docs = tmp_path / "docs"
    _big_corpus(docs, 40)
    fx.two_column_pdf(docs / "bao.pdf")
    fx.word_file(docs / "chi-thi.docx")
    fx.web_page(docs / "bai.html")
    temp = tmp_path / "temp"
    temp.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", INDEX_RUN, str(docs), str(tmp_path / "ix"), how],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "TMPDIR": str(temp)})
    line = proc.stdout.readline().strip()
    if how == "kill":
        assert line == "MID"
        os.killpg(proc.pid, signal.SIGKILL)  # the run and every process it started, as kill -9 does
    proc.wait(timeout=120)
    if how == "finish":
        assert line == "DONE", proc.stderr.read()
    deadline = time.monotonic() + 5
    while os.listdir(temp) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert os.listdir(temp) == []
