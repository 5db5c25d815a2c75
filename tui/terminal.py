"""Terminals as they are: ASCII-only output when the terminal is not UTF-8, and the colours
that stay readable in 256 and 16 colours and under NO_COLOR.

How Textual picks the colour system: App.__init__ builds its Console with
TEXTUAL_COLOR_SYSTEM (default "auto"), and Rich reads COLORTERM (truecolor/24bit: truecolor),
else the end of TERM (xterm-256color: 256 colours, anything else: 16). NO_COLOR (any value)
adds Textual's Monochrome filter: every colour becomes its grey. So truecolor only when
COLORTERM says so, and ssh does not forward it: most remote sessions get 256 colours, where
theme tints such as $panel collapse into the background (colour 17 on 233). Frames therefore use FRAME, a grey that keeps at least 3:1
against the background in truecolor, 256 and 16 colours and in Textual's NO_COLOR
(monochrome) rendering; tests/test_terminals.py measures it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.segment import Segment
from textual.app import App
from textual.color import Color
from textual.driver import Driver
from textual.filter import LineFilter

from tui import collector
from tui.core.safe_text import has_controls, visible_aligned
from tui.core.symbols import TABLE, ascii_mode

# Frames and rules: a mid grey, readable on the dark background in every colour system.
FRAME = "#8a8a8a"

# Below this size (columns, lines) item screens are compact: no title or KPI line, no frame,
# one line of keys; views drop their own margins (CompareView, for one).
COMPACT_BELOW = (60, 18)
# Below this size nothing can be judged: a message says what size is needed.
TOO_SMALL_BELOW = (40, 10)


def is_compact(width: int, height: int) -> bool:
    return width < COMPACT_BELOW[0] or height < COMPACT_BELOW[1]


class AsciiFilter(LineFilter):
    """Every painted line in ASCII: box drawing, blocks and the app's symbols get their
    one-cell twins (tui/core/symbols.py), so widths and layout stay the same."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        table = TABLE
        return [
            Segment(text.translate(table), style, control)
            if not text.isascii()
            else Segment(text, style, control)
            for text, style, control in segments
        ]


class VisibleFilter(LineFilter):
    """The last line of defence of the one sanitizer (issue 11): every painted line, whatever
    widget made it, with control characters and bidi overrides made visible
    (tui.core.safe_text.visible_aligned). Widgets show files' text through safe_text
    already; this catches one that forgot, so no escape sequence from a file can reach the
    terminal. The line keeps its width (a control character takes no cell, its visible
    stand-in takes one: the end of the line gives way)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        # One search over the joined text: a clean line (nearly all) costs a join and a scan.
        if not has_controls("".join([text for text, _, control in segments if not control])):
            return segments
        width = Segment.get_line_length(segments)
        shown = [
            Segment(visible_aligned(text), style, control)
            if not control and has_controls(text)
            else Segment(text, style, control)
            for text, style, control in segments
        ]
        return list(Segment.adjust_line_length(shown, width))


class TerminalApp(App[None]):
    """Base of labeldesk's apps: adds the ASCII filter when the terminal is not UTF-8, and
    under NO_COLOR draws frames in the default foreground (the class -no-color)."""

    CSS = """
    App.-no-color ItemScreen > #body { border: round $foreground; }
    App.-no-color CompareView .pane { border: round $foreground; }
    App.-no-color ItemScreen > #keys { background: $background; }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ascii_only = ascii_mode()
        self._ascii_filter = AsciiFilter(enabled=self.ascii_only)
        self._visible_filter = VisibleFilter()
        if self.no_color:
            self.add_class("-no-color")

    def get_driver_class(self) -> type[Driver]:
        from tui.prompt_driver import prompt_driver_class

        return prompt_driver_class(super().get_driver_class())

    def post_display_hook(self) -> None:
        # Each frame reaches the terminal before the app goes on (tui/prompt_driver.py).
        from tui.prompt_driver import wait_frame_written

        wait_frame_written(self._driver)
        # The first frame is out: the collector held off by the command line comes back on.
        collector.release(freeze=True)

    def get_line_filters(self) -> Sequence[LineFilter]:
        filters = [self._visible_filter, *super().get_line_filters()]
        if self._ascii_filter.enabled:
            filters.append(self._ascii_filter)
        return filters
