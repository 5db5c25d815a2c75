"""Pictures in any terminal: each cell shows two stacked pixels as '▀' with the upper pixel
as foreground and the lower as background. Works over SSH, needs only truecolor (Rich
downgrades to 256 colours where the terminal has fewer)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image
    from rich.text import Text


def fit_cells(width_px: int, height_px: int, cols: int, rows: int) -> tuple[int, int]:
    """The largest (cols, pixel rows) grid that fits in cols×rows cells with the picture's
    aspect kept. A terminal cell is about twice as tall as wide and holds two pixel rows,
    so one cell column and one pixel row are about the same length."""
    if width_px < 1 or height_px < 1 or cols < 1 or rows < 1:
        return (0, 0)
    scale = min(cols / width_px, 2 * rows / height_px)
    out_w = max(1, min(cols, round(width_px * scale)))
    out_h = max(1, min(2 * rows, round(height_px * scale)))
    return out_w, out_h


def image_lines(img: Image, cols: int, rows: int) -> list[Text]:
    """`img` fitted into cols×rows cells, as at most `rows` Text lines of equal width."""
    from PIL import Image as PILImage
    from rich.color import Color
    from rich.style import Style
    from rich.text import Text

    out_w, out_h = fit_cells(img.width, img.height, cols, rows)
    if out_w == 0 or out_h == 0:
        return []
    if out_h % 2:
        out_h += 1  # the last row's lower half; padded rather than dropped
    rgb = img.convert("RGB").resize((out_w, out_h), PILImage.Resampling.BILINEAR)
    data = rgb.tobytes()
    stride = out_w * 3
    styles: dict[bytes, Style] = {}
    lines: list[Text] = []
    for y in range(0, out_h, 2):
        upper = data[y * stride : (y + 1) * stride]
        lower = data[(y + 1) * stride : (y + 2) * stride]
        line = Text(no_wrap=True, overflow="crop")
        run_style: Style | None = None
        run_len = 0
        for x in range(0, stride, 3):
            pair = upper[x : x + 3] + lower[x : x + 3]
            style = styles.get(pair)
            if style is None:
                style = Style(color=Color.from_rgb(*pair[:3]), bgcolor=Color.from_rgb(*pair[3:]))
                styles[pair] = style
            if style is run_style:
                run_len += 1
                continue
            if run_style is not None:
                line.append("▀" * run_len, run_style)
            run_style, run_len = style, 1
        if run_style is not None:
            line.append("▀" * run_len, run_style)
        lines.append(line)
    return lines


def row_lines(images: Sequence[Image], cols: int, rows: int, gap: int = 1) -> list[Text]:
    """Several pictures side by side in cols×rows cells (e.g. a video's thumbnails), each
    tile fitted into an equal share of the width, every line padded to `cols`."""
    from rich.text import Text

    if not images:
        return []
    n = len(images)
    tile_w = (cols - gap * (n - 1)) // n
    if tile_w < 1:
        raise ValueError(f"{n} pictures do not fit in {cols} columns")
    tiles = [image_lines(img, tile_w, rows) for img in images]
    height = max(len(t) for t in tiles)
    lines: list[Text] = []
    for r in range(height):
        line = Text(no_wrap=True, overflow="crop")
        for i, tile in enumerate(tiles):
            if i:
                line.append(" " * gap)
            cell = tile[r] if r < len(tile) else Text()
            line.append_text(cell)
            line.append(" " * (tile_w - cell.cell_len))
        line.append(" " * (cols - line.cell_len))
        lines.append(line)
    return lines
