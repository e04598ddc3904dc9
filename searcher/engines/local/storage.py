"""The on-disk layout of an index directory: generations, the CURRENT pointer, locks and leases.

A build writes a complete new generation folder, then switches the ``CURRENT`` file to it with
``os.replace``, so readers always see either the old or the new index whole, and a run killed
at any point leaves the previous generation in place. Writers serialise on an flock, which the
kernel releases when a writer dies: a killed run never blocks the next one.

Every generation carries a marker file, written the moment its folder is made: vnsearch deletes
only folders that carry it (so never a user's own ``gen-something``), and a killed build's
partial generation is provably its own and removed by the next run. Readers hold a shared flock
on the marker of the generation they opened until they close it; a superseded generation is
deleted only when an exclusive flock on its marker shows that no reader holds it.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from ...errors import IndexBusy, IndexDamaged, IndexMissing, IndexVersionMismatch, NotAnIndex
from ..base import FORMAT_VERSION

CURRENT = "CURRENT"
LOCK = ".lock"
META = "meta.json"
FILES = "files.json"  # each indexed file's fingerprint: read by incremental builds only, never by a search
LEXICON = "lexicon.json"
REFS = "refs.json"
MARKER = ".vnsearch-generation"  # in every generation: proof of ownership, and the readers' lease
GENERATION_PREFIX = "gen-"
# Files an index folder may hold besides generations and CURRENT before it has an index: ours,
# and the placeholders that keep an empty folder in version control.
OWN_FILES = frozenset({LOCK, CURRENT + ".tmp", ".gitkeep", ".keep"})
# How often a reader re-reads CURRENT when builds publish while it opens (each retry needs a
# build to have published in between, so this is never reached in practice).
OPEN_ATTEMPTS = 20
_NAME = re.compile(r"gen-[A-Za-z0-9._-]+")


def _read_current(index_dir: Path) -> str | None:
    """The generation CURRENT names, or None when it is missing or does not name one."""
    try:
        name = (index_dir / CURRENT).read_bytes().decode("utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return name if _NAME.fullmatch(name) else None


def is_ours(gen: Path) -> bool:
    """Whether gen is a generation folder vnsearch made (its marker names it)."""
    if gen.is_symlink() or not gen.is_dir():
        return False
    try:
        marker = json.loads((gen / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(marker, dict) and marker.get("generation") == gen.name


def holds_an_index(index_dir: Path) -> bool:
    """Whether index_dir is vnsearch's: empty (but for our own files), or holding our generations.

    A current generation made before generations carried markers counts when CURRENT names it
    and it has its meta.json.
    """
    entries = list(index_dir.iterdir())
    if all(e.name in OWN_FILES for e in entries):
        return True
    if any(e.name.startswith(GENERATION_PREFIX) and is_ours(e) for e in entries):
        return True
    name = _read_current(index_dir)
    if name is None:
        return False
    # CURRENT naming a build that is gone is our pointer left damaged: `index --rebuild` must be
    # able to repair it. One naming a folder that exists unmarked, without meta, is not ours.
    gone = name.startswith(GENERATION_PREFIX) and not os.path.lexists(index_dir / name)
    return gone or (index_dir / name / META).is_file()


def never_built(index_dir: Path) -> bool:
    """Whether index_dir holds no build at all, not even a damaged one: missing, or only our
    lock and placeholder files and builds killed before they finished (our generations without
    meta.json, which a build writes last). Only such a default index may be built without being asked."""
    if not index_dir.is_dir():
        return not index_dir.exists() and not index_dir.is_symlink()
    return all(e.name in OWN_FILES or _unfinished(e) for e in index_dir.iterdir())


def _unfinished(entry: Path) -> bool:
    return entry.name.startswith(GENERATION_PREFIX) and is_ours(entry) and not os.path.lexists(entry / META)


def check_writable(index_dir: Path) -> None:
    """Refuse, before writing anything, to build an index into a folder that holds something else."""
    if not index_dir.exists() and not index_dir.is_symlink():
        return
    if not index_dir.is_dir():
        raise NotAnIndex(f"{index_dir} is not a folder: give --index a new or empty folder, or an index")
    if not holds_an_index(index_dir):
        raise NotAnIndex(f"{index_dir} is not empty and holds no vnsearch index: refusing to write into it "
                         f"(give --index a new or empty folder, or an existing index)")


def read_current_name(index_dir: Path) -> str:
    """The name of the generation CURRENT points to; a one-line error when there is none."""
    if not index_dir.is_dir():
        raise IndexMissing(f"no index at {index_dir} (build one: vnsearch index PATH --index {index_dir})")
    name = _read_current(index_dir)
    if name is not None:
        return name
    if not holds_an_index(index_dir):
        raise NotAnIndex(f"{index_dir} is not a vnsearch index (give --index the folder of an index, "
                         f"or a new folder to build one in)")
    if (index_dir / CURRENT).exists():
        raise IndexDamaged(index_dir, f"{CURRENT} does not name a build")
    if not never_built(index_dir):  # a finished build that CURRENT, now missing, named
        raise IndexDamaged(index_dir, f"{CURRENT} is missing")
    raise IndexMissing(f"no index at {index_dir} yet (build one: vnsearch index PATH --index {index_dir})")


def current_generation(index_dir: Path) -> Path:
    """The folder of the complete index that readers should open."""
    name = read_current_name(index_dir)
    gen = index_dir / name
    if not (gen / META).is_file():
        raise IndexDamaged(index_dir, f"{CURRENT} names {name}, which is missing or incomplete")
    return gen


def open_generation(index_dir: Path) -> tuple[Path, BinaryIO | None]:
    """The current generation, leased: no build deletes it until the returned file is closed.

    A build may publish and remove the generation between the moment CURRENT is read and the
    moment the lease is taken; so the lease counts only if CURRENT still names the generation
    once it is held (a build never removes the current one), otherwise CURRENT is read again.
    """
    for _ in range(OPEN_ATTEMPTS):
        name = read_current_name(index_dir)
        gen = index_dir / name
        try:
            lease = open(gen / MARKER, "rb")
        except (FileNotFoundError, NotADirectoryError):
            if _read_current(index_dir) != name:
                continue  # removed after a newer build was published
            if (gen / META).is_file():
                return gen, None  # made before markers existed: the next build adopts it
            raise IndexDamaged(index_dir, f"{CURRENT} names {name}, which is missing or incomplete")
        fcntl.flock(lease.fileno(), fcntl.LOCK_SH)
        if _read_current(index_dir) == name:
            return gen, lease
        lease.close()
    raise IndexBusy(f"{index_dir} changed {OPEN_ATTEMPTS} times while it was being opened; try again")


def read_meta(gen: Path) -> dict:
    """The generation's meta.json: format, indexed roots, files; IndexDamaged when unreadable."""
    meta = read_part(gen, META, lambda m: isinstance(m, dict))
    if meta.get("format") != FORMAT_VERSION:
        raise IndexVersionMismatch(
            f"index at {gen.parent} has format {meta.get('format')}, this vnsearch reads format "
            f"{FORMAT_VERSION} (run: vnsearch index --rebuild)"
        )
    roots = meta.get("roots")
    if not (isinstance(roots, list) and all(isinstance(r, str) for r in roots)
            and isinstance(meta.get("files"), int)):
        raise IndexDamaged(gen.parent, f"{gen.name}/{META} lacks the indexed paths or files")
    return meta


def read_files(gen: Path) -> dict:
    """The generation's files.json: {"files": {key: fingerprint}, "skipped": {...}}.

    Kept apart from meta.json because it grows with every file indexed and only the next build
    needs it: a search opens an index of 100,000 files as fast as one of ten.
    """
    return read_part(gen, FILES, lambda d: isinstance(d, dict) and isinstance(d.get("files"), dict)
                     and isinstance(d.get("skipped", {}), dict))


def read_part(gen: Path, name: str, valid: Callable[[object], bool], roots: list[str] | None = None):
    """A JSON file of the generation, parsed and checked; IndexDamaged when missing or garbled."""
    try:
        data = json.loads((gen / name).read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise IndexDamaged(gen.parent, f"{gen.name}/{name} is missing", roots)
    except (IsADirectoryError, NotADirectoryError):
        raise IndexDamaged(gen.parent, f"{gen.name}/{name} is not a file", roots)
    except ValueError as e:  # also undecodable bytes
        raise IndexDamaged(gen.parent, f"{gen.name}/{name} is not valid JSON ({e})", roots)
    if not valid(data):
        raise IndexDamaged(gen.parent, f"{gen.name}/{name} does not hold what vnsearch wrote there", roots)
    return data


def write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _write_marker(gen: Path) -> None:
    marker = {"vnsearch": "index generation", "generation": gen.name, "index": str(gen.parent.resolve()),
              "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "pid": os.getpid()}
    (gen / MARKER).write_text(json.dumps(marker) + "\n", encoding="utf-8")


def new_generation(index_dir: Path) -> Path:
    """Create a folder for the next build, marked as ours at once, named so that it never collides."""
    index_dir.mkdir(parents=True, exist_ok=True)
    gen = index_dir / f"{GENERATION_PREFIX}{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    gen.mkdir()
    try:
        _write_marker(gen)
    except BaseException:  # a full disk: leave no unmarked folder that would make ours look foreign
        import shutil  # (only builds remove folders: a search never loads it)

        shutil.rmtree(gen, ignore_errors=True)
        raise
    return gen


def publish(index_dir: Path, gen: Path) -> None:
    """Make gen the current index (atomic), then delete the generations no reader holds."""
    tmp = index_dir / (CURRENT + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(gen.name + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)
    remove_stale_generations(index_dir, keep=gen.name)


def tidy(index_dir: Path) -> None:
    """Before a build, under the write lock: adopt an unmarked current generation (made before
    markers existed), and remove generations no reader holds any more, killed builds' included."""
    name = _read_current(index_dir)
    if name is None and (index_dir / CURRENT).exists():
        return  # which one was current is unknown: the next publish removes them
    if name is not None:
        gen = index_dir / name
        if gen.is_dir() and not gen.is_symlink() and not (gen / MARKER).exists() and (gen / META).is_file():
            _write_marker(gen)
    remove_stale_generations(index_dir, keep=name)


def remove_stale_generations(index_dir: Path, keep: str | None) -> None:
    """Delete our generations but keep, except those a reader still holds; only under the write lock."""
    for child in sorted(index_dir.iterdir()):
        if child.name == keep or not child.name.startswith(GENERATION_PREFIX) or not is_ours(child):
            continue
        try:
            lease = open(child / MARKER, "rb")
        except OSError:
            continue
        with lease:
            try:
                fcntl.flock(lease.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a reader still has it open: a later run removes it
            remove_generation(child)


def remove_generation(gen: Path) -> None:
    """Delete a generation of ours, its marker last: if this is interrupted, the rest is still
    provably ours and the next run finishes the job."""
    import shutil  # (only builds remove folders: a search never loads it)

    try:
        for child in gen.iterdir():
            if child.name == MARKER:
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        (gen / MARKER).unlink()
        gen.rmdir()
    except OSError:
        pass  # left for the next run


def disk_usage(index_dir: Path, gen: Path) -> tuple[int, int]:
    """Bytes in gen, and bytes of vnsearch's own other files in index_dir (superseded or
    unfinished builds, CURRENT, locks); a user's files that happen to be there are not counted."""
    inside = other = 0
    for root, dirs, files in os.walk(index_dir):
        here = Path(root)
        if here == index_dir:
            dirs[:] = [d for d in dirs if d.startswith(GENERATION_PREFIX) and is_ours(here / d)]
            files = [f for f in files if f in OWN_FILES or f.startswith(CURRENT)]
        in_gen = here == gen or gen in here.parents
        for name in files:
            try:
                size = os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
            if in_gen:
                inside += size
            else:
                other += size
    return inside, other


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def write_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index's write lock, or raise IndexBusy if another run holds it."""
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexBusy(f"another vnsearch run is writing {index_dir}; try again when it ends")
        yield
    finally:
        os.close(fd)
