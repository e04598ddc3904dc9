"""Shared fixtures: an index of the bundled corpus, and a builder for tiny test corpora."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from opensearch_fixtures import opensearch_cluster, opensearch_proxy  # noqa: F401  (fixtures)
from searcher import Index, build_index
from searcher.corpus import bundled_corpus

CORPUS = bundled_corpus()


def loaded_by_a_search(index_dir: Path, query: str, modules: tuple[str, ...]) -> list[str]:
    """Which of modules a fresh `vnsearch search query --index index_dir` process has imported."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from searcher.cli import main\n"
        f"sys.argv = ['vnsearch', 'search', {query!r}, '--index', {str(index_dir)!r}]\n"
        "try:\n    main()\nexcept SystemExit as e:\n"
        f"    print('EXIT', e.code, [m for m in {modules!r} if m in sys.modules], file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    exit_line = [line for line in done.stderr.splitlines() if line.startswith("EXIT 0 ")]
    assert exit_line, done.stderr
    return ast.literal_eval(exit_line[0][len("EXIT 0 "):])


@pytest.fixture(scope="session")
def corpus_index_dir(tmp_path_factory) -> Path:
    """The bundled corpus, indexed once for the whole test run."""
    index_dir = tmp_path_factory.mktemp("corpus-index")
    build_index([CORPUS], index_dir)
    return index_dir


@pytest.fixture(scope="session")
def corpus_index(corpus_index_dir):
    with Index.open(corpus_index_dir) as ix:
        yield ix


@pytest.fixture
def make_corpus(tmp_path):
    """Write {relative path: text or list of JSONL records} under tmp_path/docs; return the folder."""

    def make(files: dict) -> Path:
        root = tmp_path / "docs"
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            elif isinstance(content, list):
                path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in content) + "\n", encoding="utf-8")
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make


@pytest.fixture
def make_index(tmp_path, make_corpus):
    """Build an index of the given files and return its directory."""

    def make(files: dict) -> Path:
        index_dir = tmp_path / "index"
        build_index([make_corpus(files)], index_dir)
        return index_dir

    return make


def read_corpus_file(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")
