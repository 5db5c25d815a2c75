"""Opening a team batch whose [team] names a database: the PostgreSQL coordinator.

Cheap and offline-safe: nothing here connects (the coordinator connects in the worker, on
its first call, and a server that cannot be reached only means "offline"); the plan reads
every task line, so call it from a worker like the ledger's opener.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from tui.core.batch import Batch
from tui.core.problems import BatchError, Problem
from tui.core.team.folder import TEAM_DIR
from tui.core.team.pg.connect import DatabaseUnavailableError, require_psycopg
from tui.core.team.pg.coordinator import PgCoordinator
from tui.core.team.tasks import open_plan
from tui.core.toml_lines import line_of


def database_of(batch: Batch) -> str | None:
    """The connection string the batch names ([team] database), if any."""
    team = batch.config.team
    return team.database if team is not None else None


def open_pg_coordinator(
    batch: Batch,
    url: str | None = None,
    *,
    annotator: str | None = None,
    now: Callable[[], float] = time.time,
    record_claims: bool = False,
) -> PgCoordinator:
    """The PostgreSQL coordinator of a team batch (its [team] database, or `url`). With
    `annotator`, their results file starts going to the server at once (what an earlier
    session fsynced but could not send). With `record_claims` (an annotator's session, not
    the lead's commands), the claims held are kept in team/<annotator>.held.json for a
    start while the server is away. BatchError when psycopg is missing or the batch names
    no database."""
    config_file = batch.folder / "batch.toml"
    url = url or database_of(batch)
    if url is None:
        raise BatchError([Problem(config_file, "names no database", field="team.database")])
    try:
        require_psycopg()
    except DatabaseUnavailableError as exc:
        try:
            line = line_of(config_file.read_text("utf-8", "replace"), "team.database")
        except OSError:
            line = None
        raise BatchError([Problem(config_file, str(exc), line, "team.database")]) from None
    settings = batch.config.team
    coordinator = PgCoordinator(
        url,
        open_plan(batch),
        batch.id,
        results_dir=batch.results_dir,
        now=now,
        record_dir=batch.folder / TEAM_DIR if record_claims else None,
        record_dir_mode=settings.dir_mode if settings is not None else 0o700,
    )
    if annotator is not None:
        coordinator.start_journal(annotator)
    return coordinator
