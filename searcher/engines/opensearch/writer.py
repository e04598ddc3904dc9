"""Builds and updates a vnsearch index on an OpenSearch cluster, safely for everyone searching it.

A full build writes a new physical index (marked as vnsearch's for this alias in its mapping's
``_meta``), fills it, refreshes it, adds replicas, waits for them, and only then swaps the alias
in one atomic ``_aliases`` request; the index it replaces is deleted a few seconds later (a
search in flight makes several requests against the build it resolved). An incremental run
deletes and re-adds the passages of changed files in the live index. A lock document created
with ``op_type=create`` and renewed while the run lasts keeps two machines from writing the same
alias at once; a run killed with -9 stops renewing it, and the next run after its expiry takes
over and removes the killed run's half-written index — only indices whose ``_meta`` says they are
vnsearch's for this alias, never one a live build owns.
"""
from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator

from ...errors import IndexBusy, IndexMissing
from ...lexicon import catalogue_from, lexicon_from
from ..base import DELETED_SHARE, FORMAT_VERSION
from .bulk import Action, BulkReport, send
from .connection import ClusterError, ClusterLocation, cluster_errors, connect
from .mapping import META_IDS, file_id, index_body, index_template, passage_document, passage_id, template_name
from .reader import _record, resolve_alias

LOCKS_INDEX = "vnsearch-locks"
LOCK_TTL = 120.0  # seconds a lock lives without renewal: a killed run blocks no longer than this
LOCK_TTL_ENV = "VNSEARCH_CLUSTER_LOCK_TTL"  # a shorter one for tests and impatient operators
RETIRE_GRACE = 5.0  # seconds a replaced build stays for searches that resolved it just before
HEALTH_SECONDS = 120
EXPUNGE_SECONDS = 3600  # merging away an update's deleted passages: proportional to the segments merged
LEASE_WAIT_SECONDS = 45.0  # for the shards' retention leases to pass the deletes (synced every 30 s)
HEALTH_TIMEOUT = f"{HEALTH_SECONDS}s"  # (opensearch-py reads a lone `timeout` as its own socket timeout)
_AGG_PAGE = 2000


class OpenSearchTarget:
    """Where build_index writes when the index location is a cluster URL."""

    def __init__(self, location: ClusterLocation, shards: int | None = None, replicas: int | None = None,
                 client=None, k1: float | None = None, b: float | None = None):
        self.cluster = location
        self.alias = location.name
        self.client = client or connect(location, timeout=120.0)
        self.shards, self.replicas = shards, replicas
        from ...query import Weights

        # The BM25 constants are fixed when a build is created (the index's similarity): the
        # same as the local engine's, tuned on ALQAC dev.
        self.k1 = Weights.k1 if k1 is None else k1
        self.b = Weights.b if b is None else b
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._held: tuple[int, int] = (0, 0)  # the lock document's (seq_no, primary_term) this run wrote
        self._lost = False
        self._renewed = time.time()
        try:
            self.lock_ttl = max(1.0, float(os.environ.get(LOCK_TTL_ENV) or LOCK_TTL))
        except ValueError:
            self.lock_ttl = LOCK_TTL

    def __str__(self) -> str:
        return str(self.cluster)

    # --- the cluster-side lock ------------------------------------------------------------

    @contextmanager
    def lock(self) -> Iterator[None]:
        with cluster_errors(self.cluster):
            self._acquire()
        stop = threading.Event()
        renewer = threading.Thread(target=self._renew, args=(stop,), daemon=True)
        renewer.start()
        try:
            yield
        finally:
            stop.set()
            renewer.join(timeout=30)
            try:
                self._release()
            except Exception:
                pass  # it expires by itself

    def _acquire(self) -> None:
        from opensearchpy import exceptions as ex

        if not self.client.indices.exists(index=LOCKS_INDEX):
            try:
                self.client.indices.create(index=LOCKS_INDEX, body={
                    "settings": {"index": {"number_of_shards": 1, "auto_expand_replicas": "0-1"}},
                    "mappings": {"dynamic": False, "_meta": {"vnsearch": {"locks": True}}}})
            except ex.RequestError as e:
                if e.error != "resource_already_exists_exception":
                    raise
        body = {"owner": self.owner, "expires": time.time() + self.lock_ttl}
        for _ in range(3):
            try:
                held = self.client.index(index=LOCKS_INDEX, id=self.alias, body=body, op_type="create", refresh="true")
                self._held = (held["_seq_no"], held["_primary_term"])
                return
            except ex.ConflictError:
                try:
                    held = self.client.get(index=LOCKS_INDEX, id=self.alias)
                except ex.NotFoundError:
                    continue  # released meanwhile: try again
                if held["_source"].get("expires", 0) > time.time():
                    raise IndexBusy(f"another vnsearch run ({held['_source'].get('owner')}) is writing "
                                    f"{self.cluster}; try again when it ends") from None
                try:  # expired: its run was killed; take it over unless someone else just did
                    self.client.delete(index=LOCKS_INDEX, id=self.alias, if_seq_no=held["_seq_no"],
                                       if_primary_term=held["_primary_term"], refresh="true")
                except (ex.ConflictError, ex.NotFoundError):
                    pass
        raise IndexBusy(f"another vnsearch run is writing {self.cluster}; try again when it ends")

    def _renew(self, stop: threading.Event) -> None:
        """Push the lock's expiry on while the run lasts, only while it is still this run's.

        Each renewal is conditional on the version this run last wrote: once another run has
        taken over an expired lock, renewing fails and the run stops at its next check.
        """
        from opensearchpy import exceptions as ex

        while not stop.wait(self.lock_ttl / 4):
            try:
                held = self.client.index(
                    index=LOCKS_INDEX, id=self.alias, body={"owner": self.owner, "expires": time.time() + self.lock_ttl},
                    if_seq_no=self._held[0], if_primary_term=self._held[1])
                self._held = (held["_seq_no"], held["_primary_term"])
                self._renewed = time.time()
            except (ex.ConflictError, ex.NotFoundError):
                self._lost = True
                return
            except Exception:
                pass  # a passing network error: the next renewal tries again

    def ensure_locked(self) -> None:
        """Stop the run when its lock has gone to another run (it stalled past the expiry)."""
        if self._lost or time.time() - self._renewed > self.lock_ttl:
            raise ClusterError(f"{self.cluster}: this run lost its lock (it stalled for longer than "
                               f"{self.lock_ttl:.0f} s); nothing was published, run it again")

    def _release(self) -> None:
        if self._lost:
            return
        self.client.delete(index=LOCKS_INDEX, id=self.alias, if_seq_no=self._held[0],
                           if_primary_term=self._held[1], refresh="true")

    # --- what the last build holds -----------------------------------------------------------

    def check(self) -> None:
        """Refuse early when the name belongs to something vnsearch did not build."""
        with cluster_errors(self.cluster):
            try:
                resolve_alias(self.client, self.cluster)
            except IndexMissing:
                pass

    def current(self, warn) -> tuple[str, dict] | None:
        """The live build's physical index and meta (with its file catalogue), in this format;
        then removes builds of this alias that killed runs left (under the lock)."""
        with cluster_errors(self.cluster):
            self._remove_orphans()
            try:
                index = resolve_alias(self.client, self.cluster)
            except IndexMissing:
                return None
            if self._owner_meta(index).get("format") != FORMAT_VERSION:
                return None
            doc = self.client.get(index=index, id=META_IDS["meta"], ignore=[404])
            meta = (doc.get("_source") or {}).get("payload") if doc.get("found") else None
            if not meta or meta.get("dirty"):
                warn(f"index {self.cluster} has no complete build (a run was interrupted); building it anew")
                return None
            files = {}
            for hit in self._scan(index, {"term": {"kind": "file"}}, ["key", "payload"], sort="key"):
                files[hit["key"]] = hit["payload"]
            return index, {**meta, "files": files}

    def holders(self, previous: tuple[str, dict]):
        """A lookup doc_id -> stored fields of the passages the live build has under that id."""
        index = previous[0]

        def lookup(doc_id: str):
            with cluster_errors(self.cluster):
                return [_record(h) for h in self._scan(index, {"term": {"doc_id": doc_id}},
                                                       ["path", "line", "stored_names"])]

        lookup.close = lambda: None
        return lookup

    def _owner_meta(self, index: str) -> dict:
        mapping = self.client.indices.get_mapping(index=index)[index]["mappings"]
        return (mapping.get("_meta") or {}).get("vnsearch") or {}

    def _remove_orphans(self) -> None:
        """Delete builds of this alias that no search can reach and no live run owns.

        Called with the lock held, so no other run is building; the live build (behind the alias)
        is never touched, a retired one only after its grace period.
        """
        from opensearchpy import exceptions as ex

        try:
            mappings = self.client.indices.get_mapping(index=f"{self.alias}-gen-*")
        except ex.NotFoundError:
            return
        try:
            live = set(self.client.indices.get_alias(name=self.alias))
        except ex.NotFoundError:
            live = set()
        self.ensure_locked()
        for index, info in mappings.items():
            own = ((info.get("mappings") or {}).get("_meta") or {}).get("vnsearch") or {}
            # Ours: created by a vnsearch build for this alias, which named it after its build id.
            ours = own.get("alias") == self.alias and own.get("build") and index == f"{self.alias}-gen-{own['build']}"
            if not ours or index in live:
                continue
            retired = own.get("retired_at")
            if retired and time.time() - retired < RETIRE_GRACE:
                continue
            self.client.indices.delete(index=index, ignore=[404])

    # --- writing -----------------------------------------------------------------------------

    def write(self, previous, files: dict, skipped: dict, stale_keys: list[str], analysed: Iterable[list[dict]],
              report, roots: list[str], parallel: bool, warn: Callable[[str], None]) -> None:
        self.skipped = skipped
        with cluster_errors(self.cluster):
            if previous:
                self._update(previous, files, stale_keys, analysed, report, roots, warn)
            else:
                self._build(files, analysed, report, roots, warn)

    def _passages(self, analysed: Iterable[list[dict]], report, sent: dict | None) -> Iterator[Action]:
        """Bulk actions of the analysed passages; sent (when given) collects each file's passage ids."""
        for records in analysed:
            for record in records:
                _id = passage_id(record["doc_id"], record["seq"])
                if sent is not None:
                    sent.setdefault(record["source"], []).append(_id)
                yield Action(_id, passage_document(record), record["source"])
            report.passages += len(records)

    def _send_passages(self, index: str, analysed, report, files: dict, warn, keep_ids: bool = False) -> dict:
        """Send every passage; a file the cluster refused a passage of is left out of ``files``,
        so that the next run reads it again. With keep_ids, returns each file's passage ids
        (an incremental run needs them; a full build of millions of passages does not)."""
        sent: dict[str, list[str]] | None = {} if keep_ids else None
        bulk = self._send(index, self._passages(analysed, report, sent), warn)
        for source in {source for source, _ in bulk.failed}:
            files.pop(source, None)
        return sent or {}

    def _send(self, index: str, actions: Iterable[Action], warn) -> BulkReport:
        bulk = send(self.client, index, actions, BulkReport())
        for source, reason in bulk.failed[:20]:
            warn(f"{source}: not indexed in full ({reason}); it will be read again next run")
        if len(bulk.failed) > 20:
            warn(f"... and {len(bulk.failed) - 20} more passages not indexed")
        return bulk

    def _build(self, files, analysed, report, roots, warn) -> None:
        version = self.client.info()["version"]["number"]
        if not version[:1].isdigit() or int(version.split(".")[0]) < 2:
            raise ClusterError(f"{self.cluster}: OpenSearch {version} is too old (vnsearch needs 2.x or newer)")
        nodes = int(self.client.cluster.health()["number_of_data_nodes"])
        shards = self.shards or max(1, min(nodes, 5))
        replicas = self.replicas if self.replicas is not None else (1 if nodes > 1 else 0)
        build_id = time.strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]
        index = f"{self.alias}-gen-{build_id}"
        self.client.indices.put_index_template(name=template_name(self.alias),
                                               body=index_template(self.alias, self.k1, self.b, version, shards))
        self.client.indices.create(index=index, body=index_body(self.alias, build_id, self.k1, self.b, version, shards))
        try:
            self._send_passages(index, analysed, report, files, warn)
            if not files:
                from ...errors import CorpusError

                raise CorpusError(f"nothing to index: {report.read.summary()}")
            self._finish(index, files, roots, report, files_changed=files)
            self.client.indices.put_settings(index=index, body={"index": {
                "number_of_replicas": replicas, "refresh_interval": "1s"}})
            health = self.client.cluster.health(index=index, wait_for_status="green" if replicas else "yellow",
                                                timeout=HEALTH_TIMEOUT, request_timeout=HEALTH_SECONDS + 10,
                                                ignore=[408])  # 408: the wait timed out
            if health.get("timed_out"):
                raise ClusterError(f"{self.cluster}: the new index did not reach {'green' if replicas else 'yellow'} "
                                   f"health in {HEALTH_TIMEOUT}; the old one stays live")
            self.ensure_locked()
            self._swap(index)
        except BaseException:
            try:
                self.client.indices.delete(index=index, ignore=[404])
            except Exception:
                pass  # the next run removes it as an orphan
            raise

    def _swap(self, index: str) -> None:
        from opensearchpy import exceptions as ex

        try:
            old = sorted(self.client.indices.get_alias(name=self.alias))
        except ex.NotFoundError:
            old = []
        if self.client.indices.exists(index=self.alias) and not old:
            raise ClusterError(f"{self.cluster}: {self.alias} is an index that vnsearch did not build; choose another name")
        for o in old:
            if self._owner_meta(o).get("alias") != self.alias:
                raise ClusterError(f"{self.cluster}: the alias {self.alias} points at {o}, which vnsearch did not build")
        actions = [{"remove": {"index": o, "alias": self.alias}} for o in old]
        actions.append({"add": {"index": index, "alias": self.alias}})
        self.client.indices.update_aliases(body={"actions": actions})
        for o in old:
            self.client.indices.put_mapping(index=o, body={"_meta": {"vnsearch": {
                **self._owner_meta(o), "retired_at": time.time()}}})
        if old:
            time.sleep(RETIRE_GRACE)
            for o in old:
                self.client.indices.delete(index=o, ignore=[404])

    def _update(self, previous, files, stale_keys, analysed, report, roots, warn) -> None:
        """Change the live index in place: new passages first (a changed file's passages keep
        their ids, so they are overwritten), then whatever of the stale files was not rewritten.

        The build facts say "dirty" meanwhile: a run killed half-way makes the next one rebuild.
        """
        index, meta = previous
        facts = {k: v for k, v in meta.items() if k != "files"}
        self.client.index(index=index, id=META_IDS["meta"], body={"kind": "meta", "payload": {**facts, "dirty": True}},
                          refresh="true")
        sent = self._send_passages(index, analysed, report, files, warn, keep_ids=True)
        self.ensure_locked()
        gone = [k for k in stale_keys if not sent.get(k)]
        for i in range(0, len(gone), 500):
            self._delete(index, {"terms": {"source": gone[i:i + 500]}})
        for key in stale_keys:
            if sent.get(key):
                self._delete(index, {"bool": {"filter": [{"term": {"source": key}}],
                                              "must_not": [{"ids": {"values": sent[key]}}]}})
        gone = [k for k in meta["files"] if k not in files]
        self._send(index, (Action(file_id(k)) for k in gone), warn)
        self._expunge_deletes(index)
        changed = {k: v for k, v in files.items() if meta["files"].get(k) != v}
        self._finish(index, files, roots, report, files_changed=changed)

    def _expunge_deletes(self, index: str) -> None:
        """Merge away the passages an update deleted or overwrote, when they are over a tenth.

        They go on counting in Lucene's statistics (passages, document frequencies) until their
        segment is merged, so an update would rank apart from a fresh build; the local engine
        rewrites such segments too (local/writer.py). Each shard keeps deleted documents for
        its replicas' recovery until its retention leases pass them (synced every 30 s) and a
        flush moves its safe commit past them: so a large update waits for the leases (at most
        LEASE_WAIT_SECONDS), flushes, then merges the segments with over a tenth deleted
        (index.merge.policy.expunge_deletes_allowed). A small one leaves them to Lucene.
        The counts see only refreshed segments, and no scheduled refresh need have come since
        this run's writes (refresh_interval -1, a shard just recovered after a restart, or just
        a quick run): so it refreshes first.
        """
        self.client.indices.refresh(index=index)
        docs = self.client.indices.stats(index=index, metric="docs")["_all"]["primaries"]["docs"]
        if docs["deleted"] <= DELETED_SHARE * (docs["count"] + docs["deleted"]):
            return
        deadline = time.monotonic() + LEASE_WAIT_SECONDS
        while not self._leases_passed(index) and time.monotonic() < deadline:
            self.ensure_locked()
            time.sleep(1.0)
        self.ensure_locked()
        self.client.indices.flush(index=index, request_timeout=EXPUNGE_SECONDS)
        self.client.indices.forcemerge(index=index, only_expunge_deletes=True, request_timeout=EXPUNGE_SECONDS)

    def _leases_passed(self, index: str) -> bool:
        """Whether every shard copy's retention leases are past its last operation."""
        stats = self.client.indices.stats(index=index, metric="docs", level="shards")
        for shards in stats["indices"].values():
            for copies in shards["shards"].values():
                for copy in copies:
                    last = copy.get("seq_no", {}).get("max_seq_no", -1)
                    leases = copy.get("retention_leases", {}).get("leases", [])
                    if any(lease["retaining_seq_no"] <= last for lease in leases):
                        return False
        return True

    def _delete(self, index: str, query: dict) -> None:
        result = self.client.delete_by_query(index=index, body={"query": query}, conflicts="proceed", slices="auto",
                                             refresh=True)
        if result.get("failures"):
            raise ClusterError(f"{self.cluster}: old passages could not all be deleted "
                               f"({str(result['failures'][0])[:120]}); run again with --rebuild")

    def _finish(self, index: str, files: dict, roots: list[str], report, files_changed: dict) -> None:
        """File records, then (once passages are searchable) lexicon, catalogue and build facts."""
        self._send(index, (Action(file_id(k), {"kind": "file", "key": k, "payload": v}, k)
                           for k, v in files_changed.items()), lambda msg: None)
        self.client.indices.refresh(index=index)
        lexicon = lexicon_from(lambda field: self._terms(index, "syllables" if field == "exact" else field))
        refs = [t for t, _ in self._terms(index, "refs")]
        own = {number: sorted({h["doc_id"] for h in self._scan(index, {"term": {"doc_number": number}}, ["doc_id"])})
               for number, _ in self._terms(index, "doc_number")}
        catalogue = catalogue_from(refs, lambda ref: (h.get("cites", []) for h in self._scan(
            index, {"term": {"refs": ref}}, ["cites"])), own)
        passages = self.client.count(index=index, body={"query": {"exists": {"field": "doc_id"}}})["count"]
        report.documents = sum(f.get("documents", 0) for f in files.values())
        meta = {
            "format": FORMAT_VERSION,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "roots": roots,
            "documents": report.documents,
            "passages": passages,
            "files": len(files),
            "skipped": self.skipped,  # read but not indexed: recognised unchanged by the next run
        }
        docs = [(META_IDS["lexicon"], lexicon), (META_IDS["catalogue"], catalogue), (META_IDS["meta"], meta)]
        for _id, payload in docs:  # the build facts last: their presence says the build is whole
            self.client.index(index=index, id=_id, body={"kind": _id.split(":", 1)[1], "payload": payload})
        self.client.indices.refresh(index=index)

    def _terms(self, index: str, field: str) -> Iterator[tuple[str, int]]:
        """(term, passages with it) of a keyword field, every term, by composite aggregation."""
        after = None
        while True:
            comp = {"size": _AGG_PAGE, "sources": [{"t": {"terms": {"field": field}}}]}
            if after:
                comp["after"] = after
            result = self.client.search(index=index, body={"size": 0, "aggs": {"terms": {"composite": comp}}})
            agg = result["aggregations"]["terms"]
            for bucket in agg["buckets"]:
                yield bucket["key"]["t"], int(bucket["doc_count"])
            after = agg.get("after_key")
            if not after or len(agg["buckets"]) < _AGG_PAGE:
                return

    def _scan(self, index: str, query: dict, source, sort: str = "doc_id") -> Iterator[dict]:
        after = None
        order = [{sort: "asc"}] + ([{"seq": "asc"}] if sort == "doc_id" else [])
        while True:
            body = {"query": query, "size": 1000, "_source": source, "sort": order}
            if after:
                body["search_after"] = after
            hits = self.client.search(index=index, body=body)["hits"]["hits"]
            for h in hits:
                yield {**h["_source"], **({"key": h["_source"].get("key")} if sort == "key" else {})}
            if len(hits) < 1000:
                return
            after = hits[-1]["sort"]
