"""The status line of an item screen: as many lines as its message needs, up to a few.

A refusal or a notice says what to do, and the screen may add where the keys go now
(" · keys type into the note"); at 80 columns such a message can be longer than one line,
and a one-line widget would cut off its end, which is usually the remedy. The status line
grows to show the whole message (the item gives up those rows) and shrinks back with the
next short one.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual import events

from tui.widgets.line import Line

# A message longer than this many lines is cut (none of labeldesk's is).
MOST_LINES = 3


class StatusLine(Line):
    """A Line whose height follows its message (1 to MOST_LINES lines)."""

    def set(self, content: RenderableType) -> None:
        if not self.is_mounted:
            self._fit(content)
        super().set(content)

    def _apply(self) -> None:
        # Fitted when the new message is applied (after the item's frame): wrapping it is
        # no part of the work between a key and the next item on screen.
        if self._pending is not None:
            self._fit(self._pending)
        super()._apply()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(self.content)

    def _fit(self, content: RenderableType) -> None:
        lines = self.lines_for(content)
        if self.styles.height is None or self.styles.height.value != lines:
            self.styles.height = lines

    def lines_for(self, content: RenderableType) -> int:
        """How many lines `content` takes at this widget's width (1 to MOST_LINES)."""
        width = self.size.width
        if not width:
            try:  # not laid out yet: the screen's width less the line's margins
                width = self.screen.size.width - self.styles.margin.width
            except Exception:  # no screen yet: one line until laid out
                return 1
        if width <= 0:
            return 1
        text = content if isinstance(content, Text) else Text(str(content))
        if text.cell_len <= width:
            return 1
        wrapped = text.wrap(self.app.console, width)
        return max(1, min(MOST_LINES, len(wrapped)))
