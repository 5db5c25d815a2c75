"""Team mode (issue 12): what a claim costs, and what opening a team batch costs against
opening the same batch alone, measured in the same run.

1. Claim latency. `Coordinator.claim` (the ledger's flock, read of the ledger tail and of
   colleagues' results, the decision, the append) runs in the app's worker. The keypress
   path is `LabelingSession.submit` in team mode (save the answer, take the next claimed
   task from the queue): it never calls the coordinator. Both are timed here, with the
   solo submit as the baseline of the keypress path.
2. Opening. A batch of --tasks tasks, --annotators colleagues' results files covering
   --answered of it (N=1, a 10 % overlap sample of 2) and the ledger lines that work left.
   Solo: Batch.open + own results store + resume (the first item). Team: the same plus
   the plan (every task id), the ledger replay, every results file, the first claim.

    python bench/team_claims_bench.py            # 100,000 tasks (about a minute)
    python bench/team_claims_bench.py --full     # 1,000,000 tasks, 20 annotators

Each open is timed in a fresh process (a warm page cache: the files were just written).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEAM = """
[team]
annotations_per_task = 1
claim_size = 5
lease_seconds = 600
[team.overlap]
fraction = 0.10
annotations = 2
seed = 7
"""


def make_batch(folder: Path, tasks: int, annotators: int, answered: float) -> None:
    import orjson

    for sub in ("results", "team"):
        (folder / sub).mkdir(parents=True)
        os.chmod(folder / sub, 0o3770)  # a team folder (tui/core/team/folder.py)
    (folder / "batch.toml").write_text(
        'id = "bench"\ntask_type = "classify"\n[task]\nlabels = ["pos", "neg"]\n' + TEAM,
        encoding="utf-8",
    )
    with (folder / "tasks.jsonl").open("wb", buffering=1 << 20) as out:
        for i in range(tasks):
            out.write(
                orjson.dumps({"id": f"t{i}", "text": f"Recensie nummer {i}: prima product."})
                + b"\n"
            )
    names = [f"a{n:02d}" for n in range(annotators)]
    files = {name: (folder / "results" / f"{name}.jsonl").open("wb") for name in names}
    ledger = (folder / "team" / "claims.jsonl").open("wb")
    now = time.time() - 3600
    done = int(tasks * answered)
    for i in range(done):
        name = names[i % annotators]
        stamp = "2026-11-30T10:00:00.000Z"
        files[name].write(
            orjson.dumps(
                {
                    "task_id": f"t{i}",
                    "batch_id": "bench",
                    "annotator": name,
                    "task_type": "classify",
                    "answer": "accept",
                    "value": {"labels": ["pos"]},
                    "flag": None,
                    "session_id": "s",
                    "started_at": stamp,
                    "submitted_at": stamp,
                    "active_ms": 3000,
                    "keys": 2,
                    "revision": 1,
                    "app_version": "0.1.0",
                }
            )
            + b"\n"
        )
        ledger.write(
            orjson.dumps(
                {"op": "claim", "task": f"t{i}", "by": name, "until": now + 600, "at": now}
            )
            + b"\n"
            + orjson.dumps(
                {
                    "op": "answer",
                    "task": f"t{i}",
                    "by": name,
                    "answer": "accept",
                    "rev": 1,
                    "when": stamp,
                    "at": now,
                }
            )
            + b"\n"
        )
    for fh in (*files.values(), ledger):
        fh.close()


def open_once(folder: str, mode: str) -> None:
    """In a fresh process: open the batch solo or as a team member; print the seconds."""
    start = time.perf_counter()
    from tui.core.batch import Batch
    from tui.core.results import ResultsStore
    from tui.core.session import LabelingSession

    batch = Batch.open(Path(folder))
    if mode == "solo":
        store = ResultsStore(batch.results_dir, "newcomer", batch.id)
        store.open()
        session = LabelingSession(batch, store)
        session.resume()
    else:
        from tui.core.team.engine import open_team, team_results_store

        store = team_results_store(batch, "newcomer")
        store.open()
        team = open_team(batch, "newcomer")
        session = LabelingSession(batch, store, team=team.queue)
        session.resume()
        team.queue.add(team.coordinator.claim("newcomer", team.queue.wanted()))
        session.claims_arrived()
        team.coordinator.release("newcomer")
    assert not session.done
    session.current()
    print(json.dumps({"seconds": time.perf_counter() - start}))


def timed_open(folder: Path, mode: str) -> float:
    result = subprocess.run(
        [sys.executable, __file__, "--open", str(folder), mode],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if result.returncode != 0:
        raise SystemExit(f"the {mode} open failed:\n{result.stderr}")
    return float(json.loads(result.stdout.strip().splitlines()[-1])["seconds"])


def claim_latency(folder: Path, rounds: int) -> dict[str, float]:
    """Claims in the worker against submits on the keypress path, in one process; team and
    solo submits alternate, so disk and machine noise fall on both alike."""
    from tui.core.batch import Batch
    from tui.core.results import ResultsStore
    from tui.core.session import LabelingSession
    from tui.core.team.engine import open_team, team_results_store

    batch = Batch.open(folder)
    store = team_results_store(batch, "timer")
    store.open()
    team = open_team(batch, "timer")
    coord, queue = team.coordinator, team.queue
    session = LabelingSession(batch, store, team=queue)
    session.resume()
    solo_batch = Batch.open(folder)
    solo_store = ResultsStore(solo_batch.results_dir, "solo-timer", solo_batch.id)
    solo_store.open()
    solo = LabelingSession(solo_batch, solo_store)
    solo.resume()
    claims: list[float] = []
    submits: list[float] = []
    solo_submits: list[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        got = coord.claim("timer", queue.wanted() or 1)  # the worker's part
        claims.append(time.perf_counter() - start)
        queue.add(got)
        session.claims_arrived()
        while not session.done:
            start = time.perf_counter()
            session.submit("accept", {"labels": ["pos"]})  # the keypress's part
            submits.append(time.perf_counter() - start)
            start = time.perf_counter()
            solo.submit("accept", {"labels": ["pos"]})
            solo_submits.append(time.perf_counter() - start)
            for line in queue.take_outbox():  # back in the worker
                coord.answered(line)
    coord.release("timer")
    lock_max, lock_cpu = coord.lock_max_ms, coord.lock_max_cpu_ms
    coord.close()
    store.close()
    solo_store.close()

    def ms(values: list[float], q: int) -> float:
        return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 2 else 0.0

    return {
        "claim_p50_ms": ms(claims, 50),
        "claim_p99_ms": ms(claims, 99),
        "team_submit_p50_ms": ms(submits, 50),
        "team_submit_p99_ms": ms(submits, 99),
        "solo_submit_p50_ms": ms(solo_submits, 50),
        "solo_submit_p99_ms": ms(solo_submits, 99),
        "lock_max_ms": lock_max,
        "lock_max_cpu_ms": lock_cpu,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", nargs=2, metavar=("FOLDER", "MODE"), help=argparse.SUPPRESS)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--annotators", type=int, default=20)
    parser.add_argument("--answered", type=float, default=0.5, help="share already answered")
    parser.add_argument("--full", action="store_true", help="1,000,000 tasks")
    parser.add_argument("--rounds", type=int, default=200, help="claims timed")
    args = parser.parse_args()
    if args.open:
        open_once(args.open[0], args.open[1])
        return 0
    tasks = 1_000_000 if args.full else args.tasks
    with tempfile.TemporaryDirectory(prefix="team-bench-") as tmp:
        folder = Path(tmp) / "batch"
        start = time.perf_counter()
        make_batch(folder, tasks, args.annotators, args.answered)
        print(
            f"{tasks:,} tasks, {args.annotators} annotators' results covering "
            f"{args.answered:.0%} ({time.perf_counter() - start:.1f} s to write)"
        )
        solo = min(timed_open(folder, "solo") for _ in range(2))
        team = min(timed_open(folder, "team") for _ in range(2))
        print(
            f"open to the first item: solo {solo:.2f} s, team {team:.2f} s "
            f"({team / solo:.1f}x solo)"
        )
        figures = claim_latency(folder, args.rounds)
        print(
            f"claim (worker): p50 {figures['claim_p50_ms']:.2f} ms, "
            f"p99 {figures['claim_p99_ms']:.2f} ms; lock held at most "
            f"{figures['lock_max_ms']:.2f} ms ({figures['lock_max_cpu_ms']:.2f} ms of CPU)"
        )
        print(
            f"submit (keypress path, no claim in it): team p50 "
            f"{figures['team_submit_p50_ms']:.2f} ms / p99 {figures['team_submit_p99_ms']:.2f} ms"
            f" vs solo p50 {figures['solo_submit_p50_ms']:.2f} ms / "
            f"p99 {figures['solo_submit_p99_ms']:.2f} ms "
            f"({figures['team_submit_p50_ms'] / max(figures['solo_submit_p50_ms'], 1e-9):.2f}x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
