"""The team claim contract (tests/team_contract.py) against the PostgreSQL backend, on a real
server started by the tests, next to the ledger: the same checks, parametrised over both."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.team_contract import CONTRACT, Clock, Factory
from tui.core.batch import Batch
from tui.core.team.coordinator import Claim, Coordinator, TeamStatus
from tui.core.team.ledger import LedgerCoordinator
from tui.core.team.pg.batches import push_batch, team_plan_rows
from tui.core.team.pg.connect import connect
from tui.core.team.pg.coordinator import PgCoordinator
from tui.core.team.pg.schema import apply_migrations
from tui.core.team.tasks import open_plan


class Process:
    """One "process" of the contract on the PostgreSQL backend. A colleague's answer reaches
    the server through the sender in the background (milliseconds); the contract's steps
    are sequential, so each answered() here waits until it is sent before the next step."""

    def __init__(self, inner: PgCoordinator) -> None:
        self.inner = inner

    def claim(self, annotator: str, want: int) -> list[Claim]:
        return self.inner.claim(annotator, want)

    def renew(self, annotator: str, task_ids: Sequence[str]) -> list[Claim]:
        return self.inner.renew(annotator, task_ids)

    def release(self, annotator: str, task_ids: Sequence[str] | None = None) -> None:
        self.inner.release(annotator, task_ids)

    def answered(self, record: Mapping[str, Any]) -> None:
        self.inner.answered(record)
        assert self.inner.wait_sent(20), self.inner.journal_state(str(record["annotator"]))

    def status(self) -> TeamStatus:
        return self.inner.status()

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def pg_factory(pg_url: str) -> Iterator[Factory]:
    opened: list[Process] = []
    pushed: set[Path] = set()

    def factory(folder: Path, clock: Clock) -> Coordinator:
        batch = Batch.open(folder)
        if folder not in pushed:
            with connect(pg_url, autocommit=True) as conn:
                apply_migrations(conn)
                # A check may walk several folders of the same batch id, one after another.
                conn.execute("DELETE FROM labeldesk_batches WHERE batch_id = %s", (batch.id,))
                push_batch(conn, folder, team_plan_rows)
            pushed.add(folder)
        coord = Process(
            PgCoordinator(pg_url, open_plan(batch), batch.id, results_dir=None, now=clock)
        )
        opened.append(coord)
        return coord

    yield factory
    for coord in opened:
        coord.close()


def ledger_factory(folder: Path, clock: Clock) -> Coordinator:
    return LedgerCoordinator(folder, open_plan(Batch.open(folder)), now=clock)


@pytest.mark.parametrize("backend", ["ledger", "postgres"])
@pytest.mark.parametrize("check", CONTRACT, ids=lambda c: c.__name__)
def test_contract_on_both_backends(
    check: Callable[[Path, Factory], None],
    backend: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    factory = ledger_factory if backend == "ledger" else request.getfixturevalue("pg_factory")
    check(tmp_path, factory)
