"""Opening the adjudication app: `labeldesk adjudicate BATCH` ends here.

prepare_adjudication() does everything that can fail with a message (a batch that cannot be
opened, a bad name, the adjudication file locked by another labeldesk) before any Textual
import, so the command prints one precise message and exits with status 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.active_clock import ActiveClock
from tui.core.audit.inputs import check_person_name
from tui.core.batch import Batch
from tui.core.i18n import _
from tui.core.jsonl_store import StoreLockedError, StoreNotWritableError
from tui.core.merge.adjudication_session import (
    AdjudicationSession,
    QueueItem,
    build_adjudicate_keymap,
)
from tui.core.merge.adjudications import AdjudicationWriter
from tui.core.merge.merge import disagreements, merge_batch
from tui.core.problems import BatchError, Problem
from tui.core.safe_text import echo
from tui.core.user_config import load_user_config, user_keymap_file

if TYPE_CHECKING:
    from tui.adjudicate_app import AdjudicateApp


class AdjudicateLaunchError(Exception):
    """Why adjudication cannot open, in words for the adjudicator."""


class NothingToAdjudicate(Exception):
    """The queue is empty: every disagreement is decided (or there is none)."""


def _problem_lines(problems: list[Problem]) -> str:
    return "\n".join(f"  {p}" for p in problems)


def prepare_adjudication(
    batch: Path, adjudicator: str, *, with_majority: bool = False
) -> tuple[AdjudicationSession, list[Problem]]:
    """The session for `adjudicator` on `batch` (the queue: items whose annotators disagree
    and that no adjudication has settled), with adjudications/<name>.jsonl open and locked."""
    config, problems = load_user_config()
    try:
        check_person_name(adjudicator, "adjudicator")
    except ValueError as exc:
        raise AdjudicateLaunchError(str(exc)) from None
    try:
        merged = merge_batch(batch)
    except BatchError as exc:
        raise AdjudicateLaunchError(
            _("cannot open the batch:\n") + _problem_lines(exc.problems)
        ) from None
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
    try:
        opened = Batch.open(batch)
    except BatchError as exc:
        raise AdjudicateLaunchError(
            _("cannot open the batch:\n") + _problem_lines(exc.problems)
        ) from None
    writer = AdjudicationWriter(merged.batch, adjudicator)
    try:
        problems += writer.open()
    except (StoreLockedError, StoreNotWritableError) as exc:
        raise AdjudicateLaunchError(str(exc)) from None
    keymap = build_adjudicate_keymap(
        opened.task_type,
        chosen=config.keymap,
        user_file=user_keymap_file(),
        batch_table=opened.config.keymap,
        batch_file=opened.folder / "batch.toml",
    )
    session = AdjudicationSession(
        batch=opened,
        items=queue,
        writer=writer,
        keymap=keymap,
        clock=ActiveClock(config.idle_threshold_s),
        adjudicator=adjudicator,
    )
    return session, [*problems, *merged.problems, *opened.problems, *keymap.problems]


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
    try:
        app = make_adjudicate_app(batch, adjudicator, with_majority=with_majority)
    except NothingToAdjudicate as exc:
        echo(_("labeldesk adjudicate: {exc}").format(exc=exc), file=sys.stderr)
        return 0
    except AdjudicateLaunchError as exc:
        echo(_("labeldesk adjudicate: {exc}").format(exc=exc), file=sys.stderr)
        return 2
    try:
        app.run()
    finally:
        app.session.writer.close()
    s = app.session
    echo(
        _(
            "labeldesk adjudicate: {recorded} decision(s) saved this session; {done} of {total} queued items decided ({path})"
        ).format(recorded=len(s.recorded), done=s.done, total=s.total, path=s.writer.path)
    )
    return app.return_code or 0
