"""Derives the query-side data stored beside an index from the index itself.

The lexicon (multi-syllable words and each folded syllable's usual spelling), the learned
abbreviations and the catalogue of cited documents are read back from the index's own fields
after every commit, so a full build and an incremental update produce them the same way.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from .analysis import JOINER
from .normalize import fold
from .refs import find_citations


def _terms(reader, fieldname: str) -> list[str]:
    return [t.decode("utf-8") if isinstance(t, bytes) else t for t, _ in reader.iter_field(fieldname)]


def _usual_forms(reader, fieldname: str, key=fold) -> dict[str, list]:
    """For each folded term of a field: [its most frequent written form, passages with any form]."""
    forms: dict[str, Counter] = defaultdict(Counter)
    for term, info in reader.iter_field(fieldname):
        text = term.decode("utf-8") if isinstance(term, bytes) else term
        forms[key(text)][text] += info.doc_frequency()
    return {k: [c.most_common(1)[0][0], sum(c.values())] for k, c in forms.items()}


def build_lexicon(reader) -> dict:
    words = _usual_forms(reader, "wordforms")
    return {
        "words": {k: [v[0].replace(JOINER, " "), v[1]] for k, v in words.items()},
        "syllables": _usual_forms(reader, "exact"),
        "abbreviations": {
            short: long.replace(JOINER, " ")
            for short, long in (t.split("=", 1) for t in _terms(reader, "abbrevs"))
        },
    }


def build_catalogue(searcher) -> dict:
    """ref id -> type, number, year, issuer, citation count, usual subject, dates seen."""
    from whoosh.query import Term

    catalogue = {}
    for term in list(searcher.reader().field_terms("refs")):
        count, subjects, dates = 0, Counter(), set()
        for hit in searcher.search(Term("refs", term), limit=None):
            for ref_id, _, _, date, subject in hit.get("cites", []):
                if ref_id != term:
                    continue
                count += 1
                if subject:
                    subjects[subject] += 1
                if date:
                    dates.add(date)
        if not count:
            continue  # only cited by deleted passages
        (c,) = find_citations(term) or [None]
        catalogue[term] = {
            "type": c.type_code if c else None,
            "type_name": c.type_name if c else None,
            "number": c.number if c else None,
            "year": c.year if c else None,
            "issuer": c.issuer if c else None,
            "count": count,
            # The usual subject: most cited, then first in index order.
            "subject": sorted(subjects.items(), key=lambda kv: -kv[1])[0][0] if subjects else None,
            "dates": sorted(dates),
        }
    return catalogue
