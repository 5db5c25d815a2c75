"""orjson's reasons for a line that is not JSON, in the interface's language (tasks.jsonl
validation). orjson writes English only, from a fixed set of sentences; one not in the table
keeps orjson's English, and English keeps orjson's text unchanged."""

from __future__ import annotations

from tui.core.i18n import N_, SOURCE_LANGUAGE, _, current_language

REASONS: dict[str, str] = {
    "unexpected end of data": N_("unexpected end of data"),
    "trailing comma is not allowed": N_("trailing comma is not allowed"),
    "unexpected character, expected ':' after key": N_(
        "unexpected character, expected ':' after key"
    ),
    "unexpected character, expected a string key": N_(
        "unexpected character, expected a string key"
    ),
    "unexpected character, expected ',' or ']'": N_("unexpected character, expected ',' or ']'"),
    "unexpected character, expected ',' or '}'": N_("unexpected character, expected ',' or '}'"),
    "unexpected character, expected a JSON value": N_(
        "unexpected character, expected a JSON value"
    ),
    "unexpected character": N_("unexpected character"),
    "unexpected content after document": N_("unexpected content after document"),
    "invalid literal, expected 'null'": N_("invalid literal, expected 'null'"),
    "invalid literal, expected 'true'": N_("invalid literal, expected 'true'"),
    "invalid literal, expected 'false'": N_("invalid literal, expected 'false'"),
    "invalid escaped sequence in string": N_("invalid escaped sequence in string"),
    "unexpected control character in string": N_("unexpected control character in string"),
    "number with leading zero is not allowed": N_("number with leading zero is not allowed"),
    "no low surrogate in string": N_("no low surrogate in string"),
    "Input is a zero-length, empty document": N_("Input is a zero-length, empty document"),
}


def json_reason(reason: str) -> str:
    """orjson's JSONDecodeError.msg in the interface's language."""
    if current_language() == SOURCE_LANGUAGE:
        return reason
    known = REASONS.get(reason)
    return _(known) if known is not None else reason
