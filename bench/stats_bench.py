"""How fast is `labeldesk stats` next to merely parsing the same lines with orjson?

Generates N realistic result lines (200,000 by default, under a minute; --million for 1M) (~300 bytes: every field of DESIGN §3; 6
annotators, 4 batches, edits, undos, skips, flags, gold checks) into a temp file, then
times, each in a fresh process so peak memory is its own:
  parse  — read every line and orjson.loads it (the floor: the fastest parser we use);
  stats  — `labeldesk stats FILE --json` (the real command, output to /dev/null): the
           columnar path (DuckDB, the lines checked by simdjson) when the `stats` extra is
           installed, else the shared reader;
  stats --by day — the same with one row per day;
  stats (reader) — the same command made to read the file with the shared reader (the path
           every file takes without the extra, and a file with a bad line takes always).
Prints CPU seconds of all the process's threads (wall seconds beside them: on a shared
machine the wall clock measures the neighbours too), lines/s, peak RSS (a file the columnar
path reads is mapped in memory and counts in it) and the ratio to the parse floor in CPU
time, both measured in this run on the same file. The target of issue 14: stats <= 2x the
orjson parse.

    python bench/stats_bench.py                 # 200,000 lines
    python bench/stats_bench.py --million       # 1,000,000 lines
    python bench/stats_bench.py [--lines N] [--repeat R] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LABELS = ["positief", "negatief", "neutraal", "gemengd"]
TYPES = ["classify", "binary", "classify", "rate"]


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def generate(path: Path, lines: int, seed: int = 7) -> int:
    """Write `lines` answer lines; returns the byte size."""
    import orjson

    rng = random.Random(seed)
    annotators = ["anna", "bram", "cees", "daan", "eva", "fenna"]
    batches = [f"nl-{n:04d}" for n in (42, 43, 44, 45)]
    clock = {a: datetime(2026, 11, 2, 8, 0, tzinfo=UTC) for a in annotators}
    sessions = {a: f"{rng.getrandbits(48):012x}" for a in annotators}
    answered: dict[str, list[tuple[str, str, int]]] = {a: [] for a in annotators}
    counter = 0
    with path.open("wb", buffering=1 << 20) as out:
        for _ in range(lines):
            annotator = rng.choice(annotators)
            active = int(rng.lognormvariate(8.8, 0.6))  # median ~6.6 s per item
            clock[annotator] += timedelta(milliseconds=active + rng.randint(50, 900))
            if clock[annotator].hour >= 17:  # a working day, then the next morning
                clock[annotator] = clock[annotator].replace(hour=8) + timedelta(days=1)
                sessions[annotator] = f"{rng.getrandbits(48):012x}"
            roll = rng.random()
            history = answered[annotator]
            if roll < 0.05 and history:  # an edit or an undo of an earlier answer
                task_id, batch, before = history[rng.randrange(len(history))]
                answer = "undone" if roll < 0.02 else "accept"
                active += before
                revision = 2
            else:
                counter += 1
                batch = batches[counter % len(batches)]
                task_id = f"r-{counter:07d}"
                answer = rng.choices(["accept", "reject", "skip", "flag"], weights=[85, 8, 5, 2])[0]
                revision = 1
                history.append((task_id, batch, active))
            task_type = TYPES[batches.index(batch)]
            submitted = clock[annotator]
            record: dict[str, object] = {
                "task_id": task_id,
                "batch_id": batch,
                "annotator": annotator,
                "task_type": task_type,
                "answer": answer,
                "value": {"labels": [rng.choice(LABELS)]} if answer == "accept" else None,
                "flag": {"reason": "ambiguous", "note": ""} if answer == "flag" else None,
                "session_id": sessions[annotator],
                "started_at": _stamp(submitted - timedelta(milliseconds=active)),
                "submitted_at": _stamp(submitted),
                "active_ms": active,
                "keys": rng.randint(1, 6),
                "revision": revision,
                "guidelines_sha256": None,  # a batch without guidelines.md
                "app_version": "0.1.0",
            }
            if rng.random() < 0.05:
                record["gold_correct"] = rng.random() < 0.9
            out.write(orjson.dumps(record) + b"\n")
    return path.stat().st_size


def _child(kind: str, path: str) -> None:
    sys.path.insert(0, str(ROOT))
    started = time.perf_counter()
    cpu_started = time.process_time()
    if kind == "parse":
        import orjson

        loads = orjson.loads
        with open(path, "rb") as fh:
            for raw in fh:
                loads(raw)
    else:
        from tui.commands import stats as stats_command

        if kind == "stats-reader":
            from tui.core.stats import scan

            scan.COLUMNAR_BYTES = sys.maxsize  # never the columnar path

        parser = argparse.ArgumentParser()
        stats_command.register(parser.add_subparsers())
        extra = ["--by", "day"] if kind == "stats-by-day" else []
        args = parser.parse_args(["stats", path, "--json", *extra])
        with open(os.devnull, "w") as devnull:
            saved = sys.stdout
            sys.stdout = devnull
            try:
                args.func(args)
            finally:
                sys.stdout = saved
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(json.dumps({"seconds": elapsed, "cpu": cpu, "peak_mb": _peak_kb() / 1024}))


def _peak_kb() -> int:
    # VmHWM belongs to this process's own memory map; ru_maxrss on Linux would carry over
    # the parent's size at fork time (the generator's), inflating small figures.
    try:
        with open("/proc/self/status") as status:
            for row in status:
                if row.startswith("VmHWM:"):
                    return int(row.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _run(kind: str, path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _measure(kinds: list[str], path: Path, repeat: int) -> dict[str, dict[str, float]]:
    """The best run (least CPU) of each kind. Rounds alternate the kinds, so that a busy
    moment on the shared machine slows one round of all of them, not only the floor."""
    best: dict[str, dict[str, float]] = {}
    for _ in range(repeat):
        for kind in kinds:
            result = _run(kind, path)
            if kind not in best or result["cpu"] < best[kind]["cpu"]:
                best[kind] = result
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--million", action="store_true", help="1,000,000 lines")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best run counts")
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    if args.million:
        args.lines = 1_000_000
    folder = Path(tempfile.mkdtemp(prefix="labeldesk-stats-bench-"))
    path = folder / "results.jsonl"
    started = time.perf_counter()
    size = generate(path, args.lines)
    print(
        f"generated {args.lines:,} lines, {size / 1e6:.0f} MB ({size / args.lines:.0f} bytes/line)"
        f" in {time.perf_counter() - started:.1f}s: {path}"
    )
    try:
        kinds = ["parse", "stats", "stats-by-day", "stats-reader"]
        results = _measure(kinds, path, args.repeat)
        floor = results["parse"]
        for kind in kinds:
            result = results[kind]
            rate = args.lines / result["cpu"]
            ratio = result["cpu"] / floor["cpu"]
            print(
                f"{kind:>13}: {result['cpu']:6.2f} s CPU ({result['seconds']:6.2f} s wall)  "
                f"{rate / 1e6:5.2f} M lines/s  peak {result['peak_mb']:6.0f} MB  "
                f"x{ratio:.2f} of orjson parsing (CPU)"
            )
    finally:
        if not args.keep:
            path.unlink(missing_ok=True)
            folder.rmdir()


if __name__ == "__main__":
    main()
