"""The team's status in words and a table: `labeldesk team status` and F6 in the app."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from tui.core.i18n import _
from tui.core.safe_text import visible
from tui.core.team.coordinator import TeamStatus


def status_summary(status: TeamStatus) -> str:
    share = status.done_answers / status.target_answers if status.target_answers else 1.0
    return _(
        "{tasks} tasks · answers {done_answers} of {target_answers} ({share:.0%}) · covered {covered_tasks} · pool left {pool_left}\nlive claims {live_claims} · over-covered {over_covered} · lock max {lock_max_ms:.1f} ms"
    ).format(
        tasks=status.tasks,
        done_answers=status.done_answers,
        target_answers=status.target_answers,
        share=share,
        covered_tasks=status.covered_tasks,
        pool_left=status.pool_left,
        live_claims=status.live_claims,
        over_covered=status.over_covered,
        lock_max_ms=status.lock_max_ms,
    )


def status_table(status: TeamStatus) -> Group:
    """The summary and one row per annotator (names pass the sanitizer: they come from
    file names and ledger lines)."""
    table = Table(_("annotator"), _("claimed"), _("done"), _("expired"), _("over-covered"))
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
        return _("queue {queue} · team: opening…").format(queue=queue)
    share = status.done_answers / status.target_answers if status.target_answers else 1.0
    return _("queue {queue} · pool {pool_left} · {share:.0%} covered").format(
        queue=queue, pool_left=status.pool_left, share=share
    )
