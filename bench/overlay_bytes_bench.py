"""Bytes sent to the terminal when the help (F1) and the guidelines (Ctrl+g) open and close.

    python bench/overlay_bytes_bench.py [--sizes 80x24,160x50]

labeldesk opens a generated binary batch (the one bench/ssh_bytes_bench.py makes, with a
guidelines.md) in a real pty, TERM=xterm-256color and no COLORTERM. Each overlay is opened
and closed twice (the second time it is kept, tui/screens/item_screen.py push_kept); every
step counts the bytes written from its key until the output has been quiet for 0.6 s
(at most 3 s). The baseline, measured in the same run, is the item screen's first screen
(everything written until the first item had shown and settled, as ssh_bytes_bench.py
counts it). Closing an overlay has to repaint what it covered (the whole screen: the
overlays tint or cover it), so one full frame of the item screen is the least a close can
cost; an overlay that keeps repainting while open, or a close that lays the screen out
again, shows as more.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

import ssh_bytes_bench as sb  # noqa: E402

from tests.sshd_server import labeldesk_path  # noqa: E402

F1 = b"\x1bOP"
CTRL_G = b"\x07"
ESC = b"\x1b"

GUIDELINES = "# Guidelines\n\n" + "\n\n".join(
    f"## Rule {n}\n\nA refusal is when the *assistant* declines; **partial** help is not a "
    f"refusal. Example {n}."
    for n in range(12)
)

# (step, key, text that shows the step is done)
STEPS = [
    ("F1 open", F1, "closes"),
    ("F1 close", ESC, "Ctrl+q"),
    ("Ctrl+g open", CTRL_G, "Rule 3"),
    ("Ctrl+g close", ESC, "Ctrl+q"),
    ("F1 open again", F1, "closes"),
    ("F1 close again", ESC, "Ctrl+q"),
    ("Ctrl+g open again", CTRL_G, "Rule 3"),
    ("Ctrl+g close again", ESC, "Ctrl+q"),
]


def measure(cols: int, rows: int) -> tuple[int, list[tuple[str, int | None]]]:
    """(bytes of the first screen, [(step, bytes or None when it never showed)])."""
    sb.QUIET_S = 0.6  # an Esc is read as a key only after Textual's escape delay
    with tempfile.TemporaryDirectory(prefix="ld-overlaybench-") as tmp:
        root = Path(tmp)
        batch = sb.make_batch(root, 20)
        (batch / "guidelines.md").write_text(GUIDELINES, encoding="utf-8")
        work = root / "work"
        (work / "results").mkdir(parents=True)
        env = sb.terminal_env(work)
        argv = [labeldesk_path(), "open", str(batch), "--annotator", "bench"]
        argv += ["--results", str(work / "results")]
        run = sb.PtyRun(argv, env, cols, rows)
        steps: list[tuple[str, int | None]] = []
        try:
            if run.wait_for_text(sb.marker(1), 0, sb.START_TIMEOUT_S) is None:
                raise SystemExit("labeldesk never showed its first item")
            run.settle()
            first = len(run.out)
            time.sleep(1.0)  # the lines that follow the first item
            run.settle()
            for name, key, shown in STEPS:
                since = len(run.out)
                run.send(key)
                seen = run.wait_for_text(shown, since, sb.MARKER_TIMEOUT_S)
                run.settle()
                steps.append((name, len(run.out) - since if seen is not None else None))
        finally:
            run.close()
    return first, steps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="80x24,160x50", help="terminal sizes, COLSxROWS")
    args = parser.parse_args()
    for size in args.sizes.split(","):
        cols, rows = (int(x) for x in size.split("x"))
        first, steps = measure(cols, rows)
        print(f"\npty, {cols}×{rows}: the item screen's first screen = {first:,} bytes")
        print(f"  {'step':<22}{'bytes':>10}{'× first screen':>16}")
        for name, sent in steps:
            if sent is None:
                print(f"  {name:<22}{'—':>10}{'never shown':>16}")
            else:
                print(f"  {name:<22}{sent:>10,}{sent / first:>16.2f}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
