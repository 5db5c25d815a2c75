"""How fast, and in how much memory, does `labeldesk export` write N answers, next to merely
parsing the same results lines with orjson?

Generates a classify batch folder: N/2 tasks (~150 bytes each) answered by two annotators
(N answer lines, ~330 bytes: every field of DESIGN §3, with edits, undos, skips and flags),
then times, each in a fresh process so peak memory is its own:
  parse    — read every results line and orjson.loads it (the floor);
  parse+tasks — the same plus every tasks.jsonl line (what any join must at least read);
  export F — `labeldesk export BATCH --format F -o FILE` (the real command) for each format.
Prints CPU seconds (wall seconds beside them), answers/s, peak RSS and the ratio to the
orjson floor in CPU time: on a shared machine the wall clock measures the neighbours too.

    python bench/export_bench.py                 # 50,000 answers
    python bench/export_bench.py --million       # 1,000,000 answers
    python bench/export_bench.py --answers N --formats jsonl,csv,parquet --repeat 1
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELS = ["positief", "negatief", "neutraal", "gemengd"]
WORDS = [
    "de",
    "het",
    "een",
    "klant",
    "product",
    "levering",
    "snel",
    "traag",
    "prima",
    "slecht",
    "goed",
    "niet",
    "wel",
    "erg",
]


def generate(folder: Path, answers: int, seed: int = 11) -> int:
    """A batch folder with answers/2 tasks and `answers` results lines; returns the bytes of
    the results files."""
    import orjson

    rng = random.Random(seed)
    tasks = max(1, answers // 2)
    (folder / "results").mkdir(parents=True)
    (folder / "batch.toml").write_text(
        'id = "bench-export"\ntitle = "bench"\ntask_type = "classify"\nlanguage = "nl"\n\n'
        f"[task]\nlabels = {json.dumps(LABELS)}\n",
        encoding="utf-8",
    )
    with (folder / "tasks.jsonl").open("wb", buffering=1 << 20) as out:
        for n in range(tasks):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20)))
            out.write(orjson.dumps({"id": f"t-{n:07d}", "text": text, "meta": {"n": n}}) + b"\n")
    size = 0
    per_annotator = [answers // 2, answers - answers // 2]
    for annotator, count in zip(("anna", "bram"), per_annotator, strict=True):
        path = folder / "results" / f"{annotator}.jsonl"
        with path.open("wb", buffering=1 << 20) as out:
            for i in range(count):
                roll = rng.random()
                task = i % tasks if roll >= 0.05 else rng.randrange(tasks)
                answer = (
                    "undone"
                    if roll < 0.01
                    else rng.choices(["accept", "reject", "skip", "flag"], weights=[85, 8, 5, 2])[0]
                )
                record = {
                    "task_id": f"t-{task:07d}",
                    "batch_id": "bench-export",
                    "annotator": annotator,
                    "task_type": "classify",
                    "answer": answer,
                    "value": {"labels": [rng.choice(LABELS)]} if answer == "accept" else None,
                    "flag": {"reason": "ambiguous", "note": "?"} if answer == "flag" else None,
                    "session_id": "5f2a9c01b7e3",
                    "started_at": "2026-11-22T10:00:00.120Z",
                    "submitted_at": "2026-11-22T10:00:03.240Z",
                    "active_ms": rng.randint(800, 20000),
                    "shown_ms": rng.randint(800, 20000),
                    "keys": 2,
                    "revision": 2 if roll < 0.05 else 1,
                    "guidelines_sha256": None,
                    "app_version": "0.1.0",
                }
                out.write(orjson.dumps(record) + b"\n")
        size += path.stat().st_size
    return size


def _peak_kb() -> int:
    try:
        with open("/proc/self/status") as status:
            for row in status:
                if row.startswith("VmHWM:"):
                    return int(row.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(kind: str, folder_text: str) -> None:
    sys.path.insert(0, str(ROOT))
    folder = Path(folder_text)
    started = time.perf_counter()
    cpu_started = time.process_time()
    if kind.startswith("parse"):
        import orjson

        loads = orjson.loads
        files = sorted((folder / "results").glob("*.jsonl"))
        if kind == "parse+tasks":
            files.append(folder / "tasks.jsonl")
        for path in files:
            with path.open("rb") as fh:
                for raw in fh:
                    loads(raw)
    else:
        from tui.cli import main as cli

        fmt = kind.removeprefix("export-")
        out = folder.parent / f"out.{fmt}"
        code = cli(["export", str(folder), "--format", fmt, "-o", str(out)])
        assert code == 0, code
        out.unlink()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(json.dumps({"seconds": elapsed, "cpu": cpu, "peak_mb": _peak_kb() / 1024}))


def _measure(kind: str, folder: Path, repeat: int) -> dict[str, float]:
    best: dict[str, float] | None = None
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, __file__, "--child", kind, str(folder)],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        if best is None or result["cpu"] < best["cpu"]:
            best = result
    assert best is not None
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--answers", type=int, default=50_000)
    parser.add_argument("--million", action="store_true", help="1,000,000 answers")
    parser.add_argument("--formats", default="jsonl,csv,prodigy", help="comma-separated")
    parser.add_argument("--repeat", type=int, default=2, help="runs per measure; the best counts")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    answers = 1_000_000 if args.million else args.answers
    root = Path(tempfile.mkdtemp(prefix="labeldesk-export-bench-"))
    folder = root / "batch"
    started = time.perf_counter()
    size = generate(folder, answers)
    print(
        f"generated {answers:,} answers ({size / 1e6:.0f} MB of results) on "
        f"{max(1, answers // 2):,} tasks in {time.perf_counter() - started:.1f}s: {folder}"
    )
    try:
        floor = _measure("parse", folder, args.repeat)
        kinds = ["parse", "parse+tasks"] + [f"export-{f}" for f in args.formats.split(",") if f]
        for kind in kinds:
            result = floor if kind == "parse" else _measure(kind, folder, args.repeat)
            rate = answers / result["cpu"]
            ratio = result["cpu"] / floor["cpu"]
            print(
                f"{kind:>15}: {result['cpu']:6.2f} s CPU ({result['seconds']:6.2f} s wall)  "
                f"{rate / 1e6:5.2f} M answers/s  peak {result['peak_mb']:6.0f} MB  "
                f"x{ratio:.2f} of orjson parsing (CPU)"
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
