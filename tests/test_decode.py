"""Decoding: UTF-8 first, then the legacy 8-bit Vietnamese encodings, never mojibake."""
import unicodedata

import pytest

from searcher.decode import DecodeError, decode_bytes

SENTENCE = "Bảo hiểm xã hội tỉnh Đông Hòa: người lao động được hưởng chế độ thai sản"


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 stores letters with their shape composed and the tone as a combining mark."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in tone)) + tone)
    return "".join(out).encode("cp1258")


def test_utf8_with_and_without_bom():
    assert decode_bytes(SENTENCE.encode("utf-8")) == (SENTENCE, "utf-8")
    assert decode_bytes(b"\xef\xbb\xbf" + SENTENCE.encode("utf-8")) == (SENTENCE, "utf-8")


def test_windows_1258():
    assert decode_bytes(cp1258_bytes(SENTENCE)) == (SENTENCE, "Windows-1258")


def test_vni():
    # VNI Windows text as a converter writes it (ơ and ư are single bytes, marks follow letters).
    vni = "Tieáng Vieät raát hay. Xin chaøo caùc baïn. Ñoàng khôûi môùi, ngöôøi lao ñoäng".encode("cp1252")
    assert decode_bytes(vni) == ("Tiếng Việt rất hay. Xin chào các bạn. Đồng khởi mới, người lao động", "VNI")


def test_tcvn3():
    tcvn3 = "TiÕng ViÖt rÊt hay. §ång khëi míi, ng­êi lao ®éng".encode("latin-1")
    assert decode_bytes(tcvn3) == ("Tiếng Việt rất hay. Đồng khởi mới, người lao động", "TCVN3")


@pytest.mark.parametrize("data", [
    "Ça été très bien, déjà vu. Le système était prêt".encode("cp1252"),  # French, not Vietnamese
    bytes(range(128, 256)) * 4,  # noise
    b"\x00\x01\x02binary",
])
def test_undecodable_bytes_are_refused(data):
    with pytest.raises(DecodeError):
        decode_bytes(data)
