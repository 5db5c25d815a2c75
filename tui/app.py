"""The Textual application: a thin shell around a LabelingSession."""

from __future__ import annotations

from textual.app import App

from tui.core.keymap import Keymap
from tui.core.session import LabelingSession
from tui.screens.labeling import LabelingScreen


class LabelDeskApp(App[None], inherit_bindings=False):
    """No inherited bindings: every key is the keymap's (ctrl+q included)."""

    TITLE = "labeldesk"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, session: LabelingSession, keymap: Keymap) -> None:
        super().__init__()
        self.session = session
        self.keymap = keymap

    def on_mount(self) -> None:
        self.push_screen(LabelingScreen(self.session, self.keymap))
        for problem in self.session.store.problems:
            self.notify(str(problem), severity="warning", timeout=10)
        for problem in self.keymap.problems:
            self.notify(str(problem), severity="warning", timeout=10)
