"""vnsearch: full-text search for Vietnamese documents, by passage, with and without accents.

Library first: ``Index`` searches an index, ``build_index`` makes one; the CLI is a thin layer.
"""
from .errors import VnsearchError
from .search import Hit, Index, SearchResult

__all__ = ["Index", "Hit", "SearchResult", "build_index", "VnsearchError"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # The indexer pulls in multiprocessing and the readers' machinery; a search never needs it.
    if name == "build_index":
        from .indexer import build_index

        return build_index
    raise AttributeError(f"module 'searcher' has no attribute {name!r}")
