"""PostgreSQL backend, against a real server: schema migrations, push/pull, the journal."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.batch_factory import make_batch, texts
from tests.pg_server import PgServer
from tui.core.batch import Batch
from tui.core.problems import BatchError
from tui.core.results import ResultsStore
from tui.core.session import LabelingSession

pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[test]')")

from tui.core.team.pg.batches import pull_batch, push_batch
from tui.core.team.pg.connect import DatabaseUnavailableError, connect
from tui.core.team.pg.journal import AnswerJournal
from tui.core.team.pg.schema import apply_migrations, check_schema, migrations


def one_each(batch: Batch, ids: Sequence[str]) -> list[tuple[int | None, int, list[str] | None]]:
    """A plan for these tests: every task once, in file order, anyone may claim it; the
    second task twice (an overlap task)."""
    return [(2 if i == 1 else 1, i, None) for i in range(len(ids))]


def initialised(url: str) -> Any:
    conn = connect(url, autocommit=True)
    apply_migrations(conn)
    return conn


def test_migrations_apply_once_and_are_recorded(pg_url: str) -> None:
    conn = connect(pg_url, autocommit=True)
    with pytest.raises(DatabaseUnavailableError, match="team db-init"):
        check_schema(conn)
    applied = apply_migrations(conn)
    assert [m.version for m in applied] == [m.version for m in migrations()] == [1]
    assert apply_migrations(conn) == []  # a second run changes nothing
    check_schema(conn)
    rows = conn.execute("SELECT version, name FROM labeldesk_schema").fetchall()
    assert rows == [(1, "init")]
    conn.execute("INSERT INTO labeldesk_schema (version, name) VALUES (99, 'future')")
    with pytest.raises(DatabaseUnavailableError, match="newer than this labeldesk"):
        check_schema(conn)
    conn.close()


def test_an_unreachable_server_is_one_sentence(tmp_path: Path) -> None:
    url = f"postgresql://nobody@/nodb?host={tmp_path}"
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailableError, match="cannot reach the database nodb@"):
        connect(url)
    assert time.monotonic() - started < 5


def _answer_all(folder: Path, annotator: str, n: int) -> list[dict[str, Any]]:
    batch = Batch.open(folder)
    store = ResultsStore(batch.results_dir, annotator, batch.id)
    store.open()
    session = LabelingSession(batch, store)
    session.resume()
    records = [session.submit("accept" if i % 2 else "reject").to_json_dict() for i in range(n)]
    store.close()
    return records


def test_push_then_pull_gives_the_same_folder(tmp_path: Path, pg_url: str) -> None:
    source = make_batch(tmp_path / "src", texts(6), task_type="binary", task={})
    conn = initialised(pg_url)
    report = push_batch(conn, source, one_each)
    assert (report.batch_id, report.tasks, report.overlap_tasks) == ("test-batch", 6, 1)
    with pytest.raises(DatabaseUnavailableError, match="already in the database"):
        push_batch(conn, source, one_each)
    rows = conn.execute(
        "SELECT task_id, target, claim_rank FROM labeldesk_tasks ORDER BY position"
    ).fetchall()
    assert rows[:2] == [("t0", 1, 0), ("t1", 2, 1)]

    # An annotator elsewhere pulls the batch, labels, and the journal sends the answers.
    work = tmp_path / "annotator-machine"
    pulled = pull_batch(conn, "test-batch", work)
    assert sorted(Path(p).name for p in pulled.written) == [
        "batch.toml",
        "guidelines.md",
        "tasks.jsonl",
    ]
    for name in ("batch.toml", "tasks.jsonl", "guidelines.md"):
        assert (work / name).read_bytes() == (source / name).read_bytes()
    records = _answer_all(work, "ann", 4)
    journal = AnswerJournal(pg_url, "test-batch", "ann", work / "results" / "ann.jsonl")
    journal.start()
    assert journal.wait_sent(20)
    journal.close()

    # The lead pulls everything into a fresh folder: the results file, byte for byte.
    lead = tmp_path / "lead"
    pull_batch(conn, "test-batch", lead)
    assert (lead / "results" / "ann.jsonl").read_bytes() == (
        work / "results" / "ann.jsonl"
    ).read_bytes()
    assert len(records) == 4
    # Pulling again into the annotator's own folder appends nothing and rewrites nothing.
    again = pull_batch(conn, "test-batch", work)
    assert (again.written, again.appended, again.unchanged) == ([], {}, 4)
    conn.close()


def test_push_refuses_a_batch_that_does_not_validate(tmp_path: Path, pg_url: str) -> None:
    source = make_batch(tmp_path / "src", texts(3), task_type="binary", task={})
    with (source / "tasks.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('{"id": "t9", "text": \n')
    conn = initialised(pg_url)
    with pytest.raises(BatchError) as caught:
        push_batch(conn, source, one_each)
    assert any(p.line == 4 and "not valid JSON" in p.message for p in caught.value.problems)
    assert conn.execute("SELECT count(*) FROM labeldesk_batches").fetchone() == (0,)
    conn.close()


def test_answers_given_while_the_server_is_down_arrive_after_it_is_back(
    tmp_path: Path, pg_server: PgServer, pg_url: str
) -> None:
    source = make_batch(tmp_path / "b", texts(10), task_type="binary", task={})
    conn = initialised(pg_url)
    push_batch(conn, source, one_each)
    conn.close()
    batch = Batch.open(source)
    store = ResultsStore(batch.results_dir, "ann", batch.id)
    store.open()
    session = LabelingSession(batch, store)
    session.resume()
    journal = AnswerJournal(pg_url, batch.id, "ann", store.path)
    journal.start()
    journal.put(session.submit("accept").to_json_dict())
    assert journal.wait_sent(20)

    pg_server.stop()
    try:
        started = time.monotonic()
        for _ in range(3):
            journal.put(session.submit("reject").to_json_dict())
        assert time.monotonic() - started < 1.0  # put() never waits on the network
        deadline = time.monotonic() + 20
        while journal.state().online is not False and time.monotonic() < deadline:
            time.sleep(0.05)
        assert journal.state().note() == "offline, 3 answers to send"
    finally:
        pg_server.start()
    assert journal.wait_sent(30)
    journal.close()
    store.close()
    with connect(pg_url) as check:
        rows = check.execute(
            "SELECT task_id, answer FROM labeldesk_answers ORDER BY seq"
        ).fetchall()
    assert rows == [("t0", "accept"), ("t1", "reject"), ("t2", "reject"), ("t3", "reject")]


def test_the_outbox_is_the_results_file_after_a_restart_of_the_app(
    tmp_path: Path, pg_server: PgServer, pg_url: str
) -> None:
    """Answers fsynced while the app could not reach the server, then the app ended: the
    next start compares the file with the server and sends what is missing, once."""
    source = make_batch(tmp_path / "b", texts(8), task_type="binary", task={})
    conn = initialised(pg_url)
    push_batch(conn, source, one_each)
    conn.close()
    _answer_all(source, "ann", 5)  # nothing queued: as if the app was killed before sending
    path = source / "results" / "ann.jsonl"
    first = AnswerJournal(pg_url, "test-batch", "ann", path)
    first.start()
    assert first.wait_sent(20)
    first.close()
    second = AnswerJournal(pg_url, "test-batch", "ann", path)
    second.start()
    assert second.wait_sent(20)
    assert second.state().sent == 0  # everything was there already: nothing sent twice
    second.close()
    with connect(pg_url) as check:
        count = check.execute("SELECT count(*) FROM labeldesk_answers").fetchone()
    assert count == (5,)


class _PausedAfterCommit:
    """A connection whose next transaction, once committed, waits for `go`: a send round
    in flight between its commit and the removal of its rows from the queue."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.committed = threading.Event()
        self.go = threading.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        with self.conn.transaction() as tx:
            yield tx
        self.committed.set()
        assert self.go.wait(30)


def test_a_backfill_during_a_send_round_loses_no_queued_answer(tmp_path: Path, pg_url: str) -> None:
    """A reconnecting sender compares the results file with the server (backfill) while the
    coordinator's round is in flight on its own connection: the round has committed its rows
    but not yet removed them from the queue. The backfill must wait for the round; it used
    to replace the queue first, and the round then removed the head of the new queue: an
    answer left unsent until the next start, while its lease ran out (the over-coverage seen
    with 20 s and 60 s leases in the many-process test)."""
    source = make_batch(tmp_path / "b", texts(4), task_type="binary", task={})
    conn = initialised(pg_url)
    push_batch(conn, source, one_each)
    batch = Batch.open(source)
    store = ResultsStore(batch.results_dir, "ann", batch.id)
    store.open()
    session = LabelingSession(batch, store)
    session.resume()
    journal = AnswerJournal(pg_url, batch.id, "ann", store.path)  # no thread: steps by hand
    journal.backfill(conn)
    journal.put(session.submit("accept").to_json_dict())  # t0: the round sends it
    paused = _PausedAfterCommit(connect(pg_url, autocommit=True))
    round_ = threading.Thread(target=journal.send_now, args=(paused,))
    round_.start()
    assert paused.committed.wait(30)
    journal.put(session.submit("reject").to_json_dict())  # t1, given meanwhile
    other = connect(pg_url, autocommit=True)
    backfill = threading.Thread(target=journal.backfill, args=(other,))
    backfill.start()
    backfill.join(1.0)  # the old code replaced the queue here; the fixed one waits
    paused.go.set()
    round_.join(30)
    backfill.join(30)
    assert not round_.is_alive() and not backfill.is_alive()
    while journal.send_now(conn):
        pass
    store.close()
    rows = conn.execute("SELECT task_id FROM labeldesk_answers ORDER BY task_id").fetchall()
    assert rows == [("t0",), ("t1",)], journal.state()
    for c in (conn, other, paused.conn):
        c.close()
