"""The help overlay: every key active on the screen it was opened from, with what it does.

The rows come from that screen's active Textual bindings (built from the effective keymap),
so the help never lists a key that does nothing there, nor misses one that acts.
"""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.core.i18n import _
from tui.core.keymap import Keymap, key_display
from tui.key_gate import PaintedGate
from tui.keymap_bindings import active_keys
from tui.screens.scroll_keys import ScrollKeys

HelpRow = tuple[str, str, str]  # keys, what it does, binding id


def help_rows(node: DOMNode, keymap: Keymap, label_count: int | None = None) -> list[HelpRow]:
    """The keys active on node's screen now, in keymap order; label keys beyond
    `label_count` (labels this item does not have) are left out."""
    active = active_keys(node, keymap)
    rows: list[HelpRow] = []
    for binding_id in keymap.bindings:
        keys = active.get(binding_id)
        if not keys:
            continue
        is_label = binding_id.startswith("label.")
        if is_label and label_count is not None and int(binding_id[6:]) > label_count:
            continue
        shown = ", ".join(key_display(k) for k in keys)
        rows.append((shown, keymap.describe(binding_id), binding_id))
    return rows


class HelpScreen(PaintedGate, ScrollKeys, ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; height: 90%; border: round $accent; padding: 0 1; background: $surface; }
    """
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "close", id="help.close")]

    def __init__(self, rows: list[HelpRow], keymap: Keymap) -> None:
        super().__init__()
        self.rows = rows
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", expand=True)
        table.add_column(_("keys"), no_wrap=True)
        table.add_column(_("does"))
        table.add_column(_("binding id"), style="dim", no_wrap=True)
        for row in self.rows:
            table.add_row(*row)
        close = self.keymap.display("help.close", limit=2) or "Esc"
        with VerticalScroll() as scroll:
            scroll.border_title = _("Keys ({close} closes)").format(close=close)
            yield Static(table)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss_once(result)
