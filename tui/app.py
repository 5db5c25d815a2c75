"""The Textual application: a thin shell around a LabelingSession (or a list of batches)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.screen import Screen

from tui.key_gate import KeyGateApp

if TYPE_CHECKING:  # imported when used: the home screen paints before any of them loads
    from tui.core.batch_discovery import BatchEntry
    from tui.core.keymap import Keymap
    from tui.core.session import LabelingSession
    from tui.screens.labeling import LabelingScreen


class LabelDeskApp(KeyGateApp, inherit_bindings=False):
    """No inherited bindings: every key is the keymap's (ctrl+q included)."""

    TITLE = "labeldesk"
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        session: LabelingSession | None = None,
        keymap: Keymap | None = None,
        *,
        batches: list[BatchEntry] | None = None,
        annotator: str = "",
        opener: Callable[[Path], tuple[LabelingSession, Keymap]] | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.keymap = keymap
        self.batches = batches
        self.annotator = annotator
        self.opener = opener
        self.finished: list[LabelingSession] = []  # closed sessions, for their summaries

    def on_key_activity(self, event: events.Key) -> None:
        # Every key counts as activity, on any screen (guidelines and help included).
        if self.session is not None:
            self.session.clock.touch()

    def get_default_screen(self) -> Screen[Any]:
        if self.batches is None and self.session is not None and self.keymap is not None:
            # A batch opened directly: its item screen is the first screen, so no empty
            # default screen is composed and laid out before it (start-up).
            return self._labeling_screen(self.session, self.keymap)
        return super().get_default_screen()

    def on_mount(self) -> None:
        if self.batches is not None:
            from tui.screens.batch_picker import BatchPickerScreen

            self.push_screen(BatchPickerScreen(self.batches, self.annotator))
        elif self.session is not None and self.keymap is not None:
            self._started(self.session, self.keymap)

    def _labeling_screen(self, session: LabelingSession, keymap: Keymap) -> LabelingScreen:
        from tui.core.user_config import load_user_config
        from tui.screens.labeling import LabelingScreen

        viewers = load_user_config()[0].viewers
        return LabelingScreen(session, keymap, self.from_list, viewers)

    def _start(self, session: LabelingSession, keymap: Keymap) -> None:
        self.session = session
        self.keymap = keymap
        self.push_screen(self._labeling_screen(session, keymap))
        self._started(session, keymap)

    def _started(self, session: LabelingSession, keymap: Keymap) -> None:
        # The overlays' keys (help, guidelines, flag, ...) come from the same keymap.
        self.set_keymap(keymap.textual_keymap())
        for problem in session.store.problems:
            self.notify(str(problem), severity="warning", timeout=10, markup=False)
        for problem in keymap.problems:
            self.notify(str(problem), severity="warning", timeout=10, markup=False)

    @property
    def from_list(self) -> bool:
        """A batch opened from a list (the picker, the home screen): quitting it goes back."""
        return self.batches is not None

    def open_batch(self, folder: Path) -> None:
        """Open a batch chosen in the list; a batch that cannot be opened is said, not fatal."""
        if self.opener is None:
            return
        try:
            session, keymap = self.opener(folder)
        except Exception as exc:  # a LaunchError, said in the app; the list stays usable
            self.notify(str(exc), severity="error", timeout=15, markup=False)
            return
        self._start(session, keymap)

    def close_session(self) -> None:
        if self.session is not None:
            self.session.store.close()
            self.session.batch.index.close()
            self.finished.append(self.session)
            self.session = None
