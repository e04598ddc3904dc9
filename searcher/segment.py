"""Word segmentation with pyvi's CRF model, loaded only when text is indexed.

pyvi's own tokenizer re-splits text and loses offsets; here we hand its CRF model the
syllables we already cut (with their source spans) and read back which ones join into words.
The model is opened in memory (see pyvi_model: importing ``pyvi.ViTokenizer`` would leave a
temp file behind) and fed the same features pyvi computes, so the labels are pyvi's own.

pyvi spends most of its time building a feature dict per syllable. Most of those features
belong to one syllable alone (its lower-case form and case flags, as the current, previous or
next item), and text repeats a few thousand syllables: they are computed once per distinct
syllable and reused, and each item is handed to the tagger as a list of attribute names.
"""
from __future__ import annotations

import string

_PUNCT = frozenset(string.punctuation)

# Distinct syllables remembered with their features; past this many the memory is started
# afresh, so that text full of unique tokens (numbers, codes) cannot grow it without bound.
CACHE_SIZE = 100_000

_TRI_PREV = b"-2:word.tri_gram()"  # syllables i - 2, i - 1 and i form a dictionary word
_TRI_NEXT = b"+2:word.tri_gram()"  # syllables i, i + 1 and i + 2 do


class _Syllable:
    """What pyvi's features and joining rules need to know about one syllable, computed once."""

    __slots__ = ("lower", "own", "as_prev", "as_prev_bi", "as_next", "as_next_bi", "joinable", "titled")

    def __init__(self, word: str):
        lower = word.lower()
        self.lower = lower
        # The attributes pyvi gives an item for this syllable at -1, 0 and +1, in pyvi's order,
        # UTF-8 encoded as CRFsuite wants them. A false flag is an attribute of value 0, which
        # adds exactly nothing to a score: it is left out.
        upper, title = word.isupper(), word.istitle()
        key = lower.encode("utf-8")
        own = [b"bias", b"word.lower():" + key]
        as_prev = [b"-1:word.lower():" + key]
        as_next = [b"+1:word.lower():" + key]
        if upper:
            own.append(b"word.isupper()")
        if title:
            own.append(b"word.istitle()")
            as_prev.append(b"-1:word.istitle()")
            as_next.append(b"+1:word.istitle()")
        if upper:
            as_prev.append(b"-1:word.isupper()")
            as_next.append(b"+1:word.isupper()")
        if word.isdigit():
            own.append(b"word.isdigit()")
        self.own = own
        self.as_prev, self.as_prev_bi = as_prev, [*as_prev, b"-1:word.bi_gram()"]
        self.as_next, self.as_next_bi = as_next, [*as_next, b"+1:word.bi_gram()"]
        # pyvi's joining rules: no word across punctuation or digits, nor from a lower-case
        # syllable into a capitalised one.
        self.joinable = bool(word) and word not in _PUNCT and not word[0].isdigit()
        self.titled = bool(word) and word[0].istitle()


_syllables: dict[str, _Syllable] = {}


def _lookup(sent: list[str]) -> list[_Syllable]:
    known = _syllables
    if len(known) > CACHE_SIZE:
        known.clear()
    out = [known.get(word) for word in sent]
    if None in out:
        for i, word in enumerate(sent):
            if out[i] is None:
                out[i] = known.get(word) or known.setdefault(word, _Syllable(word))
    return out


def _items(syls: list[_Syllable]) -> list[list[bytes]]:
    """pyvi's features for each syllable (ViTokenizer.word2features), as CRFsuite attribute names.

    Same attributes in the same order as pyvi's feature dicts, so the tagger sums the same
    weights in the same order.
    """
    from .pyvi_model import ngrams

    bi_grams, tri_grams = ngrams()
    n = len(syls)
    lower = [s.lower for s in syls]
    # pyvi looks up " ".join(pair).lower(); lower-casing never looks across a space (only a
    # final sigma depends on its neighbours, and a space ends the word it looks at), so joining
    # the lower-case forms gives the same string.
    pairs = [a + " " + b for a, b in zip(lower, lower[1:])]
    bi = [p in bi_grams for p in pairs]  # bi[i]: syllables i and i + 1 form a dictionary word
    tri = [p + " " + c in tri_grams for p, c in zip(pairs, lower[2:])]  # tri[i]: i, i + 1 and i + 2
    if n == 1:
        return [syls[0].own]
    out = [[*syls[0].own, *(syls[1].as_next_bi if bi[0] else syls[1].as_next)]]
    if n > 2 and tri[0]:
        out[0].append(_TRI_NEXT)
    for i in range(1, n - 1):
        item = [*syls[i].own, *(syls[i - 1].as_prev_bi if bi[i - 1] else syls[i - 1].as_prev)]
        if i > 1 and tri[i - 2]:
            item.append(_TRI_PREV)
        item += syls[i + 1].as_next_bi if bi[i] else syls[i + 1].as_next
        if i < n - 2 and tri[i]:
            item.append(_TRI_NEXT)
        out.append(item)
    last = [*syls[n - 1].own, *(syls[n - 2].as_prev_bi if bi[n - 2] else syls[n - 2].as_prev)]
    if n > 2 and tri[n - 3]:
        last.append(_TRI_PREV)
    out.append(last)
    return out


def features(sent: list[str]) -> list[list[bytes]]:
    """pyvi's features for each syllable, as the CRFsuite attribute names (of value 1) they amount to."""
    return _items(_lookup(sent))


def _tag(syls: list[_Syllable]) -> list[str]:
    from .pyvi_model import tagger

    return tagger().tag(_items(syls))


def labels(syllables: list[str]) -> list[str]:
    """pyvi's label for each syllable: B_W (begins a word) or I_W (inside one)."""
    if not syllables:
        return []
    return _tag(_lookup(syllables))


def word_starts(syllables: list[str]) -> list[bool]:
    """For each syllable, True when it begins a new word (pyvi's B_W), False when it continues one.

    Uses pyvi's joining rules: never across punctuation or digits, and never from a lower-case
    syllable into a capitalised one.
    """
    if not syllables:
        return []
    syls = _lookup(syllables)
    tags = _tag(syls)
    return [True] + [
        not (tag == "I_W" and cur.joinable and prev.joinable and (prev.titled or not cur.titled))
        for tag, prev, cur in zip(tags[1:], syls, syls[1:])
    ]
