"""File names that are not UTF-8: keys stay one to one, everything written is valid UTF-8."""
import base64
import os

from hypothesis import given
from hypothesis import strategies as st

from searcher.names import is_utf8, name_key, raw_bytes, shown


def test_a_name_with_bad_bytes_shows_them_as_hex_escapes():
    name = os.fsdecode(b"b\xe1o c\xe1o.txt")
    assert not is_utf8(name)
    assert shown(name) == "b\\xe1o c\\xe1o.txt"
    assert base64.b64decode(raw_bytes(name)) == b"b\xe1o c\xe1o.txt"
    assert (shown("báo cáo.txt"), raw_bytes("báo cáo.txt")) == ("báo cáo.txt", None)


def test_keys_tell_a_bad_byte_from_a_backslash_written_before_it():
    bad, literal = os.fsdecode(b"a\xff.txt"), "a\\xff.txt"
    assert shown(bad) == shown(literal)  # the same to look at ...
    assert name_key(bad) != name_key(literal)  # ... never the same file in the index
    assert name_key("báo cáo.txt") == "báo cáo.txt"


@given(st.binary(max_size=12), st.binary(max_size=12))
def test_keys_are_one_to_one_and_valid_utf8(a, b):
    ka, kb = name_key(os.fsdecode(a)), name_key(os.fsdecode(b))
    ka.encode("utf-8")
    shown(os.fsdecode(a)).encode("utf-8")
    assert (ka == kb) == (a == b)
