"""Reads a query's unknown tokens the way the user meant them, before the query is planned.

A token the corpus lacks is tried in order: an abbreviation or a document number (kept as
typed); Telex or VNI keys typed with the input method off (``baor`` → bảo); a run of corpus
syllables typed without spaces (``baohiemxahoi``, ``#BaoHiemYTe``, ``chithi16``); a one-letter
typo of a corpus syllable (``hiemm`` → hiem). At most one reading per token; the rewritten
query is shown to the user. Only the lexicon stored with the index is used (no segmenter), and
only when a token misses.
"""
from __future__ import annotations

import math
import unicodedata
from typing import Callable

from .analysis import JOINER, tokenize
from .normalize import exact_form, fold
from .records import record
from .refs import find_citations
from .spelling import exact_spellings, match_fold, unify_spelling
# typing_methods (syllable tables, Telex and VNI rules) loads only when a query has a token the
# corpus lacks: most queries never need it, and every search starts here.
from .vocabulary import Abbreviations

_OPERATORS = {"OR", "AND", "NOT"}


def _typing():
    from . import typing_methods

    return typing_methods
_LONGEST_SYLLABLE = 7  # nghiêng
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_SHORTEST_TYPO = 3  # one- and two-letter tokens have too many neighbours to guess from


@record
class Reading:
    """The query as it will be searched, and what to tell the user when it differs."""

    text: str
    understood: str | None = None  # the rewritten query, when a token was read differently


def split_run(token: str, syllables: dict, words: dict, total: int | None = None) -> list[str] | None:
    """``baohiemxahoi`` → [bao, hiem, xa, hoi]: the likeliest cut into corpus syllables.

    Pieces are corpus syllables that are well-formed Vietnamese syllables, or runs of digits;
    the cut maximizes the sum of the pieces' log frequencies (so fewer, commoner pieces win).
    A cut is kept only when it makes sense as a whole: two of its syllables form a word of the
    lexicon, or it joins words to a number (``chithi16``). Pieces keep the user's letters.
    """
    folded = fold(token)
    if len(folded) != len(token):
        return None  # (a letter that folds to two would shift every cut)
    total = total or sum(v[1] for v in syllables.values()) or 1  # (the caller may know it)
    best: list[tuple[float, int] | None] = [None] * (len(folded) + 1)
    best[0] = (0.0, 0)
    for i in range(len(folded)):
        if best[i] is None:
            continue
        if folded[i].isdigit():
            j = i
            while j < len(folded) and folded[j].isdigit():
                j += 1
            candidates = [(j, 0.0)]  # a number is one piece, whatever its digits
        else:
            candidates = []
            for j in range(i + 1, min(len(folded), i + _LONGEST_SYLLABLE) + 1):
                piece = folded[i:j]
                if not piece.isalpha():
                    break
                entry = syllables.get(unify_spelling(piece))
                if entry and entry[1] > 0 and _typing().is_folded_syllable(piece):
                    candidates.append((j, math.log(entry[1] / total)))
        for j, score in candidates:
            total_score = best[i][0] + score
            if best[j] is None or total_score > best[j][0]:
                best[j] = (total_score, i)
    if best[-1] is None:
        return None
    cuts, j = [], len(folded)
    while j > 0:
        i = best[j][1]
        cuts.append((i, j))
        j = i
    cuts.reverse()
    if len(cuts) < 2:
        return None
    pieces = [token[i:j] for i, j in cuts]
    letters = [match_fold(p) for p in pieces if not p.isdigit()]
    has_number = len(letters) < len(pieces)
    has_word = any(JOINER.join(letters[k:k + n]) in words for n in (2, 3, 4) for k in range(len(letters)))
    if not letters or not (has_word or has_number):
        return None
    return pieces


def _marks(text: str) -> list[str]:
    """The accent marks of ``text`` (đ counted as one), in order: what an accent edit changes."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return [c for c in decomposed if unicodedata.combining(c) or c == "đ"]


def _one_edit(folded: str):
    """Every string one insertion, deletion, substitution or adjacent transposition away."""
    n = len(folded)
    for i in range(n):
        yield folded[:i] + folded[i + 1:]
        if i + 1 < n and folded[i] != folded[i + 1]:
            yield folded[:i] + folded[i + 1] + folded[i] + folded[i + 2:]
        for c in _LETTERS:
            if c != folded[i]:
                yield folded[:i] + c + folded[i + 1:]
    for i in range(n + 1):
        for c in _LETTERS:
            yield folded[:i] + c + folded[i:]


def nearest_syllable(
    token: str, syllables: dict, words: dict, before: str | None = None, after: str | None = None,
) -> str | None:
    """``hiemm`` → hiem: the corpus syllable one letter edit away that the user most likely meant.

    Letters are compared unaccented (missing marks are open); a candidate whose marks differ
    from marks the user typed costs an accent edit, cheaper than any letter edit but still
    ranked after one that agrees. A candidate that makes a lexicon word with a neighbouring
    syllable (``hiem`` after ``bao``) comes first, then the one more passages have. Tokens
    with digits, of one or two letters, or whose letters the corpus has, are never read. So
    that a foreign word (``bus``) does not become a syllable by accident, a candidate is
    taken only when it makes a word with a neighbour, or when the token has four letters or
    more and a neighbour the corpus has.
    The answer keeps the user's case; it is unaccented when the user typed no accent.
    """
    folded = fold(token)
    if (len(folded) < _SHORTEST_TYPO or not folded.isalpha() or not folded.isascii()
            or unify_spelling(folded) in syllables):
        return None
    typed_marks = _marks(token)
    best, best_key = None, None
    for cand in set(_one_edit(folded)):
        matched = unify_spelling(cand)  # (the lexicon's keys have one i/y spelling)
        entry = syllables.get(matched)
        if not entry or entry[1] <= 0 or not _typing().is_folded_syllable(cand):
            continue
        in_word = (before is not None and before + JOINER + matched in words) or (
            after is not None and matched + JOINER + after in words)
        accent_edit = bool(typed_marks) and _marks(entry[0]) != typed_marks
        key = (not in_word, accent_edit, -entry[1], cand)
        if best_key is None or key < best_key:
            best, best_key = cand, key
    if best is None:
        return None
    if best_key[0] and not (len(folded) >= 4 and any(n in syllables for n in (before, after) if n)):
        return None
    new = syllables[unify_spelling(best)][0].lower() if typed_marks else best
    if token.isupper():
        return new.upper()
    return new[0].upper() + new[1:] if token[0].isupper() else new


def _typo_reading(token, in_order: list, syllables: dict, words: dict) -> str | None:
    """The nearest corpus syllable to ``token``, its neighbours in the query in view."""
    at = next(i for i, t in enumerate(in_order) if t.start == token.start)
    before = match_fold(in_order[at - 1].text) if at > 0 else None
    after = match_fold(in_order[at + 1].text) if at + 1 < len(in_order) else None
    return nearest_syllable(token.text, syllables, words, before, after)


def read_query(
    query: str, syllables: dict, words: dict, abbreviations: Abbreviations,
    exact_counts: Callable[[list[str]], list[int]],
) -> Reading:
    """The query with each unknown token replaced by its first reading that fits (see module).

    ``exact_counts`` gives the passages holding each accent-exact syllable: a Telex or VNI
    reading counts only when the corpus has that exact syllable. A reading that needs only one
    mark key (``bus`` → bú, ``box`` → bõ) is a plain word just as often, so it is taken only
    when another token of the query was typed the same way.
    """
    if not syllables:
        return Reading(query)
    cited = [(c.start, c.end) for c in find_citations(query)]
    unknown = []
    for t in tokenize(query):
        if not t.is_word or t.text in _OPERATORS or t.text.isdigit():
            continue
        folded = match_fold(t.text)
        if folded in syllables or folded in abbreviations.expand:
            continue
        if any(a <= t.start and t.end <= b for a, b in cited):
            continue  # part of a document number
        unknown.append(t)
    if not unknown:
        return Reading(query)
    decode = _typing().decode
    decoded: dict = {}  # token number -> typing_methods.Decoded
    for k, t in enumerate(unknown):
        d = decode(t.text)
        if d is not None and match_fold(d.text) in syllables:
            decoded[k] = d
    if decoded:
        # (either i/y spelling of the syllable counts: kĩ is searched as kỹ too)
        spellings = [exact_spellings(exact_form(d.text)) for d in decoded.values()]
        counts = iter(exact_counts([e for forms in spellings for e in forms]))
        found = [sum(next(counts) for _ in forms) for forms in spellings]
        decoded = {k: d for (k, d), n in zip(decoded.items(), found) if n}
    sure = any(d.strong for d in decoded.values()) or len(decoded) >= 2
    replaced: list[tuple[int, int, str]] = []
    total = None
    words_in_order = [t for t in tokenize(query) if t.is_word and t.text not in _OPERATORS]
    for k, t in enumerate(unknown):
        d = decoded.get(k)
        if d is not None and (d.strong or sure):
            new = d.text
        else:
            total = total or sum(v[1] for v in syllables.values()) or 1
            pieces = split_run(t.text, syllables, words, total)
            if pieces is not None:
                new = " ".join(pieces)
            else:
                new = _typo_reading(t, words_in_order, syllables, words)
                if new is None:
                    continue
        start = t.start - 1 if t.start and query[t.start - 1] == "#" else t.start  # a hashtag
        replaced.append((start, t.end, new))
    if not replaced:
        return Reading(query)
    text = query
    for start, end, new in reversed(replaced):
        text = text[:start] + new + text[end:]
    return Reading(text, " ".join(text.split()))


def syllable_forms(syllables: dict, words: dict) -> dict[str, dict[str, int]]:
    """folded syllable → {accented form: how often the corpus writes it so}.

    A syllable's usual form counts its passages; each lexicon word adds its count to the forms
    of its syllables, so that ``bao`` knows both ``bảo`` (bảo hiểm) and ``bao`` (bao gồm).
    """
    forms: dict[str, dict[str, int]] = {}
    for folded, (usual, count) in syllables.items():
        forms.setdefault(folded, {})[usual.lower()] = max(count, 1)
    for key, (usual, count) in words.items():
        for folded, form in zip(key.split(JOINER), usual.lower().split()):
            if match_fold(form) == folded:
                slot = forms.setdefault(folded, {})
                slot[form] = slot.get(form, 0) + max(count, 1)
    return forms


def accented_readings(
    query: str, forms: dict[str, dict[str, int]], words: dict, limit: int = 3,
) -> list[str]:
    """Up to ``limit`` accented readings of an unaccented query, the likeliest first.

    Each syllable's forms are weighed by how often the corpus writes them, and a form that
    makes a lexicon word with a neighbour (as the word's usual form) weighs that word's count
    more: ``bao hiem`` → bảo hiểm before bao hiểm. Words the corpus lacks, numbers and
    operators stay as typed. Readings that add no accent are left out.
    """
    tokens = [t for t in tokenize(query) if t.is_word]
    folded = [match_fold(t.text) for t in tokens]
    options: list[list[tuple[float, str]]] = []
    for i, (t, f) in enumerate(zip(tokens, folded)):
        weights = dict(forms.get(f, {})) if t.text not in _OPERATORS else {}
        for a, b in ((i - 1, i), (i, i + 1)):
            if a < 0 or b >= len(folded):
                continue
            entry = words.get(folded[a] + JOINER + folded[b])
            if entry:
                pieces = entry[0].lower().split()
                if len(pieces) == 2:
                    form = pieces[i - a]
                    weights[form] = weights.get(form, 0) + 10 * max(entry[1], 1)
        if not weights:
            options.append([(0.0, t.text)])
            continue
        total = sum(weights.values())
        ranked = sorted(((math.log(w / total), form) for form, w in weights.items()), reverse=True)
        cased = []
        for score, form in ranked[:limit]:
            if t.text.isupper() and len(t.text) > 1:
                form = form.upper()
            elif t.text[0].isupper():
                form = form[0].upper() + form[1:]
            cased.append((score, form))
        options.append(cased)
    beam: list[tuple[float, list[str]]] = [(0.0, [])]
    for choices in options:  # independent choices: a beam of ``limit`` keeps the best ``limit``
        beam = sorted(((s + c, picked + [form]) for s, picked in beam for c, form in choices),
                      key=lambda x: -x[0])[:limit]
    out = []
    for _, picked in beam:
        text = query
        for t, form in sorted(zip(tokens, picked), key=lambda x: -x[0].start):
            text = text[:t.start] + form + text[t.end:]
        text = " ".join(text.split())
        if fold(text) != text.lower() and text not in out:
            out.append(text)
    return out
