"""The index folder: generations, ownership markers, reader leases, damaged parts."""
import fcntl
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher import Index
from searcher.engines.base import FORMAT_VERSION
from searcher.engines.local import storage
from searcher.cli import cli
from searcher.engines.base import FORMAT_VERSION
from searcher.errors import IndexBusy, IndexDamaged, IndexMissing, IndexVersionMismatch, NotAnIndex


def make_generation(index_dir, meta='{"format": 1}'):
    gen = storage.new_generation(index_dir)
    (gen / storage.META).write_text(meta)
    return gen


def test_publish_switches_current_and_drops_old_generations(tmp_path):
    first = make_generation(tmp_path)
    storage.publish(tmp_path, first)
    assert storage.current_generation(tmp_path) == first
    second = make_generation(tmp_path)
    storage.publish(tmp_path, second)
    assert storage.current_generation(tmp_path) == second
    assert not first.exists()


def test_every_generation_is_marked_as_ours_when_it_is_made(tmp_path):
    gen = storage.new_generation(tmp_path)
    assert json.loads((gen / storage.MARKER).read_text())["generation"] == gen.name
    assert storage.is_ours(gen)
    copy = tmp_path / "gen-my-copy"  # a copied generation is not provably ours: its marker names another
    shutil.copytree(gen, copy)
    assert not storage.is_ours(copy)


def test_folders_without_our_marker_are_never_deleted(tmp_path):
    user = tmp_path / "gen-thesis-drafts"
    user.mkdir()
    (user / "chapter1.txt").write_text("my thesis")
    copied = tmp_path / "gen-copied"
    shutil.copytree(storage.new_generation(tmp_path / "elsewhere"), copied)
    storage.publish(tmp_path, make_generation(tmp_path))
    storage.publish(tmp_path, make_generation(tmp_path))
    storage.tidy(tmp_path)
    assert (user / "chapter1.txt").read_text() == "my thesis" and copied.is_dir()
    assert len([p for p in tmp_path.glob("gen-*") if storage.is_ours(p)]) == 1


def test_a_killed_builds_generation_is_removed_by_the_next_run(tmp_path):
    current = make_generation(tmp_path)
    storage.publish(tmp_path, current)
    partial = storage.new_generation(tmp_path)  # what kill -9 leaves behind
    (partial / "MAIN_x.seg").write_bytes(b"\0" * 1000)
    storage.tidy(tmp_path)
    assert not partial.exists() and current.is_dir()


def test_a_generation_a_reader_holds_outlives_publishing(tmp_path):
    first = make_generation(tmp_path)
    storage.publish(tmp_path, first)
    gen, lease = storage.open_generation(tmp_path)
    assert gen == first
    storage.publish(tmp_path, make_generation(tmp_path))
    assert first.is_dir()  # still open in a reader
    storage.tidy(tmp_path)
    assert first.is_dir()
    lease.close()
    storage.tidy(tmp_path)  # the next run, once the reader is done
    assert not first.exists()


def test_a_reader_that_read_current_just_before_a_publish_opens_the_new_generation(tmp_path, monkeypatch):
    old = make_generation(tmp_path)
    storage.publish(tmp_path, old)
    held, hold = storage.open_generation(tmp_path)  # keeps `old` on disk, as another reader would
    new = make_generation(tmp_path)
    storage.publish(tmp_path, new)
    gone = make_generation(tmp_path)
    names = iter([old.name, gone.name])  # stale reads of CURRENT: one kept on disk, one removed
    real = storage.read_current_name
    monkeypatch.setattr(storage, "read_current_name", lambda d: next(names, None) or real(d))
    storage.remove_generation(gone)
    gen, lease = storage.open_generation(tmp_path)
    assert gen == new
    # The lease it took on `old` while CURRENT moved on was given back.
    hold.close()
    with open(old / storage.MARKER, "rb") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    lease.close()


def test_a_generation_made_before_markers_is_read_and_then_adopted(tmp_path):
    legacy = tmp_path / "gen-20260101-000000-1-1"
    legacy.mkdir()
    (legacy / storage.META).write_text('{"format": 1}')
    (tmp_path / storage.CURRENT).write_text(legacy.name + "\n")
    storage.check_writable(tmp_path)
    gen, lease = storage.open_generation(tmp_path)
    assert (gen, lease) == (legacy, None)
    storage.tidy(tmp_path)
    assert storage.is_ours(legacy)
    storage.publish(tmp_path, make_generation(tmp_path))
    assert not legacy.exists()


def test_missing_empty_and_foreign_directories_are_reported(tmp_path):
    with pytest.raises(IndexMissing, match="no index at"):
        storage.current_generation(tmp_path / "nope")
    with pytest.raises(IndexMissing, match="no index at .* yet"):
        storage.current_generation(tmp_path)
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(NotAnIndex, match="is not a vnsearch index") as e:
        storage.current_generation(tmp_path)
    assert f"--index {tmp_path}" not in str(e.value)  # no hint that leads to writing there


@pytest.mark.parametrize("contents", [[], [".lock"], [".gitkeep"], ["gen-killed-first-build"]])
def test_new_empty_and_own_folders_may_be_written(tmp_path, contents):
    index_dir = tmp_path / "ix"
    storage.check_writable(index_dir)  # does not exist yet
    index_dir.mkdir()
    for name in contents:
        if name.startswith("gen-"):
            storage.new_generation(index_dir)
        else:
            (index_dir / name).write_text("")
    storage.check_writable(index_dir)


@pytest.mark.parametrize("contents", [["notes.txt"], ["gen-thesis-drafts/"], ["CURRENT", "MANIFEST-000001"]])
def test_foreign_folders_are_refused_for_writing(tmp_path, contents):
    for name in contents:
        if name.endswith("/"):
            (tmp_path / name).mkdir()
        else:
            (tmp_path / name).write_text("MANIFEST-000001\n")
    with pytest.raises(NotAnIndex, match="not empty and holds no vnsearch index"):
        storage.check_writable(tmp_path)


def test_a_file_is_refused_as_an_index_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(NotAnIndex, match="is not a folder"):
        storage.check_writable(tmp_path / "notes.txt")


def test_other_format_asks_for_rebuild(tmp_path):
    gen = make_generation(tmp_path, '{"format": 0}')
    with pytest.raises(IndexVersionMismatch, match="--rebuild"):
        storage.read_meta(gen)


def test_second_writer_is_refused(tmp_path):
    with storage.write_lock(tmp_path):
        with pytest.raises(IndexBusy):
            with storage.write_lock(tmp_path):
                pass
    with storage.write_lock(tmp_path):  # released when the first one ends
        pass


def test_disk_usage_separates_the_generation_from_the_rest(tmp_path):
    gen = make_generation(tmp_path)
    (gen / "seg").write_bytes(b"x" * 5000)
    stale = storage.new_generation(tmp_path)
    (stale / "seg").write_bytes(b"x" * 7000)
    inside, other = storage.disk_usage(tmp_path, gen)
    marker = len((gen / storage.MARKER).read_bytes())
    assert inside == 5000 + len('{"format": 1}') + marker
    assert other == 7000 + len((stale / storage.MARKER).read_bytes())


# Damage as disks, crashes and people cause it. Each takes the generation's folder.
DAMAGE = {
    "truncated segment": lambda g: _truncate(next(g.glob("*.seg")), 1000),
    "empty segment": lambda g: _truncate(next(g.glob("*.seg")), 0),
    "missing segment": lambda g: next(g.glob("*.seg")).unlink(),
    "garbled table of contents": lambda g: next(g.glob("*.toc")).write_bytes(bytes(range(256)) * 2),
    "truncated table of contents": lambda g: _truncate(next(g.glob("*.toc")), 100),
    "missing table of contents": lambda g: next(g.glob("*.toc")).unlink(),
    "meta.json not JSON": lambda g: (g / "meta.json").write_text("{bad"),
    "meta.json a list": lambda g: (g / "meta.json").write_text("[]"),
    "meta.json without files": lambda g: (g / "meta.json").write_text(json.dumps({"format": FORMAT_VERSION})),
    "lexicon.json not JSON": lambda g: (g / "lexicon.json").write_bytes(b"\xff\xfe garbage"),
    "lexicon.json a list": lambda g: (g / "lexicon.json").write_text("[1, 2]"),
    "lexicon.json missing": lambda g: (g / "lexicon.json").unlink(),
    "refs.json truncated": lambda g: _truncate(g / "refs.json", 10),
    "refs.json of numbers": lambda g: (g / "refs.json").write_text('{"19-CT/TW": 3}'),
    "refs.json missing": lambda g: (g / "refs.json").unlink(),
    "binary CURRENT": lambda g: (g.parent / "CURRENT").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff"),
    "CURRENT naming a missing build": lambda g: (g.parent / "CURRENT").write_text("gen-gone\n"),
    "CURRENT pointing outside": lambda g: (g.parent / "CURRENT").write_text("../elsewhere\n"),
    "CURRENT naming a file": lambda g: ((g.parent / "build.txt").write_text("x"),
                                        (g.parent / "CURRENT").write_text("build.txt\n")),
    "meta.json a folder": lambda g: ((g / "meta.json").unlink(), (g / "meta.json").mkdir()),
    "the build folder deleted": lambda g: shutil.rmtree(g),
    # whoosh unpickles these whole when it opens the index: one flipped byte turns an opcode or a
    # length into one that asks for gigabytes (a MemoryError, not an interruption).
    "a byte flipped in the pickled table of contents": lambda g: _flip(next(g.glob("*.toc")), b"KEYWORD\nq", 8),
    "a byte flipped in the segment's table of files": lambda g: _flip(next(g.glob("*.seg")), None, 9),
}


def _truncate(path, size):
    with open(path, "r+b") as f:
        f.truncate(size)


def _flip(path, after: bytes | None, offset: int, xor: int = 0xFF) -> None:
    """Flip the byte offset bytes into the first occurrence of after (None: the segment's
    table of files, which whoosh pickles at the position its first 8 bytes give)."""
    data = bytearray(path.read_bytes())
    start = data.index(after) if after is not None else int.from_bytes(data[:8], "big")
    data[start + offset] ^= xor
    path.write_bytes(bytes(data))


def _segment_files(seg) -> dict:
    """Where each file inside a whoosh segment lies: {suffix: (offset, length)}."""
    import pickle

    data = seg.read_bytes()
    files = pickle.loads(data[int.from_bytes(data[:8], "big"):])
    return {name.split(".", 1)[1]: (f["offset"], f["length"]) for name, f in files.items()}


def _posting_block_past_the_end(gen):
    """The inline posting block of "tết" (folded: tet) claims its last passage is number 126."""
    from whoosh.filedb.filestore import FileStorage

    seg = next(gen.glob("*.seg"))
    ix = FileStorage(str(gen), readonly=True, supports_mmap=False).open_index()
    with ix.reader() as reader:
        terms = reader._terms
        (datapos, _), = terms._tindex.ranges_for_key(terms._keycoder("folded", b"tet"))
    ix.close()
    at = _segment_files(seg)["trm"][0] + datapos
    data = bytearray(seg.read_bytes())
    assert data[at] == 1 and data[at + 1] < 0x80 and data[at + 2] < 0x80  # inline; one-byte count and last id
    data[at + 2] = 0x7F
    seg.write_bytes(bytes(data))


def _stored_fields_emptied(gen):
    """The last passage's stored fields are 0 bytes long: whoosh reads them as {}."""
    from array import array

    seg = next(gen.glob("*.seg"))
    offset, length = _segment_files(seg)["_stored.col"]
    data = bytearray(seg.read_bytes())
    end = offset + length - 1  # (the column ends with its lengths and their type code)
    size = array(chr(data[end])).itemsize
    data[end - size:end] = bytes(size)
    seg.write_bytes(bytes(data))


def _stored_fields_garbled(gen):
    """A byte flipped inside the first passage's compressed stored fields (zlib's checksum fails)."""
    seg = next(gen.glob("*.seg"))
    offset, _ = _segment_files(seg)["_stored.col"]
    data = bytearray(seg.read_bytes())
    data[offset + 5] ^= 0xFF
    seg.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_index_is_one_line_and_index_rebuilds_it(tmp_path, make_corpus, damage):
    root = make_corpus({"a.txt": "Thực hiện Chỉ thị số 19-CT/TW, đón Tết an toàn."})
    index_dir = tmp_path / "ix"
    run = CliRunner().invoke
    assert run(cli, ["index", str(root), "--index", str(index_dir)]).exit_code == 0
    damage(storage.current_generation(index_dir))
    for command in (["search", "tết"], ["ref", "19-CT/TW"], ["refs"], ["stats"]):
        result = run(cli, [*command, "--index", str(index_dir)], catch_exceptions=False)
        assert result.exit_code == 2, (command, result.output)
        assert result.stdout == "" and result.stderr.count("\n") == 1
        assert result.stderr.startswith(f"vnsearch: error: index {index_dir} is damaged: ")
        assert f"(run: vnsearch index --rebuild --index {index_dir} " in result.stderr
    # Re-indexing the same paths notices it and builds anew instead of saying "up to date".
    result = run(cli, ["index", str(root), "--index", str(index_dir)], catch_exceptions=False)
    assert result.exit_code == 0
    warning, summary = result.stderr.splitlines()
    assert warning.startswith(f"vnsearch: warning: index {index_dir} is damaged: ") and warning.endswith("building it anew")
    assert "1 file read" in summary
    result = run(cli, ["search", "tết", "--index", str(index_dir), "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["doc_id"] == "a.txt"
    assert len(list(index_dir.glob("gen-*"))) == 1


# Damage, and the commands that read it (`ref` reads no postings of "tết").
LAZY_DAMAGE = {
    "a posting block naming a passage past the end": (_posting_block_past_the_end, [["search", "tết"]]),
    "a passage's stored fields emptied": (_stored_fields_emptied, [["search", "tết"], ["ref", "19-CT/TW"]]),
    "a passage's stored fields garbled": (_stored_fields_garbled, [["search", "tết"], ["ref", "19-CT/TW"]]),
}


@pytest.mark.parametrize("damage, commands", LAZY_DAMAGE.values(), ids=LAZY_DAMAGE.keys())
def test_damage_met_mid_search_is_one_line_and_rebuild_repairs_it(tmp_path, make_corpus, damage, commands):
    """Postings and stored fields decode lazily: the index opens whole, and a search meets the damage."""
    root = make_corpus({"a.txt": "Thực hiện Chỉ thị số 19-CT/TW, đón Tết an toàn."})
    index_dir = tmp_path / "ix"
    run = CliRunner().invoke
    assert run(cli, ["index", str(root), "--index", str(index_dir)]).exit_code == 0
    damage(storage.current_generation(index_dir))
    for command in commands:
        result = run(cli, [*command, "--index", str(index_dir)], catch_exceptions=False)
        assert result.exit_code == 2 and result.stdout == "" and result.stderr.count("\n") == 1, command
        assert result.stderr.startswith(f"vnsearch: error: index {index_dir} is damaged: the passage store in gen-")
        assert f"(run: vnsearch index --rebuild --index {index_dir} " in result.stderr
    result = run(cli, ["index", str(root), "--index", str(index_dir), "--rebuild"], catch_exceptions=False)
    assert result.exit_code == 0 and result.stderr.startswith(f"vnsearch: {index_dir}: 1 file read")
    for command in (["search", "tết"], ["ref", "19-CT/TW"]):
        assert run(cli, [*command, "--index", str(index_dir)], catch_exceptions=False).exit_code == 0, command


def test_an_update_that_meets_damage_builds_the_index_anew(tmp_path, make_corpus):
    """An update copies the current segments and merges the small ones into its new one, decoding
    their stored fields: damage met there is said, and the index is built from the files anew."""
    root = make_corpus({"a.txt": "Thực hiện Chỉ thị số 19-CT/TW, đón Tết an toàn."})
    index_dir = tmp_path / "ix"
    run = CliRunner().invoke
    assert run(cli, ["index", str(root), "--index", str(index_dir)]).exit_code == 0
    damaged = storage.current_generation(index_dir)
    _stored_fields_garbled(damaged)
    (root / "b.txt").write_text("Bảo hiểm xã hội.", encoding="utf-8")
    result = run(cli, ["index", str(root), "--index", str(index_dir)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    warning, summary = result.stderr.splitlines()
    assert warning.startswith(f"vnsearch: warning: index {index_dir} is damaged: the passage store in "
                              f"{damaged.name} is unreadable (zlib.error: Error -3 while decompressing data: ")
    assert warning.endswith("); building it anew")
    assert summary.startswith(f"vnsearch: {index_dir}: 2 files read (2 documents)")
    for command in (["search", "tết"], ["ref", "19-CT/TW"], ["search", "bảo hiểm"]):
        assert run(cli, [*command, "--index", str(index_dir)], catch_exceptions=False).exit_code == 0, command
    assert [p.name for p in index_dir.glob("gen-*")] == [storage.current_generation(index_dir).name]


@pytest.mark.parametrize("damage, what", [
    (_posting_block_past_the_end, "EOFError: a posting of 'folded' names a passage past its segment"),
    (_stored_fields_emptied, "EOFError: a passage's stored fields are not what vnsearch wrote"),
])
def test_an_update_that_rewrites_a_damaged_segment_builds_the_index_anew(tmp_path, make_corpus, damage, what):
    """Changing one file of two deletes half the segment's passages, so the update rewrites it,
    copying its postings and stored fields without decoding them as a search would: what it
    copies is checked, and damage found there is said and cured as anywhere else."""
    root = make_corpus({"a.txt": "Thực hiện Chỉ thị số 19-CT/TW, đón Tết an toàn.", "c.txt": "Bảo hiểm y tế."})
    index_dir = tmp_path / "ix"
    run = CliRunner().invoke
    assert run(cli, ["index", str(root), "--index", str(index_dir)]).exit_code == 0
    damaged = storage.current_generation(index_dir)
    damage(damaged)  # (in c.txt's passage, or in a list holding it: a.txt changes, c.txt is copied)
    (root / "a.txt").write_text("Đón Tết an toàn, thực hiện Chỉ thị số 19-CT/TW.", encoding="utf-8")
    result = run(cli, ["index", str(root), "--index", str(index_dir)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    warning, summary = result.stderr.splitlines()
    assert warning == (f"vnsearch: warning: index {index_dir} is damaged: the passage store in {damaged.name} "
                       f"is unreadable ({what}); building it anew")
    assert summary.startswith(f"vnsearch: {index_dir}: 2 files read (2 documents)")
    for command in (["search", "tết"], ["search", "bảo hiểm y tế"], ["ref", "19-CT/TW"]):
        assert run(cli, [*command, "--index", str(index_dir)], catch_exceptions=False).exit_code == 0, command


FILES_DAMAGE = {
    "files.json missing": lambda g: (g / "files.json").unlink(),
    "files.json not JSON": lambda g: (g / "files.json").write_text("{bad"),
    "files.json without files": lambda g: (g / "files.json").write_text('{"skipped": {}}'),
}


@pytest.mark.parametrize("damage", FILES_DAMAGE.values(), ids=FILES_DAMAGE.keys())
def test_searches_never_read_the_file_fingerprints_and_index_rebuilds_without_them(tmp_path, make_corpus, damage):
    """files.json grows with every file indexed; only the next build reads it, so a search of a
    large collection starts as fast as one of a small one, and its damage costs a rebuild only."""
    root = make_corpus({"a.txt": "Thực hiện Chỉ thị số 19-CT/TW, đón Tết an toàn.", "b.txt": "Bảo hiểm xã hội."})
    index_dir = tmp_path / "ix"
    run = CliRunner().invoke
    assert run(cli, ["index", str(root), "--index", str(index_dir)]).exit_code == 0
    gen = storage.current_generation(index_dir)
    assert json.loads((gen / storage.META).read_text())["files"] == 2  # a count; fingerprints are apart
    assert {Path(k).name for k in json.loads((gen / storage.FILES).read_text())["files"]} == {"a.txt", "b.txt"}
    damage(gen)
    for command in (["search", "tết"], ["ref", "19-CT/TW"], ["refs"]):
        assert run(cli, [*command, "--index", str(index_dir)], catch_exceptions=False).exit_code == 0, command
    stats = run(cli, ["stats", "--index", str(index_dir), "--json"], catch_exceptions=False)
    assert stats.exit_code == 0 and json.loads(stats.stdout)["files"] == 2
    result = run(cli, ["index", str(root), "--index", str(index_dir)], catch_exceptions=False)
    assert result.exit_code == 0
    warning, summary = result.stderr.splitlines()
    assert warning.startswith(f"vnsearch: warning: index {index_dir} is damaged: ") and "files.json" in warning
    assert "2 files read" in summary


def test_the_rebuild_hint_names_the_indexed_paths_when_they_are_known(tmp_path, make_corpus):
    root = make_corpus({"a.txt": "Đón Tết an toàn."})
    index_dir = tmp_path / "ix"
    CliRunner().invoke(cli, ["index", str(root), "--index", str(index_dir)])
    (storage.current_generation(index_dir) / "lexicon.json").write_text("{")
    result = CliRunner().invoke(cli, ["search", "tết", "--index", str(index_dir)])
    assert result.stderr.rstrip().endswith(f"(run: vnsearch index --rebuild --index {index_dir} {root.resolve()})")


def test_bytes_that_break_a_search_are_damage_not_an_interruption(tmp_path, make_corpus, monkeypatch):
    """whoosh reads postings lazily: a damaged block shows up mid-search, as EOFError or struct.error."""
    from searcher.engines.local.accumulate import Accumulator

    root = make_corpus({"a.txt": "Đón Tết an toàn."})
    index_dir = tmp_path / "ix"
    CliRunner().invoke(cli, ["index", str(root), "--index", str(index_dir)])

    def read_past_the_end(*args, **kwargs):
        raise EOFError("Ran out of input")

    monkeypatch.setattr(Accumulator, "top", read_past_the_end)
    with Index.open(index_dir) as ix, pytest.raises(IndexDamaged, match="is unreadable .EOFError: Ran out of input."):
        ix.search("tết")
    result = CliRunner().invoke(cli, ["search", "tết", "--index", str(index_dir)])
    assert result.exit_code == 2 and "is damaged" in result.stderr and "interrupted" not in result.stderr


def test_garbled_term_blocks_are_damage_and_our_own_bugs_are_not(tmp_path, make_corpus, monkeypatch):
    root = make_corpus({"a.txt": "Đón Tết an toàn."})
    index_dir = tmp_path / "ix"
    CliRunner().invoke(cli, ["index", str(root), "--index", str(index_dir)])
    with Index.open(index_dir) as ix:
        ix.backend._searcher.reader()._terms._fieldunmap = []  # what a garbled field number in a term block decodes to
        with pytest.raises(IndexDamaged, match=r"is unreadable \(IndexError: list index out of range\)"):
            ix.stats()

    def bug(*args, **kwargs):
        raise IndexError("list index out of range")

    monkeypatch.setattr(Index, "_prune", bug)
    with Index.open(index_dir) as ix, pytest.raises(IndexError):
        ix.search("tết")


def test_a_default_index_that_lost_its_current_is_damaged_not_replaced(tmp_path, make_corpus, monkeypatch):
    root = make_corpus({"a.txt": "Bảo hiểm y tế của tôi."})
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VNSEARCH_INDEX", raising=False)
    run = CliRunner().invoke
    assert run(cli, ["index", str(root)]).exit_code == 0  # the default ./index, of the user's folder
    (tmp_path / "index" / "CURRENT").unlink()
    result = run(cli, ["search", "bảo hiểm"])
    assert result.exit_code == 2 and result.stderr == (
        "vnsearch: error: index index is damaged: CURRENT is missing (run: vnsearch index --rebuild --index index PATH...)\n")
    assert [p.name for p in (tmp_path / "index").glob("gen-*")] != []  # the user's build is still there
    assert run(cli, ["index", str(root), "--rebuild"]).exit_code == 0
    assert run(cli, ["search", "bảo hiểm"]).exit_code == 0


def test_stats_counts_only_vnsearchs_own_files_as_other(tmp_path, make_corpus):
    index_dir = tmp_path / "ix"
    build_index_cli = CliRunner().invoke(cli, ["index", str(make_corpus({"a.txt": "Đón Tết."})), "--index", str(index_dir)])
    assert build_index_cli.exit_code == 0
    with Index.open(index_dir) as ix:
        before = ix.stats()["other_bytes"]
    (index_dir / "notes.txt").write_text("x" * 10_000)  # a user's file that happens to be there
    with Index.open(index_dir) as ix:
        assert ix.stats()["other_bytes"] == before
