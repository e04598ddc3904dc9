"""What every engine offers the engine-neutral layers above it, and how it says what it can do.

``searcher.search.Index`` parses the query and builds the plan (weighted terms per field,
phrases, exclusions, topic, reference boosts) once, above the engines; an engine only answers
the questions below. Like Django's ``features.py``, an engine declares what it lacks instead of
callers testing its name.
"""
from __future__ import annotations

from typing import Iterable, Protocol

from ..records import record

# The shape of the analysed passage records every engine stores. Bump when the records or the
# analysis change in a way old indexes do not match: both engines refuse an index of another
# format with "run: vnsearch index --rebuild".
# 2: page and date of PDF, Word and HTML documents; 3: one i/y spelling in the folded, pair,
# word and title fields (kỹ/kĩ, quý/quí) and every exact syllable listed in the lexicon; a
# document's own number, type, issuer and date (identity.py), indexed for filters; 4: sections
# of legal text (sections.py) on every passage; 5: the syllables on either side of each
# punctuation break (an unranked field that settles phrases without reading positions); 6: the
# local engine's file fingerprints in files.json, apart from meta.json (a search never reads them);
# 7: a passage of legal text indexed with the heading lines over it (its article's name, its
# clause's lead-in), and the local engine's own posting format (postings.py: compact blocks,
# short lists inside the term info, a compact term table); 8: an article's name never a passage
# by itself (it joins the first piece of a long first clause).
FORMAT_VERSION = 9
# An update's deleted passages go on counting in an engine's statistics until their segment is
# rewritten; past this share of a segment (local) or an index (OpenSearch) they are merged away
# at the end of the update, so that it ranks as a fresh build would.
DELETED_SHARE = 0.1


@record(frozen=True)
class Filters:
    """Which passages a search may return, by what their document is; every engine applies
    them inside its own query (no passage is fetched to be thrown away). Empty fields filter
    nothing; several filters all apply."""

    since: str | None = None  # the document's date is this ISO day or later
    until: str | None = None  # ... this ISO day or earlier
    undated: bool = False  # only passages of documents without a date
    doc_type: str | None = None  # the document's own type code
    issuer: tuple[str, ...] = ()  # codes that must all be among its issuer codes
    cites: tuple[str, ...] = ()  # the passage cites one of these ref ids
    within: tuple[str, ...] = ()  # doc_id or source (path) keys: the passage is in one of them

    def __bool__(self) -> bool:
        return any((self.since, self.until, self.undated, self.doc_type, self.issuer, self.cites, self.within))


@record(frozen=True)
class Features:
    name: str  # "local" or "opensearch": for messages and stats, never for branching
    explain: bool = True  # per-term score breakdown of a hit
    disk_size: bool = True  # stats can tell the bytes the index takes on disk
    shared: bool = False  # other machines may search it at the same time


class SearchBackend(Protocol):
    """The reading side of an engine, bound to one build of one index."""

    features: Features
    location: str  # where it is, as shown to users (passwords redacted)
    meta: dict  # build facts: built_at, format, roots, documents, passages, file count
    lexicon: dict  # words, syllables, abbreviations (see lexicon.py)
    catalogue: dict  # ref id -> what the corpus says of that document

    def doc_count(self) -> int:
        """Passages in the index (N of BM25)."""

    def doc_frequencies(self, keys: list[tuple[str, str]]) -> list[int]:
        """Passages holding each (field, term), in the order asked."""

    def rank(self, terms, topic: str | None, limit: int, filters: Filters | None = None
             ) -> tuple[list[tuple[object, float]], int]:
        """The best (key, score) pairs for a plan (query.QueryTerms: weighted terms, phrases,
        AND sides, exclusions) among the passages filters allow, and how many passages matched
        (exact below three)."""

    def count(self, terms, topic: str | None, filters: Filters | None = None) -> int:
        """How many passages the plan matches among those filters allow, exactly."""

    def numbered(self, ref_id: str) -> Iterable[dict]:
        """Stored records of the passages of documents whose own number is ref_id, in document order."""

    def matching(self, keys: list, alternatives: list[list[tuple[str, str]]]) -> list[set]:
        """For each alternative (a list of (field, term)), the keys among ``keys`` whose passage
        has every one of its terms (coverage, see Index._covered)."""

    def stored(self, key) -> dict:
        """The stored record of a ranked passage (doc_id, title, path, text, start, end, ...)."""

    def citing(self, ref_id: str) -> Iterable[dict]:
        """Stored records of every passage indexed as citing ref_id."""

    def explain(self, should, key) -> list[tuple[str, str, float]]:
        """(field, term, score) of each term that scored in one passage, largest first."""

    def engine_stats(self) -> dict:
        """Counts the engine knows: files, passages, distinct_terms, size_bytes, and its own."""

    def close(self) -> None: ...
