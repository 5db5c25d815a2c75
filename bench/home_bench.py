"""First paint of the home screen with 200 batches and 1M answers, against a bare Textual app.

    python bench/home_bench.py [--batches 200] [--answers 1000000] [--runs 5]

Issue 15 asks that `labeldesk` (the home screen) shows its first screen within 1.2 × the time
a bare Textual app takes to paint its first screen, with the figures computed afterwards in a
worker. This builds `--batches` batch folders under one root (each with a batch.toml, as many
tasks as answers, and its share of `--answers` answer lines spread over four annotators'
results files), writes a config.toml with `roots = [that root]`, and then, alternating the two
programs `--runs` times each in a real pty at 80×24 (TERM=xterm-256color):

- labeldesk: `labeldesk` with no argument; first paint = the first row's title is on screen;
- bare: bench/bare_app.py (one Static); first paint = its text is on screen.

Both are timed from spawning the process (Python start-up and imports included). It also
prints, for labeldesk: when the first row's figures appeared, and the latency of End and Home
(jump to the last / first batch) sent KEY_ROUNDS times while the figures are being computed, a
check that the list stays responsive. This checkout's code runs (PYTHONPATH), whichever
checkout the installed command points at. The machine's load moves both programs' times:
the runs alternate, and the ratio of medians is the figure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from ssh_bytes_bench import PtyRun  # noqa: E402

from tests.sshd_server import labeldesk_path  # noqa: E402

BARE_APP = REPO / "bench" / "bare_app.py"
ANNOTATORS = ("bench", "bram", "cor", "dirk")
START_TIMEOUT_S = 60.0
END_KEY = b"\x1b[F"  # End (xterm): home.last
HOME_KEY = b"\x1b[H"  # Home (xterm): home.first
KEY_ROUNDS = 8


def title(n: int) -> str:
    return f"Batch-{n:03d}"


def build(root: Path, batches: int, answers: int) -> None:
    per_batch = max(1, answers // batches)
    stamp = "2026-11-22T10:00:00.000Z"
    for n in range(batches):
        folder = root / "batches" / f"b{n:03d}"
        (folder / "results").mkdir(parents=True)
        (folder / "batch.toml").write_text(
            f'id = "b{n:03d}"\ntitle = "{title(n)}"\ntask_type = "binary"\nlanguage = "en"\n'
            'target_per_hour = 300\n\n[task]\nlabel = "REFUSAL"\n',
            encoding="utf-8",
        )
        with (folder / "tasks.jsonl").open("wb") as fh:
            for i in range(per_batch):
                fh.write(orjson.dumps({"id": f"t{i}", "text": f"task {i}"}) + b"\n")
        share = per_batch // len(ANNOTATORS)
        for a, who in enumerate(ANNOTATORS):
            with (folder / "results" / f"{who}.jsonl").open("wb") as fh:
                for i in range(a * share, (a + 1) * share):
                    line = {
                        "task_id": f"t{i}",
                        "batch_id": f"b{n:03d}",
                        "annotator": who,
                        "task_type": "binary",
                        "answer": "accept",
                        "value": None,
                        "flag": None,
                        "session_id": "s",
                        "started_at": stamp,
                        "submitted_at": stamp,
                        "active_ms": 4000,
                        "keys": 1,
                        "revision": 1,
                        "guidelines_sha256": None,
                        "app_version": "0.1.0",
                    }
                    fh.write(orjson.dumps(line) + b"\n")
    (root / "config").mkdir()
    (root / "config" / "config.toml").write_text(
        f'annotator = "bench"\nroots = ["{root / "batches"}"]\n', encoding="utf-8"
    )
    (root / "bare.jsonl").write_text('{"text": "BARE-FIRST-PAINT"}\n', encoding="utf-8")


def env_for(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TMUX", "COLORTERM"))}
    env.update(
        TERM="xterm-256color",
        LABELDESK_CONFIG_DIR=str(root / "config"),
        LABELDESK_CACHE_DIR=str(root / "cache"),
        LABELDESK_STATE_DIR=str(root / "state"),
        PYTHONPATH=str(REPO),
    )
    env.pop("LABELDESK_ANNOTATOR", None)
    return env


def first_paint(argv: list[str], env: dict[str, str], marker: str) -> float | None:
    run = PtyRun(argv, env, 80, 24)
    try:
        shown = run.wait_for_text(marker, 0, START_TIMEOUT_S)
        return None if shown is None else shown - run.started
    finally:
        run.close()


def home_extras(exe: str, env: dict[str, str], last: str) -> tuple[float | None, list[float]]:
    """(start → first row's figures shown, End/Home key → last/first batch on screen, each
    of KEY_ROUNDS keys sent while the figures are still being computed)."""
    run = PtyRun([exe], env, 80, 24)
    latencies: list[float] = []
    try:
        if run.wait_for_text(title(0), 0, START_TIMEOUT_S) is None:
            return None, []
        figures_at: float | None = None
        for n in range(KEY_ROUNDS):
            key, marker = (END_KEY, last) if n % 2 == 0 else (HOME_KEY, title(0))
            since = len(run.out)
            sent = run.send(key)
            seen = run.wait_for_text(marker, since, 30.0)
            if seen is None:
                break
            latencies.append((seen - sent) * 1000)
            if figures_at is None and b"me " in bytes(run.out):
                figures_at = run.last_read - run.started
        if figures_at is None and run.wait_for_text("me ", 0, 120.0) is not None:
            figures_at = run.last_read - run.started
        return figures_at, latencies
    finally:
        run.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    exe = labeldesk_path()
    with tempfile.TemporaryDirectory(prefix="ld-homebench-") as tmp:
        root = Path(tmp)
        began = time.perf_counter()
        build(root, args.batches, args.answers)
        print(
            f"labeldesk: {exe} (code: {REPO})\n{args.batches} batches, {args.answers:,} answer "
            f"lines, built in {time.perf_counter() - began:.1f} s; 80x24, {args.runs} runs each"
        )
        env = env_for(root)
        home: list[float] = []
        bare: list[float] = []
        for _ in range(args.runs):  # alternated, so load on the machine hits both alike
            h = first_paint([exe], env, title(0))
            b = first_paint(
                [sys.executable, str(BARE_APP), str(root / "bare.jsonl")], env, "BARE-FIRST-PAINT"
            )
            if h is None or b is None:
                print(f"! a run never painted (home {h}, bare {b})")
                return 1
            home.append(h)
            bare.append(b)
        hm, bm = statistics.median(home), statistics.median(bare)
        print(f"  {'first paint s':<28}{'home':>8}{'bare':>8}{'ratio':>8}")
        print(f"  {'median':<28}{hm:>8.3f}{bm:>8.3f}{hm / bm:>8.2f}")
        print(f"  {'best':<28}{min(home):>8.3f}{min(bare):>8.3f}{min(home) / min(bare):>8.2f}")
        print(f"  runs: home {[round(x, 3) for x in home]}, bare {[round(x, 3) for x in bare]}")
        figures_s, keys_ms = home_extras(exe, env, title(args.batches - 1))
        print(f"  first row's figures shown after {figures_s and round(figures_s, 2)} s")
        if keys_ms:
            print(
                f"  End/Home key → last/first batch on screen, {len(keys_ms)} keys while the "
                f"figures compute: median {statistics.median(keys_ms):.0f} ms, max "
                f"{max(keys_ms):.0f} ms ({[round(k) for k in keys_ms]})"
            )
        print(f"  target: home ≤ 1.2 × bare; measured {hm / bm:.2f} ×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
