"""Bulk sending: chunks by bytes, retries on overload and gateway errors, per-document failures."""
import json

import pytest

pytest.importorskip("opensearchpy")
from opensearchpy import exceptions as ex  # noqa: E402

from searcher.engines.opensearch.bulk import Action, BulkReport, send  # noqa: E402


class FlakyCluster:
    """Answers bulk requests from a script of outcomes: an exception, or per-item statuses."""

    def __init__(self, script):
        self.script = list(script)
        self.requests = []

    def bulk(self, body):
        lines = body.decode().splitlines()
        ids = [next(iter(json.loads(l).values()))["_id"] for l in lines if '"_index"' in l]
        self.requests.append(ids)
        outcome = self.script.pop(0) if self.script else None
        if isinstance(outcome, Exception):
            raise outcome
        statuses = outcome or {}
        items = []
        for i in ids:
            status = statuses.get(i, 201)
            item = {"_id": i, "status": status}
            if status >= 300:
                item["error"] = {"type": "mapper_parsing_exception", "reason": f"bad field in {i}"}
            items.append({"index": item})
        return {"errors": any(s >= 300 for s in statuses.values()), "items": items}


def actions(n):
    return [Action(f"d{i}", {"text": "bảo hiểm " * 10}, f"file{i}.txt") for i in range(n)]


def test_chunks_are_bounded_by_bytes_and_count():
    cluster = FlakyCluster([])
    send(cluster, "ix", actions(10), BulkReport(), max_bytes=400, max_docs=100, sleep=lambda s: None)
    assert all(1 <= len(r) <= 3 for r in cluster.requests)
    assert sum(len(r) for r in cluster.requests) == 10
    cluster = FlakyCluster([])
    send(cluster, "ix", actions(10), BulkReport(), max_docs=4, sleep=lambda s: None)
    assert [len(r) for r in cluster.requests] == [4, 4, 2]


@pytest.mark.parametrize("error", [ex.TransportError(502, "bad gateway"), ex.TransportError(503, "unavailable"),
                                   ex.TransportError(504, "timeout"), ex.TransportError(429, "busy"),
                                   ex.ConnectionError("N/A", "connection refused", None)])
def test_whole_requests_are_retried_on_transient_errors(error):
    cluster = FlakyCluster([error, error])
    waits = []
    report = send(cluster, "ix", actions(3), BulkReport(), sleep=waits.append)
    assert report.sent == 3 and report.retries == 2 and report.failed == []
    assert waits == [0.5, 1.0]  # exponential back-off


def test_rejected_documents_are_retried_alone_and_bad_ones_reported():
    cluster = FlakyCluster([{"d1": 429, "d2": 400}, {}])
    report = send(cluster, "ix", actions(3), BulkReport(), sleep=lambda s: None)
    assert cluster.requests == [["d0", "d1", "d2"], ["d1"]]
    assert report.sent == 2
    assert report.failed == [("file2.txt", "bad field in d2")]


def test_a_permanent_error_is_raised_after_the_retries():
    cluster = FlakyCluster([ex.TransportError(503, "unavailable")] * 10)
    with pytest.raises(ex.TransportError):
        send(cluster, "ix", actions(1), BulkReport(), max_retries=2, sleep=lambda s: None)
    assert len(cluster.requests) == 3


def test_a_client_error_is_not_retried():
    cluster = FlakyCluster([ex.RequestError(400, "illegal_argument_exception")])
    with pytest.raises(ex.RequestError):
        send(cluster, "ix", actions(1), BulkReport(), sleep=lambda s: None)
    assert len(cluster.requests) == 1
