"""The smaller attacks of issue 11 (item 8) that the engine answers."""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

import pytest

from tests.batch_factory import make_batch, read_results, texts
from tests.hang_guard import within as _within
from tui.core.audit.inputs import check_person_name
from tui.core.batch import Batch
from tui.core.problems import BatchError
from tui.core.results import ResultsStore
from tui.core.session import LabelingSession
from tui.core.user_config import UserConfig, resolve_annotator


@pytest.mark.parametrize("name", ["anna\n", "anna\r", "an\x1bna", "anna\n\n"])
def test_a_name_with_a_line_end_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="file name"):
        resolve_annotator(name, UserConfig())
    with pytest.raises(ValueError, match="file name"):
        check_person_name(name, "auditor")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tasks", "/etc/passwd"),
        ("tasks", "../../outside.jsonl"),
        ("guidelines", "/etc/passwd"),
        ("guidelines", "../secret.md"),
    ],
)
def test_batch_paths_must_stay_inside_the_batch_folder(
    tmp_path: Path, field: str, value: str
) -> None:
    folder = make_batch(tmp_path / "b", texts(3))
    toml = folder / "batch.toml"
    first, rest = toml.read_text().split("\n", 1)
    toml.write_text(f'{first}\n{field} = "{value}"\n{rest}')
    (tmp_path / "outside.jsonl").write_text('{"id": "x", "text": "y"}\n')
    with pytest.raises(BatchError) as caught:
        Batch.open(folder)
    [problem] = caught.value.problems
    assert problem.field == field
    assert "inside the batch folder" in problem.message
    assert Path(problem.file) == folder / "batch.toml"


def test_answers_record_the_guidelines_as_they_are_now(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(3), guidelines="# v1\n")
    batch = Batch.open(folder)
    store = ResultsStore(batch.results_dir, "anna", batch.id)
    store.open()
    session = LabelingSession(batch, store)
    session.resume()
    session.submit("accept", {"labels": ["pos"]})
    (folder / "guidelines.md").write_text("# v2, with a new rule\n")
    assert batch.refresh_guidelines() is True  # the UI can tell the annotator
    assert batch.refresh_guidelines() is False
    session.submit("accept", {"labels": ["pos"]})
    store.close()
    lines = read_results(folder / "results" / "anna.jsonl")
    assert lines[0]["guidelines_sha256"] == hashlib.sha256(b"# v1\n").hexdigest()
    assert lines[1]["guidelines_sha256"] == hashlib.sha256(b"# v2, with a new rule\n").hexdigest()


def test_labels_that_only_look_identical_are_reported(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(3), task={"labels": ["pos", "po\u200bs", "neg"]})
    batch = Batch.open(folder)
    warnings = [p for p in batch.problems if p.field == "task.labels"]
    assert warnings, batch.problems
    assert "U+200B" in warnings[0].message
    assert "look identical" in warnings[0].message


def test_validate_reports_media_leading_outside_and_missing_media(tmp_path: Path) -> None:
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n")
    tasks = [
        {"id": "ok", "image": "media/ok.png"},
        {"id": "link", "image": "media/link.png"},
        {"id": "gone", "image": "media/gone.png"},
        {"id": "up", "image": "../secret.png"},
    ]
    folder = make_batch(tmp_path / "b", tasks, task_type="image", task={"labels": ["a", "b"]})
    (folder / "media").mkdir()
    (folder / "media" / "ok.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "media" / "link.png").symlink_to(outside)
    problems, _ = Batch.open(folder).validate_all()
    by_line = {p.line: p for p in problems if p.field == "image"}
    assert set(by_line) == {2, 3, 4}, [str(p) for p in problems]
    assert "outside the batch folder" in by_line[2].message
    assert "not found" in by_line[3].message
    assert "outside the batch folder" in by_line[4].message


def test_guidelines_replaced_by_a_fifo_never_block_a_save(tmp_path: Path) -> None:
    """The save path hashes guidelines.md as it is now: a named pipe put in its place (no
    writer ever comes) must not hang the save, and the answer is still written."""
    folder = make_batch(tmp_path / "b", texts(3), guidelines="# v1\n")
    batch = Batch.open(folder)
    store = ResultsStore(batch.results_dir, "anna", batch.id)
    store.open()
    session = LabelingSession(batch, store)
    session.resume()
    (folder / "guidelines.md").unlink()
    os.mkfifo(folder / "guidelines.md")
    try:
        _within(10, lambda: session.submit("accept", {"labels": ["pos"]}))
        _within(10, batch.refresh_guidelines)
    finally:
        store.close()
        with contextlib.suppress(OSError):  # free a reader left blocked on the pipe
            os.close(os.open(folder / "guidelines.md", os.O_WRONLY | os.O_NONBLOCK))
    [line] = read_results(folder / "results" / "anna.jsonl")
    assert line["guidelines_sha256"] is None  # no guidelines file could be read


def test_guidelines_that_are_a_device_or_fifo_are_refused_at_once(tmp_path: Path) -> None:
    from tui.screens.guidelines import read_guidelines

    folder = make_batch(tmp_path / "b", texts(3))
    (folder / "guidelines.md").unlink()
    (folder / "guidelines.md").symlink_to("/dev/zero")  # endless: read_bytes never returns
    batch = _within(10, lambda: Batch.open(folder))
    assert isinstance(batch, Batch) and batch.guidelines_sha256 is None
    with pytest.raises(OSError, match="not a regular file"):
        _within(10, lambda: read_guidelines(folder / "guidelines.md"))
    (folder / "guidelines.md").unlink()
    os.mkfifo(folder / "guidelines.md")
    with pytest.raises(OSError, match="not a regular file"):
        _within(10, lambda: read_guidelines(folder / "guidelines.md"))
