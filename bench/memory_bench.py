"""Memory with a 1,000,000-task batch open (run on demand, not in CI):

    python bench/memory_bench.py [--tasks N] [--settle S]

Starts a bare Textual app (one Static) and the real `labeldesk` on an N-task batch in real
pseudo-terminals, one after the other, and prints each one's resident memory (VmRSS): the
bare app once painted, labeldesk at its first item and again once the whole file has been
indexed and validated (the progress line stops saying "indexing…", then S seconds more for
the validation worker). Target (issue 10): labeldesk ≤ bare + 60 MB.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from foundation_bench import BARE_APP, Pty, make_batch


def settle(term: Pty, seconds: float) -> None:
    """Read the output until `seconds` passed without 'indexing' being drawn again."""
    quiet_since = time.perf_counter()
    deadline = quiet_since + 600
    while time.perf_counter() < deadline:
        term.buffer = b""
        term.drain(0.5)
        if b"indexing" in term.buffer:
            quiet_since = time.perf_counter()
        elif time.perf_counter() - quiet_since >= seconds:
            return


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--settle", type=float, default=20.0)
    args = parser.parse_args()
    labeldesk = shutil.which("labeldesk")
    if labeldesk is None:
        sys.exit("install labeldesk first: pip install -e .")
    tmp = Path(tempfile.mkdtemp(prefix="ld-mem-"))
    env = {"LABELDESK_CONFIG_DIR": str(tmp / "cfg"), "LABELDESK_CACHE_DIR": str(tmp / "cache")}
    try:
        started = time.perf_counter()
        batch = make_batch(tmp / "big", args.tasks)
        size = (batch / "tasks.jsonl").stat().st_size / 1e6
        print(f"batch: {args.tasks:,} tasks, {size:.0f} MB ({time.perf_counter() - started:.0f} s)")

        bare = Pty([sys.executable, "-c", BARE_APP], env)
        bare.wait_for(b"TOKEN0000")
        bare.drain(2.0)
        bare_mb = bare.rss_mb()
        bare.stop()

        term = Pty([labeldesk, str(batch), "--annotator", "bench"], env)
        term.wait_for(b"TOKEN0000", timeout=120)
        first_mb = term.rss_mb()
        settle(term, args.settle)
        full_mb = term.rss_mb()
        term.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"bare Textual app:            {bare_mb:7.0f} MB")
    print(f"labeldesk, first item:       {first_mb:7.0f} MB")
    print(f"labeldesk, indexed+validated:{full_mb:7.0f} MB")
    print(f"labeldesk - bare:            {full_mb - bare_mb:7.0f} MB (target <= 60 MB)")


if __name__ == "__main__":
    main()
