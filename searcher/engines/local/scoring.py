"""How a passage scores against the query's terms: whoosh's BM25F with a choice of idf.

whoosh's idf is ``log(N / (df + 1)) + 1``: the ``+ 1`` floor gives a term found in nearly every
passage still about a third of a rare term's weight, so a question's filler words ("quy định",
"như thế nào") can outvote its subject. Robertson's idf, ``log(1 + (N - df + 0.5) / (df + 0.5))``
(also Lucene's and bm25s's), falls towards zero for such terms instead.
"""
from __future__ import annotations

from math import log

from whoosh import scoring


class PassageBM25(scoring.BM25F):
    """BM25F whose idf is whoosh's ("whoosh") or Robertson's ("robertson")."""

    def __init__(self, idf: str = "robertson", B: float = 0.75, K1: float = 1.2, **kwargs):
        if idf not in ("whoosh", "robertson"):
            raise ValueError(f"unknown idf {idf!r}")
        super().__init__(B=B, K1=K1, **kwargs)
        self.idf_kind = idf

    def idf(self, searcher, fieldname, text):
        if self.idf_kind == "whoosh":
            return super().idf(searcher, fieldname, text)
        parent = searcher.get_parent()
        n = parent.doc_frequency(fieldname, text)
        total = parent.doc_count_all()
        return log(1 + (total - n + 0.5) / (n + 0.5))
