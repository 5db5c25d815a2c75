"""The real `labeldesk` command in a real terminal (tmux): label, kill -9, resume."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.batch_factory import make_batch, read_results
from tests.tmux_terminal import LABELDESK, TmuxTerminal

pytestmark = pytest.mark.e2e


def _batch(tmp_path: Path) -> Path:
    tasks = [
        {"id": f"r-{i:03d}", "text": f"Recensie nummer {i}: prima product."} for i in range(30)
    ]
    return make_batch(
        tmp_path / "batch", tasks, task={"labels": ["positief", "negatief", "neutraal"]}
    )


def test_answers_survive_sigkill_and_labeling_resumes(
    tmp_path: Path, terminal: TmuxTerminal
) -> None:
    folder = _batch(tmp_path)
    argv = [str(LABELDESK), str(folder), "--annotator", "anna"]
    terminal.start(argv, tmp_path)
    terminal.wait_for("item 1 of 30")
    shown_saved: list[str] = []
    for n, key in enumerate(["1", "2", "3", "1", "2"]):
        terminal.keys(key, pause=0)
        screen = terminal.wait_for(f"saved r-{n:03d}")
        shown_saved += re.findall(r"saved (r-\d{3})", screen)
    terminal.kill_app(9)
    terminal.wait_for("LABELDESK-EXIT=137")
    lines = read_results(folder / "results" / "anna.jsonl")
    saved_ids = {line["task_id"] for line in lines}
    assert set(shown_saved) <= saved_ids
    assert [line["value"]["labels"][0] for line in lines] == [
        "positief",
        "negatief",
        "neutraal",
        "positief",
        "negatief",
    ]

    terminal.close()
    again = TmuxTerminal(tmp_path)
    try:
        again.start(argv, tmp_path)
        again.wait_for("item 6 of 30")
        again.wait_for("25 remaining")
        again.keys("3", pause=0)
        again.wait_for("saved r-005")
        again.keys("BSpace", pause=0)
        again.wait_for("undone r-005")
        again.keys("2", pause=0)
        again.wait_for("saved r-005")
        again.keys("C-q")
        screen = again.wait_for("LABELDESK-EXIT=0")
        assert "Session summary" in screen and "items" in screen
    finally:
        again.close()
    lines = read_results(folder / "results" / "anna.jsonl")
    assert [(x["task_id"], x["answer"]) for x in lines[5:]] == [
        ("r-005", "accept"),
        ("r-005", "undone"),
        ("r-005", "accept"),
    ]
    assert lines[-1]["value"] == {"labels": ["negatief"]}
    assert len({x["session_id"] for x in lines}) == 2


def test_a_second_instance_is_refused(tmp_path: Path, terminal: TmuxTerminal) -> None:
    folder = _batch(tmp_path)
    terminal.start([str(LABELDESK), str(folder), "--annotator", "anna"], tmp_path)
    terminal.wait_for("item 1 of 30")
    import subprocess

    result = subprocess.run(
        [str(LABELDESK), str(folder), "--annotator", "anna"],
        capture_output=True,
        text=True,
        timeout=30,
        env={"LABELDESK_CONFIG_DIR": str(tmp_path / "config"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 2
    assert "already open for writing by another labeldesk" in result.stderr
    assert "Traceback" not in result.stderr
    terminal.keys("1")
    terminal.wait_for("saved r-000")


def test_keys_typed_ahead_answer_the_items_they_were_meant_for(
    tmp_path: Path, terminal: TmuxTerminal
) -> None:
    tasks = [{"id": f"t{i}", "text": f"tekst {i}", "label": f"L{i}"} for i in range(20)]
    folder = make_batch(tmp_path / "batch", tasks, task_type="binary", task={})
    terminal.start([str(LABELDESK), str(folder), "--annotator", "anna"], tmp_path)
    terminal.wait_for("item 1 of 20")
    terminal.type_text("aaxa a")  # one burst: accept, accept, reject, accept, skip, accept
    terminal.wait_for("saved t5")
    terminal.keys("C-q")
    terminal.wait_for("LABELDESK-EXIT=0")
    lines = read_results(folder / "results" / "anna.jsonl")
    got = [(x["task_id"], x["answer"], (x["value"] or {}).get("label")) for x in lines]
    assert got == [
        ("t0", "accept", "L0"),
        ("t1", "accept", "L1"),
        ("t2", "reject", "L2"),
        ("t3", "accept", "L3"),
        ("t4", "skip", None),
        ("t5", "accept", "L5"),
    ]
