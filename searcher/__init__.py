"""vnsearch: full-text search for Vietnamese documents, by passage, with and without accents.

Library first: ``Index`` searches an index, ``build_index`` makes one; the CLI is a thin layer.
"""
from .errors import VnsearchError

__all__ = ["Index", "Hit", "SearchResult", "build_index", "VnsearchError"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # Imported when first asked for: the command's entry point (entry.py) must load fast enough
    # to handle Ctrl-C before anything heavy; and the indexer pulls in multiprocessing and the
    # readers' machinery, which a search never needs.
    if name in ("Hit", "Index", "SearchResult"):
        from . import search

        return getattr(search, name)
    if name == "build_index":
        from .indexer import build_index

        return build_index
    raise AttributeError(f"module 'searcher' has no attribute {name!r}")
