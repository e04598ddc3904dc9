"""Records behave as the dataclasses they replace (which cost a cold search their compiling)."""
import pytest

from searcher.records import asdict, field, fields, record, replace


@record
class Passage:
    """A made-up record: required fields, a plain default, a factory, a field kept out of view."""

    doc_id: str
    seq: int
    title: str = ""
    topics: list = field(default_factory=list)
    terms: frozenset = field(default=frozenset(), repr=False, compare=False)


@record(frozen=True)
class Span:
    start: int
    end: int


def test_a_record_is_built_by_position_or_name_with_its_defaults():
    p = Passage("chi-thi-19", 2, topics=["tet"])
    assert (p.doc_id, p.seq, p.title, p.topics, p.terms) == ("chi-thi-19", 2, "", ["tet"], frozenset())
    assert Passage("a", 1).topics is not Passage("a", 1).topics  # a new list for each
    assert fields(p) == ("doc_id", "seq", "title", "topics", "terms")
    assert asdict(Span(3, 7)) == {"start": 3, "end": 7}


def test_a_record_refuses_missing_extra_and_repeated_arguments():
    with pytest.raises(TypeError, match="missing required argument: 'seq'"):
        Passage("a")
    with pytest.raises(TypeError, match="takes 5 arguments but 6 were given"):
        Passage("a", 1, "", [], frozenset(), 9)
    with pytest.raises(TypeError, match="unexpected or repeated argument 'page'"):
        Passage("a", 1, page=3)
    with pytest.raises(TypeError, match="unexpected or repeated argument 'doc_id'"):
        Passage("a", 1, doc_id="b")


def test_repr_and_equality_are_those_of_a_dataclass():
    p = Passage("a", 1, terms=frozenset({"bao"}))
    assert repr(p) == "Passage(doc_id='a', seq=1, title='', topics=[])"
    assert p == Passage("a", 1)  # terms is not compared
    assert p != Passage("a", 2) and p != ("a", 1)
    with pytest.raises(TypeError):
        hash(p)  # mutable: not a dict key


def test_a_frozen_record_cannot_change_and_hashes_by_value():
    s = Span(3, 7)
    with pytest.raises(AttributeError, match="frozen Span"):
        s.start = 4
    with pytest.raises(AttributeError):
        del s.end
    assert {s: 1}[Span(3, 7)] == 1


def test_replace_copies_with_changes():
    p = Passage("a", 1, title="Chỉ thị")
    q = replace(p, seq=2)
    assert (q.doc_id, q.seq, q.title) == ("a", 2, "Chỉ thị") and p.seq == 1


def test_a_slotted_record_still_requires_its_fields_and_pickles_and_copies():
    import copy
    import pickle

    from searcher.analysis import Token

    @record(frozen=True)
    class Pair:
        __slots__ = ("a", "b")
        a: int
        b: int

    with pytest.raises(TypeError):
        Pair(1)  # b's slot descriptor is no default
    token = Token("hoà", 0, 3, True)
    assert pickle.loads(pickle.dumps(token)) == token == copy.copy(token)
    assert copy.copy(Pair(1, 2)) == Pair(1, 2)
