"""Sends documents to a cluster in bulk: streamed, chunked by bytes, retried, failures reported.

opensearch-py's ``streaming_bulk`` retries only documents refused with 429 and gives up on a
whole request that failed with 502/503/504 (a node restarting, a proxy between). Here a request
is retried with exponential back-off on any of 429/502/503/504 or a dropped connection, and
documents refused one by one (a mapping conflict, a term too long) are reported with the file
they came from while the rest go in.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

RETRY_STATUSES = frozenset({429, 502, 503, 504})
CHUNK_BYTES = 5 * 1024 * 1024  # well under http.max_content_length (100 MB), small enough to retry
CHUNK_DOCS = 2000


@dataclass
class BulkReport:
    sent: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    retries: int = 0


@dataclass(frozen=True)
class Action:
    """One bulk action: index (body given) or delete a document by _id."""

    id: str
    body: dict | None = None
    source: str = ""  # what to name in a failure report (the file)


def _lines(index: str, action: Action) -> bytes:
    if action.body is None:
        return (json.dumps({"delete": {"_index": index, "_id": action.id}}) + "\n").encode()
    head = json.dumps({"index": {"_index": index, "_id": action.id}})
    body = json.dumps(action.body, ensure_ascii=False)
    # Documents hold valid Unicode (mapping.passage_document); a stray lone surrogate becomes "?"
    # rather than bytes no JSON parser takes.
    return f"{head}\n{body}\n".encode("utf-8", "replace")


def _chunks(index: str, actions: Iterable[Action], max_bytes: int, max_docs: int) -> Iterator[list[tuple[Action, bytes]]]:
    chunk: list[tuple[Action, bytes]] = []
    size = 0
    for action in actions:
        data = _lines(index, action)
        if chunk and (size + len(data) > max_bytes or len(chunk) >= max_docs):
            yield chunk
            chunk, size = [], 0
        chunk.append((action, data))
        size += len(data)
    if chunk:
        yield chunk


def send(
    client,
    index: str,
    actions: Iterable[Action],
    report: BulkReport,
    on_chunk: Callable[[int], None] | None = None,
    max_bytes: int = CHUNK_BYTES,
    max_docs: int = CHUNK_DOCS,
    max_retries: int = 6,
    initial_backoff: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> BulkReport:
    """Index/delete every action into index; raise the last error if a chunk never gets through."""
    from opensearchpy import exceptions as ex

    for chunk in _chunks(index, actions, max_bytes, max_docs):
        pending = chunk
        for attempt in range(max_retries + 1):
            if attempt:
                report.retries += 1
                sleep(min(30.0, initial_backoff * 2 ** (attempt - 1)))
            try:
                response = client.bulk(body=b"".join(data for _, data in pending))
            except ex.TransportError as e:
                status = e.status_code if isinstance(e.status_code, int) else None
                transient = isinstance(e, (ex.ConnectionError, ex.ConnectionTimeout)) or status in RETRY_STATUSES
                if transient and attempt < max_retries:
                    continue
                raise
            retry = []
            for (action, data), item in zip(pending, response["items"]):
                result = next(iter(item.values()))
                status = result.get("status", 500)
                if status < 300 or (action.body is None and status == 404):
                    report.sent += 1
                elif status in RETRY_STATUSES and attempt < max_retries:
                    retry.append((action, data))
                else:
                    error = result.get("error") or {}
                    if isinstance(error, dict):
                        reason = error.get("reason") or error.get("type") or f"HTTP {status}"
                    else:
                        reason = str(error)
                    report.failed.append((action.source or action.id, str(reason)[:200]))
            if not retry:
                break
            pending = retry
        if on_chunk:
            on_chunk(len(chunk))
    return report
