"""The results store when the disk fails: a failed write never corrupts the next answer."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tui.core.jsonl_store import AppendOnlyJsonl, StoreNotWritableError


def test_a_partial_write_is_taken_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = AppendOnlyJsonl(tmp_path / "r.jsonl")
    store.open()
    store.append({"task_id": "t0"})
    real_write = os.write

    def half_then_fail(fd: int, data: bytes) -> int:
        real_write(fd, bytes(data[:10]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_fail)
    with pytest.raises(OSError):
        store.append({"task_id": "t1"})
    monkeypatch.setattr(os, "write", real_write)
    store.append({"task_id": "t2"})
    store.close()
    assert (tmp_path / "r.jsonl").read_bytes() == b'{"task_id":"t0"}\n{"task_id":"t2"}\n'


def test_when_the_fragment_cannot_be_taken_back_the_next_line_stays_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = AppendOnlyJsonl(tmp_path / "r.jsonl")
    store.open()
    real_write, real_truncate = os.write, os.ftruncate

    def half_then_fail(fd: int, data: bytes) -> int:
        real_write(fd, bytes(data[:5]))
        raise OSError(errno.EIO, "I/O error")

    def no_truncate(fd: int, size: int) -> None:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(os, "write", half_then_fail)
    monkeypatch.setattr(os, "ftruncate", no_truncate)
    with pytest.raises(OSError):
        store.append({"task_id": "t1"})
    monkeypatch.setattr(os, "write", real_write)
    monkeypatch.setattr(os, "ftruncate", real_truncate)
    store.append({"task_id": "t2"})
    store.close()
    again = AppendOnlyJsonl(tmp_path / "r.jsonl")
    loaded = again.open()
    again.close()
    assert [r["task_id"] for r in loaded.records] == ["t2"]
    assert len(loaded.problems) == 1 and loaded.problems[0].line == 1


def test_a_results_path_that_is_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "anna.jsonl").mkdir()
    store = AppendOnlyJsonl(tmp_path / "anna.jsonl")
    with pytest.raises(StoreNotWritableError, match="cannot read"):
        store.open()
    # The lock was released: another open in this process is refused for the same reason,
    # not because of a stale lock.
    with pytest.raises(StoreNotWritableError, match="cannot read"):
        AppendOnlyJsonl(tmp_path / "anna.jsonl").open()
