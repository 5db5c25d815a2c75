"""Tokens of a span task: the task's own (Prodigy `tokens`) or a small regex tokenizer.

The tokenizer (no spaCy): every run of word characters (letters, digits, underscore, with
combining accents) is one token, and every other non-space character is a token by itself.
So in English "Rutte's" is "Rutte", "'", "s": an entity never has to include punctuation it
does not want. Dutch batches (`tokenizer = "nl"`, the default when the batch's language is
Dutch) keep 's-Hertogenbosch, zo'n, auto's and Noord-Holland whole. It also splits at the boundaries of pre-set spans,
so every given span covers whole tokens.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_WORD = r"(?:\w|[\u0300-\u036f])+"
_APOSTROPHE = "['\u2019]"
TOKEN_RE = re.compile(rf"{_WORD}|[^\w\s]")
# Dutch (spaCy's blank `nl` tokenizer keeps these whole too): clitic articles and place
# names ('s, 't, 'n, 's-Hertogenbosch, 's-Gravenhage), apostrophes inside a word (zo'n, d'r,
# m'n, auto's) and hyphenated names (Noord-Holland, Jan-Peter). One token each, so a Dutch
# entity is one key press, not three Shift+arrows; a span can still be cut inside (cuts).
DUTCH_TOKEN_RE = re.compile(
    rf"{_APOSTROPHE}(?:s|t|n|k|m|r)(?:-{_WORD})+"  # 's-Hertogenbosch
    rf"|{_APOSTROPHE}(?:s|t|n|k|m|r)(?!\w)"  # 's avonds, 't, 'n
    rf"|{_WORD}(?:(?:{_APOSTROPHE}|-){_WORD})*"  # zo'n, auto's, Noord-Holland
    r"|[^\w\s]"
)
TOKENIZERS = {"en": TOKEN_RE, "nl": DUTCH_TOKEN_RE}


@dataclass(frozen=True, slots=True)
class Tok:
    start: int
    end: int


def tokenize(text: str, cuts: Iterable[int] = (), language: str = "en") -> list[Tok]:
    """Regex tokens of `text` (the `language`'s rules: "en" or "nl"), split again at every
    character offset in `cuts`."""
    cut_points = sorted(set(cuts))
    out: list[Tok] = []
    for match in TOKENIZERS[language].finditer(text):
        start, end = match.span()
        lo = bisect_right(cut_points, start)
        hi = bisect_left(cut_points, end)
        for cut in cut_points[lo:hi]:
            out.append(Tok(start, cut))
            start = cut
        out.append(Tok(start, end))
    return out


class TokenIndex:
    """Maps character offsets to token indices and back (tokens sorted, not overlapping)."""

    def __init__(self, tokens: Sequence[Tok]) -> None:
        self.tokens = list(tokens)
        self.starts = [t.start for t in self.tokens]
        self.ends = [t.end for t in self.tokens]

    def __len__(self) -> int:
        return len(self.tokens)

    def at_or_after(self, offset: int) -> int:
        """Index of the first token ending after `offset` (clamped to the last token)."""
        return min(bisect_right(self.ends, offset), len(self.tokens) - 1)

    def covering(self, start: int, end: int) -> tuple[int, int] | None:
        """(first, last) token overlapping characters [start, end), or None if none does."""
        first = bisect_right(self.ends, start)
        last = bisect_left(self.starts, end) - 1
        if first >= len(self.tokens) or last < first:
            return None
        return first, last

    def exact(self, start: int, end: int) -> tuple[int, int] | None:
        """(first, last) token when [start, end) begins and ends on token boundaries."""
        first = bisect_left(self.starts, start)
        last = bisect_left(self.ends, end)
        if first >= len(self.tokens) or self.starts[first] != start:
            return None
        if last >= len(self.tokens) or self.ends[last] != end or last < first:
            return None
        return first, last
