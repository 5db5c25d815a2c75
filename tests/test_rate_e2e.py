"""rate end to end: the real labeldesk in tmux on a copy of the English sample."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from tests.conftest import SAMPLES
from tests.tmux_terminal import LABELDESK, TmuxTerminal


@pytest.mark.e2e
def test_rate_one_item_with_keys(tmp_path: Path, terminal: TmuxTerminal) -> None:
    batch = tmp_path / "rate-en"
    shutil.copytree(SAMPLES / "rate-en", batch)
    terminal.start([str(LABELDESK), "open", str(batch), "--annotator", "anna"], cwd=tmp_path)
    terminal.wait_for("the turn you rate")
    terminal.keys("5", "4")
    terminal.keys("n")
    terminal.wait_for("Esc leaves")
    terminal.type_text("Correct timing 6 min")
    terminal.keys("Enter")  # Enter saves from the note
    terminal.wait_for("saved rate-en-001")
    terminal.keys("C-q")
    terminal.wait_for("LABELDESK-EXIT=0")
    [line] = (batch / "results" / "anna.jsonl").read_bytes().splitlines()
    record = orjson.loads(line)
    assert record["task_id"] == "rate-en-001"
    assert record["value"] == {
        "ratings": {"helpfulness": 5, "correctness": 4},
        "target": 1,
        "note": "Correct timing 6 min",
    }
