"""The batch's guidelines, one key away, scrollable from the keyboard.

The Markdown is rendered once per batch and width (rich's Markdown, to lines), in a worker
thread soon after the batch opens (`warm_guidelines`), and cached: opening the overlay then
only shows lines already made. One widget draws the visible lines (Textual's Markdown widget
mounts a widget per block, which took seconds on a loaded machine), and the Markdown parser
is not imported before the first screen.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import ModalScreen, Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from tui.core.i18n import _
from tui.core.safe_files import read_regular
from tui.core.safe_text import visible
from tui.key_gate import PaintedGate
from tui.screens.scroll_keys import ScrollKeys

# The overlay's frame: the view is the screen less these columns (see DEFAULT_CSS below):
# border 1 + padding 1 on each side, and the vertical scrollbar's gutter (2).
_FRAME_COLUMNS = 2 * (1 + 1) + 2

_cache: dict[tuple[str, int], list[Strip]] = {}
_cache_lock = threading.Lock()


def text_width(screen_width: int) -> int:
    """The width the guidelines are rendered at, on a screen this wide."""
    return max(20, screen_width - _FRAME_COLUMNS)


def render_guidelines(markdown: str, width: int) -> list[Strip]:
    """The guidelines as lines of `width` cells (cached per text and width; thread-safe)."""
    key = (hashlib.sha256(markdown.encode("utf-8", "surrogatepass")).hexdigest(), width)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    import io

    from rich.console import Console
    from rich.markdown import Markdown

    console = Console(
        width=width,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
        emoji=False,
        highlight=False,
    )
    document = Markdown(visible(markdown), hyperlinks=False)
    lines = console.render_lines(document, console.options.update_width(width), pad=False)
    strips = [Strip(line).discard_meta() for line in lines]
    with _cache_lock:
        if len(_cache) > 16:
            _cache.clear()
        _cache[key] = strips
    return strips


def read_guidelines(path: Path) -> str:
    """guidelines.md as text; a named pipe or device in its place raises OSError at once
    (read on the UI thread: it must never wait)."""
    return read_regular(path).decode("utf-8", errors="replace")


def warm_guidelines(screen: Screen[Any], path: Path | None) -> None:
    """Render the guidelines in a worker thread at the screen's width, for Ctrl+g later."""
    if path is None:
        return
    width = text_width(screen.app.size.width)

    def render() -> None:
        with contextlib.suppress(OSError, ValueError):  # said when Ctrl+g opens them
            render_guidelines(read_guidelines(path), width)

    screen.run_worker(render, thread=True, group="guidelines", exit_on_error=False)


class GuidelinesView(ScrollView, can_focus=True):
    """The rendered guidelines: only the visible lines are drawn."""

    DEFAULT_CSS = """
    GuidelinesView {
        border: round $accent; padding: 0 1; background: $surface;
        scrollbar-gutter: stable;
    }
    """

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown
        self._lines: list[Strip] = []
        self._width = 0

    def on_mount(self) -> None:
        # Lines for the width the layout will give (cached): the first frame shows the text.
        self._render_at(text_width(self.app.size.width))

    def on_resize(self) -> None:
        self._render_at(self.scrollable_content_region.width)

    def _render_at(self, width: int) -> None:
        if width != self._width and width > 0:
            self._width = width
            self._lines = render_guidelines(self.markdown, width)
            self.virtual_size = Size(width, len(self._lines))
            self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        index = y + scroll_y
        style = self.rich_style
        if 0 <= index < len(self._lines):
            line = self._lines[index].crop(scroll_x, scroll_x + width)
            return line.apply_style(style).extend_cell_length(width, style)
        return Strip.blank(width, style)


class GuidelinesScreen(PaintedGate, ScrollKeys, ModalScreen[None]):
    DEFAULT_CSS = """
    GuidelinesScreen { align: center middle; background: $surface; }
    """
    BINDINGS = [Binding("escape,q,ctrl+g,f2", "dismiss", "close", id="guidelines.close")]

    def __init__(self, title: str, markdown: str, close_keys: str = "Esc") -> None:
        super().__init__()
        self.title_text = title
        self.markdown = markdown
        self.close_keys = close_keys  # as the keymap has them (guidelines.close)

    def compose(self) -> ComposeResult:
        view = GuidelinesView(self.markdown)
        view.border_title = _("{title_text} ({close} closes, ↑↓ PgUp PgDn scroll)").format(
            title_text=visible(self.title_text), close=self.close_keys
        )
        yield view

    def on_mount(self) -> None:
        self.query_one(GuidelinesView).focus()

    def scroll_area(self) -> Widget:
        return self.query_one(GuidelinesView)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss_once(result)
