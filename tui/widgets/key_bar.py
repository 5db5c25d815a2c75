"""The key bar's layout: two lines (one in a small window), never cut mid-hint, help and quit
always kept."""

from __future__ import annotations

from rich.text import Text

# Hints that are never dropped: help lists every key, and quit must always be findable.
KEEP = ("app.help", "app.quit")


def lay_out_key_bar(
    lead: Text, cells: list[tuple[str, str, str]], width: int, rows: int = 2
) -> Text:
    """cells: (binding id, key as shown, word), most useful first. Hints that do not fit
    are dropped, in order from the end, except KEEP, which end the last line."""
    if rows == 1:
        return _one_line(lead, cells, max(20, width))
    width = max(20, width)
    keep = [c for c in cells if c[0] in KEEP]
    rest = [c for c in cells if c[0] not in KEEP]

    def size(cell: tuple[str, str, str]) -> int:
        return len(cell[1]) + len(cell[2]) + 5  # " key " + " word  "

    reserved = sum(size(c) for c in keep)
    lines: list[list[tuple[str, str, str]]] = [[], []]
    used = [len(lead.plain), 0]
    row = 0
    for cell in rest:
        if row == 0 and used[0] + size(cell) > width:
            row = 1  # keep the order: once the first line is full, fill the second
        if used[row] + size(cell) <= width - (reserved if row == 1 else 0):
            lines[row].append(cell)
            used[row] += size(cell)
    lines[1] += keep
    out = Text()
    out.append_text(lead)
    for row, row_cells in enumerate(lines):
        if row:
            out.append("\n")
        for _, key, word in row_cells:
            out.append(f" {key} ", style="reverse")
            out.append(f" {word}  ")
    return out


def _one_line(lead: Text, cells: list[tuple[str, str, str]], width: int) -> Text:
    keep = [c for c in cells if c[0] in KEEP]
    if len(lead.plain) + sum(_size(c) for c in keep) > width:
        lead = Text()  # help and quit come before the lead
    used = len(lead.plain) + sum(_size(c) for c in keep)
    shown: list[tuple[str, str, str]] = []
    for cell in cells:
        if cell[0] in KEEP:
            continue
        if used + _size(cell) <= width:
            shown.append(cell)
            used += _size(cell)
    out = Text()
    out.append_text(lead)
    for _, key, word in shown + keep:
        out.append(f" {key} ", style="reverse")
        out.append(f" {word}  ")
    return out


def _size(cell: tuple[str, str, str]) -> int:
    return len(cell[1]) + len(cell[2]) + 5  # " key " + " word  "
