"""The scrolling keys of the read-only overlays (keys, guidelines, session summary,
statistics, audits of your work): Textual bindings with ids, so the keymap's `[scroll]` table
remaps them in every overlay at once (App.set_keymap), as it does the overlays' close keys.

The focused scroll area keeps Textual's own arrow and page keys; these add j/k and Space and
whatever a keymap names."""

from __future__ import annotations

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget

SCROLL_BINDINGS: list[BindingType] = [
    Binding("down,j", "scroll('down')", "scroll down", id="scroll.down", show=False),
    Binding("up,k", "scroll('up')", "scroll up", id="scroll.up", show=False),
    Binding("pagedown,space", "scroll('page_down')", "page down", id="scroll.page_down"),
    Binding("pageup", "scroll('page_up')", "page up", id="scroll.page_up"),
    Binding("home", "scroll('home')", "top", id="scroll.home"),
    Binding("end", "scroll('end')", "bottom", id="scroll.end"),
]


class ScrollKeys(ModalScreen[None]):
    """An overlay whose one scroll area moves with the `scroll.*` bindings. A ModalScreen
    itself: Textual takes a screen's default styles along its first Textual base, so the
    overlays keep ModalScreen's see-through background over the work behind them."""

    BINDINGS = SCROLL_BINDINGS  # merged with each overlay's own (Textual walks the MRO)

    def scroll_area(self) -> Widget:
        return self.query_one(VerticalScroll)

    def action_scroll(self, where: str) -> None:
        area = self.scroll_area()
        moves = {
            "down": area.scroll_down,
            "up": area.scroll_up,
            "page_down": area.scroll_page_down,
            "page_up": area.scroll_page_up,
            "home": area.scroll_home,
            "end": area.scroll_end,
        }
        moves[where](animate=False)
