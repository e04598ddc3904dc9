"""vnsearch: full-text search for Vietnamese documents, by passage, with and without accents.

Library first: ``Index`` searches an index, ``build_index`` makes one; the CLI is a thin layer.
"""
from .errors import VnsearchError
from .indexer import build_index
from .search import Hit, Index, SearchResult

__all__ = ["Index", "Hit", "SearchResult", "build_index", "VnsearchError"]
__version__ = "0.1.0"
