"""The one interface between a labeling session and whatever coordinates a team.

Two backends implement it: the append-only ledger under the batch folder (default, nothing to
start) and PostgreSQL (issue 13). Both follow the same rules, so one contract test suite runs
against both:

- a task never has more live claims plus counted answers than its target (the plan says the
  target per task: `annotations_per_task`, more for the overlap sample);
- a claim is a lease: it ends on its own at `until` (no janitor), is renewed only while the
  annotator is active, and is released on quit;
- an answer given after a lease ended is still saved by the caller (the results file is the
  only record of answers); the coordinator counts the over-coverage, it never refuses;
- no method is called from the UI thread: the session calls them from a worker, so a key
  never waits on a lock, a disk or a network.

Times are epoch seconds (`time.time()`); every backend takes a `now` callable so tests run
on a controlled clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Claim:
    """A lease on one task for one annotator, live until `until` (epoch seconds)."""

    task_id: str
    annotator: str
    until: float


@dataclass(frozen=True)
class AnnotatorStatus:
    annotator: str
    claimed: int  # live claims now
    done: int  # tasks answered (counted answers)
    expired: int  # claims that ended without an answer
    over_covered: int  # answers beyond the task's target


@dataclass(frozen=True)
class TeamStatus:
    tasks: int  # tasks in the plan
    target_answers: int  # sum of every task's target
    done_answers: int  # counted answers so far (capped at each task's target)
    covered_tasks: int  # tasks at their target
    pool_left: int  # tasks that still need a claim from someone
    live_claims: int
    over_covered: int  # answers beyond target, all tasks
    annotators: list[AnnotatorStatus] = field(default_factory=list)
    # Longest the shared lock was held, in ms: by this process, or (the ledger, which
    # records each writer's longest) by any process that wrote to it.
    lock_max_ms: float = 0.0


class Coordinator(Protocol):
    """Claims for one batch. Implementations are thread-safe for one worker at a time."""

    def claim(self, annotator: str, want: int) -> list[Claim]:
        """Take up to `want` new claims for `annotator`, in the plan's order, honouring
        targets, routing and quota. Returns only the new claims (maybe none)."""
        ...

    def renew(self, annotator: str, task_ids: Sequence[str]) -> list[Claim]:
        """Extend the annotator's live claims on `task_ids`; returns the renewed ones (a claim
        that already ended is not renewed: the caller drops it from its queue)."""
        ...

    def release(self, annotator: str, task_ids: Sequence[str] | None = None) -> None:
        """Give claims back (all of the annotator's when `task_ids` is None): on quit, on a
        skip when the batch says skips release."""
        ...

    def answered(self, record: Mapping[str, Any]) -> None:
        """A results line that was just fsynced to the annotator's results file. The file
        backend updates its counts; the PostgreSQL backend queues the line for the server."""
        ...

    def status(self) -> TeamStatus: ...

    def close(self) -> None:
        """Release this process's resources (not its claims: see release)."""
        ...
