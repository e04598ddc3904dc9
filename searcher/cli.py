"""The ``vnsearch`` command: parses options, calls the library, renders. No logic of its own.

Exit status: 0 when something matched (or was indexed), 1 when nothing matched, 2 on error.
"""
from __future__ import annotations

import errno
import functools
import json
import math
import os
import re
import stat
import sys
import time
from pathlib import Path

import click

from . import render
from .engines import is_cluster_location
from .errors import IndexBusy, QueryError, VnsearchError
from .records import record
from .topics import TOPICS

DEFAULT_INDEX = "index"


def say(message: str) -> None:
    """One line on stderr. Messages name files, ids and queries, so they are made terminal-safe.

    A value quoted with repr() shows a byte that was not UTF-8 as its surrogate (``'\\udcff'``);
    it is written as the byte (``'\\xff'``), as file names are.
    """
    message = _REPR_BYTE_RE.sub(r"\\x\1", message)
    click.echo(render.terminal_safe(message), err=True)


_REPR_BYTE_RE = re.compile(r"\\udc([89a-f][0-9a-f])")


def _fail(message: str) -> None:
    say(f"vnsearch: error: {message}")
    sys.exit(2)


def handle_errors(fn):
    """Turn library errors into one line on stderr and exit 2; a closed pipe exits quietly."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except VnsearchError as e:
            _fail(str(e))
        except BrokenPipeError:
            # Output went to a pager or `head` that has closed: stop without a message.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        except KeyboardInterrupt:
            click.echo("vnsearch: interrupted", err=True)
            sys.exit(130)
        except OSError as e:
            _fail(f"{e.filename or ''}: {e.strerror or e}".lstrip(": "))

    return wrapper


@record(frozen=True)
class IndexChoice:
    """What --index and --ca-bundle said: the index location and the cluster's CA bundle."""

    option: str | None = None
    ca_bundle: str | None = None


def resolve_index_dir(choice: IndexChoice | str | None) -> tuple[Path | str, bool]:
    """--index, else $VNSEARCH_INDEX, else ./index; the flag says whether it is the default.

    A cluster URL stays a string (a Path would fold its "//").
    """
    option = choice.option if isinstance(choice, IndexChoice) else choice
    for value in (option, os.environ.get("VNSEARCH_INDEX")):
        if value:
            return (value if is_cluster_location(value) else Path(value)), False
    return Path(DEFAULT_INDEX), True


def _warn(quiet: bool):
    return (lambda msg: None) if quiet else (lambda msg: say(f"vnsearch: warning: {msg}"))


def _build(paths, target: Path | str, **options):
    """build_index, with a full disk reported as what it is for the index being built."""
    from .indexer import build_index  # multiprocessing and friends: only when building

    try:
        return build_index(paths, target, **options)
    except OSError as e:
        from .engines.opensearch.connection import redact

        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            where = f" (writing {e.filename})" if e.filename else ""
            raise VnsearchError(f"{redact(str(target))}: no space left on device{where}; "
                                "the index was left as it was") from None
        if e.filename is None:  # (a write past a file size limit names no file: name the index)
            raise VnsearchError(f"{redact(str(target))}: {e.strerror or e} while building; "
                                "the index was left as it was") from None
        raise


def open_index(choice: IndexChoice):
    """Open the index; the default one is built from the bundled corpus on first use."""
    from .engines.local.storage import never_built
    from .search import Index

    index_dir, is_default = resolve_index_dir(choice)
    # Only a default index that was never built: one whose CURRENT went missing is damaged, and
    # says so, rather than being replaced by the sample corpus.
    if is_default and never_built(index_dir):
        from .corpus import bundled_corpus

        corpus = bundled_corpus()
        say(f"vnsearch: no index yet; indexing the bundled corpus into {index_dir}/ ...")
        waited_until = time.monotonic() + FIRST_BUILD_WAIT
        while never_built(index_dir):
            try:
                report = _build([corpus], index_dir, warn=_warn(False))
                click.echo(f"vnsearch: indexed {report.passages} passages in {report.seconds:.1f} s", err=True)
                break
            except IndexBusy:
                # Two searches started at once on a fresh checkout: the second gives the first's
                # build of the same small corpus a few seconds (it takes one or two), and builds
                # itself if that one ends with nothing built. A longer writer (someone's own
                # `vnsearch index` into ./index) is the busy error.
                if time.monotonic() >= waited_until:
                    raise
                time.sleep(0.1)
    return Index.open(index_dir, ca_bundle=choice.ca_bundle)


FIRST_BUILD_WAIT = 5.0  # seconds a search waits for another's first build (the sample corpus takes 1-2 s)


# One parameter type for every command's --ca-bundle: click translates its name when it is made.
_CA_BUNDLE_FILE = click.Path(exists=True, dir_okay=False)


def index_option(command):
    """--index DIR-or-URL and --ca-bundle FILE, handed to the command as one IndexChoice."""

    @functools.wraps(command)
    def wrapper(*args, index_dir=None, ca_bundle=None, **kwargs):
        return command(*args, index_dir=IndexChoice(index_dir, ca_bundle), **kwargs)

    wrapper = click.option(
        "--ca-bundle", type=_CA_BUNDLE_FILE, metavar="FILE",
        help="CA certificates to verify a cluster's TLS with (default: $VNSEARCH_CA_BUNDLE, else the system's).",
    )(wrapper)
    return click.option(
        "--index", "index_dir", metavar="DIR|URL",
        help="Index directory, or an OpenSearch index URL http(s)://host:9200/NAME "
             "(default: $VNSEARCH_INDEX, else ./index).",
    )(wrapper)


class OneLineErrors(click.Group):
    """A click group whose usage errors are one line on stderr, like every other vnsearch error.

    click's default prints the usage text and a hint around the error; a script or a user
    scanning stderr wants the one line that says what was wrong.
    """

    def main(self, args=None, **kwargs):
        kwargs["standalone_mode"] = False
        try:
            code = super().main(args, **kwargs)
        except click.exceptions.NoSuchOption as e:
            typed = next((a for a in (args if args is not None else sys.argv[1:])
                          if a.startswith(e.option_name)), e.option_name)
            hint = ""
            if e.ctx is not None and e.ctx.command.name in ("search", "ref"):
                hint = " (to search for a word starting with -, put -- before the query)"
            _fail(f"no such option: {typed}{hint}")
        except click.exceptions.NoArgsIsHelpError as e:
            click.echo(e.format_message())  # bare `vnsearch`: the help is the answer
            sys.exit(0)
        except click.ClickException as e:
            _fail(e.format_message())
        except click.exceptions.Abort:
            click.echo("vnsearch: interrupted", err=True)
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)

color_option = click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
    help="Bold highlights and colour (auto: only on a terminal, off under NO_COLOR or TERM=dumb).",
)


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vnsearch")
def cli():
    """Full-text search for Vietnamese documents, with or without accents.

    \b
    Examples:
      vnsearch search "bao hiem xa hoi"
      vnsearch index ~/documents --index ~/vn-index
    """


MIN_DOC_MB = 0.001  # about 1 KB: below that no real document fits, so the limit was mistyped
MAX_DOC_MB = 1024 * 1024  # a terabyte: larger is a typo, and would overflow the byte counts


def _check_doc_size(ctx, param, value: float) -> float:
    """--max-doc-size must be a finite number of megabytes that a document can fit in."""
    if not math.isfinite(value) or value < MIN_DOC_MB:
        raise click.BadParameter(f"{value:g} is not a size in MB (give at least {MIN_DOC_MB}, e.g. 20)")
    if value > MAX_DOC_MB:
        raise click.BadParameter(f"{value:g} MB is more than any document vnsearch can read (at most {MAX_DOC_MB:g})")
    return value


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())  # (as typed: Path("") would be ".")
@index_option
@click.option("--quiet", "-q", is_flag=True, help="No warnings, no progress, no summary.")
@click.option("--rebuild", is_flag=True, help="Re-read every file instead of only the changed ones.")
@click.option("--max-doc-size", "max_doc_mb", type=float, default=20, callback=_check_doc_size,
              show_default=True, metavar="MB",
              help="Skip documents whose text is larger than this (dumps, logs); it also bounds "
                   "the memory and time reading one PDF, Word or web page may take.")
@click.option("--follow-links", is_flag=True,
              help="Also follow symbolic links that lead outside the folders given (skipped by default).")
@click.option("--shards", type=click.IntRange(1, 1024), metavar="N",
              help="Cluster only: primary shards of a new build (default: one per node, at most 5).")
@click.option("--replicas", type=click.IntRange(0, 16), metavar="N",
              help="Cluster only: replicas of each shard (default: 1 when the cluster has several nodes).")
@handle_errors
def index(paths, index_dir, quiet, rebuild, max_doc_mb, follow_links, shards, replicas):
    """Index files and folders (.txt, .md, .jsonl, .pdf, .docx, .html) into a passage index.

    With no PATH, indexes the bundled sample corpus. Re-indexing the same paths re-reads only
    files whose content changed, adds new ones and drops deleted ones. The new index replaces
    the old one only when it is complete. --index may name an OpenSearch cluster instead of a
    folder (needs: pip install 'vnsearch[opensearch]').

    \b
    Examples:
      vnsearch index ~/documents/chi-thi --index ~/vn-index
      vnsearch index ~/documents --index http://localhost:9200/tin-tuc --shards 3
    """
    target, _ = resolve_index_dir(index_dir)
    bar = ProgressLine() if not quiet and sys.stderr.isatty() else None
    try:
        from .corpus import bundled_corpus

        report = _build(list(paths) or [bundled_corpus()], target, warn=_warn(quiet),
                        progress=bar, rebuild=rebuild, max_document_bytes=int(max_doc_mb * 1024 * 1024),
                        follow_links=follow_links, ca_bundle=index_dir.ca_bundle, shards=shards, replicas=replicas)
    finally:
        if bar:
            bar.close()
    if not quiet:
        say(f"vnsearch: {report.index_dir}: {report.summary()} in {report.seconds:.1f} s")


class ProgressLine:
    """A one-line progress report on stderr (files, passages, rate, ETA), for terminals only."""

    def __init__(self):
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, passages: int, files: int, total_files: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.2 and files < total_files:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        rate = passages / elapsed
        eta = (total_files - files) * elapsed / files if files else 0
        click.echo(f"\r\x1b[Kindexing: {files}/{total_files} files, {passages} passages, "
                   f"{rate:.0f} passages/s, ETA {eta:.0f} s", err=True, nl=False)

    def close(self) -> None:
        click.echo("\r\x1b[K", err=True, nl=False)


def _read_queries(path: Path) -> list[tuple[str, str]]:
    """(id, query) pairs from a file of one query per line, or JSON Lines {"id", "query"}.

    Lines end at \\n only (a query may hold any other character); a UTF-8 byte-order mark is
    not part of the first line. Anything malformed is an error naming the file and line.
    """
    from .corpus import json_record

    if not stat.S_ISREG(path.stat().st_mode):  # a device or a pipe never ends
        raise QueryError(f"{path}: not a regular file")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = e.object[:e.start].count(b"\n") + 1  # (e.object: the bytes after a BOM)
        raise QueryError(f"{path}:{line}: not UTF-8 text (save the queries file as UTF-8)") from None
    out = []
    for lineno, line in enumerate(text.split("\n"), 1):
        line = line.lstrip("\ufeff")  # a byte-order mark inside: files joined with cat
        if not line.strip():
            continue
        if not line.lstrip().startswith("{"):
            out.append((str(lineno), line.strip()))
            continue
        expected = f"{path}:{lineno}: expected {{\"id\": ..., \"query\": \"...\"}}"
        record, problem = json_record(line)
        if problem:
            raise QueryError(f"{expected}, {problem}")
        if not isinstance(record, dict) or "query" not in record:
            raise QueryError(f"{expected}: no \"query\"")
        if not isinstance(record["query"], str):
            raise QueryError(f"{expected}: the query must be a string, not {_json_type(record['query'])}")
        qid = record.get("id", lineno)
        if isinstance(qid, float) and not math.isfinite(qid):  # 1e400 reads as infinity
            what = "NaN" if math.isnan(qid) else "a number too large to hold (it reads as infinity)"
            raise QueryError(f"{expected}: the id must be a string or a finite number, not {what}")
        if isinstance(qid, bool) or not isinstance(qid, (str, int, float)):
            raise QueryError(f"{expected}: the id must be a string or a number, not {_json_type(qid)}")
        out.append((str(qid), record["query"]))
    return out


def _json_type(value) -> str:
    names = {type(None): "null", bool: "true/false", int: "a number", float: "a number", str: "a string",
             list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


@cli.command()
@click.argument("query", required=False)
@click.option("--limit", "-n", default=10, show_default=True,
              help="Number of passages to show (of documents with --format trec).")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines, one object per hit (--format json).")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "trec"]),
              help="text (the default), json (as --json), or trec: TREC run lines "
                   "'qid Q0 docno rank score vnsearch' for trec_eval, one per document (needs --queries).")
@click.option("--passages", is_flag=True,
              help="With --format trec: one line per passage, docno doc_id#seq, instead of per document.")
@click.option("--queries", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Run every query in FILE (one per line, or JSON Lines with id and query).")
@color_option
@click.option("--topic", type=click.Choice(list(TOPICS)), help="Only passages about this topic.")
@click.option("--explain", is_flag=True, help="Show which fields and terms made each score, and where accent bonuses went.")
@click.option("--suggest", is_flag=True,
              help="For an unaccented query, up to three accented readings as the corpus writes them "
                   "(stderr; with --json a suggestions record per query).")
@click.option("--since", metavar="DATE",
              help="Only documents dated in or after this period: 2022, 2022-12, 2022-12-02 or 2/12/2022.")
@click.option("--until", metavar="DATE", help="Only documents dated in or before this period (--until 2022-12 "
                                               "keeps 31 December).")
@click.option("--doc-type", metavar="CODE",
              help="Only documents that are of this type themselves: CT, NQ, QĐ, NĐ, ... or \"chỉ thị\".")
@click.option("--issuer", metavar="CODE", help="Only documents issued by this body, as their number ends: TU, TW, UBND, CP.")
@click.option("--cites", metavar="NUMBER",
              help="Only passages citing this document, written any way (19-CT/TW, \"chi thi 19\"); "
                   "with no QUERY, every such passage.")
@click.option("--in", "within", metavar="PATH|ID", help="Only passages of this document (its path or id).")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True,
              help="date: newest documents first among the passages that match every word.")
@handle_errors
def search(query, limit, index_dir, as_json, output_format, passages, queries, color, topic, explain, suggest,
           since, until, doc_type, issuer, cites, within, sort):
    """Search passages; accents are optional (bao hiem = bảo hiểm).

    \b
    Syntax: words (any may match; more matches rank higher), "a phrase"
    (must match in order; its words when no passage has it; a boost in a
    long question), -word or NOT word (must not match), a AND b (both must
    match).
    \b
    Examples:
      vnsearch search "bao hiem xa hoi"
      vnsearch search '"bảo hiểm y tế" -BHXH' --json
      vnsearch search "chi thi" --topic tet --explain
      vnsearch search --queries questions.txt --json
      vnsearch search --queries questions.jsonl --format trec > run.txt
      vnsearch search "phòng cháy" --since 2022 --doc-type CT --issuer TU
      vnsearch search --cites 19-CT/TW --sort date
    """
    options = dict(since=since, until=until, doc_type=doc_type, issuer=issuer, cites=cites, within=within,
                   sort=sort)
    if queries is None and query is None and cites is not None:
        query = ""  # every passage citing the document
    if queries is None and query is None:
        raise QueryError("give a QUERY or --queries FILE")
    if queries is not None and query is not None:
        raise QueryError("give a QUERY or --queries FILE, not both")
    if as_json and output_format not in (None, "json"):
        raise QueryError(f"--json and --format {output_format} disagree: give one of them")
    output_format = output_format or ("json" if as_json else "text")
    trec = output_format == "trec"
    if passages and not trec:
        raise QueryError("--passages only applies to --format trec")
    if trec and queries is None:
        raise QueryError("--format trec needs --queries FILE (a TREC run names each query by its id)")
    if trec and explain:
        raise QueryError("--explain does not apply to --format trec")
    batch = _read_queries(queries) if queries else [(None, query)]
    if not batch:
        raise QueryError(f"{queries} has no queries")
    if trec:
        for qid, _ in batch:
            render.trec_id("query id", qid)
    colored = render.use_color(color, sys.stdout.isatty())
    found = False
    failed = 0  # queries of a batch that could not be searched (each said so on stderr)
    run_lines = []  # a TREC run is printed whole, once every id in it is known to fit the format
    with open_index(index_dir) as ix:
        for qid, text in batch:
            try:
                if trec and not passages:
                    result = ix.search_documents(text, limit=limit, query_id=qid, topic=topic, **options)
                else:
                    result = ix.search(text, limit=limit, query_id=qid, topic=topic, explain=explain, **options)
            except QueryError as e:
                if qid is None:
                    raise
                say(f"vnsearch: warning: query {qid}: {e}")
                failed += 1
                continue
            def tell(message: str) -> None:  # a note on stderr, naming the query in a batch
                say(f"vnsearch: {message}" if qid is None else f"vnsearch: query {qid}: {message}")

            if result.understood:
                tell(f"searching for: {result.understood}")
            if explain and result.accents:
                tell("accents: " + "; ".join(f"{typed} → {', '.join(forms)}" for typed, forms in result.accents.items()))
            if result.notice:
                tell(result.notice)
            if result.undated_left_out:
                n = result.undated_left_out
                tell(f"the date filter left out {n} passage{'s' if n != 1 else ''} of undated documents")
            found = found or bool(result.hits)
            for hit in result.hits:
                if trec:
                    run_lines.append(render.format_trec(hit, passages))
                elif output_format == "json":
                    click.echo(render.format_json(hit))
                else:
                    click.echo(render.format_hit(hit, colored), color=colored)
            if result.suggestion and qid is None:
                say(f"vnsearch: did you mean: {result.suggestion}?")
            if suggest:
                readings = ix.suggestions(text)
                if output_format == "json":
                    click.echo(render.json_line({"suggestions": readings, "query_id": qid}))
                elif readings:
                    tell(f"did you mean: {' / '.join(readings)}")
    if run_lines:
        click.echo("\n".join(run_lines))
    if failed == len(batch):  # not one query could be searched: an error, not "no match"
        sys.exit(2)
    sys.exit(0 if found else 1)


@cli.command()
@click.argument("query")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines, one object per citation.")
@color_option
@handle_errors
def ref(query, index_dir, as_json, color):
    """List every passage that cites a document, however it is written.

    QUERY is a document number as users type it: 19-CT/TW, 19/CT-TW, "chỉ thị 19",
    "chi thi so 19", 15-2020-ND-CP. A partial number lists every matching document.
    When the document itself is indexed, it comes first ("self": true with --json).

    \b
    Examples:
      vnsearch ref 19-CT/TW
      vnsearch ref "chi thi 16" --json
    """
    colored = render.use_color(color, sys.stdout.isatty())
    with open_index(index_dir) as ix:
        groups = ix.references(query)
        for group in groups:
            if as_json:
                for c in group.citations:
                    click.echo(render.json_line(c.to_dict(group.info)))
            else:
                click.echo(render.format_ref_group(group, colored), color=colored)
    if not groups:
        say(f"vnsearch: no passage cites {query.strip()}")
    sys.exit(0 if groups else 1)


@cli.command()
@click.option("--type", "type_code", metavar="CODE",
              help="Only this type, by code or name: CT, NQ, KL, QĐ, NĐ, TT, KH, ... or \"chỉ thị\".")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON Lines, one object per document.")
@handle_errors
def refs(type_code, index_dir, as_json):
    """List every document cited in the corpus, with how often it is cited.

    A document that is itself indexed is marked [in corpus: its id] (in_corpus with --json).

    \b
    Examples:
      vnsearch refs
      vnsearch refs --type CT --json
    """
    from .refs import TYPE_NAMES, document_type

    wanted = None
    if type_code is not None:
        wanted = document_type(type_code)
        if wanted is None:
            raise QueryError(f"unknown document type {type_code!r} (choose from: {', '.join(TYPE_NAMES)})")
    with open_index(index_dir) as ix:
        rows = sorted(((r, i) for r, i in ix.catalogue.items() if i["count"]), key=lambda kv: (kv[1]["type"] or "", kv[0]))
        if wanted:
            rows = [(r, i) for r, i in rows if i["type"] == wanted]
        if not rows:
            kind = f" of type {wanted} ({TYPE_NAMES[wanted]})" if wanted else ""
            say(f"vnsearch: no document{kind} is cited in {ix.location}")
        for ref_id, info in rows:
            if as_json:
                click.echo(render.json_line({"ref_id": ref_id, **info, "in_corpus": bool(info.get("documents"))}))
            else:
                click.echo(render.format_catalogue_row(ref_id, info))
    sys.exit(0 if rows else 1)


@cli.command()
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@handle_errors
def stats(index_dir, as_json):
    """Show what the index holds: documents, passages, terms, references, size, build time.

    \b
    Example:
      vnsearch stats --index ~/vn-index
    """
    with open_index(index_dir) as ix:
        info = ix.stats()
    if as_json:
        click.echo(render.json_line(info))
        return
    click.echo(render.format_stats(info), nl=False)


def main() -> None:
    # A terminal or pipe that cannot show Vietnamese (PYTHONIOENCODING=latin-1, a C locale)
    # gets escapes, not a UnicodeEncodeError.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    cli(prog_name="vnsearch")
