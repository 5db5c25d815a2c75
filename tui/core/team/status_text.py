"""The team's status in words and a table: `labeldesk team status` and F6 in the app."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from tui.core.safe_text import visible
from tui.core.team.coordinator import TeamStatus


def status_summary(status: TeamStatus) -> str:
    share = status.done_answers / status.target_answers if status.target_answers else 1.0
    return (
        f"{status.tasks} tasks · answers {status.done_answers} of {status.target_answers} "
        f"({share:.0%}) · covered {status.covered_tasks} · pool left {status.pool_left}\n"
        f"live claims {status.live_claims} · over-covered {status.over_covered} · "
        f"lock max {status.lock_max_ms:.1f} ms"
    )


def status_table(status: TeamStatus) -> Group:
    """The summary and one row per annotator (names pass the sanitizer: they come from
    file names and ledger lines)."""
    table = Table("annotator", "claimed", "done", "expired", "over-covered")
    for person in status.annotators:
        table.add_row(
            visible(person.annotator),
            str(person.claimed),
            str(person.done),
            str(person.expired),
            str(person.over_covered),
        )
    return Group(Text(status_summary(status)), table)


def header_text(status: TeamStatus | None, queue: int) -> str:
    """The progress line's team part: my queue, the pool left, coverage."""
    if status is None:
        return f"queue {queue} · team: opening…"
    share = status.done_answers / status.target_answers if status.target_answers else 1.0
    return f"queue {queue} · pool {status.pool_left} · {share:.0%} covered"
