"""The OpenSearch index vnsearch writes: settings, field mappings and how a passage becomes a document.

Analysis is vnsearch's own (the same worker processes feed both engines), so every searchable
field arrives as space-separated terms and OpenSearch only splits on whitespace. Each scored
field gets a BM25 similarity with vnsearch's k1 and b and its type pinned (OpenSearch 3 changed
what plain ``BM25`` computes; a build made on 2.x that a 3.x cluster serves gets the difference
back in its query boosts, ``score_scale``); only ``folded`` keeps positions, for phrases. What the query side
needs besides passages — build facts, the lexicon, the reference catalogue, the file catalogue
for incremental runs — lives in the same physical index as documents with a ``kind``, so that
swapping the alias switches all of it at once; they have none of the passage fields, so they
never match a search nor count in a field's BM25 statistics.
"""
from __future__ import annotations

import hashlib

from ...names import is_utf8, raw_bytes, shown
from ..base import FORMAT_VERSION

SIMILARITY = "vnsearch_bm25"
SCORED_FIELDS = ("folded", "exact", "bigrams", "words", "title_terms")
PHRASE_FIELDS = ("folded",)
KEYWORD_FIELDS = ("refs", "topics", "doc_number")  # matched as whole ids: constant score, like the local engine
# Shown with a hit: everything else of a passage is for matching only and stays out of _source.
SOURCE_FIELDS = ("doc_id", "title", "path", "text", "start", "end", "line", "page", "date", "section", "seq",
                 "refs", "topics", "cites", "stored_names", "doc_number", "doc_type", "doc_issuer")
LIST_FIELDS = ("refs", "topics", "doc_issuer")  # space-separated ids in a record, lists on the cluster
META_IDS = {"meta": "vnsearch:meta", "lexicon": "vnsearch:lexicon", "catalogue": "vnsearch:catalogue"}


def similarity_type(version: str) -> str:
    """The similarity type that computes the local engine's BM25 on a cluster of this version.

    vnsearch's BM25 keeps Robertson's (k1 + 1) factor. OpenSearch 2.x's ``BM25`` is exactly
    that; 3.x made ``BM25`` Lucene's newer form without the factor and kept the old one as
    ``LegacyBM25``.
    """
    major = int(version.split(".", 1)[0]) if version[:1].isdigit() else 2
    return "LegacyBM25" if major >= 3 else "BM25"


def score_scale(similarity: dict, version: str) -> float:
    """The factor on scored fields' boosts that gives vnsearch's BM25 from an index with this
    similarity setting on a cluster of this version: 1, except for an index built on 2.x
    (``BM25``) that a 3.x cluster serves, whose ``BM25`` there lacks the constant (k1 + 1).
    """
    if similarity.get("type") == "BM25" and similarity_type(version) == "LegacyBM25":
        return 1.0 + float(similarity.get("k1", 1.2))  # Lucene's default k1
    return 1.0


def template_name(alias: str) -> str:
    return f"vnsearch-{alias}"


def index_template(alias: str, k1: float, b: float, version: str, shards: int = 1) -> dict:
    """The index template of alias's builds (``NAME-gen-*``), kept in the cluster for operators.

    It shows what vnsearch's indices hold. Each build is nevertheless created with its whole
    body (a template of higher priority must not change its analysis), and only the build's own
    ``_meta`` — never the template's — marks an index as vnsearch's.
    """
    body = index_body(alias, None, k1, b, version, shards)
    del body["mappings"]["_meta"]
    return {"index_patterns": [f"{alias}-gen-*"], "priority": 500, "template": body,
            "_meta": {"description": f"vnsearch passages behind the alias {alias}"}}


def index_body(alias: str, build_id: str | None, k1: float, b: float, version: str, shards: int = 1) -> dict:
    """Settings and mappings of a new physical index behind alias (replicas are added once it is full)."""
    text = {"type": "text", "analyzer": "whitespace", "similarity": SIMILARITY, "norms": True}
    properties = {f: {**text, "index_options": "positions" if f in PHRASE_FIELDS else "freqs"}
                  for f in SCORED_FIELDS}
    properties.update({
        "doc_id": {"type": "keyword"},
        "source": {"type": "keyword"},  # the file a passage came from: incremental runs delete by it
        "seq": {"type": "integer"},
        "section": {"type": "keyword"},  # "Chương II, Điều 12, khoản 2" of legal text
        "refs": {"type": "keyword"},
        "topics": {"type": "keyword"},
        # The document's own identity and date, copied to each of its passages for filters.
        "date": {"type": "date", "format": "strict_date"},
        "doc_number": {"type": "keyword"},
        "doc_type": {"type": "keyword"},
        "doc_issuer": {"type": "keyword"},
        # For the lexicon only (aggregated after each build): on disk, never searched.
        "wordforms": {"type": "keyword", "index": False, "ignore_above": 512},
        "syllables": {"type": "keyword", "index": False, "ignore_above": 512},
        "abbrevs": {"type": "keyword", "index": False, "ignore_above": 512},
        "kind": {"type": "keyword"},  # meta, lexicon, catalogue, file; passages have none
        "key": {"type": "keyword"},  # a file record's path key
        "payload": {"type": "object", "enabled": False},
    })
    return {
        "settings": {
            "index": {
                "number_of_shards": shards,
                "number_of_replicas": 0,
                "refresh_interval": "-1",
                "similarity": {SIMILARITY: {"type": similarity_type(version), "k1": k1, "b": b}},
                "max_result_window": 10000,
            }
        },
        "mappings": {
            "dynamic": False,  # stored-only fields (title, text, cites, ...) stay in _source
            "_meta": {"vnsearch": {"alias": alias, "build": build_id, "format": FORMAT_VERSION}},
            "_source": {"excludes": list(SCORED_FIELDS)},
            "properties": properties,
        },
    }


def passage_id(doc_id: str, seq: int) -> str:
    """A deterministic _id: re-sending a passage overwrites it instead of doubling it."""
    return hashlib.blake2b(f"{doc_id}\0{seq}".encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def file_id(key: str) -> str:
    return "vnsearch:file:" + hashlib.blake2b(key.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def passage_document(record: dict) -> dict:
    """An analysed passage record (see indexer.analyze_document) as an OpenSearch document.

    JSON carries valid Unicode only: a doc id or path from a file name that is not UTF-8 goes
    as its key (``\\xff``) where it is matched, and as its bytes in base64 under
    ``stored_names`` so that hits give back the exact name, as the local engine does.
    """
    doc = {k: record[k] for k in SOURCE_FIELDS if k in record and k not in LIST_FIELDS}
    names = {}
    for key, value in (("doc_id", record.get("_stored_doc_id", record["doc_id"])), ("path", record.get("path", ""))):
        if not is_utf8(value):
            names[key] = raw_bytes(value)
            doc[key] = record["doc_id"] if key == "doc_id" else shown(value)
    if names:
        doc["stored_names"] = names
    if not is_utf8(doc.get("title", "")):
        doc["title"] = shown(doc["title"])
    for f in SCORED_FIELDS:
        if record.get(f):
            doc[f] = record[f]
    doc["source"] = record["source"]
    for f in (*LIST_FIELDS, "abbrevs", "wordforms"):
        if record.get(f):
            doc[f] = record[f].split()
    exact = record.get("exact")
    if exact:
        doc["syllables"] = sorted(set(exact.split()))
    return doc
