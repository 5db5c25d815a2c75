"""One annotator's labeling process for tests/test_team_processes.py: the session engine
with the ledger coordinator, answering as fast as it can, the way the app's worker drives
it (claims, renewals, answers passed on), without a terminal.

    python -m tests.team_worker BATCH ANNOTATOR REPORT

After every answer that submit() reported saved (fsynced), it appends "task_id revision"
to REPORT and fsyncs it: the parent checks that every reported answer is in the results
files. "lock <ms> <cpu ms>" lines report the longest ledger lock hold so far (wall time)
and the longest CPU time of the work done while holding it.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from tui.core.batch import Batch
from tui.core.session import LabelingSession
from tui.core.team.engine import open_team, team_results_store


def main(folder: Path, annotator: str, report: Path) -> int:
    batch = Batch.open(folder)
    store = team_results_store(batch, annotator)
    store.open()
    team = open_team(batch, annotator)
    coord, queue = team.coordinator, team.queue
    session = LabelingSession(batch, store, team=queue)
    session.resume()
    out = os.open(report, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    answers = 0
    while True:
        for record in queue.take_outbox():
            coord.answered(record)
        renew = queue.to_renew(time.time())
        if renew:
            kept = coord.renew(annotator, renew)
            queue.renewed(kept)
            queue.drop(set(renew) - {c.task_id for c in kept})
        if queue.wanted():
            queue.add(coord.claim(annotator, queue.wanted()))
            session.claims_arrived()
        if session.done:
            status = coord.status()
            if status.pool_left == 0 and status.live_claims == 0:
                os.write(out, f"lock {coord.lock_max_ms} {coord.lock_max_cpu_ms}\n".encode())
                os.fsync(out)
                coord.release(annotator)
                return 0
            time.sleep(0.05)
            continue
        record = session.submit("accept", {"labels": ["pos"]})
        os.write(out, f"{record.task_id} {record.revision}\n".encode())
        os.fsync(out)
        answers += 1
        if answers % 25 == 0:
            os.write(out, f"lock {coord.lock_max_ms} {coord.lock_max_cpu_ms}\n".encode())


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])))
