"""The library's entry point: open an index, search it, get ranked passages back.

    from searcher import Index
    with Index.open("index") as ix:
        for hit in ix.search("bao hiem xa hoi", limit=5):
            print(hit.rank, hit.doc_id, hit.snippet.text)

Nothing here imports pyvi or scikit-learn: query-side segmentation uses the lexicon stored
with the index.
"""
from __future__ import annotations

import os
from functools import cached_property
from math import log
from pathlib import Path

from .analysis import MAX_TOKEN_CHARS, tokenize
from .definitions import defined_subject, defines
from .engines.base import Filters
from .errors import QueryError
from .names import is_utf8, name_key, raw_bytes, shown
from .normalize import fold, has_diacritics
from .query import QueryTerms, Weights, parse_query, query_terms, segment_folded
from .questions import without_yes_no
from .readings import Reading, accented_readings, read_query, syllable_forms
from .records import field, record, replace
from .refs import RefQuery, parse_ref_query, query_mentions
from .snippets import Snippet, make_snippet, span_snippet
from .spelling import match_fold
from .topics import TOPICS
from .vocabulary import STOP_WORDS, Abbreviations

LONG_QUERY_WORDS = 12  # from this many syllables on, a query is a question: very common terms are pruned
REF_BOOST = 8.0  # a passage citing the document a query names outranks one sharing words
OWN_NUMBER_BOOST = 2 * REF_BOOST  # ... and the document itself, what the number names, comes first
SORT_POOL = 1000  # --sort date orders at most this many passages, the most relevant of those matched
SORTS = ("relevance", "date")


@record
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
    page: int | None = None
    date: str | None = None  # the document's date (its heading's, or a web page's), ISO
    section: str | None = None  # "Chương II, Điều 12, khoản 2" in legal text (see sections.py)
    topics: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)  # documents the passage cites
    number: str | None = None  # the document's own number, type and issuer (identity.py)
    doc_type: str | None = None
    issuer: str | None = None
    query_id: str | None = None
    seq: int | None = None  # the passage's number within its document (0 for the first)
    terms: frozenset = field(default=frozenset(), repr=False)  # folded query syllables to highlight
    explanation: list[tuple[str, str, float]] | None = None  # (field, term, score) with --explain

    @cached_property
    def snippet(self) -> Snippet:
        # Made on demand: batch runs that only need ids never pay for snippets.
        return make_snippet(self.text, self.terms)

    def to_dict(self) -> dict:
        d = {
            "rank": self.rank,
            "score": round(self.score, 4),
            "doc_id": self.doc_id,
            "title": self.title,
            "path": self.path,
            "line": self.line,
            "page": self.page,
            "date": self.date,
            "section": self.section,
            "number": self.number,
            "doc_type": self.doc_type,
            "issuer": self.issuer,
            "start": self.start,
            "end": self.end,
            "topics": self.topics,
            "refs": self.refs,
            "text": self.text,
            "snippet": self.snippet.text,
            "highlights": [list(h) for h in self.snippet.highlights],
        }
        d = exported_names(d)
        if self.query_id is not None:
            d = {"query_id": self.query_id, **d}
        if self.explanation is not None:
            d["explain"] = [{"field": f, "term": t, "score": round(v, 4)} for f, t, v in self.explanation]
        return d


@record
class SearchResult:
    hits: list[Hit]
    suggestion: str | None = None  # an accented spelling seen in the corpus, for unaccented queries
    notice: str | None = None  # how the query was read differently from how it was written
    understood: str | None = None  # the query as searched, when a token was read (Telex, run-together, typo)
    accents: dict[str, list[str]] = field(default_factory=dict)  # QueryTerms.accents: typed → exact forms
    undated_left_out: int | None = None  # with a date filter: passages of undated documents it left out


def best_per_document(hits: list[Hit]) -> list[Hit]:
    """The first (best ranked) hit of each document, in rank order, ranked again from 1."""
    seen, out = set(), []
    for hit in hits:
        if hit.doc_id not in seen:
            seen.add(hit.doc_id)
            out.append(replace(hit, rank=len(out) + 1))
    return out


def _phrase_fallback_notice(parsed, missing: list[list[str]]) -> str:
    """One line telling which quoted phrases matched nothing, as the user wrote them."""
    written = {}
    for clause in parsed.positive:
        if clause.phrase:
            written.setdefault(tuple(match_fold(s) for s in clause.syllables), " ".join(clause.syllables))
    quoted = [f'"{written.get(tuple(p), " ".join(p))}"' for p in missing]
    if len(quoted) == 1:
        return f"no passage has the phrase {quoted[0]}; searching its words instead"
    return f"no passage has the phrases {', '.join(quoted[:-1])} or {quoted[-1]}; searching their words instead"


@record
class Citation:
    """One citation of a document in a passage, for ``vnsearch ref``."""

    ref_id: str
    doc_id: str
    title: str
    path: str
    line: int  # the line of the citation itself
    start: int  # the passage's span in the source document
    end: int
    cite: tuple[int, int]  # the citation's span within text
    text: str
    snippet: Snippet
    date: str | None = None
    page: int | None = None
    is_self: bool = False  # the document itself (its heading has this number), not a citation of it
    section: str | None = None  # of the citing passage

    def to_dict(self, info: dict) -> dict:
        return exported_names({
            "ref_id": self.ref_id,
            "self": self.is_self,
            "type": info.get("type"),
            "type_name": info.get("type_name"),
            "number": info.get("number"),
            "year": info.get("year"),
            "issuer": info.get("issuer"),
            "subject": info.get("subject"),
            "date": self.date,
            "doc_id": self.doc_id,
            "title": self.title,
            "path": self.path,
            "line": self.line,
            "page": self.page,
            "section": self.section,
            "start": self.start,
            "end": self.end,
            "cite": list(self.cite),
            "text": self.text,
            "snippet": self.snippet.text,
            "highlights": [list(h) for h in self.snippet.highlights],
        })


def exported_names(d: dict) -> dict:
    r"""d with its doc_id and path as valid UTF-8: a name that is not UTF-8 shows its bad bytes
    as ``\xff`` and gets ``doc_id_bytes`` / ``path_bytes`` (its bytes in base64) beside it."""
    if is_utf8(d["doc_id"]) and is_utf8(d["path"]):
        return d
    out = {}
    for key, value in d.items():
        if key in ("doc_id", "path") and not is_utf8(value):
            out[key] = shown(value)
            out[key + "_bytes"] = raw_bytes(value)
        else:
            out[key] = value
    return out


@record
class RefGroup:
    """Every citation of one document id, with what the corpus says about that document."""

    ref_id: str
    info: dict
    citations: list[Citation]  # the documents themselves (is_self) first, when in the corpus

    @property
    def cited(self) -> list[Citation]:
        return [c for c in self.citations if not c.is_self]


def _period(text: str, name: str):
    from .dates import period  # (only a search with a date filter needs dates and calendar)

    found = period(text)
    if found is None:
        raise QueryError(f"--{name} {text.strip()!r} is not a date (give 2022, 2022-12, 2022-12-02 or 2/12/2022)")
    return found


def _descending(day: str) -> tuple:
    """A sort key that puts later ISO days first."""
    return tuple(-ord(ch) for ch in day)


class Index:
    """A read-only view of an index: a folder (the embedded engine) or a cluster URL (OpenSearch).

    The query is parsed and planned here, once, the same for every engine; the engine opened
    for the location (see engines/) only answers the plan's questions. Everything a search
    reads is loaded at open (meta, lexicon, references), so an open Index keeps answering from
    the build it opened while others are published.
    """

    def __init__(self, location: str | Path, weights: Weights | None = None, ca_bundle: str | None = None):
        from .engines import open_reader

        self.weights = weights or Weights()
        self.backend = open_reader(location, self.weights, ca_bundle=ca_bundle)
        self.features = self.backend.features
        self.meta = self.backend.meta
        self._forms: dict | None = None  # accented forms of each syllable, for suggestions()

    @classmethod
    def open(cls, location: str | Path, **kwargs) -> "Index":
        return cls(location, **kwargs)

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> "Index":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def location(self) -> str:
        """Where the index is, as shown to users (a cluster URL without its password)."""
        return self.backend.location

    @property
    def stale(self) -> bool:
        """True once a newer build has been published: this Index still answers from its own."""
        return bool(getattr(self.backend, "stale", False))

    @property
    def lexicon(self) -> dict:
        return self.backend.lexicon

    @cached_property
    def abbreviations(self) -> Abbreviations:
        return Abbreviations(self.lexicon.get("abbreviations"))

    @property
    def catalogue(self) -> dict:
        """ref id -> {type, type_name, number, year, issuer, subject, dates, count}."""
        return self.backend.catalogue

    def resolve_refs(self, ref_query: RefQuery) -> list[str]:
        """Ids in the catalogue that fit what the user typed, in id order."""
        return sorted(r for r, info in self.catalogue.items() if ref_query.matches(info))

    def references(self, query: str) -> list[RefGroup]:
        """Every passage citing the document(s) the query names, grouped by id, in document order;
        each group starts with the document itself (the first passage of each document in the
        corpus whose heading gives that number)."""
        ref_query = parse_ref_query(query)
        if ref_query.number is None:
            raise QueryError(f"{query.strip()!r} names no document number (try: 19-CT/TW, chi thi 19)")
        groups = []
        for ref_id in self.resolve_refs(ref_query):
            citations = []
            for f in self.backend.citing(ref_id):
                for cid, a, b, date, _subject in f.get("cites", []):
                    if cid != ref_id:
                        continue
                    citations.append(
                        (f["doc_id"], f["seq"], a, Citation(
                            ref_id, f["doc_id"], f.get("title", ""), f.get("path", ""),
                            f.get("line", 1) + f["text"].count("\n", 0, a), f["start"], f["end"],
                            (a, b), f["text"], span_snippet(f["text"], a, b), date, f.get("page"),
                            section=f.get("section"),
                        ))
                    )
            citations.sort(key=lambda c: c[:3])
            groups.append(RefGroup(ref_id, self.catalogue[ref_id], self._selves(ref_id) + [c[3] for c in citations]))
        return groups

    def filters(
        self, since: str | None = None, until: str | None = None, doc_type: str | None = None,
        issuer: str | None = None, cites: str | None = None, within: str | None = None,
    ) -> Filters:
        """The engine filters for what a user typed; QueryError names the first that makes no sense.

        ``since`` and ``until`` name periods (``2022``, ``2022-12``, ``2022-12-02``, ``2/12/2022``):
        since keeps documents dated from the first day of its period, until to the last day of
        its. ``doc_type`` and ``issuer`` are the document's own (``CT``, ``chỉ thị``; ``TU``,
        ``UBND``); ``cites`` a document number in any written form; ``within`` a doc id or path.
        """
        from .refs import TYPE_NAMES, document_type

        first = last = None
        if since is not None:
            first = _period(since, "since")[0]
        if until is not None:
            last = _period(until, "until")[1]
        if first and last and first > last:
            raise QueryError(f"--since {since.strip()} is after --until {until.strip()}")
        code = None
        if doc_type is not None:
            code = document_type(doc_type)
            if code is None:
                raise QueryError(f"unknown document type {doc_type!r} (choose from: {', '.join(TYPE_NAMES)})")
        codes: tuple[str, ...] = ()
        if issuer is not None:
            from .identity import issuer_codes  # (its tables load only for --issuer)

            codes = tuple(issuer_codes(issuer))
            if not codes:
                raise QueryError(f"{issuer!r} names no issuer (try: TU, TW, UBND, CP)")
        cited: tuple[str, ...] = ()
        if cites is not None:
            ref_query = parse_ref_query(cites)
            if ref_query.number is None:
                raise QueryError(f"{cites.strip()!r} names no document number (try: 19-CT/TW, chi thi 19)")
            cited = tuple(r for r in self.resolve_refs(ref_query) if self.catalogue[r].get("count"))
            if not cited:
                cited = ("",)  # nothing cites it: no passage can match
        keys: tuple[str, ...] = ()
        if within is not None:
            if not within.strip():
                raise QueryError("--in needs a document id or path")
            forms = {within}
            try:  # the path as indexed may be relative, absolute, or through a link
                forms |= {os.path.normpath(within), os.path.abspath(within), os.path.realpath(within)}
                forms |= {os.path.relpath(f) for f in set(forms) if os.path.isabs(f)}
            except (ValueError, OSError):  # a NUL byte, a path the system refuses: only the id
                pass
            keys = tuple(sorted(name_key(f) for f in forms))
            if not any(self.backend.doc_frequencies([(f, k) for k in keys for f in ("doc_id", "source")])):
                raise QueryError(f"--in {within.strip()!r}: no such document in the index "
                                 "(give its path as indexed, or its id)")
        return Filters(since=first and first.isoformat(), until=last and last.isoformat(),
                       doc_type=code, issuer=codes, cites=cited, within=keys)

    def _selves(self, ref_id: str) -> list[Citation]:
        """The first passage of each document whose own number is ref_id, as a self record."""
        from .refs import find_citations

        out, seen = [], set()
        for f in self.backend.numbered(ref_id):
            if f["doc_id"] in seen:
                continue
            seen.add(f["doc_id"])
            text = f["text"]
            a, b = next(((c.start, c.end) for c in find_citations(text) if c.ref_id == ref_id), (0, 0))
            out.append(Citation(ref_id, f["doc_id"], f.get("title", ""), f.get("path", ""),
                                f.get("line", 1) + text.count("\n", 0, a), f["start"], f["end"], (a, b), text,
                                span_snippet(text, a, b) if b else make_snippet(text, frozenset()),
                                f.get("date"), f.get("page"), is_self=True, section=f.get("section")))
        return out

    def search(
        self, query: str | None, limit: int = 10, query_id: str | None = None, topic: str | None = None,
        explain: bool = False, *, since: str | None = None, until: str | None = None,
        doc_type: str | None = None, issuer: str | None = None, cites: str | None = None,
        within: str | None = None, sort: str = "relevance",
    ) -> SearchResult:
        """Rank passages for query; raises QueryError when there is nothing to search for.

        ``topic`` keeps only passages tagged with it (see topics.py); ``explain`` records, for
        each hit, the score every query term contributed in every field. The filters (see
        :meth:`filters`) keep passages by what their document is; with ``cites`` the query may be
        empty (every passage citing it). ``sort="date"`` puts the newest documents first (score
        breaks ties), among the passages that match every content word of the query (or, when
        none does, among the best ``limit``): never among everything sharing one word with it.
        """
        if limit < 1:
            raise QueryError("--limit must be at least 1")
        if topic is not None and topic not in TOPICS:
            raise QueryError(f"unknown topic {topic!r} (choose from: {', '.join(TOPICS)})")
        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r} (choose from: {', '.join(SORTS)})")
        filters = self.filters(since, until, doc_type, issuer, cites, within)
        query = without_yes_no(query or "")
        understood = self.read(query).understood if query.strip() else None
        typed, query = query, understood or query
        parsed = parse_query(query)
        if not parsed.clauses and (cites is None or query.strip()):
            too_long = [t.text for t in tokenize(query) if len(t.text) > MAX_TOKEN_CHARS and t.text[0].isalnum()]
            if too_long:  # (a hash, a run of glued words: no passage holds it, a plain miss)
                word = too_long[0]
                return SearchResult([], notice=f"{word[:16]}…{word[-4:]} is longer than any word the index holds "
                                               f"({MAX_TOKEN_CHARS} characters)")
            raise QueryError("empty query: type some words to search for")
        syllables = sum(len(c.syllables) for c in parsed.clauses if not c.negated)
        long_query = syllables >= LONG_QUERY_WORDS
        terms = query_terms(parsed, self.lexicon.get("words", {}), self.weights, self.abbreviations,
                            long_question=long_query, exact_forms=self.lexicon.get("exact_forms"))
        searched_words = bool(terms.should)
        # (The frame's words may be ones the corpus lacks, and read as others: then as typed.)
        subject = defined_subject(query) or (defined_subject(typed) if typed != query else None)
        if subject:  # ("BHXH là gì?" is answered by "Bảo hiểm xã hội là ...")
            terms.defined = [subject, *filter(None, [self.abbreviations.expand.get(subject)])]
        dfs: dict = {}  # (field, term) -> passages having it, asked of the engine once per search
        terms.should = self._prune(terms.should, long_query=long_query, dfs=dfs)
        for mention in query_mentions(query):
            for ref_id in self.resolve_refs(mention):
                terms.should += [("refs", ref_id, REF_BOOST), ("doc_number", ref_id, OWN_NUMBER_BOOST)]
        if not parsed.clauses:  # only --cites: every passage citing the document
            terms.should = [("refs", r, 1.0) for r in filters.cites if r]
            if not terms.should:
                return SearchResult([])
        elif not terms.should:  # (a phrase's syllables are among them: no terms, no match)
            if not searched_words:
                raise QueryError("the query only excludes words: add a word to search for")
            # Every word was pruned because no passage has it: a plain miss, not a bad query.
            suggestion = None if parsed.accented else self.suggest(query)
            return SearchResult([], suggestion, understood=understood)
        ranked, found, boosts = self._rank(terms, topic, limit, filters, parsed, sort, dfs)
        notice = None
        if not ranked and terms.phrases:
            # A quoted phrase no passage has (a typo, a paraphrase) would leave the whole query
            # unanswered: its words are searched instead, and the user is told.
            missing = [p for p in terms.phrases if not self._has_phrase(p)]
            if missing:
                terms.phrases = [p for p in terms.phrases if p not in missing]
                notice = _phrase_fallback_notice(parsed, missing)
                ranked, found, boosts = self._rank(terms, topic, limit, filters, parsed, sort, dfs)
        highlight = frozenset(terms.highlight)
        hits = []
        for rank, (key, score) in enumerate(ranked, 1):
            f = self.backend.stored(key)
            hits.append(
                Hit(
                    rank=rank,
                    score=score,
                    doc_id=f["doc_id"],
                    title=f.get("title", ""),
                    path=f.get("path", ""),
                    line=f.get("line", 1),
                    start=f["start"],
                    end=f["end"],
                    text=f["text"],
                    page=f.get("page"),
                    date=f.get("date"),
                    section=f.get("section"),
                    topics=(f.get("topics") or "").split(),
                    refs=(f.get("refs") or "").split(),
                    number=f.get("doc_number"),
                    doc_type=f.get("doc_type"),
                    issuer=((f.get("doc_issuer") or "").split() or [None])[0],
                    query_id=query_id,
                    seq=f.get("seq"),
                    terms=highlight,
                    explanation=self._explain(terms.should, key, score, boosts) if explain else None,
                )
            )
        suggestion = None
        # "Finds little" is judged on every passage that matched, not on the --limit shown.
        if not parsed.accented and found < 3 and parsed.clauses:
            suggestion = self.suggest(query)
        return SearchResult(hits, suggestion, notice, understood, terms.accents,
                            self._undated(terms, topic, filters))

    def _rank(self, terms: QueryTerms, topic, limit: int, filters: Filters, parsed, sort: str, dfs: dict):
        """The engine's ranking (its best passages reordered, see :meth:`_covered`); with sort
        "date", the passages relevance would return, newest first. Returns the ranked (key, score)
        pairs, how many matched and the factors the reordering gave each key."""
        if sort != "date":
            return self._covered(terms, topic, limit, filters, dfs)
        content = [match_fold(s) for c in parsed.positive if not c.phrase for s in c.syllables]
        content = list(dict.fromkeys(s for s in content if s not in STOP_WORDS)) or list(dict.fromkeys(content))
        every = replace(terms, required=terms.required + [
            [[s]] + ([self.abbreviations.expand[s].split()] if s in self.abbreviations.expand else [])
            for s in content])
        ranked, found = self.backend.rank(every, topic, SORT_POOL, filters)
        if not ranked:  # no passage has every content word: the best of those that matched
            ranked, found = self.backend.rank(terms, topic, limit, filters)
        dated = [(key, score, self.backend.stored(key).get("date") or "") for key, score in ranked]
        # Newest first, then by score; undated documents last. (The sort is stable: equal
        # dates and scores keep the engine's order.)
        dated.sort(key=lambda x: (x[2] == "", _descending(x[2]), -x[1]))
        return [(key, score) for key, score, _ in dated[:limit]], found, {}

    def _undated(self, terms: QueryTerms, topic, filters: Filters) -> int | None:
        """With a date filter: how many passages it left out because their document has no date."""
        if not (filters.since or filters.until):
            return None
        return self.backend.count(terms, topic, replace(filters, since=None, until=None, undated=True))

    def read(self, query: str) -> Reading:
        """The query with the tokens the corpus lacks read as the user meant them (readings.py)."""
        return read_query(
            query, self.lexicon.get("syllables", {}), self.lexicon.get("words", {}), self.abbreviations,
            lambda exact: self.backend.doc_frequencies([("exact", e) for e in exact]),
        )

    def search_documents(self, query: str | None, limit: int = 10, query_id: str | None = None,
                         topic: str | None = None, **options) -> SearchResult:
        """The best ``limit`` documents for query: each one's best passage, ranks renumbered 1..n.
        ``options`` are :meth:`search`'s filters and sort.

        Passages are fetched until ``limit`` distinct documents are found or none are left, so a
        document with many good passages does not crowd the others out of the list.
        """
        if limit < 1:
            raise QueryError("--limit must be at least 1")
        wanted = limit
        while True:
            result = self.search(query, limit=wanted, query_id=query_id, topic=topic, **options)
            best = best_per_document(result.hits)
            if len(best) >= limit or len(result.hits) < wanted:
                result.hits = best[:limit]
                return result
            wanted *= 4

    def _covered(self, terms: QueryTerms, topic: str | None, limit: int, filters: Filters,
                 dfs: dict) -> tuple[list, int, dict]:
        """The engine's best passages, the first ``weights.coverage_window`` reordered by coverage
        and, for a definition question, by which of them define its subject.

        Every engine ranks the window the same way (only which passages have which terms, and
        their stored text, is asked of it). The factors never lower a score, so the passages past
        the window stay below it and a longer ``limit`` never changes the order of the first ones.
        Returns the ranked (key, score) pairs, how many matched, and each raised key's factors
        as (name, what, factor) for --explain.
        """
        w = self.weights
        covering = w.coverage > 0 and len(terms.concepts) >= 2
        defining = bool(terms.defined) and w.definition > 1
        if not (covering or defining):
            return (*self.backend.rank(terms, topic, limit, filters), {})
        ranked, found = self.backend.rank(terms, topic, max(limit, w.coverage_window), filters)
        window = ranked[:w.coverage_window]
        boosts: dict = {}
        if covering:
            window = self._coverage(window, terms, dfs, boosts)
        if defining:
            window = self._definitions(window, terms.defined, boosts)
        return (window + ranked[len(window):])[:limit], found, boosts

    def _coverage(self, window: list, terms: QueryTerms, dfs: dict, boosts: dict) -> list:
        """The window reordered by coverage: a passage's score is multiplied by (1 + the share of
        the query's concepts it has) to the power ``weights.coverage``, each concept weighing its
        idf. A passage that has both ``BHXH`` and ``Giồng Trôm`` beats one that has ``bảo hiểm``
        and ``xã hội`` many times but not the place."""
        w = self.weights
        keys = [k for k, _ in window]
        alternatives = [alt for concept in terms.concepts for alt in concept]
        self._frequencies([t for alt in alternatives for t in alt], dfs)
        n = max(self.backend.doc_count(), 1)
        idf = []
        for concept, boost in zip(terms.concepts, terms.concept_weights):
            df = max(min(dfs[t] for t in alt) for alt in concept)
            idf.append(boost * log(1 + (n - df + 0.5) / (df + 0.5)) if df else 0.0)
        total = sum(idf)
        if total <= 0 or len(keys) < 2:
            return window
        having = iter(self.backend.matching(keys, alternatives))
        share = dict.fromkeys(keys, 0.0)
        met_count = dict.fromkeys(keys, 0)
        for concept, weight in zip(terms.concepts, idf):
            met = set().union(*(next(having) for _ in concept))
            for key in met:
                share[key] += weight / total
                met_count[key] += 1
        for k in keys:
            boosts[k] = [("coverage", f"{met_count[k]}/{len(terms.concepts)}", (1 + share[k]) ** w.coverage)]
        return sorted(((k, s * boosts[k][0][2]) for k, s in window), key=lambda ks: -ks[1])

    def _definitions(self, window: list, subjects: list[str], boosts: dict) -> list:
        """The window with the passages that define a subject ("X là ...") raised ``weights.definition`` times."""
        factor = self.weights.definition
        out = []
        for key, score in window:
            text = self.backend.stored(key)["text"]
            subject = next((s for s in subjects if defines(text, s)), None)
            if subject:
                boosts.setdefault(key, []).append(("definition", f"{subject} la", factor))
                score *= factor
            out.append((key, score))
        return sorted(out, key=lambda ks: -ks[1])

    def _explain(self, should, key, score: float, boosts: dict) -> list[tuple[str, str, float]]:
        """The engine's per-term scores, and what each reordering factor added to them
        (``coverage``, ``met/concepts``; ``definition``, the subject defined)."""
        parts = self.backend.explain(should, key)
        factors = boosts.get(key, [])
        running = score
        for *_, factor in factors:
            running /= factor
        for name, what, factor in factors:
            parts.append((name, what, running * (factor - 1)))
            running *= factor
        return parts

    def _has_phrase(self, folded: list[str]) -> bool:
        """Whether any passage of the index has the folded phrase (whatever the topic)."""
        probe = QueryTerms(should=[("folded", s, 1.0) for s in dict.fromkeys(folded)], phrases=[folded])
        ranked, _ = self.backend.rank(probe, None, 1)
        return bool(ranked)

    def _frequencies(self, keys: list[tuple[str, str]], dfs: dict) -> list[int]:
        """How many passages have each (field, term) key, asking the engine only for those not in dfs."""
        missing = [k for k in dict.fromkeys(keys) if k not in dfs]
        if missing:
            dfs.update(zip(missing, self.backend.doc_frequencies(missing)))
        return [dfs[k] for k in keys]

    def _prune(self, should: list[tuple[str, str, float]], long_query: bool, dfs: dict) -> list[tuple[str, str, float]]:
        """Drop terms no passage has, and, in long questions, terms most passages have.

        A term in over ``weights.max_df_share`` of passages adds almost nothing to BM25 (its idf is near
        zero) but costs a walk over most of the index; long questions are full of them, and on
        ALQAC dropping them also ranks better (nDCG@10 dev 0.934 -> 0.943): they are the
        question's filler ("quy định", "như thế nào"), not its subject. Short queries keep every
        term, since there each word was chosen.
        """
        n = max(self.backend.doc_count(), 1)
        counts = self._frequencies([(f, t) for f, t, _ in should], dfs)
        scored = [(f, t, w, df) for (f, t, w), df in zip(should, counts)]
        kept = [(f, t, w, df) for f, t, w, df in scored if df]
        share = self.weights.max_df_share
        if long_query and any(df / n <= share for *_, df in kept):
            kept = [x for x in kept if x[3] / n <= share]
        return [(f, t, w) for f, t, w, _ in kept]

    def stats(self) -> dict:
        """Counts and sizes a user may want to know about this index (see the engine for sizes)."""
        engine = self.backend.engine_stats()
        return {
            "index": shown(self.location),  # (a folder name that is not UTF-8 shows \xff)
            **({"index_bytes": raw_bytes(self.location)} if not is_utf8(self.location) else {}),
            "engine": self.features.name,
            "built_at": self.meta.get("built_at"),
            "format": self.meta.get("format"),
            "files": engine.pop("files"),
            "documents": self.meta.get("documents"),
            "passages": engine.pop("passages"),
            "distinct_terms": engine.pop("distinct_terms"),
            "words_in_lexicon": len(self.lexicon.get("words", {})),
            "references": sum(1 for r in self.catalogue.values() if r["count"]),
            "citations": sum(r["count"] for r in self.catalogue.values()),
            **engine,
        }

    def suggestions(self, query: str, limit: int = 3) -> list[str]:
        """Up to ``limit`` accented readings of an unaccented query, as the corpus writes it.

        Empty when the query has accents (the user chose them) or no reading adds one.
        """
        if has_diacritics(query):
            return []
        if self._forms is None:  # (built once per open index, on the first call)
            self._forms = syllable_forms(self.lexicon.get("syllables", {}), self.lexicon.get("words", {}))
        return accented_readings(query, self._forms, self.lexicon.get("words", {}), limit)

    def suggest(self, query: str) -> str | None:
        """The query spelled as the corpus usually spells it, or None when nothing changes."""
        parsed = parse_query(query)
        words = self.lexicon.get("words", {})
        syllables = self.lexicon.get("syllables", {})
        out = []
        for clause in parsed.positive:
            folded = [match_fold(s) for s in clause.syllables]
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
