"""The team claim contract (tests/team_contract.py) against the PostgreSQL backend, on a real
server started by the tests, next to the ledger: the same checks, parametrised over both."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.pg_server import PgServer
from tests.team_contract import CONTRACT, Clock, Factory, answer, team_batch
from tui.core.batch import Batch
from tui.core.session import LabelingSession
from tui.core.team.coordinator import Claim, Coordinator, TeamStatus
from tui.core.team.engine import open_team, team_results_store
from tui.core.team.ledger import LedgerCoordinator
from tui.core.team.link import QUIT_GRACE_S, TeamLink
from tui.core.team.pg.batches import push_batch, team_plan_rows
from tui.core.team.pg.connect import connect
from tui.core.team.pg.coordinator import RETRY_S, PgCoordinator
from tui.core.team.pg.journal import JournalState
from tui.core.team.pg.open import open_pg_coordinator
from tui.core.team.pg.schema import apply_migrations
from tui.core.team.queue import TeamQueue
from tui.core.team.tasks import open_plan


class Process:
    """One "process" of the contract on the PostgreSQL backend. A colleague's answer reaches
    the server through the sender in the background (milliseconds); the contract's steps
    are sequential, so each answered() here waits until it is sent before the next step."""

    def __init__(self, inner: PgCoordinator) -> None:
        self.inner = inner

    def claim(self, annotator: str, want: int) -> list[Claim]:
        return self.inner.claim(annotator, want)

    def renew(self, annotator: str, task_ids: Sequence[str]) -> list[Claim]:
        return self.inner.renew(annotator, task_ids)

    def release(self, annotator: str, task_ids: Sequence[str] | None = None) -> None:
        self.inner.release(annotator, task_ids)

    def answered(self, record: Mapping[str, Any]) -> None:
        self.inner.answered(record)
        assert self.inner.wait_sent(20), self.inner.journal_state(str(record["annotator"]))

    def status(self) -> TeamStatus:
        return self.inner.status()

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def pg_factory(pg_url: str) -> Iterator[Factory]:
    opened: list[Process] = []
    pushed: set[Path] = set()

    def factory(folder: Path, clock: Clock) -> Coordinator:
        batch = Batch.open(folder)
        if folder not in pushed:
            with connect(pg_url, autocommit=True) as conn:
                apply_migrations(conn)
                # A check may walk several folders of the same batch id, one after another.
                conn.execute("DELETE FROM labeldesk_batches WHERE batch_id = %s", (batch.id,))
                push_batch(conn, folder, team_plan_rows)
            pushed.add(folder)
        coord = Process(
            PgCoordinator(pg_url, open_plan(batch), batch.id, results_dir=None, now=clock)
        )
        opened.append(coord)
        return coord

    yield factory
    for coord in opened:
        coord.close()


def ledger_factory(folder: Path, clock: Clock) -> Coordinator:
    return LedgerCoordinator(folder, open_plan(Batch.open(folder)), now=clock)


@pytest.mark.parametrize("backend", ["ledger", "postgres"])
@pytest.mark.parametrize("check", CONTRACT, ids=lambda c: c.__name__)
def test_contract_on_both_backends(
    check: Callable[[Path, Factory], None],
    backend: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    factory = ledger_factory if backend == "ledger" else request.getfixturevalue("pg_factory")
    check(tmp_path, factory)


def test_offline_the_annotator_keeps_working_and_everything_arrives_later(
    tmp_path: Path, pg_server: PgServer, pg_url: str
) -> None:
    """The server goes away: no call raises or waits, the held claims stay usable, answers
    queue up ("offline, N answers to send"), and all of them arrive when it is back."""
    folder = team_batch(tmp_path / "b", 10, "lease_seconds = 60\nclaim_size = 4")
    with connect(pg_url, autocommit=True) as conn:
        apply_migrations(conn)
        push_batch(conn, folder, team_plan_rows)
    batch = Batch.open(folder)
    coord = PgCoordinator(pg_url, open_plan(batch), batch.id, results_dir=folder / "results")
    try:
        held = coord.claim("anna", 4)
        assert [c.task_id for c in held] == ["t0", "t1", "t2", "t3"]
        before = coord.status()
        pg_server.stop(mode="immediate")
        try:
            started = time.monotonic()
            assert coord.claim("anna", 2) == []
            renewed = coord.renew("anna", ["t0", "t1"])
            assert [(c.task_id, c.until) for c in renewed] == [
                (c.task_id, c.until) for c in held[:2]
            ]
            for task in ("t0", "t1", "t2"):
                answer(coord, "anna", task)
            coord.release("anna", ["t3"])  # left to expire
            assert coord.status() == before  # the last one read
            assert time.monotonic() - started < 2.0, "a call waited on the network"
            deadline = time.monotonic() + 20
            while (
                coord.journal_state("anna") or JournalState(None, 0, False, 0, "")
            ).online is not False:
                assert time.monotonic() < deadline
                time.sleep(0.05)
            state = coord.journal_state("anna")
            assert state is not None and state.note() == "offline, 3 answers to send"
        finally:
            pg_server.start()
        time.sleep(RETRY_S)  # the coordinator tries the server again after this
        assert coord.wait_sent(30)
        status = coord.status()
        assert status.done_answers == 3
        assert {a.annotator: a.claimed for a in status.annotators} == {"anna": 1}  # t3 lives on
        assert [c.task_id for c in coord.claim("bram", 10)] == ["t4", "t5", "t6", "t7", "t8", "t9"]
    finally:
        coord.close()


def test_offline_the_app_worker_answers_every_held_claim_and_quit_never_waits(
    tmp_path: Path, pg_server: PgServer, pg_url: str
) -> None:
    """The app's path (the session, its queue and TeamLink, the worker's step before each
    answer) with the server really stopped: every held claim is answered, one per step, and
    nothing new arrives; the note counts the answers to send; the quit key's close() gives up
    on the server at once (it used to wait the whole grace period for a sender that could not
    reach it); a later start sends every answer."""
    folder = team_batch(
        tmp_path / "b",
        60,
        f'annotations_per_task = 1\nclaim_size = 20\nlease_seconds = 120\ndatabase = "{pg_url}"',
    )
    with connect(pg_url, autocommit=True) as conn:
        apply_migrations(conn)
        push_batch(conn, folder, team_plan_rows)
    batch = Batch.open(folder)
    store = team_results_store(batch, "anna")
    store.open()
    link = TeamLink(open_team(batch, "anna"), "anna")
    session = LabelingSession(batch, store, team=link.queue)
    session.resume()
    on_ui: Callable[[Callable[[], Any]], Any] = lambda call: call()  # noqa: E731
    assert link.step(on_ui, active=True, shown=None)
    session.claims_arrived()
    held = link.queue.task_ids()
    assert len(held) == 20
    pg_server.stop(mode="immediate")
    try:
        answered: list[str] = []
        for _ in held:  # one step and one key per held claim, as in the app
            assert not session.done, f"held claims left unanswered: {link.queue.task_ids()}"
            link.step(on_ui, active=True, shown=session.current().task_id)
            answered.append(session.submit("accept", {"labels": ["pos"]}).task_id)
        link.step(on_ui, active=True, shown=None)
        assert answered == held and session.done  # every held claim, nothing new offline
        deadline = time.monotonic() + 60
        while link.note() != "offline, 20 answers to send":
            assert time.monotonic() < deadline, link.note()
            link.step(on_ui, active=True, shown=None)
            time.sleep(0.05)
        started = time.monotonic()
        link.close(on_ui)
        assert time.monotonic() - started < QUIT_GRACE_S, "quit waited on the server"
        store.close()
    finally:
        pg_server.start()
    # The next start sends what the results file holds.
    coord = open_pg_coordinator(batch, annotator="anna")
    try:
        assert coord.wait_sent(30)
        status = coord.status()
        assert status.done_answers == 20 and status.live_claims == 0
    finally:
        coord.close()


def test_a_lease_that_ends_before_its_answer_reaches_the_server_lets_a_colleague_take_the_task(
    tmp_path: Path, pg_url: str
) -> None:
    """The over-coverage rule (README, "Beyond one server"): an answer counts once it reaches
    the server, and a lease keeps its task only until it ends. anna and carl each answer
    their claimed task (fsynced to their results files) and their processes die before
    sending. carl's next start sends his answer while his lease lives: his task stays his.
    anna's lease ends first: bram takes her task, and when her answer arrives, both are kept
    and counted as over-coverage."""
    folder = team_batch(
        tmp_path / "b", 2, "annotations_per_task = 1\nclaim_size = 1\nlease_seconds = 60"
    )
    with connect(pg_url, autocommit=True) as conn:
        apply_migrations(conn)
        push_batch(conn, folder, team_plan_rows)
    batch = Batch.open(folder)
    clock = Clock()

    def process() -> PgCoordinator:
        return PgCoordinator(
            pg_url, open_plan(batch), batch.id, results_dir=batch.results_dir, now=clock
        )

    def answer_and_die(annotator: str) -> str:
        """Claim one task, answer it (the line is fsynced), die before passing it on."""
        coord = process()
        store = team_results_store(batch, annotator)
        store.open()
        queue = TeamQueue(coord.plan, annotator)
        queue.add(coord.claim(annotator, 1))
        session = LabelingSession(batch, store, team=queue)
        session.resume()
        task = session.submit("accept", {"labels": ["pos"]}).task_id
        coord.close()  # the outbox never reached answered(): only the results file has it
        store.close()
        return task

    assert (answer_and_die("anna"), answer_and_die("carl")) == ("t0", "t1")
    bram = process()
    try:
        clock.advance(30)  # both leases live: nobody can take either task
        assert bram.claim("bram", 2) == []
        carl = open_pg_coordinator(batch, pg_url, annotator="carl", now=clock)  # carl starts again
        assert carl.wait_sent(20)
        carl.close()
        clock.advance(31)  # both leases have ended; only carl's answer is on the server
        assert [c.task_id for c in bram.claim("bram", 2)] == ["t0"]
        answer(bram, "bram", "t0")
        assert bram.wait_sent(20)
        assert bram.status().over_covered == 0  # anna's answer has not arrived
        anna = open_pg_coordinator(batch, pg_url, annotator="anna", now=clock)  # anna starts again
        assert anna.wait_sent(20)
        anna.close()
        status = bram.status()
        assert (status.done_answers, status.over_covered, status.covered_tasks) == (2, 1, 2)
    finally:
        bram.close()
