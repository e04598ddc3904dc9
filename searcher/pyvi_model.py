"""pyvi's word-segmentation model, loaded straight into python-crfsuite without a temp file.

pyvi ships its CRF as a pickled sklearn-crfsuite estimator; unpickling that writes the model to
a temp file that is removed only when the object is garbage-collected, so every process that
imports ``pyvi.ViTokenizer`` leaves ~620 KB behind when it is killed or exits abruptly. Here the
pickle is read with stand-in classes that only keep their state, and the model bytes it carries
are opened in memory (``Tagger.open_inmemory``). pyvi stays the source of the model and of its
dictionary of two- and three-syllable words.
"""
from __future__ import annotations

import codecs
import importlib.util
import pickle
from functools import lru_cache
from pathlib import Path

MODEL = "models/pyvi3.pkl"
WORDS = "models/words.txt"


def pyvi_folder() -> Path:
    """pyvi's package folder, found without importing pyvi (its import loads the model)."""
    spec = importlib.util.find_spec("pyvi")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pyvi is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


class _State:
    """Stands in for every class the pickle names: keeps the state it is given, does nothing."""

    def __init__(self, *args, **kwargs):
        self.args = args

    def __setstate__(self, state):
        self.state = state


class _ModelUnpickler(pickle.Unpickler):
    # Only bytes are rebuilt for real (protocol 2 stores them as _codecs.encode(str, 'latin1'));
    # the estimator, its file resource, numpy scalars and the training log become _State, so
    # nothing the pickle names is imported or run.
    def find_class(self, module, name):
        if (module, name) == ("_codecs", "encode"):
            return codecs.encode
        return _State


def model_bytes(path: Path | None = None) -> bytes:
    """The CRFsuite model file pickled inside pyvi's estimator."""
    with open(path or pyvi_folder() / MODEL, "rb") as f:
        crf = _ModelUnpickler(f).load()
    try:
        data = crf.state["modelfile"].state["__FILE_RESOURCE_DATA__"]
    except (AttributeError, KeyError, TypeError):
        raise ImportError("pyvi's model pickle does not hold a CRFsuite model") from None
    if not isinstance(data, bytes):
        raise ImportError("pyvi's model pickle does not hold a CRFsuite model")
    return data


@lru_cache(maxsize=1)
def _opened() -> tuple:
    import pycrfsuite

    data = model_bytes()
    t = pycrfsuite.Tagger()
    t.open_inmemory(data)
    # CRFsuite reads the model in place from the buffer it is given, without copying it: the
    # bytes must live as long as the tagger, or tagging reads freed memory.
    return t, data


def tagger():
    """A python-crfsuite Tagger holding pyvi's segmentation model (labels B_W / I_W)."""
    return _opened()[0]


@lru_cache(maxsize=1)
def ngrams() -> tuple[frozenset[str], frozenset[str]]:
    """pyvi's dictionary: (two-syllable words, three-syllable words), space-joined as pyvi has them."""
    bi, tri = set(), set()
    text = (pyvi_folder() / WORDS).read_bytes().decode("utf-8")  # no newline translation, as pyvi
    for token in text.split("\n"):  # as pyvi reads it: split on "\n" and " " only
        n = len(token.split(" "))
        if n == 2:
            bi.add(token)
        elif n == 3:
            tri.add(token)
    return frozenset(bi), frozenset(tri)
