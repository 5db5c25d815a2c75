"""The local record of claims held on the PostgreSQL backend (team/<annotator>.held.json):
an app started while the server cannot be reached works on the leases its previous session
held (unanswered, not ended by the local clock), and everything arrives once it is back."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.batch_factory import make_batch, read_results, texts
from tests.pg_server import PgServer
from tests.screen_text import screen_text
from tests.team_contract import Clock, answer, team_batch
from tests.test_team_app import current, labeling, until
from tui.cli import main
from tui.core.batch import Batch
from tui.core.problems import Problem
from tui.core.session import LabelingSession
from tui.core.team.engine import open_team, team_results_store
from tui.core.team.link import TeamLink
from tui.core.team.pg.batches import push_batch, team_plan_rows
from tui.core.team.pg.connect import DatabaseUnavailableError, connect
from tui.core.team.pg.coordinator import PgCoordinator
from tui.core.team.pg.held_record import HeldRecord, record_path
from tui.core.team.pg.open import open_pg_coordinator
from tui.core.team.pg.schema import apply_migrations
from tui.core.team.tasks import open_plan

ON_UI: Callable[[Callable[[], Any]], Any] = lambda call: call()  # noqa: E731


# -- the file on its own -------------------------------------------------------------------
def test_the_record_round_trips_privately(tmp_path: Path) -> None:
    record = HeldRecord(tmp_path / "team", "b1", "anna")
    assert record.load([]) == {}  # none yet: an empty record, no problem
    assert record.save({"t1": 1800000060.5, "t2": 1800000061.0}, durable=True) is None
    assert stat.S_IMODE(os.stat(record.path).st_mode) == 0o600
    problems: list[Problem] = []
    assert record.load(problems) == {"t1": 1800000060.5, "t2": 1800000061.0}
    assert problems == []
    assert record.save({}, durable=False) is None
    assert record.load(problems) == {} and problems == []
    assert [p.name for p in (tmp_path / "team").iterdir()] == ["anna.held.json"]  # no temp


def test_a_temporary_file_left_by_a_killed_process_is_removed_and_nothing_else(
    tmp_path: Path,
) -> None:
    record = HeldRecord(tmp_path, "b1", "anna")
    dead = 2**22 + 12345  # above pid_max's default: no such process
    left = tmp_path / f".anna.held.json.{dead}.tmp"
    left.write_bytes(b"{half")
    alive = tmp_path / f".anna.held.json.{os.getppid()}.tmp"
    alive.write_bytes(b"{being written")
    other = tmp_path / f".bram.held.json.{dead}.tmp"
    other.write_bytes(b"{")
    assert record.load([]) == {}
    assert not left.exists() and alive.exists() and other.exists()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "is not JSON"),
        (b"\x00\xff{garbage", "is not JSON"),
        (b"[1, 2]", "is not a JSON object"),
        (b'{"version": 7}', "has version 7"),
        (b'{"version": 1, "batch_id": "other", "annotator": "anna", "claims": {}}', "other"),
        (b'{"version": 1, "batch_id": "b1", "annotator": "bram", "claims": {}}', "'bram'"),
        (b'{"version": 1, "batch_id": "b1", "annotator": "anna", "claims": []}', "[claims]"),
        (
            b'{"version": 1, "batch_id": "b1", "annotator": "anna", "claims": {"t1": "soon"}}',
            "[claims.t1]",
        ),
        (
            b'{"version": 1, "batch_id": "b1", "annotator": "anna", "claims": {"t1": true}}',
            "[claims.t1]",
        ),
    ],
)
def test_a_bad_record_is_one_problem_and_an_empty_record(
    tmp_path: Path, content: bytes, says: str
) -> None:
    record = HeldRecord(tmp_path, "b1", "anna")
    record.path.write_bytes(content)
    problems: list[Problem] = []
    assert record.load(problems) == {}
    assert len(problems) == 1 and says in str(problems[0]), problems
    assert problems[0].severity == "warning" and str(record.path) in str(problems[0])


def test_a_planted_symlink_or_fifo_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_bytes(b'{"version": 1, "batch_id": "b1", "annotator": "anna", "claims": {}}')
    record = HeldRecord(tmp_path / "team", "b1", "anna")
    record.path.parent.mkdir()
    record.path.symlink_to(secret)
    problems: list[Problem] = []
    assert record.load(problems) == {}
    assert len(problems) == 1 and "symbolic link" in str(problems[0])
    # Saving replaces the link itself (rename never follows it); the target stays as it was.
    assert record.save({"t1": 1.0e9}, durable=True) is None
    assert not record.path.is_symlink()
    assert secret.read_bytes().endswith(b'"claims": {}}')
    # A symlink planted at the temporary name is refused, never written through.
    tmp = record.path.with_name(f".{record.path.name}.{os.getpid()}.tmp")
    tmp.symlink_to(secret)
    problem = record.save({"t2": 1.0e9}, durable=True)
    assert problem is not None and "symbolic link" in str(problem)
    assert secret.read_bytes().endswith(b'"claims": {}}') and tmp.is_symlink()
    tmp.unlink()
    record.path.unlink()
    os.mkfifo(record.path)
    problems = []
    assert record.load(problems) == {}  # never blocks on the pipe
    assert len(problems) == 1 and "named pipe" in str(problems[0])


# -- against the real server ---------------------------------------------------------------
def _pushed(folder: Path, url: str) -> Batch:
    with connect(url, autocommit=True) as conn:
        apply_migrations(conn)
        push_batch(conn, folder, team_plan_rows)
    return Batch.open(folder)


def _unreachable(url: str) -> Any:
    raise DatabaseUnavailableError("cannot reach the database (test: the server is away)")


def test_killed_then_started_offline_the_held_unanswered_leases_are_offered(
    tmp_path: Path, pg_server: PgServer, pg_url: str
) -> None:
    """A session holds four claims, answers two (the second never passed on: it is killed
    right after the fsync, so its record still lists that task), and dies. The server goes
    away; the next start offers the two leases left, the annotator answers them offline,
    and once the server is back every answer arrives and the coverage is exact."""
    folder = team_batch(
        tmp_path / "b",
        10,
        f'annotations_per_task = 1\nclaim_size = 4\nlease_seconds = 600\ndatabase = "{pg_url}"',
    )
    batch = _pushed(folder, pg_url)
    store = team_results_store(batch, "anna")
    store.open()
    link = TeamLink(open_team(batch, "anna"), "anna")
    session = LabelingSession(batch, store, team=link.queue)
    session.resume()
    assert link.step(ON_UI, active=True, shown=None)
    session.claims_arrived()
    assert link.queue.task_ids() == ["t0", "t1", "t2", "t3"]
    path = record_path(folder / "team", "anna")
    recorded = orjson.loads(path.read_bytes())
    assert sorted(recorded["claims"]) == ["t0", "t1", "t2", "t3"]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    session.submit("accept", {"labels": ["pos"]})
    link.step(ON_UI, active=True, shown=session.current().task_id)  # t0 passed on
    assert sorted(orjson.loads(path.read_bytes())["claims"]) == ["t1", "t2", "t3"]
    session.submit("accept", {"labels": ["pos"]})  # t1: fsynced, then the process dies
    assert isinstance(link.coordinator, PgCoordinator)
    assert link.coordinator.wait_sent(20)
    link.coordinator.close()  # (the threads stop; no release, as in a kill)
    store.close()
    assert "t1" in orjson.loads(path.read_bytes())["claims"]

    pg_server.stop("immediate")
    try:
        store = team_results_store(batch, "anna")
        store.open()
        opened = open_team(batch, "anna")
        assert opened.queue.task_ids() == ["t2", "t3"]  # t0, t1 answered in the results file
        link = TeamLink(opened, "anna")
        session = LabelingSession(batch, store, team=link.queue)
        session.resume()
        session.claims_arrived()
        for _ in range(2):
            shown = session.current().task_id
            with pytest.raises(DatabaseUnavailableError):  # the header says why
                link.step(ON_UI, active=True, shown=shown)
            session.submit("accept", {"labels": ["pos"]})
        with pytest.raises(DatabaseUnavailableError):
            link.step(ON_UI, active=True, shown=None)
        assert session.done
        deadline = time.monotonic() + 30
        while not (link.note() or "").startswith("offline, 2 answers to send"):
            assert time.monotonic() < deadline, link.note()
            time.sleep(0.05)
        link.close(ON_UI)  # offline quit: nothing released, nothing waited for
        store.close()
        assert orjson.loads(path.read_bytes())["claims"] == {}  # both used up
    finally:
        pg_server.start()
    coord = open_pg_coordinator(batch, annotator="anna")
    try:
        assert coord.wait_sent(30)
        status = coord.status()
        assert (status.done_answers, status.covered_tasks, status.over_covered) == (4, 4, 0)
        assert status.live_claims == 0
    finally:
        coord.close()
    answers = [r["task_id"] for r in read_results(folder / "results" / "anna.jsonl")]
    assert answers == ["t0", "t1", "t2", "t3"]


def test_offline_a_planted_record_is_refused_and_nothing_is_offered(tmp_path: Path) -> None:
    """A colleague links anna's record to a file that lists live leases (or garbles it):
    started offline, the coordinator offers nothing, says why once, and writes nothing
    through the link."""
    folder = team_batch(tmp_path / "b", 4, "annotations_per_task = 1\nclaim_size = 2")
    batch = Batch.open(folder)
    clock = Clock()
    (folder / "team").mkdir()
    planted = tmp_path / "planted.json"
    body = {"version": 1, "batch_id": batch.id, "annotator": "anna", "claims": {"t2": 2e9}}
    planted.write_bytes(orjson.dumps(body))
    path = record_path(folder / "team", "anna")
    for plant in ("symlink", "garbage"):
        if plant == "symlink":
            path.symlink_to(planted)
        else:
            path.unlink()
            path.write_bytes(b'{"version": 1, "claims": {"t2": 2e9')
        coord = PgCoordinator(
            "postgresql:///nowhere",
            open_plan(batch),
            batch.id,
            results_dir=batch.results_dir,
            now=clock,
            connector=_unreachable,
            record_dir=folder / "team",
        )
        try:
            assert coord.held("anna") == []
            assert coord.claim("anna", 2) == []
            assert coord.renew("anna", ["t2"]) == []
        finally:
            coord.close()
        assert len(coord.record_problems) == 1, coord.record_problems
        says = "symbolic link" if plant == "symlink" else "is not JSON"
        assert says in str(coord.record_problems[0])
        assert planted.read_bytes() == orjson.dumps(body)  # never written through the link


def test_a_quit_while_the_server_answers_releases_and_empties_the_record(
    tmp_path: Path, pg_url: str
) -> None:
    folder = team_batch(
        tmp_path / "b", 6, f'annotations_per_task = 1\nclaim_size = 3\ndatabase = "{pg_url}"'
    )
    batch = _pushed(folder, pg_url)
    store = team_results_store(batch, "anna")
    store.open()
    try:
        link = TeamLink(open_team(batch, "anna"), "anna")
        assert link.step(ON_UI, active=True, shown=None)
        path = record_path(folder / "team", "anna")
        assert sorted(orjson.loads(path.read_bytes())["claims"]) == ["t0", "t1", "t2"]
        link.close(ON_UI)
    finally:
        store.close()
    assert orjson.loads(path.read_bytes())["claims"] == {}
    coord = open_pg_coordinator(batch)
    try:
        assert coord.status().live_claims == 0
    finally:
        coord.close()


def test_an_ended_recorded_lease_is_not_offered_and_a_taken_one_counts_as_over_coverage(
    tmp_path: Path, pg_url: str
) -> None:
    """On a controlled clock, the server itself staying up for bram: anna's second start
    cannot reach it. Her recorded lease on t0 has ended by her clock and is not offered;
    t1's still lives and she answers it offline. Meanwhile her lease on t1 ends on the
    server and bram takes and answers t1. When anna reaches the server again her answer
    arrives too: both kept, the later one over-covered (README: the over-coverage rule)."""
    folder = team_batch(
        tmp_path / "b", 4, "annotations_per_task = 1\nclaim_size = 2\nlease_seconds = 60"
    )
    batch = _pushed(folder, pg_url)
    clock = Clock()

    def process(connector: Callable[[str], Any] | None = None) -> PgCoordinator:
        return PgCoordinator(
            pg_url,
            open_plan(batch),
            batch.id,
            results_dir=batch.results_dir,
            now=clock,
            connector=connector,
            record_dir=folder / "team",
        )

    first = process()
    assert [c.task_id for c in first.claim("anna", 1)] == ["t0"]
    clock.advance(30)
    assert [c.task_id for c in first.claim("anna", 1)] == ["t1"]
    first.close()  # killed: the leases stay; t0 ends at +60, t1 at +90

    away = {"on": True}

    def connector(url: str) -> Any:
        return _unreachable(url) if away["on"] else connect(url, autocommit=True)

    anna = process(connector)
    bram = PgCoordinator(pg_url, open_plan(batch), batch.id, now=clock)
    try:
        clock.advance(35)  # +65
        assert [c.task_id for c in anna.held("anna")] == ["t1"]  # t0's lease has ended
        assert anna.claim("anna", 2) == []  # offline: nothing new
        answer(anna, "anna", "t1")  # offline, inside her lease
        clock.advance(30)  # +95: on the server, her lease on t1 has ended too
        assert [c.task_id for c in bram.claim("bram", 2)] == ["t0", "t1"]
        answer(bram, "bram", "t1")
        assert bram.wait_sent(20)
        assert bram.status().over_covered == 0
        away["on"] = False
        deadline = time.monotonic() + 30
        while not anna.wait_sent(0.5):
            assert time.monotonic() < deadline, anna.journal_state("anna")
        status = bram.status()
        assert (status.done_answers, status.over_covered) == (1, 1)
        over = {a.annotator: a.over_covered for a in status.annotators}
        assert over == {"anna": 0, "bram": 1}  # bram's answer is the later one
    finally:
        anna.close()
        bram.close()


async def test_the_app_quit_offline_and_started_offline_works_on_its_leases(
    tmp_path: Path, pg_url: str, pg_server: PgServer
) -> None:
    """The app's path: claims through the database, the server goes away, the annotator
    answers one item and quits (offline: the leases stay theirs). Started again while the
    server is still away, the app offers the two leases left, says how many answers wait,
    and once the server is back they all arrive."""
    folder = make_batch(
        tmp_path / "b",
        texts(10),
        extra=f'[team]\nannotations_per_task = 1\nclaim_size = 4\ndatabase = "{pg_url}"\n',
    )
    assert main(["team", "db-init", "--db", pg_url]) == 0
    assert main(["team", "push", str(folder), "--db", pg_url]) == 0
    try:
        async with labeling(folder, "anna") as (pilot, app):
            await until(pilot, lambda: current(app) == "t0", "the first claim")
            await pilot.press("1")
            await until(pilot, lambda: current(app) == "t1", "the second item")
            pg_server.stop("immediate")
            await pilot.press("1")
            await until(pilot, lambda: "offline, 1 answer" in screen_text(app), "offline")
            await pilot.press("ctrl+q")
        async with labeling(folder, "anna") as (pilot, app):
            await until(pilot, lambda: current(app) == "t2", "a held lease, offline")
            await pilot.press("1")
            await until(pilot, lambda: current(app) == "t3", "the last held lease")
            await pilot.press("1")
            await until(pilot, lambda: "offline, 2 answers to send" in screen_text(app), "the note")
            assert app.screen.session.done  # type: ignore[attr-defined]  # nothing new offline
            assert "server cannot be reached" in screen_text(app)
            pg_server.start()
            await until(pilot, lambda: _on_server(pg_url) == 4, "every answer on the server")
            await pilot.press("ctrl+q")
    finally:
        if not pg_server.running:
            pg_server.start()
    answers = [r["task_id"] for r in read_results(folder / "results" / "anna.jsonl")]
    assert answers == ["t0", "t1", "t2", "t3"]
    coord = open_pg_coordinator(Batch.open(folder))
    try:
        status = coord.status()
        assert (status.done_answers, status.covered_tasks, status.over_covered) == (4, 4, 0)
    finally:
        coord.close()


def _on_server(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("select count(*) from labeldesk_answers").fetchone()
    return int(row[0]) if row else 0


async def test_the_app_started_offline_with_a_garbled_record_says_so_once(
    tmp_path: Path, pg_url: str, pg_server: PgServer
) -> None:
    folder = make_batch(
        tmp_path / "b",
        texts(4),
        extra=f'[team]\nannotations_per_task = 1\nclaim_size = 2\ndatabase = "{pg_url}"\n',
    )
    assert main(["team", "db-init", "--db", pg_url]) == 0
    assert main(["team", "push", str(folder), "--db", pg_url]) == 0
    (folder / "team").mkdir(exist_ok=True)
    record_path(folder / "team", "anna").write_bytes(b"\x1b[2J{not json")
    pg_server.stop("immediate")
    try:
        async with labeling(folder, "anna") as (pilot, app):
            await until(
                pilot, lambda: "server cannot be reached" in screen_text(app), "the offline text"
            )
            said = [n.message for n in app._notifications if "anna.held.json" in n.message]
            assert len(said) == 1 and "is not JSON" in said[0], said
            assert "\x1b" not in said[0]  # through the sanitizer
            await pilot.press("ctrl+q")
    finally:
        pg_server.start()
