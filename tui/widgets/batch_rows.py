"""The home screen's list: a fixed number of lines per batch, drawn with the Line API.

Only the visible lines are rendered (DESIGN §7: a widget per row, or an OptionList measuring
every prompt, costs more than the whole first paint with 200 batches), and a row whose
figures changed is repainted alone (`set_row`). The rows hold rich Text built by the screen
from sanitized file content; lines too wide for the window end in an ellipsis.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

ROW_LINES = 2


class BatchRows(ScrollView, can_focus=True, inherit_bindings=False):
    """Rows of ROW_LINES lines each; a cursor row. No bindings of its own (not even
    ScrollView's animated scroll keys): every key is the screen's, from the keymap."""

    COMPONENT_CLASSES = {"batch-rows--cursor"}
    DEFAULT_CSS = """
    BatchRows { height: 1fr; scrollbar-gutter: stable; }
    BatchRows > .batch-rows--cursor { background: $block-cursor-background; }
    BatchRows:focus > .batch-rows--cursor { background: $block-cursor-background; text-style: bold; }
    """

    class Moved(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, rows: list[list[Text]]) -> None:
        super().__init__()
        self.rows = rows
        self.cursor = 0
        self.virtual_size = Size(0, len(rows) * ROW_LINES)

    # -- content ---------------------------------------------------------------------------
    def set_rows(self, rows: list[list[Text]], cursor: int = 0) -> None:
        self.rows = rows
        self.cursor = max(0, min(cursor, len(rows) - 1))
        self.virtual_size = Size(0, len(rows) * ROW_LINES)
        self.refresh()
        self._show_cursor()

    def set_row(self, index: int, lines: list[Text]) -> None:
        if 0 <= index < len(self.rows):
            self.rows[index] = lines
            self.refresh_lines(index * ROW_LINES, ROW_LINES)

    # -- drawing ---------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        index, line = divmod(y + self.scroll_offset.y, ROW_LINES)
        if not 0 <= index < len(self.rows) or width <= 0:
            return Strip.blank(width, base)
        lines = self.rows[index]
        text = lines[line].copy() if line < len(lines) else Text()
        text.truncate(width - 1, overflow="ellipsis")
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style("batch-rows--cursor")
        segments = [Segment(" ", style)]
        segments += [
            Segment(s.text, style + s.style if s.style else style)
            for s in text.render(self.app.console)
            if s.text != "\n"
        ]
        return Strip(segments).extend_cell_length(width, style).crop(0, width)

    # -- cursor ----------------------------------------------------------------------------
    def move_to(self, index: int) -> None:
        if not self.rows:
            return
        old, self.cursor = self.cursor, max(0, min(index, len(self.rows) - 1))
        if old != self.cursor:
            self.refresh_lines(old * ROW_LINES, ROW_LINES)
            self.refresh_lines(self.cursor * ROW_LINES, ROW_LINES)
            self.post_message(self.Moved(self.cursor))
        self._show_cursor()

    def _show_cursor(self) -> None:
        if self.rows:
            region = Region(0, self.cursor * ROW_LINES, 1, ROW_LINES)
            self.scroll_to_region(region, animate=False, immediate=True)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height // ROW_LINES)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_page_up(self) -> None:
        self.move_to(self.cursor - self._page())

    def action_page_down(self) -> None:
        self.move_to(self.cursor + self._page())

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.rows) - 1)

    def on_resize(self) -> None:
        self._show_cursor()
