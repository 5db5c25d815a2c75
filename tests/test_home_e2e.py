"""The real `labeldesk` command (no argument) in a real terminal (tmux), with `roots` in the
config: the home screen lists the batches, Enter opens one, an answer is saved, Ctrl+q comes
back to the home screen with the new figure, and the results JSONL holds the answer."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.batch_factory import make_batch, read_results
from tests.tmux_terminal import LABELDESK, TmuxTerminal

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parent.parent


def test_home_opens_a_batch_and_comes_back(tmp_path: Path, terminal: TmuxTerminal) -> None:
    tasks = [{"id": f"r-{i:03d}", "text": f"Recensie nummer {i}: prima product."} for i in range(3)]
    root = tmp_path / "batches"
    make_batch(
        root / "nl" / "reviews",
        tasks,
        id="reviews",
        title="Recensies",
        task={"labels": ["positief", "negatief", "neutraal"]},
    )
    make_batch(root / "other", tasks[:2], id="other", title="Another batch")
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text(
        f'annotator = "anna"\nroots = [{json.dumps(str(root))}]\n', encoding="utf-8"
    )
    # This checkout's code, whichever checkout the installed command points at.
    terminal.env["PYTHONPATH"] = str(REPO)
    terminal.start([str(LABELDESK)], tmp_path)
    terminal.wait_for(lambda s: "Recensies" in s and "me 0/3" in s and "me 0/2" in s)
    # Rows are in path order: batches/nl/reviews, then batches/other.
    terminal.keys("Enter")
    terminal.wait_for("item 1 of 3")
    terminal.keys("2")
    terminal.wait_for("saved r-000")
    terminal.keys("C-q")
    terminal.wait_for(lambda s: "me 1/3 33%" in s and "today 1" in s)
    terminal.keys("C-q")
    screen = terminal.wait_for("LABELDESK-EXIT=")
    assert "LABELDESK-EXIT=0" in screen
    lines = read_results(root / "nl" / "reviews" / "results" / "anna.jsonl")
    assert [(x["task_id"], x["value"]["labels"]) for x in lines] == [("r-000", ["negatief"])]
    assert lines[0]["annotator"] == "anna" and lines[0]["batch_id"] == "reviews"


def test_home_without_roots_says_where_to_set_them(tmp_path: Path, terminal: TmuxTerminal) -> None:
    terminal.env["PYTHONPATH"] = str(REPO)
    terminal.start([str(LABELDESK)], tmp_path)
    screen = terminal.wait_for("LABELDESK-EXIT=")
    assert "LABELDESK-EXIT=2" in screen and "no folders to look in" in screen


def test_a_folder_without_batches_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    argv = [str(LABELDESK), str(tmp_path / "empty")]
    result = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2
    assert "no batch.toml and no batch folders inside it" in result.stderr
    assert not (tmp_path / "state" / "opened.json").exists()  # not remembered as a root


def test_a_folder_opened_once_is_home_next_time(tmp_path: Path) -> None:
    tasks = [{"id": "r-000", "text": "Een zin."}]
    root = tmp_path / "batches"
    make_batch(root / "reviews", tasks, id="reviews", title="Recensies")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text('annotator = "anna"\n', encoding="utf-8")
    first = TmuxTerminal(tmp_path)
    try:
        first.env["PYTHONPATH"] = str(REPO)
        first.start([str(LABELDESK), str(root)], tmp_path)
        first.wait_for(lambda s: "Recensies" in s and "under the folder given" in s)
        first.keys("C-q")
        assert "LABELDESK-EXIT=0" in first.wait_for("LABELDESK-EXIT=")
    finally:
        first.close()
    state = json.loads((tmp_path / "state" / "opened.json").read_text(encoding="utf-8"))
    assert state["folders"] == [str(root.resolve())]
    second = TmuxTerminal(tmp_path)
    try:
        second.env["PYTHONPATH"] = str(REPO)
        second.start([str(LABELDESK)], tmp_path)
        second.wait_for(lambda s: "Recensies" in s and "1 folder opened before" in s)
        second.keys("C-q")
        assert "LABELDESK-EXIT=0" in second.wait_for("LABELDESK-EXIT=")
    finally:
        second.close()


def test_demo_copies_the_batches_and_opens_them_on_the_home_screen(
    tmp_path: Path, terminal: TmuxTerminal
) -> None:
    """`labeldesk demo` (the README's command for an installed wheel) shows the same home
    screen as `labeldesk FOLDER`, over its fresh copy, and an answer lands in that copy."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text('annotator = "anna"\n', encoding="utf-8")
    terminal.env["PYTHONPATH"] = str(REPO)
    terminal.env["LABELDESK_DATA_DIR"] = str(tmp_path / "data")
    terminal.start([str(LABELDESK), "demo"], tmp_path)
    terminal.wait_for(lambda s: "under the folder given" in s and "me 0/" in s)
    demo = tmp_path / "data" / "demo"
    assert (demo / "binary-en" / "batch.toml").is_file()
    assert not list(demo.glob("*/results/*.jsonl"))  # the copy holds no demo answers
    terminal.keys("C-q")
    assert "LABELDESK-EXIT=0" in terminal.wait_for("LABELDESK-EXIT=")
