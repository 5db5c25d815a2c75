"""The adjudication app (`labeldesk adjudicate BATCH`): the adjudication screen around an
AdjudicationSession, with the same key rules as labeling and audit (tui/key_gate.py)."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events

from tui.core.merge.adjudication_session import AdjudicationSession
from tui.core.problems import Problem
from tui.key_gate import KeyGateApp
from tui.screens.adjudicate import AdjudicationScreen


class AdjudicateApp(KeyGateApp, inherit_bindings=False):
    """No inherited bindings: every key is the keymap's (ctrl+q included)."""

    TITLE = "labeldesk adjudicate"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, session: AdjudicationSession, problems: Sequence[Problem] = ()) -> None:
        super().__init__()
        self.session = session
        self.problems = list(problems)

    def on_key_activity(self, event: events.Key) -> None:
        # Every key the adjudicator presses is active time.
        self.session.clock.touch()

    def on_mount(self) -> None:
        # The overlays' keys come from the same keymap as the screen's.
        self.set_keymap(self.session.keymap.textual_keymap())
        self.push_screen(AdjudicationScreen(self.session))
        for problem in self.problems:
            self.notify(str(problem), severity="warning", timeout=10, markup=False)
