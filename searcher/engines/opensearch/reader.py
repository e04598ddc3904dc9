"""Searches a vnsearch index on an OpenSearch cluster: the reading side of the engine.

Opening resolves the alias to the physical index once and loads everything the query side
needs (build facts, lexicon, reference catalogue) from it, so one search's several requests
(document frequencies, ranking) all see the same build. When a re-index has retired that build
meanwhile, the search resolves the alias again and runs once more.
"""
from __future__ import annotations

import base64
import re
import threading
from typing import Iterable

from ...errors import IndexMissing, IndexVersionMismatch
from ..base import FORMAT_VERSION
from ..base import Features
from .connection import ClusterError, ClusterLocation, cluster_errors, connect
from .mapping import LIST_FIELDS, META_IDS, SIMILARITY, SOURCE_FIELDS, score_scale
from .translate import DEFAULT_MAX_CLAUSES, RESERVED_CLAUSES, cap_terms, filter_clauses, to_query

FEATURES = Features(name="opensearch", explain=True, disk_size=True, shared=True)
SEARCH_TYPE = "dfs_query_then_fetch"  # BM25 statistics of the whole index, not of each shard
_EXPLAIN_RE = re.compile(r"^(?:weight\((?P<f>\w+):(?P<t>\S+) in \d+\)|ConstantScore\((?P<cf>\w+):(?P<ct>\S+)\))")
_PAGE = 1000
MAX_HITS = 10_000  # the index's max_result_window: deeper pages are not served


class OpenSearchReader:
    features = FEATURES

    def __init__(self, location: ClusterLocation, client=None):
        self.cluster = location
        self.location = str(location)
        self.client = client or connect(location)
        # The last rank()'s hits, per thread: what stored() is asked for next comes with them, and
        # a reader shared by threads must not hand one thread's hits to another's stored().
        self._hits = threading.local()
        with cluster_errors(location):
            self._load()
            self.max_clauses = self._max_clauses()

    # --- opening ----------------------------------------------------------------------------

    def _load(self) -> None:
        self.index = resolve_alias(self.client, self.cluster)
        mapping = self.client.indices.get_mapping(index=self.index)[self.index]["mappings"]
        own = (mapping.get("_meta") or {}).get("vnsearch") or {}
        if own.get("alias") != self.cluster.name:
            raise ClusterError(f"{self.location}: index {self.index} was not built by vnsearch for this name")
        if own.get("format") != FORMAT_VERSION:
            raise IndexVersionMismatch(
                f"index at {self.location} has format {own.get('format')}, this vnsearch reads format "
                f"{FORMAT_VERSION} (run: vnsearch index --rebuild PATH --index {self.location})")
        docs = self.client.mget(index=self.index, body={"ids": list(META_IDS.values())})["docs"]
        payload = {d["_id"]: (d.get("_source") or {}).get("payload") for d in docs if d.get("found")}
        if payload.get(META_IDS["meta"]) is None:
            raise IndexMissing(f"{self.location} has no complete build (run: vnsearch index --rebuild PATH --index {self.location})")
        self.meta = payload[META_IDS["meta"]]
        self.lexicon = payload.get(META_IDS["lexicon"]) or {}
        self.catalogue = payload.get(META_IDS["catalogue"]) or {}
        self.scale = self._score_scale()

    def _score_scale(self) -> float:
        """mapping.score_scale of this build on this cluster: a build made on OpenSearch 2.x keeps
        its ``BM25`` similarity when the cluster is upgraded to 3.x, where that name scores
        without the constant (k1 + 1)."""
        from opensearchpy import exceptions as ex

        try:
            settings = self.client.indices.get_settings(index=self.index, name=f"index.similarity.{SIMILARITY}.*")
            similarity = settings[self.index]["settings"]["index"]["similarity"][SIMILARITY]
            if similarity.get("type") != "BM25":
                return 1.0
            return score_scale(similarity, self.client.info()["version"]["number"])
        except (ex.AuthorizationException, KeyError):  # a user who may not read settings: as built
            return 1.0

    def _max_clauses(self) -> int:
        try:
            settings = self.client.cluster.get_settings(include_defaults=True, flat_settings=True,
                                                        filter_path="**.indices.query.bool.max_clause_count")
            for group in settings.values():
                value = group.get("indices.query.bool.max_clause_count")
                if value:
                    return int(value)
        except Exception:  # a user without cluster:monitor rights: assume the default
            pass
        return DEFAULT_MAX_CLAUSES

    def _retrying(self, request):
        """Run request(index); once more on a fresh alias resolution if the build was retired."""
        from opensearchpy import exceptions as ex

        with cluster_errors(self.cluster):
            try:
                return request(self.index)
            except ex.NotFoundError:
                self._load()
                return request(self.index)

    # --- the SearchBackend protocol ---------------------------------------------------------

    def doc_count(self) -> int:
        return int(self.meta.get("passages") or 0)

    def doc_frequencies(self, keys: list[tuple[str, str]]) -> list[int]:
        if not keys:
            return []
        filters = {str(i): {"term": {f: t}} for i, (f, t) in enumerate(keys)}
        body = {"size": 0, "track_total_hits": False, "aggs": {"df": {"filters": {"filters": filters}}}}
        result = self._retrying(lambda index: self.client.search(
            index=index, body=body, allow_partial_search_results=False))
        buckets = result["aggregations"]["df"]["buckets"]
        return [int(buckets[str(i)]["doc_count"]) for i in range(len(keys))]

    def rank(self, terms, topic, limit, filters=None):
        should = terms.should
        # Lucene counts every leaf query: phrases, AND sides and exclusions take their share.
        leaves = sum(len(p) for p in terms.phrases) + sum(len(e) for e in terms.excluded)
        leaves += sum(len(a) for alternatives in terms.required for a in alternatives)
        budget = max(1, self.max_clauses - RESERVED_CLAUSES - leaves)
        if len(should) > budget:
            dfs = self.doc_frequencies([(f, t) for f, t, _ in should])
            n = max(self.doc_count(), 1)
            from math import log

            idf = {(f, t): log(1 + (n - df + 0.5) / (df + 0.5)) for (f, t, _), df in zip(should, dfs)}
            should = cap_terms(should, idf, budget)
        body = {
            "query": to_query(should, terms.phrases, terms.excluded, topic, filters=filter_clauses(filters),
                              required=terms.required, scale=self.scale),
            "size": min(limit, MAX_HITS),
            "track_total_hits": 3,
            "_source": list(SOURCE_FIELDS),
            # Ties in document order, as the local engine breaks them.
            "sort": ["_score", {"doc_id": "asc"}, {"seq": "asc"}],
        }
        result = self._retrying(lambda index: self.client.search(
            index=index, body=body, search_type=SEARCH_TYPE, allow_partial_search_results=False))
        self._hits.sources = {h["_id"]: _record(h["_source"]) for h in result["hits"]["hits"]}
        ranked = [(h["_id"], float(h["_score"])) for h in result["hits"]["hits"]]
        return ranked, int(result["hits"]["total"]["value"])

    def count(self, terms, topic, filters=None) -> int:
        should = terms.should
        budget = max(1, self.max_clauses - RESERVED_CLAUSES)
        if len(should) > budget:  # (only a pasted page of text: a count of its best terms)
            should = should[:budget]
        body = {"query": to_query(should, terms.phrases, terms.excluded, topic, filters=filter_clauses(filters),
                                  required=terms.required)}
        return int(self._retrying(lambda index: self.client.count(index=index, body=body))["count"])

    def numbered(self, ref_id: str) -> Iterable[dict]:
        return list(self._scan({"term": {"doc_number": ref_id}}, list(SOURCE_FIELDS)))

    def matching(self, keys, alternatives):
        if not keys or not alternatives:
            return [set() for _ in alternatives]
        named = [{"bool": {"filter": [{"term": {f: t}} for f, t in alt], "_name": str(i)}}
                 for i, alt in enumerate(alternatives) if alt]
        body = {"query": {"bool": {"filter": [{"ids": {"values": list(keys)}}], "should": named}},
                "size": len(keys), "_source": False, "track_total_hits": False}
        result = self._retrying(lambda index: self.client.search(
            index=index, body=body, allow_partial_search_results=False))
        out = [set() for _ in alternatives]
        for hit in result["hits"]["hits"]:
            for name in hit.get("matched_queries") or []:
                out[int(name)].add(hit["_id"])
        return out

    def stored(self, key) -> dict:
        sources = getattr(self._hits, "sources", None)
        if sources is None:
            sources = self._hits.sources = {}
        if key not in sources:
            doc = self._retrying(lambda index: self.client.get(index=index, id=key, _source=list(SOURCE_FIELDS)))
            sources[key] = _record(doc["_source"])
        return sources[key]

    def citing(self, ref_id: str) -> Iterable[dict]:
        return list(self._scan({"term": {"refs": ref_id}}, list(SOURCE_FIELDS)))

    def _scan(self, query: dict, source) -> Iterable[dict]:
        """Every matching passage's _source, in document order, a page at a time."""
        after = None
        while True:
            body = {"query": query, "size": _PAGE, "_source": source, "sort": [{"doc_id": "asc"}, {"seq": "asc"}]}
            if after:
                body["search_after"] = after
            hits = self._retrying(lambda index: self.client.search(
                index=index, body=body, allow_partial_search_results=False))["hits"]["hits"]
            for h in hits:
                yield _record(h["_source"])
            if len(hits) < _PAGE:
                return
            after = hits[-1]["sort"]

    def explain(self, should, key) -> list[tuple[str, str, float]]:
        query = to_query(should, scale=self.scale)
        body = {"query": {"bool": {"must": [query], "filter": [{"ids": {"values": [key]}}]}},
                "explain": True, "size": 1, "_source": False}
        result = self._retrying(lambda index: self.client.search(index=index, body=body, search_type=SEARCH_TYPE))
        hits = result["hits"]["hits"]
        parts: list[tuple[str, str, float]] = []
        if hits:
            _collect(hits[0].get("_explanation") or {}, parts)
        return sorted(parts, key=lambda p: -p[2])

    def engine_stats(self) -> dict:
        """Sizes from the cluster's index statistics; shards, replicas, nodes and health too."""
        def request(index):
            stats = self.client.indices.stats(index=index, metric="store")["indices"][index]
            settings = self.client.indices.get_settings(index=index)[index]["settings"]["index"]
            health = self.client.cluster.health(index=index)
            return stats, settings, health

        stats, settings, health = self._retrying(request)
        return {
            "files": int(self.meta.get("files") or 0),
            "passages": self.doc_count(),
            # Distinct folded syllables: the lexicon's syllables, one entry per folded form.
            "distinct_terms": len(self.lexicon.get("syllables", {})),
            "size_bytes": stats["primaries"]["store"]["size_in_bytes"],
            "size_bytes_with_replicas": stats["total"]["store"]["size_in_bytes"],
            "physical_index": self.index,
            "shards": int(settings.get("number_of_shards", 0)),
            "replicas": int(settings.get("number_of_replicas", 0)),
            "nodes": int(health.get("number_of_nodes", 0)),
            "health": health.get("status"),
        }

    def close(self) -> None:
        try:
            self.client.close()
        except Exception:
            pass


def _record(source: dict) -> dict:
    """A passage's _source as the stored record the engine-neutral layer reads: ids space-joined,
    names that are not UTF-8 given back byte for byte (see mapping.passage_document)."""
    for key in LIST_FIELDS:
        if isinstance(source.get(key), list):
            source[key] = " ".join(source[key])
    for key, b64 in (source.pop("stored_names", None) or {}).items():
        source[key] = base64.b64decode(b64).decode("utf-8", "surrogateescape")
    return source


def _collect(node: dict, out: list) -> None:
    """(field, term, score) of every scoring leaf of an OpenSearch explanation tree."""
    m = _EXPLAIN_RE.match(node.get("description", ""))
    if m:
        field, term = (m.group("f"), m.group("t")) if m.group("f") else (m.group("cf"), m.group("ct"))
        out.append((field, term, float(node.get("value", 0.0))))
        return
    for child in node.get("details", []):
        _collect(child, out)


def resolve_alias(client, location: ClusterLocation) -> str:
    """The physical index behind location's alias; ClusterError/IndexMissing when there is none."""
    from opensearchpy import exceptions as ex

    name = location.name
    try:
        aliases = client.indices.get_alias(name=name)
    except ex.NotFoundError:
        if client.indices.exists(index=name):
            raise ClusterError(f"{location}: {name} is an index that vnsearch did not build (it searches through an alias); "
                               "choose another name") from None
        raise IndexMissing(f"no index at {location} (run: vnsearch index PATH --index {location})") from None
    indices = sorted(aliases)
    if len(indices) != 1:
        raise ClusterError(f"{location}: the alias {name} points at {len(indices)} indices; vnsearch expects one")
    return indices[0]
