"""Flag an item: a reason on one key, then an optional note, Enter to save."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.core.records import FLAG_REASONS, Flag
from tui.key_gate import PaintedGate

_EXPLAIN = {
    "ambiguous": "the item can be read more than one way",
    "guidelines": "the guidelines do not cover this case",
    "tooling": "the tool shows or does something wrong",
    "sensitive": "the content needs special handling",
    "other": "anything else (say what in the note)",
}


class FlagScreen(PaintedGate, ModalScreen[Flag | None]):
    DEFAULT_CSS = """
    FlagScreen { align: center middle; }
    FlagScreen > Vertical { width: 70; height: auto; border: round $warning; padding: 0 1; background: $surface; }
    FlagScreen Input { margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "cancel", id="flag.cancel")]

    def __init__(self) -> None:
        super().__init__()
        self.reason: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Flag this item (Esc cancels)"
            yield Static(self._reasons(), id="reasons")
            yield Input(placeholder="optional note, Enter saves the flag", id="note", disabled=True)

    def _reasons(self) -> str:
        lines = ["Why? Press a number:"]
        for n, reason in enumerate(FLAG_REASONS, start=1):
            mark = "▶" if reason == self.reason else " "
            lines.append(f"{mark} {n}  {reason:<11} {_EXPLAIN[reason]}")
        return "\n".join(lines)

    def on_key(self, event: object) -> None:
        from textual.events import Key

        assert isinstance(event, Key)
        if self.reason is None and event.character and event.character.isdigit():
            n = int(event.character)
            if 1 <= n <= len(FLAG_REASONS):
                event.stop()
                self.reason = FLAG_REASONS[n - 1]
                self.query_one("#reasons", Static).update(self._reasons())
                note = self.query_one("#note", Input)
                note.disabled = False
                note.focus()

    @on(Input.Submitted, "#note")
    def _save(self, event: Input.Submitted) -> None:
        if self.reason is not None:
            self.dismiss(Flag.model_validate({"reason": self.reason, "note": event.value.strip()}))

    def action_cancel(self) -> None:
        self.dismiss(None)
