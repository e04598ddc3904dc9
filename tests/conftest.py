"""Shared fixtures: an index of the bundled corpus, and a builder for tiny test corpora."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from opensearch_fixtures import opensearch_cluster, opensearch_proxy  # noqa: F401  (fixtures)
from searcher import Index, build_index
from searcher.corpus import bundled_corpus

CORPUS = bundled_corpus()


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
