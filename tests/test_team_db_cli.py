"""`labeldesk team db-init | push | pull`, and `team status` of a batch in a database, through
the real command line against the test server."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.batch_factory import make_batch, texts
from tests.pg_server import PgServer
from tui.cli import main
from tui.core.batch import Batch
from tui.core.team.engine import open_team, team_results_store
from tui.core.team.pg.coordinator import PgCoordinator


def _team_batch(folder: Path, url: str) -> Path:
    return make_batch(
        folder,
        texts(12),
        extra=(
            f'[team]\nannotations_per_task = 1\nclaim_size = 4\ndatabase = "{url}"\n'
            "[team.overlap]\ncount = 2\nannotations = 2\nseed = 1\n"
        ),
    )


def test_db_init_push_work_pull_and_status(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["team", "db-init", "--db", pg_url]) == 0
    assert "applied 001_init" in capsys.readouterr().out
    assert main(["team", "db-init", "--db", pg_url]) == 0
    assert "already at version 1" in capsys.readouterr().out

    lead = _team_batch(tmp_path / "lead", pg_url)
    assert main(["team", "push", str(lead), "--db", pg_url]) == 0
    assert "12 tasks, 2 in the overlap sample" in capsys.readouterr().out
    assert main(["team", "push", str(lead), "--db", pg_url]) == 1
    assert "already in the database" in capsys.readouterr().err

    # An annotator on another machine: pull, open (the batch names the database), label.
    mine = tmp_path / "anna-machine" / "b"
    assert main(["team", "pull", "test-batch", "--db", pg_url, "-o", str(mine)]) == 0
    assert "wrote" in capsys.readouterr().out
    batch = Batch.open(mine)
    store = team_results_store(batch, "anna")
    store.open()
    team = open_team(batch, "anna")
    assert isinstance(team.coordinator, PgCoordinator)
    from tui.core.session import LabelingSession

    team.queue.add(team.coordinator.claim("anna", 4))
    session = LabelingSession(batch, store, team=team.queue)
    session.resume()
    for _ in range(3):
        session.submit("accept", {"labels": ["pos"]})
    for record in team.queue.take_outbox():
        team.coordinator.answered(record)
    assert team.coordinator.wait_sent(20)
    team.coordinator.close()
    store.close()

    assert main(["team", "status", str(mine), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["done_answers"] == 3 and status["live_claims"] == 1
    assert status["target_answers"] == 14
    assert [a["annotator"] for a in status["annotators"]] == ["anna"]
    assert main(["team", "release", str(mine), "--annotator", "anna"]) == 0
    assert "released 1 live claim(s) of anna" in capsys.readouterr().out
    assert main(["team", "status", str(mine), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["live_claims"] == 0

    # The lead pulls the answers into the folder they pushed from: stats read it as any.
    assert main(["team", "pull", "test-batch", "--db", pg_url, "-o", str(lead)]) == 0
    out = capsys.readouterr().out
    assert "wrote" in out and "anna.jsonl" in out
    assert (lead / "results" / "anna.jsonl").read_bytes() == (
        mine / "results" / "anna.jsonl"
    ).read_bytes()


def test_precise_messages_without_a_server_or_a_schema(
    tmp_path: Path, pg_server: PgServer, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["team", "pull", "nope", "--db", pg_url]) == 1
    assert "no labeldesk schema yet: run `labeldesk team db-init" in capsys.readouterr().err
    main(["team", "db-init", "--db", pg_url])
    assert main(["team", "pull", "nope", "--db", pg_url]) == 1
    assert "no batch 'nope' in the database (it has none" in capsys.readouterr().err
    nowhere = f"postgresql://x@/db?host={tmp_path}"
    assert main(["team", "push", str(tmp_path), "--db", nowhere]) == 1
    assert "cannot reach the database db@" in capsys.readouterr().err
    assert main(["team", "push", str(tmp_path)]) == 2
    assert "give the database with --db URL" in capsys.readouterr().err
    plain = make_batch(tmp_path / "solo", texts(2))
    assert main(["team", "push", str(plain), "--db", pg_url]) == 1
    assert "has no [team] table" in capsys.readouterr().err


def test_a_batch_naming_a_database_without_psycopg_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.core.problems import BatchError
    from tui.core.team.engine import open_coordinator

    folder = _team_batch(tmp_path / "b", "postgresql:///labeldesk")
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the extra was not installed
    with pytest.raises(BatchError) as caught:
        open_coordinator(Batch.open(folder))
    problem = caught.value.problems[0]
    assert problem.field == "team.database" and problem.line is not None
    assert "pip install 'labeldesk[postgres]'" in problem.message
