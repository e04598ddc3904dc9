"""Imports whoosh's reading side without the modules that side never runs, for a quick cold search.

whoosh's modules import, at load time, things only other paths use: ``whoosh.compat`` takes
``urlretrieve`` from urllib.request (http.client, email, ssl: for downloading WordNet),
``whoosh.reading`` takes ``cached_property`` from a package that imports asyncio, and
``whoosh.query.terms`` takes English morphology (``variations``, a large regex table). Together
they are about a third of a cold `vnsearch search`'s imports. Smaller ones add up too: the
Porter stemmer and double metaphone (English analysis), ``html`` and ``queue`` (highlighting,
writing in several processes), ``shutil`` and ``tempfile`` (copying segments, temporary storage;
bz2 and lzma come with them), ``random`` and ``calendar`` (new file names, date fields) and
hashlib, whose OpenSSL binding costs more to load than the one hash whoosh reads with: the terms
table's md5, which the standalone ``_md5`` computes alike. While whoosh loads here, each is a
small stand-in: the functions whoosh takes by name import the real module on first call, and any
other attribute is the real module's; ``cached_property`` is the standard library's own, which
caches the same way. The stand-ins leave ``sys.modules`` once whoosh has loaded, so any later
import gets the real modules.

Opening an index, whoosh maps each segment file and wraps every part of it (terms, postings,
lengths, stored fields) in a ``BufferFile``, which copies the part whole into a ``BytesIO``:
the whole index is copied (and so read from disk) at open, though most parts are only ever read
by slicing the map (``get``) and a search reads a few posting blocks of the rest. A
:class:`MappedPart` reads the map in place, a buffered stream for the parts read as one.
"""
from __future__ import annotations

import functools
import importlib
import io
import sys
import types


def _deferred(module: str, name: str):
    def call(*args, **kwargs):
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = name
    return call


MappedPart = None  # whoosh's BufferFile without the copy at open (made once whoosh is loaded)


# module -> the names whoosh's reading side takes from it with ``from module import name``.
_STAND_INS = {
    "urllib.request": ("urlretrieve",),
    "whoosh.lang.morph_en": ("variations",),
    "whoosh.lang.porter": ("stem",),
    "whoosh.lang.dmetaphone": ("double_metaphone",),
    "html": ("escape",),
    "queue": (),
    "shutil": ("copyfileobj",),
    "tempfile": (),
    "random": (),
    "calendar": (),
    "hashlib": ("md5",),
}


def _stand_in(module: str, names: tuple[str, ...]) -> types.ModuleType:
    stand_in = types.ModuleType(module)
    for name in names:
        setattr(stand_in, name, _deferred(module, name))

    def real(name: str):
        if name.startswith("__"):  # (what the import system asks of any module)
            raise AttributeError(name)
        if sys.modules.get(module) is stand_in:  # asked while whoosh loads: the real one from now on
            del sys.modules[module]
        return getattr(importlib.import_module(module), name)

    stand_in.__getattr__ = real
    return stand_in


def _stand_ins() -> dict[str, types.ModuleType]:
    out = {module: _stand_in(module, names) for module, names in _STAND_INS.items()}
    try:
        from _md5 import md5  # (absent from builds that take every hash from OpenSSL)
    except ImportError:
        pass
    else:
        out["hashlib"].md5 = md5
    stand_in = types.ModuleType("cached_property")
    stand_in.cached_property = functools.cached_property
    out["cached_property"] = stand_in
    return out


def load_reading_side() -> None:
    """Import the whoosh modules a search uses, and open index parts without copying them."""
    if "whoosh.searching" not in sys.modules:
        _import_reading_side()
    from whoosh.filedb import compound

    global MappedPart
    if MappedPart is None:
        MappedPart = _mapped_part_class()
    compound.BufferFile = MappedPart


def _import_reading_side() -> None:
    stand_ins = {n: m for n, m in _stand_ins().items() if n not in sys.modules}
    sys.modules.update(stand_ins)
    try:
        import whoosh.codec.whoosh3  # noqa: F401  (the codec an index is read with)
        import whoosh.filedb.filestore  # noqa: F401
        import whoosh.searching  # noqa: F401
    finally:
        for name, stand_in in stand_ins.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]


def _mapped_part_class():
    from whoosh.filedb.structfile import BufferFile

    class MappedPart(BufferFile):
        """whoosh's ``BufferFile`` over a slice of a mapped segment that never copies the slice:
        ``get`` and ``subset`` read the map itself, and the stream (made on first use) reads it
        through a small buffer."""

        def __init__(self, buf, name=None, onclose=None):
            self._buf = buf
            self._name = name
            self.onclose = onclose
            self.is_real = False
            self.is_closed = False

        def __getattr__(self, attr):  # (only for attributes not set: the stream, on first use)
            if attr != "file":
                raise AttributeError(attr)
            self.file = io.BufferedReader(_MapStream(self._buf), buffer_size=16384)
            return self.file

        def close(self):
            if "file" not in self.__dict__:  # never streamed: nothing to close but the part
                if self.is_closed:
                    raise Exception("This file is already closed")
                if self.onclose:
                    self.onclose(self)
                self.is_closed = True
                return
            super().close()

    return MappedPart


class _MapStream(io.RawIOBase):
    """A seekable, read-only raw stream over a memoryview (for io.BufferedReader)."""

    def __init__(self, view: memoryview):
        self._view = view
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = max(0, min(len(b), len(self._view) - self._pos))
        b[:n] = self._view[self._pos:self._pos + n]
        self._pos += n
        return n

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: len(self._view)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos
