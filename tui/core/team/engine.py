"""Opening a batch for team work: folder checks, the plan, the ledger, the queue.

Meant for a worker (the plan reads every task line). The CLI and the app both start here;
a batch without `[team]` never gets here (solo mode is unchanged).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from tui.core.batch import Batch
from tui.core.problems import BatchError, Problem
from tui.core.results import ResultsStore
from tui.core.team.folder import check_team_folder, lock_problem, make_team_dirs
from tui.core.team.ledger import LedgerCoordinator
from tui.core.team.pg.coordinator import PgCoordinator
from tui.core.team.pg.open import open_pg_coordinator
from tui.core.team.queue import TeamQueue
from tui.core.team.settings import TeamSettings
from tui.core.team.tasks import open_plan


@dataclass
class TeamOpen:
    coordinator: LedgerCoordinator | PgCoordinator
    queue: TeamQueue


def team_settings(batch: Batch) -> TeamSettings:
    if batch.config.team is None:
        raise BatchError(
            [Problem(batch.folder / "batch.toml", "is not a team batch: it has no [team] table")]
        )
    return batch.config.team


def check_team_batch(batch: Batch) -> list[Problem]:
    """Why team mode cannot run on this batch folder (empty: it can)."""
    settings = team_settings(batch)
    reason = lock_problem(batch.folder)
    problems = [Problem(batch.folder, f"team mode refused: {reason}")] if reason else []
    return problems + check_team_folder(batch.folder, settings)


def open_coordinator(
    batch: Batch, *, now: Callable[[], float] = time.time, record_claims: bool = False
) -> LedgerCoordinator | PgCoordinator:
    """The ledger coordinator of a team batch; BatchError with every problem otherwise.
    A batch whose [team] names a database: the PostgreSQL coordinator (issue 13), which
    with `record_claims` (an annotator's session) keeps their claims on disk too."""
    if team_settings(batch).database is not None:
        return open_pg_coordinator(batch, now=now, record_claims=record_claims)
    problems = check_team_batch(batch)
    if problems:
        raise BatchError(problems)
    return LedgerCoordinator(
        batch.folder, open_plan(batch), results_dir=batch.results_dir, batch_id=batch.id, now=now
    )


def team_results_store(batch: Batch, annotator: str) -> ResultsStore:
    """The annotator's results store with the team's group modes (colleagues read it);
    creates results/ and team/ with the team's folder mode first."""
    settings = team_settings(batch)
    problems = make_team_dirs(batch.folder, settings)
    if problems:
        raise BatchError(problems)
    return ResultsStore(
        batch.results_dir,
        annotator,
        batch.id,
        file_mode=settings.results_file_mode,
        dir_mode=settings.dir_mode,
    )


def open_team(batch: Batch, annotator: str, *, now: Callable[[], float] = time.time) -> TeamOpen:
    """Coordinator and queue for one annotator. Claims this annotator still held from a
    session that ended without quitting (a crash, a lost SSH connection) are taken back
    into the queue: the results store's lock guarantees this is their only session. With
    a database that cannot be reached, they come from the local record of claims held."""
    coordinator = open_coordinator(batch, now=now, record_claims=True)
    queue = TeamQueue(coordinator.plan, annotator)
    queue.add(coordinator.held(annotator))
    return TeamOpen(coordinator, queue)
