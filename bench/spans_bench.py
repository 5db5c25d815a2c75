"""Keypress-to-repaint of the spans view on a 5,000-word text, next to a bare Textual app.

Runs each app in a real pseudo-terminal (pty module, 80×24 unless --size), sends a key,
and times from the write until the app's output burst for that key ends (the last byte
before 25 ms of silence, so the silence itself is not counted). Keys are sent 80 ms apart.
  spans: `labeldesk BATCH` on one task of 5,000 words with 300 pre-set spans; keys →, ↓, End,
         Shift+→ (cursor moves, the screen repaints the visible lines and the info line);
  bare:  a Textual app whose only widget is a Static that changes on every key.

    python bench/spans_bench.py [--presses N] [--size 80x24]
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

KEYS = {"right": b"\x1b[C", "down": b"\x1b[B", "end": b"\x1b[F", "shift+right": b"\x1b[1;2C"}
SILENCE = 0.025

BARE_APP = """
from textual.app import App
from textual.widgets import Static

class Bare(App[None]):
    def compose(self):
        yield Static("0", id="n")
    def on_key(self, event):
        self.count = getattr(self, "count", 0) + 1
        self.query_one("#n", Static).update(f"key {event.key} #{self.count}")

Bare().run()
"""


def make_batch(folder: Path, words: int = 5000) -> None:
    folder.mkdir(parents=True)
    (folder / "batch.toml").write_text(
        'id = "bench"\ntitle = "bench"\ntask_type = "spans"\nlanguage = "nl"\n'
        '[task]\nlabels = ["PER", "LOC", "ORG", "MISC"]\n',
        encoding="utf-8",
    )
    sentence = "Minister Dilan Yeşilgöz sprak in de Tweede Kamer met Femke Halsema over Den Haag ."
    parts: list[str] = []
    spans: list[dict[str, object]] = []
    offset = 0
    n = 0
    while n < words:
        for word in sentence.split():
            if word == "Femke" and len(spans) < 300:
                spans.append({"start": offset, "end": offset + 13, "label": "PER"})
            parts.append(word)
            offset += len(word) + 1
            n += 1
    text = " ".join(parts)
    task = {"id": "long", "text": text, "spans": spans}
    (folder / "tasks.jsonl").write_text(json.dumps(task, ensure_ascii=False) + "\n", "utf-8")


class Pty:
    def __init__(self, argv: list[str], cols: int, rows: int, env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)

    def drain(self, quiet: float, limit: float = 10.0) -> tuple[float | None, int]:
        """Read until `quiet` seconds pass with no output; (time of the last byte, bytes)."""
        last: float | None = None
        total = 0
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.master], [], [], quiet)
            if not ready:
                break
            try:
                data = os.read(self.master, 1 << 16)
            except OSError:
                break
            last = time.perf_counter()
            total += len(data)
        return last, total

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self.master)


def measure(
    argv: list[str], keys: list[str], presses: int, size: tuple[int, int], env: dict[str, str]
) -> dict[str, list[float]]:
    term = Pty(argv, size[0], size[1], env)
    try:
        term.drain(quiet=1.0, limit=20.0)  # the first screen
        out: dict[str, list[float]] = {k: [] for k in keys}
        for i in range(presses * len(keys)):
            key = keys[i % len(keys)]
            sent = time.perf_counter()
            os.write(term.master, KEYS[key])
            last, size_out = term.drain(quiet=SILENCE)
            if last is not None and size_out:
                out[key].append((last - sent) * 1000)
            time.sleep(0.08)
        return out
    finally:
        term.close()


def _pct(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(name: str, timings: dict[str, list[float]]) -> None:
    for key, values in timings.items():
        if not values:
            print(f"{name:6} {key:12} no repaint seen")
            continue
        values.sort()
        print(
            f"{name:6} {key:12} n={len(values):4}  p50 {statistics.median(values):6.1f} ms  "
            f"p90 {_pct(values, 0.9):6.1f} ms  p99 {_pct(values, 0.99):6.1f} ms  "
            f"max {values[-1]:6.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=100, help="presses per key kind")
    parser.add_argument("--size", default="80x24")
    args = parser.parse_args()
    cols, rows = (int(x) for x in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "LABELDESK_CONFIG_DIR": str(root / "config"),
            "LABELDESK_CACHE_DIR": str(root / "cache"),
        }
        make_batch(root / "batch")
        bare = root / "bare.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        labeldesk = [sys.executable, "-m", "tui.cli"] if not _has_cmd() else ["labeldesk"]
        spans = measure(
            [*labeldesk, str(root / "batch"), "--annotator", "bench"],
            list(KEYS),
            args.presses,
            (cols, rows),
            env,
        )
        plain = measure([sys.executable, str(bare)], ["right"], args.presses, (cols, rows), env)
    print(
        f"keypress to repaint, {cols}x{rows} pty, 5,000-word text, {args.presses} presses per key"
    )
    report("spans", spans)
    report("bare", plain)


def _has_cmd() -> bool:
    from shutil import which

    return which("labeldesk") is not None


if __name__ == "__main__":
    main()
