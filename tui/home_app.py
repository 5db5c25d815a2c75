"""The app behind the home screen: LabelDeskApp (a batch opened from the list comes back to
it) plus the audit review of a batch, opened and closed in the same app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.screen import Screen

from tui.app import LabelDeskApp
from tui.core.home.listing import HomeEntry, utc_day
from tui.core.home.roots import Roots
from tui.core.i18n import _

if TYPE_CHECKING:
    from tui.core.audit.review_session import AuditSession
    from tui.core.keymap import Keymap
    from tui.core.session import LabelingSession


class HomeApp(LabelDeskApp, inherit_bindings=False):
    def __init__(
        self,
        roots: Roots,
        entries: list[HomeEntry],
        *,
        annotator: str,
        opener: Callable[[Path], tuple[LabelingSession, Keymap]] | None,
        keymap_name: str | None = None,
        day: Callable[[], str] = utc_day,
        live: bool = True,
    ) -> None:
        super().__init__()
        self.annotator = annotator
        self.opener = opener
        self.finished: list[LabelingSession] = []  # closed sessions, for their summaries
        self.roots = roots
        self.entries = entries
        self.keymap_name = keymap_name
        self.day = day
        self.live = live
        self.audit_session: AuditSession | None = None
        self.finished_audits: list[AuditSession] = []

    @property
    def from_list(self) -> bool:
        return True

    def on_key_activity(self, event: events.Key) -> None:
        super().on_key_activity(event)
        if self.audit_session is not None:
            self.audit_session.clock.touch()

    def get_default_screen(self) -> Screen[Any]:
        """The home screen is the app's first screen (no blank screen painted before it);
        a batch or an audit review is pushed on top and popped when quit."""
        from tui.screens.home import HomeScreen

        return HomeScreen(
            self.roots,
            self.annotator,
            self.entries,
            keymap_name=self.keymap_name,
            day=self.day,
            live=self.live,
        )

    def open_batch(self, folder: Path) -> None:
        """Open a batch chosen in the list; a batch that cannot be opened is said, not fatal."""
        if self.opener is None:
            return
        try:
            session, keymap = self.opener(folder)
        except Exception as exc:  # a LaunchError, said in the app; the list stays usable
            self.notify(str(exc), severity="error", timeout=15, markup=False)
            return
        self.session = session
        self.keymap = keymap
        self.push_screen(self._labeling_screen(session, keymap))
        self._started(session, keymap)

    def open_audit(self, folder: Path) -> None:
        """The review of my audit sample of `folder`, as `labeldesk audit FOLDER` opens it;
        quitting it comes back here. Why it cannot open is said, not fatal."""
        from tui.app_launch import AuditLaunchError, prepare_audit

        try:
            session, problems = prepare_audit(folder, self.annotator)
        except AuditLaunchError as exc:
            self.notify(str(exc), severity="error", timeout=15, markup=False)
            return
        from tui.screens.home_audit import HomeAuditReviewScreen

        self.audit_session = session
        self.set_keymap(session.keymap.textual_keymap())
        self.push_screen(HomeAuditReviewScreen(session))
        for problem in problems:
            self.notify(str(problem), severity="warning", timeout=10, markup=False)

    def close_audit(self) -> None:
        if self.audit_session is not None:
            self.audit_session.writer.close()
            self.finished_audits.append(self.audit_session)
            self.audit_session = None

    def close_session(self) -> None:
        """The batch quit back to the list (or the app's end): its results file is released."""
        if self.session is not None:
            self.session.store.close()
            self.session.batch.index.close()
            self.finished.append(self.session)
            self.session = None
        self.close_audit()


def audit_lines(sessions: list[Any]) -> list[str]:
    """What `labeldesk audit` says on exit, per review opened from home."""
    return [
        _(
            "labeldesk audit: {recorded} verdict(s) saved; {done} of {total} planned items audited ({path})"
        ).format(recorded=len(s.recorded), done=s.done, total=s.total, path=s.writer.path)
        for s in sessions
    ]
