"""The local results file is the journal; this sends it to the server in the background.

Each answer is fsynced to results/<annotator>.jsonl by the session before the coordinator
hears of it. `AnswerJournal.put()` only queues the line (no caller waits on the network); a
sender thread inserts queued lines, oldest first, in one transaction per round (idempotent on
(batch, task, annotator, revision): a line sent twice changes nothing).

The outbox that survives a restart is derived, not stored: at start and after every
reconnect the sender compares the results file with what the server holds for this
annotator and queues what is missing. No second file to fsync per answer and keep consistent
with the first: the results file already is the fsynced record, so whatever is in it reaches
the server, however the app ended (quit, crash, kill -9, power cut).

While the server cannot be reached the queue only grows; `note()` says
"offline, N answers to send" for the header, and everything is replayed on reconnect.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from tui.core.problems import Problem
from tui.core.result_lines import read_result_lines
from tui.core.team.pg.connect import DatabaseUnavailableError, connect, first_line
from tui.core.team.pg.sql import COUNTED, counting

SEND_ROUND = 500  # lines per transaction
RETRY_FIRST_S = 0.2
RETRY_MAX_S = 2.0  # back within 2 s of the server, without hammering it meanwhile

_INSERT = (
    "INSERT INTO labeldesk_answers"
    " (batch_id, task_id, annotator, revision, answer, submitted_at, line)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"
)
# An answer (or a skip: counted, or released to others) uses the annotator's lease up.
_USED_UP = "DELETE FROM labeldesk_claims WHERE batch_id = %s AND task_id = %s AND annotator = %s"
ENDS_LEASE = frozenset({"accept", "reject", "flag", "skip"})


@dataclass(frozen=True)
class JournalState:
    online: bool | None  # None: not tried yet
    pending: int  # answers queued, known not to be on the server
    unchecked: bool  # the results file has not been compared with the server yet
    sent: int  # answers inserted by this process (duplicates included)
    error: str  # the last reason the server could not be reached ("" when online)

    def note(self) -> str | None:
        """The header's words, or None when there is nothing to say."""
        if self.online is False:
            what = f"{self.pending} answer{'s' if self.pending != 1 else ''} to send"
            if self.unchecked:
                what += " (and earlier ones to check)"
            return f"offline, {what}"
        if self.pending:
            return f"sending {self.pending} answer{'s' if self.pending != 1 else ''}"
        return None


def _row(batch_id: str, annotator: str, record: Mapping[str, Any]) -> tuple[Any, ...] | None:
    task_id, revision = record.get("task_id"), record.get("revision")
    if not isinstance(task_id, str) or type(revision) is not int:
        return None  # not a line labeldesk wrote: nothing to key it on
    answer = record.get("answer")
    when = record.get("submitted_at")
    line = orjson.dumps(dict(record)).decode("utf-8")  # the bytes the results file holds
    when_text = when if isinstance(when, str) else ""
    return (batch_id, task_id, annotator, revision, str(answer), when_text, line)


class AnswerJournal:
    """The sender for one annotator's results file in one batch."""

    def __init__(
        self,
        url: str,
        batch_id: str,
        annotator: str,
        results_path: Path | None,
        *,
        connector: Callable[[str], Any] | None = None,
        skip_counts: bool = False,
    ) -> None:
        self.url = url
        self.batch_id = batch_id
        self.annotator = annotator
        self.results_path = results_path
        # autocommit: each round is its own explicit transaction, reads hold no snapshot
        self._connector = connector or (lambda u: connect(u, autocommit=True))
        self.counting = counting(skip_counts)
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()  # one sender at a time: the queue's head is theirs
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._queue: list[tuple[Any, ...]] = []
        self._checked = False
        self._online: bool | None = None
        self._error = ""
        self._sent = 0
        self._conn: Any = None
        self._thread: threading.Thread | None = None
        self.problems: list[Problem] = []  # lines of the results file that could not be read

    # -- the caller's side: never waits on the network ----------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name=f"labeldesk-journal-{self.annotator}", daemon=True
            )
            self._thread.start()

    def put(self, record: Mapping[str, Any]) -> None:
        row = _row(self.batch_id, self.annotator, record)
        if row is None:
            return
        with self._lock:
            self._queue.append(row)
            self._idle.clear()
        self._wake.set()

    def state(self) -> JournalState:
        with self._lock:
            return JournalState(
                self._online, len(self._queue), not self._checked, self._sent, self._error
            )

    def wait_sent(self, timeout: float, *, while_online: bool = False) -> bool:
        """Until every queued line and the file's backlog are on the server (tests, quit).
        `while_online`: give up at once when the sender cannot reach the server (on quit:
        waiting for a server that is down only holds the annotator's key)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self._checked and not self._queue:
                    return True
                if while_online and self._online is False:
                    return False
            self._wake.set()
            self._idle.wait(min(0.05, max(0.0, deadline - time.monotonic())))
        with self._lock:
            return self._checked and not self._queue

    def close(self, flush_timeout: float = 0.0) -> None:
        """Stop the sender (after trying to send for up to `flush_timeout` seconds). What is
        not sent stays in the results file and goes out at the next start."""
        if flush_timeout > 0 and self._thread is not None:
            self.wait_sent(flush_timeout)
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self._drop_connection()

    # -- the sender thread ---------------------------------------------------------------
    def _run(self) -> None:
        delay = RETRY_FIRST_S
        while not self._stop.is_set():
            try:
                if self._conn is None:
                    self._conn = self._connector(self.url)
                    self._checked = False  # compare again: the server may have lost nothing
                if not self._checked:
                    self.backfill(self._conn)
                sent_some = self._send_round()
                with self._lock:
                    self._online = True
                    self._error = ""
                delay = RETRY_FIRST_S
                if not sent_some:
                    self._idle.set()
                    self._wake.wait(1.0)
                    self._wake.clear()
            except Exception as exc:  # the server went away, or refused: retry later
                self._drop_connection()
                with self._lock:
                    self._online = False
                    self._error = (
                        str(exc) if isinstance(exc, DatabaseUnavailableError) else first_line(exc)
                    )
                self._idle.set()
                self._stop.wait(delay)
                delay = min(RETRY_MAX_S, delay * 2)

    @property
    def checked(self) -> bool:
        return self._checked

    def backfill(self, conn: Any) -> None:
        """Queue the lines of the results file that the server does not hold. Under the
        send lock: a round in flight removes exactly the rows it sent from the queue's head."""
        with self._send_lock:
            self._backfill(conn)

    def _backfill(self, conn: Any) -> None:
        on_server = {
            (task_id, revision)
            for task_id, revision in conn.execute(
                "SELECT task_id, revision FROM labeldesk_answers"
                " WHERE batch_id = %s AND annotator = %s",
                (self.batch_id, self.annotator),
            )
        }
        problems: list[Problem] = []
        missing: list[tuple[Any, ...]] = []
        if self.results_path is not None and self.results_path.exists():
            for line in read_result_lines(self.results_path, problems):
                if line.batch_id not in (None, self.batch_id):
                    continue
                row = _row(self.batch_id, self.annotator, line.raw)
                if row is not None and (row[1], row[3]) not in on_server:
                    missing.append(row)
        with self._lock:
            # The file's backlog goes first, then what was queued meanwhile (minus copies).
            keys = {(r[1], r[3]) for r in missing}
            self._queue = missing + [r for r in self._queue if (r[1], r[3]) not in keys]
            self._checked = True
            self.problems = problems

    def _send_round(self) -> bool:
        return self.send_now(self._conn)

    def send_now(self, conn: Any) -> bool:
        """One round on `conn` (the sender's, or the coordinator's before it claims, so its
        own answers count in the decision). False when there was nothing to send."""
        with self._send_lock:
            with self._lock:
                rows = self._queue[:SEND_ROUND]
            if not rows:
                return False
            ended = [r[:3] for r in rows if r[4] in ENDS_LEASE]
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(_INSERT, rows)
                if ended:
                    cur.executemany(_USED_UP, ended)
                cur.execute(
                    "INSERT INTO labeldesk_annotators (batch_id, annotator) VALUES (%s, %s)"
                    " ON CONFLICT DO NOTHING",
                    (self.batch_id, self.annotator),
                )
                tasks = sorted({r[1] for r in rows})
                # Lock the tasks (in one order: no deadlock with another sender), then say
                # in a new statement, which sees every commit made before the locks, whether
                # each is covered: the last sender of a task leaves the true state.
                cur.execute(
                    "SELECT task_id FROM labeldesk_tasks t WHERE batch_id = %(b)s"
                    " AND task_id = ANY(%(ids)s) ORDER BY task_id FOR UPDATE",
                    {"b": self.batch_id, "ids": tasks},
                )
                cur.execute(
                    "UPDATE labeldesk_tasks t SET started = true,"
                    f" covered = (t.target IS NOT NULL AND {COUNTED} >= t.target)"
                    " WHERE batch_id = %(b)s AND task_id = ANY(%(ids)s)",
                    {"b": self.batch_id, "ids": tasks, "counting": self.counting},
                )
            with self._lock:
                del self._queue[: len(rows)]
                self._sent += len(rows)
            return True

    def _drop_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):  # it is gone either way
                conn.close()
