"""One annotator's queue of claimed tasks, for the labeling session (no I/O, no Textual).

The UI's worker talks to the Coordinator; the session only asks this queue which item
comes next. The worker feeds it (`add` the claims it took, `renewed` / `drop` what renew
said, `take_outbox` the answers to pass to `Coordinator.answered`), and asks it what to do
(`wanted`: how many to claim; `to_renew`: which claims to renew). A key never waits on any
of it: every method here is a few dictionary operations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tui.core.team.coordinator import Claim
from tui.core.team.plan import TeamPlan

# Renew a claim once less than this share of the lease is left: an active annotator's
# claims are renewed well before a colleague may take them over (after half a lease
# without renewal, see ledger.TAKEOVER_AFTER).
RENEW_WHEN_LEFT = 0.75


class TeamQueue:
    def __init__(self, plan: TeamPlan, annotator: str) -> None:
        self.plan = plan
        self.annotator = annotator
        self.lease_seconds = plan.settings.lease_seconds
        self.claim_size = plan.settings.claim_size
        self._claims: dict[str, Claim] = {}  # task id -> claim, kept in the plan's order
        self._outbox: list[dict[str, Any]] = []

    def __len__(self) -> int:
        return len(self._claims)

    def _sort(self) -> None:
        rank, position = self.plan.rank, self.plan.position
        ordered = sorted(self._claims.values(), key=lambda c: rank[position[c.task_id]])
        self._claims = {c.task_id: c for c in ordered}

    def add(self, claims: Iterable[Claim]) -> None:
        for claim in claims:
            if claim.annotator == self.annotator and claim.task_id in self.plan.position:
                self._claims[claim.task_id] = claim
        self._sort()

    def renewed(self, claims: Iterable[Claim]) -> None:
        for claim in claims:
            if claim.task_id in self._claims:
                self._claims[claim.task_id] = claim

    def drop(self, task_ids: Iterable[str]) -> None:
        """Claims that ended (renew did not return them, or they were released)."""
        for task_id in task_ids:
            self._claims.pop(task_id, None)

    def task_ids(self) -> list[str]:
        return list(self._claims)

    def next_index(self, shown: str | None = None) -> int | None:
        """The batch index of the first claimed task (in the plan's order), or None."""
        for task_id in self._claims:
            if task_id != shown:
                return self.plan.source[self.plan.position[task_id]]
        return None

    def answered(self, record: Mapping[str, Any]) -> None:
        """An answer line was saved: the task leaves the queue, the line waits in the outbox
        for the worker to pass to the coordinator."""
        task_id = record.get("task_id")
        if isinstance(task_id, str):
            self._claims.pop(task_id, None)
        self._outbox.append(dict(record))

    def take_outbox(self) -> list[dict[str, Any]]:
        out, self._outbox = self._outbox, []
        return out

    def wanted(self) -> int:
        """How many claims to take now: refill to claim_size once half of it is used."""
        if len(self._claims) * 2 > self.claim_size:
            return 0
        return self.claim_size - len(self._claims)

    def to_renew(self, now: float) -> list[str]:
        """Claims to renew now (call only while the annotator is active: the KPI clock
        knows; an idle annotator's claims run out and return to the team)."""
        edge = now + self.lease_seconds * RENEW_WHEN_LEFT
        return [c.task_id for c in self._claims.values() if c.until <= edge]

    def ended(self, now: float) -> list[str]:
        """Claims whose lease has run out (the worker drops them unless shown)."""
        return [c.task_id for c in self._claims.values() if c.until <= now]
