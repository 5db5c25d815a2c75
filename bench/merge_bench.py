"""How long does `labeldesk merge` take next to `labeldesk stats` on the same batch?

Generates a batch of N classify tasks answered by 3 annotators each (every annotator answers
every task; ~10 % of lines are edits, a few skips, flags and undos; labels drawn so that
single, unanimous, majority and unresolved all occur), then times, each in a fresh process
so peak memory is its own:
  stats — `labeldesk stats BATCH --json` (the baseline: the streaming scan of the same lines);
  merge — `labeldesk merge BATCH -o FILE` (the real command, output written atomically).
Prints seconds, peak RSS and the ratio to the baseline measured in the same run.

    python bench/merge_bench.py [--tasks N] [--repeat R]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELS = ["positief", "negatief", "neutraal"]
ANNOTATORS = ["anna", "bob", "carl"]


def generate(folder: Path, tasks: int, seed: int = 7) -> int:
    """Write the batch; returns the number of results lines."""
    import orjson

    rng = random.Random(seed)
    folder.mkdir(parents=True)
    (folder / "batch.toml").write_text(
        'id = "bench"\ntask_type = "classify"\n[task]\nlabels = ["positief", "negatief", '
        '"neutraal"]\n',
        encoding="utf-8",
    )
    with (folder / "tasks.jsonl").open("wb") as fh:
        for i in range(tasks):
            fh.write(orjson.dumps({"id": f"t{i}", "text": f"Recensie {i}"}) + b"\n")
    (folder / "results").mkdir()
    written = 0
    for annotator in ANNOTATORS:
        with (folder / "results" / f"{annotator}.jsonl").open("wb") as fh:
            for i in range(tasks):
                revisions = 2 if rng.random() < 0.1 else 1
                for revision in range(1, revisions + 1):
                    roll = rng.random()
                    answer = "skip" if roll < 0.02 else "flag" if roll < 0.03 else "accept"
                    label = LABELS[0] if rng.random() < 0.7 else rng.choice(LABELS)
                    line = {
                        "task_id": f"t{i}",
                        "batch_id": "bench",
                        "annotator": annotator,
                        "task_type": "classify",
                        "answer": answer,
                        "value": {"labels": [label]} if answer == "accept" else None,
                        "flag": None,
                        "session_id": "s",
                        "started_at": "2026-11-22T10:00:00.000Z",
                        "submitted_at": "2026-11-22T10:00:03.000Z",
                        "active_ms": 3000,
                        "keys": 2,
                        "revision": revision,
                        "guidelines_sha256": None,
                        "app_version": "0.1.0",
                    }
                    fh.write(orjson.dumps(line) + b"\n")
                    written += 1
    return written


def timed(argv: list[str]) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one run of `argv` in a fresh process."""
    code = (
        "import resource, sys, time\n"
        "from tui.cli import main\n"
        "t = time.perf_counter()\n"
        f"rc = main({argv!r})\n"
        "s = time.perf_counter() - t\n"
        "mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(f'{s} {mb}', file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    seconds, mb = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), float(mb)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch"
        lines = generate(batch, args.tasks)
        out = Path(tmp) / "merged.jsonl"
        print(f"{args.tasks:,} tasks, {len(ANNOTATORS)} annotators, {lines:,} results lines")
        runs = {
            "stats (baseline)": ["stats", str(batch), "--json"],
            "merge": ["merge", str(batch), "-o", str(out)],
        }
        best: dict[str, tuple[float, float]] = {}
        for _ in range(args.repeat):
            for name, argv in runs.items():
                seconds, mb = timed(argv)
                if name not in best or seconds < best[name][0]:
                    best[name] = (seconds, mb)
        base = best["stats (baseline)"][0]
        for name, (seconds, mb) in best.items():
            print(f"  {name:<18} {seconds:7.2f} s  {mb:7.0f} MB peak  ×{seconds / base:.2f}")


if __name__ == "__main__":
    main()
