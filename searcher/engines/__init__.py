"""The engines that store and score vnsearch's passages: the embedded index and OpenSearch.

Everything above this package (query parsing and planning, snippets, references, the CLI)
is engine-neutral; ``open_reader`` and ``open_target`` pick the engine from the index location:
a folder is the embedded whoosh index (the default, no server), an ``http(s)://`` URL a cluster.
The OpenSearch client is imported only when a URL is given.
"""
from __future__ import annotations

from pathlib import Path


def is_cluster_location(location) -> bool:
    """True when an index location names a cluster (a URL) rather than a folder."""
    return isinstance(location, str) and location.lower().startswith(("http://", "https://"))


def open_reader(location, weights, ca_bundle: str | None = None):
    """The engine's reading side for an index location (a folder or a cluster URL)."""
    if is_cluster_location(str(location)):
        from .opensearch.connection import parse_location
        from .opensearch.reader import OpenSearchReader

        return OpenSearchReader(parse_location(str(location), ca_bundle=ca_bundle))
    from .local.reader import LocalReader

    return LocalReader(Path(location), weights)


def open_target(location, ca_bundle: str | None = None, shards: int | None = None, replicas: int | None = None):
    """Where build_index writes: the local engine's folder, or a cluster's alias.

    ``shards`` and ``replicas`` apply to a cluster only (by default: a shard per node up to five,
    one replica when the cluster has more than one node).
    """
    if is_cluster_location(str(location)):
        from .opensearch.connection import parse_location
        from .opensearch.writer import OpenSearchTarget

        return OpenSearchTarget(parse_location(str(location), ca_bundle=ca_bundle), shards=shards, replicas=replicas)
    from .local.writer import LocalTarget

    return LocalTarget(Path(location))
