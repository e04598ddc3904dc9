"""Builds a passage index from files: read, split, analyse (on every core), write, publish.

Analysis runs in worker processes (pyvi is the slow part) and hands whoosh finished term
strings. The new index is written into a fresh generation folder and published only when
complete, so searches keep answering from the previous index while this runs.
"""
from __future__ import annotations

import os
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import storage
from .analysis import analyze
from .corpus import Document, ReadReport, Warn, file_hash, find_files, read_bytes, read_documents
from .errors import CorpusError
from .normalize import repair
from .passages import split_passages
from .refs import citation_details, find_citations
from .topics import tag_topics
from .vocabulary import find_definitions
from .schema import FORMAT_VERSION, build_schema

# Below this much text, starting worker processes (each loading pyvi) costs more than it saves.
PARALLEL_MIN_CHARS = 400_000

Progress = Callable[[int, int], None]  # (passages done, documents done)


@dataclass
class DocAnalysis:
    """Everything the index needs from one document, computed in a worker."""

    records: list[dict]
    words: Counter  # (folded word, surface) -> count, for the query-side lexicon
    syllables: Counter  # (folded, exact) -> count, for "did you mean"
    refs: dict  # ref id -> catalogue entry (see merge_refs)
    abbreviations: dict  # abbreviations the text defines: {"ntm": "nong thon moi"}


@dataclass
class BuildReport:
    read: ReadReport
    passages: int = 0
    seconds: float = 0.0
    index_dir: Path | None = None
    warnings: list[str] = field(default_factory=list)


def analyze_document(doc: Document) -> DocAnalysis:
    """Split a document into passages and analyse each one into index fields."""
    records = []
    words: Counter = Counter()
    syllables: Counter = Counter()
    refs: dict = {}
    # Dates and subjects may sit past a passage boundary, so they are read on the whole text.
    whole = repair(doc.text)
    doc_citations = [(c, citation_details(whole, c)) for c in find_citations(whole)]
    title_analysis = analyze(doc.title, segment=False)
    title_terms = f"{title_analysis.folded} {title_analysis.bigrams}".strip()
    for seq, passage in enumerate(split_passages(doc.text)):
        text = repair(doc.text[passage.start:passage.end])
        a = analyze(text)
        if not a.folded:
            continue
        for folded_word, surface in a.word_list:
            words[(folded_word, surface.lower())] += 1
        for f, e in zip(a.folded.split(), a.exact.split()):
            syllables[(f, e)] += 1
        cites = []
        for c in find_citations(text):
            details = _nearest_details(doc_citations, c.ref_id, passage.start + c.start)
            cites.append([c.ref_id, c.start, c.end, details.date if details else None])
            entry = refs.setdefault(
                c.ref_id,
                {"type": c.type_code, "type_name": c.type_name, "number": c.number, "year": c.year,
                 "issuer": c.issuer, "count": 0, "subjects": Counter(), "dates": Counter()},
            )
            entry["count"] += 1
            if details and details.subject:
                entry["subjects"][details.subject] += 1
            if details and details.date:
                entry["dates"][details.date] += 1
        records.append(
            dict(
                doc_id=doc.doc_id,
                title=doc.title,
                path=doc.path,
                text=text,
                start=passage.start,
                end=passage.end,
                line=doc.line if doc.line is not None else passage.line,
                page=None,
                seq=seq,
                folded=a.folded,
                exact=a.exact,
                bigrams=a.bigrams,
                words=a.words,
                title_terms=title_terms,
                refs=" ".join(dict.fromkeys(c[0] for c in cites)),
                topics=" ".join(tag_topics(a.exact.split(), {refs[c[0]]["type"] for c in cites})),
                cites=cites,
            )
        )
    return DocAnalysis(records, words, syllables, refs, find_definitions(whole))


def _nearest_details(doc_citations, ref_id: str, position: int):
    """Details of the whole-text citation of ref_id nearest to position (repair shifts offsets a little)."""
    same = [(abs(c.start - position), d) for c, d in doc_citations if c.ref_id == ref_id]
    return min(same, key=lambda x: x[0])[1] if same else None


def merge_refs(catalogue: dict, refs: dict) -> None:
    """Add one document's citations to the corpus-wide catalogue of cited documents."""
    for ref_id, entry in refs.items():
        into = catalogue.setdefault(ref_id, {**entry, "count": 0, "subjects": Counter(), "dates": Counter()})
        into["count"] += entry["count"]
        into["subjects"].update(entry["subjects"])
        into["dates"].update(entry["dates"])


def finish_catalogue(catalogue: dict) -> dict:
    """The stored form: the usual subject (most cited, then first seen) and every date seen."""
    out = {}
    for ref_id, entry in catalogue.items():
        subjects = sorted(entry["subjects"].items(), key=lambda kv: -kv[1])
        out[ref_id] = {
            **{k: v for k, v in entry.items() if k not in ("subjects", "dates")},
            "subject": subjects[0][0] if subjects else None,
            "dates": sorted(entry["dates"]),
        }
    return out


def _analyses(docs: list[Document]) -> Iterator[DocAnalysis]:
    total_chars = sum(len(d.text) for d in docs)
    workers = os.cpu_count() or 1
    if workers < 2 or total_chars < PARALLEL_MIN_CHARS:
        yield from map(analyze_document, docs)
        return
    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
        yield from pool.map(analyze_document, docs, chunksize=8)


def build_lexicon(words: Counter, syllables: Counter, abbreviations: dict) -> dict:
    """The query-side lexicon: multi-syllable words and each folded syllable's usual spelling."""
    word_counts: dict[str, Counter] = defaultdict(Counter)
    for (folded, surface), n in words.items():
        word_counts[folded][surface] += n
    syllable_counts: dict[str, Counter] = defaultdict(Counter)
    for (folded, exact), n in syllables.items():
        syllable_counts[folded][exact] += n
    return {
        "words": {w: [c.most_common(1)[0][0], sum(c.values())] for w, c in word_counts.items()},
        "syllables": {s: [c.most_common(1)[0][0], sum(c.values())] for s, c in syllable_counts.items()},
        "abbreviations": abbreviations,
    }


def build_index(
    paths: Iterable[str | Path],
    index_dir: str | Path,
    warn: Warn = lambda msg: None,
    progress: Progress | None = None,
) -> BuildReport:
    """Index every supported file under paths into index_dir, replacing its index atomically."""
    from whoosh import index as whoosh_index

    started = time.perf_counter()
    index_dir = Path(index_dir)
    report = BuildReport(ReadReport(), index_dir=index_dir)
    read = report.read
    sources = find_files(paths, read, warn)
    docs: list[Document] = []
    hashes: dict[str, str] = {}
    for source in sources:
        data = read_bytes(source, read, warn)
        if data is None:
            continue
        found = read_documents(source, data, read, warn)
        if found:
            docs.extend(found)
            hashes[str(source.path)] = file_hash(data)
    if not docs:
        raise CorpusError(f"nothing to index: {read.summary()}")

    with storage.write_lock(index_dir):
        gen = storage.new_generation(index_dir)
        try:
            ix = whoosh_index.create_in(str(gen), build_schema())
            writer = ix.writer(limitmb=256)
            words: Counter = Counter()
            syllables: Counter = Counter()
            catalogue: dict = {}
            abbreviations: dict = {}
            done_docs = 0
            try:
                for analysis in _analyses(docs):
                    for record in analysis.records:
                        writer.add_document(source=record["path"], **record)
                    report.passages += len(analysis.records)
                    words.update(analysis.words)
                    syllables.update(analysis.syllables)
                    merge_refs(catalogue, analysis.refs)
                    abbreviations.update(analysis.abbreviations)
                    done_docs += 1
                    if progress:
                        progress(report.passages, done_docs)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            ix.close()
            storage.write_json_atomic(gen / storage.LEXICON, build_lexicon(words, syllables, abbreviations))
            storage.write_json_atomic(gen / storage.REFS, finish_catalogue(catalogue))
            storage.write_json_atomic(
                gen / storage.META,
                {
                    "format": FORMAT_VERSION,
                    "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "documents": len(docs),
                    "passages": report.passages,
                    "files": hashes,
                },
            )
            storage.publish(index_dir, gen)
        except BaseException:
            import shutil

            shutil.rmtree(gen, ignore_errors=True)
            raise
    report.seconds = time.perf_counter() - started
    return report
