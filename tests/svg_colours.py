"""Colours in a screenshot SVG from `App.export_screenshot()`: what one cell shows, the same
screen as a 256-colour terminal shows it, and the contrast between two colours.

Textual's screenshot is always drawn in truecolour; on a terminal without COLORTERM=truecolor
(ssh does not forward it) Textual writes the same colours through Rich downgraded to the
256-colour palette. `downgrade_svg()` applies that same downgrade (Rich's
`Color.downgrade(ColorSystem.EIGHT_BIT)`, shown with the standard xterm palette) to every
colour of the SVG, so a test can see and snapshot what such a terminal gets.
"""

from __future__ import annotations

import html
import re

from rich.color import Color, ColorSystem

_CELL_WIDTH = 20 * 0.61  # Rich's export_svg: char_height * font_aspect_ratio
_LINE_HEIGHT = 20 * 1.22
_HEX = re.compile(r"#[0-9a-fA-F]{6}\b")
_CLASS_FILL = re.compile(r"\.(terminal-[\w-]+)\s*\{\s*fill:\s*(#[0-9a-fA-F]{6})")
_TEXT = re.compile(
    r'<text class="(?P<cls>[^"]*)" x="(?P<x>[^"]*)" y="[^"]*" textLength="(?P<w>[^"]*)" '
    r'clip-path="url\(#[^)]*-line-(?P<line>\d+)\)">(?P<text>.*?)</text>',
    re.DOTALL,
)
_RECT = re.compile(
    r'<rect fill="(?P<fill>#[0-9a-fA-F]{6})" x="(?P<x>[^"]*)" y="(?P<y>[^"]*)" '
    r'width="(?P<w>[^"]*)" height="[^"]*" shape-rendering="crispEdges"/>'
)


def to_256(hex_colour: str) -> str:
    """The colour a 256-colour terminal shows for a truecolour `hex_colour`."""
    colour = Color.parse(hex_colour).downgrade(ColorSystem.EIGHT_BIT)
    return colour.get_truecolor().hex


def downgrade_svg(svg: str) -> str:
    """The screenshot as a 256-colour terminal shows it (window chrome included)."""
    return _HEX.sub(lambda m: to_256(m.group(0)), svg)


def cell_colours(svg: str, row: int, column: int) -> tuple[str, str]:
    """(foreground, background) of one cell; ("", background) when the cell holds no text."""
    fills = dict(_CLASS_FILL.findall(svg))
    foreground = ""
    for match in _TEXT.finditer(svg):
        if int(match["line"]) != row:
            continue
        start = round(float(match["x"]) / _CELL_WIDTH)
        width = round(float(match["w"]) / _CELL_WIDTH)
        if start <= column < start + width:
            foreground = fills.get(match["cls"], "")
    background = ""
    top = row * _LINE_HEIGHT + 1.5
    for match in _RECT.finditer(svg):
        start = round(float(match["x"]) / _CELL_WIDTH)
        width = round(float(match["w"]) / _CELL_WIDTH)
        if abs(float(match["y"]) - top) < 0.5 and start <= column < start + width:
            background = match["fill"]
    return foreground, background


def char_at(svg: str, row: int, column: int) -> str:
    for match in _TEXT.finditer(svg):
        if int(match["line"]) != row:
            continue
        start = round(float(match["x"]) / _CELL_WIDTH)
        text = html.unescape(match["text"]).replace("\xa0", " ")
        if start <= column < start + len(text):
            return text[column - start]
    return " "


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours (1.0: the same light, 21: black on white)."""

    def luminance(hex_colour: str) -> float:
        r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
