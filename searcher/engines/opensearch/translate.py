"""Turns vnsearch's query plan into one OpenSearch query, term by term, nothing analysed server-side.

The plan is the list of weighted (field, term) pairs the local engine scores, plus required
phrases, exclusions and a topic. Each pair becomes a ``term`` query with the pair's weight as
boost, so the cluster sums boost × BM25 per field exactly as the local engine does; ids (refs,
topics) are ``constant_score`` like the local engine's unscored keyword fields. Phrases are
``span_near`` of ``span_term``s (positions of ``folded``), exclusions ``must_not``. Filters on
what a document is (its date, type, issuer, citations, which document) are bool ``filter``
clauses: they narrow, never score.
"""
from __future__ import annotations

from .mapping import KEYWORD_FIELDS

# Lucene refuses a bool query with more clauses than indices.query.bool.max_clause_count
# (1024 by default); phrases, the topic and exclusions need a few of their own.
DEFAULT_MAX_CLAUSES = 1024
RESERVED_CLAUSES = 16


def _sequence(fieldname: str, terms: list[str]) -> dict:
    if len(terms) == 1:
        return {"term": {fieldname: terms[0]}}
    return {"span_near": {"clauses": [{"span_term": {fieldname: t}} for t in terms], "slop": 0, "in_order": True}}


def cap_terms(should: list[tuple[str, str, float]], idf: dict, max_terms: int) -> list[tuple[str, str, float]]:
    """At most max_terms of should: those that can add most to a score (weight × idf) first.

    Only pasted pages of text get here; their order of appearance is kept among what stays.
    """
    if len(should) <= max_terms:
        return should
    ranked = sorted(range(len(should)), key=lambda i: -should[i][2] * idf.get(should[i][:2], 1.0))
    keep = set(ranked[:max_terms])
    return [t for i, t in enumerate(should) if i in keep]


def filter_clauses(filters) -> list[dict]:
    """The bool filter clauses of base.Filters, matched like the local engine's: whole ids, dates
    as a range of days."""
    if not filters:
        return []
    out: list[dict] = []
    if filters.since or filters.until:
        days = {k: v for k, v in (("gte", filters.since), ("lte", filters.until)) if v}
        out.append({"range": {"date": days}})
    if filters.undated:
        out.append({"bool": {"must_not": [{"exists": {"field": "date"}}]}})
    if filters.doc_type:
        out.append({"term": {"doc_type": filters.doc_type}})
    out += [{"term": {"doc_issuer": code}} for code in filters.issuer]
    if filters.cites:
        out.append({"terms": {"refs": list(filters.cites)}})
    if filters.within:
        out.append({"bool": {"should": [{"terms": {"doc_id": list(filters.within)}},
                                        {"terms": {"source": list(filters.within)}}],
                             "minimum_should_match": 1}})
    return out


def to_query(should, phrases=(), excluded=(), topic: str | None = None, filters=(), required=(),
             scale: float = 1.0) -> dict:
    """The bool query of a plan: should terms (one must match), phrase, AND-side and topic
    filters, exclusions. Each AND side lists alternatives (a syllable or phrase, or its
    abbreviation's other form), one of which must match. `scale` multiplies the BM25-scored
    terms' boosts (mapping.score_scale: an index built on 2.x served by 3.x)."""
    clauses = []
    for fieldname, term, weight in should:
        if fieldname in KEYWORD_FIELDS:
            clauses.append({"constant_score": {"filter": {"term": {fieldname: term}}, "boost": weight}})
        else:
            clauses.append({"term": {fieldname: {"value": term, "boost": weight * scale}}})
    query: dict = {"should": clauses, "minimum_should_match": 1}
    filt = [_sequence("folded", p) for p in phrases]
    for alternatives in required:
        filt.append({"bool": {"should": [_sequence("folded", a) for a in alternatives], "minimum_should_match": 1}})
    if topic:
        filt.append({"term": {"topics": topic}})
    filt.extend(filters)
    if filt:
        query["filter"] = filt
    if excluded:
        query["must_not"] = [_sequence("folded", e) for e in excluded]
    return {"bool": query}
