"""The CLI as a user meets it: whole outputs, exit codes, JSON fields, help texts."""
import json

import pytest
from click.testing import CliRunner

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
    assert "1 files read" in result.output
    result = CliRunner().invoke(cli, ["index", str(root), "--index", str(index_dir)])
    assert "index is up to date (1 files unchanged)" in result.output
    result = CliRunner().invoke(cli, ["search", "don tet", "--index", str(index_dir), "--json"])
    assert json_hits(result)[0]["doc_id"] == "a.txt"


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


def test_env_variable_names_the_index(corpus_index_dir, monkeypatch):
    monkeypatch.setenv("VNSEARCH_INDEX", str(corpus_index_dir))
    assert CliRunner().invoke(cli, ["search", "tết", "--limit", "1"]).exit_code == 0


def test_every_command_has_help_with_an_example():
    for name, command in cli.commands.items():
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0
        assert "Example" in result.output, name


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "searcher", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "vnsearch" in out.stdout


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
    assert run("refs", "--type", "NQ").exit_code == 1


def test_stats_counts_what_the_index_holds(run):
    result = run("stats", "--json")
    info = json.loads(result.stdout)
    assert (info["files"], info["documents"], info["references"], info["citations"]) == (2, 2, 3, 6)
    assert info["passages"] > 20 and info["size_bytes"] > 0
