"""The batch's guidelines, one key away, scrollable from the keyboard."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from tui.core.safe_text import visible
from tui.key_gate import PaintedGate


class GuidelinesScreen(PaintedGate, ModalScreen[None]):
    DEFAULT_CSS = """
    GuidelinesScreen { align: center middle; }
    GuidelinesScreen > VerticalScroll { width: 95%; height: 95%; border: round $accent; padding: 0 1; background: $surface; }
    """
    BINDINGS = [Binding("escape,q,ctrl+g,f2", "dismiss", "close", id="guidelines.close")]

    def __init__(self, title: str, markdown: str) -> None:
        super().__init__()
        self.title_text = title
        self.markdown = visible(markdown)

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = f"{self.title_text} (Esc closes, ↑↓ PgUp PgDn scroll)"
            yield Markdown(self.markdown)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss_once(result)
