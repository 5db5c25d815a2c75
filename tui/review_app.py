"""The app around a review screen (`labeldesk audit BATCH`, `labeldesk adjudicate BATCH`):
one ReviewQueue session, the screen a factory makes for it, and the same key rules as
labeling (tui/key_gate.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from textual import events
from textual.screen import Screen

from tui.core.problems import Problem
from tui.core.review_queue import ReviewQueue
from tui.key_gate import KeyGateApp

SessionT = TypeVar("SessionT", bound=ReviewQueue[Any, Any, Any])


class ReviewApp(KeyGateApp, Generic[SessionT], inherit_bindings=False):
    """No inherited bindings: every key is the keymap's (ctrl+q included)."""

    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        session: SessionT,
        make_screen: Callable[[SessionT], Screen[Any]],
        problems: Sequence[Problem] = (),
    ) -> None:
        super().__init__()
        self.session = session
        self.make_screen = make_screen
        self.problems = list(problems)

    def on_key_activity(self, event: events.Key) -> None:
        # Every key the reviewer presses (dialogs and the comment included) is active time.
        self.session.clock.touch()

    def on_mount(self) -> None:
        # The overlays' keys come from the same keymap as the screen's.
        self.set_keymap(self.session.keymap.textual_keymap())
        self.push_screen(self.make_screen(self.session))
        for problem in self.problems:
            self.notify(str(problem), severity="warning", timeout=10, markup=False)
