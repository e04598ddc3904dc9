"""Decodes file bytes to text: UTF-8 (with or without BOM), UTF-16 with a BOM.

Bytes that are none of these are refused rather than guessed at, so that no file is ever
indexed as mojibake.
"""
from __future__ import annotations


class DecodeError(ValueError):
    """The bytes are not text in any encoding vnsearch knows."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) for data, or raise DecodeError."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise DecodeError("not valid UTF-16") from e
    if b"\x00" in data[:8192]:
        raise DecodeError("binary file")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        raise DecodeError("not UTF-8 text") from e
