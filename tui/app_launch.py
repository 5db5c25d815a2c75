"""Opening the audit review app: `labeldesk audit BATCH --auditor NAME` ends here.

prepare_audit() does everything that can fail with a message (no plan, a batch that cannot
be opened, the audit file locked by another labeldesk) before any Textual import, so the
command prints one precise message and exits with status 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.active_clock import ActiveClock
from tui.core.audit import AuditWriter, PlanError, plan_progress
from tui.core.audit.inputs import check_person_name
from tui.core.audit.review_session import AuditSession, build_audit_keymap
from tui.core.batch import Batch
from tui.core.i18n import _
from tui.core.jsonl_store import StoreLockedError, StoreNotWritableError
from tui.core.problems import BatchError, Problem
from tui.core.safe_text import echo
from tui.core.user_config import load_user_config, user_keymap_file

if TYPE_CHECKING:
    from tui.audit_app import AuditApp


class AuditLaunchError(Exception):
    """Why the audit review cannot open, in words for the auditor."""


def _problem_lines(problems: list[Problem]) -> str:
    return "\n".join(f"  {p}" for p in problems)


def prepare_audit(batch: Path, auditor: str) -> tuple[AuditSession, list[Problem]]:
    """The review session for `auditor` on `batch`, with the audit file open and locked,
    and the warnings to show in the app (bad lines in results or audit files)."""
    config, problems = load_user_config()
    try:
        check_person_name(auditor, "auditor")
    except ValueError as exc:
        raise AuditLaunchError(str(exc)) from None
    try:
        progress = plan_progress(batch, auditor)
    except PlanError as exc:
        raise AuditLaunchError(str(exc.problem)) from None
    except BatchError as exc:
        raise AuditLaunchError(
            _("cannot open the batch:\n") + _problem_lines(exc.problems)
        ) from None
    if progress.total == 0:
        raise AuditLaunchError(
            _(
                "{path}: the plan has no items (nothing was auditable when it was made); run `labeldesk audit assign {batch} --auditor {auditor} ... --add` once there are answers"
            ).format(path=progress.plan.path, batch=batch, auditor=auditor)
        )
    try:
        opened = Batch.open(batch)
    except BatchError as exc:
        raise AuditLaunchError(
            _("cannot open the batch:\n") + _problem_lines(exc.problems)
        ) from None
    writer = AuditWriter(batch, auditor, batch=progress.batch)
    try:
        problems += writer.open()
    except (StoreLockedError, StoreNotWritableError) as exc:
        raise AuditLaunchError(str(exc)) from None
    keymap = build_audit_keymap(
        opened.task_type,
        chosen=config.keymap,
        user_file=user_keymap_file(),
        batch_table=opened.config.keymap,
        batch_file=opened.folder / "batch.toml",
    )
    session = AuditSession(
        batch=opened,
        progress=progress,
        writer=writer,
        keymap=keymap,
        clock=ActiveClock(config.idle_threshold_s),
        auditor=auditor,
    )
    return session, [*problems, *progress.problems, *opened.problems, *keymap.problems]


def make_audit_app(batch: Path, auditor: str) -> AuditApp:
    """The app, ready to run (for tests: `async with make_audit_app(...).run_test()`)."""
    from tui.audit_app import AuditApp

    session, problems = prepare_audit(batch, auditor)
    return AuditApp(session, problems)


def open_audit(batch: Path, auditor: str) -> int:
    """Run the audit review app; 0 when it closes normally, 2 when it cannot open."""
    try:
        app = make_audit_app(batch, auditor)
    except AuditLaunchError as exc:
        echo(_("labeldesk: {exc}").format(exc=exc), file=sys.stderr)
        return 2
    try:
        app.run()
    finally:
        app.session.writer.close()
    done, total = app.session.done, app.session.total
    echo(
        _(
            "labeldesk audit: {recorded} verdict(s) saved this session; {done} of {total} planned items audited ({path})"
        ).format(
            recorded=len(app.session.recorded), done=done, total=total, path=app.session.writer.path
        )
    )
    return app.return_code or 0
