"""The audit review app (`labeldesk audit BATCH --auditor NAME`): the review screen around an
AuditSession, with the same key rules as labeling (tui/key_gate.py)."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events

from tui.core.audit.review_session import AuditSession
from tui.core.problems import Problem
from tui.key_gate import KeyGateApp
from tui.screens.audit_review import AuditReviewScreen


class AuditApp(KeyGateApp, inherit_bindings=False):
    """No inherited bindings: every key is the keymap's (ctrl+q included)."""

    TITLE = "labeldesk audit"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, session: AuditSession, problems: Sequence[Problem] = ()) -> None:
        super().__init__()
        self.session = session
        self.problems = list(problems)

    def on_key_activity(self, event: events.Key) -> None:
        # Every key the auditor presses (dialogs and the comment included) is active time.
        self.session.clock.touch()

    def on_mount(self) -> None:
        # The overlays' keys come from the same keymap as the screen's.
        self.set_keymap(self.session.keymap.textual_keymap())
        self.push_screen(AuditReviewScreen(self.session))
        for problem in self.problems:
            self.notify(str(problem), severity="warning", timeout=10, markup=False)
