"""The help overlay: every active key, from the effective keymap (so it never lies)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.core.keymap import Keymap
from tui.core.keymap_table import keymap_table
from tui.key_gate import PaintedGate


class HelpScreen(PaintedGate, ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; height: 90%; border: round $accent; padding: 0 1; background: $surface; }
    """
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "close", id="help.close")]

    def __init__(self, keymap: Keymap, label_count: int | None = None) -> None:
        super().__init__()
        self.keymap = keymap
        self.label_count = label_count

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys (Esc closes)"
            yield Static(keymap_table(self.keymap, self.label_count))

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
