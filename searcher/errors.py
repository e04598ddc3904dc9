"""The errors vnsearch reports to users: each carries a one-line message that says what to do."""


class VnsearchError(Exception):
    """Base of every error the CLI turns into a one-line message and exit status 2."""


class IndexMissing(VnsearchError):
    """No index at the given place."""


class IndexVersionMismatch(VnsearchError):
    """The index was built by an incompatible version of vnsearch."""


class IndexBusy(VnsearchError):
    """Another run is writing the index."""


class QueryError(VnsearchError):
    """The query cannot be searched (empty, or only exclusions)."""


class CorpusError(VnsearchError):
    """Nothing indexable was found at the given paths."""
