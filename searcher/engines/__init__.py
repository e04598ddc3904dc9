"""The engines that store and score vnsearch's passages: the embedded index and OpenSearch.

Everything above this package (query parsing and planning, snippets, references, the CLI)
is engine-neutral; ``open_reader`` and ``open_target`` pick the engine from the index location:
a folder is the embedded whoosh index (the default, no server), an ``http(s)://`` URL a cluster.
The OpenSearch client is imported only when a URL is given.
"""
from __future__ import annotations
