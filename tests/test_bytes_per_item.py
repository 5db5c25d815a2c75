"""Per answered item, labeldesk sends the terminal only what changed (issue 10, part 5):
the real `labeldesk` command in a real pty at 80x24 (TERM=xterm-256color, no COLORTERM, as
over ssh), answering generated binary items one key at a time and counting every byte it
writes. Before the UI shell was rebuilt an item cost 2,322 bytes here (a bare Textual app
that replaces one Static's text: 923); bench/ssh_bytes_bench.py measures the ratio against
that bare app in the same run. This test holds a ceiling with room for a loaded machine (the
KPI line's clock repaints each second the test takes), and checks the JSONL it wrote.

The pty harness is the benchmark's own (bench/ssh_bytes_bench.py PtyRun): every wait there
is bounded, and it waits for screen states, never a fixed time."""

from __future__ import annotations

from pathlib import Path

import orjson

from bench.ssh_bytes_bench import PtyRun, make_batch, marker, terminal_env
from tests.sshd_server import labeldesk_path

ITEMS = 12
CEILING = 1_000  # bytes per item, mean (measured: ~460)


def test_an_answered_item_costs_a_few_hundred_bytes(tmp_path: Path) -> None:
    batch = make_batch(tmp_path, ITEMS + 1)
    run = PtyRun(
        [labeldesk_path(), str(batch), "--annotator", "bytes"], terminal_env(tmp_path), 80, 24
    )
    try:
        assert run.wait_for_text(marker(1), 0, 60) is not None, bytes(run.out[-2000:])
        run.settle()
        first_screen = len(run.out)
        for n in range(2, ITEMS + 2):
            since = len(run.out)
            run.send(b"a")
            assert run.wait_for_text(marker(n), since, 30) is not None, f"item {n} never showed"
            run.settle()
        per_item = (len(run.out) - first_screen) / ITEMS
    finally:
        run.close()
    print(f"\n{per_item:.0f} bytes per item, first screen {first_screen}")
    assert per_item < CEILING, f"{per_item:.0f} bytes per item (first screen {first_screen})"
    assert per_item < first_screen / 10  # far from a repaint of the whole screen
    lines = (batch / "results" / "bytes.jsonl").read_bytes().splitlines()
    answers = [orjson.loads(line) for line in lines]
    assert [a["task_id"] for a in answers] == [f"b-{n:04d}" for n in range(1, ITEMS + 1)]
    assert {a["answer"] for a in answers} == {"accept"}
