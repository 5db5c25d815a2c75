"""tomllib's error messages in the interface's language (a bad batch.toml, config.toml or
keymap file): tomllib writes English only, from a small fixed set of sentences, each followed
by where (" (at line 3, column 7)" or " (at end of document)"). A sentence not in the table
keeps tomllib's English; English keeps tomllib's text unchanged. The key names and
characters it quotes come from the file and are never translated."""

from __future__ import annotations

import re

from tui.core.i18n import N_, SOURCE_LANGUAGE, _, current_language

FIXED: dict[str, str] = {
    "Cannot overwrite a value": N_("Cannot overwrite a value"),
    "Escaped character is not a Unicode scalar value": N_(
        "Escaped character is not a Unicode scalar value"
    ),
    "Expected '=' after a key in a key/value pair": N_(
        "Expected '=' after a key in a key/value pair"
    ),
    "Expected ']' at the end of a table declaration": N_(
        "Expected ']' at the end of a table declaration"
    ),
    "Expected ']]' at the end of an array declaration": N_(
        "Expected ']]' at the end of an array declaration"
    ),
    "Expected newline or end of document after a statement": N_(
        "Expected newline or end of document after a statement"
    ),
    "Invalid date or datetime": N_("Invalid date or datetime"),
    "Invalid hex value": N_("Invalid hex value"),
    "Invalid initial character for a key part": N_("Invalid initial character for a key part"),
    "Invalid statement": N_("Invalid statement"),
    "Invalid value": N_("Invalid value"),
    "Unclosed array": N_("Unclosed array"),
    "Unclosed inline table": N_("Unclosed inline table"),
    "Unescaped '\\' in a string": N_("Unescaped '\\' in a string"),
    "Unterminated string": N_("Unterminated string"),
}

# Sentences that quote the file ({what}: a key or a character, as tomllib shows it).
QUOTING: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Cannot declare (?P<what>.+) twice"), N_("Cannot declare {what} twice")),
    (
        re.compile(r"Cannot mutate immutable namespace (?P<what>.+)"),
        N_("Cannot mutate immutable namespace {what}"),
    ),
    (re.compile(r"Cannot redefine namespace (?P<what>.+)"), N_("Cannot redefine namespace {what}")),
    (
        re.compile(r"Duplicate inline table key (?P<what>.+)"),
        N_("Duplicate inline table key {what}"),
    ),
    (re.compile(r"Found invalid character (?P<what>.+)"), N_("Found invalid character {what}")),
    (re.compile(r"Illegal character (?P<what>.+)"), N_("Illegal character {what}")),
    (re.compile(r"Expected (?P<what>'.*'|\".*\")"), N_("Expected {what}")),
)

_WHERE = re.compile(
    r"^(?P<message>.*) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)$", re.S
)


def _sentence(message: str) -> str | None:
    fixed = FIXED.get(message)
    if fixed is not None:
        return _(fixed)
    for pattern, template in QUOTING:
        found = pattern.fullmatch(message)
        if found:
            return _(template).format(what=found.group("what"))
    return None


def toml_error_text(exc: Exception) -> str:
    """A tomllib.TOMLDecodeError's text in the interface's language."""
    english = str(exc)
    if current_language() == SOURCE_LANGUAGE:
        return english
    where = _WHERE.match(english)
    if where is None:
        return english
    sentence = _sentence(where.group("message"))
    if sentence is None:
        return english
    if where.group("line") is None:
        return _("{message} (at end of document)").format(message=sentence)
    return _("{message} (at line {line}, column {column})").format(
        message=sentence, line=where.group("line"), column=where.group("column")
    )
