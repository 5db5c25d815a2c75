"""Task text is shown literally: terminal control sequences must never reach the terminal.

C0/C1 control characters (except newline and tab) become visible control pictures, and
bidirectional overrides become visible tags, so a task cannot move the cursor, recolour the
screen or reorder what the annotator reads. Markup is never interpreted: callers build
rich.text.Text from the result, never markup strings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import RenderableType

_BIDI = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F}


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20):
        if code not in (0x09, 0x0A):
            table[code] = chr(0x2400 + code)
    table[0x7F] = "\u2421"
    for code in range(0x80, 0xA0):
        table[code] = f"<U+{code:04X}>"
    for code in _BIDI:
        table[code] = f"<U+{code:04X}>"
    return table


_TABLE = _table()


def visible(text: str) -> str:
    """The text with every control character replaced by a visible stand-in of ONE char
    where possible, so offsets stay aligned for C0 controls (spans rely on offsets)."""
    return text.translate(_TABLE)


def visible_aligned(text: str) -> str:
    """Like visible(), but every character maps to exactly one character, so character
    offsets into the text stay valid (for span highlighting and cursors)."""
    out = []
    for ch in text:
        code = ord(ch)
        if code in _TABLE:
            out.append(_TABLE[code] if len(_TABLE[code]) == 1 else "\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def literal_cells(*cells: RenderableType | None) -> list[RenderableType | None]:
    """Table cells from data (names, labels, comments): plain str would be parsed as Rich
    markup, so a `[/x]` in an annotator's name or a comment would crash the table."""
    from rich.text import Text

    return [Text(visible(c)) if isinstance(c, str) else c for c in cells]
