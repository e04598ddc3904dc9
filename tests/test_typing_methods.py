"""Telex and VNI keys typed with the input method off, read back as syllables."""
import unicodedata

import pytest

from searcher.typing_methods import decode, decode_telex, decode_vni, is_folded_syllable, is_syllable


@pytest.mark.parametrize("keys, syllable", [
    ("baor", "bảo"), ("hieemr", "hiểm"), ("xax", "xã"), ("hooij", "hội"),
    ("nguowif", "người"), ("nguoiwf", "người"), ("ddaau", "đâu"), ("dduowcj", "được"),
    ("vieejt", "việt"), ("vieetj", "việt"), ("tieengs", "tiếng"), ("tiengse", "tiếng"),
    ("hoaf", "hoà"), ("hofa", "hoà"), ("khoer", "khoẻ"), ("thuyr", "thuỷ"), ("quys", "quý"),
    ("gif", "gì"), ("nghef", "nghè"), ("ngheef", "nghề"), ("tw", "tư"),
    ("nhw", "như"), ("aw", None), ("awn", "ăn"), ("trawm", "trăm"),
    ("lowns", "lớn"), ("muaf", "mùa"), ("tuwf", "từ"), ("hiemr", "hiểm"), ("chuwa", "chưa"),
])
def test_telex(keys, syllable):
    d = decode_telex(keys)
    assert (d.text if d else None) == syllable
    if d:
        assert d.method == "telex" and unicodedata.is_normalized("NFC", d.text)


@pytest.mark.parametrize("keys, syllable", [
    ("ba3o", "bảo"), ("bao3", "bảo"), ("hie63m", "hiểm"), ("hiem63", "hiểm"), ("hiem3", "hiểm"),
    ("xa4", "xã"), ("ho65i", "hội"), ("hoi65", "hội"), ("d9i", "đi"), ("d9a6u", "đâu"),
    ("thu7o7ng", "thương"), ("thuong7", "thương"), ("d9uo7c5", "được"), ("a8n", "ăn"),
    ("hoa2", "hoà"), ("quy1", "quý"), ("muon6", "muôn"), ("tu72", "từ"),
])
def test_vni(keys, syllable):
    d = decode_vni(keys)
    assert (d.text if d else None) == syllable
    assert d.method == "vni"


@pytest.mark.parametrize("keys, syllable", [
    ("Baor", "Bảo"), ("HOOIJ", "HỘI"), ("BA3O", "BẢO"), ("Nguowif", "Người"), ("DDAAU", "ĐÂU"),
])
def test_case_is_kept(keys, syllable):
    assert decode(keys).text == syllable


@pytest.mark.parametrize("keys", [
    "xa", "hoa", "bao", "xyzzy", "covid19", "chithi16", "16", "BHXH", "a7", "bao9", "hoaff",
    "bac", "bacf",  # a stop final takes only sắc or nặng
    "ghas",  # gh only before e, ê, i
    "bảor",  # accented already: not raw keys
])
def test_no_reading(keys):
    assert decode(keys) is None


def test_how_sure_a_reading_is():
    # One mark key at the end is what plain words look like (bus, box); two marks, or a VNI
    # digit between letters, are not.
    assert [decode(k).strong for k in ("bus", "box", "baor", "bao3")] == [False] * 4
    assert [decode(k).strong for k in ("hooij", "hieemr", "ba3o", "hie63m")] == [True] * 4


def test_syllable_shapes():
    assert is_syllable("hiêm", "\u0309") and not is_syllable("hiem", "\u0309")
    assert is_syllable("đươc", "\u0323") and not is_syllable("đươc", None)
    assert is_folded_syllable("nghieng") and is_folded_syllable("y")
    assert not is_folded_syllable("hie") and not is_folded_syllable("x") and not is_folded_syllable("ter")
