"""Two annotators label one team batch at the same time with the real `labeldesk` command in
two terminals (issue 12): every task answered exactly once, a kill -9 strands nothing."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.batch_factory import make_batch, read_results, texts
from tests.tmux_terminal import LABELDESK, TmuxTerminal

TEAM = "[team]\nannotations_per_task = 1\nclaim_size = 3\nlease_seconds = 5\n"


def shown_item(screen: str) -> str | None:
    found = re.search(r"Text number (\d+)", screen)
    return found.group(1) if found else None


@pytest.mark.e2e
@pytest.mark.timeout(240)
def test_two_terminals_split_a_team_batch_and_a_killed_one_strands_nothing(
    tmp_path: Path,
) -> None:
    folder = make_batch(tmp_path / "team", texts(12), extra=TEAM)
    os.chmod(folder, 0o775)
    anna, bram = TmuxTerminal(tmp_path / "a"), TmuxTerminal(tmp_path / "b")
    try:
        anna.start([str(LABELDESK), str(folder), "--annotator", "anna"], tmp_path)
        bram.start([str(LABELDESK), str(folder), "--annotator", "bram"], tmp_path)
        for term in (anna, bram):
            term.wait_for(lambda s: shown_item(s) is not None and "queue " in s)
        # Each answers three items, one at a time as they show; then anna is killed.
        for _ in range(3):
            for term in (anna, bram):
                before = shown_item(term.screen())
                term.keys("1", pause=0)
                term.wait_for(lambda s, b=before: shown_item(s) not in (None, b))
        anna.kill_app()
        anna.wait_for("LABELDESK-EXIT=137")
        # Bram goes on; anna's unanswered claims run out (5 s lease) and come to him: the
        # "nothing left" screen turns into items again without a key.
        done = 3
        while done < 9:
            answered = shown_item(bram.wait_for(lambda s: shown_item(s) is not None, 45))
            bram.keys("1", pause=0)
            done += 1
            if done < 9:
                bram.wait_for(lambda s, b=answered: shown_item(s) != b, 45)
        bram.wait_for("Nothing left for you", 45)
        bram.keys("C-q")
        bram.wait_for("LABELDESK-EXIT=0")
    finally:
        anna.close()
        bram.close()
    answered = [
        r["task_id"]
        for who in ("anna", "bram")
        for r in read_results(folder / "results" / f"{who}.jsonl")
    ]
    assert sorted(answered) == sorted(f"t{i}" for i in range(12))  # each exactly once
    assert len(read_results(folder / "results" / "anna.jsonl")) == 3
