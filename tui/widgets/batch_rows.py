"""The home screen's list: a fixed number of lines per batch, drawn with the Line API.

Only the visible lines are rendered (DESIGN §7: a widget per row, or an OptionList measuring
every prompt, costs more than the whole first paint with 200 batches), and a row whose
figures changed is repainted alone (`redraw_row`). A row's lines are rich Text built by the
screen from sanitized file content (`make_row`), when the row is first drawn and again after
`redraw_row`, so rows never on screen cost nothing; lines too wide for the window end in an
ellipsis.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style
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

    def __init__(self, count: int, make_row: Callable[[int], list[Text]]) -> None:
        super().__init__()
        self.make_row = make_row
        self.rows: list[list[Text] | None] = [None] * count  # None: built when drawn
        self.cursor = 0
        self.virtual_size = Size(0, count * ROW_LINES)
        self.row_styles: tuple[Style, Style] | None = None  # (base, cursor) during a pass

    # -- content ---------------------------------------------------------------------------
    def set_rows(self, count: int, cursor: int = 0) -> None:
        self.rows = [None] * count
        self.cursor = max(0, min(cursor, count - 1))
        self.virtual_size = Size(0, count * ROW_LINES)
        self.refresh()
        self._show_cursor()

    def redraw_row(self, index: int) -> None:
        """The row's content changed: built again (by `make_row`) when it is next drawn."""
        if 0 <= index < len(self.rows):
            self.rows[index] = None
            self.refresh_lines(index * ROW_LINES, ROW_LINES)

    def row(self, index: int) -> list[Text]:
        lines = self.rows[index]
        if lines is None:
            lines = self.rows[index] = self.make_row(index)
        return lines

    # -- drawing ---------------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        # The lines of one pass share the widget's style and the cursor's: asked once a pass,
        # not per line (rich_style walks every ancestor's styles; a tenth of the first paint's
        # own work was that, 24 times over).
        self.row_styles = self._styles_now()
        try:
            return super().render_lines(crop)
        finally:
            self.row_styles = None

    def _styles_now(self) -> tuple[Style, Style]:
        base = self.rich_style
        return base, base + self.get_component_rich_style("batch-rows--cursor")

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base, cursor = self.row_styles or self._styles_now()
        index, line = divmod(y + self.scroll_offset.y, ROW_LINES)
        if not 0 <= index < len(self.rows) or width <= 0:
            return Strip.blank(width, base)
        lines = self.row(index)
        text = lines[line] if line < len(lines) else Text()
        if text.cell_len > width - 1:  # only a line too wide is copied to be cut
            text = text.copy()
            text.truncate(width - 1, overflow="ellipsis")
        style = cursor if index == self.cursor else base
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
