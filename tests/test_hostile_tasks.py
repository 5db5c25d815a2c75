"""tasks.jsonl changed under an open batch (issue 11, item 6): replaced by a rename (as sync
tools do) or rewritten in place. No line is ever served from the old file's offsets as if it
belonged to the new one, and the change is said precisely."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.batch_factory import make_batch, texts
from tui.core.batch import Batch


def replace_by_rename(path: Path, tasks: list[dict[str, str]]) -> None:
    tmp = path.with_name(".tasks.jsonl.sync-tmp")
    tmp.write_text("".join(json.dumps(t) + "\n" for t in tasks), encoding="utf-8")
    os.replace(tmp, path)


def test_a_replaced_tasks_file_adds_no_phantom_items(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(50))
    batch = Batch.open(folder)
    batch.index_rest()
    assert len(batch) == 50
    assert batch.item(3).task_id == "t3"
    # The new file is longer: scanning on from the old offsets would add phantom items.
    replace_by_rename(
        folder / "tasks.jsonl",
        [{"id": f"new{i}", "text": f"New text number {i} " + "x" * 40} for i in range(60)],
    )
    batch.index_rest()
    assert len(batch) == 50  # still the file that was opened, whole and consistent
    assert all(batch.item(i).valid for i in range(50))
    assert [batch.item(i).task_id for i in (0, 49)] == ["t0", "t49"]
    change = batch.tasks_changed()
    assert change is not None
    assert str(folder / "tasks.jsonl") in str(change)
    assert "replaced" in change.message
    # Reloading takes the new file from scratch.
    batch.reload_tasks()
    assert len(batch) == 60
    assert batch.item(0).task_id == "new0" and batch.item(59).task_id == "new59"
    assert batch.tasks_changed() is None
    batch.index.close()


def test_a_tasks_file_rewritten_in_place_is_indexed_again_and_said(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(50))
    batch = Batch.open(folder)
    batch.index_rest()
    path = folder / "tasks.jsonl"
    with path.open("r+", encoding="utf-8") as fh:  # same inode, shorter, other content
        fh.truncate(0)
        fh.write("".join(json.dumps({"id": f"r{i}", "text": "rewritten"}) + "\n" for i in range(7)))
    batch.index_rest()
    assert len(batch) == 7
    assert [batch.item(i).task_id for i in range(7)] == [f"r{i}" for i in range(7)]
    change = batch.tasks_changed()
    assert change is not None and "rewritten" in change.message
    batch.index.close()


def test_a_tasks_file_rewritten_in_place_to_the_same_size_is_noticed(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(20))
    batch = Batch.open(folder)
    batch.index_rest()
    path = folder / "tasks.jsonl"
    data = path.read_bytes()
    with path.open("r+b") as fh:
        fh.write(data.replace(b"Text number", b"Txet rebmun"))
    batch.index_rest()
    assert batch.item(5).task is not None
    assert "Txet rebmun 5" in str(batch.item(5).raw)
    change = batch.tasks_changed()
    assert change is not None and "rewritten" in change.message
    batch.index.close()


def test_a_growing_tasks_file_is_still_picked_up_quietly(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(5))
    batch = Batch.open(folder)
    with (folder / "tasks.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "t5", "text": "more"}) + "\n")
    batch.index_rest()
    assert len(batch) == 6 and batch.item(5).task_id == "t5"
    assert batch.tasks_changed() is None
    batch.index.close()


def test_a_fifo_named_tasks_jsonl_is_refused_without_hanging(tmp_path: Path) -> None:
    import pytest

    from tui.core.problems import BatchError

    folder = make_batch(tmp_path / "b", texts(2))
    (folder / "tasks.jsonl").unlink()
    os.mkfifo(folder / "tasks.jsonl")
    with pytest.raises(BatchError) as caught:
        Batch.open(folder)
    assert "not a regular file" in str(caught.value)
