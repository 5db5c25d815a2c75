"""A database team batch in the app (issue 13): the annotator's screen claims through
PostgreSQL in its worker, every answer reaches the server, and while the server is down the
header says how many answers wait to be sent; they arrive once it is back."""

from __future__ import annotations

from pathlib import Path

from tests.batch_factory import make_batch, read_results, texts
from tests.pg_server import PgServer
from tests.screen_text import screen_text
from tests.test_team_app import current, labeling, until
from tui.cli import main


def _answers_on_server(url: str) -> set[str]:
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute("select task_id from labeldesk_answers").fetchall()
    return {str(r[0]) for r in rows}


async def test_the_app_claims_through_the_database_and_survives_its_restart(
    tmp_path: Path, pg_url: str, pg_server: PgServer
) -> None:
    folder = make_batch(
        tmp_path / "b",
        texts(10),
        extra=f'[team]\nannotations_per_task = 1\nclaim_size = 4\ndatabase = "{pg_url}"\n',
    )
    assert main(["team", "db-init", "--db", pg_url]) == 0
    assert main(["team", "push", str(folder), "--db", pg_url]) == 0
    async with labeling(folder, "anna") as (pilot, app):
        await until(pilot, lambda: current(app) == "t0", "the first claim from the database")
        await pilot.press("1", "1")
        await until(pilot, lambda: _answers_on_server(pg_url) == {"t0", "t1"}, "two answers sent")
        pg_server.stop("immediate")
        try:
            await pilot.press("1")
            await until(pilot, lambda: "offline, 1 answer" in screen_text(app), "the offline note")
        finally:
            pg_server.start()
        await until(pilot, lambda: "t2" in _answers_on_server(pg_url), "the answer after restart")
        await pilot.press("ctrl+q")
    assert [r["task_id"] for r in read_results(folder / "results" / "anna.jsonl")] == [
        "t0",
        "t1",
        "t2",
    ]
