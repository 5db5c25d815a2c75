"""Task text is shown literally: terminal control sequences must never reach the terminal.

C0/C1 control characters (except newline and tab) become visible control pictures, and
bidirectional overrides become visible tags, so a task cannot move the cursor, recolour the
screen or reorder what the annotator reads. Markup is never interpreted: callers build
rich.text.Text from the result, never markup strings.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

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
# One search over a whole string (C speed) before any translating: most text has none.
_CONTROL = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_TABLE)) + "]")


def has_controls(text: str) -> bool:
    """Whether visible() would change `text`."""
    return _CONTROL.search(text) is not None


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


# -- the terminal boundary ------------------------------------------------------------------
# Everything the command line prints goes through one of these three (tests/test_hostile_
# terminal.py checks the CLI modules call nothing else): plain lines, Rich output, JSON.


def echo(*parts: object, file: TextIO | None = None, sep: str = " ") -> None:
    """print() for text that may come from files or arguments: controls made visible."""
    out = file if file is not None else sys.stdout
    print(visible(sep.join(str(p) for p in parts)), file=out)


def json_text(data: bytes | str) -> str:
    """JSON for the terminal: JSON encoders escape C0 controls but let C1 controls, DEL and
    bidirectional overrides through raw; they are escaped here (\\uXXXX, the same data)."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return text.translate(_JSON_TABLE)


_JSON_TABLE = {code: f"\\u{code:04x}" for code in _TABLE if code >= 0x7F}
for _code in range(0x20):
    if _code not in (0x09, 0x0A):
        # Only inside strings in valid JSON, where encoders escape them already.
        _JSON_TABLE[_code] = f"\\u{_code:04x}"


class _Sanitized:
    """A renderable whose text segments are made visible; Rich's own control segments
    (cursor moves it emits itself) and styles stay as they are."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        for segment in console.render(self.inner, options):
            if segment.control or not segment.text:
                yield segment
            else:
                yield Segment(visible_aligned(segment.text), segment.style, segment.control)


class _SanitizeHook:
    def process_renderables(self, renderables: list[Any]) -> list[Any]:
        return [_Sanitized(r) for r in renderables]


def safe_console(**kwargs: Any) -> Console:
    """A Rich Console for the command line: no markup or highlighting of strings, and every
    text segment made visible on its way out, whatever renderable carried it."""
    from rich.console import Console

    kwargs.setdefault("markup", False)
    kwargs.setdefault("highlight", False)
    console = Console(**kwargs)
    console.push_render_hook(_SanitizeHook())  # type: ignore[arg-type]
    return console
