"""The library's entry point: open an index, search it, get ranked passages back.

    from searcher import Index
    with Index.open("index") as ix:
        for hit in ix.search("bao hiem xa hoi", limit=5):
            print(hit.rank, hit.doc_id, hit.snippet.text)

Nothing here imports pyvi or scikit-learn: query-side segmentation uses the lexicon stored
with the index.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import storage
from .errors import QueryError
from .normalize import fold
from .query import Weights, parse_query, query_terms, segment_folded, to_whoosh
from .snippets import Snippet, make_snippet


@dataclass
class Hit:
    """One ranked passage."""

    rank: int
    score: float
    doc_id: str
    title: str
    path: str
    line: int
    start: int
    end: int
    text: str
    snippet: Snippet
    page: int | None = None
    topics: list[str] = field(default_factory=list)
    query_id: str | None = None

    def to_dict(self) -> dict:
        d = {
            "rank": self.rank,
            "score": round(self.score, 4),
            "doc_id": self.doc_id,
            "title": self.title,
            "path": self.path,
            "line": self.line,
            "page": self.page,
            "start": self.start,
            "end": self.end,
            "topics": self.topics,
            "text": self.text,
            "snippet": self.snippet.text,
            "highlights": [list(h) for h in self.snippet.highlights],
        }
        if self.query_id is not None:
            d = {"query_id": self.query_id, **d}
        return d


@dataclass
class SearchResult:
    hits: list[Hit]
    suggestion: str | None = None  # an accented spelling seen in the corpus, for unaccented queries


class Index:
    """A read-only view of the current index generation in index_dir."""

    def __init__(self, index_dir: str | Path, weights: Weights | None = None):
        from whoosh.filedb.filestore import FileStorage
        from whoosh import scoring

        self.dir = Path(index_dir)
        self.generation = storage.current_generation(self.dir)
        self.meta = storage.read_meta(self.generation)
        self.weights = weights or Weights()
        self._ix = FileStorage(str(self.generation), readonly=True).open_index()
        self._searcher = self._ix.searcher(weighting=scoring.BM25F(B=0.75, K1=1.2))
        self._lexicon: dict | None = None

    @classmethod
    def open(cls, index_dir: str | Path, **kwargs) -> "Index":
        return cls(index_dir, **kwargs)

    def close(self) -> None:
        self._searcher.close()
        self._ix.close()

    def __enter__(self) -> "Index":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def lexicon(self) -> dict:
        if self._lexicon is None:
            path = self.generation / storage.LEXICON
            self._lexicon = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        return self._lexicon

    def search(self, query: str, limit: int = 10, query_id: str | None = None) -> SearchResult:
        """Rank passages for query; raises QueryError when there is nothing to search for."""
        if limit < 1:
            raise QueryError("--limit must be at least 1")
        parsed = parse_query(query)
        if not parsed.clauses:
            raise QueryError("empty query: type some words to search for")
        terms = query_terms(parsed, self.lexicon.get("words", {}), self.weights)
        wq = to_whoosh(terms)
        if wq is None:
            raise QueryError("the query only excludes words: add a word to search for")
        results = self._searcher.search(wq, limit=limit)
        hits = []
        for rank, r in enumerate(results, 1):
            f = r.fields()
            hits.append(
                Hit(
                    rank=rank,
                    score=r.score,
                    doc_id=f["doc_id"],
                    title=f.get("title", ""),
                    path=f.get("path", ""),
                    line=f.get("line", 1),
                    start=f["start"],
                    end=f["end"],
                    text=f["text"],
                    snippet=make_snippet(f["text"], terms.highlight),
                    page=f.get("page"),
                    topics=(f.get("topics") or "").split(),
                    query_id=query_id,
                )
            )
        suggestion = None
        # "Finds little" is judged on every passage that matched, not on the --limit shown.
        if not parsed.accented and len(results) < 3:
            suggestion = self.suggest(query)
        return SearchResult(hits, suggestion)

    def suggest(self, query: str) -> str | None:
        """The query spelled as the corpus usually spells it, or None when nothing changes."""
        parsed = parse_query(query)
        words = self.lexicon.get("words", {})
        syllables = self.lexicon.get("syllables", {})
        out = []
        for clause in parsed.positive:
            folded = [fold(s) for s in clause.syllables]
            segmented = set(segment_folded(folded, words))
            i = 0
            while i < len(folded):
                for n in range(min(4, len(folded) - i), 1, -1):
                    key = "_".join(folded[i:i + n])
                    if key in segmented:
                        out.append(words[key][0])
                        i += n
                        break
                else:
                    entry = syllables.get(folded[i])
                    out.append(entry[0] if entry else clause.syllables[i])
                    i += 1
        suggestion = " ".join(out)
        if fold(suggestion) == suggestion.lower() or suggestion.lower() == query.strip().lower():
            return None
        return suggestion
