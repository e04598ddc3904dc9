"""Word segmentation with pyvi's CRF model, loaded only when text is indexed.

pyvi's own tokenizer re-splits text and loses offsets; here we hand its CRF model the
syllables we already cut (with their source spans) and read back which ones join into words.
The model is opened in memory (see pyvi_model: importing ``pyvi.ViTokenizer`` would leave a
temp file behind) and fed the same features pyvi computes, so the labels are pyvi's own.
"""
from __future__ import annotations

import string

_PUNCT = frozenset(string.punctuation)


def features(sent: list[str]) -> list[dict[str, float]]:
    """pyvi's features for each syllable (ViTokenizer.word2features), as CRFsuite attributes.

    Same attributes in the same order as pyvi's feature dicts, so the tagger sums the same
    weights in the same order. A false flag is an attribute of value 0, which adds exactly
    nothing to a score: it is left out.
    """
    from .pyvi_model import ngrams

    bi_grams, tri_grams = ngrams()
    n = len(sent)
    lower = [w.lower() for w in sent]
    upper = [w.isupper() for w in sent]
    title = [w.istitle() for w in sent]
    out = []
    for i, word in enumerate(sent):
        f = {"bias": 1.0, "word.lower():" + lower[i]: 1.0}
        if upper[i]:
            f["word.isupper()"] = 1.0
        if title[i]:
            f["word.istitle()"] = 1.0
        if word.isdigit():
            f["word.isdigit()"] = 1.0
        if i > 0:
            f["-1:word.lower():" + lower[i - 1]] = 1.0
            if title[i - 1]:
                f["-1:word.istitle()"] = 1.0
            if upper[i - 1]:
                f["-1:word.isupper()"] = 1.0
            if " ".join((sent[i - 1], word)).lower() in bi_grams:
                f["-1:word.bi_gram()"] = 1.0
            if i > 1 and " ".join((sent[i - 2], sent[i - 1], word)).lower() in tri_grams:
                f["-2:word.tri_gram()"] = 1.0
        if i < n - 1:
            f["+1:word.lower():" + lower[i + 1]] = 1.0
            if title[i + 1]:
                f["+1:word.istitle()"] = 1.0
            if upper[i + 1]:
                f["+1:word.isupper()"] = 1.0
            if " ".join((word, sent[i + 1])).lower() in bi_grams:
                f["+1:word.bi_gram()"] = 1.0
            if i < n - 2 and " ".join((word, sent[i + 1], sent[i + 2])).lower() in tri_grams:
                f["+2:word.tri_gram()"] = 1.0
        out.append(f)
    return out


def labels(syllables: list[str]) -> list[str]:
    """pyvi's label for each syllable: B_W (begins a word) or I_W (inside one)."""
    if not syllables:
        return []
    import pycrfsuite

    from .pyvi_model import tagger

    return tagger().tag(pycrfsuite.ItemSequence(features(syllables)))


def word_starts(syllables: list[str]) -> list[bool]:
    """For each syllable, True when it begins a new word (pyvi's B_W), False when it continues one.

    Uses pyvi's joining rules: never across punctuation or digits, and never from a lower-case
    syllable into a capitalised one.
    """
    if not syllables:
        return []
    tags = labels(syllables)
    starts = [True]
    for i in range(1, len(syllables)):
        cur, prev = syllables[i], syllables[i - 1]
        joins = (
            tags[i] == "I_W"
            and cur not in _PUNCT
            and prev not in _PUNCT
            and not cur[0].isdigit()
            and not prev[0].isdigit()
            and not (cur[0].istitle() and not prev[0].istitle())
        )
        starts.append(not joins)
    return starts
