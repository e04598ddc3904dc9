import pytest

from searcher import storage
from searcher.errors import IndexBusy, IndexMissing, IndexVersionMismatch


def test_publish_switches_current_and_drops_old_generations(tmp_path):
    first = storage.new_generation(tmp_path)
    (first / storage.META).write_text('{"format": 1}')
    storage.publish(tmp_path, first)
    assert storage.current_generation(tmp_path) == first
    second = storage.new_generation(tmp_path)
    (second / storage.META).write_text('{"format": 1}')
    storage.publish(tmp_path, second)
    assert storage.current_generation(tmp_path) == second
    assert not first.exists()


def test_missing_and_foreign_directories_are_reported(tmp_path):
    with pytest.raises(IndexMissing, match="no index at"):
        storage.current_generation(tmp_path / "nope")
    with pytest.raises(IndexMissing, match="not a vnsearch index"):
        storage.current_generation(tmp_path)


def test_other_format_asks_for_rebuild(tmp_path):
    gen = storage.new_generation(tmp_path)
    (gen / storage.META).write_text('{"format": 0}')
    with pytest.raises(IndexVersionMismatch, match="--rebuild"):
        storage.read_meta(gen)


def test_second_writer_is_refused(tmp_path):
    with storage.write_lock(tmp_path):
        with pytest.raises(IndexBusy):
            with storage.write_lock(tmp_path):
                pass
    with storage.write_lock(tmp_path):  # released when the first one ends
        pass
