"""One annotator's labeling process over PostgreSQL, for tests/test_team_pg_processes.py: the
session engine with the PostgreSQL coordinator, answering as fast as it can, the way the
app's worker drives it (claims, renewals, answers passed on), without a terminal.

    python -m tests.team_pg_worker BATCH ANNOTATOR REPORT URL

After every answer that submit() reported saved (fsynced to the results file), it appends
"task_id revision epoch-seconds" to REPORT and fsyncs it; the parent checks that every one
reached the server. "lock <ms>" lines report the longest claim transaction so far. When the server cannot be reached it goes on with the claims it holds
(claim() then gives nothing new, status() is the last one seen).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from tui.core.batch import Batch
from tui.core.session import LabelingSession
from tui.core.team.engine import team_results_store
from tui.core.team.pg.connect import DatabaseUnavailableError
from tui.core.team.pg.open import open_pg_coordinator
from tui.core.team.queue import TeamQueue


def main(folder: Path, annotator: str, report: Path, url: str) -> int:
    batch = Batch.open(folder)
    store = team_results_store(batch, annotator)
    store.open()
    coord = open_pg_coordinator(batch, url, annotator=annotator)
    queue = TeamQueue(coord.plan, annotator)
    queue.add(coord.held(annotator))
    session = LabelingSession(batch, store, team=queue)
    session.resume()
    out = os.open(report, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    answers = 0
    while True:
        for record in queue.take_outbox():
            coord.answered(record)
        now = time.time()
        renew = queue.to_renew(now)
        if renew:
            kept = coord.renew(annotator, renew)
            queue.renewed(kept)
            queue.drop(set(renew) - {c.task_id for c in kept})
        queue.drop(queue.ended(now))
        if queue.wanted():
            queue.add(coord.claim(annotator, queue.wanted()))
            session.claims_arrived()
        if session.done:
            try:
                status = coord.status()
            except DatabaseUnavailableError:
                status = None
            finished = status is not None and status.pool_left == status.live_claims == 0
            if coord.online and finished and coord.wait_sent(60):
                os.write(out, f"lock {coord.lock_max_ms}\n".encode())
                os.fsync(out)
                coord.close()
                store.close()
                return 0
            time.sleep(0.2)
            continue
        record = session.submit("accept", {"labels": ["pos"]})
        os.write(out, f"{record.task_id} {record.revision} {time.time():.3f}\n".encode())
        os.fsync(out)
        answers += 1
        if answers % 25 == 0:
            os.write(out, f"lock {coord.lock_max_ms}\n".encode())


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4]))
