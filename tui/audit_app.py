"""The audit review app (`labeldesk audit BATCH --auditor NAME`): the review screen around an
AuditSession (tui/review_app.py)."""

from __future__ import annotations

from collections.abc import Sequence

from tui.core.audit.review_session import AuditSession
from tui.core.problems import Problem
from tui.review_app import ReviewApp
from tui.screens.audit_review import AuditReviewScreen


class AuditApp(ReviewApp[AuditSession], inherit_bindings=False):
    TITLE = "labeldesk audit"

    def __init__(self, session: AuditSession, problems: Sequence[Problem] = ()) -> None:
        super().__init__(session, AuditReviewScreen, problems)
