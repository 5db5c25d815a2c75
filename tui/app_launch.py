"""Opening the audit review app: `labeldesk audit BATCH --auditor NAME` ends here.

prepare_audit() does everything that can fail with a message (no plan, a batch that cannot
be opened, the audit file locked by another labeldesk) before any Textual import, so the
command prints one precise message and exits with status 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.audit import AuditWriter, PlanError, plan_progress
from tui.core.audit.review_session import AuditSession, build_audit_keymap
from tui.core.i18n import _
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
    from tui.audit_app import AuditApp


class AuditLaunchError(ReviewLaunchError):
    """Why the audit review cannot open, in words for the auditor."""


def prepare_audit(batch: Path, auditor: str) -> tuple[AuditSession, list[Problem]]:
    """The review session for `auditor` on `batch`, with the audit file open and locked,
    and the warnings to show in the app (bad lines in results or audit files)."""
    config, problems = load_user_config()
    check_reviewer(auditor, "auditor", AuditLaunchError)
    try:
        progress = plan_progress(batch, auditor)
    except PlanError as exc:
        raise AuditLaunchError(str(exc.problem)) from None
    except BatchError as exc:
        raise AuditLaunchError(batch_error_text(exc)) from None
    if progress.total == 0:
        raise AuditLaunchError(
            _(
                "{path}: the plan has no items (nothing was auditable when it was made); run `labeldesk audit assign {batch} --auditor {auditor} ... --add` once there are answers"
            ).format(path=progress.plan.path, batch=batch, auditor=auditor)
        )
    return open_review(
        batch,
        make_writer=lambda: AuditWriter(batch, auditor, batch=progress.batch),
        build_keymap=build_audit_keymap,
        make_session=lambda opened: AuditSession(**opened, progress=progress, auditor=auditor),
        config=config,
        config_problems=problems,
        found=progress.problems,
        error=AuditLaunchError,
    )


def make_audit_app(batch: Path, auditor: str) -> AuditApp:
    """The app, ready to run (for tests: `async with make_audit_app(...).run_test()`)."""
    from tui.audit_app import AuditApp

    session, problems = prepare_audit(batch, auditor)
    return AuditApp(session, problems)


def open_audit(batch: Path, auditor: str) -> int:
    """Run the audit review app; 0 when it closes normally, 2 when it cannot open."""

    def summary(s: AuditSession) -> str:
        return _(
            "labeldesk audit: {recorded} verdict(s) saved this session; {done} of {total} planned items audited ({path})"
        ).format(recorded=len(s.recorded), done=s.done, total=s.total, path=s.writer.path)

    return run_review_app(
        lambda: make_audit_app(batch, auditor),
        refused=AuditLaunchError,
        said=lambda exc: _("labeldesk: {exc}").format(exc=exc),
        summary=summary,
    )
