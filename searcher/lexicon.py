"""Derives the query-side data stored beside an index from the index itself.

The lexicon (multi-syllable words and each folded syllable's usual spelling), the learned
abbreviations and the catalogue of cited documents are read back from the index's own fields
after every commit, so a full build and an incremental update produce them the same way.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Callable, Iterable

from .analysis import JOINER
from .names import shown
from .refs import find_citations
from .spelling import match_fold

TermsOf = Callable[[str], Iterable[tuple[str, int]]]  # field -> (term, doc frequency)


def _decoded(terms) -> Iterable[tuple[str, int]]:
    for term, df in terms:
        yield (term.decode("utf-8") if isinstance(term, bytes) else term), df


def whoosh_terms(reader) -> TermsOf:
    """(term, passages with it) of a whoosh field, for lexicon_from."""
    return lambda fieldname: _decoded((t, info.doc_frequency()) for t, info in reader.iter_field(fieldname))


def _usual_forms(terms: Iterable[tuple[str, int]], key=match_fold) -> dict[str, list]:
    """For each matching form (folded, one i/y spelling): [its most frequent written form,
    passages with any form]."""
    forms: dict[str, Counter] = defaultdict(Counter)
    for text, df in terms:
        forms[key(text)][text] += df
    return {k: [c.most_common(1)[0][0], sum(c.values())] for k, c in forms.items()}


def lexicon_from(terms_of: TermsOf) -> dict:
    """The lexicon from an engine's term statistics: terms_of(field) yields (term, doc frequency).

    Fields: ``wordforms`` (written multi-syllable words), ``exact`` (accented syllables) and
    ``abbrevs`` (``short=long_form`` definitions). ``exact_forms`` lists every exact syllable
    under its matching form (``ki``: kì, kĩ, kỹ, ...), for the marks a query typed to choose from.
    """
    words = _usual_forms(terms_of("wordforms"))
    exact = list(terms_of("exact"))
    exact_forms: dict[str, list[str]] = defaultdict(list)
    for text, _ in sorted(exact):
        exact_forms[match_fold(text)].append(text)
    return {
        "words": {k: [v[0].replace(JOINER, " "), v[1]] for k, v in words.items()},
        "syllables": _usual_forms(exact),
        "exact_forms": dict(exact_forms),
        "abbreviations": {
            short: long.replace(JOINER, " ")
            for short, long in (t.split("=", 1) for t, _ in terms_of("abbrevs"))
        },
    }


def build_lexicon(reader) -> dict:
    return lexicon_from(whoosh_terms(reader))


def catalogue_from(ref_ids: Iterable[str], cites_of: Callable[[str], Iterable[list]],
                   own: dict[str, list[str]] | None = None) -> dict:
    """ref id -> type, number, year, issuer, citation count, usual subject, dates seen, and the
    ids of the documents in the corpus that are that document (``documents``).

    cites_of(ref_id) yields the ``cites`` lists ([ref id, start, end, date, subject] each) of
    every passage indexed with that ref id; own maps a document's own number (identity.py) to
    the doc ids that have it. A document in the corpus that nobody cites is listed with count 0.
    """
    own = own or {}
    catalogue = {}
    for term in sorted(set(ref_ids) | set(own)):
        count, subjects, dates = 0, Counter(), set()
        for cites in cites_of(term):
            for ref_id, _, _, date, subject in cites:
                if ref_id != term:
                    continue
                count += 1
                if subject:
                    subjects[subject] += 1
                if date:
                    dates.add(date)
        if not count and term not in own:
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
            "documents": own.get(term, []),
        }
    return catalogue


def build_catalogue(searcher) -> dict:
    """The catalogue of a whoosh index."""
    from whoosh.query import Term

    def cites_of(term: str):
        for hit in searcher.search(Term("refs", term), limit=None):
            yield hit.get("cites", [])

    own = {}
    for number in searcher.reader().field_terms("doc_number"):
        own[number] = sorted({shown(hit["doc_id"]) for hit in searcher.search(Term("doc_number", number), limit=None)})
    return catalogue_from(list(searcher.reader().field_terms("refs")), cites_of, own)
