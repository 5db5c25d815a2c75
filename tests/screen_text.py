"""The visible screen of a Textual app under Pilot, as plain text lines.

Read through the public `App.export_screenshot()` (the SVG a snapshot test stores), not the
screen's private compositor: every text run of the SVG sits at `x = column * cell width` on a
line named by its clip path, so the lines are laid out again from those. Runs of spaces
without a background are not in the SVG; they come back as the gaps between runs, and every
line is padded to the terminal's width, as the screen's own lines are.
"""

from __future__ import annotations

import html
import re

from rich.cells import cell_len
from textual.app import App

# Rich's export_svg: cells are 20 * 0.61 units wide (char_height * font_aspect_ratio).
_CELL_WIDTH = 20 * 0.61
_TEXT_RUN = re.compile(
    r'<text class="[^"]*" x="(?P<x>[0-9.e+-]+)" y="[^"]*" textLength="[^"]*" '
    r'clip-path="url\(#[^)]*-line-(?P<line>\d+)\)">(?P<text>.*?)</text>',
    re.DOTALL,
)


def svg_lines(svg: str, width: int, height: int) -> list[str]:
    """The text lines of a screenshot SVG made by `App.export_screenshot()`."""
    runs: list[list[tuple[int, str]]] = [[] for _ in range(height)]
    for match in _TEXT_RUN.finditer(svg):
        line = int(match["line"])
        text = html.unescape(match["text"]).replace("\xa0", " ").replace("\n", "")
        if line < height and text:  # each line's closing newline is a run of its own
            runs[line].append((round(float(match["x"]) / _CELL_WIDTH), text))
    lines = []
    for row in runs:
        out: list[str] = []
        cells = 0
        for column, text in sorted(row, key=lambda run: run[0]):
            out.append(" " * max(0, column - cells))
            out.append(text)
            cells = max(cells, column) + cell_len(text)
        out.append(" " * max(0, width - cells))
        lines.append("".join(out))
    return lines


def screen_text(app: App[object]) -> str:
    width, height = app.size
    return "\n".join(svg_lines(app.export_screenshot(), width, height))


def status_text(app: App[object]) -> str:
    """The status line of an item screen (labeling, audit review), as its #status line
    holds it: whole, even where the terminal is too narrow to show all of it."""
    from tui.widgets.line import Line

    return str(app.screen.query_one("#status", Line).content)
