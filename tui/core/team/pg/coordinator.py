"""The PostgreSQL backend of the team Coordinator (issue 13): the ledger's rules, in SQL.

A claim is one transaction: the candidate tasks, in the plan's order, are locked with
`SELECT … FOR UPDATE SKIP LOCKED` (a task another annotator is claiming this instant is
skipped, never waited for), then counted again in a new statement, which sees every claim
committed before the locks were taken, and only then leased. Every change that can add a
holder to a task (claim, take-over, renew) is made under that task's row lock, so no task
ever gets more live claims plus counted answers than its target.

Leases end on their own at `until` (epoch seconds of the claiming machine's clock); renew
extends live ones only; release deletes them; at the end a colleague's lease not renewed
for half a lease can be taken over (as in the ledger). Answers come from the results file,
the journal: answered() only queues the line for the sender (journal.py); before this
process claims or counts, it sends what it has queued on the same connection, so its own
answers count in its decisions.

When the server cannot be reached, nothing raises into the session: claim() gives nothing
new, renew() keeps the leases this process holds until they end, release() leaves them to
expire, status() is the last one seen, and journal_state() says "offline, N answers to send".
A connection is tried again at most every RETRY_S seconds, so a worker never queues up
behind repeated connect timeouts.

The leases an annotator holds are also kept on this machine's disk (held_record.py, with
`record_dir`): an app started while the server cannot be reached offers the recorded leases
that have not ended, minus the tasks its results file answers, instead of nothing. Once the
server answers, it is the truth again (held() and claim() read it; renew drops what a
colleague took over meanwhile).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from tui.core.problems import Problem
from tui.core.result_lines import read_result_lines
from tui.core.team.coordinator import AnnotatorStatus, Claim, TeamStatus
from tui.core.team.pg.connect import (
    DatabaseUnavailableError,
    connect,
    first_line,
    require_psycopg,
)
from tui.core.team.pg.held_record import HeldRecord
from tui.core.team.pg.journal import ENDS_LEASE, AnswerJournal, JournalState
from tui.core.team.pg.schema import check_schema
from tui.core.team.pg.sql import (
    MINE_ANSWERED,
    MINE_ANY_LEASE,
    MINE_LIVE,
    OCCUPIED,
    ROUTED_TO_ME,
    counting,
)
from tui.core.team.plan import TeamPlan

# As in the ledger: a colleague's lease not renewed for this share of a lease can be taken
# over once nothing else is left.
TAKEOVER_AFTER = 0.5
RETRY_S = 2.0
SCAN_SLACK = 8  # candidates locked beyond `want`, for the ones a recount turns down


class PgCoordinator:
    """Coordinator over a PostgreSQL database holding the batch (pushed with `team push`).
    Thread-safe: one mutex per instance; across processes the rows' locks order decisions."""

    def __init__(
        self,
        url: str,
        plan: TeamPlan,
        batch_id: str,
        *,
        results_dir: Path | None = None,
        now: Callable[[], float] = time.time,
        connector: Callable[[str], Any] | None = None,
        record_dir: Path | None = None,
        record_dir_mode: int = 0o700,
    ) -> None:
        self.url = url
        self.plan = plan
        self.settings = plan.settings
        self.batch_id = batch_id
        self.results_dir = results_dir
        self._now = now
        self._connector = connector or (lambda u: connect(u, autocommit=True))
        self._counting = counting(self.settings.skip == "count")
        self._mutex = threading.RLock()
        self._conn: Any = None
        self._failed_at: float | None = None
        self.error = ""
        self._journals: dict[str, AnswerJournal] = {}
        self._journals_lock = threading.Lock()
        self._held: dict[str, dict[str, float]] = {}  # annotator -> task -> until (local view)
        # (annotator, task) answered since the last call that holds the mutex: answered()
        # never takes the mutex (a claim may be holding it while it waits on the server).
        self._used_up: list[tuple[str, str]] = []
        self._last_status: TeamStatus | None = None
        self.problems: list[Problem] = []  # results lines the senders could not read
        # The local record of claims held (None: not kept, as in the contract tests).
        self.record_dir = record_dir
        self.record_dir_mode = record_dir_mode
        self._records: dict[str, HeldRecord] = {}
        # annotator -> the claims last saved in their record (None: not known, save at the
        # next change). Only annotators whose local view is whole are here: read from the
        # server, or from the record itself; before that nothing overwrites their record.
        self._recorded: dict[str, dict[str, float] | None] = {}
        self.record_problems: list[Problem] = []
        self.lock_max_ms = 0.0

    # -- the connection ----------------------------------------------------------------------
    def _connection(self) -> Any:
        if self._conn is not None:
            return self._conn
        if self._failed_at is not None and time.monotonic() - self._failed_at < RETRY_S:
            raise DatabaseUnavailableError(self.error or "the database cannot be reached")
        try:
            self._conn = self._connector(self.url)
            check_schema(self._conn)
            found = self._conn.execute(
                "SELECT 1 FROM labeldesk_batches WHERE batch_id = %s", (self.batch_id,)
            ).fetchone()
            if found is None:
                raise DatabaseUnavailableError(
                    f"batch {self.batch_id!r} is not in the database: push it first "
                    "(labeldesk team push BATCH --db URL)"
                )
        except DatabaseUnavailableError as exc:
            self._failed(str(exc))
            raise
        except Exception as exc:
            self._failed(first_line(exc))
            raise DatabaseUnavailableError(self.error) from None
        self._failed_at, self.error = None, ""
        return self._conn

    def _failed(self, reason: str) -> None:
        """Drop the connection (retried after RETRY_S), keeping the reason to show."""
        self.error = reason
        self._failed_at = time.monotonic()
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):  # it is gone either way
                conn.close()

    def _run(self, work: Callable[[Any], Any]) -> Any:
        """work(conn) with this process's queued answers sent first; DatabaseUnavailableError
        when the server cannot be reached (the connection is dropped and retried later)."""
        conn = self._connection()
        try:
            for journal in list(self._journals.values()):
                journal.send_now(conn)
            return work(conn)
        except DatabaseUnavailableError:
            raise
        except Exception as exc:
            pg = require_psycopg()
            if isinstance(exc, pg.OperationalError | pg.InterfaceError):
                self._failed(first_line(exc))
                raise DatabaseUnavailableError(self.error) from None
            raise

    @property
    def online(self) -> bool:
        return self._conn is not None

    # -- claims ------------------------------------------------------------------------------
    def claim(self, annotator: str, want: int) -> list[Claim]:
        with self._mutex:
            if self.results_dir is not None:
                self._journal(annotator)  # their results file goes out from now on
            self._forget_used_up()
            known = list(self._held.get(annotator, {}))

            def work(conn: Any) -> list[Claim]:
                self._catch_up(conn, annotator)
                return self._claim(conn, annotator, want, known)

            try:
                claims: list[Claim] = self._run(work)
            except DatabaseUnavailableError:
                self._remember_all()
                return []  # offline: keep working on the leases held
            held = self._held.setdefault(annotator, {})
            for claim in claims:
                held[claim.task_id] = claim.until
            # Online, this process's view plus what the claim handed back is whole.
            self._recorded.setdefault(annotator, None)
            self._remember_all()
            return claims

    def _catch_up(self, conn: Any, annotator: str) -> None:
        """Before deciding for `annotator`: answers in their results file that never
        reached the server (fsynced offline, or before a crash) go first, so a lease they
        used up is not handed back, and their count is right."""
        journal = self._journals.get(annotator)
        if journal is not None and not journal.checked:
            journal.backfill(conn)
            while journal.send_now(conn):
                pass

    def _claim(self, conn: Any, annotator: str, want: int, known: list[str]) -> list[Claim]:
        now = self._now()
        params: dict[str, Any] = {
            "b": self.batch_id,
            "me": annotator,
            "now": now,
            "counting": self._counting,
        }
        started = time.perf_counter()
        with conn.transaction():
            quota = self.settings.quota_of(annotator)
            if quota is not None:
                want = min(want, quota - self._mine(conn, params))
            if want <= 0:
                return []
            # Live leases of theirs this process does not know of (taken by a session that
            # was killed, or while this one could not reach the server): theirs again first.
            claims = [
                Claim(task, annotator, until)
                for task, until in conn.execute(
                    "SELECT c.task_id, c.until FROM labeldesk_claims c JOIN labeldesk_tasks t"
                    " USING (batch_id, task_id) WHERE c.batch_id = %(b)s"
                    " AND c.annotator = %(me)s AND c.until > %(now)s"
                    " AND NOT (c.task_id = ANY(%(known)s)) ORDER BY t.claim_rank LIMIT %(k)s",
                    {**params, "known": known, "k": want},
                )
            ]
            want -= len(claims)
            picked = self._pick(conn, params, want) if want > 0 else []
            until = now + self.settings.lease_seconds
            claims += [Claim(task, annotator, until) for task in picked]
            if picked:
                self._lease(conn, params, picked, until)
            if len(picked) < want:
                claims += self._takeovers(conn, params, want - len(picked), until)
        self.lock_max_ms = max(self.lock_max_ms, (time.perf_counter() - started) * 1000)
        return claims

    def _mine(self, conn: Any, params: dict[str, Any]) -> int:
        """Counted answers plus live claims: what a quota limits."""
        row = conn.execute(
            "SELECT (SELECT count(*) FROM (SELECT DISTINCT ON (a.task_id) a.answer"
            "  FROM labeldesk_answers a WHERE a.batch_id = %(b)s AND a.annotator = %(me)s"
            "  ORDER BY a.task_id, a.revision DESC) l WHERE l.answer = ANY(%(counting)s))"
            " + (SELECT count(*) FROM labeldesk_claims c WHERE c.batch_id = %(b)s"
            "  AND c.annotator = %(me)s AND c.until > %(now)s)",
            params,
        ).fetchone()
        return int(row[0])

    def _pick(self, conn: Any, params: dict[str, Any], want: int) -> list[str]:
        order = (
            "t.started DESC, t.claim_rank"
            if self.settings.order == "started-first"
            else ("t.claim_rank")
        )
        picked: list[str] = []
        seen: list[str] = []
        while len(picked) < want:
            rows = conn.execute(
                "SELECT t.task_id FROM labeldesk_tasks t"
                " WHERE t.batch_id = %(b)s AND NOT t.covered"
                f" AND {ROUTED_TO_ME} AND NOT {MINE_ANSWERED} AND NOT {MINE_LIVE}"
                f" AND (t.target IS NULL OR {OCCUPIED} < t.target)"
                " AND NOT (t.task_id = ANY(%(seen)s))"
                f" ORDER BY {order} LIMIT %(k)s FOR UPDATE OF t SKIP LOCKED",
                {**params, "seen": seen, "k": want - len(picked) + SCAN_SLACK},
            ).fetchall()
            if not rows:
                break
            locked = [r[0] for r in rows]
            seen += locked
            # Counted again now that the rows are ours: this statement's snapshot holds
            # every claim committed on them before we took the locks.
            free = {
                r[0]
                for r in conn.execute(
                    "SELECT t.task_id FROM labeldesk_tasks t"
                    " WHERE t.batch_id = %(b)s AND t.task_id = ANY(%(ids)s)"
                    f" AND NOT {MINE_ANSWERED} AND NOT {MINE_LIVE}"
                    f" AND (t.target IS NULL OR {OCCUPIED} < t.target)",
                    {**params, "ids": locked},
                )
            }
            picked += [task for task in locked if task in free][: want - len(picked)]
        return picked

    def _lease(self, conn: Any, params: dict[str, Any], tasks: list[str], until: float) -> None:
        with conn.cursor() as cur:
            # A lease of theirs that ended and is claimed again counts as expired (ledger).
            cur.execute(
                "SELECT count(*) FROM labeldesk_claims WHERE batch_id = %(b)s"
                " AND annotator = %(me)s AND task_id = ANY(%(ids)s)",
                {**params, "ids": tasks},
            )
            replaced = cur.fetchone()[0]
            cur.execute(
                "INSERT INTO labeldesk_annotators (batch_id, annotator, expired)"
                " VALUES (%(b)s, %(me)s, %(n)s) ON CONFLICT (batch_id, annotator)"
                " DO UPDATE SET expired = labeldesk_annotators.expired + %(n)s",
                {**params, "n": replaced},
            )
            cur.executemany(
                "INSERT INTO labeldesk_claims (batch_id, task_id, annotator, renewed_at, until)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (batch_id, task_id, annotator)"
                " DO UPDATE SET renewed_at = excluded.renewed_at, until = excluded.until",
                [(self.batch_id, task, params["me"], params["now"], until) for task in tasks],
            )
            cur.execute(
                "UPDATE labeldesk_tasks SET started = true WHERE batch_id = %(b)s"
                " AND task_id = ANY(%(ids)s) AND NOT started",
                {**params, "ids": tasks},
            )

    def _takeovers(self, conn: Any, params: dict[str, Any], want: int, until: float) -> list[Claim]:
        """At the end: live leases of colleagues not renewed for half a lease, on tasks the
        annotator may take; the holder is swapped, so the task's count stays the same."""
        stale = {**params, "stale": params["now"] - self.settings.lease_seconds * TAKEOVER_AFTER}
        rows = conn.execute(
            "SELECT t.task_id FROM labeldesk_tasks t"
            " WHERE t.batch_id = %(b)s AND NOT t.covered"
            f" AND {ROUTED_TO_ME} AND NOT {MINE_ANSWERED} AND NOT {MINE_ANY_LEASE}"
            " AND EXISTS (SELECT 1 FROM labeldesk_claims c WHERE c.batch_id = t.batch_id"
            "  AND c.task_id = t.task_id AND c.annotator <> %(me)s AND c.until > %(now)s"
            "  AND c.renewed_at < %(stale)s)"
            " ORDER BY t.claim_rank LIMIT %(k)s FOR UPDATE OF t SKIP LOCKED",
            {**stale, "k": want},
        ).fetchall()
        taken: list[Claim] = []
        for (task,) in rows:
            # Under the lock, in a new statement: the lease as it is now; the one renewed
            # longest ago goes (as in the ledger).
            holder = conn.execute(
                "SELECT annotator FROM labeldesk_claims WHERE batch_id = %(b)s"
                " AND task_id = %(t)s AND annotator <> %(me)s AND until > %(now)s"
                " AND renewed_at < %(stale)s ORDER BY renewed_at, annotator LIMIT 1",
                {**stale, "t": task},
            ).fetchone()
            if holder is None:
                continue
            conn.execute(
                "DELETE FROM labeldesk_claims WHERE batch_id = %s AND task_id = %s"
                " AND annotator = %s",
                (self.batch_id, task, holder[0]),
            )
            conn.execute(
                "INSERT INTO labeldesk_annotators (batch_id, annotator, expired)"
                " VALUES (%s, %s, 1) ON CONFLICT (batch_id, annotator)"
                " DO UPDATE SET expired = labeldesk_annotators.expired + 1",
                (self.batch_id, holder[0]),
            )
            conn.execute(
                "INSERT INTO labeldesk_claims (batch_id, task_id, annotator, renewed_at, until)"
                " VALUES (%s, %s, %s, %s, %s)",
                (self.batch_id, task, params["me"], params["now"], until),
            )
            taken.append(Claim(task, params["me"], until))
        if taken:
            conn.execute(
                "INSERT INTO labeldesk_annotators (batch_id, annotator) VALUES (%s, %s)"
                " ON CONFLICT DO NOTHING",
                (self.batch_id, params["me"]),
            )
        return taken

    def renew(self, annotator: str, task_ids: Sequence[str]) -> list[Claim]:
        with self._mutex:
            wanted = sorted(set(task_ids))
            now = self._now()
            self._forget_used_up()
            held = self._held.setdefault(annotator, {})
            try:
                renewed: list[Claim] = self._run(
                    lambda conn: self._renew(conn, annotator, wanted, now)
                )
            except DatabaseUnavailableError:
                self._remember_all()
                # Offline: the leases this process holds stay as they are, until they end.
                return [
                    Claim(task, annotator, held[task])
                    for task in dict.fromkeys(task_ids)
                    if held.get(task, 0.0) > now
                ]
            for task in wanted:
                held.pop(task, None)
            for claim in renewed:
                held[claim.task_id] = claim.until
            self._remember_all()
            order = {task: i for i, task in enumerate(dict.fromkeys(task_ids))}
            return sorted(renewed, key=lambda c: order[c.task_id])

    def _renew(self, conn: Any, annotator: str, tasks: list[str], now: float) -> list[Claim]:
        if not tasks:
            return []
        until = now + self.settings.lease_seconds
        with conn.transaction():
            # The tasks' locks (one order for everyone), so a lease that a colleague's claim
            # is counting as ended this instant is not made live again behind its back.
            conn.execute(
                "SELECT task_id FROM labeldesk_tasks WHERE batch_id = %s AND task_id = ANY(%s)"
                " ORDER BY task_id FOR UPDATE",
                (self.batch_id, tasks),
            )
            rows = conn.execute(
                "UPDATE labeldesk_claims SET until = %s, renewed_at = %s WHERE batch_id = %s"
                " AND annotator = %s AND task_id = ANY(%s) AND until > %s RETURNING task_id",
                (until, now, self.batch_id, annotator, tasks, now),
            ).fetchall()
        return [Claim(r[0], annotator, until) for r in rows]

    def release(
        self, annotator: str, task_ids: Sequence[str] | None = None, *, why: str = "quit"
    ) -> None:
        """Delete the leases (`why`, as the ledger's: quit, skip, lead; not stored here)."""
        del why
        with self._mutex:
            self._forget_used_up()
            held = self._held.setdefault(annotator, {})
            tasks = None if task_ids is None else sorted(set(task_ids))
            try:
                self._run(lambda conn: self._release(conn, annotator, tasks))
            except DatabaseUnavailableError:  # offline: they end on their own
                if tasks is None:
                    # Still theirs on the server until they end: the record keeps them for
                    # a start while the server is still away (nothing saves it from now on).
                    self._recorded.pop(annotator, None)
            for task in list(held) if tasks is None else tasks:
                held.pop(task, None)
            self._remember_all()

    def _release(self, conn: Any, annotator: str, tasks: list[str] | None) -> None:
        if tasks is None:
            conn.execute(
                "DELETE FROM labeldesk_claims WHERE batch_id = %s AND annotator = %s",
                (self.batch_id, annotator),
            )
        elif tasks:
            conn.execute(
                "DELETE FROM labeldesk_claims WHERE batch_id = %s AND annotator = %s"
                " AND task_id = ANY(%s)",
                (self.batch_id, annotator, tasks),
            )

    def held(self, annotator: str) -> list[Claim]:
        """The annotator's live claims, in the plan's order (after a restart, or for F6);
        offline, the ones this process knows of."""
        with self._mutex:
            now = self._now()

            if self.results_dir is not None:
                self._journal(annotator)  # their results file starts going out now

            def read(conn: Any) -> list[tuple[str, float]]:
                self._catch_up(conn, annotator)
                rows: list[tuple[str, float]] = conn.execute(
                    "SELECT task_id, until FROM labeldesk_claims WHERE batch_id = %s"
                    " AND annotator = %s AND until > %s",
                    (self.batch_id, annotator, now),
                ).fetchall()
                return rows

            self._forget_used_up()
            try:
                rows: list[tuple[str, float]] = self._run(read)
                self._held[annotator] = dict(rows)
                self._recorded.setdefault(annotator, None)
            except DatabaseUnavailableError:
                if annotator not in self._recorded and self.record_dir is not None:
                    self._held[annotator] = self._from_record(annotator, now)
                rows = [(t, u) for t, u in self._held.get(annotator, {}).items() if u > now]
            self._remember_all()
            known = [(t, u) for t, u in rows if t in self.plan.position]
            known.sort(key=lambda pair: self.plan.rank[self.plan.position[pair[0]]])
            return [Claim(t, annotator, u) for t, u in known]

    # -- the local record of claims held ---------------------------------------------------
    def _record(self, annotator: str) -> HeldRecord | None:
        if self.record_dir is None:
            return None
        record = self._records.get(annotator)
        if record is None:
            record = HeldRecord(
                self.record_dir, self.batch_id, annotator, dir_mode=self.record_dir_mode
            )
            self._records[annotator] = record
        return record

    def _from_record(self, annotator: str, now: float) -> dict[str, float]:
        """(Under the mutex; offline.) The recorded leases of `annotator` that have not
        ended by this machine's clock, on tasks of the plan that their results file has no
        line for (an answer whose removal from the record a crash lost)."""
        record = self._record(annotator)
        if record is None:
            return {}
        problems: list[Problem] = []
        recorded = record.load(problems)
        self._note_record_problems(problems)
        self._recorded[annotator] = recorded  # what is on disk: saved again only if it changes
        live = {t: u for t, u in recorded.items() if u > now and t in self.plan.position}
        if live and self.results_dir is not None:
            path = self.results_dir / f"{annotator}.jsonl"
            if path.exists():
                # Its problems are the journal's to report (it reads the same file).
                for line in read_result_lines(path, []):
                    if line.batch_id in (None, self.batch_id):
                        live.pop(line.task_id, None)
        return live

    def _remember_all(self) -> None:
        """(Under the mutex.) Save each recorded annotator's claims if they changed: fsynced
        when a lease was added or extended, only renamed into place when the record shrank
        (see held_record.py: what a lost shrink brings back, the results file filters out)."""
        self._forget_used_up()
        for annotator, last in list(self._recorded.items()):
            record = self._record(annotator)
            held = dict(self._held.get(annotator, {}))
            if record is None or held == last:
                continue
            durable = last is None or any(
                until > last.get(task, float("-inf")) for task, until in held.items()
            )
            problem = record.save(held, durable=durable)
            if problem is None:
                self._recorded[annotator] = held
            else:
                self._note_record_problems([problem])

    def _note_record_problems(self, problems: list[Problem]) -> None:
        for problem in problems:
            if problem not in self.record_problems:  # said once, not at every change
                self.record_problems.append(problem)

    # -- answers: the journal ----------------------------------------------------------------
    def answered(self, record: Mapping[str, Any]) -> None:
        """Queue the line (already fsynced to the annotator's results file) for the server.
        Never waits on the network."""
        annotator = record.get("annotator")
        if type(annotator) is not str:
            return
        journal = self._journal(annotator)
        journal.put(record)
        task = record.get("task_id")
        if record.get("answer") in ENDS_LEASE and isinstance(task, str):
            self._used_up.append((annotator, task))  # list.append: atomic, no lock to wait on
            if annotator in self._recorded and self._mutex.acquire(blocking=False):
                # The record shrinks now (a rename, no fsync) unless a call in flight holds
                # the mutex: then that call's end saves it.
                try:
                    self._remember_all()
                finally:
                    self._mutex.release()

    def _forget_used_up(self) -> None:
        """(Under the mutex.) Leases the annotator's answers used up leave the local view."""
        while self._used_up:
            annotator, task = self._used_up.pop(0)
            self._held.get(annotator, {}).pop(task, None)

    def _journal(self, annotator: str) -> AnswerJournal:
        with self._journals_lock:  # never held across a network call
            journal = self._journals.get(annotator)
            if journal is None:
                path = self.results_dir / f"{annotator}.jsonl" if self.results_dir else None
                journal = AnswerJournal(
                    self.url,
                    self.batch_id,
                    annotator,
                    path,
                    connector=self._connector,
                    skip_counts=self.settings.skip == "count",
                )
                journal.start()
                self._journals[annotator] = journal
            return journal

    def start_journal(self, annotator: str) -> AnswerJournal:
        """Start sending `annotator`'s results file now (at open): answers the file holds
        that the server lacks (written offline, or before a crash) go out at once."""
        return self._journal(annotator)

    def journal_state(self, annotator: str) -> JournalState | None:
        journal = self._journals.get(annotator)
        return None if journal is None else journal.state()

    def wait_sent(self, timeout: float, *, while_online: bool = False) -> bool:
        """Until every journal has sent what it has (tests, and quit with a grace period;
        `while_online`: not a moment longer once a sender finds the server unreachable)."""
        deadline = time.monotonic() + timeout
        return all(
            journal.wait_sent(max(0.0, deadline - time.monotonic()), while_online=while_online)
            for journal in list(self._journals.values())
        )

    # -- seeing the team ---------------------------------------------------------------------
    def status(self) -> TeamStatus:
        with self._mutex:
            now = self._now()
            try:
                status: TeamStatus = self._run(lambda conn: self._status(conn, now))
            except DatabaseUnavailableError:
                if self._last_status is not None:
                    return self._last_status
                raise
            self._last_status = status
            journals = [p for j in self._journals.values() for p in j.problems]
            self.problems = [*self.record_problems, *journals]
            return status

    def _status(self, conn: Any, now: float) -> TeamStatus:
        """The ledger's status, computed from the same facts read from the tables."""
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            latest = conn.execute(
                "SELECT DISTINCT ON (task_id, annotator) task_id, annotator, answer,"
                " submitted_at FROM labeldesk_answers WHERE batch_id = %s"
                " ORDER BY task_id, annotator, revision DESC",
                (self.batch_id,),
            ).fetchall()
            leases = conn.execute(
                "SELECT task_id, annotator, until FROM labeldesk_claims WHERE batch_id = %s",
                (self.batch_id,),
            ).fetchall()
            replaced = conn.execute(
                "SELECT annotator, expired FROM labeldesk_annotators WHERE batch_id = %s",
                (self.batch_id,),
            ).fetchall()
        counts = set(self._counting)
        answers: dict[str, dict[str, tuple[str, str]]] = {}
        people: set[str] = set()
        for task, who, answer, when in latest:
            answers.setdefault(task, {})[who] = (answer, when)
            people.add(who)
        live: dict[str, set[str]] = {}
        claimed: Counter[str] = Counter()
        expired: Counter[str] = Counter()
        live_claims = 0
        for task, who, until in leases:
            people.add(who)
            if until > now:
                live.setdefault(task, set()).add(who)
                claimed[who] += 1
                live_claims += 1
            elif who not in answers.get(task, {}):
                expired[who] += 1
        for who, count in replaced:
            people.add(who)
            expired[who] += count
        plan = self.plan
        done: Counter[str] = Counter()
        over: Counter[str] = Counter()
        done_answers = covered = pool_left = 0
        for index, task in enumerate(plan.task_ids):
            target = plan.target(index)
            mine = answers.get(task, {})
            counted = [who for who, (answer, _) in mine.items() if answer in counts]
            need = len(people) if target is None else target
            ranked = sorted(counted, key=lambda who: (mine[who][1], who))
            for who in ranked[:need]:
                done[who] += 1
            for who in ranked[need:]:
                over[who] += 1
            done_answers += min(len(counted), need)
            if len(counted) >= need and need > 0:
                covered += 1
            if need > len(set(counted) | live.get(task, set())):
                pool_left += 1
        names = sorted(people)
        return TeamStatus(
            tasks=len(plan),
            target_answers=plan.total_target(len(names)),
            done_answers=done_answers,
            covered_tasks=covered,
            pool_left=pool_left,
            live_claims=live_claims,
            over_covered=sum(over.values()),
            annotators=[
                AnnotatorStatus(a, claimed[a], done[a], expired[a], over[a]) for a in names
            ],
            lock_max_ms=round(self.lock_max_ms, 3),
        )

    def close(self, flush_timeout: float = 0.0) -> None:
        """Stop the senders (after up to `flush_timeout` s of sending) and disconnect. What
        is not sent stays in the results files and goes out at the next open."""
        with self._mutex:
            self._remember_all()  # the answers passed on last leave the record
            for journal in self._journals.values():
                journal.close(flush_timeout)
            self._journals.clear()
            conn, self._conn = self._conn, None
            if conn is not None:
                with contextlib.suppress(Exception):  # it is gone either way
                    conn.close()
