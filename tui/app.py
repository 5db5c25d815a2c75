"""The Textual application: a thin shell around a LabelingSession (tui/home_app.py adds the
home screen's list of batches)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.binding import Binding
from textual.screen import Screen

from tui.key_gate import KeyGateApp

if TYPE_CHECKING:  # imported when used: the home screen paints before any of them loads
    from tui.core.keymap import Keymap
    from tui.core.session import LabelingSession
    from tui.screens.labeling import LabelingScreen


class LabelDeskApp(KeyGateApp, inherit_bindings=False):
    """No inherited bindings: every key is the keymap's (ctrl+q included)."""

    TITLE = "labeldesk"
    ENABLE_COMMAND_PALETTE = False
    # An overlay (help, guidelines, statistics, answers' list, ...) has no quit or interrupt
    # of its own: these say how to quit instead of doing nothing. An item screen's own
    # bindings (the keymap's) come first.
    # Priority, because Textual looks no further than a modal screen's own bindings; the
    # action steps aside (SkipAction) wherever the screen binds the key itself.
    BINDINGS = [
        Binding(
            "ctrl+c",
            "overlay_quit_hint('app.interrupt')",
            show=False,
            priority=True,
            id="app.interrupt",
        ),
        Binding(
            "ctrl+q", "overlay_quit_hint('app.quit')", show=False, priority=True, id="app.quit"
        ),
    ]

    def __init__(
        self,
        session: LabelingSession | None = None,
        keymap: Keymap | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.keymap = keymap

    def on_key_activity(self, event: events.Key) -> None:
        # Every key counts as activity, on any screen (guidelines and help included).
        if self.session is not None:
            self.session.clock.touch()

    def get_default_screen(self) -> Screen[Any]:
        if self.session is not None and self.keymap is not None:
            # A batch opened directly: its item screen is the first screen, so no empty
            # default screen is composed and laid out before it (start-up).
            return self._labeling_screen(self.session, self.keymap)
        return super().get_default_screen()

    def on_mount(self) -> None:
        if self.session is not None and self.keymap is not None:
            self._started(self.session, self.keymap)

    def action_overlay_quit_hint(self, binding_id: str) -> None:
        from textual.actions import SkipAction

        from tui.core.i18n import _

        keys = self.keymap.keys_for(binding_id) if self.keymap is not None else []
        if not self.screen.is_modal or any(self._bound_on_screen(key) for key in keys):
            raise SkipAction()  # an item screen, the flag dialog, the home screen: their own
        selected: object = getattr(self.focused, "selected_text", None)
        if binding_id == "app.interrupt" and selected:
            raise SkipAction()  # a field with a selection: Ctrl+c copies it
        quit_key = self.keymap.display("app.quit", 1) if self.keymap is not None else "Ctrl+q"
        self.notify(
            _(
                "this window is open over your work: {close} closes it, then {quit_key} quits (every answer is already saved)"
            ).format(close=self._close_keys_of_screen(), quit_key=quit_key),
            timeout=6,
            markup=False,
        )

    def _close_keys_of_screen(self) -> str:
        """The keys that close the overlay on top, as its bindings have them (the keymap's
        `*.close` / `*.cancel` / `*.continue`), the first two in the keymap's order."""
        from tui.core.keymap import key_display

        keys = [
            key
            for key, active in self.screen.active_bindings.items()
            if (active.binding.id or "").endswith((".close", ".cancel", ".continue"))
        ]
        return "/".join(key_display(key) for key in keys[:2]) or "Esc"

    def _bound_on_screen(self, key: str) -> bool:
        """Whether the screen on top binds `key` to one of labeldesk's bindings (they have
        ids; Textual's own, such as copying a selection, do not)."""
        for node, bindings in self.screen._modal_binding_chain:
            if node is not self and any(b.id for b in bindings.key_to_bindings.get(key, ())):
                return True
        return False

    def _labeling_screen(self, session: LabelingSession, keymap: Keymap) -> LabelingScreen:
        from tui.core.user_config import load_user_config
        from tui.screens.labeling import LabelingScreen

        viewers = load_user_config()[0].viewers
        return LabelingScreen(session, keymap, self.from_list, viewers)

    def _started(self, session: LabelingSession, keymap: Keymap) -> None:
        # The overlays' keys (help, guidelines, flag, ...) come from the same keymap.
        overlay_keys = {
            binding_id: ",".join(keymap.keys_for(binding_id))
            for binding_id in ("app.interrupt", "app.quit")
            if keymap.keys_for(binding_id)
        }
        self.set_keymap({**keymap.textual_keymap(), **overlay_keys})
        for problem in session.store.problems:
            self.notify(str(problem), severity="warning", timeout=10, markup=False)
        for problem in keymap.problems:
            self.notify(str(problem), severity="warning", timeout=10, markup=False)

    @property
    def from_list(self) -> bool:
        """A batch opened from a list (the home screen, tui/home_app.py): quitting it goes back
        to the list. A batch opened directly quits the app."""
        return False
