"""Parses what a user types into clauses, and turns clauses into weighted terms per field.

Syntax: plain words (any of them may match), ``"quoted phrases"`` (must match, in order; in a
long question they rank passages that have them higher instead, see :func:`query_terms`),
``-word`` / ``-"phrase"`` or ``NOT word`` / ``NOT "phrase"`` (must not match), ``a AND b`` (both
sides must match; a side is a phrase or a run of plain words, every word of which must match),
and ``OR`` (the default, accepted for habit). Operators are upper case: ``not`` and ``and`` are
searched as words (``not`` is ``nốt`` unaccented). Everything else — stray quotes, ``*``,
punctuation, an operator with nothing on one side — is searched as plain words or ignored, so no
query is a syntax error.
"""
from __future__ import annotations

import re

from .analysis import JOINER, tokenize
from .concepts import Concept, cut, pair_scale
from .normalize import exact_form, has_diacritics
from .records import field, record
from .spelling import exact_matches, match_fold
from .vocabulary import Abbreviations, STOP_WORDS

_PART_RE = re.compile(r'(?P<neg>(?<!\S)-)?"(?P<phrase>[^"]*)"|(?P<word>\S+)')
_OR = {"OR", "||"}
_AND = {"AND", "&&"}
_NOT = {"NOT"}


@record
class Clause:
    """A run of syllables the user wrote together: plain, a quoted phrase, or excluded."""

    syllables: list[str]
    phrase: bool = False
    negated: bool = False
    required: bool = False  # a side of AND: every syllable must match (a phrase always must)


@record
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)

    @property
    def positive(self) -> list[Clause]:
        return [c for c in self.clauses if not c.negated]

    @property
    def accented(self) -> bool:
        return any(has_diacritics(s) for c in self.positive for s in c.syllables)


def _syllables(text: str) -> list[str]:
    return [t.text for t in tokenize(text) if t.is_word]


def parse_query(text: str) -> ParsedQuery:
    """Split a query into clauses; consecutive plain words form one clause."""
    parsed = ParsedQuery()
    plain: list[str] = []
    negate_next = False  # after NOT: the next word or phrase is excluded
    and_left: Clause | None = None  # after AND: the clause on its left, required with the next one

    def add(clause: Clause) -> None:
        nonlocal and_left
        if and_left is not None and not clause.negated:
            and_left.required = clause.required = True
            and_left = None
        parsed.clauses.append(clause)

    def flush() -> None:
        if plain:
            add(Clause(list(plain)))
            plain.clear()

    for m in _PART_RE.finditer(text):
        if m.group("phrase") is not None:
            flush()
            syl = _syllables(m.group("phrase"))
            if syl:
                add(Clause(syl, phrase=len(syl) > 1, negated=bool(m.group("neg")) or negate_next))
                negate_next = False
            continue
        word = m.group("word")
        if word in _OR or word in _AND or word in _NOT:
            flush()
            if word in _NOT:
                negate_next = True
            elif word in _AND:
                # Exclusions are filters, not sides: "a AND NOT b AND c" requires a and c.
                and_left = next((c for c in reversed(parsed.clauses) if not c.negated), None)
            continue
        negated = word.startswith("-") and len(word) > 1 and bool(_syllables(word[1:]))
        if negated or negate_next:
            syl = _syllables(word[1:] if negated else word)
            if syl:
                flush()
                add(Clause(syl, phrase=len(syl) > 1, negated=True))
                negate_next = False
                continue
        plain.extend(_syllables(word))
    flush()
    return parsed


@record
class Weights:
    """Per-field weights of query terms and scoring knobs; tuned on the ALQAC dev split (bench/tune.py)."""

    folded: float = 1.0
    exact: float = 0.3  # bonus for accent-exact syllables, only when the query has accents
    bigram: float = 1.0
    word: float = 0.5
    title: float = 0.3
    stop: float = 0.3  # multiplier for function words
    abbreviation: float = 1.0
    phrase: float = 3.0  # multiplier for a quoted phrase's pairs and words in a long question (not tuned)
    max_df_share: float = 0.2  # long questions drop terms in more than this share of passages
    # A one-token concept scores in fewer fields than a lexicon word (no pair, no word): its
    # syllable weights are raised to a two-syllable word's total (see _as_word), times these.
    name: float = 1.0  # a Latin-script name or loanword (Hawking, iPhone, Québec)
    number: float = 0.3  # a number or code (2022, 19-CT/TW's parts)
    pair_cross: float = 0.6  # a pair joining a lexicon word to the syllable next to it (hiem_xa)
    pair_function: float = 0.8  # a pair holding a function word (có nguồn, gốc từ); 0.7 costs dev nDCG 0.003
    abbreviation_as_concept: bool = True  # an abbreviation weighs what the long form in the query does
    coverage: float = 1.0  # top passages × (1 + idf-weighted share of concepts matched) ** coverage
    coverage_window: int = 50  # how many of the best passages coverage reorders (dev: 30 = 100)
    # A passage defining what a definition question asks about ("hoa lợi là ...", see
    # definitions.py), among the coverage window, × this: dev nDCG 0.9653 -> 0.9734 (1.3 to 2.0 alike).
    definition: float = 1.5
    idf: str = "robertson"  # or "whoosh" (see scoring.py); robertson: dev nDCG 0.9423 -> 0.9450
    k1: float = 1.2
    b: float = 0.75


def segment_folded(folded: list[str], lexicon_words: dict, max_len: int = 4) -> list[str]:
    """Greedy longest-match segmentation of folded syllables into lexicon words (2+ syllables):
    the words among the query's concepts (concepts.cut)."""
    return [JOINER.join(folded[c.start:c.end]) for c in cut(folded, lexicon_words, max_len=max_len) if c.kind == "word"]


@record
class QueryTerms:
    """The weighted terms of a query, per field, as the accumulator scores them."""

    should: list[tuple[str, str, float]] = field(default_factory=list)  # (field, term, weight)
    phrases: list[list[str]] = field(default_factory=list)  # required folded phrases
    # Required words (sides of AND): each entry lists alternatives, folded syllables or phrases,
    # one of which must match (an abbreviation or its long form).
    required: list[list[list[str]]] = field(default_factory=list)
    excluded: list[list[str]] = field(default_factory=list)  # folded syllables or phrases
    highlight: set[str] = field(default_factory=set)  # folded syllables worth highlighting
    # Syllables whose exact bonus goes to other forms than the one typed (marks left out, the
    # other i/y spelling): typed → those forms, for --explain.
    accents: dict[str, list[str]] = field(default_factory=dict)
    # What the query asks about, for coverage: each concept lists alternatives, each a list of
    # (field, term) a passage must all have for the alternative to match.
    concepts: list[list[list[tuple[str, str]]]] = field(default_factory=list)
    concept_weights: list[float] = field(default_factory=list)  # each concept's weight besides its idf
    # What a definition question asks about, folded (definitions.py), and an abbreviation's long form.
    defined: list[str] = field(default_factory=list)


def query_terms(
    parsed: ParsedQuery, lexicon_words: dict, weights: Weights, abbreviations: Abbreviations | None = None,
    long_question: bool = False, exact_forms: dict | None = None,
) -> QueryTerms:
    """Expand clauses into weighted terms over every field (see the module docstring).

    In a ``long_question`` quotes are part of how people write ("what does the law mean by
    \"...\"?") and often paraphrase: a quoted phrase that is not a side of AND is then no filter
    but a strong boost, its syllable pairs and words weighing ``weights.phrase`` times more, so
    passages that have the phrase rank first and the others still rank.

    ``exact_forms`` (the lexicon's: matching form → the index's exact syllables) lets a syllable
    typed with some marks give the exact bonus to every corpus form those marks fit, and one
    typed in one i/y spelling to the other (spelling.exact_matches).
    """
    abbreviations = abbreviations or Abbreviations()
    terms = QueryTerms()
    seen: dict[tuple[str, str], float] = {}

    def add(fieldname: str, term: str, weight: float) -> None:
        key = (fieldname, term)
        seen[key] = seen.get(key, 0.0) + weight

    for clause in parsed.clauses:
        folded = [match_fold(s) for s in clause.syllables]
        if clause.negated:
            terms.excluded.append(folded)
            continue
        boosted = clause.phrase and long_question and not clause.required
        if clause.phrase and not boosted:
            terms.phrases.append(folded)
        elif clause.required:
            terms.required.extend(_requirements(folded, abbreviations))
        terms.highlight.update(folded)
        concepts = cut(folded, lexicon_words, abbreviations.expand)
        kinds = {c.start: c.kind for c in concepts if c.end == c.start + 1}
        if boosted:
            # A quoted phrase in a question is its subject: one concept, met by all its pairs,
            # weighing as much more as its terms do.
            whole = [[("bigrams", a + JOINER + b) for a, b in zip(folded, folded[1:])]]
            if whole not in terms.concepts:
                terms.concepts.append(whole)
                terms.concept_weights.append(weights.phrase)
        for concept in [] if boosted else _coverage_concepts(folded, concepts, abbreviations):
            if concept not in terms.concepts:
                terms.concepts.append(concept)
                terms.concept_weights.append(1.0)
        for i, (surface, f) in enumerate(zip(clause.syllables, folded)):
            w = weights.stop if f in STOP_WORDS else 1.0
            if kinds.get(i) in ("name", "number"):
                w = _as_word(weights, has_diacritics(surface), parsed.accented) * getattr(weights, kinds[i])
            add("folded", f, weights.folded * w)
            add("title_terms", f, weights.title * w)
            if has_diacritics(surface):
                matches = exact_matches(surface, (exact_forms or {}).get(f))
                for form, share in matches:
                    add("exact", form, weights.exact * w * share)
                if [m for m, _ in matches] != [exact_form(surface)]:
                    terms.accents[surface] = [m for m, _ in matches]
            expansion = abbreviations.expand.get(f)
            if expansion:
                # The long form counts as one term, spread over its pairs and words: a passage
                # that spells it out matches about as well as one with the abbreviation, while
                # one of its syllables or pairs met by chance ("tỉnh ủy ban hành" for UBND)
                # weighs little.
                parts = expansion.split()
                share = weights.abbreviation / max(1, len(parts) - 1)
                # (one concept: its pairs all count as inside a word)
                _add_sequence(add, parts, lexicon_words, weights, share, syllables=False,
                              concepts=[Concept(0, len(parts), "word")])
                terms.highlight.update(expansion.split())
        _add_sequence(add, folded, lexicon_words, weights, weights.phrase if boosted else 1.0, syllables=False,
                      concepts=concepts)
        for abbr, long_form in abbreviations.within(folded):
            # The abbreviation stands for the whole long form: a passage that writes it short
            # should not lose to one that has a piece of the long form several ways.
            n = len(long_form.split())
            add("folded", abbr, weights.folded * weights.abbreviation * (_as_word(weights, False, parsed.accented, n)
                                                                        if weights.abbreviation_as_concept else 1.0))
            terms.highlight.add(abbr)
    terms.should = [(f, t, w) for (f, t), w in seen.items()]
    return terms


def _requirements(folded: list[str], abbreviations: Abbreviations) -> list[list[list[str]]]:
    """What a required run of syllables asks of a passage: each syllable, or its other form.

    An abbreviation may be met by its long form and a long form by its abbreviation; every
    other syllable must be there itself.
    """
    longs = {}
    for abbr, long_form in abbreviations.within(folded):
        parts = long_form.split()
        for i in range(len(folded) - len(parts) + 1):
            if folded[i:i + len(parts)] == parts and len(parts) > len(longs.get(i, ("", []))[1]):
                longs[i] = (abbr, parts)
    out, i = [], 0
    while i < len(folded):
        if i in longs:
            abbr, parts = longs[i]
            out.append([parts, [abbr]])
            i += len(parts)
            continue
        expansion = abbreviations.expand.get(folded[i])
        out.append([[folded[i]]] + ([expansion.split()] if expansion else []))
        i += 1
    return out


def _as_word(weights: Weights, accented_token: bool, accented_query: bool, syllables: int = 2) -> float:
    """How many times its syllable weights a one-token concept needs to weigh, before idf, what a
    lexicon word of ``syllables`` syllables does (its syllables, their pairs, the word)."""
    syllable = weights.folded + weights.title + (weights.exact if accented_query else 0.0)
    word = syllables * syllable + (syllables - 1) * (weights.bigram + weights.title) + weights.word
    return word / (weights.folded + weights.title + (weights.exact if accented_token else 0.0))


def _coverage_concepts(folded: list[str], concepts: list[Concept], abbreviations: Abbreviations) -> list:
    """The alternatives that show a passage has each concept of a run (function words have none).

    A word is met by its word term or by all its pairs (pyvi may have cut the passage
    otherwise); an abbreviation by itself or its long form, and a word of a long form by the
    abbreviation too. A concept in the document's title is met too: a passage of an article
    about Hawking need not repeat the name.
    """
    def pairs(parts):
        return [("bigrams", a + JOINER + b) for a, b in zip(parts, parts[1:])]

    spans = []
    for abbr, long_form in abbreviations.within(folded):
        parts = long_form.split()
        for i in range(len(folded) - len(parts) + 1):
            if folded[i:i + len(parts)] == parts:
                spans.append((i, i + len(parts), abbr))
    out = []
    for c in concepts:
        if c.kind == "function":
            continue
        run = folded[c.start:c.end]
        if c.kind == "word":
            alternatives = [[("words", JOINER.join(run))], pairs(run), [("title_terms", t) for _, t in pairs(run)]]
        else:
            alternatives = [[("folded", run[0])], [("title_terms", run[0])]]
            if c.kind == "abbreviation":
                alternatives.append(pairs(abbreviations.expand[run[0]].split()))
        alternatives += [[("folded", abbr)] for a, b, abbr in spans if a <= c.start and c.end <= b]
        out.append([alt for alt in alternatives if alt])
    return out


def _add_sequence(add, folded: list[str], lexicon_words: dict, weights: Weights, scale: float, syllables: bool = True,
                  concepts: list[Concept] | None = None):
    """Add the terms of a run of folded syllables: syllables, bigrams, lexicon words.

    A pair counts fully inside a word or between two content syllables, less when it only
    joins a word to its neighbour or holds a function word (see concepts.pair_scale).
    """
    if syllables:
        for f in folded:
            add("folded", f, weights.folded * scale * (weights.stop if f in STOP_WORDS else 1.0))
    if concepts is None:
        concepts = cut(folded, lexicon_words)
    for i, (a, b) in enumerate(zip(folded, folded[1:])):
        both_stop = a in STOP_WORDS and b in STOP_WORDS
        pair = pair_scale(concepts, i, weights.pair_cross, weights.pair_function)
        add("bigrams", a + JOINER + b, weights.bigram * scale * pair * (weights.stop if both_stop else 1.0))
        add("title_terms", a + JOINER + b, weights.title * scale * pair)
    for word in segment_folded(folded, lexicon_words):
        add("words", word, weights.word * scale)
