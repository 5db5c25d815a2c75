"""One annotator's labeling process for the many-process tests, over either backend: the
session engine with a team coordinator, answering as fast as it can, driven the way the
app's worker drives it (answers passed on, claims renewed, ended ones dropped but the one
on screen, more claimed), without a terminal.

    python -m tests.team_worker BATCH ANNOTATOR REPORT [DATABASE_URL]

Without DATABASE_URL the batch folder's ledger coordinates (tests/test_team_processes.py);
with it, PostgreSQL, where the batch was pushed (tests/test_team_pg_processes.py). While
that server cannot be reached the loop goes on with the claims held (claim() gives nothing
new, status() is the last one seen).

After every answer that submit() reported saved (fsynced), it appends "task_id revision
epoch-seconds" to REPORT and fsyncs it: the parent checks that every reported answer is in
the results files (and the database), and when it was given. "lock <ms> <cpu ms>" lines
report the longest lock hold so far: the ledger's (wall time, and the CPU time of the work
done while holding it) or the longest claim transaction (wall time; no CPU figure: 0).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from tui.core.batch import Batch
from tui.core.session import LabelingSession
from tui.core.team.engine import TeamOpen, open_team, team_results_store
from tui.core.team.ledger import LedgerCoordinator
from tui.core.team.pg.connect import DatabaseUnavailableError
from tui.core.team.pg.coordinator import PgCoordinator
from tui.core.team.pg.open import open_pg_coordinator
from tui.core.team.queue import TeamQueue

Coordinator = LedgerCoordinator | PgCoordinator


def open_backend(batch: Batch, annotator: str, url: str | None) -> TeamOpen:
    """The ledger's team (url None), or the database's at `url` with the annotator's
    results file going out at once; either way their live claims are back in the queue."""
    if url is None:
        return open_team(batch, annotator)
    # As the app: the claims held are recorded, so a process restarted while the server is
    # down works on its leases (tui/core/team/pg/held_record.py).
    coord = open_pg_coordinator(batch, url, annotator=annotator, record_claims=True)
    queue = TeamQueue(coord.plan, annotator)
    queue.add(coord.held(annotator))
    return TeamOpen(coord, queue)


def team_finished(coord: Coordinator) -> bool:
    """Nothing left in the pool and no live claim; over PostgreSQL also every answer of this
    process on the server (the parent reads the database once every process has ended)."""
    try:
        status = coord.status()
    except DatabaseUnavailableError:  # never read yet, and the server is down
        return False
    if status.pool_left or status.live_claims:
        return False
    return not isinstance(coord, PgCoordinator) or (coord.online and coord.wait_sent(60))


def lock_line(coord: Coordinator) -> bytes:
    cpu = coord.lock_max_cpu_ms if isinstance(coord, LedgerCoordinator) else 0.0
    return f"lock {coord.lock_max_ms} {cpu}\n".encode()


def main(folder: Path, annotator: str, report: Path, url: str | None = None) -> int:
    batch = Batch.open(folder)
    store = team_results_store(batch, annotator)
    store.open()
    team = open_backend(batch, annotator, url)
    coord, queue = team.coordinator, team.queue
    session = LabelingSession(batch, store, team=queue)
    session.resume()
    out = os.open(report, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    answers = 0
    while True:
        for line in queue.take_outbox():
            coord.answered(line)
        now = time.time()
        renew = queue.to_renew(now)
        if renew:
            kept = coord.renew(annotator, renew)
            queue.renewed(kept)
            queue.drop(set(renew) - {c.task_id for c in kept})
        shown = None if session.done else session.current().task_id
        queue.drop(t for t in queue.ended(now) if t != shown)
        if queue.wanted():
            queue.add(coord.claim(annotator, queue.wanted()))
            session.claims_arrived()
        if session.done:
            if team_finished(coord):
                os.write(out, lock_line(coord))
                os.fsync(out)
                coord.release(annotator)
                coord.close()
                store.close()
                return 0
            time.sleep(0.2)  # colleagues still hold claims: look again soon
            continue
        record = session.submit("accept", {"labels": ["pos"]})
        os.write(out, f"{record.task_id} {record.revision} {time.time():.3f}\n".encode())
        os.fsync(out)
        answers += 1
        if answers % 25 == 0:
            os.write(out, lock_line(coord))


if __name__ == "__main__":
    url = sys.argv[4] if len(sys.argv) > 4 else None
    sys.exit(main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), url))
