"""The audit review opened from the home screen: the same screen as `labeldesk audit BATCH`,
except that quitting it goes back to the home screen (the audit file is released)."""

from __future__ import annotations

from tui.screens.audit_review import AuditReviewScreen


class HomeAuditReviewScreen(AuditReviewScreen):
    def action_quit(self) -> None:
        self.workers.cancel_all()
        close = getattr(self.app, "close_audit", None)
        if close is not None:
            close()
        self.app.pop_screen()
