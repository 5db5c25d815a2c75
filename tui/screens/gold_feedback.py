"""Gold training: after answering a gold item, the expected answer and what differs, before
the next item. One key goes on (Enter or Space); the next item then shows."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.core.gold_feedback import GoldFeedback
from tui.core.i18n import _
from tui.core.keymap import Keymap
from tui.key_gate import PaintedGate
from tui.widgets.task_text import literal_text


class GoldFeedbackScreen(PaintedGate, ModalScreen[None]):
    DEFAULT_CSS = """
    GoldFeedbackScreen { align: center middle; }
    GoldFeedbackScreen > Vertical { width: 76; max-width: 100%; height: auto; max-height: 90%; border: round $success; padding: 0 1; background: $surface; }
    GoldFeedbackScreen > Vertical.wrong { border: round $error; }
    """
    BINDINGS = [Binding("enter,space", "go_on", "go on", id="gold.continue", priority=True)]

    def __init__(self, feedback: GoldFeedback, keymap: Keymap, score: str) -> None:
        super().__init__()
        self.feedback = feedback
        self.keymap = keymap
        self.score = score

    def compose(self) -> ComposeResult:
        fb = self.feedback
        go_on = self.keymap.display("gold.continue", limit=2) or "Enter"
        with Vertical(classes="" if fb.correct else "wrong") as box:
            box.border_title = _("Gold item: ") + (
                _("✓ right") if fb.correct else _("✗ not as expected")
            )
            box.border_subtitle = _("{go_on}: next item").format(go_on=go_on)
            yield Static(self._body())

    def _body(self) -> Text:
        fb = self.feedback
        out = Text()
        width = max(len(_("yours")), len(_("expected"))) + 2
        out.append(_("item") + " ", style="dim")
        out.append_text(literal_text(fb.task_id, style="bold"))
        out.append("\n" + _("yours").ljust(width), style="bold")
        out.append_text(literal_text(fb.yours))
        out.append("\n" + _("expected").ljust(width), style="bold")
        out.append_text(literal_text(fb.expected, style="bold green"))
        for line in fb.differences:
            out.append("\n" + " " * width)
            out.append_text(literal_text(line, style="yellow"))
        if self.score:
            out.append(_("\n\n{score} this session").format(score=self.score), style="dim")
        return out

    def action_go_on(self) -> None:
        self.dismiss_once(None)
