"""The labeling engine without a terminal: answers, resume, undo, navigation, timing."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.batch_factory import make_batch, read_results, texts
from tui.core.active_clock import ActiveClock
from tui.core.batch import Batch
from tui.core.results import ResultsStore
from tui.core.session import LabelingSession, SubmitRefusedError


class FakeTime:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def wall(self) -> datetime:
        return datetime(2026, 11, 22, 10, 0, tzinfo=UTC) + timedelta(seconds=self.t - 1000.0)


def open_session(
    folder: Path, annotator: str = "anna", clock: FakeTime | None = None
) -> LabelingSession:
    batch = Batch.open(folder)
    store = ResultsStore(batch.results_dir, annotator, batch.id)
    store.open()
    if clock is None:
        session = LabelingSession(batch, store)
    else:
        session = LabelingSession(batch, store, ActiveClock(30.0, now=clock), now=clock.wall)
    session.resume()
    return session


def test_answers_are_written_and_reopening_resumes(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(5))
    s = open_session(folder)
    s.submit("accept", {"labels": ["pos"]})
    s.submit("accept", {"labels": ["neg"]})
    s.skip()
    assert s.position == 3
    s.store.close()
    lines = read_results(folder / "results" / "anna.jsonl")
    assert [line["task_id"] for line in lines] == ["t0", "t1", "t2"]
    assert lines[0]["value"] == {"labels": ["pos"]}
    assert lines[2]["answer"] == "skip"
    assert {
        "session_id",
        "started_at",
        "submitted_at",
        "active_ms",
        "keys",
        "revision",
        "app_version",
        "batch_id",
        "task_type",
        "annotator",
    } <= set(lines[0])
    assert lines[0]["submitted_at"].endswith("Z")
    s2 = open_session(folder)
    assert s2.position == 3 and s2.remaining() == 2
    s2.store.close()


def test_new_results_file_is_private(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(2))
    s = open_session(folder)
    s.submit("accept", {"labels": ["pos"]})
    s.store.close()
    mode = stat.S_IMODE(os.stat(folder / "results" / "anna.jsonl").st_mode)
    assert mode == 0o600


def test_undo_appends_and_returns_to_the_item(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(3))
    s = open_session(folder)
    s.submit("accept", {"labels": ["pos"]})
    s.submit("accept", {"labels": ["neg"]})
    undone = s.undo()
    assert undone is not None and undone.task_id == "t1" and undone.answer == "undone"
    assert s.position == 1 and undone.revision == 2
    s.submit("accept", {"labels": ["neu"]})
    assert s.position == 2
    s.store.close()
    lines = read_results(folder / "results" / "anna.jsonl")
    assert [(x["task_id"], x["answer"], x["revision"]) for x in lines] == [
        ("t0", "accept", 1),
        ("t1", "accept", 1),
        ("t1", "undone", 2),
        ("t1", "accept", 3),
    ]
    s2 = open_session(folder)
    assert s2.store.latest["t1"]["value"] == {"labels": ["neu"]}
    assert s2.position == 2
    s2.store.close()


def test_undo_with_nothing_answered(tmp_path: Path) -> None:
    s = open_session(make_batch(tmp_path / "b", texts(2)))
    assert s.undo() is None
    s.store.close()


def test_back_and_forward_edit_an_earlier_answer(tmp_path: Path) -> None:
    s = open_session(make_batch(tmp_path / "b", texts(4)))
    s.submit("accept", {"labels": ["pos"]})
    s.submit("accept", {"labels": ["neg"]})
    assert s.back() and s.position == 1
    assert s.previous_value() == {"labels": ["neg"]}
    assert s.back() and s.position == 0 and not s.back()
    assert s.forward() and s.forward() and s.position == 2
    assert not s.forward()  # item 2 is unanswered: forward stops there
    s.back()
    s.back()
    s.submit("accept", {"labels": ["neu"]})  # change item 0: next is the first unanswered after it
    assert s.position == 2
    assert s.store.latest["t0"]["revision"] == 2
    s.store.close()


def test_flag_with_reason_and_note(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(2))
    s = open_session(folder)
    s.flag("guidelines", "not covered: sarcasm")
    s.store.close()
    line = read_results(folder / "results" / "anna.jsonl")[0]
    assert line["answer"] == "flag" and line["flag"] == {
        "reason": "guidelines",
        "note": "not covered: sarcasm",
    }


def test_invalid_value_is_refused_and_nothing_written(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(2))
    s = open_session(folder)
    with pytest.raises(SubmitRefusedError):
        s.submit("accept", {"labels": "pos"})
    assert s.position == 0
    s.store.close()
    assert not (folder / "results" / "anna.jsonl").read_text()


def test_active_time_pauses_when_idle_and_undo_adds_to_the_item(tmp_path: Path) -> None:
    clock = FakeTime()
    s = open_session(make_batch(tmp_path / "b", texts(3)), clock=clock)
    clock.t += 4
    s.clock.touch()
    r0 = s.submit("accept", {"labels": ["pos"]})
    assert r0.active_ms == 4000 and r0.keys == 1
    clock.t += 100  # away: only the idle threshold (30 s) counts
    s.clock.touch()
    clock.t += 2
    s.clock.touch()
    r1 = s.submit("accept", {"labels": ["neg"]})
    assert r1.active_ms == 32000
    clock.t += 3
    s.clock.touch()
    undone = s.undo()
    assert undone is not None and undone.task_id == "t1"
    assert undone.active_ms == 32000 + 3000  # the undo's time belongs to t1
    clock.t += 1
    s.clock.touch()
    again = s.submit("accept", {"labels": ["neu"]})
    assert again.active_ms == 36000
    assert s.clock.idle_s == pytest.approx(70.0)
    assert again.started_at < again.submitted_at
    s.store.close()


def test_gold_is_scored_silently(tmp_path: Path) -> None:
    tasks = [
        {"id": "g1", "text": "x", "gold": {"labels": ["pos"]}},
        {"id": "g2", "text": "y", "gold": {"labels": ["neg"]}},
    ]
    folder = make_batch(tmp_path / "b", tasks)
    s = open_session(folder)
    s.submit("accept", {"labels": ["pos"]})
    s.submit("accept", {"labels": ["pos"]})
    s.store.close()
    lines = read_results(folder / "results" / "anna.jsonl")
    assert [x["gold_correct"] for x in lines] == [True, False]


def test_two_annotators_have_separate_files(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(2))
    a = open_session(folder, "anna")
    b = open_session(folder, "bram")
    a.submit("accept", {"labels": ["pos"]})
    assert b.position == 0
    a.store.close()
    b.store.close()
    assert (folder / "results" / "anna.jsonl").exists()
    assert not (folder / "results" / "bram.jsonl").read_text()


def test_everything_answered_is_done(tmp_path: Path) -> None:
    s = open_session(make_batch(tmp_path / "b", texts(1)))
    s.submit("accept", {"labels": ["pos"]})
    assert s.done and s.remaining() == 0
    with pytest.raises(IndexError):
        s.current()
    assert s.back() and s.position == 0
    s.store.close()


def test_resume_looks_past_the_first_indexed_lines(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(600))
    s = open_session(folder)
    for _ in range(300):
        s.submit("accept", {"labels": ["pos"]})
    s.store.close()
    again = open_session(folder)  # only the first 256 lines are indexed at open
    assert again.position == 300 and not again.done
    assert again.current().task_id == "t300"
    again.store.close()


def test_undoing_an_edit_restores_the_earlier_answer(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "b", texts(3))
    s = open_session(folder)
    s.submit("accept", {"labels": ["pos"]})
    s.store.close()
    s = open_session(folder)  # the next day: change t0, then think better of it
    s.back()
    s.submit("accept", {"labels": ["neg"]})
    restored = s.undo()
    assert restored is not None and restored.answer == "accept"
    assert restored.value == {"labels": ["pos"]}
    assert restored.to_json_dict()["restored_revision"] == 1
    assert s.store.is_answered("t0") and s.position == 0
    assert s.remaining() == 2
    s.store.close()
    lines = read_results(folder / "results" / "anna.jsonl")
    assert [(x["answer"], x["value"], x["revision"]) for x in lines] == [
        ("accept", {"labels": ["pos"]}, 1),
        ("accept", {"labels": ["neg"]}, 2),
        ("accept", {"labels": ["pos"]}, 3),
    ]
