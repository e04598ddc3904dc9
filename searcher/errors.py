"""The errors vnsearch reports to users: each carries a one-line message that says what to do."""
from __future__ import annotations

import shlex


class VnsearchError(Exception):
    """Base of every error the CLI turns into a one-line message and exit status 2."""


class IndexMissing(VnsearchError):
    """No index at the given place."""


class NotAnIndex(IndexMissing):
    """The folder holds something other than a vnsearch index: vnsearch neither reads nor writes it."""


class IndexDamaged(VnsearchError):
    """Part of the index on disk is missing or unreadable; rebuilding it is the cure.

    ``what`` says which part and how; ``roots`` (the indexed paths, when still known) make the
    suggested command complete.
    """

    def __init__(self, index_dir, what: str, roots: list[str] | None = None):
        self.index_dir, self.what = index_dir, " ".join(str(what).split())  # always one line
        paths = " ".join(shlex.quote(r) for r in roots) if roots else "PATH..."
        super().__init__(f"index {index_dir} is damaged: {self.what} "
                         f"(run: vnsearch index --rebuild --index {shlex.quote(str(index_dir))} {paths})")


class IndexVersionMismatch(VnsearchError):
    """The index was built by an incompatible version of vnsearch."""


class IndexBusy(VnsearchError):
    """Another run is writing the index."""


class QueryError(VnsearchError):
    """The query cannot be searched (empty, or only exclusions)."""


class CorpusError(VnsearchError):
    """Nothing indexable was found at the given paths."""
