"""The non-ASCII characters the app draws, each with an ASCII twin, and when to use the twins.

A terminal that is not UTF-8 (a server-side tmux under LANG=C, PuTTY set to Latin-1) shows
box drawing as q/x and every other non-ASCII character as `_`. Then the app draws only ASCII:
key names become words (Bksp, Enter, <-), marks and separators become ASCII characters of the
same width (the output filter in tui/ascii_output.py applies TWINS to every painted line, so
borders and Textual's own widgets follow too). The text of the data is the terminal's business:
letters such as é stay as they are.

No Textual here: key_display (tui/core/keymap.py) and the CLI use it too.
"""

from __future__ import annotations

import codecs
import os
import sys
import unicodedata
from collections.abc import Mapping

# One character for one character, so a painted line keeps its width.
TWINS: dict[str, str] = {
    "·": "|",
    "•": "*",
    "—": "-",
    "–": "-",
    "−": "-",
    "…": ".",
    "✓": "v",
    "✗": "x",
    "×": "x",
    "■": "*",
    "□": "o",
    "▶": ">",
    "◀": "<",
    "▲": "^",
    "▼": "v",
    "↶": "<",
    "←": "<",
    "→": ">",
    "↑": "^",
    "↓": "v",
    "⏎": ">",
    "⌫": "<",
    "✎": "*",
    "⚠": "!",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "≥": ">",
    "≤": "<",
    "∞": "~",
    "§": "S",
}

# Key names shown in the key bar and help (tui/core/keymap.py key_display).
KEY_NAMES: dict[str, tuple[str, str]] = {
    "left": ("←", "<-"),
    "right": ("→", "->"),
    "up": ("↑", "^"),
    "down": ("↓", "v"),
    "backspace": ("⌫", "Bksp"),
    "enter": ("⏎", "Enter"),
}


def _box_twin(char: str) -> str | None:
    """Box drawing (U+2500-257F) and block elements (U+2580-259F) as ASCII lines."""
    code = ord(char)
    if 0x2500 <= code <= 0x257F:
        name = unicodedata.name(char, "")
        if "HORIZONTAL" in name and "VERTICAL" not in name:
            return "-"
        if "VERTICAL" in name and "HORIZONTAL" not in name:
            return "|"
        return "+"
    if 0x2580 <= code <= 0x259F:
        return "#" if char == "█" else " "
    return None


def _table() -> dict[int, str]:
    table = {ord(k): v for k, v in TWINS.items()}
    for code in range(0x2500, 0x25A0):
        twin = _box_twin(chr(code))
        if twin is not None:
            table[code] = twin
    return table


TABLE = _table()


def _is_utf8(name: str) -> bool:
    try:
        return codecs.lookup(name).name == "utf-8"
    except LookupError:
        return False


def needs_ascii(environ: Mapping[str, str], encoding: str | None) -> bool:
    """True when the terminal cannot be trusted with UTF-8.

    LABELDESK_ASCII=1/0 decides outright. Otherwise a non-UTF-8 output encoding, or a locale
    (LC_ALL, then LC_CTYPE, then LANG) that does not say UTF-8, means ASCII. Python coerces
    the C locale to C.UTF-8 (PEP 538) by setting LC_CTYPE and writes UTF-8 anyway; the
    terminal still expects ASCII, so LC_CTYPE=C.UTF-8 beside LANG C/POSIX/unset counts as C.
    """
    forced = environ.get("LABELDESK_ASCII", "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    if encoding and not _is_utf8(encoding):
        return True
    lc_all = environ.get("LC_ALL", "")
    lc_ctype = environ.get("LC_CTYPE", "")
    lang = environ.get("LANG", "")
    if not lc_all and lc_ctype == "C.UTF-8" and lang in ("", "C", "POSIX"):
        return True
    name = lc_all or lc_ctype or lang
    _, _, codeset = name.partition(".")
    codeset = codeset.split("@", 1)[0]
    return not (codeset and _is_utf8(codeset))


_ascii: bool | None = None


def ascii_mode() -> bool:
    """Whether this process draws ASCII only (decided once, from the environment)."""
    global _ascii
    if _ascii is None:
        _ascii = needs_ascii(os.environ, getattr(sys.stdout, "encoding", None))
    return _ascii


def set_ascii_mode(value: bool | None) -> None:
    """Force ASCII on or off (None: decide again from the environment). For tests."""
    global _ascii
    _ascii = value


def to_ascii(text: str) -> str:
    """`text` with every drawn symbol replaced by its ASCII twin (letters stay)."""
    return text.translate(TABLE)


def sym(char: str) -> str:
    """One of the app's symbols, or its ASCII twin when the terminal needs ASCII."""
    return TWINS.get(char, char) if ascii_mode() else char


def key_name(key: str) -> str | None:
    """The arrow / Enter / Backspace symbol for a key, or its ASCII word."""
    names = KEY_NAMES.get(key)
    if names is None:
        return None
    return names[1] if ascii_mode() else names[0]
