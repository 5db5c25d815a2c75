"""Many processes, one team batch, random kill -9 (issue 12's proof).

What this proves: 8 OS processes (the session engine with the ledger coordinator, see
tests/team_worker.py) label one 2,000-task batch with N=1 and a 10 % overlap sample of 2
while a random one is killed with SIGKILL and restarted every ~0.4 s
for the first 20 s. At the end:

- every task has at least its target of distinct annotators' answers, and exactly its
  target except the over-coverage that the coordinator's status names (the sum matches);
- no task was left unclaimed (every task has an answer);
- 0 answers lost: every answer a process reported as fsynced is in the results files;
- the longest ledger lock hold across all processes is printed (wall ms, and the CPU ms of
  the work done under it) and bounded.

Run alone (it keeps both cores busy): pytest tests/test_team_processes.py -s
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.team_contract import team_batch
from tui.core.batch import Batch
from tui.core.problems import Problem
from tui.core.result_lines import answered, latest_by_task, read_result_lines
from tui.core.team.engine import open_coordinator
from tui.core.team.tasks import open_plan

REPO = Path(__file__).resolve().parent.parent
PROCESSES = 8
TASKS = 2000
# Kill -9 and restart at random while the work is under way (by progress, not by time: a
# loaded machine is slower, a fast one must still see kills), then let them finish.
KILL_UNTIL = 0.8  # of the answers to give


@pytest.mark.timeout(700)
def test_eight_processes_killed_at_random_lose_nothing(tmp_path: Path) -> None:
    folder = team_batch(
        tmp_path / "b",
        TASKS,
        "annotations_per_task = 1\nclaim_size = 4\nlease_seconds = 6\n"
        "[team.overlap]\nfraction = 0.10\nannotations = 2\nseed = 5\n",
    )
    env = dict(os.environ, PYTHONPATH=str(REPO))
    reports = {f"p{i}": tmp_path / f"p{i}.report" for i in range(PROCESSES)}

    def start(name: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.team_worker", str(folder), name, str(reports[name])],
            cwd=REPO,
            env=env,
            stderr=subprocess.PIPE,
        )

    def reported() -> int:
        """Answers the processes said they saved so far (their report lines)."""
        total = 0
        for path in reports.values():
            if path.exists():
                total += sum(
                    1 for line in path.read_bytes().splitlines() if not line.startswith(b"lock")
                )
        return total

    procs = {name: start(name) for name in reports}
    rnd = random.Random(2026)
    kills = 0
    started = time.monotonic()
    while any(p.poll() is None for p in procs.values()):
        assert time.monotonic() - started < 600, "the team did not finish"
        time.sleep(rnd.uniform(0.05, 0.3))
        if reported() >= (TASKS + TASKS // 10) * KILL_UNTIL:
            continue  # let them finish
        name = rnd.choice(sorted(procs))
        proc = procs[name]
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
        elif proc.returncode != 0:
            pytest.fail(f"{name} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
        if proc.returncode in (0, -signal.SIGKILL):
            procs[name] = start(name)
    for name, proc in procs.items():
        err = proc.stderr.read().decode() if proc.stderr else ""
        assert proc.returncode == 0, f"{name}: {err}"
    elapsed = time.monotonic() - started

    batch = Batch.open(folder)
    plan = open_plan(batch)
    problems: list[Problem] = []
    by_task: dict[str, set[str]] = {}
    saved: set[tuple[str, str, int]] = set()
    for path in sorted((folder / "results").glob("*.jsonl")):
        lines = list(read_result_lines(path, problems))
        for line in lines:
            saved.add((path.stem, line.task_id, line.revision or 0))
        for task_id in answered(latest_by_task(lines)):
            by_task.setdefault(task_id, set()).add(path.stem)
    assert [p for p in problems if p.severity == "error"] == []

    lost = []
    lock_max = lock_cpu = 0.0
    said_saved = 0
    for name, report in reports.items():
        for row in report.read_text().splitlines():
            first, *rest = row.split(" ")
            if len(rest) != 2 or not rest[1]:
                continue  # a kill can cut the last line: only whole ones count
            if first == "lock":
                lock_max = max(lock_max, float(rest[0]))
                lock_cpu = max(lock_cpu, float(rest[1]))
            else:  # "task revision time"
                said_saved += 1
                if (name, first, int(rest[0])) not in saved:
                    lost.append((name, first, rest[0]))
    assert lost == [], "answers reported saved but missing from the results files"

    over = 0
    for index, task_id in enumerate(plan.task_ids):
        target = plan.target(index)
        assert target is not None
        got = len(by_task.get(task_id, set()))
        assert got >= target, f"{task_id} has {got} answers, needs {target}"
        over += got - target
    coordinator = open_coordinator(batch)
    status = coordinator.status()
    coordinator.close()
    assert status.over_covered == over, (status.over_covered, over)
    assert status.pool_left == 0 and status.covered_tasks == TASKS
    assert status.done_answers == status.target_answers == TASKS + TASKS // 10
    print(
        f"\n{PROCESSES} processes, {TASKS} tasks, {kills} kill -9, {elapsed:.1f} s: "
        f"{said_saved} answers reported saved, 0 lost, over-coverage {over}, "
        f"max ledger lock hold {lock_max:.2f} ms wall, {lock_cpu:.2f} ms of CPU work"
    )
    # Wall time includes being descheduled while holding the lock (9 busy processes on 2
    # cores); the work done under it is what the design keeps short.
    assert lock_max < 250, "a lock hold that long would make claims stall"
    assert lock_cpu < 20, "the work under the lock should take a few ms at most"
    assert kills >= 5
