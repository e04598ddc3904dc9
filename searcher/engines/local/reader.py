"""Searches the embedded whoosh index: the reading side of the local engine.

Plain-word queries are scored term at a time straight from the posting lists (accumulate.py);
required phrases and a topic first narrow the passages scored (whoosh finds phrases from
positions), exclusions are dropped after scoring.
"""
from __future__ import annotations

from pathlib import Path

from ... import storage
from ..base import Features

FEATURES = Features(name="local", explain=True, disk_size=True, shared=False)


class LocalReader:
    features = FEATURES

    def __init__(self, index_dir: Path, weights):
        from whoosh.filedb.filestore import FileStorage

        from ...accumulate import Accumulator
        from ...scoring import PassageBM25

        self.dir = Path(index_dir)
        self.location = str(self.dir)
        self.generation = storage.current_generation(self.dir)
        self.meta = storage.read_meta(self.generation)
        self._ix = FileStorage(str(self.generation), readonly=True).open_index()
        self._searcher = self._ix.searcher(weighting=PassageBM25(weights.idf, B=weights.b, K1=weights.k1))
        self._accumulator = Accumulator(self._searcher, B=weights.b, K1=weights.k1)
        self.lexicon = storage.read_json(self.generation / storage.LEXICON)
        self.catalogue = storage.read_json(self.generation / storage.REFS)

    def doc_count(self) -> int:
        return self._searcher.reader().doc_count()

    def doc_frequencies(self, keys: list[tuple[str, str]]) -> list[int]:
        reader = self._searcher.reader()
        return [reader.doc_frequency(f, t) for f, t in keys]

    def rank(self, should, phrases, excluded, topic, limit):
        from whoosh import query as wq

        from ...accumulate import top

        within = None
        narrowing = [wq.Phrase("folded", p) for p in phrases]
        if topic:
            narrowing.append(wq.Term("topics", topic))
        for q in narrowing:
            docs = set(self._searcher.docs_for_query(q))
            within = docs if within is None else within & docs
        if not excluded:
            return self._accumulator.top(should, limit, within)
        scores = self._accumulator.scores(should, within)
        for ex in excluded:
            q = wq.Phrase("folded", ex) if len(ex) > 1 else wq.Term("folded", ex[0])
            for d in self._searcher.docs_for_query(q):
                scores.pop(d, None)
        return top(scores, limit), len(scores)

    def stored(self, key) -> dict:
        return self._searcher.stored_fields(key)

    def citing(self, ref_id: str):
        from whoosh import query as wq

        return [r.fields() for r in self._searcher.search(wq.Term("refs", ref_id), limit=None)]

    def explain(self, should, key) -> list[tuple[str, str, float]]:
        from whoosh import query as wq

        parts = []
        for fieldname, text, weight in should:
            matcher = wq.Term(fieldname, text, boost=weight).matcher(self._searcher)
            if matcher.is_active():
                matcher.skip_to(key)
                if matcher.is_active() and matcher.id() == key:
                    parts.append((fieldname, text, matcher.score()))
        return sorted(parts, key=lambda p: -p[2])

    def engine_stats(self) -> dict:
        reader = self._searcher.reader()
        return {
            "distinct_terms": sum(1 for _ in reader.iter_field("folded")),
            "size_bytes": sum(f.stat().st_size for f in self.generation.iterdir() if f.is_file()),
        }

    def close(self) -> None:
        self._searcher.close()
        self._ix.close()
