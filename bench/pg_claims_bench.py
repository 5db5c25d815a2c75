"""PostgreSQL against the file ledger (issue 13): claims per second, and what the worker's
answered() and the keypress path cost, with both backends measured in the same run.

1. Claims per second: one process taking claims of `claim_size` for a few annotators in
   turn, answering each claimed task (as the app's worker passes answers on), then
   --procs processes doing the same at once (each its own annotators), on one batch of
   --tasks tasks (N=1, a 10 % overlap sample of 2). The ledger's number is the baseline.
2. answered(): the worker's call after each saved answer (the ledger appends a line under
   its lock; PostgreSQL queues the line for the sender thread).
3. The keypress path (LabelingSession.submit in team mode: save, next claimed task) is
   the same code whatever the backend (it never calls the coordinator): timed once per
   backend to show it.

The PostgreSQL server is started by the bench (tests/pg_server.py: initdb in a temporary
folder, a Unix socket only); skip-free only where PostgreSQL is installed.

    python bench/pg_claims_bench.py                 # 20,000 tasks, 4 processes
    python bench/pg_claims_bench.py --tasks 100000 --procs 8
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def make_batch(folder: Path, tasks: int, url: str | None) -> Path:
    """A new batch (its id is the folder's name), pushed to the database when `url`."""
    import orjson

    folder.mkdir(parents=True)
    database = f'database = "{url}"\n' if url else ""
    team = TEAM.replace("[team.overlap]", database + "[team.overlap]")
    (folder / "batch.toml").write_text(
        f'id = "{folder.name}"\ntask_type = "classify"\n[task]\nlabels = ["pos", "neg"]\n' + team,
        encoding="utf-8",
    )
    with (folder / "tasks.jsonl").open("wb") as out:
        for i in range(tasks):
            out.write(orjson.dumps({"id": f"t{i}", "text": f"Recensie {i}: prima."}) + b"\n")
    if url:
        from tui.core.team.pg.batches import push_batch, team_plan_rows
        from tui.core.team.pg.connect import connect
        from tui.core.team.pg.schema import apply_migrations

        with connect(url, autocommit=True) as conn:
            apply_migrations(conn)
            push_batch(conn, folder, team_plan_rows)
    return folder


def open_coordinator(folder: Path) -> Any:
    from tui.core.batch import Batch
    from tui.core.team.engine import open_coordinator as opener

    return opener(Batch.open(folder))


def answer_line(task_id: str, annotator: str) -> dict[str, Any]:
    return {
        "task_id": task_id,
        "batch_id": "bench",
        "annotator": annotator,
        "answer": "accept",
        "revision": 1,
        "submitted_at": "2026-11-30T10:00:00.000Z",
        "value": {"labels": ["pos"]},
    }


def claim_loop(folder: Path, annotators: list[str], seconds: float) -> tuple[float, list[float]]:
    """Claim and answer for `seconds`; returns (claims per second, claim latencies in ms)."""
    coord = open_coordinator(folder)
    size = coord.settings.claim_size
    taken = 0
    latencies: list[float] = []
    began = time.perf_counter()
    deadline = began + seconds
    turn = 0
    while time.perf_counter() < deadline:
        who = annotators[turn % len(annotators)]
        turn += 1
        start = time.perf_counter()
        claims = coord.claim(who, size)
        latencies.append((time.perf_counter() - start) * 1000)
        taken += len(claims)
        for claim in claims:
            coord.answered(answer_line(claim.task_id, who))
        if not claims:
            break
    rate = taken / (time.perf_counter() - began)
    if hasattr(coord, "wait_sent"):
        coord.wait_sent(60)
    coord.close()
    return rate, latencies


def _worker(args: tuple[str, list[str], float]) -> tuple[float, list[float]]:
    folder, annotators, seconds = args
    return claim_loop(Path(folder), annotators, seconds)


def answered_cost(folder: Path, count: int) -> float:
    """Median µs of answered() for lines of tasks never claimed (counts only)."""
    coord = open_coordinator(folder)
    times = []
    for i in range(count):
        line = answer_line(f"t{len(coord.plan) - 1 - i}", "zed")
        start = time.perf_counter()
        coord.answered(line)
        times.append((time.perf_counter() - start) * 1e6)
    if hasattr(coord, "wait_sent"):
        coord.wait_sent(60)
    coord.close()
    return statistics.median(times)


def keypress_cost(folder: Path, count: int) -> float:
    """Median ms of LabelingSession.submit in team mode (save + next claimed task)."""
    from tui.core.batch import Batch
    from tui.core.session import LabelingSession
    from tui.core.team.engine import open_team, team_results_store

    batch = Batch.open(folder)
    store = team_results_store(batch, "kim")
    store.open()
    team = open_team(batch, "kim")
    team.queue.add(team.coordinator.claim("kim", count))
    session = LabelingSession(batch, store, team=team.queue)
    session.resume()
    times = []
    for _ in range(count):
        if session.done:
            break
        start = time.perf_counter()
        session.submit("accept", {"labels": ["pos"]})
        times.append((time.perf_counter() - start) * 1000)
    for record in team.queue.take_outbox():
        team.coordinator.answered(record)
    if hasattr(team.coordinator, "wait_sent"):
        team.coordinator.wait_sent(60)
    team.coordinator.close()
    store.close()
    return statistics.median(times)


def measure(fresh: Callable[[str], Path], procs: int, seconds: float) -> dict[str, float]:
    """Each figure on a batch of its own, so none starts from a pool another emptied."""
    one, lat = claim_loop(fresh("one"), ["anna", "bram", "carl"], seconds)
    folder = fresh("many")
    jobs = [(str(folder), [f"p{i}a", f"p{i}b"], seconds) for i in range(procs)]
    with multiprocessing.get_context("spawn").Pool(procs) as pool:
        results = pool.map(_worker, jobs)
    many = sum(r[0] for r in results)
    all_lat = [x for r in results for x in r[1]]
    return {
        "one_per_s": one,
        "one_p50_ms": statistics.median(lat),
        "many_per_s": many,
        "many_p50_ms": statistics.median(all_lat),
        "many_p99_ms": sorted(all_lat)[int(len(all_lat) * 0.99)],
        "answered_us": answered_cost(fresh("answered"), 200),
        "keypress_ms": keypress_cost(fresh("keys"), 200),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--procs", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args()
    from tests.pg_server import PgServer, why_no_server

    reason = why_no_server()
    if reason:
        print(f"cannot run: {reason}")
        return 1
    server = PgServer()
    try:
        server.start()
        url = server.create_database()
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            results = {
                "ledger": measure(
                    lambda name: make_batch(root / f"ledger-{name}", args.tasks, None),
                    args.procs,
                    args.seconds,
                ),
                "postgres": measure(
                    lambda name: make_batch(root / f"pg-{name}", args.tasks, url),
                    args.procs,
                    args.seconds,
                ),
            }
    finally:
        server.remove()
    base, new = results["ledger"], results["postgres"]
    print(f"{args.tasks} tasks, claims of 5, {args.procs} processes, {args.seconds:.0f} s each")
    rows = [
        ("tasks claimed/s, 1 process", "one_per_s", "{:.0f}"),
        ("claim p50 ms, 1 process", "one_p50_ms", "{:.2f}"),
        (f"tasks claimed/s, {args.procs} processes", "many_per_s", "{:.0f}"),
        (f"claim p50 ms, {args.procs} processes", "many_p50_ms", "{:.2f}"),
        (f"claim p99 ms, {args.procs} processes", "many_p99_ms", "{:.2f}"),
        ("answered() median µs (worker)", "answered_us", "{:.1f}"),
        ("keypress→next item median ms", "keypress_ms", "{:.3f}"),
    ]
    print(f"{'':38} {'ledger':>10} {'postgres':>10} {'pg/ledger':>10}")
    for label, key, fmt in rows:
        ratio = new[key] / base[key] if base[key] else float("nan")
        print(f"{label:38} {fmt.format(base[key]):>10} {fmt.format(new[key]):>10} {ratio:>9.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
