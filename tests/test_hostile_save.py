"""'Saved' means findable, and a failed write changes nothing (issue 11, items 4 and 5)."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.batch_factory import make_batch, read_results, texts
from tui.core.active_clock import ActiveClock
from tui.core.batch import Batch
from tui.core.jsonl_store import StoreGoneError
from tui.core.results import ResultsStore
from tui.core.session import LabelingSession


class FakeTime:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def wall(self) -> datetime:
        return datetime(2026, 11, 22, 10, 0, tzinfo=UTC) + timedelta(seconds=self.t - 1000.0)


def open_session(folder: Path, clock: FakeTime | None = None) -> LabelingSession:
    batch = Batch.open(folder)
    store = ResultsStore(batch.results_dir, "anna", batch.id)
    store.open()
    if clock is None:
        session = LabelingSession(batch, store)
    else:
        session = LabelingSession(batch, store, ActiveClock(30.0, now=clock), now=clock.wall)
    session.resume()
    return session


def test_a_save_into_a_deleted_batch_folder_is_not_confirmed(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(5))
    s = open_session(folder)
    s.submit("accept", {"labels": ["pos"]})
    shutil.rmtree(folder / "results")
    with pytest.raises(StoreGoneError) as caught:
        s.submit("accept", {"labels": ["neg"]})
    message = str(caught.value)
    assert "NOT SAVED" in message
    assert str(folder / "results" / "anna.jsonl") in message
    assert "removed or replaced" in message
    assert caught.value.record["task_id"] == "t1"
    assert s.position == 1  # still on the item whose answer is not saved
    assert [r.task_id for r in s.records] == ["t0"]
    assert not s.store.present()
    s.store.close()


def test_a_results_file_replaced_by_rename_is_not_confirmed(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(5))
    s = open_session(folder)
    path = folder / "results" / "anna.jsonl"
    copy = path.with_name("copy")
    copy.write_bytes(path.read_bytes())
    os.replace(copy, path)  # a sync tool writes a new file and renames it over the old one
    with pytest.raises(StoreGoneError):
        s.submit("accept", {"labels": ["pos"]})
    s.store.close()


def test_the_exit_summary_does_not_claim_answers_written_to_a_file_that_is_gone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.commands.open import print_summary

    monkeypatch.setenv("LABELDESK_DATA_DIR", str(tmp_path / "data"))
    folder = make_batch(tmp_path / "b", texts(5))
    s = open_session(folder)
    for _ in range(3):
        s.submit("accept", {"labels": ["pos"]})
    shutil.rmtree(folder)
    s.store.close()
    print_summary(s)
    out = capsys.readouterr().out
    assert "NOT SAVED" in out
    assert "answers written" not in out
    assert str(folder / "results" / "anna.jsonl") in out
    [rescued] = (tmp_path / "data" / "rescued").glob("*.jsonl")
    assert [line["task_id"] for line in read_results(rescued)] == ["t0", "t1", "t2"]
    assert "3 answer line(s) that are in no results file were written to" in out


class FullDisk:
    """Makes the store's next writes fail as a full disk does."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.real = os.write

    def __enter__(self) -> FullDisk:
        def no_space(fd: int, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        self.monkeypatch.setattr(os, "write", no_space)
        return self

    def __exit__(self, *exc: object) -> None:
        self.monkeypatch.setattr(os, "write", self.real)


def test_a_failed_undo_keeps_the_undo_stack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_batch(tmp_path / "b", texts(5))
    s = open_session(folder)
    s.submit("accept", {"labels": ["pos"]})  # t0
    s.submit("accept", {"labels": ["neg"]})  # t1
    with FullDisk(monkeypatch), pytest.raises(OSError):
        s.undo()
    # Space is back: the next undo withdraws t1 (the last answer), not t0.
    undone = s.undo()
    assert undone is not None and undone.task_id == "t1" and undone.answer == "undone"
    assert s.current().task_id == "t1"
    again = s.undo()
    assert again is not None and again.task_id == "t0"
    lines = read_results(folder / "results" / "anna.jsonl")
    assert [(line["task_id"], line["answer"]) for line in lines] == [
        ("t0", "accept"),
        ("t1", "accept"),
        ("t1", "undone"),
        ("t0", "undone"),
    ]
    s.store.close()


def test_a_failed_save_keeps_the_items_active_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeTime()
    s = open_session(make_batch(tmp_path / "b", texts(3)), clock=clock)
    clock.t += 5
    s.clock.touch()
    with FullDisk(monkeypatch), pytest.raises(OSError):
        s.submit("accept", {"labels": ["pos"]})
    assert s.position == 0
    clock.t += 2
    s.clock.touch()
    record = s.submit("accept", {"labels": ["pos"]})
    assert record.active_ms == 7000 and record.keys == 2
    s.store.close()


def test_a_failed_undo_keeps_the_time_with_the_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeTime()
    s = open_session(make_batch(tmp_path / "b", texts(3)), clock=clock)
    clock.t += 1
    s.clock.touch()
    s.submit("accept", {"labels": ["pos"]})  # t0, 1 s
    clock.t += 3
    s.clock.touch()
    with FullDisk(monkeypatch), pytest.raises(OSError):
        s.undo()
    assert s.position == 1  # the screen did not move
    undone = s.undo()
    assert undone is not None and undone.active_ms == 1000 + 3000
    s.store.close()


def test_answers_that_are_nowhere_can_be_written_to_a_path_the_annotator_gives(
    tmp_path: Path,
) -> None:
    import stat

    folder = make_batch(tmp_path / "b", texts(5))
    s = open_session(folder)
    s.submit("accept", {"labels": ["pos"]})  # t0: written, then the folder goes
    shutil.rmtree(folder)
    for _ in range(2):  # a retry of the same answer is kept once
        with pytest.raises(StoreGoneError):
            s.submit("accept", {"labels": ["neg"]})
    lost = s.lost_lines()
    assert [(line["task_id"], line["value"]) for line in lost] == [
        ("t0", {"labels": ["pos"]}),
        ("t1", {"labels": ["neg"]}),
    ]
    rescue = tmp_path / "elsewhere" / "anna-rescued.jsonl"
    assert s.rescue(rescue) == 2
    assert [line["task_id"] for line in read_results(rescue)] == ["t0", "t1"]
    assert stat.S_IMODE(rescue.stat().st_mode) == 0o600
    with pytest.raises(FileExistsError):
        s.rescue(rescue)  # never overwrites
    s.store.close()


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs, so a full disk is real (ENOSPC from the kernel); skipped where this
    process may not mount one."""
    import subprocess

    mount = tmp_path / "tiny"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {made.stderr.strip() or made.returncode}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    """Fill the file system until the kernel says ENOSPC; returns the filler to free it."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def test_a_real_full_disk_during_save_and_undo(tiny_disk: Path) -> None:
    folder = make_batch(tiny_disk / "b", texts(20))
    s = open_session(folder)
    path = folder / "results" / "anna.jsonl"
    s.submit("accept", {"labels": ["pos"]})
    # Answers until the file's last page has too little room for an `undone` line.
    while 4096 - path.stat().st_size % 4096 > 250:
        room = 4096 - path.stat().st_size % 4096
        s.flag("other", "n" * max(0, min(3000, room - 480)))
    last = s.records[-1].task_id
    filler = fill(tiny_disk)
    before = path.read_bytes()
    with pytest.raises(OSError) as caught:
        s.undo()
    assert caught.value.errno == errno.ENOSPC
    with pytest.raises(OSError):
        s.submit("accept", {"labels": ["neg"]})
    assert path.read_bytes() == before  # no torn line
    filler.unlink()
    undone = s.undo()  # the same answer as the failed undo wanted to withdraw
    assert undone is not None and undone.task_id == last and undone.answer == "undone"
    s.store.close()
    lines = read_results(path)
    assert lines[-1]["task_id"] == last and lines[-1]["answer"] == "undone"
