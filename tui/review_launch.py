"""Opening a review app, whatever it reviews: what `labeldesk audit BATCH` (tui/app_launch.py)
and `labeldesk adjudicate BATCH` (tui/adjudicate_launch.py) share.

Everything that can fail with a message (a bad name, a batch that cannot be opened, the
review's file locked by another labeldesk) raises the launcher's ReviewLaunchError before
any Textual import, so the command prints one precise message and exits with status 2.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypedDict, TypeVar

from tui.core.active_clock import ActiveClock
from tui.core.audit.inputs import check_person_name
from tui.core.batch import Batch
from tui.core.i18n import _
from tui.core.jsonl_store import StoreLockedError, StoreNotWritableError
from tui.core.keymap import Keymap
from tui.core.problems import BatchError, Problem
from tui.core.review_queue import KeymapBuilder, ReviewQueue, ReviewWriter
from tui.core.safe_text import echo
from tui.core.user_config import UserConfig, user_keymap_file

if TYPE_CHECKING:
    from tui.review_app import ReviewApp

WriterT = TypeVar("WriterT", bound=ReviewWriter)
SessionT = TypeVar("SessionT", bound=ReviewQueue[Any, Any, Any])


class ReviewLaunchError(Exception):
    """Why a review cannot open, in words for the reviewer."""


def batch_error_text(exc: BatchError) -> str:
    return _("cannot open the batch:\n") + "\n".join(f"  {p}" for p in exc.problems)


def check_reviewer(name: str, role: str, error: type[ReviewLaunchError]) -> None:
    """The reviewer's name is usable as a file name (`role` names it in the message)."""
    try:
        check_person_name(name, role)
    except ValueError as exc:
        raise error(str(exc)) from None


class ReviewFields(TypedDict, Generic[WriterT]):
    """What every review session is made of (ReviewQueue's fields), opened."""

    batch: Batch
    writer: WriterT
    keymap: Keymap
    clock: ActiveClock


def open_review(
    folder: Path,
    *,
    make_writer: Callable[[], WriterT],
    build_keymap: KeymapBuilder,
    make_session: Callable[[ReviewFields[WriterT]], SessionT],
    config: UserConfig,
    config_problems: Sequence[Problem],
    found: Sequence[Problem],
    error: type[ReviewLaunchError],
) -> tuple[SessionT, list[Problem]]:
    """The session on the batch, with the review's file open and locked and the keymap with
    the batch's layers; and the warnings to show in the app: the user config's, the review
    file's, what the launcher `found` (bad results or audit lines), the batch's, the keymap's."""
    try:
        opened = Batch.open(folder)
    except BatchError as exc:
        raise error(batch_error_text(exc)) from None
    writer = make_writer()
    try:
        problems = writer.open()
    except (StoreLockedError, StoreNotWritableError) as exc:
        raise error(str(exc)) from None
    keymap = build_keymap(
        opened.task_type,
        chosen=config.keymap,
        user_file=user_keymap_file(),
        batch_table=opened.config.keymap,
        batch_file=opened.folder / "batch.toml",
    )
    fields = ReviewFields(
        batch=opened, writer=writer, keymap=keymap, clock=ActiveClock(config.idle_threshold_s)
    )
    warnings = [*config_problems, *problems, *found, *opened.problems, *keymap.problems]
    return make_session(fields), warnings


def run_review_app(
    make_app: Callable[[], ReviewApp[SessionT]],
    *,
    refused: type[Exception],
    said: Callable[[Exception], str],
    summary: Callable[[SessionT], str],
    nothing_to_do: tuple[type[Exception], ...] = (),
) -> int:
    """Run the app made by `make_app`: 2 when it cannot open (`refused`), 0 when there is
    nothing to review (`nothing_to_do`), both `said` on stderr; else the app's return code,
    after its `summary` (the review's file is closed whatever happens)."""
    try:
        app = make_app()
    except nothing_to_do as exc:
        echo(said(exc), file=sys.stderr)
        return 0
    except refused as exc:
        echo(said(exc), file=sys.stderr)
        return 2
    try:
        app.run()
    finally:
        app.session.writer.close()
    echo(summary(app.session))
    return app.return_code or 0
