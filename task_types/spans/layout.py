"""Word-wrapping a long text into screen lines, in character offsets (no Textual here).

Done once per width, so a cursor move costs only a bisect; painting reads just the visible
lines."""

from __future__ import annotations

from bisect import bisect_right

from rich.cells import get_character_cell_size


def _cells(ch: str) -> int:
    return 1 if " " <= ch < "\u0300" else get_character_cell_size(ch)


class Wrapped:
    """Line i shows characters [starts[i], ends[i]) of the text."""

    def __init__(self, text: str, width: int) -> None:
        self.width = max(1, width)
        self.starts: list[int] = []
        self.ends: list[int] = []
        self._wrap(text)

    def _wrap(self, text: str) -> None:
        width = self.width
        start = 0
        col = 0
        soft = -1  # offset just after the last space on this line: where a break may go
        i = 0
        size = len(text)
        while i < size:
            ch = text[i]
            if ch == "\n":
                self._line(start, i)
                start, col, soft = i + 1, 0, -1
                i += 1
                continue
            w = _cells(ch)
            if col + w > width and i > start:
                if ch == " ":
                    self._line(start, i)
                    start, col, soft = i + 1, 0, -1
                    i += 1
                    continue
                cut = soft if soft > start else i
                self._line(start, cut)
                start, soft = cut, -1
                col = sum(_cells(c) for c in text[start:i])
            col += w
            if ch == " ":
                soft = i + 1
            i += 1
        self._line(start, size)

    def _line(self, start: int, end: int) -> None:
        self.starts.append(start)
        self.ends.append(end)

    def __len__(self) -> int:
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        return max(0, bisect_right(self.starts, offset) - 1)

    def column_of(self, text: str, offset: int) -> int:
        line = self.line_of(offset)
        return sum(_cells(c) for c in text[self.starts[line] : offset])

    def offset_at(self, text: str, line: int, column: int) -> int:
        """The character on `line` at screen column `column` (or the line's last one)."""
        line = max(0, min(line, len(self.starts) - 1))
        col = 0
        for i in range(self.starts[line], self.ends[line]):
            col += _cells(text[i])
            if col > column:
                return i
        return max(self.starts[line], self.ends[line] - 1)
