"""TeamLink, the bridge between the app's team worker and the coordinator: quitting never
waits for a coordinator call in flight (it may be waiting on the network); the step that
made the call finishes the closing when it returns."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from tests.team_contract import team_batch
from tui.core.batch import Batch
from tui.core.team.coordinator import Claim, TeamStatus
from tui.core.team.engine import TeamOpen
from tui.core.team.link import TeamLink
from tui.core.team.queue import TeamQueue
from tui.core.team.tasks import open_plan

WAIT_S = 30.0  # only a failing test waits this long


def direct(call: Callable[[], Any]) -> Any:
    return call()


class SlowCoordinator:
    """Records every call; claim() blocks until `go` is set (a server that does not answer)."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.in_claim = threading.Event()
        self.go = threading.Event()

    def claim(self, annotator: str, want: int) -> list[Claim]:
        self.calls.append("claim")
        self.in_claim.set()
        assert self.go.wait(WAIT_S)
        return [Claim("t0", annotator, 1e12)]

    def renew(self, annotator: str, task_ids: Sequence[str]) -> list[Claim]:
        self.calls.append("renew")
        return []

    def release(self, annotator: str, task_ids: Sequence[str] | None = None) -> None:
        self.calls.append("release")

    def answered(self, record: Mapping[str, Any]) -> None:
        self.calls.append(f"answered {record['task_id']}")

    def status(self) -> TeamStatus:
        self.calls.append("status")
        return TeamStatus(0, 0, 0, 0, 0, 0, 0)

    def close(self) -> None:
        self.calls.append("close")


def link_on(tmp_path: Path) -> tuple[TeamLink, SlowCoordinator]:
    batch = Batch.open(team_batch(tmp_path / "b", 4, "claim_size = 2"))
    coordinator = SlowCoordinator()
    queue = TeamQueue(open_plan(batch), "anna")
    return TeamLink(TeamOpen(cast(Any, coordinator), queue), "anna"), coordinator


def test_quit_during_a_call_in_flight_returns_at_once_and_the_step_closes(
    tmp_path: Path,
) -> None:
    link, coordinator = link_on(tmp_path)
    stepped: list[bool] = []
    worker = threading.Thread(
        target=lambda: stepped.append(link.step(direct, active=True, shown=None))
    )
    worker.start()
    assert coordinator.in_claim.wait(WAIT_S)
    link.queue.answered({"task_id": "t3", "annotator": "anna"})  # a key just before quit
    quitting = threading.Thread(target=link.close, args=(direct,))
    quitting.start()
    quitting.join(WAIT_S)
    try:
        assert not quitting.is_alive(), "quit waited for the coordinator call in flight"
        assert link.closed and coordinator.calls == ["claim"]
    finally:
        coordinator.go.set()
    worker.join(WAIT_S)
    assert not worker.is_alive()
    # The step finished the closing: the last answer passed on, the claims given back.
    assert coordinator.calls == ["claim", "status", "answered t3", "release", "close"]
    assert stepped == [False]
    link.close(direct)
    link.step(direct, active=True, shown=None)
    assert coordinator.calls.count("close") == 1  # once, whoever closes


def test_quit_with_no_call_in_flight_closes_at_once(tmp_path: Path) -> None:
    link, coordinator = link_on(tmp_path)
    link.queue.answered({"task_id": "t1", "annotator": "anna"})
    link.close(direct)
    assert coordinator.calls == ["answered t1", "release", "close"]
    assert link.step(direct, active=True, shown=None) is False
    assert coordinator.calls == ["answered t1", "release", "close"]
