"""The span text: a ScrollView painting only the visible lines (Textual's Line API), so a
5,000-word text costs the same per key as a sentence.

Each span is shown as `[words]LABEL` (tui/widgets/task_text.py tagged()), in its label's
colour too: labels stay apart without colour. The tags are laid out again only when the
spans change, not on a cursor move."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from task_types.spans.editor import Span, SpanEditor
from task_types.spans.layout import Wrapped
from tui.core.safe_text import visible_aligned
from tui.widgets.task_text import Tagged, tagged

CURSOR = Style(reverse=True, bold=True, underline=True)
# White on a dark blue: 7:1 (white on #5e81ac was 2.2:1), and still apart from the background.
SELECTION = Style(color="#ffffff", bgcolor="#3f5f8a", bold=True)


class SpanText(ScrollView, can_focus=False):
    DEFAULT_CSS = """
    SpanText { height: 1fr; min-height: 3; scrollbar-gutter: stable; overflow-x: hidden; }
    """

    def __init__(self, editor: SpanEditor, label_styles: dict[str, Style]) -> None:
        super().__init__()
        self.editor = editor
        self.label_styles = label_styles
        # One character per text character (tabs as spaces), so offsets stay valid; the
        # span tags go in between (self.tags maps text offsets to shown ones and back).
        self.plain = visible_aligned(editor.text).replace("\t", " ")
        self._marks: tuple[tuple[int, int, str], ...] | None = None
        self.tags: Tagged = tagged(self.plain, [])
        self.shown = self.plain
        self.wrapped: Wrapped | None = None
        self._base = Style()
        self._visible_spans: list[tuple[Span, tuple[int, int]]] = []

    def on_resize(self, event: events.Resize) -> None:
        self.relayout()

    def relayout(self) -> None:
        width = self.scrollable_content_region.width
        marks = tuple((s.start, s.end, s.label) for s in self.editor.spans)
        if width <= 0 or (
            self.wrapped is not None and self.wrapped.width == width and marks == self._marks
        ):
            return
        if marks != self._marks:
            self._marks = marks
            self.tags = tagged(self.plain, list(marks))
            self.shown = self.tags.shown
        self.wrapped = Wrapped(self.shown, width)
        self.virtual_size = Size(width, len(self.wrapped))
        self.show_cursor()

    def cursor_line(self) -> int:
        assert self.wrapped is not None
        return self.wrapped.line_of(self.tags.pos[self.editor.tokens[self.editor.cursor].start])

    def show_cursor(self) -> None:
        """Scroll the least needed to keep the cursor line visible (with a line around it)."""
        if self.wrapped is None:
            return
        line = self.cursor_line()
        height = max(1, self.scrollable_content_region.height)
        margin = 1 if height >= 3 else 0
        top = round(self.scroll_y)
        if line - margin < top:
            self.scroll_to(y=max(0, line - margin), animate=False, immediate=True)
        elif line + margin >= top + height:
            self.scroll_to(y=line + margin - height + 1, animate=False, immediate=True)

    def line_step(self, delta: int) -> int:
        """The token one screen line up (-1) or down (+1) from the cursor, same column."""
        if self.wrapped is None:
            return self.editor.cursor
        line = self.cursor_line() + delta
        if line < 0 or line >= len(self.wrapped):
            return 0 if line < 0 else len(self.editor.tokens) - 1
        start = self.tags.pos[self.editor.tokens[self.editor.cursor].start]
        column = self.wrapped.column_of(self.shown, start)
        offset = self.wrapped.offset_at(self.shown, line, column)
        return self.editor.index.at_or_after(self.tags.back[offset])

    def changed(self) -> None:
        self.relayout()  # the tags move when a span is added, relabeled or deleted
        self.show_cursor()
        self.refresh()

    def _span_ranges(self) -> list[tuple[int, int]]:
        """Each of the editor's spans' shown range, tags included (the layout is current:
        relayout() runs on every change)."""
        if self._marks is not None and len(self.tags.ranges) == len(self.editor.spans):
            return self.tags.ranges
        return [(self.tags.pos[s.start], self.tags.pos[s.end]) for s in self.editor.spans]

    def render_lines(self, crop: Region) -> list[Strip]:
        # Per frame, not per line: the DOM style lookup and the visible spans in paint order
        # (longest first, so an inner, nested or overlapping, span paints over an outer one).
        self._base = self.rich_style
        self._visible_spans = []
        if self.wrapped is not None and len(self.wrapped):
            top = min(round(self.scroll_y) + crop.y, len(self.wrapped) - 1)
            bottom = min(top + crop.height, len(self.wrapped)) - 1
            a, b = self.wrapped.starts[top], self.wrapped.ends[max(top, bottom)]
            ranges = self._span_ranges()
            here = [(s, ranges[n]) for n, s in enumerate(self.editor.spans)]
            seen = [(s, r) for s, r in here if r[1] > a and r[0] < b]
            self._visible_spans = sorted(seen, key=lambda sr: sr[0].start - sr[0].end)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._base
        line = round(self.scroll_y) + y
        if self.wrapped is None or line >= len(self.wrapped):
            return Strip.blank(width, base)
        a, b = self.wrapped.starts[line], self.wrapped.ends[line]
        text = Text(self.shown[a:b], end="", no_wrap=True)
        ed = self.editor
        pos = self.tags.pos
        for span, (start, end) in self._visible_spans:
            if end > a and start < b:
                style = self.label_styles.get(span.label, Style(reverse=True))
                text.stylize(style, max(start, a) - a, min(end, b) - a)
        if ed.anchor is not None:
            chars = ed.selection_chars()
            sel_start, sel_end = pos[chars[0]], pos[chars[1] - 1] + 1
            if sel_end > a and sel_start < b:
                text.stylize(SELECTION, max(sel_start, a) - a, min(sel_end, b) - a)
        cursor = ed.tokens[ed.cursor]
        cur_start, cur_end = pos[cursor.start], pos[cursor.end - 1] + 1
        if cur_end > a and cur_start < b:
            text.stylize(CURSOR, max(cur_start, a) - a, min(cur_end, b) - a)
        strip = Strip(list(text.render(self.app.console)))
        return strip.adjust_cell_length(width, base).apply_style(base)
