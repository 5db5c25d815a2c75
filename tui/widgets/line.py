"""Text widgets that repaint only the cells that changed.

Static.update() refreshes layout (its size may change), which reflows the whole screen on
every key, and even a plain refresh() sends every cell of the widget to the terminal, padded
to its full width. Over SSH those bytes are the cost of a key. `DiffText.set()` renders the
new content, compares it cell by cell with what is on screen, and asks Textual to repaint only
the changed span of each changed line (a layout only when the number of lines changes).
`Line` is a one-line (or fixed-height) DiffText as wide as its container.

`DiffText.prepare()` does that work ahead, in idle time: the screen prepares the item it
expects next while the annotator reads, and set() with the same content then only swaps in
what was prepared (rendering and comparing a text is the bigger part of a key's own work).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, get_character_cell_size
from rich.console import RenderableType
from rich.style import Style
from rich.text import Text
from textual.dom import NoScreen
from textual.errors import NoWidget
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widget import Widget

_Cell = tuple[str, Style | None]


def _same_text(a: Text, b: RenderableType) -> bool:
    return isinstance(b, Text) and a.plain == b.plain and a.spans == b.spans and a.style == b.style


@dataclass(frozen=True)
class _Prepared:
    """set(content) worked out against `old` (what was on screen): the render of
    `content_lines` lines, padded to `lines` when the widget is as tall as its content, and
    the regions that differ (None: the height changes, a layout is needed)."""

    content: RenderableType
    key: tuple[object, ...]
    old: list[Strip]
    content_lines: int
    lines: int | None
    strips: list[Strip]
    regions: list[Region] | None


def _cells(strip: Strip) -> list[_Cell]:
    text = strip.text
    if cell_len(text) == len(text):  # one cell per character: built at C speed
        styles: list[Style | None] = []
        for segment in strip:
            styles += [segment.style] * len(segment.text)
        return list(zip(text, styles, strict=True))
    cells: list[_Cell] = []
    for segment in strip:
        for ch in segment.text:
            cells.append((ch, segment.style))
            cells.extend(("", segment.style) for _ in range(get_character_cell_size(ch) - 1))
    return cells


def changed_regions(old: Sequence[Strip], new: Sequence[Strip]) -> list[Region]:
    """Per line, the span of cells that differ between two renders of the same height."""
    regions: list[Region] = []
    for y, (before, after) in enumerate(zip(old, new, strict=True)):
        if before == after:
            continue
        a, b = _cells(before), _cells(after)
        end = max(len(a), len(b))
        first = 0
        common = min(len(a), len(b))
        while first < common and a[first] == b[first]:
            first += 1
        last = end
        if len(a) == len(b):
            while last > first and a[last - 1] == b[last - 1]:
                last -= 1
        if last > first:
            regions.append(Region(first, y, last - first, 1))
    return regions


class DiffText(Widget):
    """Shows one renderable; set() repaints only what changed."""

    DEFAULT_CSS = """
    DiffText { height: auto; }
    """

    def __init__(
        self,
        content: RenderableType = "",
        *,
        keep_height: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._content: RenderableType = content
        # keep_height: a shorter text keeps the height already laid out (blank lines below)
        # while that fits on screen, so the next item needs no layout pass (for a widget
        # that nothing follows, such as the item text at the end of a view).
        self._keep_height = keep_height
        self._min_lines = 0
        # What is on screen: the strips of the last render and what they depend on.
        self._shown: list[Strip] | None = None
        self._shown_key: tuple[object, ...] | None = None
        # prepare(): the content, the render and what set() would then repaint.
        self._prepared: _Prepared | None = None

    @property
    def content(self) -> RenderableType:
        return self._content

    def render(self) -> RenderableType:
        content = self._content
        return Text(content) if isinstance(content, str) else content

    def _fixed_height(self) -> int | None:
        """The height to render into, or None when the widget is as tall as its content."""
        return None

    def _strips(
        self, content: RenderableType, lines: int | None = None
    ) -> tuple[tuple[object, ...], list[Strip]]:
        """The render of `content` at this width, as Textual draws it, `lines` lines tall."""
        width = self.size.width
        height = self._fixed_height()
        style = self.visual_style
        visual: Visual = visualize(self, Text(content) if isinstance(content, str) else content)
        strips = Visual.to_strips(self, visual, width, height, style)
        if lines is not None:
            strips = strips[:lines] + [Strip([])] * (lines - len(strips))
        return (width, height, style, self.text_selection), strips

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(super().get_content_height(container, viewport, width), self._min_lines)

    def _room(self) -> int:
        """Lines from this widget's top to the bottom of its scrolling container's view."""
        bottom = 0
        node = self.parent
        try:
            top = self.content_region.y
            while isinstance(node, Widget):
                if node.styles.overflow_y in ("auto", "scroll"):
                    view = node.scrollable_content_region
                    top += round(node.scroll_y)  # where this widget is when scrolled home
                    return max(0, view.bottom - top - bottom - self.styles.gutter.bottom)
                bottom += node.styles.gutter.bottom + node.styles.margin.bottom
                node = node.parent
        except (NoScreen, NoWidget):
            pass
        return 0

    def _lines_for(self, content_lines: int, shown: int) -> int:
        """The height to lay out for content of `content_lines` lines (shown: current)."""
        if not self._keep_height or content_lines >= shown:
            return content_lines
        room = self._room() - self.styles.margin.bottom
        return shown if shown <= room else max(content_lines, room)

    def _update(self, content: RenderableType) -> _Prepared | None:
        """What set(content) would do, from what is on screen now; None when that is not
        known (not painted yet): a full refresh."""
        if not self.is_mounted or not self.size.width or self._shown is None:
            return None
        key, strips = self._strips(content)
        old = self._shown
        if key != self._shown_key:
            # Something else changed too (size, style): what is on screen is not known.
            return _Prepared(content, key, old, len(strips), None, strips, None)
        count, lines = len(strips), None
        if self._fixed_height() is None:
            lines = self._lines_for(count, len(old))
            strips = strips + [Strip([])] * (lines - count)
        regions = changed_regions(old, strips) if len(old) == len(strips) else None
        return _Prepared(content, key, old, count, lines, strips, regions)

    def prepare(self, content: RenderableType) -> None:
        """Work out set(content) ahead (in idle time); set() with equal content then uses
        it, as long as nothing on screen or around it has changed since."""
        self._prepared = None
        if isinstance(content, Text) and not _same_text(content, self._content):
            self._prepared = self._update(content)

    def _take_prepared(self, content: RenderableType) -> _Prepared | None:
        """What prepare() worked out for this content, if it still holds."""
        prepared, self._prepared = self._prepared, None
        if (
            prepared is None
            or not isinstance(content, Text)
            or not _same_text(content, prepared.content)
            or prepared.old is not self._shown
            or prepared.key != self._shown_key
            or prepared.key != self._render_key()
        ):
            return None
        if prepared.lines is not None and prepared.lines != self._lines_for(
            prepared.content_lines, len(prepared.old)
        ):
            return None  # the room below changed (a resize in height)
        return prepared

    def _render_key(self) -> tuple[object, ...]:
        return (self.size.width, self._fixed_height(), self.visual_style, self.text_selection)

    def set(self, content: RenderableType) -> None:
        old_content = self._content
        if (
            isinstance(content, Text)
            and isinstance(old_content, Text)
            and _same_text(content, old_content)
        ):
            self._content = content
            self._prepared = None
            return  # the same text, the same styles: nothing to send
        self._content = content
        update = self._take_prepared(content) or self._update(content)
        if update is None or update.key != self._shown_key:
            if update is None:
                self._shown = None
            else:  # a new size or style: this render is what is on screen now
                self._shown, self._shown_key = update.strips, update.key
            self._min_lines = 0
            self.refresh(layout=self._fixed_height() is None)
            self._to_screen_now()
            return
        if update.lines is not None:
            self._min_lines = update.lines if self._keep_height else 0
        self._shown = update.strips
        if update.regions is None:
            self.refresh(layout=True)
            self._to_screen_now()
            return
        if update.regions:  # none: the same cells, nothing to send (Textual's cache shows them)
            self.refresh(*update.regions)
            self._to_screen_now()

    def _to_screen_now(self) -> None:
        """Hand the repaint to the screen now rather than on this widget's next idle turn.
        Otherwise the screen can go idle first: it then runs its after-refresh callbacks
        (the 'item painted' signal of tui/key_gate.py among them) before the frame that
        shows the change, and that frame waits behind them."""
        check = getattr(self, "_check_refresh", None)  # Textual's own idle step
        if check is not None:
            check()

    def render_line(self, y: int) -> Strip:
        # Served from the render set() compared, so the content is rendered once per change.
        key = self._render_key()
        if self._shown is None or self._shown_key != key:
            # First paint, or a new size or style: this render is what is on screen now.
            self._shown_key, self._shown = self._strips(self._content, self.size.height)
        self._dirty_regions.clear()  # Textual's own render cache is not used
        shown = self._shown
        return shown[y] if 0 <= y < len(shown) else Strip([])


class Line(DiffText):
    """A line (or a fixed number of lines, from CSS height) as wide as its container.

    Its new content reaches the screen in the frame after the one being made: the status,
    position and key lines around an item never hold back the item itself (a key paints
    the next item first). `content` and `render()` give the new content at once.
    """

    DEFAULT_CSS = """
    Line { height: 1; width: 1fr; }
    """

    def __init__(self, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(Text(""), id=id, classes=classes)
        self._pending: RenderableType | None = None

    def _fixed_height(self) -> int | None:
        return self.size.height

    @property
    def content(self) -> RenderableType:
        return self._content if self._pending is None else self._pending

    def render(self) -> RenderableType:
        return self.content

    def set(self, content: RenderableType) -> None:
        if not self.is_mounted:
            super().set(content)
            return
        if self._pending is None:
            defer = getattr(self.screen, "defer_line", None)  # an item screen batches these
            if defer is not None:
                defer(self)
            else:
                self.call_after_refresh(self._apply)
        self._pending = content

    def _to_screen_now(self) -> None:
        """Not for the lines around the item: those repaint on their own idle turn, so
        that all of them changed after one item go out together in one frame."""

    def flush(self) -> None:
        """Apply new content now (when the item is already out), not after the next frame."""
        self._apply()

    def _apply(self) -> None:
        content, self._pending = self._pending, None
        if content is not None:
            super().set(content)
