"""The bridge between a labeling session's team queue and its coordinator, for the app's
worker thread (no Textual here: the app passes `on_ui`, which runs a function on the UI
thread and returns its result; tests pass a plain call).

The queue belongs to the UI thread (the session reads it on every answer); the coordinator
to the worker. One `step()` passes saved answers on, renews the claims of an active
annotator, drops claims that ran out (never the one on screen), and claims more when half
the queue is used. A key never waits on any of it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from tui.core.team.coordinator import Claim, TeamStatus
from tui.core.team.engine import TeamOpen
from tui.core.team.queue import TeamQueue

T = TypeVar("T")
OnUi = Callable[[Callable[[], Any]], Any]

# How often the header's figures (pool left, coverage) are read again.
STATUS_EVERY_S = 5.0
# On quit, how long a database backend may go on sending the last answers while it can.
QUIT_GRACE_S = 2.0


class TeamLink:
    def __init__(
        self,
        opened: TeamOpen,
        annotator: str,
        *,
        now: Callable[[], float] = time.time,
        status_every: float = STATUS_EVERY_S,
    ) -> None:
        self.coordinator = opened.coordinator
        self.queue: TeamQueue = opened.queue
        self.annotator = annotator
        self.now = now
        self.status_every = status_every
        self.status: TeamStatus | None = None
        self._status_at = float("-inf")
        # One caller at a time on the coordinator: the worker's steps and close() on quit.
        self._lock = threading.Lock()
        self.closed = False
        # The closing work close() left to whoever holds the lock next (None: done, or
        # not asked yet): the answers still to pass on. Guarded by _closing_guard.
        self._closing: list[dict[str, Any]] | None = None
        self._closing_guard = threading.Lock()

    def step(self, on_ui: OnUi, *, active: bool, shown: str | None) -> bool:
        """One round; True when claims arrived (the screen may show the first). The lock
        covers only the coordinator's calls, never a wait for the UI thread: close() runs
        on the UI thread and must not wait for a step that waits for it."""
        if self.closed:
            return False
        queue, me = self.queue, self.annotator
        now = self.now()
        outbox = on_ui(queue.take_outbox)
        due = on_ui(lambda: queue.to_renew(now)) if active else []
        ended = [t for t in on_ui(lambda: queue.ended(now)) if t != shown]
        want = on_ui(queue.wanted)
        unseen: Exception | None = None
        with self._lock:
            if self.closed:
                # Quitting: these lines are in the results file, which every backend reads
                # again (the ledger counts it; the database journal compares it on start).
                self._finish_closing()
                return False
            try:
                for line in outbox:
                    self.coordinator.answered(line)
                kept = self.coordinator.renew(me, due) if due else []
                new = self.coordinator.claim(me, want) if want else []
                if new or now - self._status_at >= self.status_every:
                    try:
                        self.status = self.coordinator.status()
                        self._status_at = now
                    except Exception as exc:  # e.g. a database not reached since the start
                        unseen = exc  # said after the queue has what renew and claim gave
            finally:
                if self.closed:  # quit while these calls ran: close() left the rest to us
                    self._finish_closing()
        if self.closed:  # quit just after: close() may have found the lock still ours
            with self._lock:
                self._finish_closing()
            return False

        def apply() -> None:
            if due:
                self._renewed(due, kept, shown)
            if ended:
                queue.drop(ended)
            if new:
                queue.add(new)

        on_ui(apply)
        if unseen is not None and not new:  # (with new claims: said at the next step)
            raise unseen
        return bool(new)

    def _renewed(self, asked: list[str], kept: list[Claim], shown: str | None) -> None:
        self.queue.renewed(kept)
        still = {c.task_id for c in kept}
        self.queue.drop(t for t in asked if t not in still and t != shown)

    def note(self) -> str | None:
        """The PostgreSQL journal's words ("offline, 3 answers to send"), else None."""
        state = getattr(self.coordinator, "journal_state", None)
        if state is None:
            return None
        journal = state(self.annotator)
        return journal.note() if journal is not None else None

    def offline(self) -> bool:
        """Whether the database backend's sender last found the server unreachable."""
        state = getattr(self.coordinator, "journal_state", None)
        journal = state(self.annotator) if state is not None else None
        return journal is not None and journal.online is False

    def close(self, on_ui: OnUi | None = None) -> None:
        """On quit: pass on what is left, give every claim back, let go of the coordinator.
        Runs on the UI thread (the quit key), so it never waits: not for a step whose calls
        are in flight (they may be waiting on the network; that step finishes the closing
        when they return), nor for a server that is down (offline, the answers stay in the
        results file, which goes out at the next start, and the leases end on their own)."""
        if self.closed:
            return
        lines = on_ui(self.queue.take_outbox) if on_ui is not None else []
        with self._closing_guard:
            self._closing = lines
        self.closed = True
        if self._lock.acquire(blocking=False):
            try:
                self._finish_closing()
            finally:
                self._lock.release()

    def _finish_closing(self) -> None:
        """(Under the lock.) The closing work close() asked for, once, by whoever holds the
        lock: close() itself, or the worker's step that held it."""
        with self._closing_guard:
            lines, self._closing = self._closing, None
        if lines is None:
            return
        try:
            for line in lines:
                self.coordinator.answered(line)
            if getattr(self.coordinator, "online", True):
                # A database backend sends answers in the background: give it a moment,
                # so the team sees today's last answers now rather than at the next start.
                wait_sent = getattr(self.coordinator, "wait_sent", None)
                if wait_sent is not None:
                    wait_sent(QUIT_GRACE_S, while_online=True)
                self.coordinator.release(self.annotator, None)
        finally:
            self.coordinator.close()
