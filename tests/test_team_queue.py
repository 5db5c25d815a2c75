"""The labeling session in team mode: the next item is the next claimed task (the queue the
worker feeds), never the next unanswered one; renewals and refills are the queue's call."""

from __future__ import annotations

from pathlib import Path

from tests.team_contract import team_batch
from tui.core.batch import Batch
from tui.core.session import LabelingSession
from tui.core.team.coordinator import Claim
from tui.core.team.engine import team_results_store
from tui.core.team.queue import TeamQueue
from tui.core.team.tasks import open_plan


def team_session(folder: Path) -> tuple[LabelingSession, TeamQueue]:
    batch = Batch.open(folder)
    store = team_results_store(batch, "anna")
    store.open()
    queue = TeamQueue(open_plan(batch), "anna")
    session = LabelingSession(batch, store, team=queue)
    session.resume()
    return session, queue


def test_the_session_follows_the_claims(tmp_path: Path) -> None:
    folder = team_batch(tmp_path / "b", 8, "claim_size = 4\nlease_seconds = 100")
    session, queue = team_session(folder)
    assert session.waiting_for_claims and session.done
    queue.add([Claim("t5", "anna", 200.0), Claim("t2", "anna", 200.0)])
    queue.add([Claim("t3", "bram", 200.0)])  # not hers: ignored
    assert session.claims_arrived()
    assert session.current().task_id == "t2"  # the plan's order, not the order of arrival
    session.submit("accept", {"labels": ["pos"]})
    assert session.current().task_id == "t5"  # t3, t4 are not hers
    session.skip()
    assert session.waiting_for_claims
    assert [(r["task_id"], r["answer"]) for r in queue.take_outbox()] == [
        ("t2", "accept"),
        ("t5", "skip"),
    ]
    assert queue.take_outbox() == []
    session.store.close()


def test_refill_and_renewal_schedule(tmp_path: Path) -> None:
    folder = team_batch(tmp_path / "b", 8, "claim_size = 4\nlease_seconds = 100")
    _, queue = team_session(folder)
    assert queue.wanted() == 4
    queue.add([Claim(f"t{i}", "anna", 100.0) for i in range(3)])
    assert queue.wanted() == 0  # more than half of claim_size held
    queue.drop(["t0", "t1"])
    assert queue.wanted() == 3
    assert queue.to_renew(0.0) == []  # a full lease left
    assert queue.to_renew(26.0) == ["t2"]  # a quarter of the lease gone: renew
    queue.renewed([Claim("t2", "anna", 126.0)])
    assert queue.to_renew(26.0) == [] and queue.ended(126.0) == ["t2"]


def test_solo_session_has_no_team(tmp_path: Path) -> None:
    from tests.batch_factory import make_batch, texts
    from tui.core.results import ResultsStore

    folder = make_batch(tmp_path / "solo", texts(3))
    batch = Batch.open(folder)
    store = ResultsStore(batch.results_dir, "anna", batch.id)
    store.open()
    session = LabelingSession(batch, store)
    session.resume()
    assert session.team is None and not session.waiting_for_claims
    assert not session.claims_arrived()
    session.submit("accept", {"labels": ["pos"]})
    assert session.current().task_id == "t1"
    store.close()
