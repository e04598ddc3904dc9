"""Imports whoosh's reading side without the modules that side never runs, for a quick cold search.

whoosh's modules import, at load time, things only other paths use: ``whoosh.compat`` takes
``urlretrieve`` from urllib.request (http.client, email, ssl: for downloading WordNet),
``whoosh.reading`` takes ``cached_property`` from a package that imports asyncio, and
``whoosh.query.terms`` takes English morphology (``variations``, a large regex table). Together
they are about a third of a cold `vnsearch search`'s imports. While whoosh loads here, each is
a small stand-in: the urllib and morphology functions import the real module on first call;
``cached_property`` is the standard library's own, which caches the same way. The stand-ins
leave ``sys.modules`` once whoosh has loaded, so any later import gets the real modules.
"""
from __future__ import annotations

import functools
import importlib
import sys
import types


def _deferred(module: str, name: str):
    def call(*args, **kwargs):
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = name
    return call


def _stand_ins() -> dict[str, types.ModuleType]:
    out = {}
    for module, names in (("urllib.request", ("urlretrieve",)), ("whoosh.lang.morph_en", ("variations",))):
        stand_in = types.ModuleType(module)
        for name in names:
            setattr(stand_in, name, _deferred(module, name))
        out[module] = stand_in
    stand_in = types.ModuleType("cached_property")
    stand_in.cached_property = functools.cached_property
    out["cached_property"] = stand_in
    return out


def load_reading_side() -> None:
    """Import the whoosh modules a search uses (a no-op once whoosh is loaded)."""
    if "whoosh.searching" in sys.modules:
        return
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
