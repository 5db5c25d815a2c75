"""Opening the adjudication app: `labeldesk adjudicate BATCH` ends here.

prepare_adjudication() does everything that can fail with a message (a batch that cannot be
opened, a bad name, the adjudication file locked by another labeldesk) before any Textual
import, so the command prints one precise message and exits with status 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.i18n import _
from tui.core.merge.adjudication_session import (
    AdjudicationSession,
    QueueItem,
    build_adjudicate_keymap,
)
from tui.core.merge.adjudications import AdjudicationWriter
from tui.core.merge.merge import disagreements, merge_batch
from tui.core.problems import BatchError, Problem
from tui.core.user_config import load_user_config
from tui.review_launch import (
    ReviewLaunchError,
    batch_error_text,
    check_reviewer,
    open_review,
    run_review_app,
)

if TYPE_CHECKING:
    from tui.adjudicate_app import AdjudicateApp


class AdjudicateLaunchError(ReviewLaunchError):
    """Why adjudication cannot open, in words for the adjudicator."""


class NothingToAdjudicate(Exception):
    """The queue is empty: every disagreement is decided (or there is none)."""


def prepare_adjudication(
    batch: Path, adjudicator: str, *, with_majority: bool = False
) -> tuple[AdjudicationSession, list[Problem]]:
    """The session for `adjudicator` on `batch` (the queue: items whose annotators disagree
    and that no adjudication has settled), with adjudications/<name>.jsonl open and locked."""
    config, problems = load_user_config()
    check_reviewer(adjudicator, "adjudicator", AdjudicateLaunchError)
    try:
        merged = merge_batch(batch)
    except BatchError as exc:
        raise AdjudicateLaunchError(batch_error_text(exc)) from None
    queue = [QueueItem(record) for record in disagreements(merged, with_majority=with_majority)]
    if not queue:
        counts = merged.counts()
        raise NothingToAdjudicate(
            _(
                "nothing to adjudicate in {batch}: {unresolved} unresolved, {majority} majority, {adjudicated} adjudicated item(s)"
            ).format(
                batch=batch,
                unresolved=counts["unresolved"],
                majority=counts["majority"],
                adjudicated=counts["adjudicated"],
            )
            + ("" if with_majority else _(" (--all-disagreements also shows majority items)"))
        )
    return open_review(
        batch,
        make_writer=lambda: AdjudicationWriter(merged.batch, adjudicator),
        build_keymap=build_adjudicate_keymap,
        make_session=lambda opened: AdjudicationSession(
            **opened, items=queue, adjudicator=adjudicator
        ),
        config=config,
        config_problems=problems,
        found=merged.problems,
        error=AdjudicateLaunchError,
    )


def make_adjudicate_app(
    batch: Path, adjudicator: str, *, with_majority: bool = False
) -> AdjudicateApp:
    """The app, ready to run (for tests: `async with make_adjudicate_app(...).run_test()`)."""
    from tui.adjudicate_app import AdjudicateApp

    session, problems = prepare_adjudication(batch, adjudicator, with_majority=with_majority)
    return AdjudicateApp(session, problems)


def open_adjudication(batch: Path, adjudicator: str, *, with_majority: bool = False) -> int:
    """Run the adjudication app; 0 when it closes normally (or there is nothing to decide),
    2 when it cannot open."""

    def summary(s: AdjudicationSession) -> str:
        return _(
            "labeldesk adjudicate: {recorded} decision(s) saved this session; {done} of {total} queued items decided ({path})"
        ).format(recorded=len(s.recorded), done=s.done, total=s.total, path=s.writer.path)

    return run_review_app(
        lambda: make_adjudicate_app(batch, adjudicator, with_majority=with_majority),
        refused=AdjudicateLaunchError,
        said=lambda exc: _("labeldesk adjudicate: {exc}").format(exc=exc),
        summary=summary,
        nothing_to_do=(NothingToAdjudicate,),
    )
