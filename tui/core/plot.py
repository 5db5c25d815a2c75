"""Terminal plots as plain text: column charts drawn with eighth-block characters.

Plain text rather than a plotting library so the same chart prints in a pipe, renders in
Rich (wrap it in rich.text.Text) and can be checked character by character in tests; it also
stays within 80 columns, which over SSH matters more than axes with ticks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

_EIGHTHS = " ▁▂▃▄▅▆▇█"


def resample(values: Sequence[float], width: int) -> list[float]:
    """Shrink a series to at most `width` points by averaging neighbours; never stretches."""
    if width <= 0:
        raise ValueError("width must be positive")
    n = len(values)
    if n <= width:
        return [float(v) for v in values]
    out: list[float] = []
    for column in range(width):
        start = column * n // width
        end = max(start + 1, (column + 1) * n // width)
        chunk = values[start:end]
        out.append(sum(chunk) / len(chunk))
    return out


def _axis_number(value: float) -> str:
    if value >= 100 or value == int(value):
        return f"{value:.0f}"
    return f"{value:.1f}"


def column_chart(
    values: Sequence[float],
    *,
    height: int = 6,
    width: int = 60,
    first_label: str = "",
    last_label: str = "",
    title: str = "",
) -> str:
    """A column chart of non-negative values, `height` rows tall, at most `width` columns
    wide plus a y-axis, with the x-axis labelled at both ends. Empty input gives ''."""
    if height <= 0:
        raise ValueError("height must be positive")
    cleaned = [v if math.isfinite(v) and v > 0 else 0.0 for v in values]
    if not cleaned:
        return ""
    columns = resample(cleaned, width)
    top = max(columns)
    top_label = _axis_number(top)
    gutter = max(len(top_label), 1)
    total_eighths = height * 8
    levels = [0 if top <= 0 else round(v / top * total_eighths) for v in columns]
    # A non-zero value never disappears: it gets at least the lowest block.
    levels = [max(level, 1) if v > 0 else 0 for level, v in zip(levels, columns, strict=True)]
    lines: list[str] = []
    if title:
        lines.append(title)
    for row in range(height - 1, -1, -1):
        cells = []
        for level in levels:
            filled = level - row * 8
            cells.append(_EIGHTHS[max(0, min(8, filled))])
        label = top_label if row == height - 1 else ("0" if row == 0 else "")
        lines.append(f"{label:>{gutter}} ┤{''.join(cells)}".rstrip())
    lines.append(" " * gutter + " └" + "─" * len(columns))
    if first_label or last_label:
        # Labels start under the first column and end under the last; a chart too narrow
        # for both lets the last one run past its end rather than overprint the first.
        gap = max(1, len(columns) - len(first_label) - len(last_label))
        axis = f"{first_label}{' ' * gap}{last_label}" if last_label else first_label
        lines.append(" " * (gutter + 2) + axis)
    return "\n".join(lines)
