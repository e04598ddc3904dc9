"""The CLI as a user meets it: whole outputs, exit codes, JSON fields, help texts."""
import base64
import json
import os
import re
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from searcher import build_index
from searcher.cli import cli


@pytest.fixture
def run(corpus_index_dir):
    def run(*args, index=True):
        argv = list(args) + (["--index", str(corpus_index_dir)] if index else [])
        return CliRunner().invoke(cli, argv, catch_exceptions=False)

    return run


def json_hits(result):
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_search_json_has_the_documented_fields(run):
    result = run("search", "bao hiem xa hoi", "--json", "--limit", "3")
    assert result.exit_code == 0
    hits = json_hits(result)
    assert [h["rank"] for h in hits] == [1, 2, 3]
    for h in hits:
        assert {"rank", "score", "doc_id", "title", "path", "line", "start", "end", "text", "snippet"} <= set(h)
    assert any("bảo hiểm xã hội" in h["text"].lower() for h in hits)
    assert "bảo hiểm" in result.output  # non-ASCII is not escaped


def test_terminal_output_has_rank_source_and_snippet_without_colour(run):
    result = run("search", "dong khoi moi", "--limit", "1")
    assert result.exit_code == 0
    first = result.output.splitlines()[0]
    assert first.startswith("1. ") and "dong-khoi-moi-ben-tre.txt:" in first and "score" in first
    assert "\x1b[" not in result.output


def test_colour_always_bolds_matches(run):
    result = run("search", "tết", "--limit", "1", "--color", "always")
    assert "\x1b[1mTết\x1b[0m" in result.output


def test_no_match_exits_1(run):
    result = run("search", "xyzzy")
    assert result.exit_code == 1 and result.output == ""


@pytest.mark.parametrize("query", ["", "   "])
def test_empty_query_exits_2_with_one_line(run, query):
    result = CliRunner().invoke(cli, ["search", query, "--index", "unused"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "error" in result.output


def test_missing_index_dir_exits_2(tmp_path):
    result = CliRunner().invoke(cli, ["search", "tết", "--index", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert result.output.startswith("vnsearch: error: no index at")


def test_batch_queries_carry_query_ids(run, tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": "q1", "query": "tết nguyên đán"}\n{"id": "q2", "query": "xyzzy"}\n', encoding="utf-8")
    result = run("search", "--queries", str(queries), "--json", "--limit", "2")
    assert result.exit_code == 0
    assert [h["query_id"] for h in json_hits(result)] == ["q1", "q1"]
    plain = tmp_path / "q.txt"
    plain.write_text("bảo hiểm y tế\n\ntết\n", encoding="utf-8")
    result = run("search", "--queries", str(plain), "--json", "--limit", "1")
    assert [h["query_id"] for h in json_hits(result)] == ["1", "3"]


def test_index_command_builds_and_search_uses_it(tmp_path, make_corpus):
    root = make_corpus({"a.txt": "Chỉ thị về Tết\n\nTổ chức đón Tết Nguyên đán vui tươi, an toàn."})
    index_dir = tmp_path / "ix"
    result = CliRunner().invoke(cli, ["index", str(root), "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"vnsearch: {index_dir}: 1 file read (1 document); 1 passage indexed in ")
    result = CliRunner().invoke(cli, ["index", str(root), "--index", str(index_dir)])
    assert result.output.startswith(f"vnsearch: {index_dir}: index is up to date (1 file unchanged) in ")
    result = CliRunner().invoke(cli, ["search", "don tet", "--index", str(index_dir), "--json"])
    assert json_hits(result)[0]["doc_id"] == "a.txt"


def test_index_follows_links_out_of_the_folders_only_when_asked(tmp_path, make_corpus):
    root = make_corpus({"a.txt": "Đón Tết an toàn."})
    (tmp_path / "notes.txt").write_text("Ghi chú riêng về Tết", encoding="utf-8")
    (root / "notes.txt").symlink_to(tmp_path / "notes.txt")
    index_dir = str(tmp_path / "ix")
    result = CliRunner().invoke(cli, ["index", str(root), "--index", index_dir])
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == (f"vnsearch: warning: {root / 'notes.txt'}: link to "
                                             f"{tmp_path / 'notes.txt'}, outside the indexed folders "
                                             "(--follow-links follows it), skipped")
    assert "1 skipped (1 link outside the indexed folders)" in result.output.splitlines()[1]
    assert CliRunner().invoke(cli, ["search", "ghi chu", "--index", index_dir]).exit_code == 1
    result = CliRunner().invoke(cli, ["index", str(root), "--index", index_dir, "--follow-links"])
    assert result.exit_code == 0 and "warning" not in result.output
    result = CliRunner().invoke(cli, ["search", "ghi chu", "--index", index_dir, "--json"])
    assert json_hits(result)[0]["doc_id"] == "notes.txt"


def test_a_name_that_is_not_utf8_shows_escaped_and_exports_its_bytes(tmp_path, make_corpus, monkeypatch):
    root = make_corpus({"a.txt": "Đón Tết an toàn."})
    raw = b"b\xe1o-c\xe1o.txt"
    (root / os.fsdecode(raw)).write_text("Báo cáo\n\nBảo hiểm xã hội tỉnh.", encoding="utf-8")
    (root / os.fsdecode(b"r\xf6ng.txt")).write_bytes(b"")
    index_dir = str(tmp_path / "ix")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["index", "docs", "--index", index_dir])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "vnsearch: warning: docs/r\\xf6ng.txt: empty file, skipped"
    result = CliRunner().invoke(cli, ["search", "xa hoi", "--index", index_dir, "--limit", "1"])
    assert result.output.splitlines()[0].startswith("1. docs/b\\xe1o-c\\xe1o.txt:1  score ")
    result = CliRunner().invoke(cli, ["search", "xa hoi", "--index", index_dir, "--limit", "1", "--json"])
    hit = json.loads(result.stdout_bytes.decode("utf-8"))  # valid UTF-8, and JSON any parser takes
    assert hit["doc_id"] == "b\\xe1o-c\\xe1o.txt" and base64.b64decode(hit["doc_id_bytes"]) == raw
    assert hit["path"] == str(root.resolve() / "b\\xe1o-c\\xe1o.txt")
    assert base64.b64decode(hit["path_bytes"]) == os.fsencode(root.resolve()) + b"/" + raw
    assert list(hit)[4:8] == ["title", "path", "path_bytes", "line"]
    result = CliRunner().invoke(cli, ["search", "don tet", "--index", index_dir, "--limit", "1", "--json"])
    assert "path_bytes" not in json.loads(result.stdout) and "doc_id_bytes" not in json.loads(result.stdout)


def test_an_empty_path_is_an_error_not_the_current_folder(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("Đón Tết an toàn.", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for paths in ([""], [".", ""]):
        result = CliRunner().invoke(cli, ["index", *paths, "--index", "i1"])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == "vnsearch: error: an empty path names no file or folder (for the current folder, give .)\n"
        assert not (tmp_path / "i1").exists()


def test_an_index_folder_inside_the_corpus_is_left_out_of_it(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Đón Tết an toàn.", encoding="utf-8")
    index_dir = docs / "ix"
    run = CliRunner().invoke
    assert run(cli, ["index", str(docs), "--index", str(index_dir)]).exit_code == 0
    (index_dir / "notes.jsonl").write_text('{"id": "x", "text": "Bảo hiểm xã hội."}\n', encoding="utf-8")
    for options, summary in (([], "index is up to date (1 file unchanged) in "),
                             (["--rebuild"], "1 file read (1 document); 1 passage indexed in ")):
        result = run(cli, ["index", str(docs), "--index", str(index_dir), *options])
        assert result.exit_code == 0 and result.stderr.startswith(f"vnsearch: {index_dir}: {summary}")
    assert run(cli, ["search", "bảo hiểm", "--index", str(index_dir)]).exit_code == 1
    # Through a link to it, or named by another path, it is the same folder.
    (docs / "link").symlink_to(index_dir)
    result = run(cli, ["index", str(docs), "--index", str(tmp_path / "docs" / "." / "ix"), "--rebuild"])
    assert result.exit_code == 0
    assert result.stderr.startswith(f"vnsearch: {tmp_path}/docs/ix: 1 file read (1 document); 1 passage indexed in ")


def test_index_with_nothing_indexable_exits_2(tmp_path):
    (tmp_path / "x.bin").write_bytes(b"\x00")
    result = CliRunner().invoke(cli, ["index", str(tmp_path), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 2
    assert "nothing to index" in result.output


def test_first_search_builds_the_default_index(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VNSEARCH_INDEX", raising=False)
    result = CliRunner().invoke(cli, ["search", "bao hiem xa hoi", "--limit", "1"])
    assert result.exit_code == 0
    assert "indexing the bundled corpus" in result.output
    assert (tmp_path / "index" / "CURRENT").exists()


def test_a_first_build_killed_midway_is_no_build(tmp_path, monkeypatch):
    """What kill -9 leaves of the first automatic build: the lock file and an unfinished build
    (marked as ours, without meta.json). The next search builds the default index again."""
    from searcher.engines.local import storage

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VNSEARCH_INDEX", raising=False)
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / ".lock").write_bytes(b"")
    killed = storage.new_generation(tmp_path / "index")
    (killed / "_MAIN_0.toc.1795590929.170801").write_bytes(b"")
    result = CliRunner().invoke(cli, ["search", "bao hiem xa hoi", "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("vnsearch: no index yet; indexing the bundled corpus into index/ ...\n")
    assert not killed.exists() and [p.name for p in (tmp_path / "index").glob("gen-*")] == [
        (tmp_path / "index" / "CURRENT").read_text().strip()]


def test_env_variable_names_the_index(corpus_index_dir, monkeypatch):
    monkeypatch.setenv("VNSEARCH_INDEX", str(corpus_index_dir))
    assert CliRunner().invoke(cli, ["search", "tết", "--limit", "1"]).exit_code == 0


def test_every_command_has_help_with_an_example():
    for name, command in cli.commands.items():
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0
        assert "Example" in result.output, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts[0]} has no help text"


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "searcher", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "vnsearch" in out.stdout


# Ctrl-C pressed while the CLI's modules are still loading (click is among the first).
CTRL_C_WHILE_LOADING = """
import os, signal, sys
class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "click":
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)
        return None
sys.meta_path.insert(0, CtrlC())
"""


@pytest.mark.parametrize("how", ["console script", "python -m searcher"])
def test_ctrl_c_while_the_command_loads_is_one_line_and_exit_130(corpus_index_dir, how):
    import subprocess
    import sys

    pyproject = (Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    module, function = re.search(r'^vnsearch = "([\w.]+):(\w+)"', pyproject, re.M).groups()
    if how == "console script":  # what pip's generated script does
        run = f"from {module} import {function} as main\nsys.exit(main())\n"
    else:
        run = "import runpy\nrunpy.run_module('searcher', run_name='__main__', alter_sys=True)\n"
    argv = ["vnsearch", "search", "tết", "--index", str(corpus_index_dir)]
    code = f"{CTRL_C_WHILE_LOADING}sys.argv = {argv!r}\n{run}"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "vnsearch: interrupted\n")


def test_ref_prints_citations_and_exits_1_when_uncited(run):
    result = run("ref", "19-CT/TW", "--json")
    assert result.exit_code == 0
    assert [(h["ref_id"], h["line"]) for h in json_hits(result)] == [("19-CT/TW", 80), ("19-CT/TW", 85), ("19-CT/TW", 106)]
    result = run("ref", "99-CT/TW")
    assert result.exit_code == 1 and result.stdout == ""


def test_ref_groups_a_partial_number_by_document(tmp_path, make_corpus):
    root = make_corpus({"a.txt": "Thực hiện Chỉ thị số 19-CT/TW và Nghị định số 19/2022/NĐ-CP của Chính phủ."})
    CliRunner().invoke(cli, ["index", str(root), "--index", str(tmp_path / "ix")])
    result = CliRunner().invoke(cli, ["ref", "19", "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0
    heads = [line.split()[0] for line in result.stdout.splitlines() if line and not line.startswith(" ")]
    assert heads == ["19-CT/TW", "19/2022/NĐ-CP"]


def test_refs_lists_the_catalogue(run):
    result = run("refs")
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["01-CT/TU", "16-CT/TU", "19-CT/TW"]
    for type_ in ("ct", "Chỉ thị", "chi thi"):
        assert run("refs", "--type", type_).stdout == result.stdout


def test_refs_of_a_type_nobody_cites_says_so(run, corpus_index_dir):
    result = run("refs", "--type", "nđ")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"vnsearch: no document of type NĐ (Nghị định) is cited in {corpus_index_dir}\n"


@pytest.mark.parametrize("type_", ["XYZ", "", "chỉ"])
def test_refs_of_an_unknown_type_is_an_error_listing_the_types(type_):
    result = CliRunner().invoke(cli, ["refs", "--type", type_, "--index", "unused"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"vnsearch: error: unknown document type {type_!r} (choose from: CT, NQ, KL, QĐi, QĐ, "
                             "NĐ, TT, TTLT, KH, HD, TB, BC, TTr, CTr, QC, VBHN, QH, CV)\n")


@pytest.mark.parametrize("size", ["nan", "inf", "-inf", "1e-9", "0", "-3", "1e400"])
def test_max_doc_size_must_be_a_real_size(tmp_path, make_corpus, size):
    root = make_corpus({"a.txt": "Tết\n\nĐón Tết."})
    result = CliRunner().invoke(cli, ["index", str(root), "--index", str(tmp_path / "ix"), "--max-doc-size", size])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("vnsearch: error: Invalid value for '--max-doc-size': ")
    assert result.stderr.endswith("is not a size in MB (give at least 0.001, e.g. 20)\n")
    assert not (tmp_path / "ix").exists()


def test_stats_counts_what_the_index_holds(run):
    result = run("stats", "--json")
    info = json.loads(result.stdout)
    assert (info["files"], info["documents"], info["references"], info["citations"]) == (2, 2, 3, 6)
    assert info["passages"] > 20 and info["size_bytes"] > 0


BAD_QUERIES = {
    "only stop words": "và của các",
    "10,000 characters": ("bảo hiểm xã hội " * 700)[:10_000],
    "only punctuation": "!!! ??? ... ,,,",
    "unbalanced quote": '"bao hiem xa hoi',
    "lone dash": "-",
    "control characters": "tết\x00\x01\x07\x1b[31m bảo",
    "mixed scripts": "bảo hiểm Москва 中文 ελληνικά tết",
    "lone quote": "'",
    "empty phrase": '""',
    "only exclusions": "-tết -bhxh",
}


@pytest.mark.parametrize("query", BAD_QUERIES.values(), ids=BAD_QUERIES.keys())
def test_odd_queries_give_results_no_results_or_one_line(run, query):
    result = run("search", "--", query, "--limit", "3")
    if result.exit_code == 2:
        assert result.stdout == "" and result.stderr.count("\n") == 1
        assert result.stderr.startswith("vnsearch: error: ")
    else:
        assert result.exit_code in (0, 1)
        assert "Traceback" not in result.output


def test_long_question_still_finds_its_passage(run):
    result = run("search", BAD_QUERIES["10,000 characters"], "--json", "--limit", "1")
    assert result.exit_code == 0 and "bảo hiểm xã hội" in json_hits(result)[0]["text"].lower()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["search", "-tết"], "no such option: -tết (to search for a word starting with -, put -- before"),
        (["search", "tết", "--limit", "x"], "'x' is not a valid integer"),
        (["serch", "tết"], "No such command 'serch'"),
        (["search", "tết", "--color", "blue"], "'blue' is not one of"),
    ],
)
def test_usage_errors_are_one_line(argv, message):
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr


def test_bare_command_prints_help():
    result = CliRunner().invoke(cli, [])
    assert result.exit_code == 0 and "Usage:" in result.stdout and "search" in result.stdout


def test_search_works_on_a_read_only_index(corpus_index_dir, tmp_path, monkeypatch):
    """A read-only index (a shared drive, a CD) is searched without writing a byte to it."""
    import builtins
    import os
    import shutil

    copy = tmp_path / "ro-index"
    shutil.copytree(corpus_index_dir, copy)
    real_open, real_os_open = builtins.open, os.open

    def refuse_writes_under_copy(path, mode="r", *args, **kwargs):
        if str(path).startswith(str(copy)) and any(c in mode for c in "wax+"):
            raise PermissionError(30, "Read-only file system", str(path))
        return real_open(path, mode, *args, **kwargs)

    def refuse_os_writes(path, flags, *args, **kwargs):
        if str(path).startswith(str(copy)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise PermissionError(30, "Read-only file system", str(path))
        return real_os_open(path, flags, *args, **kwargs)

    for p in [copy, *copy.rglob("*")]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    monkeypatch.setattr(builtins, "open", refuse_writes_under_copy)
    monkeypatch.setattr(os, "open", refuse_os_writes)
    try:
        result = CliRunner().invoke(cli, ["search", "tết", "--index", str(copy)], catch_exceptions=False)
    finally:
        for p in [copy, *copy.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
    assert result.exit_code == 0 and "Tết" in result.stdout


def test_an_index_of_another_format_asks_for_rebuild(corpus_index_dir, tmp_path):
    import shutil

    from searcher.engines.local import storage

    copy = tmp_path / "old-index"
    shutil.copytree(corpus_index_dir, copy)
    meta_path = storage.current_generation(copy) / storage.META
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(json.dumps({**meta, "format": 0}), encoding="utf-8")
    result = CliRunner().invoke(cli, ["search", "tết", "--index", str(copy)])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "vnsearch index --rebuild" in result.stderr


def test_a_folder_that_is_not_an_index_is_an_error(tmp_path):
    (tmp_path / "notes.txt").write_text("not an index", encoding="utf-8")
    result = CliRunner().invoke(cli, ["search", "tết", "--index", str(tmp_path)])
    assert result.exit_code == 2 and "is not a vnsearch index" in result.stderr


def test_closed_pipe_exits_quietly(corpus_index_dir, tmp_path):
    """`vnsearch search ... | head -1`: no BrokenPipeError, no message, status 0."""
    import subprocess
    import sys

    queries = tmp_path / "q.txt"
    queries.write_text("tết\nbảo hiểm xã hội\nchỉ thị\n" * 40, encoding="utf-8")  # output >> pipe buffer
    script = (f'"{sys.executable}" -m searcher search --queries "{queries}" --limit 20 '
              f'--index "{corpus_index_dir}" | head -1; echo "status=${{PIPESTATUS[0]}}" >&2')
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.count("\n") == 1
    assert done.stderr.strip() == "status=0"


# What a terminal acts on instead of showing (the layout's own newlines aside).
TERMINAL_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile_index(tmp_path, make_corpus):
    """An index whose file names, titles, ids and text carry escape sequences and bidi overrides."""
    root = make_corpus({
        "tết\x1b]0;owned\x07\nx.txt": "Tết \x1b[2J Nguyên đán\x1b]52;c;ZXZpbA==\x07\n\n"
                                     "Thực hiện Chỉ thị số 19-CT/TW về việc tổ chức Tết \u202eabc\u202c an toàn \x9b31m.\n",
        "docs.jsonl": [{"id": "id\x1b[31m\u2066", "title": "Tiêu\nđề\x07\x7f", "text": "Đón Tết \x1b[H vui tươi."}],
        "empty\x1b[2J.txt": "",
    })
    index_dir = tmp_path / "ix\x1b]0;t\x07"
    result = CliRunner().invoke(cli, ["index", str(root), "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "empty\\x1b[2J.txt: empty file, skipped" in result.stderr
    assert not TERMINAL_CONTROLS.search(result.output)
    return index_dir


def test_escape_sequences_in_documents_never_reach_the_terminal(hostile_index):
    ours = re.compile(r"\x1b\[(1|0|2|36)m")  # vnsearch's own bold, dim and colour, none in the corpus

    def run(*args):
        result = CliRunner().invoke(cli, [*args, "--index", str(hostile_index)])
        assert not TERMINAL_CONTROLS.search(ours.sub("", result.output)), (args, result.output)
        return result

    result = run("search", "tết", "--color", "always")
    assert result.exit_code == 0
    heads = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("\x1b[36m")]
    assert heads[0].endswith("/docs/tết\\x1b]0;owned\\x07\\nx.txt:1")
    assert heads[1].endswith("/docs/docs.jsonl:1")
    assert "Tiêu đề\\x07\\x7f" in result.stdout  # the title stays on its line (titles are one line)
    assert "Nguyên đán\\x1b]52;c;ZXZpbA==\\x07" in result.stdout
    assert [len(hit.split("\n")) for hit in result.stdout.rstrip("\n").split("\n\n")] == [3, 3]
    assert "[id\\x1b[31m\\u2066]" in result.stdout
    result = run("ref", "19-CT/TW")
    assert "Tết \\u202eabc\\u202c an toàn \\x9b31m" in result.stdout
    assert "tết\\x1b]0;owned\\x07\\nx.txt:3\n" in result.stdout
    assert "\\u202eabc" in run("refs").stdout
    assert "ix\\x1b]0;t\\x07" in run("stats").stdout
    result = run("ref", "chỉ thị 99\x1b[2J")
    assert result.exit_code == 1 and "99\\x1b[2J" in result.stderr


def test_json_output_keeps_hostile_text_exact(hostile_index):
    result = CliRunner().invoke(cli, ["search", "tết", "--json", "--index", str(hostile_index)])
    assert not TERMINAL_CONTROLS.search(result.stdout.replace("\n", ""))
    hits = json_hits(result)
    assert [h["doc_id"] for h in hits] == ["tết\x1b]0;owned\x07\nx.txt", "id\x1b[31m\u2066"]
    assert hits[1]["title"] == "Tiêu đề\x07\x7f"  # titles are one line (short_title)
    assert "\u202eabc\u202c an toàn \x9b31m" in hits[0]["text"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"t\xe1\xba\xbft\n\xc4\x91\xe1\xbb\x93ng kh\xf4i\n", "q.txt:2: not UTF-8 text"),  # a Windows-1258 byte
        (b'\xef\xbb\xbf{"id": 1, "query": "x"}\n\xff', "q.txt:2: not UTF-8 text"),
        (b'{"id": "a", "query": null}\n', 'q.txt:1: expected {"id": ..., "query": "..."}: the query must be a string, not null'),
        (b'\n{"id": "a", "query": 19}\n', "q.txt:2: expected {\"id\": ..., \"query\": \"...\"}: the query must be a string, not a number"),
        (b'{"id": "a"}\n', 'q.txt:1: expected {"id": ..., "query": "..."}: no "query"'),
        (b'{"id": ["a"], "query": "t\xe1\xba\xbft"}\n', "q.txt:1: expected {\"id\": ..., \"query\": \"...\"}: the id must be a string or a number, not a list"),
        (b'{"id": null, "query": "t\xe1\xba\xbft"}\n', "the id must be a string or a number, not null"),
        (b'{"id": 1e400, "query": "x"}\n', "q.txt:1: expected {\"id\": ..., \"query\": \"...\"}: the id must be a "
                                           "string or a finite number, not a number too large to hold (it reads as infinity)"),
        (b'{"id": -1e999, "query": "x"}\n', "not a number too large to hold (it reads as infinity)"),
        (b'{"id": NaN, "query": "x"}\n', "the id must be a string or a finite number, not NaN"),
        (b'{"id": "a", "query": "x"\n', "q.txt:1: expected {\"id\": ..., \"query\": \"...\"}, not valid JSON"),
        (b'{"id": 2, "query": ' + b"[" * 5000 + b"]" * 5000 + b"}\n", ", JSON nested too deeply"),
        (b'{"id": 1' + b"0" * 5000 + b', "query": "x"}\n', ", a number too long to read"),
    ],
)
def test_bad_queries_files_are_one_line_errors_naming_the_line(run, tmp_path, content, message):
    queries = tmp_path / "q.txt"
    queries.write_bytes(content)
    result = run("search", "--queries", str(queries))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert result.stderr.startswith(f"vnsearch: error: {queries}:")


def test_queries_file_with_a_byte_order_mark_is_json_lines(run, tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text('\ufeff{"id": 7, "query": "tết nguyên đán"}\n{"id": "q2", "query": "bảo hiểm"}\n', encoding="utf-8")
    result = run("search", "--queries", str(queries), "--json", "--limit", "1")
    assert result.exit_code == 0
    assert [h["query_id"] for h in json_hits(result)] == ["7", "q2"]


def test_queries_lines_end_at_newline_only(run, tmp_path):
    queries = tmp_path / "q.txt"
    queries.write_text("tết\u2028nguyên đán\r\nbảo hiểm\n", encoding="utf-8")
    result = run("search", "--queries", str(queries), "--json", "--limit", "1")
    assert [h["query_id"] for h in json_hits(result)] == ["1", "2"]


def test_a_query_beside_a_queries_file_is_an_error(run, tmp_path):
    queries = tmp_path / "q.txt"
    queries.write_text("tết\n", encoding="utf-8")
    result = run("search", "bảo hiểm", "--queries", str(queries))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "vnsearch: error: give a QUERY or --queries FILE, not both\n"


def _installed_copy(tmp_path, with_corpus: bool):
    """The package as `pip install .` lays it out: no checkout beside it, the corpus inside it."""
    import shutil

    from searcher.corpus import bundled_corpus

    site = tmp_path / "site-packages"
    shutil.copytree(Path(__file__).resolve().parent.parent / "searcher", site / "searcher",
                    ignore=shutil.ignore_patterns("__pycache__"))
    if with_corpus:
        shutil.copytree(bundled_corpus(), site / "searcher" / "sample_corpus")
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    return site, cwd


def _run_installed(site, cwd, *args):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("VNSEARCH_INDEX", None)
    return subprocess.run([sys.executable, "-m", "searcher", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_an_installed_copy_builds_its_first_index_from_the_packaged_corpus(tmp_path):
    site, cwd = _installed_copy(tmp_path, with_corpus=True)
    done = _run_installed(site, cwd, "search", "bao hiem xa hoi", "--limit", "1", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["path"].startswith(str(site / "searcher" / "sample_corpus") + "/")
    assert (cwd / "index" / "CURRENT").exists()


def test_an_installation_without_its_corpus_says_so_and_writes_nothing(tmp_path):
    site, cwd = _installed_copy(tmp_path, with_corpus=False)
    done = _run_installed(site, cwd, "search", "bao hiem xa hoi")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("vnsearch: error: the bundled sample corpus is missing from this installation")
    assert done.stderr.count("\n") == 1
    assert not (cwd / "index").exists()


def test_and_and_not_filter_passages(tmp_path, make_corpus):
    root = make_corpus({"a.txt": "Tết\n\nĐón Tết vui vẻ.", "b.txt": "Xuân\n\nMùa xuân vui vẻ.",
                        "c.txt": "Tết và xuân\n\nTết đến, xuân về, vui vẻ.", "d.txt": "Nhạc\n\nBản nhạc nốt cao."})
    index_dir = tmp_path / "ix"
    assert CliRunner().invoke(cli, ["index", str(root), "--index", str(index_dir)]).exit_code == 0

    def doc_ids(query):
        result = CliRunner().invoke(cli, ["search", query, "--json", "--index", str(index_dir)])
        return sorted(h["doc_id"] for h in json_hits(result))

    assert doc_ids("tết xuân") == ["a.txt", "b.txt", "c.txt"]
    assert doc_ids("tết AND xuân") == ["c.txt"]
    assert doc_ids("vui AND NOT tết") == ["b.txt"]
    assert doc_ids("tết NOT xuân") == ["a.txt"]
    assert doc_ids("tet AND nhac") == []
    assert doc_ids("not") == ["d.txt"]


def test_search_snippets_show_document_numbers_as_ref_does(run):
    """The bundled corpus breaks "19-CT/TW" across lines (line 84-85); snippets show it whole."""
    hits = json_hits(run("search", "Chỉ thị số 19-CT/TW của Ban Bí thư", "--json", "--limit", "20"))
    assert any("19-\nCT/TW" in h["text"] for h in hits)
    snippets = [h["snippet"] for h in hits if "19-\nCT/TW" in h["text"]]
    assert snippets and all("19-CT/TW" in s and "19- CT" not in s for s in snippets)


# Runs `vnsearch index` on the parallel path (two processes whatever the machine) with one of its
# processes made to fail or to wait: argv is MODE MARKER PATH... --index DIR.
PARALLEL_RUN = r"""
import errno, os, sys, time
from pathlib import Path

os.cpu_count = lambda: 2
import searcher.engines.local.postingwriter as postingwriter
import searcher.engines.local.writer as writer
import searcher.indexer as indexer

indexer.PARALLEL_MIN_BYTES = 0
mode, marker = sys.argv[1], Path(sys.argv[2])


def waiting(*args, **kwargs):
    marker.touch()
    time.sleep(120)


def disk_full(*args):
    raise OSError(errno.ENOSPC, "No space left on device", *args[1:2])


if mode == "analysis-waits":
    indexer.analyze_document = waiting
elif mode == "writer-waits":
    postingwriter.PostingWriter.add_document = waiting
elif mode == "analysis-disk-full":
    indexer.analyze_document = disk_full
elif mode == "writer-disk-full":  # while postings beyond the memory bound go to disk
    writer.POOL_MB = 0
    postingwriter._write_chunk = lambda f, chunk: disk_full(None, f.name)
elif mode in ("analysis-stops-mid-result", "writer-disk-full-mid-result"):
    # A worker has written the length and half of an answer when Ctrl-C comes, or when the disk
    # fills. (For the disk, each worker's first answer is whole, so that the writer has passages,
    # and the next ones are cut once the writer has started: until then it reads any answer.)
    from multiprocessing.connection import Connection

    whole, answers, writing = Connection._send_bytes, [], marker.with_name("writing")

    def half_sent(self, buf):
        answers.append(buf)
        if mode == "writer-disk-full-mid-result":
            if len(answers) == 1:
                return whole(self, buf)
            while not writing.exists():
                time.sleep(0.05)
        self._send(len(buf).to_bytes(4, "big") + bytes(buf[:len(buf) // 2]))
        waiting()

    def full_once_half_sent(self, **fields):
        writing.touch()
        for _ in range(600):
            if marker.exists():
                disk_full(None, os.path.join(sys.argv[-1], "postings"))
            time.sleep(0.05)
        sys.exit("no analysis process stopped halfway")

    os.register_at_fork(after_in_child=lambda: setattr(Connection, "_send_bytes", half_sent))
    if mode == "writer-disk-full-mid-result":  # (the first passage finds the disk full)
        postingwriter.PostingWriter.add_document = full_once_half_sent
from searcher.cli import main

sys.argv = ["vnsearch", "index", *sys.argv[3:]]
main()
"""


def _parallel_index(tmp_path, mode, index_dir, copies=2):
    """Start the run in its own process group, as a terminal would; return (process, marker)."""
    import shutil
    import subprocess
    import sys

    from searcher.corpus import bundled_corpus

    docs = tmp_path / "docs"
    for i in range(copies):  # two copies: the analysis processes still busy while passages are written
        shutil.copytree(bundled_corpus(), docs / f"copy{i}")
        for f in (docs / f"copy{i}").iterdir():  # distinct content: identical copies are indexed once
            f.write_text(f.read_text(encoding="utf-8") + f"\n\nBản sao {i}.\n", encoding="utf-8")
    script = tmp_path / "run.py"
    script.write_text(PARALLEL_RUN, encoding="utf-8")
    marker = tmp_path / "started"
    process = subprocess.Popen([sys.executable, str(script), mode, str(marker), str(docs), "--index", str(index_dir)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    return process, marker


def _group_is_gone(pgid) -> bool:
    import os
    import time

    for _ in range(100):
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("mode", ["analysis-waits", "writer-waits", "analysis-stops-mid-result"])
def test_ctrl_c_on_the_parallel_path_prints_one_line(tmp_path, mode):
    import os
    import signal
    import time

    index_dir = tmp_path / "ix"
    process, marker = _parallel_index(tmp_path, mode, index_dir)
    try:
        for _ in range(1200):
            if marker.exists() or process.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), process.communicate()[1]
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: every process of the group
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert (process.returncode, out, err) == (130, "", "vnsearch: interrupted\n")
    assert _group_is_gone(process.pid)  # no helper process left behind
    assert not (index_dir / "CURRENT").exists()
    assert [p.name for p in index_dir.glob("gen-*")] == []


@pytest.mark.parametrize("mode, written", [("analysis-disk-full", ""), ("writer-disk-full", " (writing "),
                                           ("writer-disk-full-mid-result", " (writing ")])
def test_a_full_disk_on_the_parallel_path_is_one_line_and_keeps_the_old_index(tmp_path, corpus_index_dir, mode, written):
    import os
    import shutil
    import signal

    index_dir = tmp_path / "ix"
    shutil.copytree(corpus_index_dir, index_dir)
    before = (index_dir / "CURRENT").read_bytes()
    process, _ = _parallel_index(tmp_path, mode, index_dir)
    try:
        out, err = process.communicate(timeout=600)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    # (it warns first that the copied index held other paths)
    err = "".join(line for line in err.splitlines(True) if not line.startswith("vnsearch: warning:"))
    assert process.returncode == 2 and out == ""
    assert err.startswith(f"vnsearch: error: {index_dir}: no space left on device{written}"), err
    assert err.endswith("; the index was left as it was\n") and err.count("\n") == 1
    assert _group_is_gone(process.pid)
    assert (index_dir / "CURRENT").read_bytes() == before
    assert CliRunner().invoke(cli, ["search", "tết", "--index", str(index_dir)]).exit_code == 0


def test_a_phrase_no_passage_has_is_searched_as_words_with_one_line_on_stderr(run, tmp_path):
    result = run("search", '"nguyên đán tết"', "--limit", "1")
    assert result.exit_code == 0
    assert result.stdout.startswith("1. corpus/bao-tinh-thang-12-2022.txt:172  score")
    assert result.stderr == 'vnsearch: no passage has the phrase "nguyên đán tết"; searching its words instead\n'
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": "q1", "query": "\\"nguyên đán tết\\""}\n{"id": "q2", "query": "\\"tết nguyên đán\\""}\n',
                       encoding="utf-8")
    batch = run("search", "--queries", str(queries), "--json", "--limit", "1")
    assert [h["query_id"] for h in json_hits(batch)] == ["q1", "q2"]
    assert batch.stderr == 'vnsearch: query q1: no passage has the phrase "nguyên đán tết"; searching its words instead\n'


TREC_FILL = ("người dân trong xóm cùng nhau dọn dẹp nhà cửa, lau chùi bàn thờ, gói bánh chưng và chuẩn bị "
             "mâm ngũ quả để đón năm mới với nhiều niềm vui, hy vọng và ước mong một năm an khang thịnh vượng.")


@pytest.fixture
def trec_run(make_index, tmp_path):
    """A corpus where one document has the two best passages for "tết"; runs `search --queries`."""
    index_dir = make_index({
        "a.txt": f"Tết đến, tết về, {TREC_FILL}\n\nNgày tết, {TREC_FILL}\n\nMùa xuân, {TREC_FILL}",
        "b.txt": f"Chợ hoa ngày tết ở thành phố, {TREC_FILL}",
        "c.txt": "Bảo hiểm xã hội.",
    })
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": "q1", "query": "tết"}\n{"id": 2, "query": "bảo hiểm"}\n{"id": "q3", "query": "xyzzy"}\n',
                       encoding="utf-8")

    def run(*args):
        argv = ["search", "--queries", str(queries), "--index", str(index_dir), *args]
        return CliRunner().invoke(cli, argv, catch_exceptions=False)

    from searcher import Index

    with Index.open(index_dir) as ix:
        run.scores = {(h.doc_id, h.seq): h.score for q in ("tết", "bảo hiểm") for h in ix.search(q).hits}
    run.queries = queries
    return run


def test_trec_format_is_one_line_per_document_ranked_again(trec_run):
    s = trec_run.scores
    result = trec_run("--format", "trec", "--limit", "2")
    assert result.exit_code == 0 and result.stderr == ""
    # The two best passages are both a.txt's: the run still lists two documents.
    assert result.stdout == (
        f"q1 Q0 a.txt 1 {s['a.txt', 0]:.6f} vnsearch\n"
        f"q1 Q0 b.txt 2 {s['b.txt', 0]:.6f} vnsearch\n"
        f"2 Q0 c.txt 1 {s['c.txt', 0]:.6f} vnsearch\n"
    )
    assert all(len(line.split(" ")) == 6 for line in result.stdout.splitlines())  # trec_eval's columns


def test_trec_format_with_passages_names_each_passage(trec_run):
    s = trec_run.scores
    result = trec_run("--format", "trec", "--passages", "--limit", "3")
    assert result.exit_code == 0
    assert result.stdout == (
        f"q1 Q0 a.txt#0 1 {s['a.txt', 0]:.6f} vnsearch\n"
        f"q1 Q0 a.txt#1 2 {s['a.txt', 1]:.6f} vnsearch\n"
        f"q1 Q0 b.txt#0 3 {s['b.txt', 0]:.6f} vnsearch\n"
        f"2 Q0 c.txt#0 1 {s['c.txt', 0]:.6f} vnsearch\n"
    )


def test_format_json_is_json_and_json_output_is_unchanged(trec_run):
    as_flag, as_format = trec_run("--json"), trec_run("--format", "json")
    assert as_flag.exit_code == as_format.exit_code == 0
    assert as_flag.stdout == as_format.stdout
    assert [(h["query_id"], h["doc_id"], h["rank"]) for h in json_hits(as_flag)][:3] == [
        ("q1", "a.txt", 1), ("q1", "a.txt", 2), ("q1", "b.txt", 3)]


def test_trec_format_refuses_ids_with_whitespace_before_printing_anything(make_index, tmp_path):
    index_dir = make_index({"báo cáo tết.txt": "Tết nguyên đán.", "b.txt": "Tết ở quê."})
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": "q1", "query": "tết"}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["search", "--queries", str(queries), "--format", "trec", "--index", str(index_dir)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == ('vnsearch: error: document id "báo cáo tết.txt" cannot be a column of a TREC run '
                             "(it is empty or holds whitespace or control characters); rename it, or use --format json\n")
    queries.write_text('{"id": "câu 1", "query": "tết"}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["search", "--queries", str(queries), "--format", "trec", "--index", str(index_dir)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith('vnsearch: error: query id "câu 1" cannot be a column of a TREC run')


@pytest.mark.parametrize("args, message", [
    (["--format", "trec", "--json"], "--json and --format trec disagree: give one of them"),
    (["--format", "text", "--passages"], "--passages only applies to --format trec"),
    (["--format", "trec", "--explain"], "--explain does not apply to --format trec"),
])
def test_format_options_that_do_not_fit_together_are_one_line_errors(trec_run, args, message):
    result = trec_run(*args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"vnsearch: error: {message}\n"


def test_trec_format_needs_a_queries_file(run):
    result = run("search", "tết", "--format", "trec")
    assert result.exit_code == 2
    assert result.stderr == "vnsearch: error: --format trec needs --queries FILE (a TREC run names each query by its id)\n"


def test_queries_files_that_are_devices_bom_joined_or_non_finite_ids_are_errors(tmp_path, corpus_index_dir):
    run = lambda *a: CliRunner().invoke(cli, ["search", *a, "--index", str(corpus_index_dir), "--json"])  # noqa: E731
    result = run("--queries", "/dev/zero")
    assert result.exit_code == 2 and "not a regular file" in result.stderr
    joined = tmp_path / "joined.jsonl"
    joined.write_text('{"id": "a", "query": "tết"}\n\ufeff{"id": "b", "query": "bhyt"}\n', encoding="utf-8")
    result = run("--queries", str(joined))
    assert result.exit_code == 0 and {json.loads(l)["query_id"] for l in result.stdout.splitlines()} == {"a", "b"}
    for bad in ('{"id": NaN, "query": "tết"}', '{"id": 1e999, "query": "tết"}'):
        (tmp_path / "q.jsonl").write_text(bad + "\n", encoding="utf-8")
        result = run("--queries", str(tmp_path / "q.jsonl"))
        assert result.exit_code == 2 and "q.jsonl:1" in result.stderr


def test_max_doc_size_beyond_any_document_is_a_usage_error(tmp_path):
    for value in ("1e308", "1e15"):
        result = CliRunner().invoke(cli, ["index", str(tmp_path), "--index", str(tmp_path / "ix"), "--max-doc-size", value])
        assert result.exit_code == 2 and "more than any document" in result.stderr


def test_a_batch_whose_every_query_fails_is_an_error_not_a_miss(tmp_path, corpus_index_dir):
    queries = tmp_path / "q.txt"
    queries.write_text("-tết\n!!!\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["search", "--queries", str(queries), "--index", str(corpus_index_dir)])
    assert result.exit_code == 2 and result.stderr.count("warning: query") == 2


def test_a_terminal_that_cannot_show_vietnamese_gets_escapes(corpus_index_dir):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "searcher", "search", "tết", "-n", "1", "--index", str(corpus_index_dir)],
                            capture_output=True, env={**os.environ, "PYTHONIOENCODING": "latin-1"})
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    assert b"T\\u1ebft" in result.stdout or b"\\u1ebf" in result.stdout


@pytest.mark.parametrize("typed, meant", [
    ("baor hieemr xax hooij", "bảo hiểm xã hội"),
    ("ba3o hie63m xa4 ho65i", "bảo hiểm xã hội"),
    ("baohiemxahoi", "bao hiem xa hoi"),
])
def test_search_says_how_it_read_the_query(run, typed, meant):
    result = run("search", typed, "--limit", "1")
    assert result.exit_code == 0
    assert result.stderr.startswith(f"vnsearch: searching for: {meant}\n")
    assert result.stdout == run("search", meant, "--limit", "1").stdout


def test_search_does_not_read_words_the_corpus_has(run):
    assert "searching for" not in run("search", "bao hiem xa hoi", "--limit", "1").stderr


def test_suggest_prints_up_to_three_accented_readings_on_stderr(run):
    result = run("search", "bao hiem", "--suggest", "--limit", "1")
    assert result.exit_code == 0
    assert result.stderr == "vnsearch: did you mean: bảo hiểm / báo hiểm / bao hiểm\n"
    assert "did you mean" not in run("search", "bao hiem", "--limit", "1").stderr


def test_suggest_with_json_adds_one_suggestions_record_per_query(run, tmp_path):
    queries = tmp_path / "q.txt"
    queries.write_text("bao hiem\nbảo hiểm\n", encoding="utf-8")
    result = run("search", "--queries", str(queries), "--suggest", "--json", "--limit", "1")
    records = [r for r in json_hits(result) if "suggestions" in r]
    assert records == [
        {"suggestions": ["bảo hiểm", "báo hiểm", "bao hiểm"], "query_id": "1"},
        {"suggestions": [], "query_id": "2"},
    ]
    assert len(json_hits(result)) == 4  # one hit and one record per query


# A clause body of 30 words, so that the article is long enough to be cut at its clauses and points.
DUTY = ("cơ quan nhà nước có thẩm quyền phải tổ chức thực hiện việc kiểm tra, giám sát thường xuyên "
        "và báo cáo kết quả cho Ủy ban nhân dân cấp tỉnh theo định kỳ hằng năm")
ARTICLE_12 = f"""1. Tổ chức đề nghị cấp phép phải có hồ sơ hợp lệ.
2. Hồ sơ đề nghị cấp phép gồm:
a) Đơn đề nghị mà {DUTY};
b) Bản thuyết minh mà {DUTY};
c) Bản sao giấy chứng nhận mà {DUTY};
d) Phương án phòng cháy theo Chỉ thị số 19-CT/TW mà {DUTY}.
3. Bộ trưởng Bộ Y tế quy định mẫu đơn.
"""
ARTICLE_13 = "Giấy phép bị thu hồi khi tổ chức vi phạm quy định tại khoản 2 Điều 12 của Luật này.\n"


def _law(chapter: str = "") -> str:
    return (f"LUẬT THỬ NGHIỆM\n\n{chapter}Điều 12. Cấp phép thử nghiệm\n{ARTICLE_12}\n"
            f"Điều 13. Thu hồi giấy phép\n{ARTICLE_13}")


def test_a_hit_in_a_law_shows_its_section_in_the_header_json_and_ref(make_index):
    index_dir = str(make_index({"law.txt": _law("Chương II\nQUẢN LÝ THỬ NGHIỆM\n\n")}))

    def run(*args):
        return CliRunner().invoke(cli, [*args, "--index", index_dir], catch_exceptions=False)

    result = run("search", "phương án phòng cháy", "--limit", "1")
    head = result.stdout.splitlines()[0]
    assert re.fullmatch(r"1\. \S*law\.txt:11  Chương II, Điều 12, khoản 2, điểm c-d  score \d+\.\d\d", head), head
    hits = json_hits(run("search", "thu hồi", "--json", "--limit", "1"))
    assert [(h["section"], h["line"]) for h in hits] == [("Chương II, Điều 13", 15)]
    # A passage starting at the chapter heading is labelled with the article and clause that follow it.
    hits = json_hits(run("search", '"hồ sơ hợp lệ"', "--json"))
    assert [(h["section"], h["line"]) for h in hits] == [("Chương II, Điều 12, khoản 1", 3)]
    assert hits[0]["text"] == ("Chương II\nQUẢN LÝ THỬ NGHIỆM\n\nĐiều 12. Cấp phép thử nghiệm\n"
                               "1. Tổ chức đề nghị cấp phép phải có hồ sơ hợp lệ.")
    result = run("ref", "19-CT/TW")
    assert result.stdout.splitlines()[1].endswith("law.txt:12  Chương II, Điều 12, khoản 2, điểm c-d")
    [citation] = json_hits(run("ref", "19-CT/TW", "--json"))
    assert citation["section"] == "Chương II, Điều 12, khoản 2, điểm c-d"


def test_a_hit_outside_legal_text_has_a_null_section_and_a_plain_header(make_index):
    index_dir = str(make_index({"tin.txt": "Hội nghị tổng kết:\n1. Tăng cường tuyên truyền.\n2. Kiểm tra định kỳ.\n"}))
    result = CliRunner().invoke(cli, ["search", "tuyên truyền", "--json", "--index", index_dir])
    assert [h["section"] for h in json_hits(result)] == [None]
    result = CliRunner().invoke(cli, ["search", "tuyên truyền", "--index", index_dir])
    assert re.fullmatch(r"1\. \S*tin\.txt:1  score \d+\.\d\d", result.stdout.splitlines()[0])


def test_a_law_as_one_text_and_as_one_record_per_article_give_the_same_sections(make_index, tmp_path):
    def sections(files, index_name):
        index_dir = tmp_path / index_name
        build_index([make_corpus_at(tmp_path / (index_name + "-docs"), files)], index_dir)
        out = []
        for query in ("cơ quan nhà nước", "thu hồi giấy phép", "hồ sơ hợp lệ", "bộ trưởng"):
            result = CliRunner().invoke(cli, ["search", query, "--json", "--limit", "20", "--index", str(index_dir)])
            out += [(query, h["section"], h["text"][-40:]) for h in json_hits(result) if h["section"]]
        return sorted(out)

    records = [{"id": "thu-nghiem/12", "title": "Luật Thử nghiệm - Điều 12", "text": ARTICLE_12},
               {"id": "thu-nghiem/13", "title": "Điều 13. Thu hồi giấy phép", "text": ARTICLE_13}]
    whole = sections({"law.txt": _law()}, "whole")
    # Clause 2 is too long for one passage: it is cut between its points.
    assert {s for _, s, _ in whole} == {"Điều 12, khoản 1", "Điều 12, khoản 2, điểm a-b", "Điều 12, khoản 2, điểm c-d",
                                         "Điều 12, khoản 3", "Điều 13"}
    assert sections({"law.jsonl": records}, "records") == whole


def make_corpus_at(root: Path, files: dict) -> Path:
    for name, content in files.items():
        text = content if isinstance(content, str) else "\n".join(json.dumps(r, ensure_ascii=False) for r in content)
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_explain_says_where_the_accent_bonus_went_and_the_other_spelling_is_highlighted(run):
    result = run("search", "7 tỉ đồng", "--explain", "--limit", "1", "--color", "always")
    assert result.exit_code == 0
    assert result.stderr == "vnsearch: accents: tỉ → tỷ\n"
    assert "\x1b[1m7\x1b[0m \x1b[1mtỷ\x1b[0m \x1b[1mđồng\x1b[0m" in result.stdout
    assert "exact:tỷ" in result.stdout and "bigrams:7_ti" in result.stdout
    # Written as the corpus writes it: the bonus goes where it was typed, nothing to say.
    assert run("search", "7 tỷ đồng", "--explain", "--limit", "1").stderr == ""
    assert run("search", "7 tỉ đồng", "--limit", "1").stderr == ""  # (only with --explain)


# --- a document's own identity: search filters, --sort date, ref's self record, refs marks ----

@pytest.fixture(scope="module")
def docmeta_dir(tmp_path_factory):
    import docmeta_fixtures
    from searcher import build_index

    root = docmeta_fixtures.write_docs(tmp_path_factory, "docmeta-cli")
    build_index([root], root.parent / "ix")
    return root


@pytest.fixture
def meta_run(docmeta_dir):
    def run(*args):
        return CliRunner().invoke(cli, [*args, "--index", str(docmeta_dir.parent / "ix")], catch_exceptions=False)

    return run


@pytest.mark.parametrize("options, doc_ids", [
    (["--since", "2023"], {"quyet-dinh-123.txt", "truc-chien.html", "tin-tuc.txt"}),
    (["--until", "2022-12"], {"chi-thi-16.txt", "nghi-dinh-12.txt"}),
    (["--since", "2/12/2022", "--until", "2/12/2022"], {"chi-thi-16.txt"}),
    (["--doc-type", "CT"], {"chi-thi-16.txt"}),
    (["--doc-type", "nghị định"], {"nghi-dinh-12.txt"}),
    (["--issuer", "UBND"], {"quyet-dinh-123.txt"}),
    (["--cites", "chỉ thị 16"], {"quyet-dinh-123.txt", "tin-tuc.txt"}),
    (["--in", "ghi-chu.txt"], {"ghi-chu.txt"}),
])
def test_search_filters(meta_run, options, doc_ids):
    result = meta_run("search", "phòng cháy", "--json", *options)
    assert result.exit_code == 0
    assert {h["doc_id"] for h in json_hits(result)} == doc_ids


def test_search_in_a_path(meta_run, docmeta_dir):
    result = meta_run("search", "phòng cháy", "--json", "--in", str(docmeta_dir / "tin-tuc.txt"))
    assert [h["doc_id"] for h in json_hits(result)] == ["tin-tuc.txt"]


@pytest.mark.parametrize("name", ["khong-co.txt", "tin-tuc", "a\x00b"])
def test_search_in_a_document_the_index_lacks_is_an_error_not_a_silent_miss(meta_run, name):
    result = meta_run("search", "phòng cháy", "--in", name)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("vnsearch: error: --in ") and "no such document in the index" in result.stderr
    assert result.stderr.count("\n") == 1


def test_json_hits_carry_the_documents_identity(meta_run):
    (hit,) = json_hits(meta_run("search", "phòng cháy", "--json", "--doc-type", "CT"))
    assert (hit["number"], hit["doc_type"], hit["issuer"], hit["date"]) == ("16-CT/TU", "CT", "TU", "2022-12-02")


def test_terminal_hits_show_the_documents_number_and_date(meta_run):
    result = meta_run("search", "phòng cháy", "--doc-type", "CT")
    assert result.stdout.splitlines()[1] == "   TỈNH ỦY HÀ NAM  (tet, directive)  [16-CT/TU, 2022-12-02]"


def test_sort_date_puts_the_newest_first(meta_run):
    result = meta_run("search", "phòng cháy và chữa cháy", "--sort", "date", "--json")
    assert [(h["doc_id"], h["date"]) for h in json_hits(result)] == [
        ("quyet-dinh-123.txt", "2023-03-15"), ("tin-tuc.txt", "2023-02-06"), ("truc-chien.html", "2023-01-01"),
        ("chi-thi-16.txt", "2022-12-02"), ("nghi-dinh-12.txt", "2022-01-31"), ("ghi-chu.txt", None)]


def test_cites_without_query_words_lists_every_citing_passage(meta_run):
    result = meta_run("search", "--cites", "19-CT/TW", "--sort", "date", "--json")
    assert result.exit_code == 0
    assert [h["doc_id"] for h in json_hits(result)] == ["truc-chien.html", "chi-thi-16.txt"]


def test_a_date_filter_says_how_many_undated_passages_it_left_out(meta_run):
    result = meta_run("search", "phòng cháy", "--since", "2023", "--json")
    assert result.exit_code == 0
    assert result.stderr == "vnsearch: the date filter left out 1 passage of undated documents\n"


def test_a_filter_that_leaves_nothing_exits_1(meta_run):
    result = meta_run("search", "phòng cháy", "--since", "2025")
    assert result.exit_code == 1 and result.stdout == ""
    assert meta_run("search", "phòng cháy", "--cites", "99-CT/TW").exit_code == 1


@pytest.mark.parametrize("options, message", [
    (["--since", "2022-13"], "--since '2022-13' is not a date (give 2022, 2022-12, 2022-12-02 or 2/12/2022)"),
    (["--until", "hôm qua"], "--until 'hôm qua' is not a date (give 2022, 2022-12, 2022-12-02 or 2/12/2022)"),
    (["--doc-type", "XX"], "unknown document type 'XX' (choose from: "),
    (["--cites", "chỉ thị"], "'chỉ thị' names no document number (try: 19-CT/TW, chi thi 19)"),
    (["--sort", "newest"], "Invalid value for '--sort'"),
])
def test_bad_filters_exit_2_with_one_line(meta_run, options, message):
    result = meta_run("search", "phòng cháy", *options)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("vnsearch: error: " + message) and result.stderr.count("\n") == 1


def test_ref_lists_the_document_itself_first(meta_run):
    result = meta_run("ref", "16-CT/TU")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "16-CT/TU  Chỉ thị  (2 citations)"
    assert lines[1].endswith("docs/chi-thi-16.txt:3  (ngày 2022-12-02)") and "the document itself: " in lines[1]
    records = json_hits(meta_run("ref", "16-CT/TU", "--json"))
    assert [(r["doc_id"], r["self"]) for r in records] == [
        ("chi-thi-16.txt", True), ("quyet-dinh-123.txt", False), ("tin-tuc.txt", False)]


def test_ref_finds_a_document_that_nobody_cites(meta_run):
    records = json_hits(meta_run("ref", "12/2022/NĐ-CP", "--json"))
    assert [(r["doc_id"], r["self"], r["date"]) for r in records] == [("nghi-dinh-12.txt", True, "2022-01-31")]


def test_refs_marks_cited_documents_in_the_corpus(meta_run):
    result = meta_run("refs")
    assert result.stdout.splitlines() == [
        "16-CT/TU               Chỉ thị           2  [in corpus: chi-thi-16.txt]",
        "19-CT/TW               Chỉ thị           2",
    ]
    rows = json_hits(meta_run("refs", "--json"))
    assert [(r["ref_id"], r["in_corpus"], r["documents"]) for r in rows] == [
        ("16-CT/TU", True, ["chi-thi-16.txt"]), ("19-CT/TW", False, [])]


def test_a_search_loads_no_module_only_other_commands_or_rare_inputs_need(corpus_index_dir):
    # What a cold `vnsearch search` imports is most of its time: dataclasses compiles each
    # class's methods (searcher.records instead); base64 is for names that are not UTF-8; the
    # rest come with whoosh's writing and temporary storage, or hashlib's OpenSSL binding (the
    # terms table's md5 is computed without it).
    from conftest import loaded_by_a_search

    unneeded = ("dataclasses", "base64", "hashlib", "_hashlib", "shutil", "tempfile", "bz2", "lzma",
                "urllib.request", "whoosh.writing", "whoosh.multiproc", "searcher.indexer")
    assert loaded_by_a_search(corpus_index_dir, "bao hiem xa hoi", unneeded) == []


def test_a_file_size_limit_hit_while_building_names_the_index_in_one_line(tmp_path):
    # A write past RLIMIT_FSIZE fails with EFBIG and no file name (Python ignores SIGXFSZ).
    import resource
    import subprocess
    import sys

    from conftest import CORPUS

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    index_dir = tmp_path / "ix"
    process = subprocess.run([sys.executable, "-m", "searcher", "index", str(CORPUS), "--index", str(index_dir)],
                             capture_output=True, text=True, preexec_fn=limit, timeout=300)
    assert process.returncode == 2 and process.stdout == ""
    assert process.stderr == f"vnsearch: error: {index_dir}: File too large while building; the index was left as it was\n"
    assert not (index_dir / "CURRENT").exists()


def test_a_file_size_limit_hit_while_copying_the_index_for_an_update_is_the_same_one_line(tmp_path):
    """An update starts from a copy of the current index: a full disk (or a size limit) there
    reads as it does in a full build, and the index stays as it was."""
    import resource
    import shutil
    import subprocess
    import sys

    from conftest import CORPUS
    from searcher import build_index

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    docs, index_dir = tmp_path / "docs", tmp_path / "ix"
    shutil.copytree(CORPUS, docs)
    build_index([docs], index_dir)
    before = (index_dir / "CURRENT").read_bytes()
    assert max(p.stat().st_size for p in index_dir.glob("gen-*/*.seg")) > 100_000
    with open(next(docs.glob("*.txt")), "a", encoding="utf-8") as f:
        f.write("\nMột đoạn mới về Tết.\n")
    process = subprocess.run([sys.executable, "-m", "searcher", "index", str(docs), "--index", str(index_dir)],
                             capture_output=True, text=True, preexec_fn=limit, timeout=300)
    assert process.returncode == 2 and process.stdout == ""
    assert process.stderr == f"vnsearch: error: {index_dir}: File too large while building; the index was left as it was\n"
    assert (index_dir / "CURRENT").read_bytes() == before
    assert [p.name for p in index_dir.glob("gen-*")] == [before.decode().strip()]
    assert CliRunner().invoke(cli, ["search", "tết", "--index", str(index_dir)]).exit_code == 0


@pytest.mark.parametrize("option", ["--doc-type", "--in", "--topic", "--issuer", "--cites", "--since"])
def test_an_option_value_not_utf8_is_shown_with_its_byte_as_file_names_are(run, option):
    # (A terminal argument with byte 0xff reaches Python as the surrogate U+DCFF.)
    result = run("search", "tết", option, "x\udcff")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "'x\\xff'" in result.stderr and "udc" not in result.stderr


def _another_run_holding_the_lock(index_dir, seconds, then=None):
    """A thread holding the index's write lock for seconds (then doing then()), started and holding."""
    import threading

    from searcher.engines.local import storage

    locked = threading.Event()

    def hold():
        with storage.write_lock(index_dir):
            locked.set()
            time.sleep(seconds)
            if then:
                then()

    other = threading.Thread(target=hold)
    other.start()
    locked.wait(30)
    return other


@pytest.fixture
def fresh_checkout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VNSEARCH_INDEX", raising=False)
    return tmp_path


def test_a_search_started_during_another_searchs_first_build_waits_for_it(fresh_checkout):
    # Another search holds the lock while it builds the default index (here: puts a finished
    # build in place); this one waits for it rather than fail, and answers from that build.
    import shutil

    from searcher import build_index
    from searcher.corpus import bundled_corpus
    from searcher.engines.local import storage

    built, index = fresh_checkout / "built", fresh_checkout / "index"
    build_index([bundled_corpus()], built)

    def put_in_place():
        for entry in built.iterdir():
            if entry.name != storage.LOCK:
                (shutil.copytree if entry.is_dir() else shutil.copy)(entry, index / entry.name)

    other = _another_run_holding_the_lock(index, 0.5, then=put_in_place)
    result = CliRunner().invoke(cli, ["search", "bao hiem xa hoi", "--limit", "1"])
    other.join()
    assert result.exit_code == 0, result.output
    assert result.stderr == "vnsearch: no index yet; indexing the bundled corpus into index/ ...\n"
    assert [p.name for p in index.glob("gen-*")] == [p.name for p in built.glob("gen-*")]


def test_a_first_build_that_ends_with_nothing_built_is_made_again_by_the_search_waiting(fresh_checkout):
    other = _another_run_holding_the_lock(fresh_checkout / "index", 0.3)  # (killed before it built)
    result = CliRunner().invoke(cli, ["search", "bao hiem xa hoi", "--limit", "1"])
    other.join()
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"vnsearch: no index yet; indexing the bundled corpus into index/ \.\.\.\n"
                        r"vnsearch: indexed \d+ passages in \d+\.\d s\n", result.stderr)


def test_a_longer_writer_of_the_default_index_is_the_busy_error(fresh_checkout, monkeypatch):
    # (Someone's own `vnsearch index PATH` into ./index: the search waits FIRST_BUILD_WAIT, no more.)
    import searcher.cli

    monkeypatch.setattr(searcher.cli, "FIRST_BUILD_WAIT", 0.2)
    other = _another_run_holding_the_lock(fresh_checkout / "index", 1.5)
    result = CliRunner().invoke(cli, ["search", "bao hiem xa hoi", "--limit", "1"])
    other.join()
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "vnsearch: error: another vnsearch run is writing index; try again when it ends"