"""A search loads whoosh's reading side without the modules that side never runs."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs a search in a fresh interpreter, then reports which of the skipped modules were loaded,
# and that the real ones still import (and whoosh's deferred functions reach them) afterwards.
_CHILD = """
import sys
from searcher import Index
with Index.open(sys.argv[1]) as ix:
    hits = ix.search("bảo hiểm xã hội", limit=3).hits
skipped = ("asyncio", "urllib.request", "http.client", "ssl", "cached_property", "whoosh.lang.morph_en",
           "whoosh.lang.porter", "whoosh.lang.dmetaphone", "html", "queue", "shutil", "tempfile", "bz2", "lzma",
           "hashlib", "_hashlib", "random", "calendar")
print(len(hits), [m for m in skipped if m in sys.modules])
import urllib.request, whoosh.compat, whoosh.reading, whoosh.query.terms
print(urllib.request.urlretrieve.__module__, whoosh.compat.urlretrieve.__name__)
print(sorted(whoosh.query.terms.variations("rendering"))[:3])
import hashlib, whoosh.analysis.morph, whoosh.filedb.filestore, whoosh.filedb.filetables, whoosh.util.times
print(whoosh.filedb.filetables.md5_hash(b"bao_hiem") == int(hashlib.md5(b"bao_hiem").hexdigest(), 16) & 0xFFFFFFFF,
      whoosh.analysis.morph.stem("rendering"), whoosh.compat.htmlescape("<b>"), whoosh.compat.queue.Queue.__module__,
      whoosh.filedb.filestore.tempfile.gettempdir() == __import__("tempfile").gettempdir(),
      len(whoosh.util.random_name()), whoosh.util.times.calendar.monthrange(2024, 2)[1])
import cached_property
with Index.open(sys.argv[1]) as ix:
    reader = ix.backend._searcher.reader()
    print(cached_property.__file__.endswith("cached_property.py"),
          type(whoosh.reading.SegmentReader.__dict__["deleted_docs_set"]).__module__,
          reader.deleted_docs_set == frozenset())
"""


def test_search_skips_whoosh_imports_it_never_uses_and_they_still_load_after(corpus_index_dir):
    out = subprocess.run([sys.executable, "-c", _CHILD, str(corpus_index_dir)], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0] == "3 []"
    assert out[1] == "urllib.request urlretrieve"
    assert out[2] == "['render', 'rendering', 'renderinged']"  # whoosh's own English variations
    # whoosh's terms table hashes alike; the stemmer, HTML escaping, queues, temp folders, new
    # file names and dates work
    assert out[3] == "True render &lt;b&gt; queue True 28 29"
    assert out[4] == "True functools True"  # the real package loads; whoosh keeps the stdlib's


def test_an_index_part_is_copied_only_when_read_as_a_stream():
    from searcher.engines.local import whooshimport

    whooshimport.load_reading_side()
    from whoosh.filedb import compound

    assert compound.BufferFile is whooshimport.MappedPart
    data = bytearray(b"\x00\x00\x00\x07hello, world")
    part = whooshimport.MappedPart(memoryview(data)[4:], name="p")
    assert part.get(0, 5) == b"hello" and "file" not in part.__dict__  # read from the map
    data[4] = ord("j")
    assert part.get(0, 5) == b"jello"  # (the map itself, no copy)
    part.seek(7)
    assert part.read(5) == b"world" and "file" in part.__dict__  # streamed
    part.seek(0)
    data[5] = ord("y")
    assert part.read(3) == b"jyl" and part.tell() == 3  # (still the map: no copy)
    part.seek(-2, 2)
    assert part.read() == b"ld" and part.read(4) == b""
    part.close()
    unread = whooshimport.MappedPart(memoryview(data), name="q")
    unread.close()
    assert unread.is_closed and "file" not in unread.__dict__
