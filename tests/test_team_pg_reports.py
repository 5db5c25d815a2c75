"""Stats, audit agreement, merge and export of a batch whose answers live in PostgreSQL read
them from the database (issue 13): every machine's answers, with the same output as from
files; an unreachable server is said, and the local answers are read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.batch_factory import make_batch, texts
from tests.pg_server import PgServer
from tui.cli import main
from tui.core.batch import Batch
from tui.core.session import LabelingSession
from tui.core.team.engine import open_team, team_results_store


def _machine(url: str, folder: Path, who: str, label: str, count: int) -> None:
    """An annotator on their own machine: pull the batch, label `count` items, send."""
    assert main(["team", "pull", "test-batch", "--db", url, "-o", str(folder)]) == 0
    batch = Batch.open(folder)
    store = team_results_store(batch, who)
    store.open()
    team = open_team(batch, who)
    team.queue.add(team.coordinator.claim(who, count))
    session = LabelingSession(batch, store, team=team.queue)
    session.resume()
    for _ in range(count):
        session.submit("accept", {"labels": [label]})
    for record in team.queue.take_outbox():
        team.coordinator.answered(record)
    assert team.coordinator.wait_sent(20)
    team.coordinator.release(who)
    team.coordinator.close()
    store.close()


def test_reports_on_one_machine_count_every_machines_answers(
    tmp_path: Path, pg_url: str, pg_server: PgServer, capsys: pytest.CaptureFixture[str]
) -> None:
    lead = make_batch(
        tmp_path / "lead",
        texts(6),
        extra=f'[team]\nannotations_per_task = "all"\nclaim_size = 6\ndatabase = "{pg_url}"\n',
    )
    assert main(["team", "db-init", "--db", pg_url]) == 0
    assert main(["team", "push", str(lead), "--db", pg_url]) == 0
    _machine(pg_url, tmp_path / "a" / "b", "anna", "pos", 4)
    _machine(pg_url, tmp_path / "c" / "b", "bram", "pos", 4)
    capsys.readouterr()
    # The lead's own folder holds no answers: every figure comes from the database.
    assert main(["stats", str(lead), "--json"]) == 0
    out = capsys.readouterr()
    assert "answers read from the database" in out.err
    assert json.loads(out.out)["total"]["items"] == 8
    assert main(["merge", str(lead)]) == 0
    merged = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(merged) == 4 and {m["source"] for m in merged} == {"unanimous"}
    assert main(["audit", "agreement", str(lead), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["annotators"] == ["anna", "bram"]
    assert main(["export", str(lead), "--format", "jsonl"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 8
    # The server down: said, and only this folder's answers (none) are counted.
    pg_server.stop("immediate")
    try:
        main(["stats", str(lead), "--json"])
        assert "cannot be read" in capsys.readouterr().err
    finally:
        pg_server.start()
