"""Word segmentation with pyvi, loaded only when text is indexed.

pyvi's own tokenizer re-splits text and loses offsets; here we hand its CRF model the
syllables we already cut (with their source spans) and read back which ones join into words.
"""
from __future__ import annotations

import string
from functools import lru_cache

_PUNCT = frozenset(string.punctuation)


@lru_cache(maxsize=1)
def _tokenizer():
    # Importing pyvi loads scikit-learn and a CRF model (~0.7 s): only the indexer pays it.
    from pyvi.ViTokenizer import ViTokenizer

    return ViTokenizer


def word_starts(syllables: list[str]) -> list[bool]:
    """For each syllable, True when it begins a new word (pyvi's B_W), False when it continues one.

    Uses pyvi's joining rules: never across punctuation or digits, and never from a lower-case
    syllable into a capitalised one.
    """
    if not syllables:
        return []
    vi = _tokenizer()
    labels = vi.model.predict([vi.sent2features(syllables, False)])[0]
    starts = [True]
    for i in range(1, len(syllables)):
        cur, prev = syllables[i], syllables[i - 1]
        joins = (
            labels[i] == "I_W"
            and cur not in _PUNCT
            and prev not in _PUNCT
            and not cur[0].isdigit()
            and not prev[0].isdigit()
            and not (cur[0].istitle() and not prev[0].istitle())
        )
        starts.append(not joins)
    return starts
