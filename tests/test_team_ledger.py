"""The team claim contract (tests/team_contract.py) against the file ledger, and what only
the ledger does: counting answers from results files, torn lines, the lock's hold time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.team_contract import CONTRACT, Clock, Factory, team_batch
from tui.core.batch import Batch
from tui.core.team.ledger import LedgerCoordinator
from tui.core.team.tasks import open_plan


def ledger_factory(folder: Path, clock: Clock) -> LedgerCoordinator:
    batch = Batch.open(folder)
    return LedgerCoordinator(folder, open_plan(batch), batch_id=batch.id, now=clock)


@pytest.mark.parametrize("check", CONTRACT, ids=lambda c: c.__name__)
def test_contract(check: Callable[[Path, Factory], None], tmp_path: Path) -> None:
    check(tmp_path, ledger_factory)


def test_answers_in_results_files_count_without_answered_calls(tmp_path: Path) -> None:
    """A process killed between its results fsync and answered() leaves only the results
    line: the ledger counts it from the file, and does not give the task out again."""
    import orjson

    folder = team_batch(tmp_path / "b", 3, "lease_seconds = 60")
    clock = Clock()
    coord = ledger_factory(folder, clock)
    assert [c.task_id for c in coord.claim("anna", 1)] == ["t0"]
    results = folder / "results"
    results.mkdir(exist_ok=True)
    line = {"task_id": "t0", "annotator": "anna", "answer": "accept", "revision": 1}
    (results / "anna.jsonl").write_bytes(orjson.dumps(line) + b"\n")
    (results / "anna.jsonl").chmod(0o640)
    clock.advance(61)  # her claim ended; only the results file says t0 is done
    assert [c.task_id for c in coord.claim("bram", 5)] == ["t1", "t2"]
    reopened = ledger_factory(folder, clock)  # a restart replays both sources
    assert reopened.held("anna") == [] and reopened.claim("carl", 5) == []
    assert reopened.status().done_answers == 1


def test_a_torn_ledger_line_is_skipped_and_ended(tmp_path: Path) -> None:
    folder = team_batch(tmp_path / "b", 3, "lease_seconds = 60")
    clock = Clock()
    coord = ledger_factory(folder, clock)
    coord.claim("anna", 1)
    ledger = folder / "team" / "claims.jsonl"
    with ledger.open("ab") as fh:
        fh.write(b'{"op": "claim", "task": "t1", "by": "ki')  # a writer killed mid-line
    assert [c.task_id for c in coord.claim("bram", 5)] == ["t1", "t2"]
    lines = ledger.read_bytes().split(b"\n")
    assert lines[1] == b'{"op": "claim", "task": "t1", "by": "ki' and lines[-1] == b""
    fresh = ledger_factory(folder, clock)
    assert any("not valid JSON" in str(p) and ":2:" in str(p) for p in fresh.problems)
    assert fresh.status().live_claims == 3


def test_status_reports_the_lock_hold(tmp_path: Path) -> None:
    folder = team_batch(tmp_path / "b", 3, "")
    coord = ledger_factory(folder, Clock())
    coord.claim("anna", 2)
    status = coord.status()
    assert 0 < status.lock_max_ms < 1000 and coord.lock_count == 1


def test_results_lines_of_another_batch_do_not_count(tmp_path: Path) -> None:
    import orjson

    folder = team_batch(tmp_path / "b", 2, "")
    (folder / "results").mkdir()
    lines = [
        {"task_id": "t0", "batch_id": "another-batch", "answer": "accept", "revision": 1},
        {"task_id": "t1", "batch_id": "test-batch", "answer": "accept", "revision": 1},
    ]
    (folder / "results" / "anna.jsonl").write_bytes(
        b"".join(orjson.dumps(x) + b"\n" for x in lines)
    )
    coord = ledger_factory(folder, Clock())
    assert [c.task_id for c in coord.claim("bram", 5)] == ["t0"]
    assert coord.status().done_answers == 1
