"""The real `labeldesk adjudicate` in a real terminal (tmux): pick an annotator's answer,
correct another in the task's view, quit, read adjudications/lead.jsonl, merge, and resume
on what is left."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.batch_factory import make_batch, read_results
from tests.test_audit_support import result, write_results
from tests.tmux_terminal import LABELDESK, TmuxTerminal, require_tmux

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parent.parent
LABELS = ["positief", "negatief", "neutraal"]


def _batch(tmp_path: Path) -> Path:
    tasks = [{"id": f"r-{i}", "text": f"Recensie {i}: prima product."} for i in range(4)]
    folder = make_batch(tmp_path / "batch", tasks, id="b1", task={"labels": LABELS})
    pos, neg, neu = ({"labels": [label]} for label in LABELS)
    write_results(
        folder,
        [
            result("anna", "r-0", pos),
            result("bob", "r-0", neg),
            result("anna", "r-1", pos),
            result("bob", "r-1", neg),
            result("anna", "r-2", neu),
            result("bob", "r-2", pos),
            result("anna", "r-3", pos),
            result("bob", "r-3", pos),
        ],
    )
    return folder


def _merge(folder: Path, env: dict[str, str]) -> dict[str, dict[str, object]]:
    done = subprocess.run(
        [str(LABELDESK), "merge", str(folder)], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr
    return {line["task_id"]: line for line in map(json.loads, done.stdout.splitlines())}


def test_pick_correct_quit_merge_and_resume(tmp_path: Path, terminal: TmuxTerminal) -> None:
    require_tmux()
    folder = _batch(tmp_path)
    # This checkout's code, whichever labeldesk is installed.
    terminal.env["PYTHONPATH"] = str(REPO)
    env = {**os.environ, **terminal.env}

    terminal.start([str(LABELDESK), "adjudicate", str(folder), "--annotator", "lead"], tmp_path)
    terminal.wait_for("item 1 of 3")
    terminal.wait_for("bob (accept): negatief")
    terminal.keys("2")
    terminal.wait_for("decided r-0: bob")
    terminal.wait_for("item 2 of 3")
    terminal.keys("c")
    terminal.wait_for("correcting:")
    terminal.keys("3")  # one label per item: the label key answers at once
    terminal.wait_for("decided r-1: your correction")
    terminal.wait_for("2 of 3 decided")
    terminal.keys("C-q")
    screen = terminal.wait_for("LABELDESK-EXIT=")
    assert "LABELDESK-EXIT=0" in screen
    unwrapped = screen.replace("\n", "")  # the 80-column pane wraps the long line
    assert "2 decision(s) saved this session; 2 of 3 queued items decided" in unwrapped

    lines = read_results(folder / "adjudications" / "lead.jsonl")
    assert [(x["task_id"], x["decision"], x["chosen"], x["value"]) for x in lines] == [
        ("r-0", "pick", ["bob"], {"labels": ["negatief"]}),
        ("r-1", "correct", [], {"labels": ["neutraal"]}),
    ]
    assert all(x["adjudicator"] == "lead" and x["batch_id"] == "b1" for x in lines)
    assert (folder / "adjudications" / "lead.jsonl").stat().st_mode & 0o777 == 0o600

    merged = _merge(folder, env)
    assert {t: x["source"] for t, x in merged.items()} == {
        "r-0": "adjudicated",
        "r-1": "adjudicated",
        "r-2": "unresolved",
        "r-3": "unanimous",
    }
    assert merged["r-1"]["value"] == {"labels": ["neutraal"]}

    # Resume: only the undecided item is queued.
    again = TmuxTerminal(tmp_path)
    again.env["PYTHONPATH"] = str(REPO)
    try:
        again.start([str(LABELDESK), "adjudicate", str(folder), "--annotator", "lead"], tmp_path)
        again.wait_for("item 1 of 1")
        again.wait_for("r-2")
        again.keys("1")
        again.wait_for("All 1 item(s) of the queue are decided")
        again.keys("C-q")
        assert "LABELDESK-EXIT=0" in again.wait_for("LABELDESK-EXIT=")
    finally:
        again.close()
    assert _merge(folder, env)["r-2"]["value"] == {"labels": ["neutraal"]}
