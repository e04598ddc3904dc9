"""File names that are not valid UTF-8: how vnsearch keys, shows and exports them losslessly.

Linux hands Python such a name (common in old Windows zips) as a str with surrogate escapes,
byte 0xff as U+DCFF, which no UTF-8 writer accepts: whoosh terms, meta.json, JSON output and the
terminal would all fail on it. The str itself is kept wherever Python keeps it (stored fields
are pickled); everything written as UTF-8 goes through one of these functions.
"""
from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
# Only names with a backslash or a byte that is not UTF-8 need it: compiled (and cached by re)
# on first use, as each large character class costs a cold start a quarter of a millisecond.
_ESCAPE = "[\\\\\ud800-\udfff]"


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as surrogateescape keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def is_utf8(name: str) -> bool:
    """Whether name is valid Unicode, i.e. came from a UTF-8 name."""
    return not _SURROGATE.search(name)


def shown(name: str) -> str:
    r"""name for people: each byte that is not UTF-8 written as ``\xff``; valid names unchanged."""
    return name if is_utf8(name) else _SURROGATE.sub(lambda m: _escape(m.group()), name)


def name_key(name: str) -> str:
    r"""A valid-Unicode string standing for name, one to one: for index terms and meta.json keys.

    Valid names without a backslash are their own key. Otherwise backslashes are doubled and
    bytes that are not UTF-8 written ``\xff``, so no two names share a key.
    """
    if "\\" not in name and is_utf8(name):
        return name
    return re.sub(_ESCAPE, lambda m: "\\\\" if m.group() == "\\" else _escape(m.group()), name)


def raw_bytes(name: str) -> str | None:
    """The name's bytes in base64 when it is not valid UTF-8 (for JSON output), else None."""
    if is_utf8(name):
        return None
    try:
        data = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that stands for no byte: keep it as UTF-16 would
        data = name.encode("utf-8", "surrogatepass")
    import base64  # (only names that are not UTF-8: a search of ordinary ones never loads it)

    return base64.b64encode(data).decode("ascii")


def replace_surrogates(text: str) -> str:
    """Text with lone surrogates (from JSON escapes or a broken extractor) as U+FFFD, offsets kept."""
    return text if is_utf8(text) else _SURROGATE.sub("\ufffd", text)
