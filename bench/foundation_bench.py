"""Foundation benchmark (run on demand, not in CI): python bench/foundation_bench.py

Prints, for the real `labeldesk` command in a real pseudo-terminal:
  1. time from start to the first item on screen, 10-task vs 1,000,000-task batch, and ratio;
  2. keypress-to-next-item latency, labeldesk vs a bare Textual app handling the same key;
  3. resident memory (RSS) with the 1M batch open after indexing and validation.
"""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    n = 0
    def compose(self):
        yield Static("TOKEN0000", id="s")
    def on_key(self, event):
        if event.key == "1":
            self.n += 1
            self.query_one("#s", Static).update(f"TOKEN{self.n:04d}")
        elif event.key == "ctrl+q":
            self.exit()
Bare().run()
"""


def make_batch(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True)
    (folder / "batch.toml").write_text(
        'id = "bench"\ntask_type = "classify"\n[task]\nlabels = ["pos", "neg", "neu"]\n'
    )
    filler = "lorem ipsum dolor sit amet " * 9
    with (folder / "tasks.jsonl").open("w") as fh:
        chunk = []
        for i in range(n):
            chunk.append(json.dumps({"id": f"t{i}", "text": f"TOKEN{i:04d} {filler}"}) + "\n")
            if len(chunk) == 10000:
                fh.write("".join(chunk))
                chunk = []
        fh.write("".join(chunk))
    return folder


class Pty:
    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe(
                argv[0],
                argv,
                {**os.environ, **env, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"},
            )
        import fcntl
        import struct
        import termios

        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.buffer = b""

    def wait_for(self, token: bytes, timeout: float = 60.0) -> float:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    data = os.read(self.fd, 1 << 16)
                except OSError:
                    break
                self.buffer += data
                if token in self.buffer:
                    self.buffer = self.buffer[self.buffer.index(token) + len(token) :]
                    return time.perf_counter()
        raise TimeoutError(f"{token!r} not seen")

    def drain(self, seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.02)
            if ready:
                try:
                    os.read(self.fd, 1 << 16)
                except OSError:
                    return
        self.buffer = b""

    def send(self, data: bytes) -> float:
        t = time.perf_counter()
        os.write(self.fd, data)
        return t

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        os.close(self.fd)


def first_item_seconds(labeldesk: str, batch: Path, env: dict[str, str]) -> tuple[float, Pty]:
    start = time.perf_counter()
    term = Pty([labeldesk, str(batch), "--annotator", "bench"], env)
    seen = term.wait_for(b"TOKEN0000")
    return seen - start, term


def key_latencies(term: Pty, presses: int, first: int) -> list[float]:
    out = []
    for i in range(first + 1, first + 1 + presses):
        term.drain(0.05)
        sent = term.send(b"1")
        out.append((term.wait_for(f"TOKEN{i:04d}".encode()) - sent) * 1000)
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    labeldesk = shutil.which("labeldesk")
    if labeldesk is None:
        sys.exit("install labeldesk first: pip install -e .")
    tmp = Path(tempfile.mkdtemp(prefix="ld-bench-"))
    env = {"LABELDESK_CONFIG_DIR": str(tmp / "cfg"), "LABELDESK_CACHE_DIR": str(tmp / "cache")}
    if "--latency" in sys.argv:
        latency(labeldesk, tmp, env)
        return
    t = time.perf_counter()
    small = make_batch(tmp / "small", 10)
    big = make_batch(tmp / "big", 1_000_000)
    size_mb = (big / "tasks.jsonl").stat().st_size / 1e6
    print(f"made batches in {time.perf_counter() - t:.1f}s (1M tasks, {size_mb:.0f} MB)")

    runs = 3
    small_t, big_t = [], []
    for _ in range(runs):
        s, term = first_item_seconds(labeldesk, small, env)
        small_t.append(s)
        term.stop()
        shutil.rmtree(small / "results", ignore_errors=True)
        b, term = first_item_seconds(labeldesk, big, env)
        big_t.append(b)
        term.stop()
        shutil.rmtree(big / "results", ignore_errors=True)
    s_med, b_med = statistics.median(small_t), statistics.median(big_t)
    print(
        f"time to first item: 10 tasks {s_med * 1000:.0f} ms, 1M tasks {b_med * 1000:.0f} ms, ratio {b_med / s_med:.2f} (median of {runs})"
    )

    latency(labeldesk, tmp, env)

    _, term = first_item_seconds(labeldesk, big, env)
    rss_first = term.rss_mb()
    term.drain(15.0)  # indexing and full validation run in a worker meanwhile
    print(
        f"RSS with the 1M batch open: {rss_first:.0f} MB at first item, {term.rss_mb():.0f} MB after 15 s (index + validation)"
    )
    term.stop()
    shutil.rmtree(tmp, ignore_errors=True)


def latency(labeldesk: str, tmp: Path, env: dict[str, str]) -> None:
    """Keypress to next item: labeldesk against a bare Textual app, in a pty."""
    start = time.perf_counter()
    bare = Pty([sys.executable, "-c", BARE_APP], env)
    bare.wait_for(b"TOKEN0000")
    print(f"bare Textual app first paint: {(time.perf_counter() - start) * 1000:.0f} ms")
    bare.drain(0.5)
    bare_lat = key_latencies(bare, 60, 0)
    bare.stop()

    # More presses than a 10-task batch holds: a 200-task batch for the latency sample.
    mid = make_batch(tmp / "mid", 200)
    _, term = first_item_seconds(labeldesk, mid, env)
    term.drain(1.0)
    ld_lat = key_latencies(term, 60, 0)
    term.stop()
    for name, values in (("bare Textual", bare_lat), ("labeldesk", ld_lat)):
        print(
            f"keypress to next item, {name}: p50 {pct(values, 0.5):.1f} ms, p90 {pct(values, 0.9):.1f} ms, p99 {pct(values, 0.99):.1f} ms (n={len(values)})"
        )
    print(f"ratio p50 labeldesk/bare: {pct(ld_lat, 0.5) / pct(bare_lat, 0.5):.2f}")


if __name__ == "__main__":
    main()
