"""End to end in a real terminal (tmux): mark a span with keys, submit, quit, read the JSONL."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from tests.conftest import SAMPLES
from tests.tmux_terminal import LABELDESK, TmuxTerminal


@pytest.mark.e2e
def test_mark_a_span_and_save(terminal: TmuxTerminal, tmp_path: Path) -> None:
    batch = tmp_path / "spans-en-copy"
    shutil.copytree(SAMPLES / "spans-en", batch)
    assert LABELDESK is not None
    terminal.start([LABELDESK, str(batch), "--annotator", "anna"], cwd=tmp_path)
    terminal.wait_for("[Satya Nadella]PER told investors")  # spans carry their label as text
    # Item 1 has pre-set PER, LOC, ORG spans; "data centres" is unmarked: mark it MISC (4).
    terminal.keys("End", "Left", "Left", "S-Right", "4")
    terminal.wait_for("marked MISC: data centres")
    terminal.wait_for("[data centres]MISC")
    terminal.keys("Enter")
    terminal.wait_for("saved ner-en-0001")
    terminal.keys("C-q")
    terminal.wait_for("LABELDESK-EXIT=0")
    lines = (batch / "results" / "anna.jsonl").read_bytes().splitlines()
    record = orjson.loads(lines[-1])
    assert record["task_id"] == "ner-en-0001" and record["answer"] == "accept"
    spans = [(s["start"], s["end"], s["label"]) for s in record["value"]["spans"]]
    text = "Satya Nadella told investors in Seattle that Microsoft would keep spending on data centres."
    assert spans == [
        (0, 13, "PER"),
        (32, 39, "LOC"),
        (45, 54, "ORG"),
        (text.index("data centres"), text.index("data centres") + 12, "MISC"),
    ]
