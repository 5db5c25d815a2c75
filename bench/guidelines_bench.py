"""How long the guidelines overlay takes to open (Ctrl+g), in a real pty.

    python bench/guidelines_bench.py [--batch samples/binary-en] [--runs 5] [--size 80x24]

Opens `labeldesk open` on a copy of the batch, waits for the first item and the screen to
settle, then presses Ctrl+g and times until the guidelines' first heading has appeared on
screen (escape sequences stripped), and Esc until the item is back. Each run is a fresh
process; the first open after start is the one an annotator waits for. Target (issue 10):
≤ 0.3 s on an idle machine. TERM=xterm-256color, no COLORTERM, as in ssh_bytes_bench.py.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.ssh_bytes_bench import PtyRun, terminal_env  # noqa: E402
from tests.sshd_server import labeldesk_path  # noqa: E402

CTRL_G = b"\x07"
ESC = b"\x1b"
TIMEOUT_S = 30.0


def first_heading(markdown: str) -> str:
    for line in markdown.splitlines():
        match = re.match(r"#+\s+(.*\S)", line)
        if match:
            return match.group(1)[:30]
    return markdown.strip().splitlines()[0][:30]


def first_item_text(batch: Path) -> str:
    import json

    first = (batch / "tasks.jsonl").read_text(encoding="utf-8").splitlines()[0]
    text = str(json.loads(first).get("text", ""))
    words = text.split()
    return " ".join(words[:2]) if words else ""


def one_run(batch: Path, cols: int, rows: int, work: Path) -> tuple[float, float, int]:
    env = terminal_env(work)
    argv = [labeldesk_path(), "open", str(batch), "--annotator", "bench"]
    argv += ["--results", str(work / "results")]
    run = PtyRun(argv, env, cols, rows)
    try:
        guide = (batch / "guidelines.md").read_text(encoding="utf-8")
        heading = first_heading(guide)
        item = first_item_text(batch)
        if run.wait_for_text(item, 0, TIMEOUT_S) is None:
            raise RuntimeError("the first item never showed")
        run.settle()
        since = len(run.out)
        sent = run.send(CTRL_G)
        shown = run.wait_for_text(heading, since, TIMEOUT_S)
        if shown is None:
            raise RuntimeError(f"guidelines heading {heading!r} never showed")
        run.settle()
        open_bytes = len(run.out) - since
        since = len(run.out)
        sent_esc = run.send(ESC)
        back = run.wait_for_text(item, since, TIMEOUT_S)
        if back is None:
            raise RuntimeError("the item did not come back after Esc")
        run.settle()
        return shown - sent, back - sent_esc, open_bytes
    finally:
        run.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=Path, default=REPO / "samples" / "binary-en")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", default="80x24")
    args = parser.parse_args()
    cols, rows = (int(x) for x in args.size.split("x"))
    opens: list[float] = []
    closes: list[float] = []
    sizes: list[int] = []
    with tempfile.TemporaryDirectory(prefix="ld-guidebench-") as tmp:
        for n in range(args.runs):
            work = Path(tmp) / f"run-{n}"
            batch = work / "batch"
            shutil.copytree(args.batch, batch, ignore=shutil.ignore_patterns("results"))
            (work / "results").mkdir()
            opened, closed, size = one_run(batch, cols, rows, work)
            opens.append(opened * 1000)
            closes.append(closed * 1000)
            sizes.append(size)
    print(f"batch: {args.batch}; {args.runs} runs at {cols}×{rows}; load {os.getloadavg()[0]:.2f}")
    print(
        f"  Ctrl+g → guidelines shown  p50 {statistics.median(opens):7.1f} ms  max {max(opens):7.1f} ms"
    )
    print(
        f"  Esc → item back            p50 {statistics.median(closes):7.1f} ms  max {max(closes):7.1f} ms"
    )
    print(f"  bytes sent on opening      p50 {statistics.median(sizes):7,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
