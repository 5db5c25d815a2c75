"""An Esc typed just before another key must stay an Esc, whatever the key.

Terminals and ssh send Esc and a quick next key in one packet, and Textual's parser reads
ESC + key as one Alt-combination: a letter becomes alt+letter (which the key gate splits
back when nothing binds it), but a digit becomes a macOS Option character (ESC 5 is "∞"),
and Space or Enter lose the Esc altogether. Esc, then 5 is how an annotator leaves a text
field and picks label 5, so those keys would type a junk character or act in the field.

install() wraps the parser's key mapping so that ESC followed by a digit, Space, Enter or
Tab arrives as alt+<key>; tui/key_gate.py then delivers it as Esc followed by the key
unless a binding wants that alt+ combination. Textual is pinned below 9 (pyproject), and
tests/test_escape_keys.py feeds the real parser the bytes a terminal sends.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual._xterm_parser import XTermParser

_ESC = "\x1b"
_installed = False


def _as_alt(event: events.Key) -> events.Key:
    if event.key.startswith("alt+"):
        return event
    return events.Key(f"alt+{event.key}", event.character)


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    original = XTermParser._sequence_to_key_events

    def sequence_to_key_events(
        self: XTermParser, sequence: str, alt: bool = False
    ) -> Iterable[events.Key]:
        if (
            len(sequence) == 2
            and sequence[0] == _ESC
            and isinstance(ANSI_SEQUENCES_KEYS.get(sequence), str)
        ):
            # ESC + digit (and the like) is in Textual's table as an Option character.
            return [_as_alt(e) for e in original(self, sequence[1])]
        found = list(original(self, sequence, alt))
        if alt and len(sequence) == 1:
            # The reissue path (ESC, then a key that made no known sequence): names like
            # space and enter get no alt+ from Textual, so the Esc would be lost.
            return [_as_alt(e) for e in found]
        return found

    XTermParser._sequence_to_key_events = sequence_to_key_events  # type: ignore[method-assign]
