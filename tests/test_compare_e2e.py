"""compare end to end: the real labeldesk in tmux on a copy of the Dutch sample."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from task_types.compare.models import seed_for, shuffled
from tests.conftest import SAMPLES
from tests.tmux_terminal import LABELDESK, TmuxTerminal


@pytest.mark.e2e
def test_compare_one_item_with_keys(tmp_path: Path, terminal: TmuxTerminal) -> None:
    batch = tmp_path / "compare-nl"
    shutil.copytree(SAMPLES / "compare-nl", batch)
    terminal.start([str(LABELDESK), "open", str(batch), "--annotator", "anna"], cwd=tmp_path)
    terminal.wait_for("A better")
    terminal.keys("b")  # the sample requires a reason: the editor opens
    terminal.wait_for("Esc leaves the reason")
    terminal.type_text("6 min klopt")
    terminal.keys("Enter")
    terminal.wait_for("saved compare-nl-001")
    terminal.keys("C-q")
    terminal.wait_for("LABELDESK-EXIT=0")
    [line] = (batch / "results" / "anna.jsonl").read_bytes().splitlines()
    value = orjson.loads(line)["value"]
    seed = seed_for("compare-nl-001", "anna")
    shown = shuffled(["compare-nl-001-a", "compare-nl-001-b"], seed)
    assert value == {
        "winner": shown[1],
        "outcome": "win",
        "shown_order": shown,
        "seed": seed,
        "reason": "6 min klopt",
    }
